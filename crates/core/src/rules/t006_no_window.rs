//! T006 no-window: no change window, so timing checks are skipped.

use super::{Context, Rule, plan_anchor};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "T006",
    name: "no-window",
    severity: Severity::Warning,
    summary: "no `window`: timing checks are skipped",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
The plan has a change `window`: a `start`, and an `end` or a `duration`.

## Why it matters
A rollback must finish inside the window. Without one, the tool cannot say
whether the plan fits, whether a rollback still fits from each point, or until
when a rollback can still be called: every timing check is skipped.

## Example
```yaml
title: Replace the HL7 interface engine
steps: [...]
# when may the change happen?
```

## Fix
```yaml
window:
  start: 2026-11-28T22:00:00Z
  end: 2026-11-29T04:00:00Z      # or: duration: 6h
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let plan = cx.plan;
    if plan.window.is_none() && !plan.is_invalid("window") {
        out.push(
            RULE.diag(plan_anchor(plan), "the plan has no `window`: timing checks are skipped")
                .help("add `window: {start: <RFC 3339 time>, end: <RFC 3339 time>}` (or `duration` instead of `end`)"),
        );
    }
}
