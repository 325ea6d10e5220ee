//! The plan as the rest of the core sees it: typed, with defaults applied and
//! a source span on everything a diagnostic may point at.
//!
//! A field the parser could not read is `None` (or empty) here, and its name is
//! listed in the owner's `invalid` list, so that a rule checking for a missing
//! field does not pile a second finding on top of the parser's.

use serde::Serialize;
use std::borrow::Cow;

use crate::diagnostic::Span;

/// A piece of text from the plan with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

impl Text {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// A length of time in whole seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Duration(pub u64);

impl Duration {
    pub fn minutes(self) -> f64 {
        self.0 as f64 / 60.0
    }

    pub fn secs(self) -> u64 {
        self.0
    }
}

/// How long something takes: fixed, or a three-point estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Estimate {
    Fixed { secs: Duration },
    ThreePoint { best: Duration, likely: Duration, worst: Duration },
}

impl Estimate {
    /// The figure deterministic results use: the fixed time, or `likely`.
    pub fn likely(self) -> Duration {
        match self {
            Estimate::Fixed { secs } => secs,
            Estimate::ThreePoint { likely, .. } => likely,
        }
    }
}

/// An instant with the UTC offset it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: i64,
    /// The offset from UTC it was written with, in seconds.
    pub offset: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Window {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Span of the `window` key.
    pub span: Span,
    /// Span of `end` or `duration`, whichever fixed the end.
    pub end_span: Span,
}

impl Window {
    pub fn length(&self) -> Duration {
        Duration(u64::try_from(self.end.unix - self.start.unix).unwrap_or(0))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RollbackVerify {
    pub do_: Option<Text>,
    pub takes: Option<Estimate>,
    pub owner: Option<Text>,
    /// Span of the `verify` key.
    pub span: Span,
    pub invalid: Vec<&'static str>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Rollback {
    /// Failure noticed -> rollback called.
    pub decide: Option<Estimate>,
    pub announce: Option<Text>,
    pub verify: Option<RollbackVerify>,
    /// Required share of Monte Carlo runs in which a rollback fits.
    pub confidence: Option<f64>,
    /// Span of the `rollback` key.
    pub span: Span,
    pub invalid: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Approval {
    pub by: Option<Text>,
    pub role: Option<Text>,
    pub date: Option<Text>,
    /// As written; C005 compares it with the plan's hash.
    pub plan_hash: Option<Text>,
    pub span: Span,
}

/// `allow: {CODE: reason}`: silences one rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allow {
    pub code: Text,
    pub reason: Text,
}

/// `crew`: how many steps each owner can run at the same time (contract,
/// section 5). Without it nobody is limited.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Crew {
    /// The entries that could be read, in the order written; a bad one is
    /// left out (P003), so the plan keeps the limits it states clearly.
    pub entries: Vec<CrewEntry>,
    /// Span of the `crew` key.
    pub span: Span,
}

/// One `owner: count` entry of [`Crew`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrewEntry {
    /// The owner as written (compared exactly with steps' `owner`), or
    /// [`Crew::EVERYONE_ELSE`].
    pub owner: Text,
    /// How many of the owner's steps can run at once: 1 or more.
    pub count: u32,
    /// Span of the count.
    pub span: Span,
}

impl Crew {
    /// The key that covers every owner the crew does not list.
    pub const EVERYONE_ELSE: &'static str = "*";

    /// How many steps of `owner` can run at once; `None` is no limit. A
    /// step without owner is never limited; an owner the crew does not list
    /// gets the `"*"` entry's count, or no limit without one.
    pub fn capacity(&self, owner: Option<&str>) -> Option<u32> {
        let owner = owner?;
        let count = |name: &str| self.entries.iter().find(|e| e.owner.value == name).map(|e| e.count);
        count(owner).or_else(|| count(Crew::EVERYONE_ELSE))
    }

    /// The entry that covers `owner`, if one does (for C010 and messages).
    pub fn entry_for(&self, owner: &str) -> Option<&CrewEntry> {
        let entry = |name: &str| self.entries.iter().find(|e| e.owner.value == name);
        entry(owner).or_else(|| entry(Crew::EVERYONE_ELSE))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Done before the window opens.
    Prep,
    /// The change itself, inside the window.
    Implement,
    /// Post-implementation testing, inside the window.
    Verify,
    /// Follow-up after the window.
    Post,
}

impl Phase {
    pub const ALL: [(&'static str, Phase); 4] =
        [("prep", Phase::Prep), ("implement", Phase::Implement), ("verify", Phase::Verify), ("post", Phase::Post)];

    /// The name as written in a plan.
    pub fn as_str(self) -> &'static str {
        Phase::ALL.iter().find(|(_, p)| *p == self).map_or("implement", |(name, _)| name)
    }

    /// Whether steps of this phase run inside the window and get a schedule.
    pub fn is_scheduled(self) -> bool {
        matches!(self, Phase::Implement | Phase::Verify)
    }

    /// Prep comes first, then the window (implement and verify), then post.
    pub fn rank(self) -> u8 {
        match self {
            Phase::Prep => 0,
            Phase::Implement | Phase::Verify => 1,
            Phase::Post => 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Alters the system: needs `undo` or `irreversible`.
    Change,
    /// Reads only.
    Check,
    /// Communication.
    Notify,
    /// A go/no-go point.
    Decision,
    /// Copies data; `backs_up` names what.
    Backup,
}

impl Kind {
    pub const ALL: [(&'static str, Kind); 5] = [
        ("change", Kind::Change),
        ("check", Kind::Check),
        ("notify", Kind::Notify),
        ("decision", Kind::Decision),
        ("backup", Kind::Backup),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Change => "change",
            Kind::Check => "check",
            Kind::Notify => "notify",
            Kind::Decision => "decision",
            Kind::Backup => "backup",
        }
    }
}

/// A resource name or state, interned when the plan is read, so that the
/// simulator compares numbers instead of strings. [`Plan::symbols`] holds
/// the text; `Symbol(0)` is always `absent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Symbol(pub u32);

impl Symbol {
    /// The state of a resource the baseline does not list.
    pub const ABSENT: Symbol = Symbol(0);
}

/// One `resource: state` entry of a `sets` or the `baseline`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateSet {
    pub resource: Text,
    pub state: Text,
    pub resource_symbol: Symbol,
    pub state_symbol: Symbol,
}

/// `resource -> state`, in the order written.
pub type States = Vec<StateSet>;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Undo {
    pub do_: Option<Text>,
    pub takes: Option<Estimate>,
    pub sets: States,
    /// Steps the undo relies on (a backup, say).
    pub needs: Vec<Text>,
    pub owner: Option<Text>,
    /// Span of the `undo` key.
    pub span: Span,
    pub invalid: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// The id; a step written without one gets `#N` (its 1-based position),
    /// which no real id can collide with.
    pub id: Text,
    pub do_: Option<Text>,
    pub phase: Phase,
    pub kind: Kind,
    /// `None` when omitted: the step then waits for the previous one in the list.
    pub after: Option<Vec<Text>>,
    pub takes: Option<Estimate>,
    pub owner: Option<Text>,
    pub tags: Vec<Text>,
    pub verify: Option<Text>,
    pub sets: States,
    pub destroys: Vec<Text>,
    pub backs_up: Vec<Text>,
    pub undo: Option<Undo>,
    pub irreversible: Option<Text>,
    pub allow: Vec<Allow>,
    /// Span of the whole step.
    pub span: Span,
    /// Fields present in the source whose value could not be read.
    pub invalid: Vec<&'static str>,
}

/// What a step is to a reader: its kind and, for a change, whether it can
/// be undone. The graph, the report and any other view name steps by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Irreversible,
    Undoable,
    NoUndo,
    Check,
    Notify,
    Decision,
    Backup,
}

impl Step {
    /// Who undoes the step: `undo.owner`, else the step's own `owner`
    /// (section 5).
    pub fn undo_owner(&self) -> Option<&str> {
        self.undo.as_ref().and_then(|u| u.owner.as_ref()).or(self.owner.as_ref()).map(|o| o.as_str())
    }

    pub fn shape(&self) -> Shape {
        match self.kind {
            Kind::Change if self.irreversible.is_some() => Shape::Irreversible,
            Kind::Change if self.undo.is_some() => Shape::Undoable,
            Kind::Change => Shape::NoUndo,
            Kind::Check => Shape::Check,
            Kind::Notify => Shape::Notify,
            Kind::Decision => Shape::Decision,
            Kind::Backup => Shape::Backup,
        }
    }

    pub fn id(&self) -> &str {
        &self.id.value
    }

    pub fn is_invalid(&self, field: &str) -> bool {
        self.invalid.contains(&field)
    }

    /// Where a diagnostic about the whole step points: its id.
    pub fn anchor(&self) -> Span {
        self.id.span
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.value.eq_ignore_ascii_case(tag))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    pub title: Option<Text>,
    pub system: Option<Text>,
    pub change_ref: Option<Text>,
    pub purpose: Option<Text>,
    pub reason: Option<Text>,
    pub current_state: Option<Text>,
    pub future_state: Option<Text>,
    pub monitoring: Option<Text>,
    pub window: Option<Window>,
    pub rollback: Option<Rollback>,
    pub baseline: States,
    pub approvals: Vec<Approval>,
    /// `crew`; `None` when the plan has none (nobody is limited).
    pub crew: Option<Crew>,
    pub steps: Vec<Step>,
    pub allow: Vec<Allow>,
    /// Span of the document's top-level value.
    pub span: Span,
    /// Top-level fields present in the source whose value could not be read.
    pub invalid: Vec<&'static str>,
    /// The text of every [`Symbol`]; the first is `absent`.
    pub symbols: Vec<String>,
    /// What the simulator reads of each step, in columns; filled by the
    /// parser. Read it through [`Plan::columns`].
    #[serde(skip)]
    pub step_columns: StepColumns,
}

/// The fields of the steps the simulator reads, one flat array per field:
/// at a hundred thousand steps, a pass over these few arrays costs a small
/// part of a pass over the steps themselves, whose fields lie far apart in
/// memory. The parser fills it as it reads each step, while that step is
/// still in cache; [`Plan::steps`] remains the one source of the facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepColumns {
    pub phase: Vec<Phase>,
    pub kind: Vec<Kind>,
    pub irreversible: Vec<bool>,
    pub takes: Vec<Option<Estimate>>,
    /// The undo's `takes`; `None` without an undo too.
    pub undo_takes: Vec<Option<Estimate>>,
    /// Step `i`'s `sets` as `(resource, state)`: `sets[sets_at[i]..sets_at[i + 1]]`.
    pub sets_at: Vec<u32>,
    pub sets: Vec<(Symbol, Symbol)>,
    /// Its undo's `sets`, likewise.
    pub undo_sets_at: Vec<u32>,
    pub undo_sets: Vec<(Symbol, Symbol)>,
}

impl StepColumns {
    pub fn of(steps: &[Step]) -> StepColumns {
        let mut columns = StepColumns::default();
        for step in steps {
            columns.push(step);
        }
        columns
    }

    /// Adds the next step.
    pub fn push(&mut self, step: &Step) {
        let pair = |w: &StateSet| (w.resource_symbol, w.state_symbol);
        let undo = step.undo.as_ref();
        self.phase.push(step.phase);
        self.kind.push(step.kind);
        self.irreversible.push(step.irreversible.is_some());
        self.takes.push(step.takes);
        self.undo_takes.push(undo.and_then(|u| u.takes));
        if self.sets_at.is_empty() {
            self.sets_at.push(0);
            self.undo_sets_at.push(0);
        }
        self.sets.extend(step.sets.iter().map(pair));
        self.undo_sets.extend(undo.iter().flat_map(|u| &u.sets).map(pair));
        self.sets_at.push(self.sets.len() as u32);
        self.undo_sets_at.push(self.undo_sets.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.phase.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phase.is_empty()
    }

    pub fn sets(&self, step: usize) -> &[(Symbol, Symbol)] {
        &self.sets[self.sets_at[step] as usize..self.sets_at[step + 1] as usize]
    }

    pub fn undo_sets(&self, step: usize) -> &[(Symbol, Symbol)] {
        &self.undo_sets[self.undo_sets_at[step] as usize..self.undo_sets_at[step + 1] as usize]
    }
}

impl Plan {
    /// [`Plan::step_columns`], or, for a plan whose steps were not read by
    /// the parser, the same built from [`Plan::steps`].
    pub fn columns(&self) -> Cow<'_, StepColumns> {
        if self.step_columns.len() == self.steps.len() {
            Cow::Borrowed(&self.step_columns)
        } else {
            Cow::Owned(StepColumns::of(&self.steps))
        }
    }

    pub fn symbol(&self, s: Symbol) -> &str {
        self.symbols.get(s.0 as usize).map_or(ABSENT, String::as_str)
    }

    pub fn is_invalid(&self, field: &str) -> bool {
        self.invalid.contains(&field)
    }

    /// The baseline state of `resource`: `absent` when the plan does not list it.
    pub fn baseline_of(&self, resource: &str) -> &str {
        self.baseline.iter().find(|b| b.resource.value == resource).map_or(ABSENT, |b| b.state.value.as_str())
    }
}

/// The state of a resource the baseline does not list.
pub const ABSENT: &str = "absent";

// The run log (section 6): what the team records as the change happens.
// Read by `parse::run_log`, checked against its plan by `crate::live`.

/// A time as written in the log, with where.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stamp {
    pub at: Timestamp,
    pub span: Span,
}

/// One line of the log: a step started or finished, an undo started or
/// finished, or the rollback called.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Event {
    pub step: Option<Text>,
    pub undo: Option<Text>,
    pub started: Option<Stamp>,
    pub finished: Option<Stamp>,
    pub rollback_called: Option<Stamp>,
    pub note: Option<Text>,
    pub span: Span,
    /// Fields present whose value could not be read.
    pub invalid: Vec<&'static str>,
}

/// The run log as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunLog {
    pub plan_hash: Option<Text>,
    pub as_of: Option<Stamp>,
    pub events: Vec<Event>,
    pub span: Span,
    pub invalid: Vec<&'static str>,
}
