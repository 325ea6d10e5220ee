//! The plan being built, before it is written as YAML: every format fills a
//! [`Draft`], and `write.rs` turns it into text. Each guess the importer
//! makes is kept beside the field it concerns, so the YAML can say it there.

use retreat_core::model::{Kind, Phase};

/// A duration in whole seconds, or three of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    Fixed(u64),
    ThreePoint(u64, u64, u64),
}

/// What a step waits for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum After {
    /// Not said: the previous step, as in a plan (`after` is left out).
    #[default]
    Previous,
    /// These ids (none: `after: []`).
    Ids(Vec<String>),
}

#[derive(Clone, Debug, Default)]
pub struct Undo {
    pub do_: String,
    pub takes: Option<Takes>,
    pub sets: Vec<(String, String)>,
    pub needs: Vec<String>,
    pub owner: Option<String>,
}

/// One step of the draft. `None` and empty fields are left out of the YAML.
#[derive(Clone, Debug, Default)]
pub struct Step {
    pub id: String,
    pub do_: String,
    pub phase: Option<Phase>,
    pub kind: Option<Kind>,
    pub after: After,
    pub takes: Option<Takes>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub verify: Option<String>,
    pub sets: Vec<(String, String)>,
    pub destroys: Vec<String>,
    pub backs_up: Vec<String>,
    pub undo: Option<Undo>,
    pub irreversible: Option<String>,
    pub allow: Vec<(String, String)>,
    /// Guesses about one field, by the field's name in the plan (`id`,
    /// `kind`, ...), written as a comment on that field's line.
    pub guesses: Vec<(&'static str, String)>,
    /// What could not be imported about this step, written as a comment
    /// above it.
    pub remarks: Vec<String>,
}

impl Step {
    pub fn guess(&mut self, field: &'static str, why: impl Into<String>) {
        self.guesses.push((field, why.into()));
    }
}

/// What the importer tells about the whole import: a guess it made, a part
/// of the source it left out, or something it could not import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// Where: a row, a file, a step (`step \`s3\``), or empty for the whole source.
    pub at: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// A value the source did not give, or gave in a form the plan reads
    /// otherwise: an id made up, a kind read from the words.
    Guess,
    /// A part of the source left out on purpose (a column the plan has no
    /// field for, an empty row).
    Ignored,
    /// Something the source says that the plan cannot hold (a dependency
    /// on another project, a repeatable migration, a missing include).
    NotImported,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Guess => "guess",
            NoteKind::Ignored => "ignored",
            NoteKind::NotImported => "not imported",
        }
    }
}

/// The plan being built.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub title: String,
    /// Why the title is what it is, when it was not written as one.
    pub title_guess: Option<String>,
    pub steps: Vec<Step>,
    /// Notes about the whole source, written at the top of the YAML.
    pub notes: Vec<Note>,
}

impl Draft {
    pub fn note(&mut self, kind: NoteKind, at: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note { kind, at: at.into(), message: message.into() });
    }
}

/// `text` as a step id: characters ids may not hold become `-` (runs of
/// them one `-`), and the ends are trimmed of `-`. Empty when nothing is left.
pub fn id_from(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Makes every id in `steps` valid and unique: an id that had to be changed
/// or was taken already gets a guess saying so. Returns, for each step, the
/// id as the source wrote it, so references can be mapped.
pub fn settle_ids(steps: &mut [Step]) {
    let mut taken = std::collections::HashSet::new();
    for (i, step) in steps.iter_mut().enumerate() {
        let written = std::mem::take(&mut step.id);
        let mut id = id_from(&written);
        if id.is_empty() {
            id = format!("s{}", i + 1);
            if !written.trim().is_empty() {
                step.guess("id", format!("`{}` has no character an id may hold", one_line(&written)));
            }
        } else if id != written {
            step.guess(
                "id",
                format!("written `{}`; ids hold only letters, digits, `_`, `.` and `-`", one_line(&written)),
            );
        }
        if taken.contains(&id.to_ascii_lowercase()) {
            let base = id.clone();
            let mut n = 2;
            while taken.contains(&format!("{base}-{n}").to_ascii_lowercase()) {
                n += 1;
            }
            id = format!("{base}-{n}");
            step.guess("id", format!("`{base}` is the id of an earlier step"));
        }
        taken.insert(id.to_ascii_lowercase());
        step.id = id;
    }
}

/// `text` on one line, cut to a length a comment can hold.
pub fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat: String = flat.chars().filter(|c| !c.is_control()).collect();
    if flat.chars().count() > 60 { format!("{}…", flat.chars().take(59).collect::<String>()) } else { flat }
}

/// The kind a step's words suggest, for a step whose source gives none:
/// the first words of a checklist item usually say what it is. `None`
/// means nothing suggests anything but a change.
pub fn kind_from_words(text: &str) -> Option<(Kind, String)> {
    let lower = text.trim().to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| c.is_whitespace() || c == ':' || c == ',').filter(|w| !w.is_empty()).take(3).collect();
    let first = *words.first()?;
    let said = |n: usize| words.iter().take(n).copied().collect::<Vec<_>>().join(" ");
    let go_no_go = ["go/no-go", "go/no", "go-no-go", "go/nogo", "go-nogo", "no-go"];
    if go_no_go.iter().any(|g| lower.starts_with(g)) || first == "decide" || first == "decision" {
        return Some((Kind::Decision, said(1)));
    }
    if first == "backup" || first == "snapshot" || (first == "back" && words.get(1) == Some(&"up")) {
        return Some((Kind::Backup, said(if first == "back" { 2 } else { 1 })));
    }
    const CHECK: [&str; 10] =
        ["check", "verify", "confirm", "test", "validate", "ensure", "compare", "review", "inspect", "record"];
    if CHECK.contains(&first) {
        return Some((Kind::Check, said(1)));
    }
    const NOTIFY: [&str; 7] = ["notify", "email", "e-mail", "tell", "inform", "announce", "communicate"];
    if NOTIFY.contains(&first) {
        return Some((Kind::Notify, said(1)));
    }
    None
}

/// The phase a heading, a section row or a cell names: the first of its
/// words that is a phase's name.
pub fn phase_from_words(text: &str) -> Option<Phase> {
    let lower = text.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).find_map(|w| match w {
        "prep" | "preparation" | "preparations" | "prepare" | "pre" => Some(Phase::Prep),
        "implement" | "implementation" | "execution" | "cutover" => Some(Phase::Implement),
        "verify" | "verification" | "testing" | "tests" | "validation" => Some(Phase::Verify),
        "post" | "followup" | "aftercare" => Some(Phase::Post),
        _ => None,
    })
}

/// A cell's phase: a phase's own name, or one of the words headings use.
pub fn phase_from_cell(text: &str) -> Option<Phase> {
    let t = text.trim().to_lowercase();
    Phase::ALL.iter().find(|(name, _)| *name == t).map(|(_, p)| *p).or_else(|| phase_from_words(&t))
}

/// A cell's kind: a kind's own name, or a word spreadsheets use for it.
pub fn kind_from_cell(text: &str) -> Option<Kind> {
    let t: String = text.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    if let Some((_, k)) = Kind::ALL.iter().find(|(name, _)| *name == t) {
        return Some(*k);
    }
    match t.as_str() {
        "task" | "step" | "action" | "changes" => Some(Kind::Change),
        "test" | "verify" | "verification" | "validation" | "checks" => Some(Kind::Check),
        "notification" | "communication" | "comms" | "message" => Some(Kind::Notify),
        "gonogo" | "go" | "decide" | "gate" => Some(Kind::Decision),
        "backups" | "snapshot" => Some(Kind::Backup),
        _ => None,
    }
}
