//! `--format json`: exactly the object of the contract's section 4
//! ([`retreat_core::output::LintReport`]), one per file, each on its own line (a
//! single file prints a single object).

use std::io::{self, Write};

use super::input::Linted;

/// Each file's object as it is made, and a line end.
pub fn render(out: &mut dyn Write, files: &[Linted]) -> io::Result<()> {
    for file in files {
        let report = retreat_core::output::lint_report(&file.path, &file.text, &file.analysis);
        serde_json::to_writer(&mut *out, &report).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
