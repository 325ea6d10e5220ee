//! Human output: each finding with its source line, a caret under the span and
//! the rule's help, then a summary line per file.

use std::io::{self, IsTerminal, Write};

use retreat_core::{Diagnostic, LineIndex, Severity, Summary};

use super::input::Linted;

/// Longest piece of a source line shown; longer lines are cut around the caret.
const SNIPPET_CHARS: usize = 100;

#[derive(Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colour only on a terminal, and never when `NO_COLOR` is set.
    pub fn for_stdout() -> Style {
        Style { color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() }
    }

    fn paint(self, ansi: &str, text: &str) -> String {
        if self.color { format!("\x1b[{ansi}m{text}\x1b[0m") } else { text.to_string() }
    }

    fn severity(self, s: Severity) -> String {
        let ansi = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(ansi, s.as_str())
    }
}

/// Every file's findings, each written as it is made, then its summary line.
pub fn render(out: &mut dyn Write, files: &[Linted], style: Style) -> io::Result<()> {
    for file in files {
        findings(out, &file.path, &file.text, &file.analysis.diagnostics, style)?;
        out.write_all(summary_line(file, style).as_bytes())?;
    }
    Ok(())
}

/// `diagnostics` of `text` (read from `path`), each with its source line.
pub fn findings(
    out: &mut dyn Write,
    path: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    style: Style,
) -> io::Result<()> {
    let index = LineIndex::new(text);
    let mut line = String::new();
    for d in diagnostics {
        line.clear();
        diagnostic(&mut line, path, &index, d, style);
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn diagnostic(out: &mut String, path: &str, index: &LineIndex<'_>, d: &Diagnostic, style: Style) {
    let name = retreat_core::rules::find(d.code).map_or("", |r| r.name);
    let start = index.line_col(d.span.start);
    let end = index.line_col(d.span.end);
    out.push_str(&format!(
        "{}{}: {}\n",
        style.severity(d.severity),
        style.paint("1", &format!("[{} {name}]", d.code)),
        style.paint("1", &retreat_core::show_invisible(&d.message))
    ));
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    let bar = style.paint("34", "|");
    out.push_str(&format!("{pad}{} {path}:{}:{}\n", style.paint("34", "-->"), start.line, start.column));
    let line = index.line_text(start.line);
    let width = if end.line == start.line { end.column.saturating_sub(start.column) } else { u32::MAX };
    let at = (d.span.start as usize).saturating_sub(index.line_start(start.line));
    let (shown, caret_at, caret_len) = snippet(line, at, start.column as usize - 1, width as usize);
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!("{} {bar} {shown}\n", style.paint("34", &start.line.to_string())));
    let carets = style.paint(severity_ansi(d.severity), &"^".repeat(caret_len));
    out.push_str(&format!("{pad} {bar} {}{carets}\n", " ".repeat(caret_at)));
    if let Some(help) = &d.help {
        out.push_str(&format!("{pad} = {} {}\n", style.paint("1", "help:"), retreat_core::show_invisible(help)));
    }
    out.push('\n');
}

fn severity_ansi(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// The part of `line` to show, where the caret starts in it, and how many
/// carets: long lines are cut to a window around the column, tabs and other
/// control characters are shown as spaces so the caret lines up. `at` is the
/// finding's byte offset in the line and `column` its character offset:
/// only the window's characters are read, however long the line.
fn snippet(line: &str, at: usize, column: usize, width: usize) -> (String, usize, usize) {
    // Control, invisible and direction characters become a visible `·`, so the
    // snippet shows the text in order and the caret lines up.
    let visible = |c: char| match c {
        '\t' => ' ',
        c if retreat_core::is_hidden_char(c) => '·',
        c => c,
    };
    // Past the line's end (on its line break) is at its end.
    let column = column.saturating_sub(at.saturating_sub(line.len()));
    let mut at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    // A long line's window starts half a window before the column.
    let long = line.chars().nth(SNIPPET_CHARS).is_some();
    let from = if long { column.saturating_sub(SNIPPET_CHARS / 2) } else { 0 };
    let from_byte = match line[..at].char_indices().rev().take(column - from).last() {
        Some((b, _)) if long => b,
        _ if long => at,
        _ => 0,
    };
    let mut rest = line[from_byte..].chars();
    let mut shown: String = rest.by_ref().take(SNIPPET_CHARS).map(visible).collect();
    let count = shown.chars().count();
    let column = column.min(from + count);
    let to = from + count;
    let mut caret_at = column - from;
    if from > 0 {
        shown.insert_str(0, "...");
        caret_at += 3;
    }
    if rest.next().is_some() {
        shown.push_str("...");
    }
    let caret_len = width.min(to.saturating_sub(column)).max(1);
    (shown, caret_at, caret_len)
}

fn summary_line(file: &Linted, style: Style) -> String {
    let s = file.analysis.summary();
    let hash = file.analysis.hash.as_deref().map_or(String::new(), |h| format!("; plan hash {h}"));
    if s == Summary::default() {
        return format!("{}: {}{hash}\n", file.path, style.paint("1;32", "no problems found"));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}: {}, {}, {}{hash}\n",
        file.path,
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    )
}

#[cfg(test)]
mod tests {
    use super::{SNIPPET_CHARS, snippet};

    /// The snippet as it was first written: every character of the line
    /// read, which is quadratic for a plan written as one long line.
    fn snippet_of_all_chars(line: &str, column: usize, width: usize) -> (String, usize, usize) {
        let chars: Vec<char> = line
            .chars()
            .map(|c| match c {
                '\t' => ' ',
                c if retreat_core::is_hidden_char(c) => '·',
                c => c,
            })
            .collect();
        let column = column.min(chars.len());
        let from = if chars.len() <= SNIPPET_CHARS { 0 } else { column.saturating_sub(SNIPPET_CHARS / 2) };
        let to = (from + SNIPPET_CHARS).min(chars.len());
        let mut shown: String = chars[from..to].iter().collect();
        let mut caret_at = column - from;
        if from > 0 {
            shown.insert_str(0, "...");
            caret_at += 3;
        }
        if to < chars.len() {
            shown.push_str("...");
        }
        (shown, caret_at, width.min(to.saturating_sub(column)).max(1))
    }

    #[test]
    fn the_snippet_reads_only_its_window_and_shows_the_same() {
        let pieces = ["a", "é", "\t", "\u{202E}", "€", " ", "𝄞"];
        for len in [0, 1, 50, 99, 100, 101, 102, 150, 260] {
            let line: String = (0..len).map(|i| pieces[(i * 7 + len) % pieces.len()]).collect();
            let mut offsets: Vec<usize> = line.char_indices().map(|(b, _)| b).collect();
            offsets.push(line.len());
            for (column, &at) in offsets.iter().enumerate() {
                for width in [0, 1, 3, 500] {
                    let expected = snippet_of_all_chars(&line, column, width);
                    assert_eq!(
                        snippet(&line, at, column, width),
                        expected,
                        "{len} chars, column {column}, width {width}"
                    );
                }
            }
            // Past the end of the line: on its line break, or a byte after it.
            for past in 1..3 {
                let column = offsets.len() - 1 + past;
                let expected = snippet_of_all_chars(&line, column, 2);
                assert_eq!(snippet(&line, line.len() + past, column, 2), expected, "{len} chars, {past} past the end");
            }
        }
    }
}
