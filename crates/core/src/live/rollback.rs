//! The rollback once it is called (contract, section 6, "Rollback now",
//! carried on after the call): the runbook of what actually ran, on the
//! real clock. The started set is every step that had started when the
//! call was made (and prep); the plan's rollback of that set (crews apply,
//! as in section 5) gives each undo's planned start and end from the call
//! (`called + decide`). The undos the log records keep their actual times;
//! a running undo is expected to end at `max(now, started + takes)`; one
//! not started starts at `max(now, the end of every undo it waits for)`,
//! so a late undo pushes the ones after it and an early one pulls them.
//! With crews, the undos not started are placed again in their owners'
//! queues as section 5 places a rollback, from now on, behind the running
//! ones (`Simulation::rollback_under_way`): an owner who finished early
//! takes the next undo early, and one running late holds it back.
//!
//! Linear in steps + edges (with crews, two crew schedules of the set).

use super::{Record, Status};
use crate::graph::PlanGraph;
use crate::model::Plan;
use crate::sim::Simulation;

/// One undo of the rollback under way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiveUndo {
    pub step: usize,
    pub status: Status,
    /// By the plan, from the call.
    pub planned_start: f64,
    pub planned_finish: f64,
    /// Actual where the log has it, else forecast.
    pub start: f64,
    pub finish: f64,
}

/// The rollback called at `called`; times in seconds from the window's start.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRollback {
    pub called: f64,
    /// In the order the plan's rollback starts them (ties in list order).
    pub undos: Vec<LiveUndo>,
    /// When the plan said the rollback would be done, and when it will be.
    pub planned_done: f64,
    pub done: f64,
    /// `window - done`.
    pub margin: f64,
    /// Every undo is done.
    pub undone: bool,
    /// An irreversible step had started before the call.
    pub no_way_back: bool,
}

/// The rollback `record` says was called; `None` when none was (or the
/// plan has no window).
pub fn rollback(plan: &Plan, graph: &PlanGraph, sim: &Simulation, record: &Record) -> Option<LiveRollback> {
    let called = record.rollback_called?;
    let now = record.now.max(called);
    let n = plan.steps.len();
    // What had started by the call: prep first, then by actual start.
    let mut started: Vec<usize> = (0..n).filter(|&x| sim.prep.get(x) == Some(&true)).collect();
    let mut ran: Vec<(f64, usize)> = (0..n)
        .filter(|&x| sim.prep.get(x) != Some(&true))
        .filter_map(|x| record.steps.get(x)?.started.filter(|&s| s <= called).map(|s| (s, x)))
        .collect();
    crate::order::sort_by_key(&mut ran, |&(s, x)| (crate::order::f64_key(s), x as u64));
    started.extend(ran.iter().map(|&(_, x)| x));
    let no_way_back = started.iter().any(|&x| plan.steps[x].irreversible.is_some());
    let planned = sim.rollback_of(graph, &started, called + sim.decide);
    // With crews, what is left is placed in the owners' queues again.
    let actual = |x: usize| record.undos.get(x).copied().unwrap_or_default();
    let (undo_started, undo_finished): (Vec<_>, Vec<_>) =
        (0..n).map(|x| (actual(x).started, actual(x).finished)).unzip();
    let crewed = sim.rollback_under_way(&started, called + sim.decide, now, &undo_started, &undo_finished);

    let mut in_set = vec![false; n];
    for &x in &started {
        in_set[x] = true;
    }
    let mut at = vec![None; n];
    for (k, u) in planned.undos.iter().enumerate() {
        at[u.step] = Some(k);
    }
    // From the latest steps back, as the plan's rollback waits: an undo
    // waits for the undos of every started step that depends on it, and
    // prep's for all the others'.
    let mut end = vec![called + sim.decide; n];
    let mut undos: Vec<Option<LiveUndo>> = vec![None; planned.undos.len()];
    let mut rest_end = called + sim.decide;
    for pass_prep in [false, true] {
        for &x in graph.order.iter().rev() {
            if !in_set[x] || sim.prep[x] != pass_prep {
                continue;
            }
            let base = if pass_prep { rest_end } else { called + sim.decide };
            let ready = graph
                .dependents(x)
                .filter(|&y| in_set[y] && sim.prep[y] == pass_prep)
                .map(|y| end[y])
                .fold(base, f64::max);
            end[x] = ready;
            if let Some(k) = at[x] {
                let u = &planned.undos[k];
                let takes = u.finish - u.start;
                let (status, start, finish) = match (actual(x).started, actual(x).finished, &crewed) {
                    (Some(s), Some(f), _) => (Status::Done, s, f),
                    (Some(s), None, _) => (Status::Running, s, now.max(s + takes)),
                    // Placed again in its owner's queue, after what ran.
                    (None, _, Some(times)) => (Status::Waiting, times[x].0, times[x].1),
                    (None, _, None) => {
                        let s = now.max(ready);
                        (Status::Waiting, s, s + takes)
                    }
                };
                end[x] = finish;
                undos[k] =
                    Some(LiveUndo { step: x, status, planned_start: u.start, planned_finish: u.finish, start, finish });
            }
            if !pass_prep {
                rest_end = rest_end.max(end[x]);
            }
        }
    }
    let undos: Vec<LiveUndo> = undos.into_iter().flatten().collect();
    let undone = undos.iter().all(|u| u.status == Status::Done);
    let last = undos.iter().map(|u| u.finish).fold(called + sim.decide, f64::max);
    let done = last + sim.verify;
    Some(LiveRollback {
        called,
        undos,
        planned_done: planned.done,
        done,
        margin: sim.window_length - done,
        undone,
        no_way_back,
    })
}
