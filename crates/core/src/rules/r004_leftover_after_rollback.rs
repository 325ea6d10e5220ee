//! R004 leftover-after-rollback: a rollback leaves something off its baseline.

use std::collections::{HashMap, HashSet};

use super::{Context, Rule, preceded_by_any};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::model::{Kind, StateSet, Step, Symbol};
use crate::sim::Simulation;

pub static RULE: Rule = Rule {
    code: "R004",
    name: "leftover-after-rollback",
    severity: Severity::Error,
    summary: "some failure point leaves a resource off its baseline; reported on the step that set it",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Simulates the system's state through every failure point: it starts at
`baseline` (resources not listed there are `absent`), every started step
applies its `sets` in schedule order, and the rollback applies each undo's
`sets` in rollback order. Any resource that does not end where it began is a
leftover, reported on the step that set it (a `change` with no undo at all
is left to R001). Two undos that may run at the same time and set one
resource to different states are reported too, and so are two that one
owner with one place takes in turn, when nothing orders them.

With `crew`, a rollback the crews limit runs to its crew schedule, and that
schedule orders its undos: of those that set one resource, the one that ends
last sets it last.

## Why it matters
Roll back completely. "Temporary" things left in place for the next attempt
cause confusion at best, and corrupt live data at worst when someone tests
against them later. A rollback that is not complete has not restored the
status quo.

## Example
```yaml
baseline: { test-routes: absent }
steps:
  - id: add-test-routes
    do: Add the test routes to the new engine
    sets: { test-routes: present }
    undo: Leave the test routes for the next attempt     # sets nothing back
```

## Fix
Make the undo restore the baseline and say so:
```yaml
    undo:
      do: Delete the test routes from the new engine
      sets: { test-routes: absent }
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(sim) = cx.sim else { return };
    let steps = &cx.plan.steps;
    let mut reported: HashSet<(usize, &str)> = HashSet::new();
    // The first point that has each leftover: reading every point's would
    // take points × resources.
    let leftovers = sim.first_leftovers();
    for (point, left) in &leftovers {
        let point = &sim.points[*point];
        if !reported.insert((left.set_by, left.resource.as_str())) {
            continue;
        }
        let setter = &steps[left.set_by];
        // A change with no undo at all is R001's finding; its leftovers follow from it.
        if !left.by_undo && setter.undo.is_none() && setter.kind == Kind::Change {
            continue;
        }
        let failing = &steps[point.step];
        let (who, span, help) = if left.by_undo {
            (
                format!("the undo of `{}` sets it to `{}`", setter.id(), left.state),
                undo_entry(setter, &left.resource),
                format!("make the undo of `{}` set `{}: {}`", setter.id(), left.resource, left.baseline),
            )
        } else {
            let help = if setter.undo.is_some() {
                format!("add `sets: {{{}: {}}}` to the undo of `{}`", left.resource, left.baseline, setter.id())
            } else {
                format!("give `{}` an undo that sets `{}` back to `{}`", setter.id(), left.resource, left.baseline)
            };
            (format!("`{}` sets it and no undo sets it back", setter.id()), entry(&setter.sets, &left.resource), help)
        };
        out.push(
            RULE.diag(
                span.unwrap_or(setter.anchor()),
                format!(
                    "if `{}` fails at {}, the rollback leaves `{}` `{}` instead of its baseline `{}`: {who}",
                    failing.id(),
                    sim.clock(point.fail),
                    left.resource,
                    left.state,
                    left.baseline
                ),
            )
            .step(setter.id())
            .help(help),
        );
    }
    parallel_undos(cx, sim, out);
}

/// Undos that may run at the same time and set one resource differently.
fn parallel_undos(cx: &Context<'_>, sim: &Simulation, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    let mut writers: HashMap<Symbol, Vec<usize>> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if sim.undone[i] {
            for set in step.undo.iter().flat_map(|u| &u.sets) {
                writers.entry(set.resource_symbol).or_default().push(i);
            }
        }
    }
    let mut ancestry = cx.graph.ancestry();
    let mut resources: Vec<_> = writers.into_iter().filter(|(_, w)| w.len() > 1).collect();
    resources.sort_unstable();
    for (symbol, mut writers) in resources {
        let resource = cx.plan.symbol(symbol);
        crate::order::sort_by_key(&mut writers, |&i| (cx.graph.pos[i] as u64, 0));
        for pair in writers.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let state = |i: usize| undo_state(&steps[i], resource).unwrap_or_default();
            // Cheap test first: the same state either way is no conflict.
            if state(a) == state(b) || preceded_by_any(cx, &mut ancestry, b, &[a]) {
                continue;
            }
            // With one place for the owner of both, they cannot overlap,
            // but which of them the owner takes last is still not planned.
            let owner = steps[a].undo_owner().filter(|&o| Some(o) == steps[b].undo_owner());
            let one_place = owner.filter(|&o| cx.plan.crew.as_ref().and_then(|c| c.capacity(Some(o))) == Some(1));
            let (ia, ib, sa, sb) = (steps[a].id(), steps[b].id(), state(a), state(b));
            let message = match one_place {
                Some(owner) => format!(
                    "the undos of `{ia}` and `{ib}` set `{resource}` to `{sa}` and `{sb}`, and nothing orders them: `{owner}` takes them one at a time, and which one wins is left to chance"
                ),
                None => format!(
                    "the undos of `{ia}` and `{ib}` can run at the same time and set `{resource}` to `{sa}` and `{sb}`: which one wins is left to chance"
                ),
            };
            out.push(
                RULE.diag(undo_entry(&steps[b], resource).unwrap_or(steps[b].anchor()), message)
                    .step(ib)
                    .help(format!("make `{ib}` wait for `{ia}`, or leave `{resource}` to one of the two undos")),
            );
        }
    }
}

fn entry(states: &[StateSet], resource: &str) -> Option<Span> {
    states.iter().find(|s| s.resource.as_str() == resource).map(|s| s.resource.span)
}

fn undo_entry(step: &Step, resource: &str) -> Option<Span> {
    step.undo.as_ref().and_then(|u| entry(&u.sets, resource))
}

fn undo_state<'s>(step: &'s Step, resource: &str) -> Option<&'s str> {
    step.undo.as_ref()?.sets.iter().find(|s| s.resource.as_str() == resource).map(|s| s.state.as_str())
}
