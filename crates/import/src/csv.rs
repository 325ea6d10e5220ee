//! Spreadsheets saved as CSV: the text decoded (UTF-8 with or without a
//! byte-order mark, or UTF-16 as Excel's "Unicode text"), the separator
//! found (comma, semicolon or tab), and the records read by the `csv`
//! crate, quoted cells with separators and line breaks included.

use crate::Error;
use crate::draft::Draft;
use crate::sheet::{self, Row};

/// The text of a file, or an error saying it is not text.
pub fn decode<'a>(bytes: &'a [u8], name: &str, expected: &str) -> Result<std::borrow::Cow<'a, str>, Error> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes, name);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes, name);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::new(format!(
            "`{name}` is not UTF-8 text (a byte at offset {} is not): expected {expected}; save it as UTF-8",
            e.valid_up_to()
        ))
    })?;
    if text.contains('\0') {
        return Err(Error::new(format!("`{name}` holds NUL bytes, so it is not text: expected {expected}")));
    }
    Ok(std::borrow::Cow::Borrowed(text))
}

fn utf16<'a>(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &str) -> Result<std::borrow::Cow<'a, str>, Error> {
    let units: Vec<u16> = bytes.chunks(2).map(|c| unit([c[0], *c.get(1).unwrap_or(&0)])).collect();
    String::from_utf16(&units)
        .map(std::borrow::Cow::Owned)
        .map_err(|_| Error::new(format!("`{name}` starts like UTF-16 text but is not: save it as CSV UTF-8")))
}

/// The separator that splits the first lines into the most columns, the
/// same number on each line; `,` when none splits anything.
pub fn separator(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for sep in [b',', b';', b'\t'] {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sep).from_reader(text.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .map_while(Result::ok)
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .take(20)
            .map(|r| r.len())
            .collect();
        let Some(&first) = counts.first() else { continue };
        let same = counts.iter().filter(|&&c| c == first).count();
        if first > 1 && (same, first) > (best.1, best.2) {
            best = (sep, same, first);
        }
    }
    best.0
}

/// The rows of a CSV text.
pub fn rows(text: &str, name: &str) -> Result<Vec<Row>, Error> {
    // Quotes come in pairs (`""` inside a quoted cell is two); an odd count
    // means one cell runs to the end of the file.
    if text.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
        return Err(Error::new(format!(
            "`{name}` has a `\"` that is never closed, so one cell would run to the end of the file: close the quote"
        )));
    }
    let sep = separator(text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sep).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::new(format!("`{name}`, row {}: {e}", i + 1)))?;
        // The line it starts on: what an editor shows, and a spreadsheet's
        // row unless a cell above holds a line break.
        // (The reader's position is where it began looking, before any
        // blank lines it skipped.)
        let number = record.position().map_or(i + 1, |p| {
            let skipped = text.get(p.byte() as usize..).map_or(0, |rest| {
                rest.bytes().take_while(|b| matches!(b, b'\n' | b'\r')).filter(|&b| b == b'\n').count()
            });
            p.line() as usize + skipped
        });
        rows.push(Row { number, cells: record.iter().map(cell).collect() });
        if rows.len() > retreat_core::limits::MAX_STEPS + 1_000 {
            return Err(Error::new(format!(
                "`{name}` has more than {} rows; a plan holds at most {} steps",
                retreat_core::limits::MAX_STEPS,
                retreat_core::limits::MAX_STEPS
            )));
        }
    }
    Ok(rows)
}

/// A cell as the plan reads it: Windows line ends as `\n`, and Excel's
/// text mark (`'` before a cell that would read as a formula) taken off,
/// as `retreat export --to csv` puts it on.
fn cell(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => text,
    }
}

/// A spreadsheet into the draft.
pub fn import(bytes: &[u8], name: &str, draft: &mut Draft) -> Result<(), Error> {
    let text = decode(bytes, name, "a spreadsheet saved as CSV")?;
    let rows = rows(&text, name)?;
    let pending = sheet::read(&rows, &format!("`{name}`"), None, draft)?;
    draft.steps = sheet::resolve(pending);
    Ok(())
}
