//! T004 low-confidence: Monte Carlo says a rollback fits too rarely.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "T004",
    name: "low-confidence",
    severity: Severity::Warning,
    summary: "Monte Carlo: some failure point fits in fewer runs than `rollback.confidence`",
    docs: super::docs(DOCS),
    check: Some(check),
};

/// The confidence asked for when the plan does not say.
pub const DEFAULT_CONFIDENCE: f64 = 0.9;

const DOCS: &str = r#"## What it checks
Draws every three-point duration (`[best, likely, worst]`) from a PERT
distribution, many times, and checks that from every failure point the
rollback fits in at least the share of runs `rollback.confidence` asks for
(0.9 when not given). Points whose rollback does not fit even with likely
durations are T002's; points past an irreversible step have no way back. Lint
uses 1,000 runs from seed 1 (fewer for plans of over 150 steps: 150,000
step evaluations in all, at least 15 runs), so its output is the same every
time; `retreat simulate` runs 10,000 by default.

## Why it matters
Likely durations are what happens on a good night. A rollback that fits only
when every undo goes to plan is a gamble: the worst cases of a few steps on
the same chain are enough to breach the window.

## Example
```yaml
rollback: { decide: 10m, confidence: 0.95, verify: { do: Re-run the checks, takes: 20m } }
steps:
  - id: switch
    do: Point the listener at the new engine
    takes: [10m, 15m, 40m]
    undo: { do: Point it back and re-import the routes, takes: [10m, 20m, 2h] }
```

## Fix
Narrow the spread of the slow undos (rehearse them, script them), move the
go/no-go earlier so less is left to undo, or accept the risk explicitly with a
lower `rollback.confidence`.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(sim) = cx.sim else { return };
    let Some(mc) = &sim.monte_carlo else { return };
    let asked = cx.plan.rollback.as_ref().and_then(|r| r.confidence);
    let wanted = asked.unwrap_or(DEFAULT_CONFIDENCE);
    let mut low = sim.points.iter().zip(&mc.p_rollback_fits).filter(|(p, share)| p.fits && **share < wanted);
    let Some((first, share)) = low.next() else { return };
    let later = low.count();
    let step = &cx.plan.steps[first.step];
    let source = if asked.is_some() { "`rollback.confidence`" } else { "the default; set `rollback.confidence`" };
    let mut message = format!(
        "if `{}` fails, the rollback fits in the window in only {:.1}% of {} simulated runs; the plan asks for {:.0}% ({source})",
        step.id(),
        share * 100.0,
        mc.runs,
        wanted * 100.0
    );
    if later > 0 {
        message.push_str(&format!("; {later} later point{} fall short too", if later == 1 { "" } else { "s" }));
    }
    out.push(
        RULE.diag(step.anchor(), message)
            .step(step.id())
            .help("narrow the worst cases of the undos on the chain, or decide go/no-go earlier"),
    );
}
