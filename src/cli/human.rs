//! Human output: each finding with its source line, a caret under the span and
//! the rule's help, then a summary line per file.

use std::io::IsTerminal;

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

pub fn render(files: &[Linted], style: Style) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.analysis.diagnostics {
            diagnostic(&mut out, &file.path, &index, d, style);
        }
        out.push_str(&summary_line(file, style));
    }
    out
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
    let (shown, caret_at, caret_len) = snippet(line, start.column as usize - 1, width as usize);
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
/// control characters are shown as spaces so the caret lines up.
fn snippet(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    // Control, invisible and direction characters become a visible `·`, so the
    // snippet shows the text in order and the caret lines up.
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
