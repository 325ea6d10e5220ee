//! Monte Carlo: every three-point duration drawn from a PERT distribution
//! (beta, shape 4) over `[best, worst]` with mode `likely`, fixed durations
//! kept, and the whole evaluation repeated per run.
//!
//! Reproducible from a seed, natively and in wasm alike (see [`super::pert`]),
//! with draws in one fixed order: for each step in list order its duration,
//! then its undo's; then `decide`, then `verify`.
//!
//! The runs come in batches of [`Settings::batch`] runs (the last may be
//! shorter). Batch `k` draws from stream `k` of ChaCha8 seeded with the seed,
//! so what a batch counts depends on the seed and `k` alone: [`Sampler::batch`]
//! may run batches in any order, on any thread, and [`Tally`] adds them up in
//! index order, checking the stopping rule only between batches. Whatever ran
//! where, one seed gives one set of figures. Batch 0 draws from stream 0,
//! the stream the runs drew from before there were batches: one batch of all
//! the runs (lint's, see [`Settings::for_lint`]) gives the figures it always gave.
//!
//! Runs come in antithetic pairs unless [`Settings::antithetic`] is off
//! (lint's runs): the second run of a pair mirrors the first one's draws
//! (see [`super::pert::Draws::follow`]), and the batch counts, per share,
//! the pairs that fit in both runs, from which [`Tally::half_width`] measures
//! how much the pairs gained.
//!
//! The stopping rule: every reported probability (the forward plan's, and
//! every failure point's rollback) has a 95% Wilson score interval no wider
//! than [`Settings::precision`] either side. Wilson rather than the normal
//! approximation because most of these shares are at or near 0 or 1, where
//! the normal approximation's interval shrinks to nothing (a share of 1.0 out
//! of 10 runs would look exact) while Wilson's stays honest.

use std::collections::BTreeMap;

use super::Simulation;
use super::crew::{Crews, Scratch};
use super::fits::FitBuffers;
use super::model::{Draw, Durations, Est, Eval, Forward, Model, Purpose};
use super::pert::{Draws, Pert};
use crate::graph::PlanGraph;
use crate::limits::{CREW_MONTE_CARLO_WORK, MAX_RUNS};
use crate::model::Plan;

/// Runs per batch, unless told otherwise: small enough that the stopping
/// rule is checked often (a plan whose shares are all near 0 or 1 is done
/// after 200 runs) and threads share the work evenly, large enough that a
/// batch's bookkeeping is nothing beside its runs.
pub const BATCH: u32 = 100;

/// The default precision: a 95% half-width of one percentage point.
pub const PRECISION: f64 = 0.01;

/// The 97.5th percentile of the standard normal distribution.
const Z95: f64 = 1.959_963_984_540_054;

/// How many runs, from which seed, and when to stop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The most runs; exactly this many when `precision` is `None`.
    pub runs: u32,
    pub seed: u64,
    /// Stop at the first batch boundary at which every reported probability
    /// has a 95% half-width of at most this.
    pub precision: Option<f64>,
    /// Runs per batch. The figures depend on it (each batch has its own
    /// random stream): keep [`BATCH`] unless you need another layout.
    pub batch: u32,
    /// Whether runs come in antithetic pairs (see [`Tally::half_width`]):
    /// the second run of each pair mirrors the first one's draws.
    pub antithetic: bool,
}

impl Settings {
    /// What `retreat simulate` uses unless told otherwise: until every
    /// probability is known to a percentage point (95%), or 10,000 runs.
    pub const DEFAULT: Settings =
        Settings { runs: 10_000, seed: 1, precision: Some(PRECISION), batch: BATCH, antithetic: true };

    /// Exactly `runs` runs from `seed` (`retreat simulate --runs N`).
    pub const fn exactly(runs: u32, seed: u64) -> Settings {
        Settings { runs, seed, precision: None, batch: BATCH, antithetic: true }
    }

    /// What lint uses for T004: 1,000 runs from seed 1, so lint output is the
    /// same every time. Plans of more than 150 steps get fewer runs (150,000
    /// step evaluations in all, at least 15), so that linting a 10,000-step
    /// plan stays under 100 ms; `retreat simulate` is the precise tool. One
    /// batch: lint's figures are the ones it gave before batches.
    pub fn for_lint(steps: usize) -> Settings {
        const RUNS: usize = 1_000;
        const WORK: usize = 150_000;
        let runs = (WORK / steps.max(1)).clamp(15, RUNS) as u32;
        Settings { runs, seed: 1, precision: None, batch: runs, antithetic: false }
    }

    /// The most runs, within [`MAX_RUNS`].
    pub fn most_runs(&self) -> u32 {
        self.runs.min(MAX_RUNS)
    }

    fn batch_size(&self) -> u32 {
        self.batch.max(1)
    }

    /// How many batches there are at most.
    pub fn batches(&self) -> u32 {
        self.most_runs().div_ceil(self.batch_size())
    }

    /// How many runs batch `index` has.
    fn runs_of(&self, index: u32) -> u32 {
        let before = u64::from(index) * u64::from(self.batch_size());
        (u64::from(self.most_runs()).saturating_sub(before)).min(u64::from(self.batch_size())) as u32
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
    /// The precision reached: the largest 95% half-width (Wilson score
    /// interval) over the reported probabilities, `p_forward_fits` and every
    /// `p_rollback_fits`.
    pub half_width: f64,
    /// Share of runs whose forward plan finishes inside the window.
    pub p_forward_fits: f64,
    /// Per failure point (in the simulation's point order).
    pub p_rollback_fits: Vec<f64>,
    /// Per failure point, how many runs' rollbacks were done in each bin of
    /// [`BINS`] over `[0, SPAN * window)`; the window ends at bin
    /// `BINS / SPAN`. Empty if not counted ([`Sampler::without_histograms`]).
    pub done_histograms: Vec<Vec<u32>>,
    /// The same for the forward plan's finish (always counted).
    pub forward_histogram: Vec<u32>,
}

/// The 95% Wilson score interval's half-width for `hits` out of `n`; 0.5
/// (the whole of `[0, 1]`) for no runs at all.
pub fn wilson_half_width(hits: u32, n: u32) -> f64 {
    if n == 0 {
        return 0.5;
    }
    wilson(f64::from(hits.min(n)) / f64::from(n), f64::from(n))
}

/// The least design effect [`Tally::half_width`] grants antithetic pairs: at
/// most twenty times fewer runs than independent ones would need, however
/// well the pairs seem to cancel out.
pub const MIN_DEFF: f64 = 0.05;

/// The 95% half-width of a share with `hits` fitting runs out of `pairs`
/// antithetic pairs, `both` of which fitted in both runs.
pub fn paired_half_width(hits: u32, both: u32, pairs: u32) -> f64 {
    let (m, n) = (f64::from(pairs), 2.0 * f64::from(pairs));
    let p = f64::from(hits) / n;
    if pairs < 2 || p <= 0.0 || p >= 1.0 {
        return wilson_half_width(hits, 2 * pairs);
    }
    // Each pair's mean is 1, 1/2 or 0.
    let split = f64::from(hits.saturating_sub(2 * both));
    let mean_square = (f64::from(both) + split / 4.0) / m;
    let variance = (mean_square - p * p).max(0.0) * m / (m - 1.0);
    let deff = (2.0 * variance / (p * (1.0 - p))).clamp(MIN_DEFF, 2.0);
    wilson(p, n / deff)
}

/// The 95% Wilson score half-width of share `p` among `n` (not necessarily
/// whole) independent runs.
fn wilson(p: f64, n: f64) -> f64 {
    let z2 = Z95 * Z95;
    Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt()
}

/// What one batch counted. Its figures depend only on the seed, the batch's
/// index and the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    index: u32,
    runs: u32,
    forward_fits: u32,
    /// Per failure point, in the simulation's point order.
    rollback_fits: Vec<u32>,
    /// [`BINS`] counts per failure point, point after point (none if not counted).
    histograms: Vec<u32>,
    forward_histogram: [u32; BINS],
    /// Complete antithetic pairs, and per share how many pairs fit in both
    /// runs (the forward plan's, then per failure point; empty unless the
    /// runs are paired).
    pairs: u32,
    forward_both: u32,
    rollback_both: Vec<u32>,
}

impl Batch {
    fn empty(index: u32, points: usize, histograms: bool) -> Batch {
        Batch {
            index,
            runs: 0,
            forward_fits: 0,
            rollback_fits: vec![0; points],
            histograms: vec![0; if histograms { points * BINS } else { 0 }],
            forward_histogram: [0; BINS],
            pairs: 0,
            forward_both: 0,
            rollback_both: vec![0; points],
        }
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn runs(&self) -> u32 {
        self.runs
    }
}

/// A batch under way: its random stream and its buffers, so that it can be
/// run a few runs at a time (see [`super::Progress`]).
pub(crate) struct Running {
    pub batch: Batch,
    /// Runs still to do.
    pub left: u32,
    draws: Draws,
    /// One run's durations and buffers per lane (see [`LANES`]).
    durations: [Durations; LANES],
    evals: [Eval; LANES],
    fit: FitBuffers,
    /// Per failure point (and the forward plan), the pair whose leading run
    /// fitted there last: `run / 2 + 1` (0 for none).
    marks: Vec<u32>,
    forward_mark: u32,
    /// The crew schedules' buffers (runs with crews go one at a time).
    crew: Scratch,
}

/// A run's place in its antithetic pair.
#[derive(Clone, Copy)]
enum Role {
    /// Not paired (or not yet known to be).
    Single,
    /// Leads pair `id` / follows it.
    Lead(u32),
    Follow(u32),
}

impl Role {
    /// The role of run `run` (counted from 0 in its batch).
    fn of(run: u32, antithetic: bool) -> Role {
        match (antithetic, run % 2) {
            (false, _) => Role::Single,
            (true, 0) => Role::Lead(run / 2 + 1),
            (true, _) => Role::Follow(run / 2 + 1),
        }
    }
}

/// How many runs go through the forward pass side by side
/// ([`Model::evaluate_chains_lanes`]).
const LANES: usize = 4;

pub(super) fn distribution(e: Est) -> Option<Pert> {
    match e {
        Est::Fixed(_) => None,
        Est::Pert { best, likely, worst } => Pert::new(best, likely, worst),
    }
}

/// The runs of one Monte Carlo simulation, batch by batch: built once per
/// plan, then [`Sampler::batch`] for each batch, from any number of threads.
pub struct Sampler<'a> {
    model: Model<'a>,
    settings: Settings,
    /// The three-point durations, in the order they are drawn.
    perts: Vec<(Draw, Pert)>,
    /// For each of the model's failure points, its place among the simulation's.
    place: Vec<u32>,
    points: usize,
    /// Histogram bins per second.
    bins_per_sec: f64,
    /// Whether any undo time is drawn (else every run's undo chains are the same).
    undo_drawn: bool,
    /// Whether the done-time histograms are counted.
    histograms: bool,
    /// Who the plan's crew limits (see [`Sampler::new`]), and whether in
    /// rollbacks too (not when the simulation skipped them).
    crews: Option<Crews>,
    rollbacks: bool,
}

impl<'a> Sampler<'a> {
    /// `sim` is the simulation of `plan` and `graph`.
    ///
    /// With crews each run schedules the rollback of every started set,
    /// which can grow with the square of the plan's size; so the runs are
    /// capped to [`CREW_MONTE_CARLO_WORK`] undos placed in all (counted on
    /// the deterministic simulation's schedules), at least one. A run's
    /// durations are drawn to the whole second there. The
    /// result says how many runs were made
    /// ([`MonteCarlo::runs`]) and how precise it is.
    pub fn new(plan: &'a Plan, graph: &'a PlanGraph, sim: &Simulation, settings: Settings) -> Sampler<'a> {
        let model = Model::new(plan, graph, sim.window_length, Purpose::MonteCarlo);
        let crews = Crews::new(plan, graph, &model);
        let mut settings = settings;
        if crews.is_some() {
            let per_run = sim.crew_work.saturating_add(model.n as u64).max(1);
            let most = (CREW_MONTE_CARLO_WORK / per_run).clamp(1, u64::from(u32::MAX)) as u32;
            settings.runs = settings.runs.min(most);
        }
        let mut place_of_step = vec![0u32; plan.steps.len()];
        for (k, p) in sim.points.iter().enumerate() {
            place_of_step[p.step] = k as u32;
        }
        let place = model.points.iter().map(|&s| place_of_step[s as usize]).collect();
        let perts = model.uncertain.iter().filter_map(|&(draw, est)| Some((draw, distribution(est)?))).collect();
        let bins_per_sec = BINS as f64 / (SPAN * model.window.max(1.0));
        let undo_drawn = model.uncertain.iter().any(|(draw, _)| matches!(draw, Draw::Undo(_)));
        let points = sim.points.len();
        let rollbacks = !sim.rollback_crews_skipped;
        Sampler { model, settings, perts, place, points, bins_per_sec, undo_drawn, histograms: true, crews, rollbacks }
    }

    /// A sampler that does not count the done-time histograms (the app
    /// draws them; the command line shows none): about a tenth less work a
    /// run on big plans, and a batch of a few bytes a point instead of 120.
    /// Every other figure stays the same.
    pub fn without_histograms(self) -> Sampler<'a> {
        Sampler { histograms: false, ..self }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The tally these batches add up in.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::new(self.points, self.settings);
        tally.sum = Batch::empty(0, self.points, self.histograms);
        tally
    }

    /// Runs batch `index` (of [`Settings::batches`]) whole.
    pub fn batch(&self, index: u32) -> Batch {
        let mut running = self.start(index);
        self.advance(&mut running, u32::MAX);
        running.batch
    }

    pub(crate) fn start(&self, index: u32) -> Running {
        Running {
            batch: Batch::empty(index, self.points, self.histograms),
            left: self.settings.runs_of(index),
            draws: Draws::new(self.settings.seed, u64::from(index)),
            durations: std::array::from_fn(|_| self.model.likely.clone()),
            evals: Default::default(),
            fit: FitBuffers::default(),
            marks: vec![0; self.points],
            forward_mark: 0,
            crew: Scratch::default(),
        }
    }

    /// Does up to `runs` more runs of `r`; returns how many it did.
    pub(crate) fn advance(&self, r: &mut Running, runs: u32) -> u32 {
        let todo = runs.min(r.left);
        if todo == 0 {
            return 0;
        }
        let model = &self.model;
        if self.perts.is_empty() {
            // Every run is the deterministic one: evaluate once, count it `todo` times.
            // Each pair's runs are the same: it fits in both where one fits.
            self.evaluate(&model.likely, &mut r.evals[0], &mut r.crew);
            let b = &mut r.batch;
            let (forward_fits, rollback_fits) = (b.forward_fits, b.rollback_fits.clone());
            self.count(b, &mut r.marks, &model.likely, &r.evals[0], todo, Role::Single);
            self.count_forward(b, &mut r.forward_mark, &r.evals[0], todo, Role::Single);
            if self.settings.antithetic {
                let pairs = (b.runs + todo) / 2 - b.runs / 2;
                b.pairs += pairs;
                b.forward_both += pairs * u32::from(b.forward_fits > forward_fits);
                for ((both, &now), &before) in b.rollback_both.iter_mut().zip(&b.rollback_fits).zip(&rollback_fits) {
                    *both += pairs * u32::from(now > before);
                }
            }
        } else if self.crews.is_some() {
            // One run at a time (the crew schedules have no lanes), paired
            // as the others are.
            for j in 0..todo {
                let role = Role::of(r.batch.runs + j, self.settings.antithetic);
                match role {
                    Role::Single => {}
                    Role::Lead(_) => r.draws.lead(),
                    Role::Follow(_) => r.draws.follow(),
                }
                // Whole seconds where the crews limit rollbacks: those are
                // then worked out from each other exactly (`prefixes.rs`).
                let whole = self.crew_rollbacks();
                let d = &mut r.durations[0];
                for (draw, pert) in &self.perts {
                    let t = r.draws.pert(pert);
                    d.set(*draw, if whole { t.round() } else { t });
                }
                self.evaluate(&r.durations[0], &mut r.evals[0], &mut r.crew);
                self.count(&mut r.batch, &mut r.marks, &r.durations[0], &r.evals[0], 1, role);
                self.count_forward(&mut r.batch, &mut r.forward_mark, &r.evals[0], 1, role);
            }
        } else {
            // Runs `LANES` at a time, the rest one by one; the draws go run
            // after run either way, so the figures do not depend on it.
            let mut done = 0;
            while done < todo {
                let lanes = if todo - done >= LANES as u32 { LANES } else { 1 };
                let first = r.batch.runs + done;
                let role = |j: usize| Role::of(first + j as u32, self.settings.antithetic);
                for (j, d) in r.durations[..lanes].iter_mut().enumerate() {
                    match role(j) {
                        Role::Single => {}
                        Role::Lead(_) => r.draws.lead(),
                        Role::Follow(_) => r.draws.follow(),
                    }
                    for (draw, pert) in &self.perts {
                        d.set(*draw, r.draws.pert(pert));
                    }
                }
                let forward: Vec<Forward> = if lanes == LANES {
                    let d = std::array::from_fn(|j| &r.durations[j]);
                    model.forward_runs(d, &mut r.evals, self.undo_drawn).to_vec()
                } else {
                    let [e, ..] = &mut r.evals;
                    model.forward_runs([&r.durations[0]], std::array::from_mut(e), self.undo_drawn).to_vec()
                };
                let runs = r.durations.iter().zip(&mut r.evals).zip(forward).enumerate();
                for (j, ((d, e), forward)) in runs {
                    if self.histograms || forward.1 {
                        model.chains_after_forward(d, e, forward);
                        self.count(&mut r.batch, &mut r.marks, d, e, 1, role(j));
                    } else {
                        self.count_fits(&mut r.batch, &mut r.marks, d, e, forward.0, &mut r.fit, role(j));
                    }
                    self.count_forward(&mut r.batch, &mut r.forward_mark, e, 1, role(j));
                }
                done += lanes as u32;
            }
        }
        r.left -= todo;
        r.batch.runs += todo;
        todo
    }

    /// Whether the runs schedule rollbacks with crews.
    fn crew_rollbacks(&self) -> bool {
        self.rollbacks && self.crews.as_ref().is_some_and(Crews::limits_rollback)
    }

    /// One run's schedule and chains, with crews if the plan has them.
    fn evaluate(&self, d: &Durations, e: &mut Eval, crew: &mut Scratch) {
        match &self.crews {
            // The durations are whole seconds: each started set's rollback
            // is worked out from the last one's, as in the simulation.
            #[cfg(feature = "incremental-crews")]
            Some(crews) if self.crew_rollbacks() => {
                let by = &mut super::prefixes::Incremental::new(crews);
                crews.evaluate_chains(&self.model, d, e, crew, (self.rollbacks, by))
            }
            Some(crews) => {
                let by = &mut super::chains::FromScratch::default();
                crews.evaluate_chains(&self.model, d, e, crew, (self.rollbacks, by))
            }
            None => self.model.evaluate_chains(d, e, self.undo_drawn),
        }
    }

    /// [`Sampler::count`] without the histograms, for a run whose forward
    /// pass had no step of zero duration: see [`super::fits`].
    #[allow(clippy::too_many_arguments)]
    fn count_fits(
        &self,
        b: &mut Batch,
        marks: &mut [u32],
        d: &Durations,
        e: &Eval,
        prep_chain: f64,
        fit: &mut FitBuffers,
        role: Role,
    ) {
        let (fits, both, place) = (&mut b.rollback_fits, &mut b.rollback_both, &self.place);
        self.model.fitting((d.decide, d.verify), e, prep_chain, fit, |i| {
            let k = place[i] as usize;
            fits[k] += 1;
            pair(role, &mut marks[k], &mut both[k]);
        });
    }

    /// Counts `times` runs' forward plan (its fit, its histogram, its pair).
    fn count_forward(&self, b: &mut Batch, mark: &mut u32, e: &Eval, times: u32, role: Role) {
        if e.forward_finish <= self.model.window {
            b.forward_fits += times;
            pair(role, mark, &mut b.forward_both);
        }
        b.forward_histogram[self.bin(e.forward_finish)] += times;
        if let Role::Follow(_) = role {
            b.pairs += 1;
        }
    }

    /// The histogram bin of a time. Times are never negative; a NaN would
    /// go to bin 0 (`as` saturates).
    fn bin(&self, t: f64) -> usize {
        ((t * self.bins_per_sec) as usize).min(BINS - 1)
    }

    /// Counts `times` runs of evaluation `e` at every failure point (the
    /// forward plan: [`Sampler::count_forward`]).
    fn count(&self, b: &mut Batch, marks: &mut [u32], d: &Durations, e: &Eval, times: u32, role: Role) {
        let window = self.model.window;
        let bin = |t: f64| self.bin(t);
        let points = self.model.points.iter().zip(&e.point_chain).zip(&self.place);
        for ((&step, &chain), &k) in points {
            let fail = e.fin[step as usize];
            let done = fail + d.decide + chain + d.verify;
            let k = k as usize;
            if done <= window {
                b.rollback_fits[k] += times;
                pair(role, &mut marks[k], &mut b.rollback_both[k]);
            }
            if self.histograms {
                b.histograms[k * BINS + bin(done)] += times;
            }
        }
    }
}

/// A run of `role` fitted at a share whose mark is `mark`: the leading run
/// marks it with its pair, the following run finds its pair's mark there
/// and counts the pair as fitting in both.
fn pair(role: Role, mark: &mut u32, both: &mut u32) {
    match role {
        Role::Single => {}
        Role::Lead(id) => *mark = id,
        Role::Follow(id) => *both += u32::from(*mark == id),
    }
}

/// Batches added up in index order, whatever order they come in, with the
/// stopping rule checked after each.
#[derive(Clone, Debug)]
pub struct Tally {
    settings: Settings,
    /// The index of the next batch to add.
    next: u32,
    /// The sum so far, as one batch.
    sum: Batch,
    /// Batches that came before their turn.
    waiting: BTreeMap<u32, Batch>,
    finished: bool,
}

impl Tally {
    /// A tally for a simulation of `points` failure points, histograms
    /// counted ([`Sampler::tally`] makes the one for its batches).
    pub fn new(points: usize, settings: Settings) -> Tally {
        let finished = settings.batches() == 0;
        Tally { settings, next: 0, sum: Batch::empty(0, points, true), waiting: BTreeMap::new(), finished }
    }

    /// Takes a batch, in any order: it is kept until every batch before it
    /// has come, then added. Returns whether the simulation is finished.
    /// Batches after the finish, and any added already, are dropped.
    pub fn add(&mut self, batch: Batch) -> bool {
        let fits = batch.rollback_fits.len() == self.sum.rollback_fits.len()
            && batch.rollback_both.len() == self.sum.rollback_both.len()
            && batch.histograms.len() == self.sum.histograms.len();
        if self.finished || batch.index < self.next || !fits {
            return self.finished;
        }
        self.waiting.insert(batch.index, batch);
        while !self.finished
            && let Some(batch) = self.waiting.remove(&self.next)
        {
            self.merge(&batch);
            self.next += 1;
            let precise = self.settings.precision.is_some_and(|h| self.half_width() <= h);
            self.finished = precise || self.next >= self.settings.batches();
        }
        if self.finished {
            self.waiting.clear();
        }
        self.finished
    }

    fn merge(&mut self, b: &Batch) {
        let sum = &mut self.sum;
        sum.runs += b.runs;
        sum.forward_fits += b.forward_fits;
        for (s, x) in sum.rollback_fits.iter_mut().zip(&b.rollback_fits) {
            *s += x;
        }
        for (s, x) in sum.histograms.iter_mut().zip(&b.histograms) {
            *s += x;
        }
        for (s, x) in sum.forward_histogram.iter_mut().zip(&b.forward_histogram) {
            *s += x;
        }
        sum.pairs += b.pairs;
        sum.forward_both += b.forward_both;
        for (s, x) in sum.rollback_both.iter_mut().zip(&b.rollback_both) {
            *s += x;
        }
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The index of the next batch to add: every one before it is in.
    pub fn next_batch(&self) -> u32 {
        self.next
    }

    /// Runs added so far.
    pub fn runs(&self) -> u32 {
        self.sum.runs
    }

    /// The largest 95% half-width over the reported probabilities so far.
    ///
    /// Runs one at a time: the Wilson interval of the share nearest one
    /// half (the widest). Antithetic pairs: each share's Wilson interval with
    /// its effective number of runs, `runs / deff`, where the design effect
    /// `deff` is the variance of the pairs' means over what independent runs
    /// would give (`2 s² / p (1 - p)`), kept within `[MIN_DEFF, 2]`. A share
    /// at 0 or 1 has no variance to measure: independent runs' interval.
    pub fn half_width(&self) -> f64 {
        let sum = &self.sum;
        let n = sum.runs;
        let shares = std::iter::once((sum.forward_fits, sum.forward_both))
            .chain(sum.rollback_fits.iter().copied().zip(sum.rollback_both.iter().copied()));
        if !self.settings.antithetic || 2 * sum.pairs != n || sum.pairs < 2 {
            let off_half = |hits: u32| (2 * u64::from(hits)).abs_diff(u64::from(n));
            let nearest = shares.map(|(hits, _)| hits).min_by_key(|&hits| off_half(hits)).unwrap_or(0);
            return wilson_half_width(nearest, n);
        }
        shares.map(|(hits, both)| paired_half_width(hits, both, sum.pairs)).fold(0.0, f64::max)
    }

    /// The figures of the batches added so far (final once finished).
    pub fn result(&self) -> MonteCarlo {
        let sum = &self.sum;
        let share = |count: u32| if sum.runs == 0 { 0.0 } else { f64::from(count) / f64::from(sum.runs) };
        MonteCarlo {
            runs: sum.runs,
            seed: self.settings.seed,
            half_width: self.half_width(),
            p_forward_fits: share(sum.forward_fits),
            p_rollback_fits: sum.rollback_fits.iter().map(|&c| share(c)).collect(),
            done_histograms: sum.histograms.chunks_exact(BINS).map(<[u32]>::to_vec).collect(),
            forward_histogram: sum.forward_histogram.to_vec(),
        }
    }
}

/// All the runs at once, batch after batch, on this thread.
pub fn run(plan: &Plan, graph: &PlanGraph, sim: &Simulation, settings: Settings) -> MonteCarlo {
    let sampler = Sampler::new(plan, graph, sim, settings);
    let mut tally = sampler.tally();
    let mut index = 0;
    while !tally.is_finished() {
        tally.add(sampler.batch(index));
        index += 1;
    }
    tally.result()
}
