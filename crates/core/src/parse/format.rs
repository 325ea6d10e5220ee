//! The plan format, one table per mapping: each field once, with its name,
//! type, whether it is required, what it means, and where its value goes in
//! the model. One reader ([`read`]) does the bookkeeping for every table:
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

/// What a field holds.
#[derive(Clone, Copy)]
pub enum Type {
    /// Any text (numbers and booleans are read as their text).
    Text,
    /// One text or a list of them.
    Texts,
    /// A step id: `[A-Za-z0-9_.-]+`.
    Id,
    /// One step id or a list of them.
    Ids,
    /// `15m`, `1h30m`, `45s`, or a number of minutes.
    Duration,
    /// A duration or three points `[best, likely, worst]` / `{best, likely, worst}`.
    Estimate,
    /// An RFC 3339 timestamp with an offset.
    Timestamp,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A share between 0 (excluded) and 1.
    Share,
    /// The number 1.
    Version,
    Phase,
    Kind,
    /// `resource: state` pairs.
    States,
    /// `{CODE: reason}`.
    Allow,
    /// A mapping with these fields.
    Object(&'static dyn Fields),
    /// A list of these mappings (at least one when the field is required).
    ListOf(&'static dyn Fields),
    /// A text, or a mapping with these fields (`undo`, `rollback.verify`).
    TextOr(&'static dyn Fields),
}

/// A field as documentation sees it.
#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub about: &'static str,
}

/// The fields of one mapping of the format, for the schema and for editors.
pub trait Fields: Sync {
    fn fields(&self) -> Vec<Field>;

    fn names(&self) -> Vec<&'static str> {
        self.fields().iter().map(|f| f.name).collect()
    }

    /// The field named `name`, if there is one.
    fn find(&self, name: &str) -> Option<Field> {
        self.fields().into_iter().find(|f| f.name == name)
    }
}

/// Reads a field's value into `T` and says whether a value was read.
pub(crate) type Read<T> = for<'r, 't, 'a> fn(&'r mut Reader<'t>, &'r mut T, &At<'a>) -> bool;

pub(crate) struct Entry<T: 'static> {
    pub field: Field,
    read: Read<T>,
    missing: Missing,
}

/// What the reader says of a required field that gave no value.
#[derive(Clone, Copy)]
enum Missing {
    /// "{what} has no `{name}`", with the mapping's hint.
    HasNo,
    /// The same when the field is absent; this message when it is given but empty.
    Empty(&'static str),
    /// Nothing: the mapping's reader checks it itself (a step's `id`).
    Apart,
}

/// How messages name a field of a table, given the name of the mapping.
#[derive(Clone, Copy)]
pub(crate) enum Style {
    /// "`title`"
    Plain,
    /// "`owner` in step `db`"
    In,
    /// "`window.start`"
    Path(&'static str),
    /// "`takes` in step `db` (best)"
    Paren,
}

/// The fields of one mapping, and how messages name them.
pub(crate) struct Table<T: 'static> {
    entries: &'static [Entry<T>],
    style: Style,
    /// How a missing required field is said: "{what} has no `{name}`{hint}"
    /// (the hint is the field's `empty`-less help), or, for the points of an
    /// estimate, "{what}: the three-point estimate has no `{name}`".
    estimate_points: bool,
}

impl<T> Fields for Table<T> {
    fn fields(&self) -> Vec<Field> {
        self.entries.iter().map(|e| e.field).collect()
    }
}

/// A mapping the reader fills: where its bad fields are listed and where a
/// missing required field is reported.
pub(crate) trait Target {
    fn invalid(&mut self) -> Option<&mut Vec<&'static str>>;
    fn anchor(&self) -> Span;
    /// The help after "has no `field`" for a missing required field.
    fn hint(&self, _field: &str) -> &'static str {
        ""
    }
}

/// A field's value as the reader hands it to the field's `read`.
pub(crate) struct At<'a> {
    pub node: NodeId,
    /// The span of the field's key.
    pub key: Span,
    /// The field's name in messages.
    pub what: Label<'a>,
}

/// A field's name in messages, formatted only when a message is written.
#[derive(Clone, Copy)]
pub(crate) struct Label<'a> {
    name: &'static str,
    style: Style,
    /// The mapping's own name in messages.
    pub parent: &'a dyn Display,
}

impl Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, parent) = (self.name, self.parent);
        match self.style {
            Style::Plain => write!(f, "`{name}`"),
            Style::In => write!(f, "`{name}` in {parent}"),
            Style::Path(path) => write!(f, "`{path}.{name}`"),
            Style::Paren => write!(f, "{parent} ({name})"),
        }
    }
}

const fn field<T>(name: &'static str, ty: Type, about: &'static str, read: Read<T>) -> Entry<T> {
    Entry { field: Field { name, ty, required: false, about }, read, missing: Missing::HasNo }
}

const fn required<T>(name: &'static str, ty: Type, about: &'static str, read: Read<T>) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read, missing: Missing::HasNo }
}

/// A required field with its own message for "given, but empty".
const fn nonempty<T>(name: &'static str, ty: Type, about: &'static str, empty: &'static str, read: Read<T>) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read, missing: Missing::Empty(empty) }
}

/// A required field whose reader checks it is there.
const fn checked_apart<T>(name: &'static str, ty: Type, about: &'static str) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read: |_, _, _| true, missing: Missing::Apart }
}

fn set<V>(slot: &mut Option<V>, value: Option<V>) -> bool {
    *slot = value;
    slot.is_some()
}

fn fill<V>(slot: &mut Vec<V>, value: Vec<V>) -> bool {
    *slot = value;
    !slot.is_empty()
}

const fn table<T>(style: Style, entries: &'static [Entry<T>]) -> Table<T> {
    Table { entries, style, estimate_points: false }
}

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

pub(crate) static WINDOW: Table<WindowFields> = table(Style::Path("window"), &[
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
]);

pub(crate) static VERIFY: Table<RollbackVerify> = table(Style::Path("rollback.verify"), &[
    required("do", Type::Text, "How to check the system is back to its baseline.", |r, x, v| {
        set(&mut x.do_, r.text(v.node, v.what))
    }),
    field("takes", Type::Estimate, "How long the check takes; it counts against the window.", |r, x, v| {
        set(&mut x.takes, estimate(r, v.node, v.what))
    }),
    field("owner", Type::Text, "Who runs the check.", |r, x, v| set(&mut x.owner, r.text(v.node, v.what))),
]);

pub(crate) static ROLLBACK: Table<Rollback> = table(Style::Path("rollback"), &[
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
]);

pub(crate) static APPROVAL: Table<Approval> = table(Style::Plain, &[
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
]);

pub(crate) static UNDO: Table<Undo> = table(Style::In, &[
    required("do", Type::Text, "The inverse of the step.", |r, u, v| set(&mut u.do_, r.text(v.node, v.what))),
    field("takes", Type::Estimate, "How long the undo takes (the step's own `takes` if not given).", |r, u, v| {
        set(&mut u.takes, estimate(r, v.node, v.what))
    }),
    field("sets", Type::States, "Resource states after the undo.", |r, u, v| fill(&mut u.sets, r.states(v.node, v.what))),
    field("needs", Type::Ids, "Steps the undo relies on, such as a backup.", |r, u, v| {
        fill(&mut u.needs, r.texts(v.node, v.what))
    }),
    field("owner", Type::Text, "Who runs the undo.", |r, u, v| set(&mut u.owner, r.text(v.node, v.what))),
]);

pub(crate) static STEP: Table<Step> = table(Style::In, &[
    // Read before the others (see `step`), so that every message can name the step.
    checked_apart("id", Type::Id, "Unique name of the step: letters, digits, `_`, `.` and `-`."),
    required("do", Type::Text, "The instruction, concrete enough that nobody has to think under pressure.", |r, s, v| {
        set(&mut s.do_, r.text(v.node, v.what))
    }),
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
    field("after", Type::Ids, "Steps this one waits for; omitted: the previous step in the list; `[]`: none.", |r, s, v| {
        set(&mut s.after, if r.is_null(v.node) { None } else { Some(r.texts(v.node, v.what)) })
    }),
    field("takes", Type::Estimate, "How long the step takes: a duration or [best, likely, worst].", |r, s, v| {
        set(&mut s.takes, estimate(r, v.node, v.what))
    }),
    field("owner", Type::Text, "Who runs the step.", |r, s, v| set(&mut s.owner, r.text(v.node, v.what))),
    field("tags", Type::Texts, "Free labels; `security` marks the security review (C007).", |r, s, v| {
        fill(&mut s.tags, r.texts(v.node, v.what))
    }),
    field("verify", Type::Text, "How to check the step worked.", |r, s, v| set(&mut s.verify, r.text(v.node, v.what))),
    field("sets", Type::States, "Resource states after the step.", |r, s, v| fill(&mut s.sets, r.states(v.node, v.what))),
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
]);

pub(crate) static PLAN: Table<Plan> = table(Style::Plain, &[
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
    field("future_state", Type::Text, "How things will be.", |r, p, v| set(&mut p.future_state, r.text(v.node, v.what))),
    field("monitoring", Type::Text, "How the new state is watched.", |r, p, v| {
        set(&mut p.monitoring, r.text(v.node, v.what))
    }),
    field("window", Type::Object(&WINDOW), "The change window.", |r, p, v| set(&mut p.window, window(r, v))),
    field("rollback", Type::Object(&ROLLBACK), "How a rollback is called, announced and verified.", |r, p, v| {
        let mut rollback = Rollback { span: v.key, ..Rollback::default() };
        set(&mut p.rollback, read(r, v.node, &ROLLBACK, &v.what, &mut rollback).then_some(rollback))
    }),
    field("baseline", Type::States, "Resource states before the change; unlisted resources are `absent`.", |r, p, v| {
        fill(&mut p.baseline, r.states(v.node, v.what))
    }),
    field("approvals", Type::ListOf(&APPROVAL), "Who approved the plan, and for which plan hash.", |r, p, v| {
        fill(&mut p.approvals, approvals(r, v))
    }),
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
]);

/// The plan's own fields, for the schema and for editors.
pub static PLAN_FIELDS: &dyn Fields = &PLAN;
/// The fields of a three-point estimate written as a mapping.
pub static ESTIMATE_FIELDS: &dyn Fields = &ESTIMATE;

/// Reads mapping `id` into `target` by `table`; `false` when it is no mapping.
pub(crate) fn read<T: Target>(r: &mut Reader, id: NodeId, table: &Table<T>, what: &dyn Display, target: &mut T) -> bool {
    let Some(entries) = r.entries(id, what) else { return false };
    // Which fields were given, and which of them gave a value (tables have
    // fewer than 64 fields).
    let (mut given, mut read_one) = (0u64, 0u64);
    for (key, v) in entries {
        let Some((i, entry)) = table.entries.iter().enumerate().find(|(_, e)| e.field.name == key.name) else {
            r.unknown(&key, &table.names(), what);
            continue;
        };
        let before = r.reported();
        let at = At { node: v, key: key.span, what: Label { name: entry.field.name, style: table.style, parent: what } };
        given |= 1 << i;
        if (entry.read)(r, target, &at) {
            read_one |= 1 << i;
        }
        if r.reported() > before
            && let Some(invalid) = target.invalid()
        {
            invalid.push(entry.field.name);
        }
    }
    for (i, entry) in table.entries.iter().enumerate().filter(|(_, e)| e.field.required) {
        let name = entry.field.name;
        let bad = target.invalid().is_some_and(|invalid| invalid.contains(&name));
        if read_one & (1 << i) != 0 || bad {
            continue;
        }
        let message = match entry.missing {
            Missing::Apart => continue,
            Missing::Empty(empty) if given & (1 << i) != 0 => empty.to_string(),
            _ if table.estimate_points => format!("{what}: the three-point estimate has no `{name}`"),
            _ => format!("{what} has no `{name}`{}", target.hint(name)),
        };
        r.missing(target.anchor(), message);
    }
    true
}

/// A text (the `do` of the mapping) or the mapping itself, as `undo` and
/// `rollback.verify` are written; `names` are the two forms' names in
/// messages ("`undo` in step `x`", "the `undo` of step `x`").
fn text_or<T: Target>(
    r: &mut Reader,
    id: NodeId,
    names: (&dyn Display, &dyn Display),
    table: &Table<T>,
    mut target: T,
    put: fn(&mut T, Text),
) -> Option<T> {
    if r.scalar(id).is_some() {
        put(&mut target, r.text(id, names.0)?);
        return Some(target);
    }
    read(r, id, table, names.1, &mut target).then_some(target)
}

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
        let why =
            if end.unix == start.unix { "the window ends as it starts: it has no length" } else { "the window ends before it starts" };
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
