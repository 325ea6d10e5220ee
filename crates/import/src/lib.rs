//! `retreat-import`: plans from where they live. A spreadsheet (CSV), a
//! Markdown checklist, a Sqitch plan, a Liquibase changelog or a Flyway
//! directory goes in as bytes with file names; plan YAML comes out, with a
//! comment on every guess, and the list of guesses and of what could not
//! be imported. No IO: the command line reads the files, the app hands
//! over what was pasted or dropped, and the same code runs in both.
//!
//! Each format fills a [`draft::Draft`] (`csv.rs` and `markdown.rs` through
//! the spreadsheet reader `sheet.rs`, `sqitch.rs`, `liquibase/`,
//! `flyway.rs`); `write.rs` writes it. An input that cannot be read whole
//! is an [`Error`]: never half a plan passed off as a whole one.

mod columns;
mod csv;
mod draft;
mod flyway;
pub mod limits;
mod liquibase;
mod markdown;
mod sheet;
mod sqitch;
mod sql;
mod units;
mod write;

use std::collections::BTreeMap;
use std::fmt;

pub use columns::COLUMNS;
pub use draft::{Note, NoteKind};
pub use liquibase::AUTO_ROLLBACK;

/// The formats, as `--from` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Markdown,
    Sqitch,
    Liquibase,
    Flyway,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Csv, Format::Markdown, Format::Sqitch, Format::Liquibase, Format::Flyway];

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Sqitch => "sqitch",
            Format::Liquibase => "liquibase",
            Format::Flyway => "flyway",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name || (name == "md" && *f == Format::Markdown))
    }

    /// Whether a file of this format needs the files beside it (scripts,
    /// included changelogs, other migrations).
    pub fn reads_directory(self) -> bool {
        matches!(self, Format::Sqitch | Format::Liquibase | Format::Flyway)
    }
}

/// One file handed over: its path inside what was given (`/`-separated)
/// and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// What to import.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    /// The name of the file or directory given (its last part gives the
    /// title when the source has none); empty for pasted text.
    pub name: &'a str,
    /// The files: one for a file, every file of a directory (or of the
    /// directory of a file whose format reads the files beside it).
    pub files: Vec<Source<'a>>,
    /// The file given, among `files`; `None` for a directory.
    pub main: Option<&'a str>,
}

/// The files by path.
pub(crate) type Files<'a> = BTreeMap<&'a str, &'a [u8]>;

/// An imported plan.
#[derive(Clone, Debug)]
pub struct Imported {
    pub format: Format,
    /// The plan, as YAML with a comment on every guess.
    pub yaml: String,
    pub steps: usize,
    /// Every guess and every part left out, in the order of the plan.
    pub notes: Vec<Note>,
}

/// Why an input could not be imported: a sentence naming what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Error {
        Error(message.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Imports `input`, in `from` or the format its names and content show.
pub fn import(input: &Input, from: Option<Format>) -> Result<Imported, Error> {
    let files: Files = input.files.iter().map(|s| (s.path, s.bytes)).collect();
    if let Some((path, bytes)) = files.iter().find(|(_, b)| b.len() > limits::MAX_FILE_BYTES) {
        return Err(Error::new(format!(
            "`{path}` is larger than {} MiB ({} bytes), the most a plan is read from",
            limits::MAX_FILE_BYTES >> 20,
            bytes.len()
        )));
    }
    let (format, main) = match input.main {
        Some(main) => {
            let bytes =
                files.get(main).copied().ok_or_else(|| Error::new(format!("`{main}` is not among the files given")))?;
            (
                match from {
                    Some(f) => f,
                    None => detect_file(main, bytes)?,
                },
                Some(main.to_string()),
            )
        }
        None => detect_dir(&files, input.name, from)?,
    };
    if let (Format::Flyway, Some(main)) = (format, &main) {
        // A Flyway import reads the migrations beside the file: only a
        // migration may stand for its directory.
        let file = main.rsplit('/').next().unwrap_or(main);
        if !(matches!(file.chars().next(), Some('V' | 'U' | 'R')) && file.contains("__") && file.ends_with(".sql")) {
            return Err(Error::new(format!(
                "`{main}` is no Flyway migration (V1__name.sql): give the directory that holds them"
            )));
        }
    }
    let mut d = draft::Draft::default();
    let source = main.clone().unwrap_or_else(|| input.name.to_string());
    let name = if input.name.is_empty() { source.clone() } else { input.name.to_string() };
    let text_of = |path: &str| -> Result<String, Error> {
        let bytes = files.get(path).copied().unwrap_or_default();
        Ok(csv::decode(bytes, path, expected(format))?.into_owned())
    };
    match format {
        Format::Csv => {
            let path = main.as_deref().unwrap_or_default();
            csv::import(files.get(path).copied().unwrap_or_default(), path, &mut d)?;
            d.title = title_from(&name);
            d.title_guess = Some("the file name".into());
        }
        Format::Markdown => markdown::import(&text_of(main.as_deref().unwrap_or_default())?, &name, &mut d)?,
        Format::Sqitch => {
            sqitch::import(&files, main.as_deref().unwrap_or_default(), &dir_name(&name, main.as_deref()), &mut d)?
        }
        Format::Liquibase => {
            liquibase::import(&files, main.as_deref().unwrap_or_default(), main.as_deref().unwrap_or(&name), &mut d)?
        }
        Format::Flyway => flyway::import(&files, &dir_name(&name, main.as_deref()), &mut d)?,
    }
    if d.steps.is_empty() {
        return Err(Error::new(format!("`{source}` gives no steps: expected {}", expected(format))));
    }
    let yaml = write::yaml(&d, &source, format);
    if yaml.len() > retreat_core::limits::MAX_INPUT_BYTES {
        return Err(Error::new(format!(
            "the plan imported from `{source}` would be larger than {} MiB, the most a plan can be",
            retreat_core::limits::MAX_INPUT_BYTES >> 20
        )));
    }
    let mut notes = d.notes.clone();
    if let Some(why) = &d.title_guess {
        notes.push(Note { kind: NoteKind::Guess, at: "title".into(), message: why.clone() });
    }
    for s in &d.steps {
        let at = format!("step `{}`", s.id);
        for (field, why) in &s.guesses {
            notes.push(Note { kind: NoteKind::Guess, at: format!("{at}, `{field}`"), message: why.clone() });
        }
        for remark in &s.remarks {
            notes.push(Note { kind: NoteKind::NotImported, at: at.clone(), message: remark.clone() });
        }
    }
    Ok(Imported { format, yaml, steps: d.steps.len(), notes })
}

/// What a format's file is, for messages.
fn expected(format: Format) -> &'static str {
    match format {
        Format::Csv => "a spreadsheet saved as CSV",
        Format::Markdown => "a Markdown checklist",
        Format::Sqitch => "a Sqitch plan",
        Format::Liquibase => "a Liquibase changelog",
        Format::Flyway => "Flyway migrations",
    }
}

/// The directory a file's project is named by: the one given, or for a
/// single file its own name.
fn dir_name(name: &str, main: Option<&str>) -> String {
    match main.and_then(|m| m.rsplit_once('/')).map(|(d, _)| d) {
        Some(d) => d.to_string(),
        None => name.to_string(),
    }
}

/// The title a file or directory name gives: its last part without the
/// extension.
pub(crate) fn title_from(name: &str) -> String {
    let last = name.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match last.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => last,
    };
    let stem = stem.trim();
    if stem.is_empty() { "Imported plan".into() } else { stem.to_string() }
}

const EXPECTED: &str = "a spreadsheet (.csv), a Markdown checklist (.md), a Sqitch plan (sqitch.plan), a Liquibase changelog (.xml, .yaml, .json) or a Flyway directory (V1__name.sql)";

/// The format of one file, from its name and its first bytes.
pub fn detect_file(path: &str, bytes: &[u8]) -> Result<Format, Error> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let ask = |why: String| Error::new(format!("{why}; give `--from` ({})", Format::ALL.map(Format::name).join(", ")));
    if lower == "sqitch.plan" || head.lines().any(|l| l.starts_with("%project=") || l.starts_with("%syntax-version=")) {
        return Ok(Format::Sqitch);
    }
    match ext {
        "csv" | "tsv" | "tab" => return Ok(Format::Csv),
        "md" | "markdown" | "mdown" => return Ok(Format::Markdown),
        "xml" | "yaml" | "yml" | "json" => {
            if head.contains("databaseChangeLog") {
                return Ok(Format::Liquibase);
            }
            if ext != "xml" && head.lines().any(|l| l.trim_start_matches(['{', ' ', '"']).starts_with("steps")) {
                return Err(Error::new(format!(
                    "`{path}` looks like a Retreat plan already (it has `steps`): lint it as it is"
                )));
            }
            return Err(Error::new(format!(
                "`{path}` is no Liquibase changelog: it has no `databaseChangeLog`; expected {EXPECTED}"
            )));
        }
        "sql" => {
            if head.to_lowercase().contains("liquibase formatted sql") {
                return Err(Error::new(format!(
                    "`{path}` is a Liquibase formatted SQL changelog: only XML, YAML and JSON changelogs are read"
                )));
            }
            if matches!(file.chars().next(), Some('V' | 'U' | 'R')) && file.contains("__") {
                return Ok(Format::Flyway);
            }
            return Err(Error::new(format!(
                "`{path}` is an SQL script, not a migration named like `V1__name.sql`; expected {EXPECTED}"
            )));
        }
        // Standard input, or a file with no telling name: a changelog says
        // what it is in its first element.
        _ if head.contains("databaseChangeLog") => return Ok(Format::Liquibase),
        _ => {}
    }
    let text = csv::decode(bytes, path, EXPECTED)?;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(20).collect();
    let markdown = lines.iter().any(|l| {
        l.starts_with('#') || l.starts_with("- ") || l.starts_with("* ") || l.starts_with("1.") || l.starts_with('|')
    });
    let first_cols = lines.first().map_or(0, |l| l.split(char::from(csv::separator(&text))).count());
    match (markdown, first_cols > 1) {
        (true, false) => Ok(Format::Markdown),
        (false, true) => Ok(Format::Csv),
        (true, true) => Err(ask(format!("`{path}` could be Markdown or a spreadsheet"))),
        (false, false) => Err(ask(format!("cannot tell what `{path}` is: expected {EXPECTED}"))),
    }
}

/// The format of a directory, and the file to start from.
fn detect_dir(files: &Files, name: &str, from: Option<Format>) -> Result<(Format, Option<String>), Error> {
    let shallowest = |paths: Vec<&str>| {
        paths.into_iter().min_by_key(|p| (p.matches('/').count(), p.to_string())).map(str::to_string)
    };
    let plans: Vec<&str> = files.keys().copied().filter(|p| p.rsplit('/').next() == Some("sqitch.plan")).collect();
    let flyway = files.keys().any(|p| {
        let f = p.rsplit('/').next().unwrap_or(p);
        f.starts_with('V') && f.contains("__") && f.ends_with(".sql")
    });
    let changelogs: Vec<&str> = files
        .iter()
        .filter(|(p, b)| liquibase::is_changelog(p, &String::from_utf8_lossy(&b[..b.len().min(64 * 1024)])))
        .map(|(p, _)| *p)
        .collect();
    let found: Vec<Format> = [
        (!plans.is_empty()).then_some(Format::Sqitch),
        (!changelogs.is_empty()).then_some(Format::Liquibase),
        flyway.then_some(Format::Flyway),
    ]
    .into_iter()
    .flatten()
    .collect();
    let format = match (from, found.as_slice()) {
        (Some(f), _) => f,
        (None, [one]) => *one,
        (None, []) => {
            return Err(Error::new(format!(
                "`{name}` holds no sqitch.plan, no Liquibase changelog and no Flyway migration (V1__name.sql): expected a project directory, or give a file"
            )));
        }
        (None, many) => {
            let names: Vec<&str> = many.iter().map(|f| f.name()).collect();
            return Err(Error::new(format!("`{name}` could be {}; give `--from`", names.join(" or "))));
        }
    };
    let main = match format {
        Format::Flyway => None,
        Format::Sqitch => Some(shallowest(plans).ok_or_else(|| Error::new(format!("`{name}` holds no sqitch.plan")))?),
        Format::Liquibase => Some(root_changelog(&changelogs, name)?),
        Format::Csv | Format::Markdown => {
            let ext: &[&str] = if format == Format::Csv { &[".csv", ".tsv"] } else { &[".md", ".markdown"] };
            let matching: Vec<&str> =
                files.keys().copied().filter(|p| ext.iter().any(|e| p.to_ascii_lowercase().ends_with(e))).collect();
            match matching.as_slice() {
                [one] => Some(one.to_string()),
                _ => {
                    return Err(Error::new(format!(
                        "`{name}` is a directory: `--from {}` reads one file; give the file",
                        format.name()
                    )));
                }
            }
        }
    };
    Ok((format, main))
}

/// The changelog to start from: the only one, or the one called `master`.
fn root_changelog(changelogs: &[&str], name: &str) -> Result<String, Error> {
    match changelogs {
        [] => Err(Error::new(format!("`{name}` holds no Liquibase changelog (a file with `databaseChangeLog`)"))),
        [one] => Ok(one.to_string()),
        many => {
            let masters: Vec<&&str> = many.iter().filter(|p| p.to_ascii_lowercase().contains("master")).collect();
            match masters.as_slice() {
                [one] => Ok(one.to_string()),
                _ => Err(Error::new(format!(
                    "`{name}` holds {} changelogs and no single `*master*` one: give the changelog to start from",
                    many.len()
                ))),
            }
        }
    }
}
