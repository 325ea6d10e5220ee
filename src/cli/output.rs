//! Where the commands write: standard output, on which a closed pipe
//! (`retreat lint plans/*.yaml | head`) ends the output and nothing else, and
//! standard error, for messages.
//!
//! Rust ignores SIGPIPE, so a write to a pipe whose reader has gone fails with
//! `BrokenPipe`. That is the reader saying it has read enough: the command
//! still finishes and exits with the status its findings give, and says
//! nothing about it.

use std::fmt;
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

    /// Writes what `render` writes, as it writes it (through a buffer), for
    /// output too big to hold whole. Once the reader has gone, the next
    /// write fails with `BrokenPipe` so that `render` stops early; that is
    /// no error.
    pub fn stream(&mut self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
        if self.closed {
            return Ok(());
        }
        let mut buffered = io::BufWriter::with_capacity(STREAM_BUFFER, Minding(self));
        let result = render(&mut buffered).and_then(|()| buffered.flush());
        // Whatever is still buffered after a failure is dropped with it.
        let minding = buffered.into_parts().0;
        minding.0.settle(result)
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

/// How much streamed output is gathered before it is written.
const STREAM_BUFFER: usize = 64 << 10;

/// The output as a writer for [`Output::stream`]: a closed pipe marks it
/// closed, and every write after that fails with `BrokenPipe` at once.
struct Minding<'o, 'a>(&'o mut Output<'a>);

impl Write for Minding<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let out = &mut *self.0;
        if out.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let result = out.to.write(buf);
        out.closed = result.as_ref().is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
        result
    }

    fn flush(&mut self) -> io::Result<()> {
        let out = &mut *self.0;
        if out.closed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let result = out.to.flush();
        out.closed = result.as_ref().is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
        result
    }
}

/// Runs `render`, which writes text (`fmt::Write`, as the core's
/// renderings do), into `out`; an error of `out` comes back as it was.
pub fn text_into(out: &mut dyn Write, render: impl FnOnce(&mut dyn fmt::Write) -> fmt::Result) -> io::Result<()> {
    struct Text<'w> {
        out: &'w mut dyn Write,
        error: Option<io::Error>,
    }
    impl fmt::Write for Text<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.out.write_all(s.as_bytes()).map_err(|e| {
                self.error = Some(e);
                fmt::Error
            })
        }
    }
    let mut text = Text { out, error: None };
    match render(&mut text) {
        Ok(()) => Ok(()),
        Err(fmt::Error) => Err(text.error.unwrap_or_else(|| io::Error::other("formatting failed"))),
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
