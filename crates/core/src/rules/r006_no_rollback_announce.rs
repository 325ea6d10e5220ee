//! R006 no-rollback-announce: `rollback.announce` is missing.

use super::{Context, Rule, rollback_lacks};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "R006",
    name: "no-rollback-announce",
    severity: Severity::Warning,
    summary: "`rollback.announce` is missing",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
The rollback section says who is told that a rollback is under way, and how:
`rollback.announce`.

## Why it matters
Stakeholders who were told of a change and then see it undone without a word
lose trust; users may keep working around an outage that has already ended.
Explaining a rollback, and what will be done before the next attempt, builds
the trust that gets the retry approved.

## Example
```yaml
rollback:
  decide: 10m
  verify: { do: Re-run the baseline checks, takes: 20m }
  # nobody is told
```

## Fix
```yaml
rollback:
  announce: Tell ward managers and the service desk we are rolling back
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(span) = rollback_lacks(cx.plan, "announce", |r| r.announce.is_some()) else { return };
    out.push(
        RULE.diag(span, "the rollback plan does not say who is told that a rollback is under way")
            .help("add `rollback.announce: <who is told, and how>`"),
    );
}
