//! The run log written out (contract, section 6), one event a line in the
//! contract's own shape: what a surface saves as the team records, and
//! what it offers for download. [`super::read`] reads it back to the same
//! record; a value that could not be read is left out, since writing it
//! again would not make it readable.

use std::fmt::Write;

use crate::model::{Event, RunLog, Stamp, Text};
use crate::units::format_timestamp;
use crate::yaml_scalar;

/// `log` as YAML.
pub fn write(log: &RunLog) -> String {
    let mut out = String::new();
    if let Some(hash) = &log.plan_hash {
        let _ = writeln!(out, "plan_hash: {}", yaml_scalar(hash.as_str()));
    }
    if let Some(at) = &log.as_of {
        let _ = writeln!(out, "as_of: {}", stamp(at));
    }
    let events: Vec<String> = log.events.iter().filter_map(event).collect();
    if events.is_empty() {
        out.push_str("events: []\n");
    } else {
        out.push_str("events:\n");
        for e in events {
            let _ = writeln!(out, "  - {{ {e} }}");
        }
    }
    out
}

fn stamp(s: &Stamp) -> String {
    format_timestamp(s.at)
}

/// One event's fields, `key: value, ...`; `None` when nothing in it is
/// left to write.
fn event(e: &Event) -> Option<String> {
    let text = |key: &str, t: &Option<Text>| t.as_ref().map(|t| format!("{key}: {}", yaml_scalar(t.as_str())));
    let time = |key: &str, s: &Option<Stamp>| s.as_ref().map(|s| format!("{key}: {}", stamp(s)));
    let fields: Vec<String> = [
        text("step", &e.step),
        text("undo", &e.undo),
        time("started", &e.started),
        time("finished", &e.finished),
        time("rollback_called", &e.rollback_called),
        text("note", &e.note),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!fields.is_empty()).then(|| fields.join(", "))
}
