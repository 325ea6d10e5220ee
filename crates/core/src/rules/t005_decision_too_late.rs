//! T005 decision-too-late: a go/no-go after the rollback deadline.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "T005",
    name: "decision-too-late",
    severity: Severity::Error,
    summary: "a `decision` step finishes after the rollback deadline",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every scheduled `decision` step finishes no later than the rollback deadline:
the latest moment at which a rollback can still be called and be done,
verified, inside the window (`T + decide + chain(T) + verify <= window end`,
where `chain(T)` is the longest chain of undos for everything started before
`T`, and before any irreversible step).

## Why it matters
A go/no-go call after the deadline is no decision: if it says "no-go", there
is no longer time to roll back. Being prepared to roll back means knowing the
latest moment you can, and deciding before it.

## Example
```yaml
window: { start: 2026-12-05T22:00:00Z, duration: 2h }
steps:
  - id: migrate
    do: Copy the results database to the new array
    takes: 50m
    undo: { do: Point the service back at the old array, takes: 40m }
  - id: go-no-go
    kind: decision
    do: Go/no-go call with the lab manager, based on the row counts
    takes: 20m      # ends at 23:10; a rollback must be called by 23:00
```

## Fix
Move the decision earlier (check less before it, or split the change so the
decision comes before the slow part), make the rollback quicker, or widen the
window.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(sim) = cx.sim else { return };
    for (i, step) in cx.plan.steps.iter().enumerate() {
        let Some(slot) = sim.slots[i] else { continue };
        if step.kind != Kind::Decision {
            continue;
        }
        let message = match sim.deadline {
            Some(t) if slot.finish <= t => continue,
            Some(t) => format!(
                "the go/no-go `{}` ends at {}, after {}, the last moment a rollback can be called and still finish in the window",
                step.id(),
                sim.clock(slot.finish),
                sim.clock(t)
            ),
            None => format!(
                "the go/no-go `{}` can never be in time: no moment of the window leaves room for a complete rollback",
                step.id()
            ),
        };
        out.push(
            RULE.diag(step.anchor(), message)
                .step(step.id())
                .help("decide earlier, make the rollback quicker, or widen the window"),
        );
    }
}
