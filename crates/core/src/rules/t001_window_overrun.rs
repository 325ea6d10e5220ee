//! T001 window-overrun: the scheduled steps finish after the window ends.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::sim::say;

pub static RULE: Rule = Rule {
    code: "T001",
    name: "window-overrun",
    severity: Severity::Error,
    summary: "the scheduled steps finish after the window ends",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Schedules every `implement` and `verify` step at its earliest start from the
window's start (a step starts when everything in its `after` has finished;
prep is already done), using each step's `takes` (the `likely` point of a
three-point estimate), and checks that the last one finishes by the window's
end.

## Why it matters
A window is chosen for when the change causes least disruption, when enough
support is at hand and when there is time for post-implementation testing. A
plan that does not fit even when every step goes as expected will breach it,
and a breached window upsets the people who agreed to it.

## Example
```yaml
window: { start: 2026-12-05T22:00:00Z, duration: 2h }
steps:
  - id: migrate
    do: Copy the results database to the new array
    takes: 3h
```

## Fix
Run independent steps in parallel (`after: []` or `after:` naming only what
each really waits for), move work to `prep`, shorten steps, or ask for a
longer window.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(sim) = cx.sim else { return };
    if sim.forward_fits {
        return;
    }
    let over = sim.forward_finish - sim.window_length;
    let mut d = RULE.diag(
        sim.window.end_span,
        format!(
            "the scheduled steps finish at {}, {} after the window closes at {}",
            sim.clock(sim.forward_finish),
            say(over),
            sim.clock(sim.window_length)
        ),
    );
    if let Some(&last) = sim.critical_path.last() {
        let path: Vec<&str> = sim.critical_path.iter().map(|&i| cx.plan.steps[i].id()).collect();
        d = d.step(cx.plan.steps[last].id()).help(format!(
            "the longest chain is {}; run independent steps in parallel, move work to prep, or widen the window",
            path.join(" -> ")
        ));
    }
    out.push(d);
}
