//! Markdown, as wikis write change checklists, read with `pulldown-cmark`:
//! a table with a `do` (task) column is read as a spreadsheet; otherwise
//! every list item is a step, a trailing `(15m)` its duration, a nested
//! `Undo:` (`Rollback:`, `Back out:`) item its undo and a nested `Verify:`
//! item its check; the headings above give the phase, the first heading
//! the title.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use retreat_core::model::Phase;

use crate::Error;
use crate::columns::{Column, header};
use crate::draft::{Draft, NoteKind, Step, Undo, one_line, phase_from_words};
use crate::sheet::{self, Pending, Row, infer_kind};
use crate::units::estimate;

/// An open list item.
struct Item {
    text: String,
    depth: usize,
    /// The step it became, once its text is complete.
    step: Option<usize>,
    /// Whether it was an `Undo:` or `Verify:` line of its parent.
    used: bool,
}

#[derive(Default)]
struct State {
    title: Option<String>,
    /// Phase by heading level (1 to 6), from the headings above.
    headings: [Option<(Phase, String)>; 6],
    /// By heading level: a heading that opens a rollback section.
    rollback: [Option<String>; 6],
    /// Items left out for being in a rollback section, by its heading.
    rollback_items: Vec<(String, Vec<String>)>,
    heading: Option<(usize, String)>,
    depth: usize,
    items: Vec<Item>,
    steps: Vec<Step>,
    table: Option<Vec<Row>>,
    cell: Option<String>,
    table_line: usize,
    tables: Vec<Vec<Pending>>,
    code: bool,
}

impl State {
    fn phase(&self) -> Option<(Phase, String)> {
        self.headings.iter().rev().flatten().next().cloned()
    }
}

pub fn import(text: &str, name: &str, draft: &mut Draft) -> Result<(), Error> {
    let mut st = State::default();
    let lines = LineStarts::new(text);
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { level, .. }) => st.heading = Some((level as usize, String::new())),
            Event::End(TagEnd::Heading(_)) => end_heading(&mut st),
            Event::Start(Tag::CodeBlock(_)) => st.code = true,
            Event::End(TagEnd::CodeBlock) => st.code = false,
            Event::Start(Tag::List(_)) => {
                flush_open(&mut st);
                st.depth += 1;
            }
            Event::End(TagEnd::List(_)) => st.depth = st.depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                st.items.push(Item { text: String::new(), depth: st.depth, step: None, used: false })
            }
            Event::End(TagEnd::Item) => {
                flush_open(&mut st);
                st.items.pop();
            }
            Event::Start(Tag::Table(_)) => {
                st.table = Some(Vec::new());
                st.table_line = lines.line(range.start);
            }
            Event::End(TagEnd::Table) => end_table(&mut st, draft)?,
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(t) = st.table.as_mut() {
                    t.push(Row { number: t.len() + 1, cells: Vec::new() });
                }
            }
            Event::Start(Tag::TableCell) => st.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let cell = st.cell.take().unwrap_or_default();
                if let Some(row) = st.table.as_mut().and_then(|t| t.last_mut()) {
                    row.cells.push(cell);
                }
            }
            Event::Text(t) if !st.code => push_text(&mut st, &t, false),
            Event::Code(t) if !st.code => push_text(&mut st, &t, true),
            Event::SoftBreak | Event::HardBreak => push_text(&mut st, " ", false),
            _ => {}
        }
    }
    for (heading, items) in std::mem::take(&mut st.rollback_items) {
        let listed: Vec<String> = items.iter().map(|i| format!("“{}”", one_line(i))).collect();
        draft.note(
            NoteKind::Ignored,
            format!("the section “{}”", one_line(&heading)),
            format!(
                "a rollback section is no forward work; write each of its items as an `Undo:` item under the step it undoes: {}",
                listed.join(", ")
            ),
        );
    }
    draft.title = match st.title.take() {
        Some(t) => t,
        None => {
            draft.title_guess = Some("the file name: the text has no heading".into());
            crate::title_from(name)
        }
    };
    if !st.tables.is_empty() {
        if !st.steps.is_empty() {
            draft.note(
                NoteKind::Ignored,
                "",
                format!("{} list items: a table of steps was found, so the lists were not read", st.steps.len()),
            );
        }
        draft.steps = sheet::resolve(st.tables.into_iter().flatten().collect());
        return Ok(());
    }
    if st.steps.is_empty() {
        return Err(Error::new(format!(
            "`{name}` has no list items and no table of steps: expected a Markdown checklist (a numbered or bulleted list) or a table with a `do` or `task` column"
        )));
    }
    if st.steps.len() > retreat_core::limits::MAX_STEPS {
        return Err(Error::new(format!(
            "`{name}` has more than {} steps, the most a plan can have",
            retreat_core::limits::MAX_STEPS
        )));
    }
    let mut steps = st.steps;
    for s in &mut steps {
        infer_kind(s);
        s.guess("id", "generated");
    }
    crate::draft::settle_ids(&mut steps);
    draft.steps = steps;
    Ok(())
}

fn push_text(st: &mut State, t: &str, code: bool) {
    let piece = if code { format!("`{t}`") } else { t.to_string() };
    if let Some(cell) = st.cell.as_mut() {
        cell.push_str(&piece);
    } else if let Some((_, h)) = st.heading.as_mut() {
        h.push_str(&piece);
    } else if let Some(item) = st.items.last_mut().filter(|i| i.step.is_none() && !i.used) {
        item.text.push_str(&piece);
    }
}

fn end_heading(st: &mut State) {
    let Some((level, text)) = st.heading.take() else { return };
    let text = text.trim().to_string();
    if st.title.is_none() && !text.is_empty() {
        st.title = Some(text.clone());
    }
    let at = level.clamp(1, 6) - 1;
    for h in st.headings.iter_mut().skip(at) {
        *h = None;
    }
    for r in st.rollback.iter_mut().skip(at) {
        *r = None;
    }
    if let Some(slot) = st.rollback.get_mut(at) {
        *slot = is_rollback_heading(&text).then(|| text.clone());
    }
    if let Some(slot) = st.headings.get_mut(at) {
        *slot = phase_from_words(&text).map(|p| (p, text));
    }
}

/// `Rollback Plan`, `Backout`, `Back-out procedure`, `If it fails: revert`:
/// the section that undoes the change, which is no forward work.
fn is_rollback_heading(text: &str) -> bool {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "rollback" | "backout" | "revert" | "fallback")
            || (matches!(w.as_str(), "roll" | "back") && words.get(i + 1).is_some_and(|n| n == "back" || n == "out"))
    })
}

/// The innermost open item's text is complete (its nested list starts, or
/// it ends): it becomes a step, or its parent's undo or check.
fn flush_open(st: &mut State) {
    let phase = st.phase();
    let Some(item) = st.items.last_mut() else { return };
    if item.step.is_some() || item.used {
        return;
    }
    let text = item.text.trim().to_string();
    if text.is_empty() {
        item.used = true;
        return;
    }
    let depth = item.depth;
    let parent = st.items.iter().rev().skip(1).find(|i| i.depth < depth).and_then(|i| i.step);
    if let (Some(p), Some((kind, rest))) = (parent, prefixed(&text)) {
        if let Some(step) = st.steps.get_mut(p) {
            let (rest, takes) = trailing_duration(rest);
            match kind {
                "undo" if step.undo.is_none() => step.undo = Some(Undo { do_: rest, takes, ..Undo::default() }),
                "verify" if step.verify.is_none() => step.verify = Some(rest),
                _ => step.remarks.push(format!("a second `{kind}` item was not read: {}", one_line(&text))),
            }
        }
        if let Some(item) = st.items.last_mut() {
            item.used = true;
        }
        return;
    }
    if let Some(section) = st.rollback.iter().flatten().next().cloned() {
        match st.rollback_items.last_mut().filter(|(h, _)| *h == section) {
            Some((_, items)) => items.push(text),
            None => st.rollback_items.push((section, vec![text])),
        }
        if let Some(item) = st.items.last_mut() {
            item.used = true;
        }
        return;
    }
    let (do_, takes) = trailing_duration(&text);
    let mut step = Step { do_, takes, ..Step::default() };
    if let Some((p, heading)) = phase {
        step.phase = Some(p);
        step.guess("phase", format!("from the heading “{}”", one_line(&heading)));
    }
    st.steps.push(step);
    let index = st.steps.len() - 1;
    if let Some(item) = st.items.last_mut() {
        item.step = Some(index);
    }
}

/// `Undo: ...`, `Rollback: ...`, `Back out: ...`, `Verify: ...`.
fn prefixed(text: &str) -> Option<(&'static str, &str)> {
    let (head, rest) = text.split_once(':')?;
    let key: String = head.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    let kind = match key.as_str() {
        "undo" | "rollback" | "backout" | "revert" => "undo",
        "verify" | "check" => "verify",
        _ => return None,
    };
    let rest = rest.trim();
    (!rest.is_empty()).then_some((kind, rest))
}

/// `Stop the feed (15m)` → (`Stop the feed`, 15 minutes).
fn trailing_duration(text: &str) -> (String, Option<crate::draft::Takes>) {
    let t = text.trim();
    if let Some(body) = t.strip_suffix(')')
        && let Some(open) = body.rfind('(')
    {
        let before = body[..open].trim_end();
        if let Some(takes) = estimate(&body[open + 1..], 60).filter(|_| !before.is_empty()) {
            return (before.to_string(), Some(takes));
        }
    }
    (t.to_string(), None)
}

fn end_table(st: &mut State, draft: &mut Draft) -> Result<(), Error> {
    let Some(rows) = st.table.take() else { return Ok(()) };
    let has_do = rows.first().is_some_and(|r| r.cells.iter().any(|c| header(c).column == Some(Column::Do)));
    let what = format!("the table at line {}", st.table_line);
    if !has_do {
        draft.note(NoteKind::Ignored, what, "it has no `do` or `task` column, so it is no table of steps");
        return Ok(());
    }
    let phase = st.phase().map(|(p, _)| p);
    let pending = sheet::read(&rows, &what, phase, draft)?;
    st.tables.push(pending);
    Ok(())
}

/// Byte offsets of line starts, for line numbers.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        LineStarts(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}
