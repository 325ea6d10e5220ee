//! Monte Carlo: every three-point duration drawn from a PERT distribution
//! (beta, shape 4) over `[best, worst]` with mode `likely`, fixed durations
//! kept, and the whole evaluation repeated per run.
//!
//! Reproducible from a seed, natively and in wasm alike (see [`super::pert`]),
//! with draws in one fixed order: for each step in list order its duration,
//! then its undo's; then `decide`, then `verify`.

use super::Simulation;
use super::model::{Draw, Durations, Est, Eval, Model, Purpose};
use super::pert::{Draws, Pert};
use crate::graph::PlanGraph;
use crate::limits::MAX_RUNS;
use crate::model::Plan;

/// How many runs, from which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub runs: u32,
    pub seed: u64,
}

impl Settings {
    /// What `retreat simulate` uses unless told otherwise.
    pub const DEFAULT: Settings = Settings { runs: 10_000, seed: 1 };

    /// What lint uses for T004: 1,000 runs from seed 1, so lint output is the
    /// same every time. Plans of more than 150 steps get fewer runs (150,000
    /// step evaluations in all, at least 15), so that linting a 10,000-step
    /// plan stays under 100 ms; `retreat simulate` is the precise tool.
    pub fn for_lint(steps: usize) -> Settings {
        const RUNS: usize = 1_000;
        const WORK: usize = 150_000;
        let runs = (WORK / steps.max(1)).clamp(15, RUNS) as u32;
        Settings { runs, seed: 1 }
    }
}

/// Bins of the done-time histograms: from the window's start to half a
/// window past its end, the last bin also holding everything later.
pub const BINS: usize = 30;
/// The histograms span this many window lengths.
pub const SPAN: f64 = 1.5;

/// The result: per failure point, the share of runs whose rollback fits.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    pub runs: u32,
    pub seed: u64,
    /// Share of runs whose forward plan finishes inside the window.
    pub p_forward_fits: f64,
    /// Per failure point (in the simulation's point order).
    pub p_rollback_fits: Vec<f64>,
    /// Per failure point, how many runs' rollbacks were done in each bin of
    /// [`BINS`] over `[0, SPAN * window)`; the window ends at bin
    /// `BINS / SPAN`.
    pub done_histograms: Vec<Vec<u32>>,
    /// The same for the forward plan's finish.
    pub forward_histogram: Vec<u32>,
}

fn distribution(e: Est) -> Option<Pert> {
    match e {
        Est::Fixed(_) => None,
        Est::Pert { best, likely, worst } => Pert::new(best, likely, worst),
    }
}

/// A Monte Carlo simulation under way: it can run a few runs at a time (the
/// app runs it between frames) and gives the same figures as one go.
pub struct Progress {
    settings: Settings,
    runs: u32,
    done: u32,
    draws: Draws,
    /// For each of the model's failure points, its place among the simulation's.
    place: Vec<usize>,
    forward_fits: u32,
    rollback_fits: Vec<u32>,
    histograms: Vec<Vec<u32>>,
    forward_histogram: Vec<u32>,
    eval: Eval,
}

impl Progress {
    pub fn new(plan: &Plan, graph: &PlanGraph, sim: &Simulation, settings: Settings) -> Progress {
        let model = Model::new(plan, graph, sim.window_length, Purpose::MonteCarlo);
        let mut place_of_step = vec![0; plan.steps.len()];
        for (k, p) in sim.points.iter().enumerate() {
            place_of_step[p.step] = k;
        }
        let points = sim.points.len();
        Progress {
            settings,
            runs: settings.runs.min(MAX_RUNS),
            done: 0,
            draws: Draws::new(settings.seed),
            place: model.points.iter().map(|&s| place_of_step[s as usize]).collect(),
            forward_fits: 0,
            rollback_fits: vec![0; points],
            histograms: vec![vec![0; BINS]; points],
            forward_histogram: vec![0; BINS],
            eval: Eval::default(),
        }
    }

    /// Runs done so far, and in all.
    pub fn done(&self) -> (u32, u32) {
        (self.done, self.runs)
    }

    pub fn is_finished(&self) -> bool {
        self.done >= self.runs
    }

    /// Does up to `runs` more runs. `plan`, `graph` and `sim` must be the
    /// ones `new` saw.
    pub fn advance(&mut self, plan: &Plan, graph: &PlanGraph, sim: &Simulation, runs: u32) {
        let model = Model::new(plan, graph, sim.window_length, Purpose::MonteCarlo);
        let todo = runs.min(self.runs - self.done);
        if model.uncertain.is_empty() {
            // Every run is the deterministic one: evaluate once, count it `todo` times.
            model.evaluate(&model.likely, &mut self.eval);
            self.tally(&model, &model.likely, todo);
        } else {
            let perts: Vec<(Draw, Pert)> =
                model.uncertain.iter().filter_map(|&(draw, est)| Some((draw, distribution(est)?))).collect();
            let mut durations = model.likely.clone();
            for _ in 0..todo {
                for (draw, pert) in &perts {
                    durations.set(*draw, self.draws.pert(pert));
                }
                model.evaluate(&durations, &mut self.eval);
                self.tally(&model, &durations, 1);
            }
        }
        self.done += todo;
    }

    fn tally(&mut self, model: &Model, d: &Durations, times: u32) {
        let window = model.window;
        let bin = |t: f64| {
            let b = (t / (SPAN * window.max(1.0)) * BINS as f64).floor();
            if b.is_finite() && b > 0.0 { (b as usize).min(BINS - 1) } else { 0 }
        };
        let e = &self.eval;
        self.forward_fits += times * u32::from(e.forward_finish <= window);
        self.forward_histogram[bin(e.forward_finish)] += times;
        for p in model.points(d, e) {
            let k = self.place[p.index];
            self.rollback_fits[k] += times * u32::from(p.done <= window);
            self.histograms[k][bin(p.done)] += times;
        }
    }

    /// The figures so far (final once [`Progress::is_finished`]).
    pub fn result(&self) -> MonteCarlo {
        let share = |count: u32| if self.done == 0 { 0.0 } else { f64::from(count) / f64::from(self.done) };
        MonteCarlo {
            runs: self.done,
            seed: self.settings.seed,
            p_forward_fits: share(self.forward_fits),
            p_rollback_fits: self.rollback_fits.iter().map(|&c| share(c)).collect(),
            done_histograms: self.histograms.clone(),
            forward_histogram: self.forward_histogram.clone(),
        }
    }
}

/// All the runs at once.
pub fn run(plan: &Plan, graph: &PlanGraph, sim: &Simulation, settings: Settings) -> MonteCarlo {
    let mut progress = Progress::new(plan, graph, sim, settings);
    let runs = progress.runs;
    progress.advance(plan, graph, sim, runs);
    progress.result()
}
