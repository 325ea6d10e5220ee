//! T002 rollback-overrun: from some failure point the rollback ends after the window.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::sim::say;

pub static RULE: Rule = Rule {
    code: "T002",
    name: "rollback-overrun",
    severity: Severity::Error,
    summary: "from some failure point a complete rollback ends after the window",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
For every scheduled step, a failure just as it would finish: the rollback is
called `rollback.decide` later, undoes every started change (undos that
depend on each other in order, the rest in parallel) and is verified
(`rollback.verify`'s `takes`). The rollback must be done by the window's end.
Reported once, at the first point it does not fit, with a count of the later
ones. Points past an irreversible step have no way back and are not counted.

## Why it matters
A rollback that no longer fits once half the window is spent is the trap
this tool exists for: the later a failure, the more there is to undo and the
less time to undo it in. Knowing where that happens tells the team when the
last safe go/no-go is.

## Example
```yaml
window: { start: 2026-12-05T22:00:00Z, duration: 3h }
rollback: { decide: 10m, verify: { do: Re-run the baseline checks, takes: 20m } }
steps:
  - id: migrate
    do: Copy the results database to the new array
    takes: 1h30m
    undo: { do: Restore the database from last night's backup, takes: 1h30m }
```

## Fix
Put the go/no-go decision before the rollback deadline the simulation shows,
make the undos on the longest chain quicker or independent of each other, or
ask for a longer window.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(sim) = cx.sim else { return };
    let mut overruns = sim.points.iter().filter(|p| !p.no_way_back && !p.fits);
    let Some(first) = overruns.next() else { return };
    let later = overruns.count();
    let step = &cx.plan.steps[first.step];
    let mut message = format!(
        "if `{}` fails at {}, the rollback is done at {}, {} after the window closes",
        step.id(),
        sim.clock(first.fail),
        sim.clock(first.done),
        say(-first.margin)
    );
    if later > 0 {
        message.push_str(&format!(" (and from {later} later point{} too)", if later == 1 { "" } else { "s" }));
    }
    let help = match sim.deadline {
        Some(t) => format!(
            "a rollback can be called until {}: decide go/no-go before then, shorten the undos, or widen the window",
            sim.clock(t)
        ),
        None => {
            "no moment of the window leaves time for a complete rollback: shorten the undos or widen the window".into()
        }
    };
    out.push(RULE.diag(step.anchor(), message).step(step.id()).help(help));
}
