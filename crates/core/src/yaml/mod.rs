//! YAML (and JSON, which YAML reads too) into an arena tree with byte spans:
//! the one reading of plan text that the parser and the plan hash share.
//!
//! Two readers build the same [`Tree`]: `fast.rs` for the YAML plans are
//! nearly always written in, `tree.rs` (over `saphyr-parser`) for the rest
//! and for every error. [`build`] picks; the differential tests and the
//! `yaml` fuzz target hold the two equal.

mod fast;
mod tree;
mod write;

pub(crate) use tree::{NodeId, NodeKind, Resolved, Scalar, Seen, Tree, pairs};
pub use write::scalar;

/// Reads `src` as one YAML document. Never fails: problems are in `errors`.
/// Most plans take the fast reader; the rest, and every text with an error,
/// the full parser.
pub(crate) fn build(src: &str) -> Tree<'_> {
    fast::build(src).unwrap_or_else(|| tree::build_full(src))
}

/// The YAML tree of `source` from the fast reader (`None` when it declines
/// the text) and from the full parser, as text: the differential tests and
/// the `yaml` fuzz target check that they agree.
#[doc(hidden)]
pub fn yaml_trees(source: &str) -> (Option<String>, String) {
    (fast::build(source).map(|t| t.dump()), tree::build_full(source).dump())
}
