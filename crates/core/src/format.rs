//! The plan format's fields: name, type, whether required, and what each
//! means. One table serves the parser (which keys are known, which is the
//! closest to a typo) and the JSON Schema editors use (`crate::schema`), so
//! the two cannot drift apart.

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq)]
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
    Object(&'static [Field]),
    /// A list of these mappings (at least one when the field is required).
    ListOf(&'static [Field]),
    /// A text, or a mapping with these fields (`undo`, `rollback.verify`).
    TextOr(&'static [Field]),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub about: &'static str,
}

const fn f(name: &'static str, ty: Type, about: &'static str) -> Field {
    Field { name, ty, required: false, about }
}

const fn required(name: &'static str, ty: Type, about: &'static str) -> Field {
    Field { name, ty, required: true, about }
}

pub static ESTIMATE: &[Field] = &[
    required("best", Type::Duration, "The shortest it can take."),
    required("likely", Type::Duration, "What it usually takes; deterministic figures use this."),
    required("worst", Type::Duration, "The longest it can take."),
];

pub static WINDOW: &[Field] = &[
    required("start", Type::Timestamp, "When the change window opens, with its UTC offset."),
    f("end", Type::Timestamp, "When the window closes (or give `duration`)."),
    f("duration", Type::Duration, "How long the window is open (or give `end`)."),
];

pub static VERIFY: &[Field] = &[
    required("do", Type::Text, "How to check the system is back to its baseline."),
    f("takes", Type::Estimate, "How long the check takes; it counts against the window."),
    f("owner", Type::Text, "Who runs the check."),
];

pub static ROLLBACK: &[Field] = &[
    f("decide", Type::Estimate, "From a failure being noticed to the rollback being called."),
    f("announce", Type::Text, "Who is told that a rollback is under way, and how."),
    f("verify", Type::TextOr(VERIFY), "How the rollback is verified."),
    f("confidence", Type::Share, "The share of Monte Carlo runs in which a rollback must fit (0.9 if not given)."),
];

pub static APPROVAL: &[Field] = &[
    required("by", Type::Text, "Who approved the plan."),
    f("role", Type::Text, "Their role, such as change board chair."),
    f("date", Type::Date, "When, as YYYY-MM-DD."),
    f("plan_hash", Type::Text, "`sha256:` and the plan hash this approval was given for."),
];

pub static UNDO: &[Field] = &[
    required("do", Type::Text, "The inverse of the step."),
    f("takes", Type::Estimate, "How long the undo takes (the step's own `takes` if not given)."),
    f("sets", Type::States, "Resource states after the undo."),
    f("needs", Type::Ids, "Steps the undo relies on, such as a backup."),
    f("owner", Type::Text, "Who runs the undo."),
];

pub static STEP: &[Field] = &[
    required("id", Type::Id, "Unique name of the step: letters, digits, `_`, `.` and `-`."),
    required("do", Type::Text, "The instruction, concrete enough that nobody has to think under pressure."),
    f(
        "phase",
        Type::Phase,
        "prep (before the window), implement (default), verify (testing in the window) or post (after it).",
    ),
    f("kind", Type::Kind, "change (default; needs `undo` or `irreversible`), check, notify, decision or backup."),
    f("after", Type::Ids, "Steps this one waits for; omitted: the previous step in the list; `[]`: none."),
    f("takes", Type::Estimate, "How long the step takes: a duration or [best, likely, worst]."),
    f("owner", Type::Text, "Who runs the step."),
    f("tags", Type::Texts, "Free labels; `security` marks the security review (C007)."),
    f("verify", Type::Text, "How to check the step worked."),
    f("sets", Type::States, "Resource states after the step."),
    f("destroys", Type::Texts, "Resources whose data the step destroys or overwrites."),
    f("backs_up", Type::Texts, "For `backup` steps: the resources the step copies."),
    f("undo", Type::TextOr(UNDO), "The inverse of the step."),
    f("irreversible", Type::Text, "Why there is no inverse: the step is a point of no return."),
    f("allow", Type::Allow, "`{CODE: reason}`: silence one rule for this step."),
];

pub static PLAN: &[Field] = &[
    f("version", Type::Version, "The format version: 1."),
    required("title", Type::Text, "What the change is."),
    f("system", Type::Text, "The system being changed."),
    f("change_ref", Type::Text, "The change ticket."),
    f("purpose", Type::Text, "What is being changed."),
    f("reason", Type::Text, "Why the change is made."),
    f("current_state", Type::Text, "How things are now."),
    f("future_state", Type::Text, "How things will be."),
    f("monitoring", Type::Text, "How the new state is watched."),
    f("window", Type::Object(WINDOW), "The change window."),
    f("rollback", Type::Object(ROLLBACK), "How a rollback is called, announced and verified."),
    f("baseline", Type::States, "Resource states before the change; unlisted resources are `absent`."),
    f("approvals", Type::ListOf(APPROVAL), "Who approved the plan, and for which plan hash."),
    required("steps", Type::ListOf(STEP), "The steps, in order."),
    f("allow", Type::Allow, "`{CODE: reason}`: silence one rule everywhere."),
];

/// The names of `fields`, for messages and suggestions.
pub fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The field named `name`, if `fields` has one.
pub fn find(fields: &[Field], name: &str) -> Option<Field> {
    fields.iter().copied().find(|f| f.name == name)
}
