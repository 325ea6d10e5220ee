//! Integration tests, one binary: the library's public API and the `retreat`
//! command, driven by the fixtures under `tests/fixtures`.

mod bad_corpus;
mod big_plans;
mod bad_input;
mod cli;
mod crew_properties;
mod crews;
mod examples;
mod fuzz_corpus;
mod hash;
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
