//! Monte Carlo: every three-point duration drawn from a PERT distribution
//! (beta, shape 4) over `[best, worst]` with mode `likely`, fixed durations
//! kept, and the whole evaluation repeated per run.
//!
//! Reproducible from a seed, natively and in wasm alike (see [`super::pert`]),
//! with draws in one fixed order: for each step in list order its duration,
//! then its undo's; then `decide`, then `verify`.

use super::model::{Est, Eval, Model, Slot};
use super::pert::{Draws, Pert};
use crate::limits::MAX_RUNS;

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
    /// same every time. Plans of more than 500 steps get fewer runs (half a
    /// million step evaluations in all, at least 50), so that linting a
    /// 10,000-step plan stays well under a second.
    pub fn for_lint(steps: usize) -> Settings {
        const RUNS: usize = 1_000;
        const WORK: usize = 500_000;
        let runs = (WORK / steps.max(1)).clamp(50, RUNS) as u32;
        Settings { runs, seed: 1 }
    }
}

/// The result: per failure point, the share of runs whose rollback fits.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    pub runs: u32,
    pub seed: u64,
    /// Share of runs whose forward plan finishes inside the window.
    pub p_forward_fits: f64,
    /// Per failure point (in the simulation's point order).
    pub p_rollback_fits: Vec<f64>,
}

fn distribution(e: Est) -> Option<Pert> {
    match e {
        Est::Fixed(_) => None,
        Est::Pert { best, likely, worst } => Pert::new(best, likely, worst),
    }
}

pub(crate) fn run(model: &Model, deterministic: &Eval, settings: Settings) -> MonteCarlo {
    let runs = settings.runs.min(MAX_RUNS);
    let points = model.points.len();
    let fits = |e: &Eval, i: usize| e.done[i] <= model.window;
    if model.uncertain.is_empty() || runs == 0 {
        // Every run would be the deterministic one.
        let share = |ok: bool| if ok { 1.0 } else { 0.0 };
        return MonteCarlo {
            runs,
            seed: settings.seed,
            p_forward_fits: share(deterministic.forward_finish <= model.window),
            p_rollback_fits: (0..points).map(|i| share(fits(deterministic, i))).collect(),
        };
    }
    let perts: Vec<(Slot, Pert)> =
        model.uncertain.iter().filter_map(|&(slot, est)| Some((slot, distribution(est)?))).collect();
    let mut draws = Draws::new(settings.seed);
    let mut durations = model.likely.clone();
    let mut eval = Eval::default();
    let mut forward_fits = 0u32;
    let mut rollback_fits = vec![0u32; points];
    for _ in 0..runs {
        for (slot, pert) in &perts {
            durations.set(*slot, draws.pert(pert));
        }
        model.evaluate(&durations, &mut eval);
        forward_fits += u32::from(eval.forward_finish <= model.window);
        for (i, count) in rollback_fits.iter_mut().enumerate() {
            *count += u32::from(fits(&eval, i));
        }
    }
    let share = |count: u32| f64::from(count) / f64::from(runs);
    MonteCarlo {
        runs,
        seed: settings.seed,
        p_forward_fits: share(forward_fits),
        p_rollback_fits: rollback_fits.into_iter().map(share).collect(),
    }
}
