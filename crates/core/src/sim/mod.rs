//! The simulator: a failure at every point of the window, the rollback from
//! there, and until when a rollback can still be called. Section 2 of the
//! contract fixes the semantics; `docs/decisions.md` says where it is silent.
//!
//! Everything here is a pure function of the plan and its graph. Times are
//! seconds from the window's start; the renderers turn them into minutes and
//! wall-clock times.

mod chains;
mod crew;
mod fits;
mod leftovers;
mod model;
pub mod montecarlo;
mod pert;
#[cfg(feature = "incremental-crews")]
mod prefixes;
mod progress;
mod runbook;
mod schedule;

use crate::graph::PlanGraph;
use crate::limits::MAX_CREW_WORK;
use crate::model::{Plan, Window};
use chains::Prefixes;
pub(crate) use crew::Scratch as CrewScratch;
use crew::{Crews, Scratch};
use leftovers::{Contest, Trail};
use model::{Eval, Model, NONE, Purpose};
pub use montecarlo::{Batch, MonteCarlo, Sampler, Settings, Tally};
pub use progress::Progress;
pub use runbook::{Runbook, UndoItem, Verdict, Verification};

/// A scheduled step's place in the window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    pub start: f64,
    pub finish: f64,
}

/// A resource left off its baseline after a rollback.
#[derive(Clone, Debug, PartialEq)]
pub struct Leftover {
    pub resource: String,
    pub state: String,
    pub baseline: String,
    /// The step whose `sets` (or whose undo's `sets`) left it so.
    pub set_by: usize,
    /// Whether it was the undo's `sets`.
    pub by_undo: bool,
}

/// A failure just as `step` would finish, and the rollback from there.
#[derive(Clone, Debug, PartialEq)]
pub struct FailurePoint {
    pub step: usize,
    /// `F`: when the step fails.
    pub fail: f64,
    /// How many steps had started (prep included); see [`Simulation::started`].
    pub started: usize,
    /// The rollback's own time: the longest chain of undos; with crews,
    /// from the call until the last undo ends.
    pub chain: f64,
    /// With a `crew`, the chain as it would be without it (the same when
    /// the crew limits nothing here); `None` without `crew`.
    pub uncrewed_chain: Option<f64>,
    /// `F + decide + chain + verify`.
    pub done: f64,
    /// `window end - done`.
    pub margin: f64,
    /// `margin >= 0`, as the contract defines it; read it with `no_way_back`.
    pub fits: bool,
    /// An irreversible step had started: no complete rollback is possible,
    /// whatever `fits` says.
    pub no_way_back: bool,
}

/// One undo in a rollback, with its time from the window's start.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoRun {
    pub step: usize,
    /// When the undos it waits for are done; with crews it may start
    /// later, when its owner has a free place.
    pub ready: f64,
    pub start: f64,
    pub finish: f64,
}

/// The rollback from one failure point, step by step.
#[derive(Clone, Debug, PartialEq)]
pub struct RollbackRun {
    /// Waves of undos that can run at the same time (with crews: that start
    /// at one moment); each wave's steps in list order.
    pub waves: Vec<Vec<usize>>,
    /// Every undo, when it starts and finishes (at the earliest; with crews,
    /// once its owner has a place), by start.
    pub undos: Vec<UndoRun>,
    /// When the rollback is called (`F + decide`).
    pub called: f64,
    /// When the undos are done and verification starts.
    pub verify_start: f64,
    pub done: f64,
}

/// Everything the simulator found for one plan.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub window: Window,
    /// Length of the window.
    pub window_length: f64,
    /// `rollback.decide` and `rollback.verify`'s `takes` (likely values).
    pub decide: f64,
    pub verify: f64,
    /// Each step's slot; `None` for prep and post steps.
    pub slots: Vec<Option<Slot>>,
    pub forward_finish: f64,
    /// With a `crew`, when the steps would finish without it; `None`
    /// without `crew`.
    pub uncrewed_forward_finish: Option<f64>,
    pub forward_fits: bool,
    pub critical_path: Vec<usize>,
    /// The latest moment a rollback can be called and still be done in the
    /// window; `None` when no moment fits.
    pub deadline: Option<f64>,
    /// Failure points by fail time (ties in list order).
    pub points: Vec<FailurePoint>,
    /// Steps in the order they start: prep steps, then by start time. Point
    /// `p`'s started set is `started_order[..p.started]`.
    pub started_order: Vec<usize>,
    /// Each step's undo time in this simulation (0 for steps no rollback undoes).
    pub undo_time: Vec<f64>,
    /// Whether a rollback undoes each step: a `change` outside `post` that is
    /// not irreversible (without an `undo`, its own time is assumed).
    pub undone: Vec<bool>,
    /// Which steps are `prep`.
    pub prep: Vec<bool>,
    pub monte_carlo: Option<MonteCarlo>,
    /// Every point's leftovers; see [`Simulation::leftovers`].
    trail: Trail,
    /// With crews, whether the rollbacks were left without them because
    /// scheduling every started set's rollback with crews would have placed
    /// more than [`MAX_CREW_WORK`] undos (the work can grow as the square of
    /// the plan's size). Then the forward plan follows the crews, but each
    /// point's chain, the deadline and each rollback are as without crews,
    /// which may be shorter than the crews allow: the surfaces must say so.
    pub rollback_crews_skipped: bool,
    /// Who the plan's `crew` limits in rollbacks; `None` when it limits
    /// nobody, or when [`Simulation::rollback_crews_skipped`].
    crews: Option<Crews>,
    /// The sizes of the started sets whose rollbacks were scheduled with
    /// crews (0 without): what each Monte Carlo run would place scheduling
    /// them from scratch, the measure of its budget.
    crew_work: u64,
}

/// Simulates `plan`; `None` without a window. Monte Carlo runs when
/// `settings` is given.
pub fn simulate(plan: &Plan, graph: &PlanGraph, settings: Option<Settings>) -> Option<Simulation> {
    simulate_within(plan, graph, settings, MAX_CREW_WORK)
}

/// [`simulate`], with crews giving up on the rollbacks once their schedules
/// have placed `budget` undos (see [`Simulation::rollback_crews_skipped`]).
fn simulate_within(plan: &Plan, graph: &PlanGraph, settings: Option<Settings>, budget: u64) -> Option<Simulation> {
    let window = plan.window.clone()?;
    let window_length = window.length().0 as f64;
    let mut model = Model::new(plan, graph, window_length, Purpose::Simulate);
    let mut crews = Crews::new(plan, graph, &model);
    let mut eval = Eval::default();
    let mut scratch = Scratch::default();
    let d = &model.likely;
    let mut rollback_crews_skipped = false;
    let mut contest = None;
    let uncrewed_forward_finish = match &crews {
        Some(c) => {
            let unlimited = model.evaluate_crewed(d, &mut eval, |e| c.forward(d, e, &mut scratch));
            c.want_points(&model, d, &eval, &mut scratch);
            c.want_deadline(&eval, &mut scratch);
            // Whole seconds: each started set's rollback from the last one's.
            #[cfg(feature = "incremental-crews")]
            let by = &mut prefixes::Incremental::new(c);
            #[cfg(not(feature = "incremental-crews"))]
            let by = &mut chains::FromScratch { kept: Some(crew::Placed::new(model.n)) };
            let mut writes = Contest::new(plan);
            let seq = &eval.seq;
            let undo = &d.undo;
            let tell = |k: usize, by: &_| writes.scheduled(&model, (seq, undo), k, |x| Prefixes::finish(by, x));
            let by = &mut chains::Telling { by, tell };
            rollback_crews_skipped = !c.chains(d, &model.undone, &eval, &mut scratch, by, budget);
            contest = (!rollback_crews_skipped).then_some(writes);
            Some(unlimited)
        }
        None => {
            model.evaluate(d, &mut eval);
            plan.crew.as_ref().map(|_| eval.forward_finish)
        }
    };
    if rollback_crews_skipped {
        crews = None;
    }
    // Each started count's chain: with crews, worked out above.
    let chain_of = |k: usize| match (&crews, k.checked_sub(1)) {
        (Some(_), _) => scratch.chains.get(k).copied().unwrap_or(f64::NAN),
        (None, None) => 0.0,
        (None, Some(last)) => eval.prefix_max[last],
    };
    let points: Vec<FailurePoint> = model
        .points(d, &eval)
        .map(|p| {
            let chain = chain_of(p.started);
            let done = if crews.is_some() { p.fail + d.decide + chain + d.verify } else { p.done };
            FailurePoint {
                step: p.step,
                fail: p.fail,
                started: p.started,
                chain,
                uncrewed_chain: plan.crew.as_ref().map(|_| p.chain),
                done,
                margin: window_length - done,
                fits: done <= window_length,
                no_way_back: p.no_way_back,
            }
        })
        .collect();
    let trail = Trail::new(plan, &model, &eval.seq, contest);
    let critical_path = critical_path(&eval);
    let deadline = deadline(&model, &eval, d, chain_of);
    let mut sim = Simulation {
        window,
        window_length,
        decide: d.decide,
        verify: d.verify,
        slots: std::mem::take(&mut eval.slots),
        forward_finish: eval.forward_finish,
        uncrewed_forward_finish,
        forward_fits: eval.forward_finish <= window_length,
        critical_path,
        deadline,
        points,
        started_order: eval.seq.iter().map(|&x| x as usize).collect(),
        undo_time: std::mem::take(&mut model.likely.undo),
        undone: std::mem::take(&mut model.undone),
        prep: std::mem::take(&mut model.prep),
        monte_carlo: None,
        trail,
        crews,
        crew_work: if rollback_crews_skipped { 0 } else { scratch.sets },
        rollback_crews_skipped,
    };
    sim.monte_carlo = settings.map(|s| montecarlo::run(plan, graph, &sim, s));
    Some(sim)
}

/// The plan's timing at likely values, for the live forecast
/// (`crate::live`): each step's own time and its longest undo chain toward
/// its dependencies (prep counted below every window step), which do not
/// depend on when the steps run.
pub(crate) struct Timing {
    /// Each scheduled step's time (0 for prep and post).
    pub takes: Vec<f64>,
    pub chain_to: Vec<f64>,
    /// The longest chain among the prep steps.
    pub prep_chain: f64,
    pub scheduled: Vec<bool>,
    pub prep: Vec<bool>,
    /// Irreversible steps outside `post`.
    pub irreversible: Vec<bool>,
    pub decide: f64,
    pub verify: f64,
    pub window: f64,
    /// Who the plan's `crew` limits (`None`: nobody), and what its
    /// rollbacks need: each undo's time, and which steps have one.
    crews: Option<std::rc::Rc<Crews>>,
    undo: Vec<f64>,
    undone: Vec<bool>,
}

impl Timing {
    /// The forecast's forward plan with crews over `start` and `finish` (see
    /// `Crews::forecast`); nothing changes when the crews limit no step.
    pub fn place_with_crews(&self, now: f64, fixed: &[bool], running: &[bool], start: &mut [f64], finish: &mut [f64]) {
        if let Some(c) = &self.crews {
            c.forecast(&self.takes, now, fixed, running, start, finish, &mut Scratch::default());
        }
    }

    /// Whether the crews make some rollback wait for an owner.
    pub fn crews_limit_rollbacks(&self) -> bool {
        self.crews.as_ref().is_some_and(|c| c.limits_rollback())
    }

    /// The rollback chain, with crews, of the started set: every prep step
    /// and `started` (scheduled steps, each once); `None` when the crews
    /// limit no rollback (the chain is then the longest chain of undos).
    pub fn crew_chain(&self, started: impl Iterator<Item = usize>, scratch: &mut CrewScratch) -> Option<f64> {
        let c = self.crews.as_ref().filter(|c| c.limits_rollback())?;
        let mut seq: Vec<u32> = (0..self.prep.len()).filter(|&x| self.prep[x]).map(|x| x as u32).collect();
        seq.extend(started.map(|x| x as u32));
        Some(c.rollback(&seq, &self.undo, &self.undone, scratch, None, None))
    }
}

/// The [`Timing`] of each of `runs` Monte Carlo runs of `plan`, for the
/// live forecast's odds: every duration drawn as section 2's Monte Carlo
/// draws it, in its fixed order, from stream 0 of `seed` (the forecast
/// then keeps what has finished as it happened). `None` without a window.
pub(crate) fn drawn_timings<'a>(
    plan: &'a Plan,
    graph: &'a PlanGraph,
    runs: u32,
    seed: u64,
) -> Option<impl Iterator<Item = Timing> + 'a> {
    let window = plan.window.as_ref()?.length().0 as f64;
    let model = Model::new(plan, graph, window, Purpose::MonteCarlo);
    let crews = Crews::new(plan, graph, &model).map(std::rc::Rc::new);
    let perts: Vec<_> =
        model.uncertain.iter().filter_map(|&(draw, est)| Some((draw, montecarlo::distribution(est)?))).collect();
    let mut draws = pert::Draws::new(seed, 0);
    let mut d = model.likely.clone();
    Some((0..runs).map(move |_| {
        for (draw, p) in &perts {
            d.set(*draw, draws.pert(p));
        }
        let mut eval = Eval::default();
        model.evaluate(&d, &mut eval);
        Timing {
            takes: d.fwd.clone(),
            chain_to: eval.chain_to,
            prep_chain: eval.prep_chain,
            scheduled: model.scheduled.clone(),
            prep: model.prep.clone(),
            irreversible: model.irreversible.clone(),
            decide: d.decide,
            verify: d.verify,
            window,
            crews: crews.clone(),
            undo: d.undo.clone(),
            undone: model.undone.clone(),
        }
    }))
}

/// [`Timing`] of `plan`; `None` without a window.
pub(crate) fn timing(plan: &Plan, graph: &PlanGraph) -> Option<Timing> {
    let window = plan.window.as_ref()?.length().0 as f64;
    let mut model = Model::new(plan, graph, window, Purpose::Simulate);
    let mut eval = Eval::default();
    model.evaluate(&model.likely, &mut eval);
    let crews = Crews::new(plan, graph, &model).map(std::rc::Rc::new);
    Some(Timing {
        crews,
        undo: std::mem::take(&mut model.likely.undo),
        undone: model.undone.clone(),
        takes: std::mem::take(&mut model.likely.fwd),
        chain_to: eval.chain_to,
        prep_chain: eval.prep_chain,
        scheduled: std::mem::take(&mut model.scheduled),
        prep: std::mem::take(&mut model.prep),
        irreversible: std::mem::take(&mut model.irreversible),
        decide: model.likely.decide,
        verify: model.likely.verify,
        window,
    })
}

/// Back from the step that finishes last along the dependencies that fixed
/// each start.
fn critical_path(eval: &Eval) -> Vec<usize> {
    let mut path = Vec::new();
    let mut at = eval.last_to_finish;
    while at != NONE {
        path.push(at as usize);
        at = eval.from[at as usize];
    }
    path.reverse();
    path
}

/// The latest `T` with `T + decide + chain(T) + verify <= window end`, where
/// `chain(T)` covers prep and every step started before `T`, and before any
/// irreversible step has started. Without crews `T + chain(T)` only grows,
/// so the moments that fit form one interval from 0; with crews the chain
/// can shrink as more has started, and the deadline is the end of the first
/// interval that fits from 0: it never jumps over a moment that does not.
/// This walks the start times once, between them `chain_of(k)`, the chain
/// of the first `k` steps of the start order.
fn deadline(model: &Model, eval: &Eval, d: &model::Durations, chain_of: impl Fn(usize) -> f64) -> Option<f64> {
    // The first irreversible step in start order: in prep, or the point of no return.
    if eval.first_irreversible < eval.prep_count {
        return None;
    }
    let budget = model.window - d.decide - d.verify;
    let point_of_no_return = eval.seq.get(eval.first_irreversible).map_or(f64::INFINITY, |&s| eval.start(s as usize));
    let (seq, prep) = (&eval.seq, eval.prep_count);
    walk_deadline(
        budget,
        point_of_no_return,
        seq.len() - prep,
        |k| eval.start(seq[prep + k] as usize),
        |k| chain_of(prep + k),
    )
}

/// The latest `T <= no_return` with `T + chain(T) <= budget` for every
/// moment up to it, over `n` steps in start order: `start(k)` is the k-th
/// one's start, `chain_of(k)` the rollback chain once the first `k` have
/// started (prep always). A step starting at `t` counts from just after
/// `t`, so the chain is constant on each `(start(k-1), start(k)]`. Without
/// crews `T + chain(T)` only grows, so the moments that fit form one
/// interval from 0; with crews the chain can shrink as more has started,
/// and this stops at the first moment that does not fit: the deadline
/// never jumps over one. One walk; `None` when not even 0 fits.
pub(crate) fn walk_deadline(
    budget: f64,
    no_return: f64,
    n: usize,
    start: impl Fn(usize) -> f64,
    chain_of: impl Fn(usize) -> f64,
) -> Option<f64> {
    let (mut k, mut lo, mut lo_included, mut best) = (0, 0.0f64, true, None);
    loop {
        let hi = if k < n { start(k) } else { f64::INFINITY };
        let cap = (budget - chain_of(k)).min(no_return).min(hi);
        if !(if lo_included { cap >= lo } else { cap > lo }) {
            break;
        }
        best = Some(cap);
        if cap < hi || k >= n {
            break;
        }
        while k < n && start(k) == hi {
            k += 1;
        }
        lo = hi;
        lo_included = false;
    }
    best
}

/// What a plan's `crew` cost: how much later the steps finish and how much
/// longer the rollbacks take than with unlimited hands.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewEffect {
    /// Seconds later the forward plan finishes (0 when the crew never waits).
    pub forward_longer: f64,
    /// How many failure points' rollbacks take longer.
    pub rollbacks_longer: usize,
    /// The most any rollback takes longer, and from which point (its step).
    pub most_longer: f64,
    pub most_longer_at: Option<usize>,
    /// The plan was too big to schedule every rollback with crews (see
    /// `limits::MAX_CREW_WORK`): the rollbacks are shown without them.
    pub rollbacks_without_crews: bool,
}

impl CrewEffect {
    /// In words, for the command line and the report: "the steps finish 20
    /// min later than with unlimited hands; 2 of 3 rollbacks take longer,
    /// by up to 15 min (failing at step b)".
    pub fn describe(&self, plan: &Plan, sim: &Simulation) -> String {
        let forward = if self.forward_longer > 0.0 {
            format!("the steps finish {} later than with unlimited hands", say(self.forward_longer))
        } else {
            "the steps finish as with unlimited hands".to_string()
        };
        let rollbacks = if self.rollbacks_without_crews {
            "; the rollbacks are shown without crews (the plan is too big to schedule each with them)".to_string()
        } else if let Some(at) = self.most_longer_at {
            let id = plan.steps.get(at).map_or("", |s| s.id());
            format!(
                "; {} of {} rollbacks take longer, by up to {} (failing at step {id})",
                self.rollbacks_longer,
                sim.points.len(),
                say(self.most_longer)
            )
        } else {
            "; no rollback takes longer".to_string()
        };
        format!("{forward}{rollbacks}")
    }
}

impl Simulation {
    /// What the plan's `crew` cost; `None` without `crew`.
    pub fn crew_effect(&self) -> Option<CrewEffect> {
        let uncrewed = self.uncrewed_forward_finish?;
        let mut effect = CrewEffect {
            forward_longer: (self.forward_finish - uncrewed).max(0.0),
            rollbacks_longer: 0,
            most_longer: 0.0,
            most_longer_at: None,
            rollbacks_without_crews: self.rollback_crews_skipped,
        };
        for p in &self.points {
            let longer = p.uncrewed_chain.map_or(0.0, |u| p.chain - u);
            if longer > 0.0 {
                effect.rollbacks_longer += 1;
                if longer > effect.most_longer {
                    (effect.most_longer, effect.most_longer_at) = (longer, Some(p.step));
                }
            }
        }
        Some(effect)
    }
}

impl Simulation {
    /// The resources `point`'s rollback leaves off their baseline, by name
    /// (in the order of their symbols). Worked out when asked for, in
    /// O(log n + how many there are): kept for every point, they could
    /// grow as points × resources.
    pub fn leftovers(&self, point: &FailurePoint) -> Vec<Leftover> {
        self.trail.at(point.started, usize::MAX)
    }

    /// The first `most` of [`Simulation::leftovers`], without working out the rest.
    pub fn some_leftovers(&self, point: &FailurePoint, most: usize) -> Vec<Leftover> {
        self.trail.at(point.started, most)
    }

    /// How many leftovers `point` has, in O(log n).
    pub fn leftover_count(&self, point: &FailurePoint) -> usize {
        self.trail.count(point.started)
    }

    /// Every leftover of the points a complete rollback is possible from,
    /// each time a step leaves a resource off its baseline once: at the
    /// first point (in [`Simulation::points`] order) that has it, with that
    /// point's place. In point order, each point's in the order of
    /// [`Simulation::leftovers`]. O(n log n), where listing every point's
    /// leftovers could take points × resources.
    pub fn first_leftovers(&self) -> Vec<(usize, Leftover)> {
        self.trail.first_seen(&self.points)
    }

    /// The steps started when `point` fails.
    pub fn started(&self, point: &FailurePoint) -> &[usize] {
        &self.started_order[..point.started.min(self.started_order.len())]
    }
}

impl Simulation {
    /// `HH:MM` on the window's own wall clock, `secs` after its start.
    pub fn clock(&self, secs: f64) -> String {
        crate::units::clock(self.window.start, secs / 60.0)
    }
}

/// Seconds as a person would say them: `25 min`, `1 h 5 min`.
pub fn say(secs: f64) -> String {
    crate::units::format_minutes(secs / 60.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the crews' budget the rollbacks are simulated without crews, and
    /// the simulation says so; the forward plan still follows the crews.
    #[test]
    fn past_the_budget_the_rollbacks_go_without_crews_and_say_so() {
        let text = format!("{}crew: {{\"*\": 1}}\n", crate::synth::plan(300, 2));
        let plan = crate::parse(&text).plan;
        let graph = PlanGraph::build(&plan);
        let settings = Some(Settings::exactly(20, 3));
        let full = simulate(&plan, &graph, settings).expect("sim");
        let cut = simulate_within(&plan, &graph, settings, 1_000).expect("sim");
        assert!(!full.rollback_crews_skipped && cut.rollback_crews_skipped);
        assert!(full.points.iter().any(|p| Some(p.chain) != p.uncrewed_chain), "the crews lengthen some rollback");
        assert_eq!((&cut.slots, cut.forward_finish), (&full.slots, full.forward_finish));
        for p in &cut.points {
            assert_eq!(Some(p.chain), p.uncrewed_chain);
            let run = cut.rollback(&graph, p);
            assert_eq!(run.verify_start - run.called, p.chain);
            assert!(run.undos.iter().all(|u| u.finish - run.called <= p.chain));
        }
        let mc = cut.monte_carlo.as_ref().expect("mc");
        assert_eq!(mc.runs, 20);
        let cut_again = simulate_within(&plan, &graph, settings, 1_000).expect("sim");
        assert_eq!(cut_again.monte_carlo, cut.monte_carlo);
    }
}
