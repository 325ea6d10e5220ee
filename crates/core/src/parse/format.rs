//! The plan format, one table per mapping: each field once, with its name,
//! type, whether it is required, what it means, and where its value goes in
//! the model. One reader (`table.rs`) does the bookkeeping for every table:
//! known keys are read, unknown ones get P002 with the closest known name, a
//! field whose value was bad is listed in its owner's `invalid`, and a
//! required field that is missing is reported. The JSON Schema editors use
//! (`crate::schema`) is generated from the same tables, so the reader and the
//! schema cannot drift apart.
//!
//! A new field is one line in its table plus its field in `crate::model`.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::collections::HashMap;
use std::fmt::{self, Display};

use crate::diagnostic::Span;
use crate::limits::MAX_STEPS;
use crate::model::*;
use crate::rules::p004_duplicate_id::RULE as P004;
use crate::yaml::NodeId;

use super::input::check_ids;
use super::reader::Reader;
use super::table::{
    At, Style, Table, Target, checked_apart, field, fill, nonempty, read, required, set, table, text_or,
};
pub use super::table::{Field, Fields, Type};

pub(crate) static ESTIMATE: Table<Points> = Table {
    style: Style::Paren,
    estimate_points: true,
    entries: &[
        required("best", Type::Duration, "The shortest it can take.", |r, p, v| p.read(0, r, v)),
        required("likely", Type::Duration, "What it usually takes; deterministic figures use this.", |r, p, v| {
            p.read(1, r, v)
        }),
        required("worst", Type::Duration, "The longest it can take.", |r, p, v| p.read(2, r, v)),
    ],
};

pub(crate) static WINDOW: Table<WindowFields> = table(
    Style::Path("window"),
    &[
        required("start", Type::Timestamp, "When the change window opens, with its UTC offset.", |r, w, v| {
            w.start = Some((r.timestamp(v.node, v.what), r.span(v.node)));
            true
        }),
        field("end", Type::Timestamp, "When the window closes (or give `duration`).", |r, w, v| {
            w.end = Some((r.timestamp(v.node, v.what), r.span(v.node)));
            true
        }),
        field("duration", Type::Duration, "How long the window is open (or give `end`).", |r, w, v| {
            w.duration = Some((r.duration(v.node, v.what), r.span(v.node)));
            true
        }),
    ],
);

pub(crate) static VERIFY: Table<RollbackVerify> = table(
    Style::Path("rollback.verify"),
    &[
        required("do", Type::Text, "How to check the system is back to its baseline.", |r, x, v| {
            set(&mut x.do_, r.text(v.node, v.what))
        }),
        field("takes", Type::Estimate, "How long the check takes; it counts against the window.", |r, x, v| {
            set(&mut x.takes, estimate(r, v.node, v.what))
        }),
        field("owner", Type::Text, "Who runs the check.", |r, x, v| set(&mut x.owner, r.text(v.node, v.what))),
    ],
);

pub(crate) static ROLLBACK: Table<Rollback> = table(
    Style::Path("rollback"),
    &[
        field("decide", Type::Estimate, "From a failure being noticed to the rollback being called.", |r, x, v| {
            set(&mut x.decide, estimate(r, v.node, v.what))
        }),
        field("announce", Type::Text, "Who is told that a rollback is under way, and how.", |r, x, v| {
            set(&mut x.announce, r.text(v.node, v.what))
        }),
        field("verify", Type::TextOr(&VERIFY), "How the rollback is verified.", |r, x, v| {
            let verify = RollbackVerify { span: v.key, ..RollbackVerify::default() };
            set(&mut x.verify, text_or(r, v.node, (&v.what, &v.what), &VERIFY, verify, |x, t| x.do_ = Some(t)))
        }),
        field(
            "confidence",
            Type::Share,
            "The share of Monte Carlo runs in which a rollback must fit (0.9 if not given).",
            |r, x, v| set(&mut x.confidence, r.share(v.node, v.what)),
        ),
    ],
);

pub(crate) static APPROVAL: Table<Approval> = table(
    Style::Plain,
    &[
        required("by", Type::Text, "Who approved the plan.", |r, a, v| set(&mut a.by, r.text(v.node, v.what))),
        field("role", Type::Text, "Their role, such as change board chair.", |r, a, v| {
            set(&mut a.role, r.text(v.node, v.what))
        }),
        field("date", Type::Date, "When, as YYYY-MM-DD.", |r, a, v| {
            set(&mut a.date, r.date(v.node, v.what, "approval `date`"))
        }),
        field("plan_hash", Type::Text, "`sha256:` and the plan hash this approval was given for.", |r, a, v| {
            set(&mut a.plan_hash, r.text(v.node, v.what))
        }),
    ],
);

pub(crate) static UNDO: Table<Undo> = table(
    Style::In,
    &[
        required("do", Type::Text, "The inverse of the step.", |r, u, v| set(&mut u.do_, r.text(v.node, v.what))),
        field("takes", Type::Estimate, "How long the undo takes (the step's own `takes` if not given).", |r, u, v| {
            set(&mut u.takes, estimate(r, v.node, v.what))
        }),
        field("sets", Type::States, "Resource states after the undo.", |r, u, v| {
            fill(&mut u.sets, r.states(v.node, v.what))
        }),
        field("needs", Type::Ids, "Steps the undo relies on, such as a backup.", |r, u, v| {
            fill(&mut u.needs, r.texts(v.node, v.what))
        }),
        field("owner", Type::Text, "Who runs the undo.", |r, u, v| set(&mut u.owner, r.text(v.node, v.what))),
    ],
);

pub(crate) static STEP: Table<Step> = table(
    Style::In,
    &[
        // Read before the others (see `step`), so that every message can name the step.
        checked_apart("id", Type::Id, "Unique name of the step: letters, digits, `_`, `.` and `-`."),
        required(
            "do",
            Type::Text,
            "The instruction, concrete enough that nobody has to think under pressure.",
            |r, s, v| set(&mut s.do_, r.text(v.node, v.what)),
        ),
        field(
            "phase",
            Type::Phase,
            "prep (before the window), implement (default), verify (testing in the window) or post (after it).",
            |r, s, v| r.choice(v.node, &Phase::ALL, v.what).map(|p| s.phase = p).is_some(),
        ),
        field(
            "kind",
            Type::Kind,
            "change (default; needs `undo` or `irreversible`), check, notify, decision or backup.",
            |r, s, v| r.choice(v.node, &Kind::ALL, v.what).map(|k| s.kind = k).is_some(),
        ),
        field(
            "after",
            Type::Ids,
            "Steps this one waits for; omitted: the previous step in the list; `[]`: none.",
            |r, s, v| set(&mut s.after, if r.is_null(v.node) { None } else { Some(r.texts(v.node, v.what)) }),
        ),
        field("takes", Type::Estimate, "How long the step takes: a duration or [best, likely, worst].", |r, s, v| {
            set(&mut s.takes, estimate(r, v.node, v.what))
        }),
        field("owner", Type::Text, "Who runs the step.", |r, s, v| set(&mut s.owner, r.text(v.node, v.what))),
        field("tags", Type::Texts, "Free labels; `security` marks the security review (C007).", |r, s, v| {
            fill(&mut s.tags, r.texts(v.node, v.what))
        }),
        field("verify", Type::Text, "How to check the step worked.", |r, s, v| {
            set(&mut s.verify, r.text(v.node, v.what))
        }),
        field("sets", Type::States, "Resource states after the step.", |r, s, v| {
            fill(&mut s.sets, r.states(v.node, v.what))
        }),
        field("destroys", Type::Texts, "Resources whose data the step destroys or overwrites.", |r, s, v| {
            fill(&mut s.destroys, r.texts(v.node, v.what))
        }),
        field("backs_up", Type::Texts, "For `backup` steps: the resources the step copies.", |r, s, v| {
            fill(&mut s.backs_up, r.texts(v.node, v.what))
        }),
        field("undo", Type::TextOr(&UNDO), "The inverse of the step.", |r, s, v| {
            let name = format!("the `undo` of {}", v.what.parent);
            let undo = Undo { span: v.key, ..Undo::default() };
            set(&mut s.undo, text_or(r, v.node, (&v.what, &name), &UNDO, undo, |u, t| u.do_ = Some(t)))
        }),
        field("irreversible", Type::Text, "Why there is no inverse: the step is a point of no return.", |r, s, v| {
            set(&mut s.irreversible, r.reason(v.node, v.what))
        }),
        field("allow", Type::Allow, "`{CODE: reason}`: silence one rule for this step.", |r, s, v| {
            fill(&mut s.allow, r.allow(v.node, v.what))
        }),
    ],
);

pub(crate) static PLAN: Table<Plan> = table(
    Style::Plain,
    &[
        field("version", Type::Version, "The format version: 1.", |r, _, v| {
            r.version(v.node);
            true
        }),
        nonempty("title", Type::Text, "What the change is.", "the plan's `title` is empty", |r, p, v| {
            set(&mut p.title, r.text(v.node, v.what))
        }),
        field("system", Type::Text, "The system being changed.", |r, p, v| set(&mut p.system, r.text(v.node, v.what))),
        field("change_ref", Type::Text, "The change ticket.", |r, p, v| set(&mut p.change_ref, r.text(v.node, v.what))),
        field("purpose", Type::Text, "What is being changed.", |r, p, v| set(&mut p.purpose, r.text(v.node, v.what))),
        field("reason", Type::Text, "Why the change is made.", |r, p, v| set(&mut p.reason, r.text(v.node, v.what))),
        field("current_state", Type::Text, "How things are now.", |r, p, v| {
            set(&mut p.current_state, r.text(v.node, v.what))
        }),
        field("future_state", Type::Text, "How things will be.", |r, p, v| {
            set(&mut p.future_state, r.text(v.node, v.what))
        }),
        field("monitoring", Type::Text, "How the new state is watched.", |r, p, v| {
            set(&mut p.monitoring, r.text(v.node, v.what))
        }),
        field("window", Type::Object(&WINDOW), "The change window.", |r, p, v| set(&mut p.window, window(r, v))),
        field("rollback", Type::Object(&ROLLBACK), "How a rollback is called, announced and verified.", |r, p, v| {
            let mut rollback = Rollback { span: v.key, ..Rollback::default() };
            set(&mut p.rollback, read(r, v.node, &ROLLBACK, &v.what, &mut rollback).then_some(rollback))
        }),
        field(
            "baseline",
            Type::States,
            "Resource states before the change; unlisted resources are `absent`.",
            |r, p, v| fill(&mut p.baseline, r.states(v.node, v.what)),
        ),
        field("approvals", Type::ListOf(&APPROVAL), "Who approved the plan, and for which plan hash.", |r, p, v| {
            fill(&mut p.approvals, approvals(r, v))
        }),
        field(
            "crew",
            Type::Crew,
            "Owner -> how many steps that owner can run at the same time; `\"*\"`: every owner not listed.",
            |r, p, v| {
                let entries = r.crew(v.node, v.what);
                set(&mut p.crew, r.is_map(v.node).then_some(Crew { entries, span: v.key }))
            },
        ),
        nonempty(
            "steps",
            Type::ListOf(&STEP),
            "The steps, in order.",
            "the plan has no steps: `steps` needs at least one",
            |r, p, v| {
                (p.steps, p.step_columns) = steps(r, v.node);
                !p.steps.is_empty()
            },
        ),
        field("allow", Type::Allow, "`{CODE: reason}`: silence one rule everywhere.", |r, p, v| {
            fill(&mut p.allow, r.allow(v.node, "the plan's `allow`"))
        }),
    ],
);

/// The plan's own fields, for the schema and for editors.
pub static PLAN_FIELDS: &dyn Fields = &PLAN;
/// The fields of a three-point estimate written as a mapping.
pub static ESTIMATE_FIELDS: &dyn Fields = &ESTIMATE;

/// The three points of an estimate, as the mapping form is read.
#[derive(Default)]
pub(crate) struct Points {
    points: [Option<Duration>; 3],
    span: Span,
}

impl Points {
    fn read(&mut self, i: usize, r: &mut Reader, v: &At) -> bool {
        if let Some(slot) = self.points.get_mut(i) {
            *slot = r.duration(v.node, v.what);
        }
        // Given counts as read: a null point is not "missing".
        true
    }
}

impl Target for Points {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        None
    }
    fn anchor(&self) -> Span {
        self.span
    }
}

/// A duration or a three-point estimate `[best, likely, worst]` / `{best, likely, worst}`.
fn estimate(r: &mut Reader, id: NodeId, what: impl Display) -> Option<Estimate> {
    let tree = r.tree;
    let points = match &tree.node(id).kind {
        crate::yaml::NodeKind::Scalar(_) => return r.duration(id, what).map(|secs| Estimate::Fixed { secs }),
        crate::yaml::NodeKind::Seq(items) => {
            let &[best, likely, worst] = items.as_slice() else {
                r.invalid(
                    r.span(id),
                    format!("{what}: a three-point estimate has three durations, not {}", items.len()),
                    Some("write `[best, likely, worst]`, such as `[10m, 15m, 40m]`".into()),
                );
                return None;
            };
            [
                r.duration(best, format_args!("{what} (best)")),
                r.duration(likely, format_args!("{what} (likely)")),
                r.duration(worst, format_args!("{what} (worst)")),
            ]
        }
        crate::yaml::NodeKind::Map(_) => {
            let mut p = Points { span: r.span(id), ..Points::default() };
            read(r, id, &ESTIMATE, &what, &mut p);
            p.points
        }
    };
    r.ordered(id, what, points)
}

/// `window`'s fields before the window is known: `end` and `duration` are
/// exclusive, and the end must come after the start.
#[derive(Default)]
pub(crate) struct WindowFields {
    start: Option<(Option<Timestamp>, Span)>,
    end: Option<(Option<Timestamp>, Span)>,
    duration: Option<(Option<Duration>, Span)>,
    span: Span,
}

impl Target for WindowFields {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        None
    }
    fn anchor(&self) -> Span {
        self.span
    }
}

fn window(r: &mut Reader, v: &At) -> Option<Window> {
    let span = v.key;
    let mut w = WindowFields { span, ..WindowFields::default() };
    if !read(r, v.node, &WINDOW, &v.what, &mut w) {
        return None;
    }
    let (start, _) = w.start?;
    let (end, end_span) = match (w.end, w.duration) {
        (Some(_), Some((_, dspan))) => {
            r.invalid(dspan, "`window` gives both `end` and `duration`".into(), Some("keep one of them".into()));
            return None;
        }
        (Some((end, espan)), None) => (end, espan),
        (None, Some((d, dspan))) => {
            let end = match (start, d) {
                (Some(s), Some(d)) => match crate::units::add_secs(s, d.0) {
                    Some(e) => Some(e),
                    None => {
                        r.invalid(dspan, "`window.duration` runs past the year 9999".into(), None);
                        return None;
                    }
                },
                _ => None,
            };
            (end, dspan)
        }
        (None, None) => {
            r.missing(span, "`window` has neither `end` nor `duration`".into());
            return None;
        }
    };
    let (start, end) = (start?, end?);
    if end.unix <= start.unix {
        let why = if end.unix == start.unix {
            "the window ends as it starts: it has no length"
        } else {
            "the window ends before it starts"
        };
        r.invalid(end_span, why.into(), None);
        return None;
    }
    Some(Window { start, end, span, end_span })
}

fn approvals(r: &mut Reader, v: &At) -> Vec<Approval> {
    let mut out = Vec::new();
    for &item in r.items(v.node, v.what).unwrap_or_default() {
        let span = r.span(item);
        let mut a = Approval { by: None, role: None, date: None, plan_hash: None, span };
        if read(r, item, &APPROVAL, &"an approval", &mut a) {
            out.push(a);
        }
    }
    out
}

/// The steps, and their columns (see [`StepColumns`]).
fn steps(r: &mut Reader, id: NodeId) -> (Vec<Step>, StepColumns) {
    let Some(items) = r.items(id, "`steps`") else { return Default::default() };
    if items.len() > MAX_STEPS {
        r.invalid(
            r.span(id),
            format!("the plan has {} steps; the limit is {MAX_STEPS}", items.len()),
            Some(format!("only the first {MAX_STEPS} steps are checked")),
        );
    }
    let mut steps = Vec::with_capacity(items.len().min(MAX_STEPS));
    let mut columns = StepColumns::default();
    let mut first_of: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for (i, &item) in items.iter().take(MAX_STEPS).enumerate() {
        // Something that is not a mapping is no step: say so, and leave it out.
        if !r.is_map(item) {
            let what = if r.is_null(item) { "is empty" } else { "must be a mapping of `key: value` lines" };
            r.invalid(
                r.span(item),
                format!("step {} {what}", i + 1),
                Some("a step needs at least `id: <name>` and `do: <instruction>`".into()),
            );
            continue;
        }
        let step = step(r, item, i);
        if let Some(&first) = first_of.get(step.id()) {
            r.report(
                P004.diag(step.id.span, format!("two steps have the id `{}`", step.id()))
                    .step(step.id())
                    .help(format!("step {} already uses it; give each step its own id", first + 1)),
            );
        } else {
            first_of.insert(step.id().to_string(), i);
        }
        columns.push(&step);
        steps.push(step);
    }
    check_ids(r, &steps, &first_of);
    (steps, columns)
}

/// Names a step in messages: by its id, or by its position before the id is known.
#[derive(Clone, Copy)]
struct StepName<'a> {
    id: Option<&'a str>,
    index: usize,
}

impl Display for StepName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "step `{id}`"),
            None => write!(f, "step {}", self.index + 1),
        }
    }
}

fn step(r: &mut Reader, id: NodeId, index: usize) -> Step {
    let span = r.span(id);
    let mut step = Step {
        id: Text { value: String::new(), span: Span::at(span.start) },
        do_: None,
        phase: Phase::Implement,
        kind: Kind::Change,
        after: None,
        takes: None,
        owner: None,
        tags: Vec::new(),
        verify: None,
        sets: Vec::new(),
        destroys: Vec::new(),
        backs_up: Vec::new(),
        undo: None,
        irreversible: None,
        allow: Vec::new(),
        span,
        invalid: Vec::new(),
    };
    let first = r.reported();
    // The id first, so that every message about the step can name it.
    let id_node = r.value_of(id, "id");
    let named = id_node.and_then(|v| r.scalar(v)).filter(|s| !s.text.trim().is_empty());
    let what = StepName { id: named.map(|s| &*s.text), index };
    let read_id = id_node.and_then(|v| r.text(v, format_args!("the id of step {}", index + 1)));
    let has_id = read_id.is_some();
    match read_id {
        Some(t) => step.id = t,
        None => {
            r.missing(Span::at(span.start), format!("step {} has no `id`", index + 1));
            step.id.value = format!("#{}", index + 1);
        }
    }
    read(r, id, &STEP, &what, &mut step);
    if !has_id {
        step.invalid.push("id");
    }
    // What the parser found inside the step is about the step.
    for d in r.since(first).iter_mut().filter(|d| d.step.is_none()) {
        d.step = Some(step.id().to_string());
    }
    step
}

impl Target for Step {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.id.span
    }
    fn hint(&self, _field: &str) -> &'static str {
        ": say what to do"
    }
}

impl Target for Undo {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.span
    }
    fn hint(&self, _field: &str) -> &'static str {
        ": say how to undo the step"
    }
}

impl Target for RollbackVerify {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.span
    }
    fn hint(&self, _field: &str) -> &'static str {
        ": say how the rollback is checked"
    }
}

impl Target for Rollback {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        self.span
    }
}

impl Target for Approval {
    /// An approval's fields are not tracked: C004 and C005 read what is there.
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        None
    }
    fn anchor(&self) -> Span {
        self.span
    }
    fn hint(&self, _field: &str) -> &'static str {
        ": say who approved"
    }
}

impl Target for Plan {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>> {
        Some(&mut self.invalid)
    }
    fn anchor(&self) -> Span {
        Span::at(self.span.start)
    }
}
