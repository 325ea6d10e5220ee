//! Integration tests, one binary: the library's public API and the `retreat`
//! command, driven by the fixtures under `tests/fixtures`.

mod action;
mod bad_corpus;
mod bad_input;
mod big_plans;
mod cli;
mod crew_properties;
mod crews;
mod examples;
mod export;
mod fuzz_corpus;
mod hash;
mod import;
mod import_bad;
mod import_props;
mod live;
mod lsp;
mod montecarlo;
mod parse;
mod properties;
mod report;
mod rules;
mod runbook;
mod schema;
mod simulate;
mod structure;
mod support;
mod yaml_readers;
