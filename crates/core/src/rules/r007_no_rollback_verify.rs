//! R007 no-rollback-verify: `rollback.verify` is missing.

use super::{Context, Rule, rollback_lacks};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "R007",
    name: "no-rollback-verify",
    severity: Severity::Warning,
    summary: "`rollback.verify` is missing",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
The rollback section says how to check that the system is back to its
baseline after a rollback, and how long that takes: `rollback.verify`.

## Why it matters
A rollback is done when it is verified, not when the last undo is typed. An
unverified rollback can leave the system in an indeterminate state that
confuses the next shift and corrupts data on the next attempt. Its time also
counts against the window.

## Example
```yaml
rollback:
  decide: 10m
  announce: Tell the service desk
  # how do we know we are back?
```

## Fix
```yaml
rollback:
  verify: { do: Re-run the baseline checks and compare, takes: 20m }
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(span) = rollback_lacks(cx.plan, "verify", |r| r.verify.is_some()) else { return };
    out.push(
        RULE.diag(span, "the rollback plan does not say how to check that the system is back to its baseline")
            .help("add `rollback.verify: {do: <how to check>, takes: <time>}`"),
    );
}
