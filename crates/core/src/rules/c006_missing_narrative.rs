//! C006 missing-narrative: the plan does not explain itself.

use super::{Context, Rule, plan_anchor};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "C006",
    name: "missing-narrative",
    severity: Severity::Warning,
    summary: "any of `purpose`, `reason`, `current_state`, `future_state`, `monitoring` is missing (one diagnostic, listing them)",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
The plan explains the change to the people approving it: its `purpose` (what
is being changed), `reason` (why), `current_state` (how things are now),
`future_state` (how they will be) and `monitoring` (how the new state will be
watched). One finding lists all that are missing.

## Why it matters
Approvers can only judge what they understand. These five answers are what a
change board asks for; writing them down also makes the author check that the
change is worth its risk.

## Example
```yaml
title: Replace the HL7 interface engine
purpose: Route ADT messages through the new engine
# reason, current_state, future_state and monitoring are missing
```

## Fix
Add the missing fields, a sentence each.
"#;

const FIELDS: [&str; 5] = ["purpose", "reason", "current_state", "future_state", "monitoring"];

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let plan = cx.plan;
    let values = [&plan.purpose, &plan.reason, &plan.current_state, &plan.future_state, &plan.monitoring];
    let missing: Vec<String> = FIELDS
        .iter()
        .zip(values)
        .filter(|(field, value)| value.is_none() && !plan.is_invalid(field))
        .map(|(field, _)| format!("`{field}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = match missing.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    out.push(RULE.diag(plan_anchor(plan), format!("the plan does not explain itself: {list} missing")).help(
        "approvers need the purpose, the reason, how things are now and will be, and how the change is monitored",
    ));
}
