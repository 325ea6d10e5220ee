//! Properties of the simulator on random acyclic plans (proptest).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use retreat_core::model::Symbol;
use retreat_core::sim::{FailurePoint, Settings, Simulation};
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

#[derive(Clone, Debug)]
pub(crate) struct Step {
    phase: u8,
    kind: u8,
    /// Indices into the earlier steps (taken modulo the step's position).
    after: Vec<usize>,
    takes: u32,
    spread: Option<(u32, u32)>,
    undo_takes: u32,
    undo_spread: Option<(u32, u32)>,
    sets: Vec<(u8, u8)>,
    undo_sets: Vec<(u8, u8)>,
    irreversible: bool,
}

fn step() -> impl Strategy<Value = Step> {
    (
        (0u8..10, 0u8..10, prop::collection::vec(0usize..1000, 0..3)),
        (0u32..40, prop::option::of((0u32..10, 0u32..30))),
        (0u32..40, prop::option::of((0u32..10, 0u32..30))),
        (prop::collection::vec((0u8..4, 0u8..3), 0..3), prop::collection::vec((0u8..4, 0u8..3), 0..3)),
        0u8..20,
    )
        .prop_map(
            |((phase, kind, after), (takes, spread), (undo_takes, undo_spread), (mut sets, mut undo_sets), irr)| {
                // One state per resource in each `sets`.
                for list in [&mut sets, &mut undo_sets] {
                    list.sort_unstable();
                    list.dedup_by_key(|(r, _)| *r);
                }
                Step {
                    // Mostly implement, some prep and verify.
                    phase: match phase {
                        0 => 0,
                        1 => 2,
                        _ => 1,
                    },
                    // Mostly changes.
                    kind: if kind < 6 { 0 } else { kind - 5 },
                    after,
                    takes,
                    spread,
                    undo_takes,
                    undo_spread,
                    sets,
                    undo_sets,
                    irreversible: irr == 0,
                }
            },
        )
}

pub(crate) fn plan() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 1..25)
}

const KINDS: [&str; 5] = ["change", "check", "notify", "decision", "backup"];
const PHASES: [&str; 3] = ["prep", "implement", "verify"];

fn estimate(takes: u32, spread: Option<(u32, u32)>, uncertain: bool) -> String {
    match spread.filter(|_| uncertain) {
        Some((below, above)) => format!("[{}m, {takes}m, {}m]", takes.saturating_sub(below), takes + above),
        None => format!("{takes}m"),
    }
}

/// YAML for `steps`. `mirrored`: every change has an undo that puts each
/// resource it sets back to its baseline, and nothing is irreversible.
pub(crate) fn render(steps: &[Step], uncertain: bool, mirrored: bool) -> String {
    let mut out = String::from(
        "title: Random plan\nwindow: {start: 2026-12-05T22:00:00Z, duration: 5h}\n\
         rollback: {decide: 10m, verify: {do: Check everything again, takes: 15m}}\n\
         baseline: {r0: v0, r1: v0, r2: v0, r3: v0}\nsteps:\n",
    );
    for (i, s) in steps.iter().enumerate() {
        let phase = PHASES[s.phase as usize];
        // Prep waits only for prep; nothing waits for a later step, so the plan is acyclic.
        let mut after: Vec<usize> = s
            .after
            .iter()
            .filter(|_| i > 0)
            .map(|a| a % i.max(1))
            .filter(|&a| s.phase != 0 || steps[a].phase == 0)
            .collect();
        after.sort_unstable();
        after.dedup();
        let after: Vec<String> = after.iter().map(|a| format!("s{a}")).collect();
        out.push_str(&format!(
            "  - id: s{i}\n    phase: {phase}\n    kind: {}\n    after: [{}]\n    do: Do step number {i}\n    takes: {}\n",
            KINDS[s.kind as usize],
            after.join(", "),
            estimate(s.takes, s.spread, uncertain)
        ));
        if s.kind != 0 {
            continue;
        }
        let sets: Vec<String> = s.sets.iter().map(|(r, v)| format!("r{r}: v{v}")).collect();
        if !sets.is_empty() {
            out.push_str(&format!("    sets: {{{}}}\n", sets.join(", ")));
        }
        if s.irreversible && !mirrored {
            out.push_str("    irreversible: It cannot be taken back\n");
            continue;
        }
        let undo_sets: Vec<String> = if mirrored {
            s.sets.iter().map(|(r, _)| format!("r{r}: v0")).collect()
        } else {
            s.undo_sets.iter().map(|(r, v)| format!("r{r}: v{v}")).collect()
        };
        out.push_str(&format!(
            "    undo: {{do: Undo step number {i}, takes: {}, sets: {{{}}}}}\n",
            estimate(s.undo_takes, s.undo_spread, uncertain),
            undo_sets.join(", ")
        ));
    }
    out
}

pub(crate) fn analysis(text: &str, runs: u32, seed: u64) -> Analysis {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(runs, seed)), ..Options::default() };
    let analysis = analyze(text, &options);
    let broken = |code: &str| code.starts_with('P') || code == "G001" || code == "G002";
    assert!(!analysis.diagnostics.iter().any(|d| broken(d.code)), "{text}\n{:#?}", analysis.diagnostics);
    assert!(analysis.simulation.is_some(), "a plan with a window simulates");
    analysis
}

/// A leftover: resource, state, baseline, the step that set it, whether by its undo.
type Left = (String, String, String, usize, bool);

/// `p`'s leftovers worked out the slow way: every started step's `sets` in
/// start order, then each undo's (the first started undo of a resource is
/// the last to run), by resource in the order of their symbols.
fn leftovers_by_hand(a: &Analysis, sim: &Simulation, p: &FailurePoint) -> Vec<Left> {
    leftovers_timed(a, sim, p, |_| (0.0, 0.0))
}

/// [`leftovers_by_hand`] where each undo runs at `times` (start, end): of
/// the undos that write one resource, the first started that no other
/// starts at or after the end of writes last (none such: the first started).
pub fn leftovers_timed(
    a: &Analysis,
    sim: &Simulation,
    p: &FailurePoint,
    times: impl Fn(usize) -> (f64, f64),
) -> Vec<Left> {
    let (mut forward, mut writers) = (BTreeMap::new(), BTreeMap::<Symbol, Vec<(usize, _)>>::new());
    for &s in sim.started(p) {
        let step = &a.plan.steps[s];
        for set in &step.sets {
            forward.insert(set.resource_symbol, (s, set));
        }
        for set in step.undo.iter().filter(|_| sim.undone[s]).flat_map(|u| &u.sets) {
            writers.entry(set.resource_symbol).or_default().push((s, set));
        }
    }
    let mut undo = BTreeMap::new();
    for (r, w) in writers {
        let followed = |u: usize| w.iter().any(|&(v, _)| v != u && times(v).0 >= times(u).1);
        let last = w.iter().copied().find(|&(u, _)| !followed(u)).unwrap_or(w[0]);
        undo.insert(r, last);
    }
    let resources: BTreeSet<Symbol> = forward.keys().chain(undo.keys()).copied().collect();
    resources
        .into_iter()
        .filter_map(|r| {
            let ((s, set), by_undo) =
                undo.get(&r).map(|&u| (u, true)).or_else(|| forward.get(&r).map(|&f| (f, false)))?;
            let baseline = a.plan.baseline_of(set.resource.as_str());
            (set.state.as_str() != baseline)
                .then(|| (set.resource.value.clone(), set.state.value.clone(), baseline.to_string(), s, by_undo))
        })
        .collect()
}

fn simulate(text: &str, runs: u32, seed: u64) -> Simulation {
    analysis(text, runs, seed).simulation.expect("checked above")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn done_is_never_before_the_failure(steps in plan()) {
        let sim = simulate(&render(&steps, false, false), 1, 1);
        for p in &sim.points {
            prop_assert!(p.done >= p.fail);
            prop_assert_eq!(p.done, p.fail + sim.decide + p.chain + sim.verify);
            prop_assert_eq!(p.margin, sim.window_length - p.done);
        }
    }

    #[test]
    fn each_point_starts_what_the_contract_says_and_its_chain_is_its_longest_undo_path(steps in plan()) {
        // Whole minutes from 0 to 40 give many equal start times and steps
        // that take no time: the ties the start order must keep.
        let a = analysis(&render(&steps, false, false), 1, 1);
        let (sim, graph) = (a.simulation.as_ref().expect("sim"), a.graph.as_ref().expect("graph"));
        let start = |s: usize| sim.slots[s].map(|slot| slot.start);
        let prep = sim.prep.iter().filter(|&&p| p).count();
        let order = &sim.started_order;
        prop_assert!(order[..prep].iter().all(|&s| sim.prep[s]));
        // By start time, ties in topological order.
        prop_assert!(order[prep..].windows(2).all(|w| (start(w[0]), graph.pos[w[0]]) < (start(w[1]), graph.pos[w[1]])));
        for p in &sim.points {
            let at = order.iter().position(|&s| s == p.step).expect("every point is in the order");
            // The contract's set, and (see docs/decisions.md) the steps that
            // start at the very moment a zero-time step fails and come before it.
            let mut expected: Vec<usize> = (0..sim.prep.len())
                .filter(|&s| sim.prep[s] || s == p.step || start(s).is_some_and(|t| t < p.fail))
                .chain(order[..at].iter().copied().filter(|&s| start(s) == Some(p.fail)))
                .collect();
            let mut started = sim.started(p).to_vec();
            started.sort_unstable();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(&started, &expected, "point {} failing at {}", p.step, p.fail);
            let run = sim.rollback(graph, p);
            let longest = run.undos.iter().map(|u| u.finish - run.called).fold(0.0, f64::max);
            prop_assert_eq!(p.chain, longest, "point {}", p.step);
        }
    }

    #[test]
    fn the_critical_path_runs_back_from_the_first_step_to_finish_last(steps in plan()) {
        let a = analysis(&render(&steps, false, false), 1, 1);
        let (sim, graph) = (a.simulation.as_ref().expect("sim"), a.graph.as_ref().expect("graph"));
        let slot = |s: usize| sim.slots[s].expect("the path holds scheduled steps");
        let Some(&last) = sim.critical_path.last() else {
            prop_assert!(sim.slots.iter().all(Option::is_none));
            return Ok(());
        };
        let first_to_finish_last = (0..sim.slots.len()).find(|&s| sim.slots[s].is_some_and(|t| t.finish == sim.forward_finish));
        prop_assert_eq!(Some(last), first_to_finish_last);
        prop_assert_eq!(slot(sim.critical_path[0]).start, 0.0);
        for w in sim.critical_path.windows(2) {
            prop_assert!(graph.deps(w[1]).any(|d| d == w[0]), "{} does not wait for {}", w[1], w[0]);
            prop_assert_eq!(slot(w[1]).start, slot(w[0]).finish);
        }
    }

    #[test]
    fn the_chain_never_shrinks_as_the_failure_comes_later(steps in plan()) {
        let sim = simulate(&render(&steps, false, false), 1, 1);
        for a in &sim.points {
            for b in sim.points.iter().filter(|b| b.fail > a.fail) {
                prop_assert!(a.chain <= b.chain, "{} at {} > {} at {}", a.chain, a.fail, b.chain, b.fail);
            }
        }
    }

    #[test]
    fn a_rollback_called_before_the_deadline_fits(steps in plan()) {
        let sim = simulate(&render(&steps, false, false), 1, 1);
        if let Some(deadline) = sim.deadline {
            for p in sim.points.iter().filter(|p| p.fail < deadline) {
                prop_assert!(p.fits && !p.no_way_back, "fails at {} before the deadline {} but done at {}", p.fail, deadline, p.done);
            }
        }
    }

    #[test]
    fn mirrored_undos_leave_nothing_behind(steps in plan()) {
        let sim = simulate(&render(&steps, false, true), 1, 1);
        for p in &sim.points {
            prop_assert!(sim.leftovers(p).is_empty(), "{:?}", sim.leftovers(p));
        }
    }

    #[test]
    fn leftovers_are_the_state_simulation_of_the_started_steps(steps in plan()) {
        let a = analysis(&render(&steps, false, false), 1, 1);
        let sim = a.simulation.as_ref().expect("sim");
        let mut first: BTreeMap<(usize, String), usize> = BTreeMap::new();
        for (k, p) in sim.points.iter().enumerate() {
            let expected = leftovers_by_hand(&a, sim, p);
            let got: Vec<Left> = sim.leftovers(p).into_iter().map(|l| (l.resource, l.state, l.baseline, l.set_by, l.by_undo)).collect();
            prop_assert_eq!(&got, &expected, "point {} (started {})", p.step, p.started);
            prop_assert_eq!(sim.leftover_count(p), expected.len());
            for most in 0..3 {
                let some = sim.some_leftovers(p, most);
                prop_assert_eq!(&some[..], &sim.leftovers(p)[..most.min(expected.len())]);
            }
            for (resource, _, _, set_by, _) in expected.into_iter().filter(|_| !p.no_way_back) {
                first.entry((set_by, resource)).or_insert(k);
            }
        }
        // Each leftover once, at the first point that has it, in point order.
        let seen: Vec<(usize, String, usize)> = sim.first_leftovers().into_iter().map(|(k, l)| (l.set_by, l.resource, k)).collect();
        let mut by_pair: Vec<(usize, String, usize)> = first.into_iter().map(|((set_by, r), k)| (set_by, r, k)).collect();
        let mut sorted = seen.clone();
        sorted.sort();
        by_pair.sort();
        prop_assert_eq!(sorted, by_pair);
        prop_assert!(seen.windows(2).all(|w| w[0].2 <= w[1].2), "{:?}", seen);
    }

    #[test]
    fn one_search_finds_what_a_search_per_pair_finds(steps in plan(), picks in prop::collection::vec(0usize..1000, 0..12)) {
        let a = analysis(&render(&steps, false, false), 1, 1);
        let graph = a.graph.as_ref().expect("graph");
        let mut ancestry = graph.ancestry();
        // Each step's `after`, and a few steps picked anywhere.
        let mut lists: Vec<Vec<usize>> = graph.after.clone();
        let mut picked: Vec<usize> = picks.iter().map(|p| p % graph.len()).collect();
        picked.dedup();
        lists.push(picked);
        for list in lists {
            let by_pairs: Vec<Option<usize>> = list
                .iter()
                .map(|&t| list.iter().copied().filter(|&o| o != t).find(|&o| ancestry.depends_on_any(o, &[t]).is_some()))
                .collect();
            prop_assert_eq!(ancestry.first_dependents(&list), by_pairs, "{:?}", list);
        }
    }

    #[test]
    fn questions_asked_together_get_the_answers_asked_one_by_one(
        steps in plan(),
        sets in prop::collection::vec(prop::collection::vec(0usize..1000, 0..4), 1..4),
        asked in prop::collection::vec((0usize..10, 0usize..1000), 0..200),
    ) {
        let a = analysis(&render(&steps, false, false), 1, 1);
        let graph = a.graph.as_ref().expect("graph");
        let n = graph.len();
        let sets: Vec<Vec<usize>> = sets.iter().map(|s| s.iter().map(|t| t % n).collect()).collect();
        let slices: Vec<&[usize]> = sets.iter().map(Vec::as_slice).collect();
        // Keys past the sets ask about no steps at all.
        let questions: Vec<(usize, usize)> = asked.iter().map(|&(k, s)| (k % (sets.len() + 1), s % n)).collect();
        let mut ancestry = graph.ancestry();
        let one_by_one: Vec<bool> = questions
            .iter()
            .map(|&(k, s)| slices.get(k).is_some_and(|set| ancestry.depends_on_any(s, set).is_some()))
            .collect();
        prop_assert_eq!(ancestry.depends_on_each(&questions, &slices), one_by_one.clone());
        // Both as a plain pass in topological order finds, and the target a
        // search names is one the step depends on.
        for (&(k, s), answer) in questions.iter().zip(one_by_one) {
            let set = slices.get(k).copied().unwrap_or_default();
            prop_assert_eq!(answer, graph.has_ancestor(|x| set.contains(&x))[s], "step {} on {:?}", s, set);
            if let Some(t) = ancestry.depends_on_any(s, set) {
                prop_assert!(set.contains(&t) && graph.has_ancestor(|x| x == t)[s], "step {} on {}", s, t);
            }
        }
    }

    #[test]
    fn fixed_durations_make_monte_carlo_the_deterministic_answer(steps in plan()) {
        let sim = simulate(&render(&steps, false, false), 50, 9);
        let mc = sim.monte_carlo.as_ref().expect("mc");
        prop_assert_eq!(mc.p_forward_fits, if sim.forward_fits { 1.0 } else { 0.0 });
        for (p, share) in sim.points.iter().zip(&mc.p_rollback_fits) {
            prop_assert_eq!(*share, if p.fits { 1.0 } else { 0.0 });
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_result(steps in plan(), seed in any::<u64>()) {
        let text = render(&steps, true, false);
        prop_assert_eq!(simulate(&text, 40, seed).monte_carlo, simulate(&text, 40, seed).monte_carlo);
    }
}
