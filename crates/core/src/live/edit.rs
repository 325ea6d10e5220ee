//! Recording the window as it happens: each click of a live surface is one
//! change to the [`RunLog`], made here so that every surface records alike.
//! A change never touches what it is not about: marking a step done keeps
//! every other event, note and time as it was.

use crate::diagnostic::Span;
use crate::model::{Event, RunLog, Stamp, Text, Timestamp};

/// Which time of a step (or of its undo) a change sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Started,
    Finished,
}

/// What one change is about: a step, or the undo of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject<'a> {
    pub step: &'a str,
    pub undo: bool,
}

fn text(value: &str) -> Text {
    Text { value: value.to_string(), span: Span::default() }
}

fn stamp(at: Timestamp) -> Stamp {
    Stamp { at, span: Span::default() }
}

fn is_about(e: &Event, s: Subject<'_>) -> bool {
    let id = if s.undo { &e.undo } else { &e.step };
    let other = if s.undo { &e.step } else { &e.undo };
    id.as_ref().is_some_and(|t| t.value == s.step) && other.is_none()
}

/// The time `log` gives `mark` of `subject`, if it has one.
pub fn recorded(log: &RunLog, subject: Subject<'_>, mark: Mark) -> Option<Timestamp> {
    let e = log.events.iter().find(|e| is_about(e, subject))?;
    let stamp = match mark {
        Mark::Started => &e.started,
        Mark::Finished => &e.finished,
    };
    stamp.as_ref().map(|s| s.at)
}

/// A new log for the plan whose hash is `plan_hash`.
pub fn fresh(plan_hash: Option<&str>) -> RunLog {
    RunLog { plan_hash: plan_hash.map(text), ..RunLog::default() }
}

/// Sets `mark` of `subject` to `at`, adding its event if it has none. A
/// finish without a start starts it at the same moment.
pub fn record(log: &mut RunLog, subject: Subject<'_>, mark: Mark, at: Timestamp) {
    let k = match log.events.iter().position(|e| is_about(e, subject)) {
        Some(k) => k,
        None => {
            let mut e = Event::default();
            *(if subject.undo { &mut e.undo } else { &mut e.step }) = Some(text(subject.step));
            log.events.push(e);
            log.events.len() - 1
        }
    };
    let e = &mut log.events[k];
    match mark {
        Mark::Started => e.started = Some(stamp(at)),
        Mark::Finished => {
            e.finished = Some(stamp(at));
            e.started.get_or_insert(stamp(at));
        }
    }
}

/// Takes `mark` of `subject` back: a finish back to running, a start (and
/// with it the event) out of the log.
pub fn clear(log: &mut RunLog, subject: Subject<'_>, mark: Mark) {
    match mark {
        Mark::Finished => {
            for e in log.events.iter_mut().filter(|e| is_about(e, subject)) {
                e.finished = None;
            }
        }
        Mark::Started => log.events.retain(|e| !is_about(e, subject)),
    }
}

/// Records the rollback called at `at`, with the note said with it (the
/// call is made once: a second one changes the first's time and note).
pub fn call_rollback(log: &mut RunLog, at: Timestamp, note: Option<&str>) {
    let note = note.map(str::trim).filter(|n| !n.is_empty()).map(text);
    match log.events.iter_mut().find(|e| e.rollback_called.is_some()) {
        Some(e) => (e.rollback_called, e.note) = (Some(stamp(at)), note),
        None => log.events.push(Event { rollback_called: Some(stamp(at)), note, ..Event::default() }),
    }
}

/// The instant `HH:MM` names on the wall clock of `offset` (seconds east of
/// UTC), on whichever day puts it nearest `near` (unix seconds): what a
/// time typed over a recorded one means, across midnight too. `None`
/// unless `hhmm` is a time of day.
pub fn at_clock(hhmm: &str, offset: i32, near: i64) -> Option<Timestamp> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2).unwrap_or(m).parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    let local = near + i64::from(offset);
    let midnight = local - local.rem_euclid(86_400);
    let unix = [-86_400, 0, 86_400]
        .iter()
        .map(|day| midnight + day + h * 3600 + m * 60 - i64::from(offset))
        .min_by_key(|t| (t - near).abs())?;
    Some(Timestamp { unix, offset })
}
