//! The command line's one error type, and its exit statuses.

use std::fmt;

/// Exit status: no errors.
pub const OK: u8 = 0;
/// Exit status: the plan has errors (or warnings under `--deny warnings`).
pub const FINDINGS: u8 = 1;
/// Exit status: a file could not be read, or the arguments are wrong.
pub const TROUBLE: u8 = 2;

/// What stops a command before it has done its work. Each ends the run with
/// [`TROUBLE`]. A closed standard output is none of these: it only ends the
/// output (see `output.rs`).
#[derive(Debug)]
pub enum Error {
    /// The arguments are wrong: an unknown command or option, a missing or
    /// unreadable value, a missing operand.
    Usage(String),
    /// A plan cannot be read: a file, standard input, or a share link.
    Unreadable(String),
    /// Standard output refused the text for another reason than a closed pipe.
    Output(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(message) | Error::Unreadable(message) => f.write_str(message),
            Error::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

/// lexopt's messages are already the user's: "invalid option '--x'",
/// "missing argument for option '--format'".
impl From<lexopt::Error> for Error {
    fn from(e: lexopt::Error) -> Error {
        Error::Usage(e.to_string())
    }
}
