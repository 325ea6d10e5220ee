//! Crews (contract, section 5): how many steps each owner can run at the
//! same time, and the schedules that follow from it: the forward plan, and
//! the rollback from every started set.
//!
//! Both are list schedules. Steps (or undos) are placed one at a time: the
//! next is the one, among those whose predecessors are all placed, that is
//! ready earliest (ties by position in `steps`: first for the forward plan,
//! last for a rollback); it starts at the earliest moment, from its ready
//! time on, at which its owner has a free place for its whole duration.
//!
//! A heap of free times per owner finds that moment; no search for gaps
//! is needed. The ready times of the steps placed one after the other
//! never decrease: the next is the earliest ready, and placing a step makes
//! others ready no earlier than it ends. So no later step can start before
//! the current ready time, and from that time on each of an owner's places
//! is busy up to its free time and free after it (by induction: a step goes
//! into the place that frees first, from the later of its ready time and
//! that place's free time, which keeps the place busy without a gap from the
//! current time on). The earliest moment with a free place is then the least
//! free time, or the ready time if that is later; an earlier gap could only
//! serve a step ready before it, and none comes any more. The property tests
//! hold this against a search of every gap.
//!
//! A step that takes no time needs no place (its whole duration is empty).
//! An owner whose crew is at least as large as the number of its steps (or
//! undos) is never limited, and is left out; a plan with a `crew` that
//! limits nobody is simulated exactly as one without.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::Slot;
use super::model::{Durations, Eval, Model, NONE};
use crate::graph::PlanGraph;
use crate::model::{Crew, Plan};

/// Who is limited, per step, and the orders the schedules follow; built
/// once per plan.
#[derive(Clone, Debug)]
pub(crate) struct Crews {
    /// Per step, the crew its own run takes a place of, and its undo's
    /// (`NONE`: not limited).
    step_crew: Vec<u32>,
    undo_crew: Vec<u32>,
    /// Per crew, how many places it has.
    places: Vec<u32>,
    /// Whether any step, and any undo, is limited.
    limits_forward: bool,
    limits_rollback: bool,
    /// The scheduled steps that wait for each scheduled step (flat: step
    /// `i`'s at `after[after_at[i]..after_at[i + 1]]`), and how many
    /// scheduled steps each waits for.
    after_at: Vec<u32>,
    after: Vec<u32>,
    waits_for: Vec<u32>,
    /// Per step, the steps whose undos wait for its undo in a rollback: its
    /// dependencies of its own class (prep, or the window), flat likewise.
    next_at: Vec<u32>,
    next: Vec<u32>,
    /// Which steps are scheduled.
    scheduled: Vec<bool>,
    /// Which steps are `prep`, and how many (a start order begins with them all).
    prep: Vec<bool>,
    prep_count: usize,
}

/// An owner's places: the free times of the busy ones, earliest first,
/// with the step each is busy with.
type Places = BinaryHeap<Reverse<(u64, u32)>>;

/// Buffers the schedules reuse from run to run.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Per step: predecessors not yet placed, ready time, and (forward) the
    /// dependency that finishes last.
    waiting: Vec<u32>,
    ready: Vec<f64>,
    from: Vec<u32>,
    /// The steps ready to place: earliest ready, then first (forward) or
    /// last (rollback) in the list.
    forward: BinaryHeap<Reverse<(u64, u32)>>,
    rollback: BinaryHeap<(Reverse<u64>, u32)>,
    places: Vec<Places>,
    /// The crews whose places are in use.
    touched: Vec<u32>,
    /// Per started count, the rollback chain (NaN where not worked out).
    pub chains: Vec<f64>,
    /// Per crew, how many limited undos the started set holds so far.
    pub(super) undos: Vec<u32>,
    pub(super) wanted: Vec<bool>,
    /// Per step: whether it is in the started set a rollback undoes.
    member: Vec<bool>,
    /// Undos (and steps between them) placed by the rollback schedules so
    /// far, and the sizes of the started sets they scheduled (what
    /// scheduling each from scratch places).
    pub placed: u64,
    pub sets: u64,
}

impl Scratch {
    /// The crews whose places are in use.
    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn touched(&self) -> &[u32] {
        &self.touched
    }

    /// When crew `c`'s places in use free, as keys.
    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn busy(&self, c: u32) -> Vec<u64> {
        self.places.get(c as usize).map_or_else(Vec::new, |p| p.iter().map(|r| r.0.0).collect())
    }
}

/// A rollback under way (see [`Crews::rollback`]): per step, when
/// its undo started and ended, where recorded, and the moment now; all
/// after the call.
pub(crate) struct UnderWay<'a> {
    pub now: f64,
    pub started: &'a [Option<f64>],
    pub finished: &'a [Option<f64>],
}

/// Where a rollback placed each undo, by step, in seconds after the call.
pub(crate) struct Placed {
    pub ready: Vec<f64>,
    pub start: Vec<f64>,
    pub finish: Vec<f64>,
}

impl Placed {
    /// Room for `n` steps.
    pub fn new(n: usize) -> Placed {
        Placed { ready: vec![0.0; n], start: vec![0.0; n], finish: vec![0.0; n] }
    }
}

/// A time as a key that orders as the time does.
pub(super) fn key(t: f64) -> u64 {
    crate::order::f64_key(t)
}

/// The time of a [`key`].
pub(super) fn unkey(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

fn max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// Flat lists: `list(i)` for every step, as `(at, items)`.
fn flatten(n: usize, mut list: impl FnMut(usize, &mut Vec<u32>)) -> (Vec<u32>, Vec<u32>) {
    let mut at = Vec::with_capacity(n + 1);
    let mut items = Vec::new();
    at.push(0);
    for i in 0..n {
        list(i, &mut items);
        at.push(items.len() as u32);
    }
    (at, items)
}

impl Crews {
    /// The crews of `plan`; `None` when it has no `crew` or its crew
    /// limits nobody (every owner has no more steps, and no more undos, than
    /// places): then the schedules are the unlimited ones.
    pub fn new<'a>(plan: &'a Plan, graph: &PlanGraph, model: &Model<'_>) -> Option<Crews> {
        let crew = plan.crew.as_ref()?;
        let n = model.n;
        let count: HashMap<&str, u32> = crew.entries.iter().map(|e| (e.owner.as_str(), e.count)).collect();
        let rest = count.get(Crew::EVERYONE_ELSE).copied();
        let mut index: HashMap<&'a str, u32> = HashMap::new();
        let mut places: Vec<u32> = Vec::new();
        let mut crew_of = |owner: Option<&'a str>| -> u32 {
            let Some(owner) = owner else { return NONE };
            let Some(count) = count.get(owner).copied().or(rest) else { return NONE };
            *index.entry(owner).or_insert_with(|| {
                places.push(count);
                places.len() as u32 - 1
            })
        };
        let (mut step_crew, mut undo_crew) = (vec![NONE; n], vec![NONE; n]);
        for (i, step) in plan.steps.iter().enumerate().take(n) {
            let owner = step.owner.as_ref().map(|o| o.as_str());
            if model.scheduled[i] {
                step_crew[i] = crew_of(owner);
            }
            if model.undone[i] {
                undo_crew[i] = crew_of(step.undo_owner());
            }
        }
        let limits_forward = keep_limiting(&mut step_crew, &places);
        let limits_rollback = keep_limiting(&mut undo_crew, &places);
        if !limits_forward && !limits_rollback {
            return None;
        }
        let (after_at, after) = flatten(n, |i, out| {
            if model.scheduled[i] {
                out.extend(graph.dependents(i).filter(|&y| model.scheduled[y]).map(|y| y as u32));
            }
        });
        let waits_for = (0..n).map(|i| model.deps(i).iter().filter(|&&d| model.scheduled[d as usize]).count() as u32);
        // A rollback holds prep and scheduled steps, never post ones.
        let (next_at, next) = flatten(n, |i, out| {
            let same = |d: usize| model.prep[d] == model.prep[i] && (model.prep[d] || model.scheduled[d]);
            out.extend(model.deps(i).iter().copied().filter(|&d| same(d as usize)));
        });
        Some(Crews {
            step_crew,
            undo_crew,
            places,
            limits_forward,
            limits_rollback,
            after_at,
            after,
            waits_for: waits_for.collect(),
            next_at,
            next,
            scheduled: model.scheduled.clone(),
            prep: model.prep.clone(),
            prep_count: model.prep.iter().filter(|&&p| p).count(),
        })
    }

    /// How many steps the plan has.
    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn len(&self) -> usize {
        self.prep.len()
    }

    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn is_prep(&self, x: usize) -> bool {
        self.prep[x]
    }

    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn prep_count(&self) -> usize {
        self.prep_count
    }

    /// The crew step `x`'s undo takes a place of (`NONE`: not limited).
    pub fn undo_crew(&self, x: usize) -> u32 {
        self.undo_crew[x]
    }

    /// How many crews there are, and how many places crew `c` has.
    pub fn crew_count(&self) -> usize {
        self.places.len()
    }

    pub fn places_of(&self, c: u32) -> Option<u32> {
        self.places.get(c as usize).copied()
    }

    fn after(&self, x: usize) -> &[u32] {
        &self.after[self.after_at[x] as usize..self.after_at[x + 1] as usize]
    }

    /// The steps whose undos wait for step `x`'s in a rollback.
    pub fn next(&self, x: usize) -> &[u32] {
        &self.next[self.next_at[x] as usize..self.next_at[x + 1] as usize]
    }

    /// Takes a place of `crew` for `dur` seconds from `ready` on; returns
    /// the start and the step whose end freed the place, if it had to wait.
    pub fn take_place(&self, crew: u32, ready: f64, dur: f64, x: u32, s: &mut Scratch) -> (f64, u32) {
        if crew == NONE || dur <= 0.0 {
            return (ready, NONE);
        }
        let (Some(&count), Some(places)) = (self.places.get(crew as usize), s.places.get_mut(crew as usize)) else {
            return (ready, NONE);
        };
        if places.is_empty() {
            s.touched.push(crew);
        }
        // More places can be busy than the crew has only in a forecast,
        // where the team ran more at once than planned: a place is free
        // once enough of them end.
        let (mut start, mut waited) = (ready, NONE);
        while places.len() >= count as usize {
            match places.pop() {
                Some(Reverse((free, by))) if unkey(free) > start => (start, waited) = (unkey(free), by),
                Some(_) => {}
                None => break,
            }
        }
        places.push(Reverse((key(start + dur), x)));
        (start, waited)
    }

    /// Frees every place in `s` for the next schedule.
    #[cfg_attr(not(feature = "incremental-crews"), allow(dead_code))] // used by prefixes.rs
    pub fn reset_places(&self, s: &mut Scratch) {
        self.free_places(s);
    }

    /// Frees every place for the next schedule.
    fn free_places(&self, s: &mut Scratch) {
        s.places.resize_with(self.places.len(), BinaryHeap::new);
        for c in s.touched.drain(..) {
            if let Some(p) = s.places.get_mut(c as usize) {
                p.clear();
            }
        }
    }

    /// The forward schedule with crews, written over the unlimited one in
    /// `e` (slots, finishes, `from`, the finish and the step that ends
    /// last). A step that waited for its owner has, as `from`, the step
    /// whose end freed its place: the critical path runs through it.
    pub fn forward(&self, d: &Durations, e: &mut Eval, s: &mut Scratch) {
        if !self.limits_forward {
            return;
        }
        let n = self.step_crew.len();
        self.free_places(s);
        s.waiting.clear();
        s.waiting.extend_from_slice(&self.waits_for);
        s.ready.clear();
        s.ready.resize(n, -1.0);
        s.from.clear();
        s.from.resize(n, NONE);
        s.forward.clear();
        e.forward_finish = 0.0;
        e.last_to_finish = NONE;
        for x in 0..n {
            if self.scheduled[x] && self.waits_for[x] == 0 {
                s.forward.push(Reverse((key(0.0), x as u32)));
            }
        }
        while let Some(Reverse((ready, x))) = s.forward.pop() {
            let xi = x as usize;
            let dur = d.fwd[xi];
            let (start, waited) = self.take_place(self.step_crew[xi], unkey(ready), dur, x, s);
            let finish = start + dur;
            e.fin[xi] = finish;
            e.slots[xi] = Some(Slot { start, finish });
            e.from[xi] = if waited == NONE { s.from[xi] } else { waited };
            e.finished(xi, finish);
            for &y in self.after(xi) {
                let y = y as usize;
                // The dependency that finishes last, the first listed on a tie.
                if finish > s.ready[y] || (finish == s.ready[y] && x < s.from[y]) {
                    s.ready[y] = finish;
                    s.from[y] = x;
                }
                s.waiting[y] -= 1;
                if s.waiting[y] == 0 {
                    s.forward.push(Reverse((key(max(s.ready[y], 0.0)), y as u32)));
                }
            }
        }
        self.free_places(s);
    }

    /// The forecast's forward plan (contract, section 6) with crews, over
    /// `start` and `finish`: the steps `fixed` (done or running) stay where
    /// they are, and those `running` hold a place of their owner's crew
    /// until they finish; the others are placed from `now` on as
    /// [`Crews::forward`] places them. Nothing changes when the crews limit
    /// no step.
    #[allow(clippy::too_many_arguments)]
    pub fn forecast(
        &self,
        takes: &[f64],
        now: f64,
        fixed: &[bool],
        running: &[bool],
        start: &mut [f64],
        finish: &mut [f64],
        s: &mut Scratch,
    ) {
        if !self.limits_forward {
            return;
        }
        let n = self.step_crew.len();
        self.free_places(s);
        for x in (0..n).filter(|&x| running[x] && finish[x] > now) {
            let c = self.step_crew[x];
            if let Some(p) = s.places.get_mut(c as usize) {
                if p.is_empty() {
                    s.touched.push(c);
                }
                p.push(Reverse((key(finish[x]), x as u32)));
            }
        }
        s.waiting.clear();
        s.waiting.extend_from_slice(&self.waits_for);
        // The order is by ready time as in the plan's own schedule (so a
        // log as planned gives the plan's figures); none starts before now.
        s.ready.clear();
        s.ready.resize(n, 0.0);
        for x in (0..n).filter(|&x| self.scheduled[x] && fixed[x]) {
            for &y in self.after(x) {
                s.waiting[y as usize] -= 1;
                s.ready[y as usize] = max(s.ready[y as usize], finish[x]);
            }
        }
        s.forward.clear();
        for x in (0..n).filter(|&x| self.scheduled[x] && !fixed[x] && s.waiting[x] == 0) {
            s.forward.push(Reverse((key(s.ready[x]), x as u32)));
        }
        while let Some(Reverse((ready, x))) = s.forward.pop() {
            let xi = x as usize;
            let (at, _) = self.take_place(self.step_crew[xi], max(now, unkey(ready)), takes[xi], x, s);
            (start[xi], finish[xi]) = (at, at + takes[xi]);
            for &y in self.after(xi) {
                let y = y as usize;
                s.ready[y] = max(s.ready[y], finish[xi]);
                s.waiting[y] -= 1;
                if s.waiting[y] == 0 && !fixed[y] {
                    s.forward.push(Reverse((key(s.ready[y]), y as u32)));
                }
            }
        }
        self.free_places(s);
    }

    /// Whether any undo waits for a place in some rollback.
    pub fn limits_rollback(&self) -> bool {
        self.limits_rollback
    }

    /// The rollback of the started set `seq` (a start order's prefix, prep
    /// first) with crews; returns its chain, from the call until the last
    /// undo ends. `out`, if given, gets each undo's times.
    ///
    /// With `done`, the rollback is under way: the undos it records as
    /// started keep their times (one running holds its owner's place until
    /// it is expected to end, `max(now, start + takes)`), and the others are
    /// placed as the rollback places them, none before `now`.
    pub fn rollback(
        &self,
        seq: &[u32],
        undo: &[f64],
        undone: &[bool],
        s: &mut Scratch,
        out: Option<&mut Placed>,
        done: Option<&UnderWay<'_>>,
    ) -> f64 {
        let n = self.undo_crew.len();
        self.free_places(s);
        let now = done.map_or(f64::NEG_INFINITY, |d| d.now);
        // A recorded undo's times, if it has started.
        let recorded = |x: usize| -> Option<(f64, f64)> {
            let d = done?;
            let start = d.started.get(x).copied().flatten()?;
            Some((start, d.finished.get(x).copied().flatten().unwrap_or(max(now, start + undo[x]))))
        };
        let running = |x: usize| undone[x] && done.is_some_and(|d| d.finished.get(x).is_some_and(Option::is_none));
        for &x in seq.iter().filter(|&&x| running(x as usize)) {
            let c = self.undo_crew[x as usize];
            let (Some((_, end)), Some(p)) = (recorded(x as usize), s.places.get_mut(c as usize)) else { continue };
            if p.is_empty() {
                s.touched.push(c);
            }
            p.push(Reverse((key(end), x)));
        }
        s.waiting.resize(n, 0);
        s.ready.resize(n, 0.0);
        // Only what is in the set waits: a live log's set need not hold
        // every step's dependencies.
        s.member.resize(n, false);
        for &x in seq {
            s.waiting[x as usize] = 0;
            s.ready[x as usize] = 0.0;
            s.member[x as usize] = true;
        }
        for &x in seq {
            for &y in self.next(x as usize).iter().filter(|&&y| s.member[y as usize]) {
                s.waiting[y as usize] += 1;
            }
        }
        let (prep, rest) = seq.split_at(self.prep_count.min(seq.len()));
        s.rollback.clear();
        for &x in rest.iter().filter(|&&x| s.waiting[x as usize] == 0) {
            s.rollback.push((Reverse(key(0.0)), x));
        }
        let (mut left, mut rest_end, mut chain) = (rest.len(), 0.0f64, 0.0f64);
        if left == 0 {
            release(prep, 0.0, s);
        }
        let mut out = out;
        while let Some((Reverse(ready), x)) = s.rollback.pop() {
            let (xi, ready) = (x as usize, unkey(ready));
            let (dur, crew) = if undone[xi] { (undo[xi], self.undo_crew[xi]) } else { (0.0, NONE) };
            let (start, end) = match recorded(xi).filter(|_| undone[xi]) {
                Some(times) => times,
                None => {
                    let (start, _) = self.take_place(crew, max(now, ready), dur, x, s);
                    (start, start + dur)
                }
            };
            chain = max(chain, end);
            if let Some(o) = out.as_deref_mut() {
                (o.ready[xi], o.start[xi], o.finish[xi]) = (ready, start, end);
            }
            for &y in self.next(xi) {
                let y = y as usize;
                if !s.member[y] {
                    continue;
                }
                s.ready[y] = max(s.ready[y], end);
                s.waiting[y] -= 1;
                if s.waiting[y] == 0 {
                    s.rollback.push((Reverse(key(s.ready[y])), y as u32));
                }
            }
            // Prep is undone once every other undo is done.
            if !self.prep[xi] {
                left -= 1;
                rest_end = max(rest_end, end);
                if left == 0 {
                    release(prep, rest_end, s);
                }
            }
        }
        for &x in seq {
            s.member[x as usize] = false;
        }
        self.free_places(s);
        chain
    }
}

/// Makes the prep steps no other prep undo waits for ready at `at`.
fn release(prep: &[u32], at: f64, s: &mut Scratch) {
    for &x in prep.iter().filter(|&&x| s.waiting[x as usize] == 0) {
        s.ready[x as usize] = at;
        s.rollback.push((Reverse(key(at)), x));
    }
}

/// Leaves out the crews that limit nothing here: those with no more steps
/// in `crew_of` than places. Returns whether any crew still limits.
fn keep_limiting(crew_of: &mut [u32], places: &[u32]) -> bool {
    let mut steps = vec![0u32; places.len()];
    for &c in crew_of.iter().filter(|&&c| c != NONE) {
        steps[c as usize] += 1;
    }
    let mut any = false;
    for c in crew_of.iter_mut().filter(|c| **c != NONE) {
        if steps[*c as usize] <= places[*c as usize] {
            *c = NONE;
        } else {
            any = true;
        }
    }
    any
}
