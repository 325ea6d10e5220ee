//! The evaluation both the deterministic simulation and every Monte Carlo run
//! share: one schedule, the undo chain of every started set, and every
//! failure point, in O(steps + edges): even the fail times, which the
//! contract lists points by, are sorted by radix (see [`crate::order::argsort`]).
//!
//! All times are seconds from the window's start, as `f64`: sums of whole
//! seconds stay exact, so a deterministic point that fits "exactly" fits.

use super::Slot;
use crate::graph::PlanGraph;
use crate::model::{Estimate, Kind, Phase, Plan, StepColumns};
use std::borrow::Cow;

/// A duration in seconds: fixed, or a PERT estimate to draw from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Est {
    Fixed(f64),
    Pert { best: f64, likely: f64, worst: f64 },
}

impl Est {
    pub fn of(e: Option<Estimate>) -> Est {
        match e {
            None => Est::Fixed(0.0),
            Some(Estimate::Fixed { secs }) => Est::Fixed(secs.0 as f64),
            Some(Estimate::ThreePoint { best, likely, worst }) if best == worst => Est::Fixed(likely.0 as f64),
            Some(Estimate::ThreePoint { best, likely, worst }) => {
                Est::Pert { best: best.0 as f64, likely: likely.0 as f64, worst: worst.0 as f64 }
            }
        }
    }

    /// The figure deterministic results use.
    pub fn likely(self) -> f64 {
        match self {
            Est::Fixed(s) => s,
            Est::Pert { likely, .. } => likely,
        }
    }
}

/// Which duration a Monte Carlo draw is for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Draw {
    Forward(u32),
    Undo(u32),
    Decide,
    Verify,
}

impl Durations {
    pub fn set(&mut self, draw: Draw, secs: f64) {
        match draw {
            Draw::Forward(i) => self.fwd[i as usize] = secs,
            Draw::Undo(i) => self.undo[i as usize] = secs,
            Draw::Decide => self.decide = secs,
            Draw::Verify => self.verify = secs,
        }
    }
}

/// What a forward pass found of one run: its longest prep chain, and
/// whether a scheduled step took no time.
pub(crate) type Forward = (f64, bool);

/// Marks "no such step" in `u32` step indices.
pub(crate) const NONE: u32 = u32::MAX;

/// What a model is built for: only Monte Carlo needs the estimates to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Simulate,
    MonteCarlo,
}

/// The plan reduced to what timing needs; the plan's step columns and the
/// graph's flat arrays borrowed.
pub(crate) struct Model<'a> {
    pub n: usize,
    graph: &'a PlanGraph,
    /// The steps' fields, among them what each step and its undo write.
    pub columns: Cow<'a, StepColumns>,
    pub prep: Vec<bool>,
    pub scheduled: Vec<bool>,
    /// `change` steps that are not irreversible: a rollback undoes them.
    pub undone: Vec<bool>,
    pub irreversible: Vec<bool>,
    /// Every duration at its likely value.
    pub likely: Durations,
    /// The three-point durations, in the order Monte Carlo draws them: for
    /// each step in list order its own, then its undo's; then decide, verify.
    /// Empty unless built for [`Purpose::MonteCarlo`].
    pub uncertain: Vec<(Draw, Est)>,
    /// Length of the window.
    pub window: f64,
    /// The failure points: the scheduled steps, in list order.
    pub points: Vec<u32>,
    /// The steps in topological order: prep, the rest, and the scheduled
    /// ones among the rest (which every evaluation walks several times).
    prep_order: Vec<u32>,
    rest_order: Vec<u32>,
    scheduled_order: Vec<u32>,
}

impl<'a> Model<'a> {
    pub fn new(plan: &'a Plan, graph: &'a PlanGraph, window: f64, purpose: Purpose) -> Model<'a> {
        let columns = plan.columns();
        let n = columns.len();
        let mut m = Model {
            n,
            graph,
            columns,
            prep: Vec::with_capacity(n),
            scheduled: Vec::with_capacity(n),
            undone: Vec::with_capacity(n),
            irreversible: Vec::with_capacity(n),
            likely: Durations { fwd: Vec::with_capacity(n), undo: Vec::with_capacity(n), decide: 0.0, verify: 0.0 },
            uncertain: Vec::new(),
            window,
            points: Vec::new(),
            prep_order: Vec::new(),
            rest_order: Vec::with_capacity(n),
            scheduled_order: Vec::with_capacity(n),
        };
        let c = &*m.columns;
        for i in 0..n {
            let (phase, kind, irreversible) = (c.phase[i], c.kind[i], c.irreversible[i]);
            let scheduled = phase.is_scheduled();
            let undone = kind == Kind::Change && !irreversible && phase != Phase::Post;
            m.prep.push(phase == Phase::Prep);
            m.scheduled.push(scheduled);
            m.undone.push(undone);
            m.irreversible.push(irreversible && phase != Phase::Post);
            if scheduled {
                m.points.push(i as u32);
            }
            let fwd = if scheduled { Est::of(c.takes[i]) } else { Est::Fixed(0.0) };
            // An undo without `takes` (or a missing undo) counts as the step's own time.
            let undo = if undone { Est::of(c.undo_takes[i].or(c.takes[i])) } else { Est::Fixed(0.0) };
            m.likely.fwd.push(fwd.likely());
            m.likely.undo.push(undo.likely());
            if purpose == Purpose::MonteCarlo {
                for (draw, est) in [(Draw::Forward(i as u32), fwd), (Draw::Undo(i as u32), undo)] {
                    if matches!(est, Est::Pert { .. }) {
                        m.uncertain.push((draw, est));
                    }
                }
            }
        }
        for &x in &graph.order {
            let list = if m.prep[x] { &mut m.prep_order } else { &mut m.rest_order };
            list.push(x as u32);
            if m.scheduled[x] {
                m.scheduled_order.push(x as u32);
            }
        }
        let rollback = plan.rollback.as_ref();
        let decide = Est::of(rollback.and_then(|r| r.decide));
        let verify = Est::of(rollback.and_then(|r| r.verify.as_ref()).and_then(|v| v.takes));
        m.likely.decide = decide.likely();
        m.likely.verify = verify.likely();
        for (draw, est) in [(Draw::Decide, decide), (Draw::Verify, verify)] {
            if purpose == Purpose::MonteCarlo && matches!(est, Est::Pert { .. }) {
                m.uncertain.push((draw, est));
            }
        }
        m
    }

    /// The scheduled steps in topological order.
    pub fn scheduled_order(&self) -> &[u32] {
        &self.scheduled_order
    }

    pub fn deps(&self, step: usize) -> &[u32] {
        self.graph.deps_of(step)
    }

    /// Schedules the plan with `d` and evaluates every failure point into `e`.
    pub fn evaluate(&self, d: &Durations, e: &mut Eval) {
        self.forward::<true, true>(d, e);
        e.chains_known = false;
        self.sort_points(e);
        self.started_sets(e);
    }

    /// [`Model::evaluate`] with `crewed` writing its forward schedule over
    /// the unlimited one (crews, section 5) before the points are read off
    /// it; returns the unlimited plan's finish.
    pub fn evaluate_crewed(&self, d: &Durations, e: &mut Eval, crewed: impl FnOnce(&mut Eval)) -> f64 {
        self.forward::<true, true>(d, e);
        let unlimited = e.forward_finish;
        crewed(e);
        e.chains_known = false;
        self.sort_points(e);
        self.started_sets(e);
        unlimited
    }

    /// What Monte Carlo needs of a run: the schedule and each failure
    /// point's rollback chain, into `e.point_chain` (in [`Model::points`]'
    /// order): the chains [`Model::points`] gives after [`Model::evaluate`].
    ///
    /// Without zero-duration steps every point's own start comes before its
    /// fail time, so its started set is prep and every step that starts
    /// before then: one sweep over the points by fail time, adding each
    /// step's chain once the step its start waits for has finished, instead
    /// of the start order and its running maximum.
    ///
    /// `undo_drawn`: whether `d.undo` may differ from the last call with `e`;
    /// if not, the undo chains of that call are used again.
    pub fn evaluate_chains(&self, d: &Durations, e: &mut Eval, undo_drawn: bool) {
        let forward = if undo_drawn || !e.chains_known {
            e.chains_known = true;
            self.forward::<true, false>(d, e)
        } else {
            self.forward::<false, false>(d, e)
        };
        self.chains_after_forward(d, e, forward);
    }

    /// [`Model::evaluate_chains`] for `L` runs at once. Their forward passes
    /// go through the steps together: each run's finish times form a chain
    /// of dependent additions (a step waits for the ones before it), and
    /// side by side those chains overlap instead of queueing. The figures
    /// are the same as one run at a time.
    #[cfg(test)]
    pub fn evaluate_chains_lanes<const L: usize>(&self, d: [&Durations; L], e: &mut [Eval; L], undo_drawn: bool) {
        let forward = self.forward_runs(d, e, undo_drawn);
        for ((d, e), forward) in d.into_iter().zip(e.iter_mut()).zip(forward) {
            self.chains_after_forward(d, e, forward);
        }
    }

    /// The forward passes of [`Model::evaluate_chains_lanes`] alone, with
    /// each step's undo chain toward its dependencies: for each run, its
    /// longest prep chain and whether a scheduled step took no time.
    pub fn forward_runs<const L: usize>(
        &self,
        d: [&Durations; L],
        e: &mut [Eval; L],
        undo_drawn: bool,
    ) -> [Forward; L] {
        let chains = undo_drawn || e.iter().any(|e| !e.chains_known);
        let forward = if chains { self.forward_lanes::<true, L>(d, e) } else { self.forward_lanes::<false, L>(d, e) };
        for e in e.iter_mut() {
            e.chains_known = true;
        }
        forward
    }

    /// The rest of [`Model::evaluate_chains`] once the forward pass is done
    /// (`forward`: what it returned).
    pub fn chains_after_forward(&self, d: &Durations, e: &mut Eval, (prep_chain, instant): (f64, bool)) {
        self.sort_points(e);
        let mut chains = std::mem::take(&mut e.point_chain);
        chains.clear();
        chains.resize(self.points.len(), 0.0);
        if instant {
            self.started_sets(e);
            for p in self.points(d, e) {
                chains[p.index] = p.chain;
            }
            e.point_chain = chains;
            return;
        }
        // The longest chain among the steps each step's finish lets start;
        // the ones that start at 0 are started before every fail time.
        let mut running = prep_chain;
        e.child_chain.clear();
        e.child_chain.resize(self.n, f64::NEG_INFINITY);
        for &x in &self.scheduled_order {
            let (x, chain) = (x as usize, e.chain_to[x as usize]);
            match e.from[x] {
                NONE => running = max(running, chain),
                from => e.child_chain[from as usize] = max(e.child_chain[from as usize], chain),
            }
        }
        let order = &e.fail_order;
        let mut k = 0;
        while k < order.len() {
            let fail = e.fin[self.points[order[k] as usize] as usize];
            let mut end = k;
            while end < order.len() && e.fin[self.points[order[end] as usize] as usize] == fail {
                chains[order[end] as usize] = running;
                end += 1;
            }
            for &i in &order[k..end] {
                running = max(running, e.child_chain[self.points[i as usize] as usize]);
            }
            k = end;
        }
        e.point_chain = chains;
    }

    /// The forward schedule and every step's undo chain toward its
    /// dependencies; returns the longest prep chain and whether a scheduled
    /// step took no time.
    ///
    /// Without `CHAINS` the chains are the ones `e` holds from before (the
    /// undo times have not changed); without `SLOTS` only `fin` is written,
    /// not `slots` (Monte Carlo reads no start times).
    fn forward<const CHAINS: bool, const SLOTS: bool>(&self, d: &Durations, e: &mut Eval) -> (f64, bool) {
        let n = self.n;
        let mut instant = false;
        e.reset(n);
        // For every step, its longest undo chain toward its dependencies (that
        // chain never changes as later steps start). Prep is done before the
        // window opens, so every other step counts as depending on all of it:
        // its undos come last. Prep steps first, then the rest.
        let prep_chain = if CHAINS { self.prep_chains(d, e) } else { e.prep_chain };
        for &x in &self.rest_order {
            let x = x as usize;
            // One walk over the dependencies: the longest undo chain, and
            // the scheduled dependency that finishes last (this step's start).
            // Unscheduled steps finish at -1 here: never later than a
            // scheduled one, so the first scheduled dependency that finishes
            // last is the one. Without branches: which one it is is random.
            let (mut longest, mut latest, mut from) = (prep_chain, UNSCHEDULED, NONE);
            for &dep in self.deps(x) {
                let dep = dep as usize;
                if CHAINS {
                    longest = max(longest, e.chain_to[dep]);
                }
                let (f, later) = (e.fin[dep], e.fin[dep] > latest);
                latest = if later { f } else { latest };
                from = if later { dep as u32 } else { from };
            }
            if CHAINS {
                e.chain_to[x] = longest + if self.undone[x] { d.undo[x] } else { 0.0 };
            }
            if self.scheduled[x] {
                instant |= d.fwd[x] == 0.0;
                let start = if from == NONE { 0.0 } else { latest };
                let finish = start + d.fwd[x];
                e.fin[x] = finish;
                if SLOTS {
                    e.slots[x] = Some(Slot { start, finish });
                }
                e.from[x] = from;
                e.finished(x, finish);
            }
        }
        e.prep_chain = prep_chain;
        (prep_chain, instant)
    }

    /// The prep steps' undo chains (prep only waits for prep); returns the longest.
    fn prep_chains(&self, d: &Durations, e: &mut Eval) -> f64 {
        let mut prep_chain = 0.0f64;
        for &x in &self.prep_order {
            let x = x as usize;
            let longest = self
                .deps(x)
                .iter()
                .filter(|&&d| self.prep[d as usize])
                .map(|&d| e.chain_to[d as usize])
                .fold(0.0, f64::max);
            e.chain_to[x] = longest + if self.undone[x] { d.undo[x] } else { 0.0 };
            prep_chain = prep_chain.max(e.chain_to[x]);
        }
        prep_chain
    }

    /// [`Model::forward`] (without slots) for `L` runs side by side.
    fn forward_lanes<const CHAINS: bool, const L: usize>(
        &self,
        d: [&Durations; L],
        e: &mut [Eval; L],
    ) -> [(f64, bool); L] {
        let mut prep_chain = [0.0f64; L];
        let mut instant = [false; L];
        for j in 0..L {
            e[j].reset(self.n);
            prep_chain[j] = if CHAINS { self.prep_chains(d[j], &mut e[j]) } else { e[j].prep_chain };
        }
        for &x in &self.rest_order {
            let x = x as usize;
            let (mut longest, mut latest, mut from) = (prep_chain, [UNSCHEDULED; L], [NONE; L]);
            for &dep in self.deps(x) {
                let dep = dep as usize;
                for j in 0..L {
                    if CHAINS {
                        longest[j] = max(longest[j], e[j].chain_to[dep]);
                    }
                    let f = e[j].fin[dep];
                    let later = f > latest[j];
                    latest[j] = if later { f } else { latest[j] };
                    from[j] = if later { dep as u32 } else { from[j] };
                }
            }
            for j in 0..L {
                let e = &mut e[j];
                if CHAINS {
                    e.chain_to[x] = longest[j] + if self.undone[x] { d[j].undo[x] } else { 0.0 };
                }
                if self.scheduled[x] {
                    instant[j] |= d[j].fwd[x] == 0.0;
                    let start = if from[j] == NONE { 0.0 } else { latest[j] };
                    let finish = start + d[j].fwd[x];
                    e.fin[x] = finish;
                    e.from[x] = from[j];
                    e.finished(x, finish);
                }
            }
        }
        std::array::from_fn(|j| {
            e[j].prep_chain = prep_chain[j];
            (prep_chain[j], instant[j])
        })
    }

    /// The failure points by fail time, ties in list order, into
    /// `e.fail_order`: the one sort, linear too. Times are never negative,
    /// so their bits sort like the numbers.
    fn sort_points(&self, e: &mut Eval) {
        let (fin, points) = (&e.fin, &self.points);
        let fail_bits = |i: usize| fin[points[i] as usize].to_bits();
        crate::order::argsort(points.len(), fail_bits, &mut e.fail_order, &mut e.sort);
    }

    /// The start order (prep, then by start time) and its running maximum of
    /// undo chains, from which [`Model::points`] reads each started set.
    fn started_sets(&self, e: &mut Eval) {
        e.reset_started(self.n);
        // Each scheduled step's finish, ranked among the distinct times (time
        // 0 ranks 0). A step starts at 0 or at a dependency's finish, so the
        // same ranks order the starts: a counting sort, stable in topological
        // order, puts the steps in start order in linear time.
        let (mut rank, mut last) = (0u32, 0.0f64);
        for &i in &e.fail_order {
            let step = self.points[i as usize] as usize;
            let fail = e.fin[step];
            if fail != last {
                rank += 1;
                last = fail;
            }
            e.rank[step] = rank;
        }
        let start_rank = |x: usize| if e.from[x] == NONE { 0 } else { e.rank[e.from[x] as usize] };
        // Counted per rank, summed up (`below[r]` is then how many start at a
        // rank up to `r`), and placed from the back: each bucket keeps
        // topological order, and `below[r]` ends as how many start before rank `r`.
        e.below.clear();
        e.below.resize(rank as usize + 1, 0);
        for &x in &self.scheduled_order {
            e.below[start_rank(x as usize) as usize] += 1;
        }
        for r in 1..e.below.len() {
            e.below[r] += e.below[r - 1];
        }
        // The order steps start in: prep first, then by start time.
        e.seq.extend_from_slice(&self.prep_order);
        e.prep_count = e.seq.len();
        e.seq.resize(e.prep_count + self.points.len(), NONE);
        for &x in self.scheduled_order.iter().rev() {
            let at = &mut e.below[start_rank(x as usize) as usize];
            *at -= 1;
            e.seq[e.prep_count + *at as usize] = x;
        }
        let mut running = 0.0f64;
        for (k, &x) in e.seq.iter().enumerate() {
            e.seq_pos[x as usize] = k as u32;
            running = running.max(e.chain_to[x as usize]);
            e.prefix_max.push(running);
            if self.irreversible[x as usize] && e.first_irreversible == usize::MAX {
                e.first_irreversible = k;
            }
        }
    }

    /// Every failure point of the last evaluation `e` (with durations `d`),
    /// by fail time, ties in list order. The started set is a prefix of
    /// `seq` (prep, the steps that started before the fail time, and the
    /// point itself), so its rollback chain is a running maximum read off
    /// `prefix_max`. Computed as they are read: the deterministic simulation
    /// writes each straight into its result, Monte Carlo only counts it.
    pub fn points<'e>(&'e self, d: &'e Durations, e: &'e Eval) -> impl Iterator<Item = PointEval> + 'e {
        e.fail_order.iter().map(move |&i| {
            let step = self.points[i as usize] as usize;
            let fail = e.fin[step];
            let before = e.below[e.rank[step] as usize] as usize;
            let started = (e.prep_count + before).max(e.seq_pos[step] as usize + 1);
            let chain = e.prefix_max[started - 1];
            PointEval {
                index: i as usize,
                step,
                fail,
                started,
                chain,
                done: fail + d.decide + chain + d.verify,
                no_way_back: e.first_irreversible < started,
            }
        })
    }
}

/// One failure point as evaluated.
pub(crate) struct PointEval {
    /// Its place in [`Model::points`].
    pub index: usize,
    pub step: usize,
    pub fail: f64,
    /// How many steps of `seq` have started (the started set is that prefix).
    pub started: usize,
    pub chain: f64,
    pub done: f64,
    pub no_way_back: bool,
}

/// The durations of one run, in seconds.
#[derive(Clone, Debug)]
pub(crate) struct Durations {
    pub fwd: Vec<f64>,
    pub undo: Vec<f64>,
    pub decide: f64,
    pub verify: f64,
}

/// What one evaluation found. Buffers are reused from run to run.
#[derive(Default)]
pub(crate) struct Eval {
    /// Each scheduled step's start and finish (`None` for prep and post).
    pub slots: Vec<Option<Slot>>,
    /// Each scheduled step's finish (its point's fail time); -1 for prep and post.
    pub fin: Vec<f64>,
    /// The dependency that fixed each scheduled step's start (`NONE` if none).
    pub from: Vec<u32>,
    pub forward_finish: f64,
    /// The scheduled step that finishes last (`NONE` if none); ties: the first listed.
    pub last_to_finish: u32,
    /// Longest chain of undos from each step toward its dependencies.
    pub chain_to: Vec<f64>,
    /// Prep steps, then scheduled steps by start time (ties: topological order).
    pub seq: Vec<u32>,
    /// Each scheduled step's finish, ranked among the distinct finish times.
    rank: Vec<u32>,
    /// Per rank `r`: how many scheduled steps start at a time ranked below `r`.
    below: Vec<u32>,
    /// The failure points' indices by fail time, ties in list order: the order to report them in.
    pub fail_order: Vec<u32>,
    sort: crate::order::SortBuffers,
    pub seq_pos: Vec<u32>,
    pub prefix_max: Vec<f64>,
    /// Each failure point's rollback chain (see [`Model::evaluate_chains`]).
    pub point_chain: Vec<f64>,
    /// Per step, the longest chain among the steps whose start it fixes.
    child_chain: Vec<f64>,
    /// The longest chain among the prep steps.
    pub prep_chain: f64,
    /// Whether `chain_to` and `prep_chain` hold the chains of the undo
    /// times of the last [`Model::evaluate_chains`].
    chains_known: bool,
    pub prep_count: usize,
    pub first_irreversible: usize,
}

/// The larger of two times, which are never NaN (`f64::max` also minds NaN,
/// at a cost in the hot loops).
pub(crate) fn max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// What [`Eval::fin`] holds for steps that are not scheduled.
const UNSCHEDULED: f64 = -1.0;

impl Eval {
    /// When a scheduled step starts (0 for prep and post).
    pub fn start(&self, step: usize) -> f64 {
        self.slots[step].map_or(0.0, |s| s.start)
    }

    fn reset(&mut self, n: usize) {
        // Every scheduled step's slot and `from` are set again, and every
        // step's chain (before it is read: steps go in topological order);
        // the other slots stay `None`. Only their size needs setting.
        if self.slots.len() != n {
            self.slots.clear();
            self.slots.resize(n, None);
            self.fin.clear();
            self.fin.resize(n, UNSCHEDULED);
            self.chain_to.clear();
            self.chain_to.resize(n, 0.0);
            self.from.clear();
            self.from.resize(n, NONE);
        }
        self.forward_finish = 0.0;
        self.last_to_finish = NONE;
    }

    /// Scheduled step `x` finishes at `finish`: the step that finishes last
    /// (the first in the list of those that do) ends the critical path.
    pub(super) fn finished(&mut self, x: usize, finish: f64) {
        let last = self.last_to_finish as usize;
        if self.last_to_finish == NONE || finish > self.forward_finish || (finish == self.forward_finish && x < last) {
            self.last_to_finish = x as u32;
            self.forward_finish = finish;
        }
    }

    /// Empties what [`Model::started_sets`] fills.
    fn reset_started(&mut self, n: usize) {
        self.seq.clear();
        self.seq_pos.clear();
        self.seq_pos.resize(n, NONE);
        self.prefix_max.clear();
        self.first_irreversible = usize::MAX;
        self.rank.clear();
        self.rank.resize(n, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monte Carlo's sweep gives every point the chain the start order does,
    /// with fractional times, ties, and steps that take no time.
    #[test]
    fn the_chains_sweep_agrees_with_the_start_order() {
        let text = crate::synth::plan(400, 3).replace(
            "    phase: prep\n    kind: notify",
            "    phase: prep\n    kind: change\n    undo: Take the notice back\n",
        );
        let plan = crate::parse(&text).plan;
        let graph = PlanGraph::build(&plan);
        let model = Model::new(&plan, &graph, 3.6e5, Purpose::MonteCarlo);
        let mut next = crate::order::xorshift(0x2545_F491_4F6C_DD1D);
        let (mut a, mut b, mut c) = (Eval::default(), Eval::default(), Eval::default());
        let mut kept: [Eval; 2] = Default::default();
        for round in 0..40 {
            let mut d = model.likely.clone();
            for x in 0..model.n {
                d.fwd[x] = match (round % 4, next() % 8) {
                    (0, _) => d.fwd[x],
                    (1, _) => (next() % 1000) as f64 / 3.0,
                    (2, 0) => 0.0,
                    (_, r) => 60.0 * (r % 3) as f64,
                };
                if round % 2 == 1 {
                    d.undo[x] = (next() % 500) as f64 / 7.0;
                }
            }
            model.evaluate(&d, &mut a);
            let mut expected = vec![f64::NAN; model.points.len()];
            for p in model.points(&d, &a) {
                expected[p.index] = p.chain;
            }
            model.evaluate_chains(&d, &mut b, true);
            assert_eq!(b.point_chain, expected, "round {round}");
            let mut lanes: [Eval; 3] = Default::default();
            model.evaluate_chains_lanes([&d, &model.likely, &d], &mut lanes, true);
            assert_eq!((&lanes[0].point_chain, lanes[0].forward_finish), (&expected, a.forward_finish), "{round}");
            assert_eq!(lanes[2].point_chain, expected, "round {round}, lane 2");
            // Undo times as they were: the chains of the last such run serve.
            if round % 2 == 0 {
                model.evaluate_chains(&d, &mut c, false);
                assert_eq!(c.point_chain, expected, "round {round}, chains kept");
                model.evaluate_chains_lanes([&d, &d], &mut kept, false);
                assert_eq!([&kept[0].point_chain, &kept[1].point_chain], [&expected; 2], "round {round}, lanes kept");
            }
        }
    }
}
