//! The machinery behind the format's tables (`format.rs`): what a field
//! is, how a table names its fields in messages, and [`read`], the one
//! reader that does the bookkeeping for every mapping: known keys are read
//! by their field's `read`, unknown ones get P002 with the closest known
//! name, a field whose value was bad is listed in its owner's `invalid`, and
//! a required field that gave no value is reported.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::fmt::{self, Display};

use crate::diagnostic::Span;
use crate::model::Text;
use crate::yaml::NodeId;

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
    /// `owner: count` pairs, each count a whole number of 1 or more.
    Crew,
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
    pub(super) entries: &'static [Entry<T>],
    pub(super) style: Style,
    /// How a missing required field is said: "{what} has no `{name}`{hint}"
    /// (the hint is the field's `empty`-less help), or, for the points of an
    /// estimate, "{what}: the three-point estimate has no `{name}`".
    pub(super) estimate_points: bool,
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

pub(super) const fn field<T>(name: &'static str, ty: Type, about: &'static str, read: Read<T>) -> Entry<T> {
    Entry { field: Field { name, ty, required: false, about }, read, missing: Missing::HasNo }
}

pub(super) const fn required<T>(name: &'static str, ty: Type, about: &'static str, read: Read<T>) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read, missing: Missing::HasNo }
}

/// A required field with its own message for "given, but empty".
pub(super) const fn nonempty<T>(
    name: &'static str,
    ty: Type,
    about: &'static str,
    empty: &'static str,
    read: Read<T>,
) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read, missing: Missing::Empty(empty) }
}

/// A required field whose reader checks it is there.
pub(super) const fn checked_apart<T>(name: &'static str, ty: Type, about: &'static str) -> Entry<T> {
    Entry { field: Field { name, ty, required: true, about }, read: |_, _, _| true, missing: Missing::Apart }
}

pub(super) fn set<V>(slot: &mut Option<V>, value: Option<V>) -> bool {
    *slot = value;
    slot.is_some()
}

pub(super) fn fill<V>(slot: &mut Vec<V>, value: Vec<V>) -> bool {
    *slot = value;
    !slot.is_empty()
}

pub(super) const fn table<T>(style: Style, entries: &'static [Entry<T>]) -> Table<T> {
    Table { entries, style, estimate_points: false }
}

/// Reads mapping `id` into `target` by `table`; `false` when it is no mapping.
pub(crate) fn read<T: Target>(
    r: &mut Reader,
    id: NodeId,
    table: &Table<T>,
    what: &dyn Display,
    target: &mut T,
) -> bool {
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
        let at =
            At { node: v, key: key.span, what: Label { name: entry.field.name, style: table.style, parent: what } };
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
pub(super) fn text_or<T: Target>(
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
