//! T003 missing-estimate: a scheduled step or an undo has no `takes`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Kind, Phase};
use crate::units::format_duration;

pub static RULE: Rule = Rule {
    code: "T003",
    name: "missing-estimate",
    severity: Severity::Warning,
    summary: "a scheduled step or an undo has no `takes`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every step scheduled in the window (`implement` and `verify`), every undo that
a rollback may run (of `change` steps outside `post`) and the rollback's
`verify` say how long they take.

## Why it matters
Timing checks are only as good as the estimates. A step without one counts as
taking no time; an undo without one counts as taking as long as its step,
which is often wrong: re-importing data is slower than switching a pointer.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine
  takes: 15m
  undo: Point the listener back and re-import the route table   # how long?
```

## Fix
Add `takes`. When unsure, give three points, `takes: [10m, 20m, 45m]` (best,
likely, worst): the Monte Carlo simulation uses the spread.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for step in &cx.plan.steps {
        if step.phase.is_scheduled() && step.takes.is_none() && !step.is_invalid("takes") {
            out.push(
                RULE.diag(
                    step.anchor(),
                    format!("step `{}` has no `takes`: the schedule counts it as taking no time", step.id()),
                )
                .step(step.id())
                .help("add `takes: <duration>`, or three points `[best, likely, worst]`"),
            );
        }
        let Some(undo) = &step.undo else { continue };
        if step.kind != Kind::Change
            || step.phase == Phase::Post
            || undo.takes.is_some()
            || undo.invalid.contains(&"takes")
        {
            continue;
        }
        let counted = match step.takes {
            Some(t) => format!("it counts as the step's own {}", format_duration(t.likely())),
            None => "it counts as taking no time".to_string(),
        };
        out.push(
            RULE.diag(undo.span, format!("the undo of `{}` has no `takes`: {counted}", step.id()))
                .step(step.id())
                .help("add `takes` to the undo: undoing often takes longer than doing"),
        );
    }
    if let Some(verify) = cx.plan.rollback.as_ref().and_then(|r| r.verify.as_ref())
        && verify.takes.is_none()
        && !verify.invalid.contains(&"takes")
    {
        out.push(
            RULE.diag(verify.span, "`rollback.verify` has no `takes`: it counts as taking no time")
                .help("add `takes` to `rollback.verify`"),
        );
    }
}
