//! P002 unknown-field: a key the format lacks.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "P002",
    name: "unknown-field",
    severity: Severity::Error,
    summary: "a key the format lacks; suggests the closest known key",
    docs: super::docs(DOCS),
    check: None,
};

const DOCS: &str = r#"## What it checks
Every key in the plan, its window, rollback, approvals, steps and undos is one
the format defines. An unknown key is reported with the closest known one.

## Why it matters
A misspelt key is silently ignored by most tools: `undp:` instead of `undo:`
leaves a step without its inverse while the author believes it has one.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine
  tkaes: 15m          # unknown field `tkaes`; did you mean `takes`?
```

## Fix
Use the suggested name, or remove the key. Notes for people belong in `do`,
`verify` or a YAML comment.
"#;
