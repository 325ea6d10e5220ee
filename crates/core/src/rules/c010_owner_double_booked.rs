//! C010 owner-double-booked: two scheduled steps of one owner overlap in
//! time and no `crew` entry covers that owner (contract, section 5). Also
//! here, since it is the same mistake seen from the crew's side: a `crew`
//! entry naming an owner no step has (a typo leaves the owner it meant
//! unlimited).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::{Context, Rule};
use crate::diagnostic::{Data, Diagnostic, Severity};
use crate::model::Crew;
use crate::sim::Slot;

pub static RULE: Rule = Rule {
    code: "C010",
    name: "owner-double-booked",
    severity: Severity::Warning,
    summary: "two scheduled steps of one owner overlap and no `crew` entry covers that owner (section 5)",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
That no owner is scheduled to run two steps at the same time, unless the
plan's `crew` says that owner has the hands for it. One finding per owner,
at the later of the first two steps that overlap, with the overlap in
minutes. It also reports a `crew` entry that names an owner no step or
undo has (most often a typo), with the closest owner the plan does have.

## Why it matters
Without `crew`, Retreat assumes unlimited hands: two steps that could run
in parallel are counted in parallel, even when the same DBA has to do both.
A window (or a rollback) that fits only because one person is assumed to be
in two places is the false comfort a rehearsal would have exposed.

## Example
```yaml
steps:
  - id: export-orders
    owner: DBA
    takes: 30m
  - id: export-results    # also starts at 0: the DBA is double-booked
    owner: DBA
    takes: 20m
```

## Fix
Say how many steps the owner can run at once, and Retreat schedules them
that way (the second export then waits for the first):
```yaml
crew: { DBA: 1 }
```
Or give the steps different owners, or order them with `after`.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(crew) = &cx.plan.crew {
        unknown_owners(cx, crew, out);
    }
    // With unknown or circular dependencies (G001, G002) the schedule is
    // not the one the author meant: its overlaps would be noise.
    let Some(sim) = cx.sim.filter(|_| cx.graph.unknown.is_empty() && cx.graph.cycles.is_empty()) else { return };
    let crew = cx.plan.crew.as_ref();
    // Each owner's scheduled steps, that no crew entry covers.
    let mut by_owner: BTreeMap<&str, Vec<(Slot, usize)>> = BTreeMap::new();
    for (i, step) in cx.plan.steps.iter().enumerate() {
        let (Some(owner), Some(Some(slot))) = (&step.owner, sim.slots.get(i)) else { continue };
        if crew.is_none_or(|c| c.capacity(Some(&owner.value)).is_none()) {
            by_owner.entry(&owner.value).or_default().push((*slot, i));
        }
    }
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    for (owner, mut steps) in by_owner {
        let Some(clash) = first_overlap(&mut steps) else { continue };
        let (earlier, later) = (&cx.plan.steps[clash.earlier], &cx.plan.steps[clash.later]);
        let message = format!(
            "`{owner}` runs `{}` and `{}` at the same time: they overlap by {} (from {})",
            earlier.id(),
            later.id(),
            crate::sim::say(clash.overlap),
            sim.clock(clash.from),
        );
        let help = format!(
            "if `{owner}` can run {} steps at once, declare it: `crew: {{ {}: {} }}`; else give the steps different owners, or order them with `after`",
            clash.peak,
            yaml_key(owner),
            clash.peak
        );
        let data = Data::DoubleBooked { owner: owner.to_string(), peak: u32::try_from(clash.peak).unwrap_or(u32::MAX) };
        found.push((clash.later, RULE.diag(later.anchor(), message).step(later.id()).help(help).data(data)));
    }
    // In the order of the steps they point at.
    crate::order::sort_by_key(&mut found, |(step, _)| (*step as u64, 0));
    out.extend(found.into_iter().map(|(_, d)| d));
}

/// The first two steps of one owner that overlap, and how many of its steps
/// run at once at the busiest moment.
struct Clash {
    earlier: usize,
    later: usize,
    /// When the overlap starts, and how long it lasts (seconds).
    from: f64,
    overlap: f64,
    peak: usize,
}

/// `steps` in any order; sorts them by start (ties in list order).
fn first_overlap(steps: &mut Vec<(Slot, usize)>) -> Option<Clash> {
    crate::order::sort_by_key(steps, |(slot, i)| (crate::order::f64_key(slot.start), *i as u64));
    let mut clash: Option<Clash> = None;
    // The step running so far that finishes last.
    let mut longest: Option<(Slot, usize)> = None;
    // Finish times of the steps running (their bits: times are never
    // negative, so the bits order them), soonest on top, for the peak.
    let mut running: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut peak = 0;
    for &(slot, i) in steps.iter() {
        if slot.finish <= slot.start {
            continue; // takes no time: overlaps nothing
        }
        while running.peek().is_some_and(|&Reverse(f)| f64::from_bits(f) <= slot.start) {
            running.pop();
        }
        running.push(Reverse(slot.finish.to_bits()));
        peak = peak.max(running.len());
        if let Some((other, j)) = longest
            && clash.is_none()
            && other.finish > slot.start
        {
            let overlap = other.finish.min(slot.finish) - slot.start;
            clash = Some(Clash { earlier: j, later: i, from: slot.start, overlap, peak: 0 });
        }
        if longest.is_none_or(|(l, _)| slot.finish > l.finish) {
            longest = Some((slot, i));
        }
    }
    clash.map(|c| Clash { peak, ..c })
}

/// `owner` as a YAML key: quoted unless it is plain words.
fn yaml_key(owner: &str) -> String {
    let plain = owner.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
        && owner.starts_with(|c: char| c.is_alphabetic());
    if plain { owner.to_string() } else { format!("{owner:?}") }
}

/// A `crew` entry naming an owner that no step or undo has.
fn unknown_owners(cx: &Context<'_>, crew: &Crew, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    let owners: BTreeSet<&str> = steps
        .iter()
        .flat_map(|s| [s.owner.as_ref(), s.undo.as_ref().and_then(|u| u.owner.as_ref())])
        .flatten()
        .map(|o| o.value.as_str())
        .collect();
    let known: Vec<&str> = owners.iter().copied().collect();
    for entry in &crew.entries {
        let name = entry.owner.value.as_str();
        if name == Crew::EVERYONE_ELSE || owners.contains(name) {
            continue;
        }
        let closest = crate::text::closest(name, &known);
        let message = match closest {
            Some(c) => format!("`crew` names `{name}`, which no step has as owner (did you mean `{c}`?)"),
            None => format!("`crew` names `{name}`, which no step has as owner"),
        };
        let help = match closest {
            Some(c) => format!("write the owner as the steps do: `{c}`; as it is, `{c}`'s steps are not limited"),
            None => {
                "write the owner as the steps' `owner` does (case and spaces count), or remove the entry".to_string()
            }
        };
        out.push(RULE.diag(entry.owner.span, message).help(help));
    }
}
