//! The rollback runbook: what the team does from one failure point, in
//! order, on the window's clock: the call and its announcement, every undo
//! with its own start, end and owner, the verification, what stays off its
//! baseline and the verdict. Plain data; the approval document and the app's
//! Rehearse view only format it. Times are seconds from the window's start.

use super::{FailurePoint, Leftover, Simulation};
use crate::graph::PlanGraph;
use crate::model::{Plan, Text};

/// The rollback from one failure point, as the team runs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Runbook<'a> {
    /// The step that fails, its id and its instruction.
    pub step: usize,
    pub id: &'a str,
    pub what: Option<&'a str>,
    /// `F`: when it fails.
    pub fail: f64,
    /// When the rollback is called (`F + decide`), and what the plan says to
    /// announce then (`rollback.announce`).
    pub called: f64,
    pub announce: Option<&'a str>,
    /// Every undo, wave by wave, each wave in list order (with crews, a
    /// wave is the undos that start at one moment).
    pub undos: Vec<UndoItem<'a>>,
    pub verify: Verification<'a>,
    /// What this rollback leaves off its baseline.
    pub leftovers: Vec<Leftover>,
    pub verdict: Verdict,
}

/// One undo in the runbook. It carries its own start and end, not only its
/// wave: a wait before it (for a crew that is busy, say) moves its start
/// past `ready` without changing how the others are told.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoItem<'a> {
    /// The step it undoes, and that step's id.
    pub step: usize,
    pub id: &'a str,
    /// Its wave (0 for the first): the undos of one wave can run at the same time.
    pub wave: usize,
    /// When the undos it waits for are done.
    pub ready: f64,
    /// When it starts and ends. Without crews it starts when it is ready;
    /// with crews it may wait after that for a place in its owner's crew.
    pub start: f64,
    pub end: f64,
    /// What to do (`undo.do`); `None` when the plan does not say (R001).
    pub what: Option<&'a str>,
    /// Who does it: `undo.owner`, else the step's `owner`.
    pub owner: Option<&'a str>,
}

/// The check that the system is back on its baseline (`rollback.verify`).
#[derive(Clone, Debug, PartialEq)]
pub struct Verification<'a> {
    /// It starts when the last undo ends; the rollback is done at `end`.
    pub start: f64,
    pub end: f64,
    /// What to do; `None` when the plan says no check (R007).
    pub what: Option<&'a str>,
    pub owner: Option<&'a str>,
}

/// Whether the rollback is done before the window closes.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Done this many seconds before the window closes (0 or more).
    Fits { margin: f64 },
    /// Done this many seconds after the window closes.
    Overruns { by: f64 },
    /// Irreversible steps had started: no complete rollback is possible,
    /// whatever the clock says. The steps, in the order they started.
    NoWayBack { irreversible: Vec<usize> },
}

impl Simulation {
    /// The rollback runbook from `point` of the plan this simulation is of.
    /// Linear in steps + edges: every undo is read off by its step.
    pub fn runbook<'a>(&'a self, plan: &'a Plan, graph: &PlanGraph, point: &FailurePoint) -> Runbook<'a> {
        let schedule = self.schedule(graph, point);
        let called = schedule.called;
        let text = |t: Option<&'a Text>| t.map(Text::as_str);
        let mut undos = Vec::new();
        for (wave, steps) in schedule.waves.iter().enumerate() {
            for &x in steps {
                let Some(step) = plan.steps.get(x) else { continue };
                let undo = step.undo.as_ref();
                undos.push(UndoItem {
                    step: x,
                    id: step.id(),
                    wave,
                    ready: called + schedule.ready[x],
                    start: called + schedule.start[x],
                    end: called + schedule.finish[x],
                    what: text(undo.and_then(|u| u.do_.as_ref())),
                    owner: step.undo_owner(),
                });
            }
        }
        let rollback = plan.rollback.as_ref();
        let verify = rollback.and_then(|r| r.verify.as_ref());
        let verify_start = called + point.chain;
        let verdict = if point.no_way_back {
            let irreversible = |s: &usize| plan.steps.get(*s).is_some_and(|s| s.irreversible.is_some());
            Verdict::NoWayBack { irreversible: self.started(point).iter().copied().filter(irreversible).collect() }
        } else if point.margin >= 0.0 {
            Verdict::Fits { margin: point.margin }
        } else {
            Verdict::Overruns { by: -point.margin }
        };
        let failing = plan.steps.get(point.step);
        Runbook {
            step: point.step,
            id: failing.map_or("", |s| s.id()),
            what: text(failing.and_then(|s| s.do_.as_ref())),
            fail: point.fail,
            called,
            announce: text(rollback.and_then(|r| r.announce.as_ref())),
            undos,
            verify: Verification {
                start: verify_start,
                end: verify_start + self.verify,
                what: text(verify.and_then(|v| v.do_.as_ref())),
                owner: text(verify.and_then(|v| v.owner.as_ref())),
            },
            leftovers: self.leftovers(point),
            verdict,
        }
    }

    /// The tightest failure point: the least margin among the points a
    /// complete rollback is possible from, the earliest on a tie; `None`
    /// when every point is past a point of no return.
    pub fn tightest(&self) -> Option<&FailurePoint> {
        self.points.iter().filter(|p| !p.no_way_back).min_by(|a, b| a.margin.total_cmp(&b.margin))
    }
}
