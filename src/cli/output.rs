//! Where the commands write: standard output, on which a closed pipe
//! (`retreat lint plans/*.yaml | head`) ends the output and nothing else, and
//! standard error, for messages.
//!
//! Rust ignores SIGPIPE, so a write to a pipe whose reader has gone fails with
//! `BrokenPipe`. That is the reader saying it has read enough: the command
//! still finishes and exits with the status its findings give, and says
//! nothing about it.

use std::io::{self, Write};

use super::error::Error;

/// Standard output (or whatever `run` was given), minding a closed pipe.
pub struct Output<'a> {
    to: &'a mut dyn Write,
    /// The reader has gone: nothing more is written.
    closed: bool,
}

impl<'a> Output<'a> {
    pub fn new(to: &'a mut dyn Write) -> Output<'a> {
        Output { to, closed: false }
    }

    /// Writes `text` as it is; once the reader has gone, nothing.
    pub fn write(&mut self, text: &str) -> Result<(), Error> {
        if self.closed {
            return Ok(());
        }
        let result = self.to.write_all(text.as_bytes());
        self.settle(result)
    }

    /// Writes what is still buffered (a last line without a line end).
    pub fn flush(&mut self) -> Result<(), Error> {
        if self.closed {
            return Ok(());
        }
        let result = self.to.flush();
        self.settle(result)
    }

    fn settle(&mut self, result: io::Result<()>) -> Result<(), Error> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            result => result.map_err(Error::Output),
        }
    }
}

/// Writes `retreat: {message}` on standard error.
pub fn warn(message: &str) {
    say(&format!("retreat: {message}"));
}

/// Writes `text` and a line end on standard error, in one piece. If standard
/// error is closed too there is no one left to tell, so a failure is ignored
/// (where `eprintln!` would panic).
pub fn say(text: &str) {
    let _ = io::stderr().lock().write_all(format!("{text}\n").as_bytes());
}
