//! Plan text (YAML or JSON) into a [`Plan`], with every problem found on the way.
//!
//! Parsing never stops at the first bad value: each field is read on its own,
//! a bad one is reported (P002 to P005) and left out, and the rest of the plan
//! is still read. Only a YAML syntax error (P001) loses the text after it.
//!
//! `format.rs` is the format, field by field, and the one reader of its
//! tables; `reader.rs` the bookkeeping and the readers of single values;
//! `input.rs` the checks on the text as a whole. The YAML itself is read by
//! `crate::yaml`.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

pub mod format;
mod input;
mod log;
mod reader;
mod table;

use crate::diagnostic::{Diagnostic, Span};
use crate::hash;
use crate::limits::MAX_INPUT_BYTES;
use crate::model::Plan;
use crate::rules::p001_syntax::RULE as P001;
use crate::yaml;

#[doc(hidden)]
pub use crate::yaml::yaml_trees;
pub use input::{BOM, decode};
use reader::Reader;

/// The result of reading a plan: what could be read, and what could not.
#[derive(Debug)]
pub struct Parsed {
    pub plan: Plan,
    /// P-code diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// `sha256:<hex>` of the plan's canonical JSON without `approvals`;
    /// `None` when the text could not be read as a whole.
    pub hash: Option<String>,
    /// Whether a syntax error cut the document short.
    pub partial: bool,
}

/// When to compute the plan hash (SHA-256 over the canonical JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hashing {
    #[default]
    Always,
    /// Only when an approval carries a `plan_hash` to check (the app asks for
    /// the hash apart when it shows it, and saves the work per keystroke).
    WhenApproved,
}

/// Reads a plan from YAML or JSON text.
pub fn parse(source: &str) -> Parsed {
    parse_with(source, Hashing::Always)
}

/// [`parse`], computing the plan hash only as `hashing` says.
pub fn parse_with(source: &str, hashing: Hashing) -> Parsed {
    if let Some(d) = input::reject(source) {
        return Parsed { plan: Plan::default(), diagnostics: vec![d], hash: None, partial: true };
    }
    let tree = yaml::build(source);
    let partial = tree.is_partial();
    let mut r = Reader::new(&tree);
    for e in &tree.errors {
        let message = if e.message == "recursion limit exceeded" {
            format!("the document nests deeper than {} levels", crate::limits::MAX_DEPTH)
        } else {
            e.message.clone()
        };
        r.report(P001.diag(e.span, message).help(syntax_help(source, e.span)));
    }
    let mut plan = Plan::default();
    match tree.root.filter(|&root| !r.is_null(root)) {
        Some(root) => {
            plan.span = r.span(root);
            table::read(&mut r, root, &format::PLAN, &"the plan", &mut plan);
        }
        None => {
            let what = if source.trim().is_empty() { "the file is empty" } else { "the file holds no plan" };
            r.missing(Span::at(0), format!("{what}: a plan needs at least `title` and `steps`"));
        }
    }
    let (mut diagnostics, symbols) = r.finish();
    plan.symbols = symbols;
    crate::diagnostic::sort(&mut diagnostics);
    let wanted = hashing == Hashing::Always || plan.approvals.iter().any(|a| a.plan_hash.is_some());
    let hash = if partial || !wanted { None } else { tree.root.map(|root| hash::plan_hash(&tree, root)) };
    Parsed { plan, diagnostics, hash, partial }
}

/// Reads a run log (section 6) from YAML or JSON text: what could be read,
/// and every problem of form (P001 to P003). `crate::live::read` checks it
/// against its plan.
pub(crate) fn run_log(source: &str) -> (crate::model::RunLog, Vec<Diagnostic>) {
    let mut log = crate::model::RunLog::default();
    if let Some(d) = input::reject(source) {
        return (log, vec![d]);
    }
    let tree = yaml::build(source);
    let mut r = Reader::new(&tree);
    for e in &tree.errors {
        r.report(P001.diag(e.span, e.message.clone()).help(syntax_help(source, e.span)));
    }
    match tree.root.filter(|&root| !r.is_null(root)) {
        Some(root) => {
            log.span = r.span(root);
            table::read(&mut r, root, &log::LOG, &"the run log", &mut log);
        }
        None => r.missing(Span::at(0), "the run log is empty: it needs `events`".into()),
    }
    (log, r.finish().0)
}

fn syntax_help(source: &str, at: Span) -> String {
    let near_tab =
        source.get(..at.start as usize).and_then(|s| s.rsplit('\n').next()).is_some_and(|l| l.contains('\t'));
    if near_tab {
        "YAML indents with spaces, not tabs".into()
    } else {
        "check the indentation and the `:` after each key; text with `: ` or `#` in it needs quotes".into()
    }
}

/// The plan text as JSON (canonical: keys sorted, no spaces), as any YAML
/// tool would read it; `None` when the text is not readable YAML.
pub fn to_json(source: &str) -> Option<String> {
    if source.len() > MAX_INPUT_BYTES || input::reject(source).is_some() {
        return None;
    }
    let tree = yaml::build(source);
    if tree.is_partial() {
        return None;
    }
    tree.root.map(|root| hash::document_json(&tree, root))
}
