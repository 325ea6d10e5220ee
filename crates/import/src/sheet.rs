//! A table of steps, one row each, as a spreadsheet (`csv.rs`) or a
//! Markdown table (`markdown.rs`) gives it: the header row names the
//! columns, a units row may follow, empty rows are skipped, and a row with
//! a phase's name alone starts that phase.

use std::collections::HashMap;

use retreat_core::limits::MAX_STEPS;
use retreat_core::model::Phase;

use crate::Error;
use crate::columns::{COLUMNS, Column, header};
use crate::draft::{
    After, Draft, NoteKind, Step, Takes, Undo, kind_from_cell, kind_from_words, one_line, phase_from_cell,
    phase_from_words,
};
use crate::units::{estimate, unit_secs};

/// One row: its number as the source counts rows (1-based), and its cells.
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// A step read from a row, with its `after` cell still as written: the
/// cell may name rows or ids of steps further down.
pub struct Pending {
    pub step: Step,
    pub after: Option<String>,
    /// The id as written, for references.
    pub written_id: Option<String>,
}

/// Where a sheet's columns are.
struct Layout {
    /// Column index → field and the unit of its bare numbers.
    columns: Vec<Option<(Column, u64)>>,
    by_field: HashMap<Column, usize>,
    headers: Vec<String>,
}

/// Reads `rows` (the header first) into steps; `what` names the table in
/// messages (`the spreadsheet`, `the table at line 4`); `phase` is the
/// phase the rows start in (a Markdown heading's).
pub fn read(rows: &[Row], what: &str, phase: Option<Phase>, draft: &mut Draft) -> Result<Vec<Pending>, Error> {
    let mut rows = rows.iter().skip_while(|r| is_blank(r)).peekable();
    let Some(head) = rows.next() else {
        return Err(Error::new(format!(
            "{what} is empty: expected a header row naming the columns, such as `id, do, after, takes`"
        )));
    };
    let mut layout = layout(head, what, rows.clone().collect::<Vec<_>>().as_slice())?;
    note_ignored(&layout, head, draft);
    // A units row right under the header.
    if let Some(next) = rows.peek()
        && is_units_row(next)
    {
        for (i, cell) in next.cells.iter().enumerate() {
            if let (Some(unit), Some(Some((c, u)))) = (unit_secs(cell), layout.columns.get_mut(i))
                && c.is_duration()
            {
                *u = unit;
            }
        }
        draft.note(
            NoteKind::Ignored,
            format!("row {}", next.number),
            "a units row: its units apply to the numbers below",
        );
        rows.next();
    }
    let mut out = Vec::new();
    let mut section: Option<(Phase, usize)> = None;
    let mut blank = Vec::new();
    for row in rows {
        if is_blank(row) {
            blank.push(row.number.to_string());
            continue;
        }
        if let Some(p) = section_row(row, &layout) {
            section = Some((p, row.number));
            draft.note(
                NoteKind::Ignored,
                format!("row {}", row.number),
                format!("a section row: the steps below are `{}`", p.as_str()),
            );
            continue;
        }
        if out.len() >= MAX_STEPS {
            return Err(Error::new(format!("{what} has more than {MAX_STEPS} steps, the most a plan can have")));
        }
        out.push(step(row, &layout, what, section.or(phase.map(|p| (p, 0))))?);
    }
    if !blank.is_empty() {
        let list = match blank.len() {
            1 => format!("row {} of {what} is", blank.join("")),
            2..=5 => format!("rows {} of {what} are", blank.join(", ")),
            n => format!("{n} rows of {what} are"),
        };
        draft.note(NoteKind::Ignored, "", format!("{list} empty"));
    }
    layout.headers.clear();
    Ok(out)
}

fn is_blank(row: &Row) -> bool {
    row.cells.iter().all(|c| c.trim().is_empty())
}

fn cell<'r>(row: &'r Row, layout: &Layout, c: Column) -> Option<&'r str> {
    let i = *layout.by_field.get(&c)?;
    row.cells.get(i).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn unit_of(layout: &Layout, c: Column) -> u64 {
    layout.by_field.get(&c).and_then(|&i| layout.columns.get(i)).and_then(|x| x.map(|(_, u)| u)).unwrap_or(60)
}

/// The columns of the header row; an error when it is no header, saying
/// which later row looks like one.
fn layout(head: &Row, what: &str, rest: &[&Row]) -> Result<Layout, Error> {
    let headers: Vec<_> = head.cells.iter().map(|c| header(c)).collect();
    let known = |hs: &[crate::columns::Header]| hs.iter().filter(|h| h.column.is_some()).count();
    let has_do = |hs: &[crate::columns::Header]| hs.iter().any(|h| h.column == Some(Column::Do));
    if !has_do(&headers) {
        let later = rest.iter().take(50).find(|r| {
            let hs: Vec<_> = r.cells.iter().map(|c| header(c)).collect();
            has_do(&hs) && known(&hs) >= 2
        });
        if let Some(row) = later {
            let names: Vec<String> = row
                .cells
                .iter()
                .filter(|c| !c.trim().is_empty())
                .take(4)
                .map(|c| format!("`{}`", one_line(c)))
                .collect();
            return Err(Error::new(format!(
                "row {} of {what} looks like the header row ({}), but the header must be the first row: delete the rows above it",
                row.number,
                names.join(", ")
            )));
        }
        let first: Vec<String> =
            head.cells.iter().filter(|c| !c.trim().is_empty()).take(4).map(|c| format!("`{}`", one_line(c))).collect();
        let names: Vec<&str> =
            COLUMNS.iter().find(|(c, _)| *c == Column::Do).map(|(_, n)| *n).unwrap_or_default().to_vec();
        return Err(Error::new(if known(&headers) > 0 {
            format!("{what} has no column for what each step does: name one `{}`", names.join("`, `"))
        } else {
            format!(
                "{what} has no header row: expected a first row naming the columns, such as `id, do, after, takes`, found {}",
                first.join(", ")
            )
        }));
    }
    let mut columns = Vec::new();
    let mut by_field = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let taken = h.column.is_some_and(|c| by_field.contains_key(&c));
        match h.column.filter(|_| !taken) {
            Some(c) => {
                by_field.insert(c, i);
                columns.push(Some((c, h.unit.unwrap_or(60))));
            }
            None => columns.push(None),
        }
    }
    Ok(Layout { columns, by_field, headers: head.cells.clone() })
}

/// Notes for the header cells that give no field.
fn note_ignored(layout: &Layout, head: &Row, draft: &mut Draft) {
    for (i, name) in head.cells.iter().enumerate() {
        let h = header(name);
        let at = format!("column {} `{}`", i + 1, one_line(name));
        match (layout.columns.get(i).copied().flatten(), h.column) {
            (Some(_), _) => {
                if crate::columns::counts_seconds(name) && h.unit == Some(1) {
                    draft.note(NoteKind::Guess, at.clone(), "Jira's export counts it in seconds");
                }
                if let Some(odd) = h.odd_unit.filter(|_| h.column.is_some_and(Column::is_duration)) {
                    draft.note(
                        NoteKind::Guess,
                        at,
                        format!("`({})` is no unit; bare numbers are minutes", one_line(&odd)),
                    );
                }
            }
            (None, Some(c)) => {
                let first =
                    layout.by_field.get(&c).and_then(|&j| layout.headers.get(j)).map_or(String::new(), |n| one_line(n));
                draft.note(NoteKind::Ignored, at, format!("column `{first}` already gives `{}`", c.field()));
            }
            (None, None) if name.trim().is_empty() => {
                draft.note(NoteKind::Ignored, format!("column {}", i + 1), "it has no header");
            }
            (None, None) => draft.note(NoteKind::Ignored, at, "no step field has that name"),
        }
    }
}

/// A row whose cells are all units (`min`, `(h)`), at least one.
fn is_units_row(row: &Row) -> bool {
    let filled: Vec<&String> = row.cells.iter().filter(|c| !c.trim().is_empty()).collect();
    !filled.is_empty() && filled.iter().all(|c| unit_secs(c).is_some())
}

/// A row with one cell naming a phase, such as `Preparation`, and nothing else.
fn section_row(row: &Row, layout: &Layout) -> Option<Phase> {
    let filled: Vec<(usize, &String)> = row.cells.iter().enumerate().filter(|(_, c)| !c.trim().is_empty()).collect();
    let &[(i, text)] = filled.as_slice() else { return None };
    let in_do = layout.by_field.get(&Column::Do) == Some(&i);
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let filler = |w: &String| {
        w.chars().all(|c| c.is_ascii_digit()) || matches!(w.as_str(), "phase" | "steps" | "stage" | "part")
    };
    let headingish = words.len() <= 3 && words.iter().all(|w| filler(w) || phase_from_words(w).is_some());
    if in_do && !headingish {
        return None;
    }
    (words.len() <= 4).then(|| phase_from_words(text)).flatten()
}

/// Words that mean "nothing here" in a cell.
pub fn is_none_word(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "" | "-" | "—" | "–" | "n/a" | "na" | "none" | "nil" | "[]")
}

fn step(row: &Row, layout: &Layout, what: &str, phase: Option<(Phase, usize)>) -> Result<Pending, Error> {
    let n = row.number;
    let Some(do_) = cell(row, layout, Column::Do) else {
        let name =
            layout.by_field.get(&Column::Do).and_then(|&i| layout.headers.get(i)).map_or("do".into(), |h| one_line(h));
        return Err(Error::new(format!(
            "row {n} of {what} has no `{name}`: every step needs one; fill it in or delete the row"
        )));
    };
    let mut s = Step { do_: do_.to_string(), ..Step::default() };
    let written_id = cell(row, layout, Column::Id).map(str::to_string);
    match &written_id {
        Some(id) => s.id = id.clone(),
        None if layout.by_field.contains_key(&Column::Id) => s.guess("id", format!("generated: row {n} gives none")),
        None => s.guess("id", "generated: no id column"),
    }
    takes(&mut s, row, layout);
    s.owner = cell(row, layout, Column::Owner).map(str::to_string);
    s.verify = cell(row, layout, Column::Verify).map(str::to_string);
    match cell(row, layout, Column::Phase) {
        Some(p) => match phase_from_cell(p) {
            Some(p) => s.phase = Some(p),
            None => s.guess("phase", format!("`{}` is no phase; the step stays in `implement`", one_line(p))),
        },
        None => {
            if let Some((p, from)) = phase {
                s.phase = Some(p);
                if from > 0 {
                    s.guess("phase", format!("from the section row {from}"));
                } else {
                    s.guess("phase", "from the heading above the table");
                }
            }
        }
    }
    undo(&mut s, row, layout);
    irreversible(&mut s, row, layout);
    s.tags = list(cell(row, layout, Column::Tags));
    s.destroys = list(cell(row, layout, Column::Destroys));
    s.backs_up = list(cell(row, layout, Column::BacksUp));
    s.sets = pairs(cell(row, layout, Column::Sets), &mut s.guesses, "sets");
    s.allow = allow(cell(row, layout, Column::Allow), &mut s.guesses);
    kind(&mut s, row, layout);
    Ok(Pending { step: s, after: cell(row, layout, Column::After).map(str::to_string), written_id })
}

fn takes(s: &mut Step, row: &Row, layout: &Layout) {
    let read = |c: Column| cell(row, layout, c).map(|t| (t, estimate(t, unit_of(layout, c))));
    let fixed = |r: Option<(&str, Option<Takes>)>| {
        r.and_then(|(_, t)| match t {
            Some(Takes::Fixed(x)) => Some(x),
            _ => None,
        })
    };
    let (b, l, w) = (read(Column::Best), read(Column::Likely), read(Column::Worst));
    let given = read(Column::Takes);
    match (fixed(b), fixed(l), fixed(w)) {
        (Some(b), Some(l), Some(w)) if b <= l && l <= w => {
            s.takes = Some(Takes::ThreePoint(b, l, w));
            if given.is_some() {
                s.guess("takes", "the best, likely and worst columns, not the single duration");
            }
            return;
        }
        (Some(_), Some(_), Some(_)) => s.guess("takes", "best, likely and worst are out of order; not used"),
        _ if b.is_some() || w.is_some() || (l.is_some() && given.is_some()) => {
            s.guess("takes", "best, likely and worst need all three; not used");
        }
        _ => {}
    }
    match given.or(l) {
        Some((_, Some(t))) => s.takes = Some(t),
        Some((text, None)) => s.guess("takes", format!("`{}` is no duration; left out", one_line(text))),
        None => {}
    }
}

fn undo(s: &mut Step, row: &Row, layout: &Layout) {
    let mut text = cell(row, layout, Column::Undo).filter(|t| !is_none_word(t));
    let takes_cell = cell(row, layout, Column::UndoTakes);
    match text.map(says_no_undo) {
        Some(NoUndo::Impossible) => {
            let said = one_line(text.unwrap_or_default());
            s.irreversible = Some(said.clone());
            s.guess("irreversible", format!("the undo cell says `{said}`: read as no way back"));
            text = None;
        }
        Some(NoUndo::None) => {
            s.guess("undo", format!("the undo cell says `{}`: read as no undo", one_line(text.unwrap_or_default())));
            text = None;
        }
        Some(NoUndo::Undo) | None => {}
    }
    let Some(text) = text else {
        if takes_cell.is_some() {
            s.guess("undo", "the row gives an undo duration but no undo; left out");
        }
        return;
    };
    let mut u = Undo { do_: text.to_string(), ..Undo::default() };
    if let Some(t) = takes_cell {
        match estimate(t, unit_of(layout, Column::UndoTakes)) {
            Some(t) => u.takes = Some(t),
            None => s.guess("undo", format!("undo duration `{}` is no duration; left out", one_line(t))),
        }
    }
    u.sets = pairs(cell(row, layout, Column::UndoSets), &mut s.guesses, "undo");
    u.needs = list(cell(row, layout, Column::UndoNeeds))
        .iter()
        .map(|n| crate::draft::id_from(n))
        .filter(|n| !n.is_empty())
        .collect();
    u.owner = cell(row, layout, Column::UndoOwner).map(str::to_string);
    s.undo = Some(u);
}

/// What an undo cell in words says of the undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NoUndo {
    /// The step cannot be undone (`Irreversible`, `Not possible, data is gone`).
    Impossible,
    /// There is none (`No rollback`, `N/A - not needed`).
    None,
    /// An undo to do.
    Undo,
}

/// Reads a backout cell as people write "there is none" in it: a sheet
/// with a backout column says so on the rows it cannot back out, and
/// taking those words for the undo would hide the step R001 is for.
fn says_no_undo(text: &str) -> NoUndo {
    // The words that matter open the cell: a long undo text costs no more.
    let t: String = text.trim().chars().take(48).flat_map(char::to_lowercase).collect();
    let first = t.split(|c: char| c.is_whitespace() || c == ',' || c == ':').next().unwrap_or_default();
    let none_first = matches!(first, "none" | "n/a" | "na" | "n.a." | "nil" | "no");
    // The words that follow a leading "N/A -" say why there is none.
    let why = if none_first { &t[first.len()..] } else { &t[..] };
    let why = why.trim_start_matches(|c: char| c.is_whitespace() || "-–—:,.(".contains(c));
    const IMPOSSIBLE: &[&str] = &[
        "irreversible",
        "not reversible",
        "cannot be undone",
        "can't be undone",
        "can not be undone",
        "cannot be reversed",
        "can't be reversed",
        "cannot be rolled back",
        "can't be rolled back",
        "not possible",
        "impossible",
        "no way back",
    ];
    if IMPOSSIBLE.iter().any(|p| why.starts_with(p)) {
        return NoUndo::Impossible;
    }
    const NONE: &[&str] = &["rollback", "backout", "back out", "back-out", "undo", "applicable", "required", "needed"];
    if (none_first && (why.is_empty() || first != "no" || NONE.iter().any(|p| why.starts_with(p))))
        || t.starts_with("not applicable")
        || t.starts_with("not required")
        || t.starts_with("not needed")
    {
        return NoUndo::None;
    }
    NoUndo::Undo
}

fn irreversible(s: &mut Step, row: &Row, layout: &Layout) {
    let Some(text) = cell(row, layout, Column::Irreversible) else { return };
    match text.to_lowercase().as_str() {
        "no" | "n" | "false" | "0" | "-" | "n/a" => {}
        "yes" | "y" | "true" | "x" | "1" | "✓" | "✔" => {
            s.irreversible = Some("Marked irreversible in the source, without a reason".into());
            s.guess("irreversible", format!("the source says only `{text}`: write why there is no way back"));
        }
        _ => s.irreversible = Some(text.to_string()),
    }
}

/// The kind from its column, else from the step's first words.
fn kind(s: &mut Step, row: &Row, layout: &Layout) {
    if let Some(k) = cell(row, layout, Column::Kind) {
        match kind_from_cell(k) {
            Some(kind) => s.kind = Some(kind),
            None => s.guess("kind", format!("`{}` is no kind; the step counts as a `change`", one_line(k))),
        }
        return;
    }
    infer_kind(s);
}

/// A step with no kind given: its first words may say it is a check, a
/// notification, a go/no-go or a backup. A step with an undo is a change.
pub fn infer_kind(s: &mut Step) {
    if s.kind.is_some() || s.undo.is_some() || s.irreversible.is_some() {
        return;
    }
    if let Some((kind, words)) = kind_from_words(&s.do_) {
        s.kind = Some(kind);
        s.guess("kind", format!("from the words “{words}”"));
    }
}

/// A list cell: one item a line when it has line breaks, else split on
/// `,` and `;`.
pub fn list(cell: Option<&str>) -> Vec<String> {
    let Some(text) = cell else { return Vec::new() };
    let parts: Vec<&str> = if text.contains('\n') { text.lines().collect() } else { text.split([',', ';']).collect() };
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// `resource: state` entries (also `resource = state`, `resource -> state`).
fn pairs(cell: Option<&str>, guesses: &mut Vec<(&'static str, String)>, field: &'static str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for item in list(cell) {
        let split = item.split_once("->").or_else(|| item.split_once(':')).or_else(|| item.split_once('='));
        match split.map(|(r, s)| (r.trim(), s.trim())) {
            Some((r, s)) if !r.is_empty() && !s.is_empty() && !out.iter().any(|(x, _)| x == r) => {
                out.push((r.to_string(), s.to_string()));
            }
            _ => guesses.push((field, format!("`{}` is no `resource: state`; left out", one_line(&item)))),
        }
    }
    out
}

/// `CODE: reason` entries, one a line.
fn allow(cell: Option<&str>, guesses: &mut Vec<(&'static str, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in cell.unwrap_or_default().lines().map(str::trim).filter(|l| !l.is_empty()) {
        let known = |code: &str| retreat_core::RULES.iter().any(|r| r.code == code && !code.starts_with('P'));
        match line.split_once(':').map(|(c, r)| (c.trim().to_ascii_uppercase(), r.trim())) {
            Some((code, reason)) if known(&code) && !reason.is_empty() && !out.iter().any(|(c, _)| *c == code) => {
                out.push((code, reason.to_string()));
            }
            _ => guesses.push(("allow", format!("`{}` is no `CODE: reason` for a rule; left out", one_line(line)))),
        }
    }
    out
}

/// The task number of an MS Project or Smartsheet link such as `3FS`,
/// `3FS+5 min` or `6 SS-1d`: the plan format has no link types or lags.
fn project_link(part: &str) -> Option<&str> {
    let part = part.trim();
    let digits = part.find(|c: char| !c.is_ascii_digit())?;
    let rest = part[digits..].trim_start();
    let kind = rest.get(..2)?.to_ascii_uppercase();
    let after = rest[2..].trim_start();
    (digits > 0
        && matches!(kind.as_str(), "FS" | "SS" | "FF" | "SF")
        && (after.is_empty() || after.starts_with(['+', '-'])))
    .then(|| &part[..digits])
}

/// Settles the ids, then reads each `after` cell: ids, or row numbers
/// counted among the steps (`3` is the third step), separated by `,`, `;`
/// or spaces. An empty cell is the previous step, as in a plan.
pub fn resolve(pending: Vec<Pending>) -> Vec<Step> {
    type Cells = Vec<(Option<String>, Option<String>)>;
    let (mut steps, rest): (Vec<Step>, Cells) = pending.into_iter().map(|p| (p.step, (p.after, p.written_id))).unzip();
    crate::draft::settle_ids(&mut steps);
    let mut by_written: HashMap<String, usize> = HashMap::new();
    for (i, (_, written)) in rest.iter().enumerate() {
        if let Some(w) = written {
            by_written.entry(w.trim().to_string()).or_insert(i);
        }
        by_written.entry(steps[i].id.clone()).or_insert(i);
    }
    let ids: Vec<String> = steps.iter().map(|s| s.id.clone()).collect();
    for (i, (after, _)) in rest.into_iter().enumerate() {
        let Some(text) = after else { continue };
        if is_none_word(&text) && !by_written.contains_key(text.trim()) {
            steps[i].after = After::Ids(Vec::new());
            continue;
        }
        let mut out: Vec<String> = Vec::new();
        let mut tokens: Vec<&str> = Vec::new();
        for part in text.split([',', ';']) {
            match project_link(part) {
                Some(number) => {
                    let said = one_line(part.trim());
                    steps[i].guess(
                        "after",
                        format!("`{said}` read as after `{number}`: the link type and lag are not kept"),
                    );
                    tokens.push(number);
                }
                None => tokens.extend(part.split_whitespace()),
            }
        }
        for token in tokens {
            let target = by_written.get(token).copied().or_else(|| {
                let n: usize = token.trim_end_matches('.').parse().ok()?;
                (1..=ids.len()).contains(&n).then(|| n - 1)
            });
            let id = match target {
                Some(t) if t == i => {
                    steps[i].guess("after", format!("`{token}` would make the step wait for itself; left out"));
                    continue;
                }
                Some(t) => {
                    if !by_written.contains_key(token) {
                        steps[i].guess("after", format!("`{token}` read as step number {token}"));
                    }
                    ids[t].clone()
                }
                None => {
                    let id = crate::draft::id_from(token);
                    if id.is_empty() {
                        continue;
                    }
                    steps[i].guess("after", format!("no step `{}` in the source", one_line(token)));
                    id
                }
            };
            if !out.contains(&id) {
                out.push(id);
            }
        }
        steps[i].after = After::Ids(out);
    }
    steps
}
