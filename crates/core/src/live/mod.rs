//! The live window (contract, section 6): the run log, what the team records
//! as the change happens. This module holds the log's model and reads it
//! against its plan; the reading itself is the parser's (`parse/log.rs`).
//!
//! Reading never stops early: every event is read on its own, and each
//! problem (an unknown step, a finish before its start, a time outside any
//! sense, a second event for one step) is a diagnostic with its span, while
//! the events that are sound are kept.

pub mod edit;
mod forecast;
mod review;
mod rollback;
pub mod say;
mod write;

use std::collections::HashMap;

pub use forecast::{Forecast, ODDS_WORK, Odds, PointForecast, RollbackNow, Status, StepForecast, forecast, odds};
pub use review::review;
pub use rollback::{LiveRollback, LiveUndo, rollback};
pub use write::write;

use crate::diagnostic::{Diagnostic, Severity, Span};
pub use crate::model::{Event, RunLog, Stamp};
use crate::model::{Plan, Text};
use crate::rules::c005_stale_approval::RULE as C005;
use crate::rules::g001_unknown_step::RULE as G001;
use crate::rules::p003_invalid_value::RULE as P003;
use crate::rules::p004_duplicate_id::RULE as P004;

/// How far before the window opens (or after it closes) a time in the log
/// may be before it is taken for a typo: a day.
pub const SLACK_SECS: i64 = 24 * 3600;

/// What happened to one step (or its undo), by the log.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Actual {
    /// Seconds from the window's start.
    pub started: Option<f64>,
    pub finished: Option<f64>,
}

/// A log read against its plan: only what is sound.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// Per step of the plan.
    pub steps: Vec<Actual>,
    /// Per step of the plan, its undo during a rollback.
    pub undos: Vec<Actual>,
    /// When the rollback was called, seconds from the window's start, and
    /// the note written with it.
    pub rollback_called: Option<f64>,
    pub rollback_note: Option<String>,
    /// "Now", seconds from the window's start: `as_of`, else the latest time
    /// in the log, else the window's start.
    pub now: f64,
}

/// The log's text read against `plan`.
#[derive(Clone, Debug)]
pub struct ParsedLog {
    pub log: RunLog,
    pub record: Record,
    /// In source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads run log `source` (YAML or JSON) recorded against `plan`, whose hash
/// is `plan_hash`. A plan without a window gets every time as an error: a
/// log has nothing to count from.
pub fn read(source: &str, plan: &Plan, plan_hash: Option<&str>) -> ParsedLog {
    let (log, mut diagnostics) = crate::parse::run_log(source);
    let record = check(&log, plan, plan_hash, &mut diagnostics);
    crate::diagnostic::sort(&mut diagnostics);
    ParsedLog { log, record, diagnostics }
}

fn check(log: &RunLog, plan: &Plan, plan_hash: Option<&str>, out: &mut Vec<Diagnostic>) -> Record {
    let n = plan.steps.len();
    let mut record =
        Record { steps: vec![Actual::default(); n], undos: vec![Actual::default(); n], ..Record::default() };
    let Some(window) = &plan.window else {
        if !log.events.is_empty() {
            out.push(
                P003.diag(log.span, "the plan has no `window`: a run log has no time to count from")
                    .help("give the plan its `window` (section 1), then forecast"),
            );
        }
        return record;
    };
    if let (Some(written), Some(actual)) = (&log.plan_hash, plan_hash)
        && written.value != actual
    {
        let mut d = C005
            .diag(written.span, format!("the log was recorded against another version of the plan ({})", written.value))
            .help(format!("the plan's hash is now {actual}: the forecast uses the plan as it is"));
        d.severity = Severity::Warning;
        out.push(d);
    }
    let (open, close) = (window.start.unix, window.end.unix);
    let secs = |s: &Stamp, out: &mut Vec<Diagnostic>| -> Option<f64> {
        let t = s.at.unix;
        if t < open - SLACK_SECS || t > close + SLACK_SECS {
            let side = if t < open { "before the window opens" } else { "after the window closes" };
            out.push(
                P003.diag(s.span, format!("this time is more than a day {side}"))
                    .help("check the date and the UTC offset: the window is the plan's `window`"),
            );
            return None;
        }
        Some((t - open) as f64)
    };
    let index: HashMap<&str, usize> = plan.steps.iter().enumerate().map(|(i, s)| (s.id(), i)).collect();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id()).collect();
    let mut seen: HashMap<(bool, usize), Span> = HashMap::new();
    let mut latest = f64::NEG_INFINITY;
    let mut called_at: Option<Span> = None;
    for e in &log.events {
        let subject = [(false, &e.step), (true, &e.undo)];
        let given: Vec<(bool, &Text)> = subject.iter().filter_map(|&(u, t)| t.as_ref().map(|t| (u, t))).collect();
        let bad = !e.invalid.is_empty();
        match (given.as_slice(), &e.rollback_called) {
            ([], None) if !bad => {
                out.push(
                    P003.diag(e.span, "this event names no `step`, no `undo` and no `rollback_called`")
                        .help("write `{ step: <id>, started: <time> }`, or `{ rollback_called: <time> }`"),
                );
            }
            ([], Some(called)) => {
                if let Some(first) = called_at {
                    out.push(
                        P004.diag(called.span, "the rollback is called a second time")
                            .help(format!("keep one `rollback_called` (the first is at byte {})", first.start)),
                    );
                    continue;
                }
                called_at = Some(called.span);
                if let Some(t) = secs(called, out) {
                    record.rollback_called = Some(t);
                    record.rollback_note = e.note.as_ref().map(|n| n.value.clone());
                    latest = latest.max(t);
                }
            }
            ([(is_undo, id)], None) => {
                let Some(&i) = index.get(id.value.as_str()) else {
                    let mut d =
                        G001.diag(id.span, format!("the log names step `{}`, which the plan does not have", id.value));
                    if let Some(c) = crate::text::closest(&id.value, &ids) {
                        d = d.help(format!("did you mean `{c}`?"));
                    }
                    out.push(d);
                    continue;
                };
                if seen.insert((*is_undo, i), id.span).is_some() {
                    let what = if *is_undo { "undo of step" } else { "step" };
                    out.push(
                        P004.diag(id.span, format!("a second event for the {what} `{}`", id.value))
                            .step(id.value.clone())
                            .help("keep one event per step: give it both `started` and `finished`"),
                    );
                    continue;
                }
                let started = e.started.as_ref().and_then(|s| secs(s, out));
                let finished = e.finished.as_ref().and_then(|s| secs(s, out));
                if let (Some(s), Some(f), Some(fs)) = (started, finished, &e.finished)
                    && f < s
                {
                    out.push(
                        P003.diag(fs.span, format!("`{}` finishes before it starts", id.value))
                            .step(id.value.clone())
                            .help("check the two times and their UTC offsets"),
                    );
                    continue;
                }
                if started.is_none() && e.started.is_none() && e.finished.is_some() {
                    out.push(
                        P003.diag(e.span, format!("`{}` finishes but never starts", id.value))
                            .step(id.value.clone())
                            .help("give the event its `started` time too"),
                    );
                    continue;
                }
                let actual = Actual { started, finished };
                latest = latest.max(finished.or(started).unwrap_or(f64::NEG_INFINITY));
                if *is_undo { record.undos[i] = actual } else { record.steps[i] = actual }
            }
            _ if bad => {}
            _ => out.push(
                P003.diag(e.span, "one event is about one thing: a `step`, an `undo`, or `rollback_called`")
                    .help("split it into one event each"),
            ),
        }
    }
    record.now = match &log.as_of {
        Some(s) => secs(s, out).unwrap_or(latest.max(0.0)),
        None if latest.is_finite() => latest,
        None => 0.0,
    };
    record
}
