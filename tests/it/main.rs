//! Integration tests, one binary: the library's public API and the `retreat`
//! command, driven by the fixtures under `tests/fixtures`.

mod bad_input;
mod cli;
mod examples;
mod hash;
mod parse;
mod properties;
mod rules;
mod simulate;
mod support;
