//! The rollback chain of every started set with crews: which sets are
//! wanted, and how each is worked out (`Prefixes`: from scratch, or from
//! the last one's in `prefixes.rs`).

use super::crew::{Crews, Placed, Scratch};
use super::model::{Durations, Eval, Model, NONE};

/// Works out the rollback chains of started sets, asked for in growing
/// order of their size.
pub(crate) trait Prefixes {
    /// The chain of the first `k` steps of `e`'s start order.
    fn chain(&mut self, crews: &Crews, e: &Eval, k: usize, undo: &[f64], undone: &[bool], s: &mut Scratch) -> f64;

    /// When step `x`'s undo ends in the last rollback [`Prefixes::chain`]
    /// worked out (`x` in its started set), after the call; `None` if
    /// those times are not kept.
    fn finish(&self, x: usize) -> Option<f64>;
}

/// Each started set's rollback scheduled from scratch; with `kept`, the
/// last one's times are kept for [`Prefixes::finish`].
#[derive(Default)]
#[cfg_attr(feature = "incremental-crews", allow(dead_code))] // the reference prefixes.rs is tested against
pub(crate) struct FromScratch {
    pub kept: Option<Placed>,
}

impl Prefixes for FromScratch {
    fn chain(&mut self, crews: &Crews, e: &Eval, k: usize, undo: &[f64], undone: &[bool], s: &mut Scratch) -> f64 {
        s.placed += k as u64;
        crews.rollback(&e.seq[..k], undo, undone, s, self.kept.as_mut(), None)
    }

    fn finish(&self, x: usize) -> Option<f64> {
        self.kept.as_ref().and_then(|p| p.finish.get(x).copied())
    }
}

/// [`Prefixes`] by `by`, telling `tell` of each started count it worked
/// out, with `by` holding that rollback's times; `tell` returns its work.
pub(crate) struct Telling<'a, P, F> {
    pub by: &'a mut P,
    pub tell: F,
}

impl<P: Prefixes, F: FnMut(usize, &P) -> u64> Prefixes for Telling<'_, P, F> {
    fn chain(&mut self, crews: &Crews, e: &Eval, k: usize, undo: &[f64], undone: &[bool], s: &mut Scratch) -> f64 {
        let chain = self.by.chain(crews, e, k, undo, undone, s);
        // What `tell` does counts against the budget, a look-up at an
        // eighth of a placement (on the 10,000-step benchmark plan, its 22
        // million look-ups cost less time than 3 million placements).
        s.placed += (self.tell)(k, self.by) / 8;
        chain
    }

    fn finish(&self, x: usize) -> Option<f64> {
        self.by.finish(x)
    }
}

impl Crews {
    /// Marks the started counts of `model`'s failure points as wanted (see
    /// [`Crews::chains`]).
    pub fn want_points(&self, model: &Model<'_>, d: &Durations, e: &Eval, s: &mut Scratch) {
        s.wanted.clear();
        s.wanted.resize(e.seq.len() + 1, false);
        for p in model.points(d, e) {
            s.wanted[p.started] = true;
        }
    }

    /// Marks the started counts the deadline may ask about (see
    /// `super::deadline`): prep alone, and each set of the steps that have
    /// started up to some moment.
    pub fn want_deadline(&self, e: &Eval, s: &mut Scratch) {
        let seq = &e.seq;
        s.wanted.resize(seq.len() + 1, false);
        s.wanted[e.prep_count.min(seq.len())] = true;
        for k in e.prep_count..seq.len() {
            let ends_moment = seq.get(k + 1).is_none_or(|&y| e.start(y as usize) != e.start(seq[k] as usize));
            s.wanted[k + 1] |= ends_moment;
        }
    }

    /// The rollback chain of each wanted started count of the last
    /// evaluation `e`, into `s.chains`: each started set once, however many
    /// points share it. A started set in which no crew has more undos than
    /// places is rolled back as without crews (no undo can wait for a
    /// place), so its chain is the unlimited one, `e.prefix_max`; the others
    /// are scheduled, each by `by`.
    ///
    /// Returns `false`, leaving the chains unfinished, once `by` has placed
    /// more than `budget` undos: the work can grow as the square of the
    /// plan's size.
    pub fn chains(
        &self,
        d: &Durations,
        undone: &[bool],
        e: &Eval,
        s: &mut Scratch,
        by: &mut impl Prefixes,
        budget: u64,
    ) -> bool {
        let len = e.seq.len();
        s.chains.clear();
        s.chains.resize(len + 1, f64::NAN);
        s.undos.clear();
        s.undos.resize(self.crew_count(), 0);
        let wanted = std::mem::take(&mut s.wanted);
        let mut over = 0usize;
        for k in 0..=len {
            if let Some(&x) = k.checked_sub(1).and_then(|i| e.seq.get(i)) {
                let c = if undone[x as usize] { self.undo_crew(x as usize) } else { NONE };
                if let (Some(undos), Some(places)) = (s.undos.get_mut(c as usize), self.places_of(c)) {
                    *undos += 1;
                    over += usize::from(*undos == places + 1);
                }
            }
            if !wanted.get(k).copied().unwrap_or(false) {
                continue;
            }
            s.chains[k] = match k.checked_sub(1) {
                None => 0.0,
                Some(last) if over == 0 || !self.limits_rollback() => e.prefix_max[last],
                Some(_) if s.placed > budget => {
                    s.wanted = wanted;
                    return false;
                }
                Some(_) => {
                    s.sets += k as u64;
                    by.chain(self, e, k, &d.undo, undone, s)
                }
            };
        }
        s.wanted = wanted;
        true
    }

    /// One Monte Carlo run with crews: the schedule, and each failure
    /// point's rollback chain into `e.point_chain` (in [`Model::points`]'
    /// order), as [`Model::evaluate_chains`] gives them without crews.
    /// `rollbacks`: whether the rollbacks follow the crews (else only the
    /// forward plan does, as in a simulation past its budget).
    /// `by`, new for the run, works the rollbacks out.
    pub fn evaluate_chains(
        &self,
        model: &Model<'_>,
        d: &Durations,
        e: &mut Eval,
        s: &mut Scratch,
        (rollbacks, by): (bool, &mut impl Prefixes),
    ) {
        model.evaluate_crewed(d, e, |e| self.forward(d, e, s));
        let complete = rollbacks && {
            self.want_points(model, d, e, s);
            self.chains(d, &model.undone, e, s, by, u64::MAX)
        };
        let mut chains = std::mem::take(&mut e.point_chain);
        chains.clear();
        chains.resize(model.points.len(), 0.0);
        for p in model.points(d, e) {
            chains[p.index] = if complete { s.chains[p.started] } else { p.chain };
        }
        e.point_chain = chains;
    }
}
