//! Where the commands write: standard output, and standard error for
//! messages.

use std::io::Write;

use super::error::Error;

/// Standard output (or whatever `run` was given).
pub struct Output<'a> {
    to: &'a mut dyn Write,
}

impl<'a> Output<'a> {
    pub fn new(to: &'a mut dyn Write) -> Output<'a> {
        Output { to }
    }

    /// Writes `text` as it is.
    pub fn write(&mut self, text: &str) -> Result<(), Error> {
        self.to.write_all(text.as_bytes()).map_err(Error::Output)
    }
}

/// Writes `retreat: {message}` on standard error.
pub fn warn(message: &str) {
    say(&format!("retreat: {message}"));
}

/// Writes `text` and a line end on standard error.
pub fn say(text: &str) {
    eprintln!("{text}");
}
