//! P005 unsupported-version: `version` is not 1.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "P005",
    name: "unsupported-version",
    severity: Severity::Error,
    summary: "`version` is not 1",
    docs: super::docs(DOCS),
    check: None,
};

const DOCS: &str = r#"## What it checks
`version`, when given, is the number 1: the only plan format this tool reads.

## Why it matters
A plan written for a later format may use fields with meanings this version
does not know; checking it anyway could pass a plan that is wrong.

## Example
```yaml
version: 2
title: Replace the HL7 interface engine
```

## Fix
Write `version: 1` (or leave it out), or use a release of the tool that reads
the newer format.
"#;
