//! The draft as plan YAML: block style, one field a line, every string
//! quoted unless it reads back as exactly itself, and a comment on every
//! guess. The text is built to parse without a single P-code; the tests
//! hold it to that.

use std::fmt::Write;

use retreat_core::units::format_duration;
use retreat_core::yaml_scalar as scalar;

use crate::Format;
use crate::draft::{After, Draft, Note, Step, Takes, Undo};

/// The plan YAML for `draft`, read from `source` in `format`.
pub fn yaml(draft: &Draft, source: &str, format: Format) -> String {
    let mut out = String::with_capacity(256 + draft.steps.len() * 160);
    let _ =
        writeln!(out, "# Imported from {} ({}) by `retreat import`.", comment(&format!("`{source}`")), format.name());
    if draft.steps.iter().any(|s| !s.guesses.is_empty()) || draft.title_guess.is_some() {
        out.push_str("# Comments starting `guess:` mark what the source did not say; check them.\n");
    }
    for note in &draft.notes {
        out.push_str(&note_line(note));
    }
    out.push_str("version: 1\n");
    field(&mut out, 0, "title", &scalar(&draft.title), draft.title_guess.as_deref());
    out.push_str("steps:\n");
    for step in &draft.steps {
        write_step(&mut out, step);
    }
    out
}

/// `# guess: ...` for a note about the whole source.
fn note_line(note: &Note) -> String {
    let at = if note.at.is_empty() { String::new() } else { format!("{}: ", note.at) };
    format!("# {}: {}\n", note.kind.label(), comment(&format!("{at}{}", note.message)))
}

fn write_step(out: &mut String, step: &Step) {
    for remark in &step.remarks {
        let _ = writeln!(out, "  # {}", comment(remark));
    }
    let guess = |field: &str| -> Option<String> {
        let all: Vec<&str> = step.guesses.iter().filter(|(f, _)| *f == field).map(|(_, g)| g.as_str()).collect();
        (!all.is_empty()).then(|| all.join("; "))
    };
    let line = |out: &mut String, name: &str, value: &str| field(out, 4, name, value, guess(name).as_deref());
    out.push_str("  - ");
    field(out, 0, "id", &scalar(&step.id), guess("id").as_deref());
    if let Some(phase) = step.phase {
        line(out, "phase", phase.as_str());
    }
    if let Some(kind) = step.kind {
        line(out, "kind", kind.as_str());
    }
    match &step.after {
        After::Previous => {
            if let Some(g) = guess("after") {
                let _ = writeln!(out, "    # after: {}", comment(&g));
            }
        }
        After::Ids(ids) => line(out, "after", &flow(ids)),
    }
    line(out, "do", &scalar(&step.do_));
    if let Some(takes) = step.takes {
        line(out, "takes", &estimate(takes));
    } else if let Some(g) = guess("takes") {
        let _ = writeln!(out, "    # takes: {}", comment(&g));
    }
    if let Some(owner) = &step.owner {
        line(out, "owner", &scalar(owner));
    }
    if !step.tags.is_empty() {
        line(out, "tags", &flow(&step.tags));
    }
    if let Some(verify) = &step.verify {
        line(out, "verify", &scalar(verify));
    }
    if !step.sets.is_empty() {
        line(out, "sets", &states(&step.sets));
    }
    if !step.destroys.is_empty() {
        line(out, "destroys", &flow(&step.destroys));
    }
    if !step.backs_up.is_empty() {
        line(out, "backs_up", &flow(&step.backs_up));
    }
    match &step.undo {
        Some(undo) => write_undo(out, undo, guess("undo").as_deref()),
        None => {
            if let Some(g) = guess("undo") {
                let _ = writeln!(out, "    # undo: {}", comment(&g));
            }
        }
    }
    if let Some(why) = &step.irreversible {
        line(out, "irreversible", &scalar(why));
    }
    if !step.allow.is_empty() {
        out.push_str("    allow:\n");
        for (code, reason) in &step.allow {
            let _ = writeln!(out, "      {}: {}", scalar(code), scalar(reason));
        }
    }
}

fn write_undo(out: &mut String, undo: &Undo, guess: Option<&str>) {
    match guess {
        Some(g) => {
            let _ = writeln!(out, "    undo:  # guess: {}", comment(g));
        }
        None => out.push_str("    undo:\n"),
    }
    let _ = writeln!(out, "      do: {}", scalar(&undo.do_));
    if let Some(takes) = undo.takes {
        let _ = writeln!(out, "      takes: {}", estimate(takes));
    }
    if !undo.sets.is_empty() {
        let _ = writeln!(out, "      sets: {}", states(&undo.sets));
    }
    if !undo.needs.is_empty() {
        let _ = writeln!(out, "      needs: {}", flow(&undo.needs));
    }
    if let Some(owner) = &undo.owner {
        let _ = writeln!(out, "      owner: {}", scalar(owner));
    }
}

/// `name: value`, indented, with the guess as a comment.
fn field(out: &mut String, indent: usize, name: &str, value: &str, guess: Option<&str>) {
    let _ = write!(out, "{:indent$}{name}: {value}", "");
    if let Some(g) = guess {
        let _ = write!(out, "  # guess: {}", comment(g));
    }
    out.push('\n');
}

fn estimate(takes: Takes) -> String {
    let d = |s: u64| format_duration(retreat_core::model::Duration(s));
    match takes {
        Takes::Fixed(s) => d(s),
        Takes::ThreePoint(b, l, w) => format!("[{}, {}, {}]", d(b), d(l), d(w)),
    }
}

fn flow(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| scalar(i)).collect();
    format!("[{}]", items.join(", "))
}

fn states(sets: &[(String, String)]) -> String {
    let pairs: Vec<String> = sets.iter().map(|(r, s)| format!("{}: {}", scalar(r), scalar(s))).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Comment text: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
