//! The rules: one file each, listed once in [`RULES`].
//!
//! A rule file holds the rule's code, name, default severity, its docs (What it
//! checks / Why it matters / Example / Fix) and its check. P-codes are found by
//! the parser while it reads the plan; their files carry the docs only.
//! Codes are stable: a code, once shipped, never changes meaning.

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::graph::{Ancestry, PlanGraph};
use crate::model::{Kind, Plan, Rollback};
use crate::sim::Simulation;

pub(crate) mod p001_syntax;
pub(crate) mod p002_unknown_field;
pub(crate) mod p003_invalid_value;
pub(crate) mod p004_duplicate_id;
pub(crate) mod p005_unsupported_version;

pub(crate) mod g001_unknown_step;
mod g002_cycle;
mod g003_redundant_after;

mod r001_missing_undo;
mod r002_irreversible_without_decision;
mod r003_destroys_without_backup;
mod r004_leftover_after_rollback;
mod r005_undo_needs_unfinished;
mod r006_no_rollback_announce;
mod r007_no_rollback_verify;

mod t001_window_overrun;
mod t002_rollback_overrun;
mod t003_missing_estimate;
pub(crate) mod t004_low_confidence;
pub use t004_low_confidence::DEFAULT_CONFIDENCE;
mod t005_decision_too_late;
mod t006_no_window;

mod c001_no_baseline_check;
mod c002_no_post_check;
mod c003_no_prior_notice;
mod c004_no_approval;
pub(crate) mod c005_stale_approval;
mod c006_missing_narrative;
mod c007_no_security_check;
mod c008_vague_step;
mod c009_no_owner;
mod c010_owner_double_booked;

/// What a check sees.
pub struct Context<'a> {
    pub plan: &'a Plan,
    pub graph: &'a PlanGraph,
    /// The plan hash, when the whole text could be read.
    pub hash: Option<&'a str>,
    /// The simulation; `None` without a window.
    pub sim: Option<&'a Simulation>,
}

pub type CheckFn = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// A rule's docs as the registry carries them: the text itself, or, in a
/// build without the `rule-docs` feature (the browser app's first load,
/// which fetches them from its on-demand module), nothing.
pub const fn docs(text: &'static str) -> &'static str {
    if cfg!(feature = "rule-docs") { text } else { "" }
}

/// A rule's identity, docs and check.
pub struct Rule {
    /// Stable code, such as `R001`.
    pub code: &'static str,
    /// Stable kebab-case name, such as `missing-undo`.
    pub name: &'static str,
    pub severity: Severity,
    /// When it fires, in one line.
    pub summary: &'static str,
    /// Markdown with the sections What it checks, Why it matters, Example,
    /// Fix (empty without the `rule-docs` feature, see [`docs`]).
    pub docs: &'static str,
    /// `None` for the P-codes, which the parser reports.
    pub check: Option<CheckFn>,
}

impl Rule {
    /// A diagnostic of this rule at its default severity.
    pub fn diag(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, span, message)
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// Every rule, in the contract's order (P, G, R, T, C; by number within each).
pub static RULES: &[&Rule] = &[
    &p001_syntax::RULE,
    &p002_unknown_field::RULE,
    &p003_invalid_value::RULE,
    &p004_duplicate_id::RULE,
    &p005_unsupported_version::RULE,
    &g001_unknown_step::RULE,
    &g002_cycle::RULE,
    &g003_redundant_after::RULE,
    &r001_missing_undo::RULE,
    &r002_irreversible_without_decision::RULE,
    &r003_destroys_without_backup::RULE,
    &r004_leftover_after_rollback::RULE,
    &r005_undo_needs_unfinished::RULE,
    &r006_no_rollback_announce::RULE,
    &r007_no_rollback_verify::RULE,
    &t001_window_overrun::RULE,
    &t002_rollback_overrun::RULE,
    &t003_missing_estimate::RULE,
    &t004_low_confidence::RULE,
    &t005_decision_too_late::RULE,
    &t006_no_window::RULE,
    &c001_no_baseline_check::RULE,
    &c002_no_post_check::RULE,
    &c003_no_prior_notice::RULE,
    &c004_no_approval::RULE,
    &c005_stale_approval::RULE,
    &c006_missing_narrative::RULE,
    &c007_no_security_check::RULE,
    &c008_vague_step::RULE,
    &c009_no_owner::RULE,
    &c010_owner_double_booked::RULE,
];

/// The rule with this code (`R001`) or name (`missing-undo`), any case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name))
}

/// Runs every check, in registry order.
pub fn run_all(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES {
        if let Some(check) = rule.check {
            check(cx, &mut out);
        }
    }
    out
}

/// Where to report that the `rollback` section lacks something (`has` says
/// whether it is there): at `rollback`, or at the plan when there is none.
/// `None` when it is there, or `field` or the whole section was written but
/// unreadable (already a P003).
pub(crate) fn rollback_lacks(plan: &Plan, field: &str, has: impl Fn(&Rollback) -> bool) -> Option<Span> {
    let rollback = plan.rollback.as_ref();
    if (plan.is_invalid("rollback") && rollback.is_none())
        || rollback.is_some_and(|r| has(r) || r.invalid.contains(&field))
    {
        return None;
    }
    Some(rollback.map_or(plan_anchor(plan), |r| r.span))
}

/// Where a finding about the plan as a whole points: its first line.
pub(crate) fn plan_anchor(plan: &Plan) -> Span {
    Span::at(plan.span.start)
}

/// For every step, whether a step for which `pred` holds comes before it:
/// as a dependency (directly or not), or in an earlier phase (prep runs before
/// the window, the window before post). The one notion of "before" that the
/// rules share.
pub(crate) fn preceded_by(cx: &Context<'_>, pred: impl Fn(usize) -> bool) -> Vec<bool> {
    let steps = &cx.plan.steps;
    let earliest = (0..steps.len()).filter(|&i| pred(i)).map(|i| steps[i].phase.rank()).min();
    let mut out = cx.graph.has_ancestor(&pred);
    if let Some(rank) = earliest {
        for (i, s) in steps.iter().enumerate() {
            out[i] |= rank < s.phase.rank();
        }
    }
    out
}

/// Whether one of `candidates` comes before `step`, in the sense of [`preceded_by`].
pub(crate) fn preceded_by_any(
    cx: &Context<'_>,
    ancestry: &mut Ancestry<'_>,
    step: usize,
    candidates: &[usize],
) -> bool {
    let rank = cx.plan.steps[step].phase.rank();
    candidates.iter().any(|&c| cx.plan.steps[c].phase.rank() < rank)
        || ancestry.depends_on_any(step, candidates).is_some()
}

/// For each `(key, step)` of `questions`, whether one of the steps of
/// `sets[key]` comes before `step`, in the sense of [`preceded_by`]: all at
/// once, so that many questions about one set cost about one walk over the
/// graph ([`Ancestry::depends_on_each`]).
pub(crate) fn preceded_by_each(cx: &Context<'_>, questions: &[(usize, usize)], sets: &[&[usize]]) -> Vec<bool> {
    let rank = |i: usize| cx.plan.steps[i].phase.rank();
    // An earlier phase comes before; the rest is asked of the graph.
    let earliest: Vec<Option<u8>> = sets.iter().map(|set| set.iter().map(|&c| rank(c)).min()).collect();
    let by_phase = |&(key, step): &(usize, usize)| earliest.get(key).copied().flatten().is_some_and(|e| e < rank(step));
    let asked: Vec<(usize, usize)> = questions.iter().copied().filter(|q| !by_phase(q)).collect();
    let mut found = cx.graph.ancestry().depends_on_each(&asked, sets).into_iter();
    questions.iter().map(|q| by_phase(q) || found.next().unwrap_or(false)).collect()
}

/// The first change (in list order) among the steps `considered` that no step
/// of kind `kind` comes before, and no other considered change either (then
/// that change is the one to look at). Shared by C001 and C003.
pub(crate) fn first_change_without(cx: &Context<'_>, kind: Kind, considered: impl Fn(usize) -> bool) -> Option<usize> {
    let steps = &cx.plan.steps;
    let is_change = |i: usize| steps[i].kind == Kind::Change && considered(i);
    let after_change = cx.graph.has_ancestor(is_change);
    let after_kind = preceded_by(cx, |i| steps[i].kind == kind);
    (0..steps.len()).find(|&i| is_change(i) && !after_change[i] && !after_kind[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_in_the_contracts_order() {
        let rank = |code: &str| ("PGRTC".find(&code[..1]).unwrap_or(9), code.to_string());
        for pair in RULES.windows(2) {
            assert!(rank(pair[0].code) < rank(pair[1].code), "{} before {}", pair[0].code, pair[1].code);
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }
}
