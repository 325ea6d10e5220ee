//! P004 duplicate-id: two steps share an id.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "P004",
    name: "duplicate-id",
    severity: Severity::Error,
    summary: "two steps share an id",
    docs: super::docs(DOCS),
    check: None,
};

const DOCS: &str = r#"## What it checks
Every step's `id` is unique in the plan.

## Why it matters
`after` and `undo.needs` name steps by id. With two steps of one id, a
reference could mean either, and the rollback order would be a guess. (The
first step with the id is the one references resolve to.)

## Example
```yaml
- id: backup
  kind: backup
  do: Export the route table
- id: backup            # already used
  kind: backup
  do: Snapshot the database
```

## Fix
Give each step its own id, such as `backup-routes` and `backup-db`, and check
which one each `after` meant.
"#;
