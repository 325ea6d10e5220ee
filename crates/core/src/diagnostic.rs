//! Diagnostics are plain data: a rule code, a severity, a message, a byte span
//! into the source, the step they concern and a hint on how to fix them.
//!
//! Positions are byte offsets; [`LineIndex`] turns them into the 1-based line
//! and column (counted in Unicode characters) that users see.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use serde::Serialize;

/// A byte range `start..end` in the plan's source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: u32) -> Span {
        Span { start: offset, end: offset }
    }
}

/// How serious a finding is. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`; `off` and anything else give `None`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// One finding about a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable code, such as `R001`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// The id of the step the finding is about, if any.
    pub step: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// What the rule found, as data, for whoever acts on the finding (a
    /// later pass, an editor's quick fix) without reading the message.
    #[serde(skip)]
    pub data: Option<Box<Data>>,
}

/// Structured facts behind a finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// C005: an approval given for another version of the plan.
    StaleApproval {
        /// Who approved, as the message names them.
        by: String,
        /// The hash the approval carries, as written.
        signed: String,
        /// The plan's hash now.
        current: String,
    },
    /// C010: an owner who runs more steps at once than one.
    DoubleBooked {
        /// The owner, as the steps name it.
        owner: String,
        /// The most of its steps that run at the same moment: the crew
        /// count that would cover them.
        peak: u32,
    },
}

/// Puts diagnostics in source order, then by code; equal ones keep their order.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    crate::order::sort_by_key(diagnostics, |d| (u64::from(d.span.start), crate::order::short_str_key(d.code)));
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { code, severity, message: message.into(), span, step: None, help: None, data: None }
    }

    pub fn data(mut self, data: Data) -> Self {
        self.data = Some(Box::new(data));
        self
    }

    pub fn step(mut self, id: impl Into<String>) -> Self {
        self.step = Some(id.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets to lines and columns in one source text, each in
/// O(log lines) time, however long the line (a plan written as one line of
/// JSON is one line of megabytes).
pub struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<u32>,
    /// Whether each line is pure ASCII (then a column is a byte difference).
    ascii: Vec<bool>,
    /// How many characters come before each block of [`BLOCK`] bytes, so
    /// that a column on a long line that is not ASCII counts at most a
    /// block's characters. Empty when the source is ASCII.
    chars_before: Vec<u32>,
}

/// Bytes per block of [`LineIndex`]'s character counts.
const BLOCK: usize = 1024;

/// Whether `b` starts a character of UTF-8 (is not a continuation byte).
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                ascii.push(line_ascii);
                line_ascii = true;
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            } else if b >= 0x80 {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        let mut chars_before = Vec::new();
        if !source.is_ascii() {
            let mut count = 0u32;
            for block in source.as_bytes().chunks(BLOCK) {
                chars_before.push(count);
                count += block.iter().filter(|&&b| starts_char(b)).count() as u32;
            }
        }
        LineIndex { source, starts, ascii, chars_before }
    }

    /// How many characters come before byte `offset` (a character boundary).
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let before = self.chars_before.get(block).copied().unwrap_or(0) as usize;
        let rest = self.source.as_bytes().get(block * BLOCK..offset).unwrap_or_default();
        before + rest.iter().filter(|&&b| starts_char(b)).count()
    }

    /// The byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line as usize).saturating_sub(1);
        self.starts.get(i).copied().unwrap_or(0) as usize
    }

    /// The line (0-based) holding byte `offset`.
    fn line_of(&self, offset: u32) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.source.len()).unwrap_or(u32::MAX));
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = if self.ascii.get(line).copied().unwrap_or(false) {
            offset - start
        } else if !self.source.is_char_boundary(offset as usize) {
            0
        } else if (offset - start) as usize <= 2 * BLOCK {
            let text = self.source.get(start as usize..offset as usize).unwrap_or("");
            u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
        } else {
            u32::try_from(self.chars_to(offset as usize) - self.chars_to(start as usize)).unwrap_or(u32::MAX)
        };
        LineCol { line: u32::try_from(line + 1).unwrap_or(u32::MAX), column: column.saturating_add(1) }
    }

    /// The text of the 1-based `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_start(line);
        let end = self.starts.get(i + 1).map_or(self.source.len(), |&e| e as usize);
        let text = self.source.get(start..end).unwrap_or("");
        text.trim_end_matches(['\n', '\r'])
    }
}

/// Whether `c` is invisible or changes the direction of text: a control
/// character (other than line feed and tab), a zero-width or bidi mark.
pub fn is_hidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` with every invisible or direction-changing character written out as
/// `\u{…}`, so that a hostile plan cannot hide text or reorder what is shown
/// (right-to-left overrides, zero-width spaces, other control characters).
pub fn show_invisible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = is_hidden_char;
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn invisible_characters_are_written_out() {
        assert_eq!(super::show_invisible("plain text"), "plain text");
        assert_eq!(super::show_invisible("a\u{202E}b\u{200B}c"), "a\\u{202e}b\\u{200b}c");
    }

    #[test]
    fn columns_on_long_lines_count_characters() {
        // Lines longer than a block of counts, with characters of every
        // length, some across the blocks' edges.
        let line: String = (0..3_000).map(|i| ["a", "é", "€", "𝄞"][i % 4]).collect();
        let text = format!("first\n{line}\n{line}x\nlast é");
        let index = super::LineIndex::new(&text);
        for (offset, _) in text.char_indices() {
            let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
            let line = text[..offset].matches('\n').count() as u32 + 1;
            let column = text[start..offset].chars().count() as u32 + 1;
            assert_eq!(index.line_col(offset as u32), super::LineCol { line, column }, "at {offset}");
        }
        assert_eq!(index.line_start(3), 6 + line.len() + 1);
    }
}
