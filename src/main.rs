//! `retreat`: the command line. It reads files, calls the core and prints what
//! the core returns; every decision about a plan is made in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // Not locked for the whole run: `retreat lsp` writes from the language
    // server's own thread. (Standard output is line-buffered either way.)
    let mut out = std::io::stdout();
    let code = cli::run(args, &mut out);
    ExitCode::from(code)
}
