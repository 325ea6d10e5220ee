//! Each rollback, step by step: the waves and every undo's times, from a
//! failure point or for any started set (the live window's). Linear in
//! steps + edges; with crews, the crews' schedule of the set.

use super::crew::{Crews, Placed, Scratch, UnderWay};
use super::{FailurePoint, RollbackRun, Simulation, UndoRun};
use crate::graph::PlanGraph;

impl Simulation {
    /// The rollback from `point`: its waves and each undo's times (the
    /// earliest, or with crews where the crew schedule puts it). Linear in
    /// steps + edges (with crews, O(n log n)); computed on demand, one
    /// point at a time.
    pub fn rollback(&self, graph: &PlanGraph, point: &FailurePoint) -> RollbackRun {
        self.run(self.schedule(graph, point), Some(point.chain))
    }

    /// The run of `schedule`: its undos by start, verified after `chain`
    /// (the point's, as the simulation counted it), or after the last undo.
    fn run(&self, schedule: Schedule, chain: Option<f64>) -> RollbackRun {
        let called = schedule.called;
        let mut undos: Vec<UndoRun> = (0..schedule.undone.len())
            .filter(|&x| schedule.undone[x])
            .map(|x| UndoRun {
                step: x,
                ready: called + schedule.ready[x],
                start: called + schedule.start[x],
                finish: called + schedule.finish[x],
            })
            .collect();
        crate::order::sort_by_key(&mut undos, |u| (crate::order::f64_key(u.start), u.step as u64));
        let verify_start = match chain {
            Some(chain) => called + chain,
            None => undos.iter().map(|u| u.finish).fold(called, f64::max),
        };
        RollbackRun { waves: schedule.waves, undos, called, verify_start, done: verify_start + self.verify }
    }

    /// The rollback from `point` indexed by step, for [`Simulation::rollback`]
    /// and [`Simulation::runbook`]. Linear in steps + edges.
    pub(super) fn schedule(&self, graph: &PlanGraph, point: &FailurePoint) -> Schedule {
        self.schedule_of(graph, self.started(point), point.fail + self.decide)
    }

    /// The rollback of the steps `started` (in the order they started),
    /// called so that its undos may begin at `called`: as
    /// [`Simulation::rollback`] from a failure point, for any started set
    /// (the live window's, whose set is what actually ran).
    pub fn rollback_of(&self, graph: &PlanGraph, started: &[usize], called: f64) -> RollbackRun {
        self.run(self.schedule_of(graph, started, called), None)
    }

    /// With crews that limit rollbacks, the rollback of `started` under way
    /// (see `Crews::rollback`): per step, its undo's start and end,
    /// from the window's start. `undo_started` and `undo_finished` are the
    /// recorded times, per step. `None` without such crews: then nobody
    /// waits for an owner, and the undos' order alone places them.
    pub fn rollback_under_way(
        &self,
        started: &[usize],
        called: f64,
        now: f64,
        undo_started: &[Option<f64>],
        undo_finished: &[Option<f64>],
    ) -> Option<Vec<(f64, f64)>> {
        let crews = self.crews.as_ref().filter(|c| c.limits_rollback())?;
        let n = self.undo_time.len();
        let after_call = |t: &[Option<f64>]| -> Vec<Option<f64>> {
            (0..n).map(|x| t.get(x).copied().flatten().map(|t| t - called)).collect()
        };
        let (started_at, finished_at) = (after_call(undo_started), after_call(undo_finished));
        let under_way = UnderWay { now: now - called, started: &started_at, finished: &finished_at };
        let seq: Vec<u32> = started.iter().map(|&x| x as u32).collect();
        let mut placed = Placed::new(n);
        crews.rollback(
            &seq,
            &self.undo_time,
            &self.undone,
            &mut Scratch::default(),
            Some(&mut placed),
            Some(&under_way),
        );
        Some((0..n).map(|x| (called + placed.start[x], called + placed.finish[x])).collect())
    }

    fn schedule_of(&self, graph: &PlanGraph, started: &[usize], called: f64) -> Schedule {
        if let Some(crews) = &self.crews {
            return self.crew_schedule(crews, started, called);
        }
        let n = self.undo_time.len();
        let mut in_set = vec![false; n];
        for &s in started {
            in_set[s] = true;
        }
        let undone: Vec<bool> = (0..n).map(|x| in_set[x] && self.undone[x]).collect();
        // From the latest steps back: an undo waits for the undos of every
        // started step that depends on it (directly or through other steps).
        // Prep comes before every other step, so its undos wait for all of
        // theirs: the rest first, then prep.
        let mut ready = vec![0.0f64; n];
        let mut finish = vec![0.0f64; n];
        let mut wave = vec![0usize; n];
        let (mut rest_finish, mut rest_waves) = (0.0f64, 0usize);
        for pass_prep in [false, true] {
            for &x in graph.order.iter().rev() {
                if !in_set[x] || self.prep[x] != pass_prep {
                    continue;
                }
                let (mut r, mut w) = if pass_prep { (rest_finish, rest_waves) } else { (0.0f64, 0usize) };
                for y in graph.dependents(x).filter(|&y| in_set[y] && self.prep[y] == pass_prep) {
                    r = r.max(finish[y]);
                    w = w.max(wave[y] + usize::from(undone[y]));
                }
                ready[x] = r;
                wave[x] = w;
                finish[x] = r + if undone[x] { self.undo_time[x] } else { 0.0 };
                if !pass_prep {
                    rest_finish = rest_finish.max(finish[x]);
                    rest_waves = rest_waves.max(w + usize::from(undone[x]));
                }
            }
        }
        let mut waves: Vec<Vec<usize>> = Vec::new();
        for x in (0..n).filter(|&x| undone[x]) {
            if waves.len() <= wave[x] {
                waves.resize(wave[x] + 1, Vec::new());
            }
            waves[wave[x]].push(x);
        }
        waves.retain(|w| !w.is_empty());
        let start = ready.clone();
        Schedule { undone, ready, start, finish, waves, called }
    }

    /// [`Simulation::schedule`] with crews: each undo where the crew
    /// schedule puts it, and as waves the undos that start at one moment
    /// (a wave of undos ordered only by a wait for a place would not be one
    /// that can run at the same time).
    fn crew_schedule(&self, crews: &Crews, started: &[usize], called: f64) -> Schedule {
        let n = self.undo_time.len();
        let seq: Vec<u32> = started.iter().map(|&x| x as u32).collect();
        let mut placed = Placed::new(n);
        crews.rollback(&seq, &self.undo_time, &self.undone, &mut Scratch::default(), Some(&mut placed), None);
        let mut undone = vec![false; n];
        for &x in &seq {
            undone[x as usize] = self.undone[x as usize];
        }
        let key = |x: usize| crate::order::f64_key(placed.start[x]);
        let mut moments: Vec<u64> = (0..n).filter(|&x| undone[x]).map(key).collect();
        moments.sort_unstable();
        moments.dedup();
        let mut waves: Vec<Vec<usize>> = vec![Vec::new(); moments.len()];
        for x in (0..n).filter(|&x| undone[x]) {
            if let Some(wave) = moments.binary_search(&key(x)).ok().and_then(|w| waves.get_mut(w)) {
                wave.push(x);
            }
        }
        let Placed { ready, start, finish } = placed;
        Schedule { undone, ready, start, finish, waves, called }
    }
}

/// One point's rollback, indexed by step. Times are seconds after the call.
pub(super) struct Schedule {
    /// Whether the rollback undoes each step.
    pub(super) undone: Vec<bool>,
    /// When each undo can start: once the undos it waits for are done.
    pub(super) ready: Vec<f64>,
    /// When it starts: when ready, or with crews once its owner has a place.
    pub(super) start: Vec<f64>,
    /// When each undo is done at the earliest.
    pub(super) finish: Vec<f64>,
    /// The undos wave by wave, each wave in list order; no wave is empty.
    pub(super) waves: Vec<Vec<usize>>,
    /// When the rollback is called, from the window's start (`F + decide`).
    pub(super) called: f64,
}
