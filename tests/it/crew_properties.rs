//! Properties of the simulator with crews (contract, section 5) on random
//! plans, held against a schedule worked out as the contract words it: each
//! step in turn, at the earliest moment its owner has a free place for its
//! whole duration, found by trying every moment an earlier step of that
//! owner ends (so any gap counts).

use proptest::prelude::*;
use retreat_core::sim::{FailurePoint, Simulation};
use retreat_core::{Analysis, model::Phase};

use crate::properties::{Step, analysis, leftovers_timed, plan, render};

/// Owners `O0` to `O3`, or none.
const OWNERS: usize = 4;

/// A random plan's owners: per step its own (index into `O0..`, or none) and
/// its undo's; and per owner a crew entry (or none), and a `"*"` entry.
#[derive(Clone, Debug)]
struct Owners {
    step: Vec<Option<usize>>,
    undo: Vec<Option<usize>>,
    crew: Vec<Option<u32>>,
    rest: Option<u32>,
}

fn owners() -> impl Strategy<Value = Owners> {
    let owner = || prop::option::weighted(0.8, 0..OWNERS);
    (
        prop::collection::vec(owner(), 25),
        prop::collection::vec(prop::option::weighted(0.3, 0..OWNERS), 25),
        prop::collection::vec(prop::option::of(1u32..4), OWNERS),
        prop::option::of(1u32..3),
    )
        .prop_map(|(step, undo, crew, rest)| Owners { step, undo, crew, rest })
}

/// `render`'s plan with owners and a crew.
fn with_crew(steps: &[Step], owners: &Owners, crew: &str, uncertain: bool) -> String {
    let mut text = render(steps, uncertain, false);
    for i in (0..steps.len()).rev() {
        if let Some(o) = owners.step[i] {
            text = text.replacen(&format!("  - id: s{i}\n"), &format!("  - id: s{i}\n    owner: O{o}\n"), 1);
        }
        if let Some(o) = owners.undo[i] {
            let undo = format!("    undo: {{do: Undo step number {i}, ");
            text = text.replacen(&undo, &format!("{undo}owner: O{o}, "), 1);
        }
    }
    format!("{text}crew: {crew}\n")
}

fn crew_of(owners: &Owners) -> String {
    let mut entries: Vec<String> = (0..OWNERS).filter_map(|o| owners.crew[o].map(|c| format!("O{o}: {c}"))).collect();
    entries.extend(owners.rest.map(|c| format!("\"*\": {c}")));
    format!("{{{}}}", entries.join(", "))
}

fn owner_of_step(a: &Analysis, x: usize) -> Option<&str> {
    a.plan.steps[x].owner.as_ref().map(|o| o.as_str())
}

fn owner_of_undo(a: &Analysis, x: usize) -> Option<&str> {
    let step = &a.plan.steps[x];
    step.undo.as_ref().and_then(|u| u.owner.as_ref()).map(|o| o.as_str()).or(owner_of_step(a, x))
}

fn places(a: &Analysis, owner: Option<&str>) -> Option<u32> {
    a.plan.crew.as_ref().and_then(|c| c.capacity(owner))
}

/// The earliest moment from `ready` on at which fewer than `places` of
/// `busy` cover every moment of `[t, t + dur)`: the ready time or the end of
/// a busy interval, whichever first leaves room.
fn earliest(busy: &[(f64, f64)], places: Option<u32>, ready: f64, dur: f64) -> f64 {
    let Some(places) = places.filter(|_| dur > 0.0) else { return ready };
    let mut candidates: Vec<f64> =
        std::iter::once(ready).chain(busy.iter().map(|b| b.1).filter(|&f| f > ready)).collect();
    candidates.sort_by(f64::total_cmp);
    let in_use = |u: f64| busy.iter().filter(|b| b.0 <= u && u < b.1).count();
    let fits = |t: f64| {
        let moments = std::iter::once(t).chain(busy.iter().map(|b| b.0).filter(|&s| s > t && s < t + dur));
        moments.map(in_use).max().unwrap_or(0) < places as usize
    };
    candidates.into_iter().find(|&t| fits(t)).expect("after the last end every place is free")
}

/// A list schedule: `tasks` are `(id, duration, owner)`, `waits[i]` the
/// tasks task `i` waits for; the next is the earliest ready, ties by `tie`.
/// Returns each task's `(ready, start, finish)`.
fn list_schedule(
    a: &Analysis,
    tasks: &[(usize, f64, Option<&str>)],
    waits: &[Vec<usize>],
    tie: impl Fn(usize) -> i64,
) -> Vec<(f64, f64, f64)> {
    let mut placed: Vec<Option<(f64, f64, f64)>> = vec![None; tasks.len()];
    while let Some((ready, i)) = (0..tasks.len())
        .filter(|&i| placed[i].is_none() && waits[i].iter().all(|&w| placed[w].is_some()))
        .map(|i| (waits[i].iter().map(|&w| placed[w].map_or(0.0, |p| p.2)).fold(0.0, f64::max), i))
        .min_by(|x, y| x.0.total_cmp(&y.0).then(tie(tasks[x.1].0).cmp(&tie(tasks[y.1].0))))
    {
        let (_, dur, owner) = tasks[i];
        let busy: Vec<(f64, f64)> = (0..tasks.len())
            .filter(|&j| owner.is_some() && tasks[j].2 == owner)
            .filter_map(|j| placed[j].map(|p| (p.1, p.2)))
            .filter(|b| b.1 > b.0)
            .collect();
        let start = earliest(&busy, places(a, owner), ready, dur);
        placed[i] = Some((ready, start, start + dur));
    }
    placed.into_iter().map(|p| p.expect("an acyclic plan places every task")).collect()
}

fn scheduled(a: &Analysis, x: usize) -> bool {
    matches!(a.plan.steps[x].phase, Phase::Implement | Phase::Verify)
}

/// The forward plan worked out as the contract words it, per step (`None`
/// for prep and post).
fn forward_by_hand(a: &Analysis) -> Vec<Option<(f64, f64)>> {
    let graph = a.graph.as_ref().expect("graph");
    let ids: Vec<usize> = (0..a.plan.steps.len()).filter(|&x| scheduled(a, x)).collect();
    let at = |x: usize| ids.iter().position(|&y| y == x);
    let takes = |x: usize| a.plan.steps[x].takes.map_or(0.0, |t| t.likely().secs() as f64);
    let tasks: Vec<_> = ids.iter().map(|&x| (x, takes(x), owner_of_step(a, x))).collect();
    let waits: Vec<Vec<usize>> = ids.iter().map(|&x| graph.deps(x).filter_map(at).collect()).collect();
    let placed = list_schedule(a, &tasks, &waits, |x| x as i64);
    let mut out = vec![None; a.plan.steps.len()];
    for (k, &x) in ids.iter().enumerate() {
        out[x] = Some((placed[k].1, placed[k].2));
    }
    out
}

/// The rollback of the started set `set`, as the contract words it: per
/// step of the set, `(ready, start, finish)` after the call.
fn rollback_by_hand(a: &Analysis, sim: &Simulation, set: &[usize]) -> Vec<(usize, (f64, f64, f64))> {
    let graph = a.graph.as_ref().expect("graph");
    let tasks: Vec<_> = set
        .iter()
        .map(|&x| {
            let undone = sim.undone[x];
            (x, if undone { sim.undo_time[x] } else { 0.0 }, if undone { owner_of_undo(a, x) } else { None })
        })
        .collect();
    // An undo waits for the undos of the started steps that depend on its
    // step (of its own class); prep's wait for all the others.
    let waits: Vec<Vec<usize>> = set
        .iter()
        .map(|&x| {
            (0..set.len())
                .filter(|&k| {
                    let y = set[k];
                    let same = sim.prep[y] == sim.prep[x];
                    (same && graph.deps(y).any(|d| d == x)) || (sim.prep[x] && !sim.prep[y])
                })
                .collect()
        })
        .collect();
    let placed = list_schedule(a, &tasks, &waits, |x| -(x as i64));
    set.iter().copied().zip(placed).collect()
}

fn chain_by_hand(a: &Analysis, sim: &Simulation, set: &[usize]) -> f64 {
    rollback_by_hand(a, sim, set).iter().map(|(_, p)| p.2).fold(0.0, f64::max)
}

/// The started set at moment `t`: prep and every step started before `t`.
fn started_at(sim: &Simulation, t: f64, or_at: bool) -> Vec<usize> {
    (0..sim.prep.len())
        .filter(|&x| sim.prep[x] || sim.slots[x].is_some_and(|s| s.start < t || (or_at && s.start == t)))
        .collect()
}

/// Whether a rollback called at `t`, with what had started before, is done in the window.
fn fits_at(a: &Analysis, sim: &Simulation, t: f64, or_at: bool) -> bool {
    t + sim.decide + chain_by_hand(a, sim, &started_at(sim, t, or_at)) + sim.verify <= sim.window_length
}

/// No owner runs more at once than its crew: at each start, count the others running.
fn within_crews<'a>(
    a: &Analysis,
    runs: impl Iterator<Item = (Option<&'a str>, f64, f64)> + Clone,
) -> Result<(), String> {
    for (owner, start, finish) in runs.clone().filter(|r| r.2 > r.1) {
        let Some(places) = places(a, owner) else { continue };
        let at_once = runs.clone().filter(|r| r.0 == owner && r.2 > r.1 && r.1 <= start && start < r.2).count();
        if at_once > places as usize {
            return Err(format!("{owner:?} runs {at_once} at {start} (until {finish}), crew {places}"));
        }
    }
    Ok(())
}

fn point_id(a: &Analysis, p: &FailurePoint) -> String {
    a.plan.steps[p.step].id().to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// A rollback the crews limit writes each resource in its timetable's
    /// order (the undo nothing starts after wins; of several running at
    /// once, the first started); one they do not limit keeps the rule
    /// without crews.
    #[test]
    fn leftovers_follow_each_rollbacks_crew_schedule(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let sim = a.simulation.as_ref().expect("sim");
        for p in &sim.points {
            let set = sim.started(p);
            let limited = (0..OWNERS).any(|o| {
                let owner = format!("O{o}");
                let undos = set.iter().filter(|&&x| sim.undone[x] && owner_of_undo(&a, x) == Some(owner.as_str())).count();
                places(&a, Some(owner.as_str())).is_some_and(|c| undos > c as usize)
            });
            let times: std::collections::HashMap<usize, (f64, f64)> =
                rollback_by_hand(&a, sim, set).into_iter().map(|(x, t)| (x, (t.1, t.2))).collect();
            let expected = leftovers_timed(&a, sim, p, |x| if limited { times[&x] } else { (0.0, 0.0) });
            let got: Vec<_> = sim.leftovers(p).into_iter().map(|l| (l.resource, l.state, l.baseline, l.set_by, l.by_undo)).collect();
            prop_assert_eq!(got, expected, "{} limited: {}", point_id(&a, p), limited);
        }
    }

    #[test]
    fn crew_schedules_are_the_list_schedules_the_contract_describes(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let (sim, graph) = (a.simulation.as_ref().expect("sim"), a.graph.as_ref().expect("graph"));
        let slots: Vec<Option<(f64, f64)>> = sim.slots.iter().map(|s| s.map(|s| (s.start, s.finish))).collect();
        prop_assert_eq!(&slots, &forward_by_hand(&a));
        for p in &sim.points {
            let by_hand = rollback_by_hand(&a, sim, sim.started(p));
            let chain = by_hand.iter().map(|(_, t)| t.2).fold(0.0, f64::max);
            prop_assert_eq!(p.chain, chain, "point {}", point_id(&a, p));
            prop_assert_eq!(p.done, p.fail + sim.decide + p.chain + sim.verify);
            let run = sim.rollback(graph, p);
            for u in &run.undos {
                let (_, (_, start, finish)) = by_hand.iter().find(|(x, _)| *x == u.step).expect("undone steps started");
                prop_assert_eq!((u.start, u.finish), (run.called + start, run.called + finish), "undo {}", u.step);
            }
            prop_assert_eq!(run.verify_start, run.called + p.chain);
        }
    }

    #[test]
    fn the_deadline_is_the_end_of_the_moments_that_fit_from_the_start(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let sim = a.simulation.as_ref().expect("sim");
        let no_return = (0..sim.slots.len())
            .filter(|&x| a.plan.steps[x].irreversible.is_some() && scheduled(&a, x))
            .filter_map(|x| sim.slots[x].map(|s| s.start))
            .fold(f64::INFINITY, f64::min);
        let prep_irreversible = (0..sim.prep.len()).any(|x| sim.prep[x] && a.plan.steps[x].irreversible.is_some());
        match sim.deadline {
            None => prop_assert!(prep_irreversible || !fits_at(&a, sim, 0.0, false)),
            Some(deadline) => {
                prop_assert!(!prep_irreversible && deadline <= no_return);
                // Every moment up to it fits: the worst of each stretch
                // between two starts is its end.
                let mut ends: Vec<f64> = sim.slots.iter().flatten().map(|s| s.start).filter(|&t| t <= deadline).collect();
                ends.push(0.0);
                ends.push(deadline);
                for t in ends {
                    prop_assert!(fits_at(&a, sim, t, false), "a rollback called at {} does not fit (deadline {})", t, deadline);
                }
                // And just after it, none does.
                let chain_after = chain_by_hand(&a, sim, &started_at(sim, deadline, true));
                prop_assert!(
                    deadline == no_return || deadline + sim.decide + chain_after + sim.verify >= sim.window_length,
                    "a rollback called just after {} still fits", deadline
                );
            }
        }
    }

    #[test]
    fn no_owner_runs_more_at_once_than_its_crew(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let (sim, graph) = (a.simulation.as_ref().expect("sim"), a.graph.as_ref().expect("graph"));
        let forward = (0..sim.slots.len()).filter_map(|x| sim.slots[x].map(|s| (owner_of_step(&a, x), s.start, s.finish)));
        prop_assert_eq!(within_crews(&a, forward), Ok(()));
        for p in &sim.points {
            let run = sim.rollback(graph, p);
            let undos = run.undos.iter().map(|u| (owner_of_undo(&a, u.step), u.start, u.finish));
            prop_assert_eq!(within_crews(&a, undos), Ok(()), "point {}", point_id(&a, p));
        }
    }

    #[test]
    fn every_step_and_undo_starts_after_what_it_waits_for(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let (sim, graph) = (a.simulation.as_ref().expect("sim"), a.graph.as_ref().expect("graph"));
        for x in 0..sim.slots.len() {
            let Some(slot) = sim.slots[x] else { continue };
            for d in graph.deps(x) {
                if let Some(dep) = sim.slots[d] {
                    prop_assert!(slot.start >= dep.finish, "{} starts at {} before {} ends at {}", x, slot.start, d, dep.finish);
                }
            }
        }
        for p in &sim.points {
            let run = sim.rollback(graph, p);
            let end = |x: usize| run.undos.iter().find(|u| u.step == x).map(|u| u.finish);
            for u in &run.undos {
                prop_assert!(u.start >= run.called);
                // The undos of the started steps that depend on it, directly.
                for y in graph.dependents(u.step).filter(|&y| sim.prep[y] == sim.prep[u.step]) {
                    if let Some(finish) = end(y) {
                        prop_assert!(u.start >= finish, "undo {} starts before undo {} ends", u.step, y);
                    }
                }
                if sim.prep[u.step] {
                    let rest = run.undos.iter().filter(|v| !sim.prep[v.step]).map(|v| v.finish).fold(run.called, f64::max);
                    prop_assert!(u.start >= rest, "prep undo {} starts before the others end", u.step);
                }
            }
        }
    }

    #[test]
    fn crews_never_make_anything_earlier(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let sim = a.simulation.as_ref().expect("sim");
        let unlimited = sim.uncrewed_forward_finish.expect("the plan has a crew");
        prop_assert!(sim.forward_finish >= unlimited, "{} < {}", sim.forward_finish, unlimited);
        let without = analysis(&render(&steps, false, false), 1, 1);
        prop_assert_eq!(Some(unlimited), without.simulation.as_ref().map(|s| s.forward_finish));
        for p in &sim.points {
            prop_assert!(p.uncrewed_chain.is_some_and(|u| p.chain >= u), "point {}", point_id(&a, p));
        }
    }

    #[test]
    fn a_crew_as_large_as_the_plan_changes_no_figure(steps in plan(), owners in owners(), seed in any::<u64>()) {
        let big = steps.len() as u32;
        let everyone = Owners { crew: vec![Some(big); OWNERS], rest: Some(big), ..owners.clone() };
        let with = analysis(&with_crew(&steps, &everyone, &crew_of(&everyone), true), 30, seed);
        let without = analysis(&with_crew(&steps, &owners, "{}", true), 30, seed);
        let (w, o) = (with.simulation.as_ref().expect("sim"), without.simulation.as_ref().expect("sim"));
        prop_assert_eq!((&w.slots, w.forward_finish, &w.critical_path), (&o.slots, o.forward_finish, &o.critical_path));
        prop_assert_eq!((w.deadline, &w.started_order, &w.monte_carlo), (o.deadline, &o.started_order, &o.monte_carlo));
        for (p, q) in w.points.iter().zip(&o.points) {
            prop_assert_eq!(p, q);
        }
    }

    #[test]
    fn with_crews_the_same_seed_gives_the_same_result(steps in plan(), owners in owners(), seed in any::<u64>()) {
        let text = with_crew(&steps, &owners, &crew_of(&owners), true);
        let once = analysis(&text, 40, seed).simulation.and_then(|s| s.monte_carlo);
        prop_assert_eq!(&once, &analysis(&text, 40, seed).simulation.and_then(|s| s.monte_carlo));
        prop_assert_eq!(once.map(|m| m.runs), Some(40));
    }

    #[test]
    fn with_crews_and_fixed_durations_monte_carlo_is_the_deterministic_answer(steps in plan(), owners in owners()) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 30, 3);
        let sim = a.simulation.as_ref().expect("sim");
        let mc = sim.monte_carlo.as_ref().expect("mc");
        prop_assert_eq!(mc.p_forward_fits, if sim.forward_fits { 1.0 } else { 0.0 });
        for (p, share) in sim.points.iter().zip(&mc.p_rollback_fits) {
            prop_assert_eq!(*share, if p.fits { 1.0 } else { 0.0 }, "point {}", point_id(&a, p));
        }
    }

    #[test]
    fn a_log_as_planned_gives_the_crewed_plans_figures(steps in plan(), owners in owners(), share in 0.0f64..1.2) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let (graph, sim) = (a.graph.as_ref().expect("graph"), a.simulation.as_ref().expect("window"));
        let cut = (sim.forward_finish * share).floor();
        let record = crate::live::properties::as_planned(sim, a.plan.steps.len(), cut);
        let f = retreat_core::live::forecast(&a.plan, graph, sim, &record).expect("forecast");
        for s in &f.steps {
            let planned = sim.slots[s.step].expect("scheduled");
            prop_assert_eq!((s.start, s.finish), (planned.start, planned.finish), "step {}", s.step);
        }
        prop_assert_eq!(f.forward_finish, sim.forward_finish);
        // Every point ahead is the plan's own, its rollback the crews'.
        for p in &f.points {
            let planned = sim.points.iter().find(|q| q.step == p.step).expect("a point");
            prop_assert_eq!((p.fail, p.chain, p.done), (planned.fail, planned.chain, planned.done), "step {}", p.step);
        }
        if !f.rollback_now.no_way_back {
            let set = started_at(sim, cut, true);
            prop_assert_eq!(f.rollback_now.chain, chain_by_hand(&a, sim, &set));
        }
    }

    #[test]
    fn a_called_rollback_is_the_crews_rollback_of_what_ran(steps in plan(), owners in owners(), share in 0.0f64..1.2) {
        let a = analysis(&with_crew(&steps, &owners, &crew_of(&owners), false), 1, 1);
        let (graph, sim) = (a.graph.as_ref().expect("graph"), a.simulation.as_ref().expect("window"));
        let cut = (sim.forward_finish * share).floor();
        let mut record = crate::live::properties::as_planned(sim, a.plan.steps.len(), cut);
        record.rollback_called = Some(cut);
        let r = retreat_core::live::rollback(&a.plan, graph, sim, &record).expect("called");
        if !r.no_way_back {
            let chain = chain_by_hand(&a, sim, &started_at(sim, cut, true));
            let by_hand = cut + sim.decide + chain + sim.verify;
            prop_assert!((r.planned_done - by_hand).abs() < 1e-6, "{} {}", r.planned_done, by_hand);
            prop_assert!((r.done - r.planned_done).abs() < 1e-6, "{} {}", r.done, r.planned_done);
        }
    }
}
