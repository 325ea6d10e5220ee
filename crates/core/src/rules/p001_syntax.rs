//! P001 syntax: the text is not valid YAML or JSON.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "P001",
    name: "syntax",
    severity: Severity::Error,
    summary: "the text is not valid YAML/JSON; points at line:column",
    docs: super::docs(DOCS),
    check: None,
};

const DOCS: &str = r#"## What it checks
That the plan is readable YAML (or JSON) at all: indentation, `key: value`
pairs, brackets and quotes; one document per file; no key twice in one mapping;
and the limits that keep hostile input harmless (32 MiB of text, 64 levels of
nesting, at most 100,000 nodes added by aliases).

## Why it matters
Nothing else can be checked in text that cannot be read. The error points at
the line and column where reading stopped; what comes after it is unknown.

## Example
```yaml
steps:
  - id: stop-feed
    do: Pause the feed
     takes: 5m        # indented one space too far
```

## Fix
Correct the text at the position shown. YAML indents with spaces, never tabs;
text that contains `: ` or starts with `#`, `*`, `&` or `!` needs quotes.
"#;
