//! The `retreat` command: the arguments are read into a [`Command`] first
//! (`args.rs`, whose table also writes the usage text, `usage.rs`), then it
//! runs (`commands.rs`), rendering what the core returns (`human.rs`,
//! `json.rs`, `sarif.rs`, `simulate.rs`, `diff.rs`, `rules.rs`); Monte Carlo
//! runs on every core (`montecarlo.rs`). `import` and `export` are
//! `convert.rs`, which reads what `import` is given through `files.rs`;
//! `forecast` (the live board from a run log) is `forecast.rs`; `lsp/` is
//! the language server; `config.rs` reads `retreat.toml` for lint and lsp.

mod args;
mod commands;
mod config;
mod convert;
mod diff;
mod error;
mod files;
mod forecast;
mod human;
mod input;
mod json;
mod lsp;
mod montecarlo;
mod output;
mod rules;
mod sarif;
mod simulate;
mod usage;

use std::ffi::OsString;
use std::io::Write;

use error::TROUBLE;
use output::Output;

/// Runs the command line with `args` (without the program name), writing on
/// `stdout`; returns the exit status.
pub fn run(args: Vec<OsString>, stdout: &mut dyn Write) -> u8 {
    let mut out = Output::new(stdout);
    let status = args::parse(args).and_then(|command| commands::run(command, &mut out));
    match status.and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => status,
        Err(e) => {
            output::say(&format!("retreat: {e}\nRun `retreat --help` for usage."));
            TROUBLE
        }
    }
}
