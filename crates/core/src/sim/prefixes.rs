//! The crew rollback of every started set (see `crew.rs`), each worked out
//! from the one before rather than from scratch: the same figures, most of
//! the work skipped.
//!
//! The started sets grow one start at a time, and the steps that join are
//! the latest to start: in a rollback their undos come first. They often
//! change little of what follows: after them, the rest of the rollback is
//! often the last one's, event for event, or the last one's moved by a
//! fixed time (when they delayed everything by as much). A list schedule's
//! future depends only on its state between two placements: the steps still
//! to place, the ready times their placed predecessors give them, and when
//! each busy place of each owner frees. So the new rollback is placed from
//! the start, and at moments where it has placed the joining steps and
//! exactly the steps the last one had placed by some point, with the same
//! step next, that state is compared with the last one's at that point,
//! moved by the difference of their times: if they are equal, the rest is
//! the last rollback's rest, moved, and nothing more is placed. The state
//! is small: the steps waiting with a placed predecessor, and the owners'
//! busy places.
//!
//! Only for whole seconds (the deterministic simulation, and Monte Carlo
//! runs with crews, whose draws are rounded to the second): moving a time
//! and back is exact there, so every figure is the one a schedule from
//! scratch gives (the tests compare the two).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::chains::Prefixes;
use super::crew::{Crews, Scratch, key, unkey};
use super::model::{Eval, NONE};

/// The last rollback, as a stack of its placements: the last placed at the
/// bottom, so that the first few can be replaced and the rest kept. Times
/// are stored minus `moved`, so that moving the rest is one addition.
#[derive(Default)]
struct Last {
    step: Vec<u32>,
    ready: Vec<f64>,
    finish: Vec<f64>,
    /// From the bottom up: the latest finish so far, of all and of the
    /// window's undos (prep's come after those).
    latest: Vec<f64>,
    latest_window: Vec<f64>,
    moved: f64,
    /// Per step: its place in the stack.
    at: Vec<u32>,
    /// How many steps of the start order it is of.
    started: usize,
}

impl Last {
    /// The place in the stack of the `i`th placement.
    fn place(&self, i: usize) -> usize {
        self.step.len() - 1 - i
    }

    fn push(&mut self, step: u32, ready: f64, finish: f64, window: bool) {
        let below = |v: &Vec<f64>| v.last().copied().unwrap_or(f64::NEG_INFINITY);
        let stored = finish - self.moved;
        self.latest.push(below(&self.latest).max(stored));
        self.latest_window.push(if window {
            below(&self.latest_window).max(stored)
        } else {
            below(&self.latest_window)
        });
        self.at[step as usize] = self.step.len() as u32;
        self.step.push(step);
        self.ready.push(ready - self.moved);
        self.finish.push(stored);
    }

    fn truncate(&mut self, len: usize) {
        for v in [&mut self.ready, &mut self.finish, &mut self.latest, &mut self.latest_window] {
            v.truncate(len);
        }
        self.step.truncate(len);
    }
}

/// Every started set's rollback from the last one's. Build one per
/// simulation; ask for started counts in growing order.
pub(crate) struct Incremental {
    last: Last,
    /// Per step, the undos that wait for its undo in the growing started
    /// set (flat), how many of them have started, and the steps no undo
    /// waits for (with each one's place in that list).
    prev_at: Vec<u32>,
    prev: Vec<u32>,
    waited_by: Vec<u32>,
    sources: Vec<u32>,
    source_at: Vec<u32>,
    /// One rollback's state, reset lazily: a step's is current if its
    /// stamp is the run's.
    stamp: Vec<u32>,
    run: u32,
    waiting: Vec<u32>,
    ready: Vec<f64>,
    placed: Vec<bool>,
    heap: BinaryHeap<(Reverse<u64>, u32)>,
    /// The steps waiting with a placed predecessor (some may since be placed).
    frontier: Vec<u32>,
    /// This rollback's placements: step, ready, finish.
    events: Vec<(u32, f64, f64)>,
    /// The owners' places, in this rollback and (replayed) in the last.
    places: Scratch,
    replayed: Vec<BinaryHeap<Reverse<u64>>>,
    replay_touched: Vec<u32>,
}

impl Incremental {
    pub fn new(crews: &Crews) -> Incremental {
        let n = crews.len();
        let mut prev_at = vec![0u32; n + 1];
        for x in 0..n {
            for &y in crews.next(x) {
                prev_at[y as usize + 1] += 1;
            }
        }
        for i in 0..n {
            prev_at[i + 1] += prev_at[i];
        }
        let mut fill = prev_at.clone();
        let mut prev = vec![0u32; prev_at[n] as usize];
        for x in 0..n {
            for &y in crews.next(x) {
                prev[fill[y as usize] as usize] = x as u32;
                fill[y as usize] += 1;
            }
        }
        Incremental {
            last: Last { at: vec![0; n], ..Last::default() },
            prev_at,
            prev,
            waited_by: vec![0; n],
            sources: Vec::new(),
            source_at: vec![NONE; n],
            stamp: vec![0; n],
            run: 0,
            waiting: vec![0; n],
            ready: vec![0.0; n],
            placed: vec![false; n],
            heap: BinaryHeap::new(),
            frontier: Vec::new(),
            events: Vec::new(),
            places: Scratch::default(),
            replayed: Vec::new(),
            replay_touched: Vec::new(),
        }
    }

    /// Adds the steps that joined the started set.
    fn grow(&mut self, crews: &Crews, joined: &[u32]) {
        for &x in joined {
            self.source_at[x as usize] = self.sources.len() as u32;
            self.sources.push(x);
            for &y in crews.next(x as usize) {
                let y = y as usize;
                self.waited_by[y] += 1;
                if self.waited_by[y] == 1 && self.source_at[y] != NONE {
                    let at = self.source_at[y] as usize;
                    self.sources.swap_remove(at);
                    if let Some(&moved) = self.sources.get(at) {
                        self.source_at[moved as usize] = at as u32;
                    }
                    self.source_at[y] = NONE;
                }
            }
        }
    }

    /// Makes step `x`'s state current for this rollback.
    fn touch(&mut self, x: usize) {
        if self.stamp[x] != self.run {
            self.stamp[x] = self.run;
            self.waiting[x] = self.waited_by[x];
            self.ready[x] = 0.0;
            self.placed[x] = false;
        }
    }

    fn release(&mut self, crews: &Crews, prep: bool, at: f64) {
        for &x in self.sources.iter().filter(|&&x| crews.is_prep(x as usize) == prep) {
            self.stamp[x as usize] = self.run;
            (self.waiting[x as usize], self.ready[x as usize], self.placed[x as usize]) = (0, at, false);
            self.heap.push((Reverse(key(at)), x));
        }
    }

    /// Whether step `x` was placed by the last rollback's first `i` placements.
    fn placed_before(&self, x: usize, i: usize, started: &[u32]) -> bool {
        (started[x] as usize) < self.last.started && self.last.at[x] as usize >= self.last.step.len() - i
    }

    /// Whether this rollback, having placed what the last had by its `i`th
    /// placement (and every step that joined), is in the last one's state
    /// there moved by `moved`; `rest_end`: the latest end of a window undo
    /// in each. The state: the steps waiting with a placed predecessor, by
    /// their ready times, and each owner's busy places, by when they free.
    fn same_state(&mut self, i: usize, moved: f64, now: f64, rest_end: (f64, f64), e: &Eval) -> bool {
        let last = &self.last;
        let (old_now, rest) = (last.ready[last.place(i)] + last.moved, last.place(i));
        let later = last.latest_window[rest] + last.moved;
        if rest_end.0.max(later + moved) != rest_end.1.max(later) + moved {
            return false;
        }
        let placed = &self.placed;
        self.frontier.retain(|&u| !placed[u as usize]);
        // A waiting step ends up ready at the latest end of its
        // predecessors: those placed (here, and there by then) and those
        // still to place, which end as there, moved. Equal once moved, the
        // step is placed as it was there.
        for &u in &self.frontier {
            let (from, to) = (self.prev_at[u as usize] as usize, self.prev_at[u as usize + 1] as usize);
            let (mut then, mut later) = (0.0f64, f64::NEG_INFINITY);
            for &p in &self.prev[from..to] {
                let p = p as usize;
                if (e.seq_pos[p] as usize) < last.started {
                    let end = last.finish[last.at[p] as usize] + last.moved;
                    if self.placed_before(p, i, &e.seq_pos) { then = then.max(end) } else { later = later.max(end) }
                }
            }
            if self.ready[u as usize].max(later + moved) != then.max(later) + moved {
                return false;
            }
        }
        // Each owner's busy places (free after now), in both.
        let busy = |heap: Vec<u64>, after: f64, by: f64| {
            let mut times: Vec<f64> = heap.into_iter().map(unkey).filter(|&t| t > after).map(|t| t + by).collect();
            times.sort_unstable_by_key(|&t| crate::order::f64_key(t));
            times
        };
        let crews_used = self.places.touched().iter().chain(&self.replay_touched).copied().collect::<Vec<u32>>();
        crews_used.into_iter().all(|c| {
            let here = self.places.busy(c);
            let there = self.replayed.get(c as usize).map(|h| h.iter().map(|r| r.0).collect()).unwrap_or_default();
            busy(here, now, 0.0) == busy(there, old_now, moved)
        })
    }

    /// Keeps `finish` (of a step the last rollback placed) among the last
    /// rollback's places of `crew`, as they stood at the same point there.
    fn replay(&mut self, crews: &Crews, crew: u32, finish: f64) {
        let Some(count) = crews.places_of(crew) else { return };
        self.replayed.resize_with(crews.crew_count(), BinaryHeap::new);
        let heap = &mut self.replayed[crew as usize];
        if heap.is_empty() {
            self.replay_touched.push(crew);
        }
        heap.push(Reverse(key(finish)));
        if heap.len() > count as usize {
            heap.pop();
        }
    }

    /// The last rollback is this one's placements, then (if `kept` is
    /// given: from the last's `kept`th placement on) the last's rest, moved.
    fn remember(&mut self, crews: &Crews, kept: Option<(usize, f64)>, started: usize) {
        match kept {
            Some((i, moved)) => {
                let len = self.last.step.len() - i;
                self.last.truncate(len);
                self.last.moved += moved;
            }
            None => {
                self.last.truncate(0);
                self.last.moved = 0.0;
            }
        }
        for k in (0..self.events.len()).rev() {
            let (x, ready, finish) = self.events[k];
            self.last.push(x, ready, finish, !crews.is_prep(x as usize));
        }
        self.last.started = started;
    }
}

impl Prefixes for Incremental {
    fn chain(&mut self, crews: &Crews, e: &Eval, k: usize, undo: &[f64], undone: &[bool], s: &mut Scratch) -> f64 {
        let places = &mut s.placed;
        let before = self.last.started.min(k);
        self.grow(crews, &e.seq[before..k]);
        let joined = k - before;
        // A new stamp makes every step's state stale at once.
        self.run = self.run.wrapping_add(1);
        if self.run == 0 {
            self.stamp.fill(0);
            self.run = 1;
        }
        crews.reset_places(&mut self.places);
        for c in self.replay_touched.drain(..) {
            self.replayed[c as usize].clear();
        }
        self.heap.clear();
        self.frontier.clear();
        self.events.clear();
        self.release(crews, false, 0.0);
        let window = k.saturating_sub(crews.prep_count());
        let (mut left, mut chain) = (window, 0.0f64);
        if left == 0 {
            self.release(crews, true, 0.0);
        }
        // This rollback's latest window end, and the last one's over the same steps.
        let (mut rest_end, mut old_rest_end) = (0.0f64, f64::NEG_INFINITY);
        // How many of the last rollback's steps are placed, how far into
        // the last one's order they reach, and how many joining steps are placed.
        let (mut old, mut old_reach, mut new) = (0usize, 0usize, 0usize);
        let (mut since_check, mut check_cost) = (0usize, 0usize);
        while let Some((Reverse(ready), x)) = self.heap.pop() {
            let (xi, ready) = (x as usize, unkey(ready));
            let (dur, crew) = if undone[xi] { (undo[xi], crews.undo_crew(xi)) } else { (0.0, NONE) };
            let (start, _) = crews.take_place(crew, ready, dur, x, &mut self.places);
            let end = start + dur;
            chain = chain.max(end);
            self.placed[xi] = true;
            self.events.push((x, ready, end));
            if (e.seq_pos[xi] as usize) < self.last.started {
                let at = self.last.at[xi] as usize;
                old += 1;
                old_reach = old_reach.max(self.last.step.len() - at);
                let old_end = self.last.finish[at] + self.last.moved;
                if crew != NONE && dur > 0.0 {
                    self.replay(crews, crew, old_end);
                }
                if !crews.is_prep(xi) {
                    old_rest_end = old_rest_end.max(old_end);
                }
            } else {
                new += 1;
            }
            for &y in crews.next(xi) {
                let y = y as usize;
                self.touch(y);
                if self.waiting[y] == self.waited_by[y] {
                    self.frontier.push(y as u32);
                }
                self.ready[y] = self.ready[y].max(end);
                self.waiting[y] -= 1;
                if self.waiting[y] == 0 {
                    self.heap.push((Reverse(key(self.ready[y])), y as u32));
                }
            }
            if !crews.is_prep(xi) {
                left -= 1;
                rest_end = rest_end.max(end);
                if left == 0 {
                    self.release(crews, true, rest_end);
                }
            }
            since_check += 1;
            // Placed what the last had by its `old`th placement, the same step next?
            let aligned = new == joined && old == old_reach && old < self.last.step.len() && left > 0;
            let next = self.heap.peek().map(|&(Reverse(r), y)| (unkey(r), y));
            let Some((now, _)) = next.filter(|&(_, y)| aligned && y == self.last.step[self.last.place(old)]) else {
                continue;
            };
            if since_check < check_cost {
                continue;
            }
            since_check = 0;
            let last = &self.last;
            let moved = now - (last.ready[last.place(old)] + last.moved);
            if !self.same_state(old, moved, now, (rest_end, old_rest_end), e) {
                // Checks cost about what they look at: as many placements between them.
                check_cost = self.frontier.len() + self.places.touched().len() + self.replay_touched.len();
                continue;
            }
            let rest = self.last.latest[self.last.place(old)] + self.last.moved + moved;
            *places += self.events.len() as u64;
            self.remember(crews, Some((old, moved)), k);
            return chain.max(rest);
        }
        *places += self.events.len() as u64;
        self.remember(crews, None, k);
        chain
    }

    fn finish(&self, x: usize) -> Option<f64> {
        // After `remember`, the stack is the whole of the last rollback.
        let at = *self.last.at.get(x)? as usize;
        self.last.finish.get(at).map(|f| f + self.last.moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::PlanGraph;
    use crate::sim::chains::FromScratch;
    use crate::sim::model::{Model, Purpose};

    /// Every started set's chain (and each undo's end) from the last one's
    /// is the one from scratch, on generated plans with crews that wait often, and sets that
    /// grow by one step or by many.
    #[test]
    fn every_chain_is_the_one_from_scratch() {
        for (steps, seed, crew, stride) in [
            (1500, 1, "{\"*\": 1}", 1),
            (1500, 2, "{\"*\": 2}", 1),
            (800, 3, "{\"Team 0\": 1, \"Team 3\": 2}", 1),
            (800, 4, "{\"*\": 1}", 7),
            (400, 5, "{\"*\": 3, \"Team 1\": 1}", 1),
        ] {
            let text = format!("{}crew: {crew}\n", crate::synth::plan(steps, seed));
            let plan = crate::parse(&text).plan;
            let graph = PlanGraph::build(&plan);
            let model = Model::new(&plan, &graph, 1e9, Purpose::Simulate);
            let crews = Crews::new(&plan, &graph, &model).expect("the crew limits");
            let (mut e, mut s) = (Eval::default(), Scratch::default());
            model.evaluate_crewed(&model.likely, &mut e, |e| crews.forward(&model.likely, e, &mut s));
            // The plan's durations, and whole seconds as a Monte Carlo run draws them.
            let drawn: Vec<f64> = model
                .likely
                .undo
                .iter()
                .enumerate()
                .map(|(i, u)| (u * (0.6 + (i * 7 % 11) as f64 * 0.09)).round())
                .collect();
            for undo in [&model.likely.undo, &drawn] {
                let undone = &model.undone;
                let mut by_last = Incremental::new(&crews);
                let mut scratch = FromScratch { kept: Some(crate::sim::crew::Placed::new(model.n)) };
                for k in (e.prep_count..=e.seq.len()).step_by(stride) {
                    let fresh = scratch.chain(&crews, &e, k, undo, undone, &mut s);
                    assert_eq!(by_last.chain(&crews, &e, k, undo, undone, &mut s), fresh, "{crew}, {k} started");
                    // And so is every undo's end (the leftovers' order).
                    for &x in &e.seq[..k] {
                        assert_eq!(by_last.finish(x as usize), scratch.finish(x as usize), "{crew}, {k}, step {x}");
                    }
                }
            }
        }
    }
}
