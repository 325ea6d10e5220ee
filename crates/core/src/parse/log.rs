//! The run log's format (contract, section 6), one table per mapping as for
//! plans (`format.rs`): the same reader, so the same tolerance and the same
//! diagnostics (P002 for an unknown key with the closest known one, P003 for
//! a bad value, each with its line and column, and reading goes on).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use crate::diagnostic::Span;
use crate::model::{Event, RunLog, Stamp};
use crate::yaml::NodeId;

use super::reader::Reader;
use super::table::{At, Style, Table, Target, Type, field, read, set, table};

pub(crate) static EVENT: Table<Event> = table(
    Style::Plain,
    &[
        field("step", Type::Id, "The step this event is about.", |r, e, v| set(&mut e.step, r.text(v.node, v.what))),
        field("undo", Type::Id, "The step whose undo this event is about (during a rollback).", |r, e, v| {
            set(&mut e.undo, r.text(v.node, v.what))
        }),
        field("started", Type::Timestamp, "When it started.", |r, e, v| set(&mut e.started, stamp(r, v))),
        field("finished", Type::Timestamp, "When it finished.", |r, e, v| set(&mut e.finished, stamp(r, v))),
        field("rollback_called", Type::Timestamp, "When the rollback was called.", |r, e, v| {
            set(&mut e.rollback_called, stamp(r, v))
        }),
        field("note", Type::Text, "What happened, in words.", |r, e, v| set(&mut e.note, r.text(v.node, v.what))),
    ],
);

pub(crate) static LOG: Table<RunLog> = table(
    Style::Plain,
    &[
        field("plan_hash", Type::Text, "The hash of the plan the log was recorded against.", |r, l, v| {
            set(&mut l.plan_hash, r.text(v.node, v.what))
        }),
        field(
            "as_of",
            Type::Timestamp,
            "\"Now\": the forecast's moment (default: the latest time in the log).",
            |r, l, v| set(&mut l.as_of, stamp(r, v)),
        ),
        field("events", Type::ListOf(&EVENT), "What happened, in order.", |r, l, v| {
            l.events = events(r, v.node);
            true
        }),
    ],
);

fn stamp(r: &mut Reader, v: &At) -> Option<Stamp> {
    Some(Stamp { at: r.timestamp(v.node, v.what)?, span: r.span(v.node) })
}

fn events(r: &mut Reader, id: NodeId) -> Vec<Event> {
    let mut out = Vec::new();
    for (k, &item) in r.items(id, "`events`").unwrap_or_default().iter().enumerate() {
        let mut e = Event { span: r.span(item), ..Event::default() };
        let what = format!("event {}", k + 1);
        if read(r, item, &EVENT, &what, &mut e) {
            out.push(e);
        }
    }
    out
}

impl Target for Event {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.span
    }
}

impl Target for RunLog {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.span
    }
}
