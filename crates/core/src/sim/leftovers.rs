//! Leftovers: what the rollback from each failure point leaves off its
//! baseline, kept in space linear in the plan's `sets`.
//!
//! A point's started set is a prefix of the start order, so its leftovers
//! are the state simulation's after that many starts. Kept for every point
//! as lists, they would grow as points × resources (a plan whose every step
//! leaves its own resource behind holds n²/2 of them). Instead, one sweep
//! over the start order records each *stretch*: one resource in one end
//! state, off its baseline, from one count of started steps to another.
//! Each start begins or ends at most a stretch per resource it writes, so
//! there are no more stretches than `sets` entries (with crews, plus at
//! most two a pin). A segment tree over the
//! counts finds the stretches of one point in O(log n + its leftovers).
//!
//! With crews, a started set whose rollback the crews limit runs to a
//! timetable (its crew schedule), and that orders its undos: of the undos
//! that write one resource, the last to write is one that no other starts
//! after (of several that run at the same time, the first started, as
//! without crews). [`Contest`] finds, per such set, the resources where
//! that is not the rule's undo, and the sweep takes them as given for that
//! count alone. That costs the set's writers of shared resources, counted
//! against the crews' budget; so are the pins it keeps.

use std::collections::HashMap;

use super::model::{Model, NONE};
use super::{FailurePoint, Leftover};
use crate::model::{Plan, Symbol};

/// One resource off its baseline, in one end state, for every point that
/// has started `from..to` steps.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stretch {
    from: u32,
    to: u32,
    resource: Symbol,
    state: Symbol,
    /// The step whose `sets` (or whose undo's `sets`) left it so.
    set_by: u32,
    by_undo: bool,
}

/// Every failure point's leftovers. Read them with [`Trail::at`].
#[derive(Clone, Debug, Default)]
pub(super) struct Trail {
    stretches: Vec<Stretch>,
    /// The text of the symbols the stretches use (resources, states and
    /// baselines), and each resource's baseline.
    names: HashMap<Symbol, Box<str>>,
    baseline: HashMap<Symbol, Symbol>,
    /// The segment tree: leaves for the counts `0..size`, node `k`'s stretch
    /// list at `list[at[k]..at[k + 1]]`, every stretch listed in the nodes
    /// that together cover `from..to` exactly.
    size: usize,
    at: Vec<u32>,
    list: Vec<u32>,
}

/// An end state the crew schedule of one started set gives a resource,
/// where the rule without crews gives another.
#[derive(Clone, Copy, Debug)]
struct Pin {
    count: u32,
    resource: Symbol,
    step: u32,
    state: Symbol,
}

/// Which undo writes each resource last in the crew schedules (see the
/// module's docs). Told of each scheduled set in growing order of size.
pub(super) struct Contest {
    /// Per resource: the started steps whose undos write it, in start
    /// order, with the state each writes.
    writers: Vec<Vec<(u32, Symbol)>>,
    /// The resources with more than one writer so far.
    shared: Vec<u32>,
    /// How many steps of the start order are in `writers`.
    added: usize,
    pins: Vec<Pin>,
}

impl Contest {
    pub fn new(plan: &Plan) -> Contest {
        Contest { writers: vec![Vec::new(); plan.symbols.len()], shared: Vec::new(), added: 0, pins: Vec::new() }
    }

    /// The first `count` steps of `seq` were rolled back with crews; `finish`
    /// gives when each one's undo ended there, `undo` how long it took.
    /// Returns the work done (writers looked at), which counts against the
    /// crews' budget.
    pub fn scheduled(
        &mut self,
        model: &Model<'_>,
        (seq, undo): (&[u32], &[f64]),
        count: usize,
        finish: impl Fn(usize) -> Option<f64>,
    ) -> u64 {
        for &x in &seq[self.added.min(count)..count] {
            let x = x as usize;
            let sets = if model.undone[x] { model.columns.undo_sets(x) } else { &[] };
            for &(r, state) in sets {
                let writers = &mut self.writers[r.0 as usize];
                writers.push((x as u32, state));
                if writers.len() == 2 {
                    self.shared.push(r.0);
                }
            }
        }
        self.added = self.added.max(count);
        let mut work = 0u64;
        let mut times = Vec::new();
        for &r in &self.shared {
            let writers = &self.writers[r as usize];
            work += writers.len() as u64;
            times.clear();
            for &(x, _) in writers {
                let Some(end) = finish(x as usize) else { return work };
                times.push((end - undo[x as usize], end));
            }
            if let Some(last) = last_writer(&times).filter(|&last| last != 0) {
                let (step, state) = writers[last];
                self.pins.push(Pin { count: count as u32, resource: Symbol(r), step, state });
            }
        }
        work
    }
}

/// Of undos that write one resource, given as `(start, end)` in start
/// order, the one that writes it last in their timetable: one that no
/// other starts after (at or after its end); of several such (they run
/// at the same time), the first started, as without crews. `None` when
/// every one is followed (undos that take no time, at one moment).
fn last_writer(times: &[(f64, f64)]) -> Option<usize> {
    // The latest start, and the latest of the others'.
    let (mut top, mut second) = ((f64::NEG_INFINITY, usize::MAX), f64::NEG_INFINITY);
    for (i, &(start, _)) in times.iter().enumerate() {
        if start > top.0 {
            second = top.0;
            top = (start, i);
        } else if start > second {
            second = start;
        }
    }
    let followed = |i: usize, end: f64| end <= if i == top.1 { second } else { top.0 };
    times.iter().enumerate().position(|(i, &(_, end))| !followed(i, end))
}

impl Trail {
    /// Sweeps the start order `seq` once; `contest`: what the crew
    /// schedules change (None without crews, or past their budget).
    pub fn new(plan: &Plan, model: &Model<'_>, seq: &[u32], contest: Option<Contest>) -> Trail {
        let mut sweep = Sweep::new(plan, model);
        let pins = contest.map(|c| c.pins).unwrap_or_default();
        let (mut next, mut pinned) = (0, Vec::new());
        for (k, &x) in seq.iter().enumerate() {
            let count = k as u32 + 1;
            // Pins hold for their count alone: this count's are in place
            // before the start settles what it writes, so a resource
            // pinned alike at two counts keeps one stretch.
            let mut touched = std::mem::take(&mut pinned);
            for &r in &touched {
                sweep.pin[r as usize] = None;
            }
            while let Some(p) = pins.get(next).filter(|p| p.count == count) {
                sweep.pin[p.resource.0 as usize] = Some((p.step, p.state));
                touched.push(p.resource.0);
                next += 1;
            }
            sweep.start(x as usize, count);
            touched.sort_unstable();
            touched.dedup();
            for r in touched {
                sweep.settle(Symbol(r), count);
                if sweep.pin[r as usize].is_some() {
                    pinned.push(r);
                }
            }
        }
        let end = seq.len() as u32 + 1;
        let mut stretches = sweep.stretches;
        for s in &mut stretches {
            s.to = s.to.min(end);
        }
        let mut names = HashMap::new();
        let mut baseline = HashMap::new();
        for s in &stretches {
            let base = sweep.baseline[s.resource.0 as usize];
            baseline.insert(s.resource, base);
            for symbol in [s.resource, s.state, base] {
                names.entry(symbol).or_insert_with(|| plan.symbol(symbol).into());
            }
        }
        let mut trail = Trail { stretches, names, baseline, size: 0, at: Vec::new(), list: Vec::new() };
        trail.index(end as usize);
        trail
    }

    /// Builds the segment tree over the counts `0..counts`.
    fn index(&mut self, counts: usize) {
        if self.stretches.is_empty() {
            return;
        }
        self.size = counts.next_power_of_two();
        let nodes = 2 * self.size;
        // Counted first, then placed: two walks over each stretch's nodes.
        let mut count = vec![0u32; nodes + 1];
        for s in &self.stretches {
            cover(self.size, s.from as usize, s.to as usize, |node| count[node + 1] += 1);
        }
        for k in 1..count.len() {
            count[k] += count[k - 1];
        }
        let mut next = count.clone();
        let mut list = vec![0u32; count[nodes] as usize];
        for (i, s) in self.stretches.iter().enumerate() {
            cover(self.size, s.from as usize, s.to as usize, |node| {
                list[next[node] as usize] = i as u32;
                next[node] += 1;
            });
        }
        // Each node's list by resource, so that a point's leftovers come
        // out in order, and the first few without reading the rest.
        for node in 0..nodes {
            let stretches = &self.stretches;
            list[count[node] as usize..count[node + 1] as usize]
                .sort_unstable_by_key(|&i| stretches[i as usize].resource);
        }
        self.at = count;
        self.list = list;
    }

    /// The nodes whose lists hold the stretches that cover `count` started
    /// steps: a leaf and its ancestors.
    fn path(&self, count: usize) -> impl Iterator<Item = usize> + use<> {
        let mut node = if count < self.size { count + self.size } else { 0 };
        std::iter::from_fn(move || {
            if node == 0 {
                return None;
            }
            let here = node;
            node /= 2;
            Some(here)
        })
    }

    fn nodes(&self, node: usize) -> &[u32] {
        let (from, to) = (self.at[node] as usize, self.at[node + 1] as usize);
        &self.list[from..to]
    }

    fn leftover(&self, s: &Stretch) -> Leftover {
        let name = |symbol: Symbol| self.names.get(&symbol).map_or("", |n| n).to_string();
        Leftover {
            resource: name(s.resource),
            state: name(s.state),
            baseline: name(self.baseline.get(&s.resource).copied().unwrap_or(Symbol::ABSENT)),
            set_by: s.set_by as usize,
            by_undo: s.by_undo,
        }
    }

    /// The first `most` leftovers of a point that has started `count`
    /// steps, in the order of their resources' symbols: the lists along its
    /// path merged (one stretch a resource covers any count). O(log n) a
    /// leftover, however many there are in all.
    pub fn at(&self, count: usize, most: usize) -> Vec<Leftover> {
        let mut lists: Vec<&[u32]> = self.path(count).map(|node| self.nodes(node)).filter(|l| !l.is_empty()).collect();
        let mut out = Vec::new();
        while out.len() < most {
            let resource = |l: &&[u32]| l.first().map(|&i| self.stretches[i as usize].resource);
            let Some(next) = (0..lists.len()).min_by_key(|&k| resource(&lists[k])) else { break };
            let Some((&first, rest)) = lists[next].split_first() else { break };
            out.push(self.leftover(&self.stretches[first as usize]));
            if rest.is_empty() {
                lists.swap_remove(next);
            } else {
                lists[next] = rest;
            }
        }
        out
    }

    /// How many leftovers a point that has started `count` steps has, in O(log n).
    pub fn count(&self, count: usize) -> usize {
        self.path(count).map(|node| self.nodes(node).len()).sum()
    }

    /// Each leftover at the first of `points` (in their order, skipping
    /// those past a point of no return) that has it, with that point's
    /// place; in point order, each point's by resource. A stretch is taken
    /// by the first point inside it, and a node of the tree is read once:
    /// every stretch it lists covers all of the node, so the first point to
    /// reach it takes them all. O((points + stretches) log n).
    pub fn first_seen(&self, points: &[FailurePoint]) -> Vec<(usize, Leftover)> {
        let mut out = Vec::new();
        if self.stretches.is_empty() {
            return out;
        }
        let mut read = vec![false; 2 * self.size];
        let mut taken = vec![false; self.stretches.len()];
        let mut found: Vec<u32> = Vec::new();
        for (k, p) in points.iter().enumerate().filter(|(_, p)| !p.no_way_back) {
            let mut node = if p.started < self.size { p.started + self.size } else { 0 };
            while node > 0 && !read[node] {
                read[node] = true;
                found.extend(
                    self.nodes(node).iter().copied().filter(|&i| !std::mem::replace(&mut taken[i as usize], true)),
                );
                node /= 2;
            }
            found.sort_unstable_by_key(|&i| self.stretches[i as usize].resource);
            out.extend(found.drain(..).map(|i| (k, self.leftover(&self.stretches[i as usize]))));
        }
        out
    }
}

/// Calls `visit` with each node of a segment tree of `size` leaves that
/// together cover the leaves `from..to`.
fn cover(size: usize, from: usize, to: usize, mut visit: impl FnMut(usize)) {
    let (mut l, mut r) = (from + size, to.min(size) + size);
    while l < r {
        if l & 1 == 1 {
            visit(l);
            l += 1;
        }
        if r & 1 == 1 {
            r -= 1;
            visit(r);
        }
        l /= 2;
        r /= 2;
    }
}

/// The state simulation behind leftovers, updated one started step at a
/// time. Resources and states are [`Symbol`]s, so all of it compares numbers.
struct Sweep<'p> {
    model: &'p Model<'p>,
    /// Per resource: its baseline state.
    baseline: Vec<Symbol>,
    /// Per resource: the last forward write so far (step, state).
    forward: Vec<Option<(u32, Symbol)>>,
    /// Per resource: the first undo so far that writes it. Undos run in
    /// reverse dependency order, so the first started is the last to write.
    undo: Vec<Option<(u32, Symbol)>>,
    /// Per resource: its stretch under way, if it is off its baseline.
    open: Vec<u32>,
    stretches: Vec<Stretch>,
    /// Per resource: the undo a crew schedule makes write it last, at
    /// this count (see [`Contest`]).
    pin: Vec<Option<(u32, Symbol)>>,
}

impl<'p> Sweep<'p> {
    fn new(plan: &Plan, model: &'p Model<'p>) -> Self {
        let count = plan.symbols.len();
        let mut baseline = vec![Symbol::ABSENT; count];
        for b in &plan.baseline {
            if let Some(slot) = baseline.get_mut(b.resource_symbol.0 as usize) {
                *slot = b.state_symbol;
            }
        }
        Sweep {
            model,
            baseline,
            forward: vec![None; count],
            undo: vec![None; count],
            open: vec![NONE; count],
            stretches: Vec::new(),
            pin: vec![None; count],
        }
    }

    /// `step` starts, the `count`th to.
    fn start(&mut self, step: usize, count: u32) {
        let (m, step32) = (self.model, step as u32);
        let sets = m.columns.sets(step);
        let undo_sets = if m.undone[step] { m.columns.undo_sets(step) } else { &[] };
        for &(r, state) in sets {
            self.forward[r.0 as usize] = Some((step32, state));
        }
        for &(r, state) in undo_sets {
            self.undo[r.0 as usize].get_or_insert((step32, state));
        }
        for &(r, _) in sets.iter().chain(undo_sets) {
            self.settle(r, count);
        }
    }

    /// The state `r` ends in after the rollback, and who wrote it.
    fn end_state(&self, r: usize) -> Option<(u32, Symbol, bool)> {
        if let Some((s, v)) = self.pin[r] {
            return Some((s, v, true));
        }
        match (self.undo[r], self.forward[r]) {
            (Some((s, v)), _) => Some((s, v, true)),
            (None, Some((s, v))) => Some((s, v, false)),
            (None, None) => None,
        }
    }

    /// Ends `r`'s stretch and begins another where its end state changed.
    fn settle(&mut self, r: Symbol, count: u32) {
        let ri = r.0 as usize;
        let now = self.end_state(ri).filter(|&(_, v, _)| v != self.baseline[ri]);
        let open = self.open[ri];
        if let Some(s) = self.stretches.get(open as usize)
            && now == Some((s.set_by, s.state, s.by_undo))
        {
            return;
        }
        if let Some(s) = self.stretches.get_mut(open as usize) {
            s.to = count;
        }
        self.open[ri] = NONE;
        if let Some((set_by, state, by_undo)) = now {
            self.open[ri] = self.stretches.len() as u32;
            self.stretches.push(Stretch { from: count, to: u32::MAX, resource: r, state, set_by, by_undo });
        }
    }
}
