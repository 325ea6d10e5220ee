//! The forecast (contract, section 6): from what actually happened (a
//! [`Record`]), when the plan will finish, what a rollback called now
//! takes, until when a rollback can still be called, and every failure
//! point still ahead. Linear in steps + edges but for one sort by start.
//!
//!
//! With a `crew` (section 5) the steps not started are placed from now on
//! as the plan's own schedule places them, the running ones holding their
//! owner's places until they finish, and every rollback is the crews'
//! schedule of its started set. That is one schedule per failure point,
//! so the work grows as the square of the plan: past
//! `limits::MAX_CREW_WORK` undos, the rollbacks go without crews (as the
//! simulation's do) and [`Forecast::rollback_crews_skipped`] says so.

use super::Record;
use crate::graph::PlanGraph;
use crate::model::Plan;
use crate::sim::{CrewScratch, Simulation, Timing, timing, walk_deadline};

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Done,
    Running,
    Waiting,
}

impl Status {
    /// As the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Running => "running",
            Status::Waiting => "waiting",
        }
    }
}

/// One scheduled step: actual times where the log has them, else forecast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepForecast {
    pub step: usize,
    pub status: Status,
    pub start: f64,
    pub finish: f64,
    /// `finish` minus the plan's own finish for the step.
    pub late: f64,
}

/// The rollback if it were called now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RollbackNow {
    pub chain: f64,
    pub done: f64,
    pub margin: f64,
    pub fits: bool,
    /// An irreversible step has started: no complete rollback is possible.
    pub no_way_back: bool,
}

/// A failure point ahead, on the forecast schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointForecast {
    pub step: usize,
    pub fail: f64,
    pub chain: f64,
    pub done: f64,
    pub margin: f64,
    pub fits: bool,
    pub no_way_back: bool,
}

/// Everything the forecast found; times in seconds from the window's start.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    pub now: f64,
    pub forward_finish: f64,
    pub forward_fits: bool,
    pub rollback_now: RollbackNow,
    /// The rollback deadline on the forecast: at or after `now` while a
    /// rollback called now still fits; when it has passed, the last moment
    /// it would have (before `now`); `None` if no moment ever fitted.
    pub deadline: Option<f64>,
    /// The scheduled steps, in list order.
    pub steps: Vec<StepForecast>,
    /// Every step not yet done, by fail time (ties in list order).
    pub points: Vec<PointForecast>,
    /// The crews limit some rollback, but the plan is too big to schedule
    /// every one with them: the chains are the longest chains of undos.
    pub rollback_crews_skipped: bool,
}

impl Forecast {
    /// `deadline - now`; `None` without a deadline.
    pub fn to_deadline(&self) -> Option<f64> {
        self.deadline.map(|d| d - self.now)
    }
}

/// The forecast of `plan` (simulated as `sim`) from `record`; `None`
/// without a window.
pub fn forecast(plan: &Plan, graph: &PlanGraph, sim: &Simulation, record: &Record) -> Option<Forecast> {
    Some(forecast_with(&timing(plan, graph)?, graph, sim, record))
}

/// The odds from now on: how often, over Monte Carlo runs that draw every
/// duration still to come (what has finished stays as it happened; a
/// running step's draw counts from its actual start), the steps finish
/// inside the window, a rollback called now fits, a rollback can still be
/// called later (the deadline is at or after now), and each point ahead
/// fits.
#[derive(Clone, Debug, PartialEq)]
pub struct Odds {
    pub runs: u32,
    pub seed: u64,
    pub forward_fits: f64,
    pub rollback_now_fits: f64,
    pub deadline_ahead: f64,
    /// Per failure point of the forecast, in its order: the share of runs
    /// in which a failure of that step can be rolled back in time.
    pub points: Vec<f64>,
}

/// How many undos (and steps) the odds may place in all: the runs are cut
/// to fit, at least one.
pub const ODDS_WORK: u64 = 30_000_000;

/// [`Odds`] of `forecast` (the forecast of `plan` from `record`) over at
/// most `runs` runs from `seed`, fewer when each run is big (see
/// [`ODDS_WORK`]). `None` without a window.
pub fn odds(
    plan: &Plan,
    graph: &PlanGraph,
    sim: &Simulation,
    record: &Record,
    forecast: &Forecast,
    runs: u32,
    seed: u64,
) -> Option<Odds> {
    let t = timing(plan, graph)?;
    let steps = forecast.steps.len() as u64;
    // A run schedules the steps, and with crews a rollback per started set.
    // (A step costs about as much as 64 undos placed: the forecast sorts.)
    let per_run = if t.crews_limit_rollbacks() { (steps + 2) * (steps + 2) } else { (steps + 2) * 64 };
    let runs = runs.min((ODDS_WORK / per_run.max(1)).clamp(1, u64::from(u32::MAX)) as u32);
    let (mut forward, mut now_fits, mut ahead) = (0u32, 0u32, 0u32);
    let mut fits = vec![0u32; plan.steps.len()];
    for t in crate::sim::drawn_timings(plan, graph, runs, seed)? {
        let f = forecast_with(&t, graph, sim, record);
        forward += u32::from(f.forward_fits);
        now_fits += u32::from(f.rollback_now.fits && !f.rollback_now.no_way_back);
        ahead += u32::from(f.deadline.is_some_and(|d| d >= f.now));
        for p in f.points.iter().filter(|p| p.fits && !p.no_way_back) {
            fits[p.step] += 1;
        }
    }
    let share = |hits: u32| if runs == 0 { 0.0 } else { f64::from(hits) / f64::from(runs) };
    Some(Odds {
        runs,
        seed,
        forward_fits: share(forward),
        rollback_now_fits: share(now_fits),
        deadline_ahead: share(ahead),
        points: forecast.points.iter().map(|p| share(fits[p.step])).collect(),
    })
}

fn forecast_with(t: &Timing, graph: &PlanGraph, sim: &Simulation, record: &Record) -> Forecast {
    let now = record.now;
    let n = t.takes.len();
    let (mut start, mut finish) = (vec![0.0f64; n], vec![f64::NEG_INFINITY; n]);
    let mut status = vec![Status::Waiting; n];
    for &x in &graph.order {
        if !t.scheduled[x] {
            continue;
        }
        let actual = record.steps.get(x).copied().unwrap_or_default();
        let ready = graph.deps(x).filter(|&d| t.scheduled[d]).map(|d| finish[d]).fold(0.0f64, f64::max);
        (status[x], start[x], finish[x]) = match (actual.started, actual.finished) {
            (Some(s), Some(f)) => (Status::Done, s, f),
            (Some(s), None) => (Status::Running, s, now.max(s + t.takes[x])),
            _ => {
                let s = now.max(ready);
                (Status::Waiting, s, s + t.takes[x])
            }
        };
    }
    let fixed: Vec<bool> = status.iter().map(|&s| s != Status::Waiting).collect();
    let running: Vec<bool> = status.iter().map(|&s| s == Status::Running).collect();
    t.place_with_crews(now, &fixed, &running, &mut start, &mut finish);
    let scheduled: Vec<usize> = (0..n).filter(|&x| t.scheduled[x]).collect();
    let steps: Vec<StepForecast> = scheduled
        .iter()
        .map(|&x| {
            let planned = sim.slots.get(x).copied().flatten().map_or(finish[x], |s| s.finish);
            StepForecast { step: x, status: status[x], start: start[x], finish: finish[x], late: finish[x] - planned }
        })
        .collect();
    let forward_finish = scheduled.iter().map(|&x| finish[x]).fold(0.0f64, f64::max);
    let prep_irreversible = (0..n).any(|x| t.prep[x] && t.irreversible[x]);

    // The steps by start (ties in list order), with the running maximum of
    // their undo chains: the chain of every "started before" set.
    // Ties in topological order, as the simulation's start order.
    let mut rank = vec![0u64; n];
    for (k, &x) in graph.order.iter().enumerate() {
        rank[x] = k as u64;
    }
    let mut by_start = scheduled.clone();
    crate::order::sort_by_key(&mut by_start, |&x| (crate::order::f64_key(start[x]), rank[x]));
    let mut place = vec![0u32; n];
    for (k, &x) in by_start.iter().enumerate() {
        place[x] = k as u32;
    }
    let mut prefix = Vec::with_capacity(by_start.len());
    let mut running = t.prep_chain;
    for &x in &by_start {
        running = running.max(t.chain_to[x]);
        prefix.push(running);
    }
    let ahead = {
        let mut ahead: Vec<usize> = scheduled.iter().copied().filter(|&x| status[x] != Status::Done).collect();
        crate::order::sort_by_key(&mut ahead, |&x| (crate::order::f64_key(finish[x]), x as u64));
        ahead
    };
    // With crews, each started set's chain is its own schedule, one per
    // count started (the deadline's and the points' sets are all such
    // prefixes), and one for a rollback now: at most this many undos placed.
    let sets = (by_start.len() + 2) as u64;
    let work = sets.saturating_mul((by_start.len() + t.prep.len()) as u64);
    let crewed = t.crews_limit_rollbacks() && work <= crate::limits::MAX_CREW_WORK;
    let mut scratch = CrewScratch::default();
    let mut crew_chain = |started: &mut dyn Iterator<Item = usize>| {
        if crewed { t.crew_chain(started, &mut scratch) } else { None }
    };
    let counted: Vec<f64> = if crewed {
        (0..=by_start.len()).map(|k| crew_chain(&mut by_start[..k].iter().copied()).unwrap_or(f64::NAN)).collect()
    } else {
        Vec::new()
    };
    let chain_of = |k: usize| match counted.get(k) {
        Some(&c) => c,
        None if k == 0 => t.prep_chain,
        None => prefix[k - 1],
    };
    let first_irreversible = by_start.iter().find(|&&x| t.irreversible[x]).map(|&x| start[x]);
    let done_at = |when: f64, chain: f64| when + t.decide + chain + t.verify;

    let started_now: Vec<usize> = scheduled.iter().copied().filter(|&x| status[x] != Status::Waiting).collect();
    let chain = crew_chain(&mut started_now.iter().copied())
        .unwrap_or_else(|| started_now.iter().map(|&x| t.chain_to[x]).fold(t.prep_chain, f64::max));
    let done = done_at(now, chain);
    let no_way_back = prep_irreversible || started_now.iter().any(|&x| t.irreversible[x]);
    let rollback_now = RollbackNow { chain, done, margin: t.window - done, fits: done <= t.window, no_way_back };

    let deadline = if prep_irreversible {
        None
    } else {
        let budget = t.window - t.decide - t.verify;
        walk_deadline(
            budget,
            first_irreversible.unwrap_or(f64::INFINITY),
            by_start.len(),
            |k| start[by_start[k]],
            chain_of,
        )
    };

    let points = ahead
        .iter()
        .map(|&x| {
            let fail = finish[x];
            // What started before the failure, and `x` with the steps that
            // start with it and come first (a step that takes no time
            // fails as it starts), as the simulation counts them.
            let started = by_start.partition_point(|&y| start[y] < fail).max(place[x] as usize + 1);
            let chain = chain_of(started);
            let done = done_at(fail, chain);
            let no_way_back = prep_irreversible || t.irreversible[x] || first_irreversible.is_some_and(|s| s < fail);
            PointForecast { step: x, fail, chain, done, margin: t.window - done, fits: done <= t.window, no_way_back }
        })
        .collect();
    Forecast {
        now,
        forward_finish,
        forward_fits: forward_finish <= t.window,
        rollback_now,
        deadline,
        steps,
        points,
        rollback_crews_skipped: t.crews_limit_rollbacks() && !crewed,
    }
}
