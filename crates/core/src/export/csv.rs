//! The plan as a spreadsheet: one row per step, in section 7's columns
//! (`id`, `do`, `after`, `takes`, ...), and the plan format's own name for
//! each other step field the plan uses, so that `retreat import` reads it
//! back to the same steps. The plan's own fields (window, rollback,
//! baseline, approvals) have no place in a table of steps.

use std::fmt::Write;

use crate::model::{Allow, Estimate, Plan, StateSet, Step, Text};
use crate::units::format_duration;

/// The columns, in order: always the first thirteen, the rest when some
/// step uses them.
pub const COLUMNS: [&str; 22] = [
    "id",
    "phase",
    "kind",
    "do",
    "after",
    "takes",
    "best",
    "likely",
    "worst",
    "owner",
    "undo",
    "undoTakes",
    "irreversible",
    "tags",
    "verify",
    "sets",
    "destroys",
    "backs_up",
    "undoSets",
    "undoNeeds",
    "undoOwner",
    "allow",
];
const ALWAYS: usize = 13;

/// The steps of `plan` as CSV (RFC 4180: commas, `"` quoting, CRLF).
pub fn csv(plan: &Plan) -> String {
    // How an empty `after` is written: `none`, unless a step is called that.
    let none = if plan.steps.iter().any(|x| x.id().eq_ignore_ascii_case("none")) { "[]" } else { "none" };
    let rows: Vec<[String; 22]> = plan.steps.iter().map(|s| row(s, none)).collect();
    let used: Vec<usize> =
        (0..COLUMNS.len()).filter(|&c| c < ALWAYS || rows.iter().any(|r| !r[c].is_empty())).collect();
    let mut out = String::new();
    line(&mut out, used.iter().map(|&c| COLUMNS[c]));
    for r in &rows {
        line(&mut out, used.iter().map(|&c| r[c].as_str()));
    }
    out
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let cells: Vec<String> = cells.map(cell).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// A cell, quoted when it must be. A cell a spreadsheet would take for a
/// formula (`=`, `+`, `-`, `@` first) gets Excel's text mark `'` before
/// it, which `retreat import` takes off again.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r', ';', '\t']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn row(s: &Step, none: &str) -> [String; 22] {
    let (takes, best, likely, worst) = match s.takes {
        Some(Estimate::Fixed { secs }) => (format_duration(secs), String::new(), String::new(), String::new()),
        Some(Estimate::ThreePoint { best, likely, worst }) => {
            (String::new(), format_duration(best), format_duration(likely), format_duration(worst))
        }
        None => Default::default(),
    };
    let undo = s.undo.as_ref();
    let text = |t: &Option<Text>| t.as_ref().map_or(String::new(), |t| t.value.clone());
    let after = match &s.after {
        None => String::new(),
        Some(ids) if ids.is_empty() => none.to_string(),
        Some(ids) => ids.iter().map(|t| t.value.as_str()).collect::<Vec<_>>().join(", "),
    };
    [
        s.id().to_string(),
        s.phase.as_str().to_string(),
        s.kind.as_str().to_string(),
        text(&s.do_),
        after,
        takes,
        best,
        likely,
        worst,
        text(&s.owner),
        undo.map_or(String::new(), |u| text(&u.do_)),
        undo.and_then(|u| u.takes).map_or(String::new(), estimate),
        text(&s.irreversible),
        list(&s.tags),
        text(&s.verify),
        states(&s.sets),
        list(&s.destroys),
        list(&s.backs_up),
        undo.map_or(String::new(), |u| states(&u.sets)),
        undo.map_or(String::new(), |u| list(&u.needs)),
        undo.map_or(String::new(), |u| text(&u.owner)),
        allow(&s.allow),
    ]
}

fn estimate(e: Estimate) -> String {
    match e {
        Estimate::Fixed { secs } => format_duration(secs),
        Estimate::ThreePoint { best, likely, worst } => {
            format!("[{}, {}, {}]", format_duration(best), format_duration(likely), format_duration(worst))
        }
    }
}

/// Items joined by `, `, or one a line when an item holds `,` or `;`.
fn join(items: Vec<String>) -> String {
    let sep = if items.iter().any(|i| i.contains([',', ';'])) { "\n" } else { ", " };
    items.join(sep)
}

fn list(items: &[Text]) -> String {
    join(items.iter().map(|t| t.value.clone()).collect())
}

fn states(sets: &[StateSet]) -> String {
    join(sets.iter().map(|s| format!("{}: {}", s.resource.value, s.state.value)).collect())
}

fn allow(allow: &[Allow]) -> String {
    let mut out = String::new();
    for (i, a) in allow.iter().enumerate() {
        let _ = write!(out, "{}{}: {}", if i > 0 { "\n" } else { "" }, a.code.value, a.reason.value);
    }
    out
}
