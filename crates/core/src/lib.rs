//! Retreat: a rollback-plan linter and simulator.
//!
//! This crate's library is the pure core: it reads plan text and returns data.
//! It does no IO and knows nothing of terminals or browsers; the command line
//! (the `retreat` crate) and the browser app (`retreat-web`) render what it
//! returns. Modules only the core itself uses are private.
//!
//! The entry point is [`analyze`]: text in, [`Analysis`] out.

// Bad input must end in a diagnostic, never a panic: no unwrap, expect or
// panic outside tests. Modules that index by input-derived offsets also deny
// `indexing_slicing` (see `parse`, `link`, `units`, `diagnostic`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod diagnostic;
pub mod diff;
pub mod examples;
pub mod export;
pub mod graph;
mod hash;
pub mod layout;
pub mod limits;
pub mod link;
mod lint;
pub mod live;
pub mod model;
pub mod order;
pub mod output;
pub mod parse;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sim;
#[doc(hidden)]
pub mod synth;
mod text;
pub mod units;
mod yaml;
pub use yaml::scalar as yaml_scalar;

pub use diagnostic::{Data, Diagnostic, LineCol, LineIndex, Severity, Span, Summary, is_hidden_char, show_invisible};
pub use lint::{Analysis, MonteCarloRuns, Options, Suppressed, add_monte_carlo, analyze, analyze_bytes, explain_stale};
pub use model::Plan;
pub use parse::format;
pub use parse::{Parsed, parse};
pub use rules::{RULES, Rule};
pub use text::{closest, is_valid_id};

/// The built-in example: replacing a hospital's HL7 interface engine overnight.
pub const EXAMPLE_PLAN: &str = examples::EXAMPLES[0].2;
