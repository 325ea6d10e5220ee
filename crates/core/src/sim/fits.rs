//! Which failure points of one Monte Carlo run fit, without sorting them.
//!
//! Monte Carlo on the command line counts, per point, only whether its
//! rollback fits: `fail + decide + chain + verify <= window`, where `chain`
//! is the longest undo chain of the started set. Sorting the points by fail
//! time to find each chain (what [`Model::evaluate_chains`] does, for the
//! histograms) was the largest part of a run on big plans. This finds the
//! same answers in two linear passes and no sort.
//!
//! Without steps that take no time, a point failing at `f` has started prep
//! and every scheduled step that starts before `f` (itself among them), so
//! `chain(f) = max(prep chain, G(f))` with `G(f)` the longest `chain_to` of
//! the steps starting before `f`. `done` is a sum computed in a fixed order,
//! and rounding is monotone, so `done` never falls as `f` or the chain grows:
//! a point fits exactly when both `E(f, prep chain)` and `E(f, G(f))` fit.
//!
//! The start times go into `K` buckets of equal width over the run's span.
//! A step in a bucket before `f`'s starts before `f`, one in a bucket after
//! it starts after, so the chains of the buckets before `f`'s bound `G(f)`
//! from below and with `f`'s own bucket from above. Both bounds decide
//! nearly every point; the few that fall between them (around the moment
//! the rollbacks stop fitting) are settled exactly from the steps of their
//! bucket. The figures are the sorting path's, bit for bit.

use super::model::{Eval, Model, NONE, max};

/// What [`Model::fitting`] reuses from run to run.
#[derive(Default)]
pub(crate) struct FitBuffers {
    /// Per step, the bucket of its fail time (scheduled steps only).
    fail_bucket: Vec<u32>,
    /// Per bucket, the longest chain among the steps starting in it.
    bucket: Vec<f64>,
    /// Per bucket: the longest chain of everything starting in the buckets
    /// before it (and prep), then of those and itself.
    below: Vec<f64>,
    upto: Vec<f64>,
    /// The points the bounds did not decide, with their buckets.
    open: Vec<(u32, u32)>,
    /// Whether a bucket holds an open point.
    marked: Vec<bool>,
    /// The steps starting in marked buckets: (bucket, start, chain).
    steps: Vec<(u32, f64, f64)>,
}

impl Model<'_> {
    /// Calls `fit(i)` for every failure point `i` (in [`Model::points`]'
    /// order) whose rollback fits, after a forward pass into `e` that had no
    /// step of zero duration; `prep_chain` is that pass's longest prep chain.
    pub(crate) fn fitting(
        &self,
        (decide, verify): (f64, f64),
        e: &Eval,
        prep_chain: f64,
        b: &mut FitBuffers,
        mut fit: impl FnMut(usize),
    ) {
        let window = self.window;
        let done = |fail: f64, chain: f64| fail + decide + chain + verify;
        let span = e.forward_finish;
        let count = (self.points.len() / 2).clamp(1, 1 << 20);
        // Every fail time is within `[0, span]`; `as` saturates, and the
        // last bucket is closed.
        let scale = if span > 0.0 { count as f64 / span } else { 0.0 };
        let bucket_of = |t: f64| ((t * scale) as usize).min(count - 1);
        let start = |x: usize| if e.from[x] == NONE { 0.0 } else { e.fin[e.from[x] as usize] };

        // A step starts at 0 or as another finishes: its start's bucket is
        // that step's fail time's, worked out once per step.
        // In topological order, a step's `from` has its bucket already.
        b.fail_bucket.clear();
        b.fail_bucket.resize(self.n, 0);
        b.bucket.clear();
        b.bucket.resize(count, f64::NEG_INFINITY);
        for &x in self.scheduled_order() {
            let x = x as usize;
            b.fail_bucket[x] = bucket_of(e.fin[x]) as u32;
            let k = if e.from[x] == NONE { 0 } else { b.fail_bucket[e.from[x] as usize] as usize };
            b.bucket[k] = max(b.bucket[k], e.chain_to[x]);
        }
        let start_bucket = |x: usize| if e.from[x] == NONE { 0 } else { b.fail_bucket[e.from[x] as usize] as usize };
        b.below.clear();
        b.upto.clear();
        let mut running = prep_chain;
        for &m in &b.bucket {
            b.below.push(running);
            running = max(running, m);
            b.upto.push(running);
        }

        b.open.clear();
        for (i, &x) in self.points.iter().enumerate() {
            let f = e.fin[x as usize];
            let k = b.fail_bucket[x as usize] as usize;
            if done(f, b.upto[k]) <= window {
                fit(i);
            } else if done(f, b.below[k]) <= window {
                b.open.push((i as u32, k as u32));
            }
        }
        if b.open.is_empty() {
            return;
        }
        // The undecided points: their bucket's own steps, those that start
        // before the point fails, settle it.
        b.marked.clear();
        b.marked.resize(count, false);
        for &(_, k) in &b.open {
            b.marked[k as usize] = true;
        }
        b.steps.clear();
        for &x in &self.points {
            let (x, k) = (x as usize, start_bucket(x as usize));
            if b.marked[k] {
                b.steps.push((k as u32, start(x), e.chain_to[x]));
            }
        }
        crate::order::sort_by_key(&mut b.steps, |&(k, _, _)| (u64::from(k), 0));
        for &(i, k) in &b.open {
            let f = e.fin[self.points[i as usize] as usize];
            let from = b.steps.partition_point(|s| s.0 < k);
            let mut chain = b.below[k as usize];
            for &(_, s, c) in b.steps[from..].iter().take_while(|s| s.0 == k) {
                if s < f {
                    chain = max(chain, c);
                }
            }
            if done(f, chain) <= window {
                fit(i as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::PlanGraph;
    use crate::sim::model::Purpose;

    /// The bounds and the exact pass give every point the answer the sorted
    /// sweep gives, for windows from where nothing fits to where all do
    /// (the middle ones put many points between the bounds).
    #[test]
    fn fitting_agrees_with_the_sorted_sweep() {
        let plan = crate::parse(&crate::synth::plan(600, 5)).plan;
        let graph = PlanGraph::build(&plan);
        let mut next = crate::order::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut buffers = FitBuffers::default();
        let (mut partial, mut undecided) = (0, 0);
        for round in 0..30 {
            let draft = Model::new(&plan, &graph, 0.0, Purpose::MonteCarlo);
            let mut d = draft.likely.clone();
            for x in 0..draft.n {
                d.fwd[x] = 1.0 + (next() % 2000) as f64 / 7.0;
                d.undo[x] = (next() % 900) as f64 / 3.0;
            }
            let mut e = Eval::default();
            draft.evaluate(&d, &mut e);
            // From well before the forward plan ends to well after.
            let window = e.forward_finish * (0.2 + round as f64 * 0.05);
            let model = Model::new(&plan, &graph, window, Purpose::MonteCarlo);
            model.evaluate(&d, &mut e);
            let expected: Vec<bool> = {
                let mut fits = vec![false; model.points.len()];
                for p in model.points(&d, &e) {
                    fits[p.index] = p.done <= window;
                }
                fits
            };
            let mut got = vec![false; model.points.len()];
            let prep_chain = e.prefix_max.get(e.prep_count.wrapping_sub(1)).copied().unwrap_or(0.0);
            model.fitting((d.decide, d.verify), &e, prep_chain, &mut buffers, |i| got[i] = true);
            assert_eq!(got, expected, "round {round}");
            let some = expected.iter().filter(|&&f| f).count();
            partial += usize::from(some > 0 && some < expected.len());
            undecided += buffers.open.len();
        }
        assert!(partial >= 5 && undecided > 0, "{partial} windows fit some points, {undecided} undecided");
    }
}
