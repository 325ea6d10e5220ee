//! `retreat import` and `retreat export`: plans in from other tools' files,
//! and out as a calendar, a diagram or a spreadsheet. The work is the
//! importer's (`retreat-import`) and the core's (`export`); this file reads
//! the files and writes the text.

use std::io::Read;
use std::path::Path;

use retreat_core::{MonteCarloRuns, Options, analyze_bytes};
use retreat_import::{Input, NoteKind, Source};

use super::args::{Export, ExportFormat, Import};
use super::error::{Error, FINDINGS, OK};
use super::files::{read_capped, read_tree};
use super::input::load_plan;
use super::output::{Output, say, warn};

/// Imports a file, a directory or standard input, writing the plan on
/// standard output and what was guessed or left out on standard error.
pub fn import(args: &Import, out: &mut Output) -> Result<(), Error> {
    let given = args.source.as_str();
    let path = Path::new(given);
    let (name, files, main) = if given == "-" {
        let mut bytes = Vec::new();
        let cap = retreat_import::limits::MAX_FILE_BYTES as u64 + 1;
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Unreadable(format!("cannot read standard input: {e}")))?;
        ("stdin".to_string(), vec![("stdin".to_string(), bytes)], Some("stdin".to_string()))
    } else if path.is_dir() {
        (given.to_string(), read_tree(path)?, None)
    } else {
        let bytes = read_capped(path)?;
        let file = path.file_name().map_or_else(|| given.to_string(), |f| f.to_string_lossy().into_owned());
        let format = match args.from {
            Some(f) => f,
            None => retreat_import::detect_file(&file, &bytes).map_err(|e| cannot(given, &e))?,
        };
        if format.reads_directory() {
            // The scripts and included files beside it, from its directory.
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let mut tree = read_tree(dir)?;
            if !tree.iter().any(|(p, _)| *p == file) {
                tree.push((file.clone(), bytes));
            }
            (file.clone(), tree, Some(file))
        } else {
            (file.clone(), vec![(file.clone(), bytes)], Some(file))
        }
    };
    let input = Input {
        name: &name,
        files: files.iter().map(|(p, b)| Source { path: p, bytes: b }).collect(),
        main: main.as_deref(),
    };
    let imported = retreat_import::import(&input, args.from).map_err(|e| cannot(given, &e))?;
    out.write(&imported.yaml)?;
    summarise(given, &imported);
    Ok(())
}

fn cannot(given: &str, e: &retreat_import::Error) -> Error {
    Error::Unreadable(format!("cannot import `{given}`: {e}"))
}

/// One line on what was imported, then what could not be.
fn summarise(given: &str, imported: &retreat_import::Imported) {
    let count = |k: NoteKind| imported.notes.iter().filter(|n| n.kind == k).count();
    let (guesses, lost) = (count(NoteKind::Guess), count(NoteKind::NotImported));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    warn(&format!(
        "imported {} from `{given}` ({}); {} marked `# guess:` in the plan{}",
        plural(imported.steps, "step"),
        imported.format.name(),
        plural(guesses, "guess").replace("guesss", "guesses"),
        if lost > 0 { format!("; {lost} not imported:") } else { String::new() }
    ));
    for n in imported.notes.iter().filter(|n| n.kind == NoteKind::NotImported) {
        let at = if n.at.is_empty() { String::new() } else { format!("{}: ", n.at) };
        say(&format!("  {at}{}", n.message));
    }
}

/// Writes the plan in another format; 1 when the plan cannot give it (it
/// does not parse; no window for a calendar).
pub fn export(args: &Export, out: &mut Output) -> Result<u8, Error> {
    let path = &args.file;
    let bytes = load_plan(path)?;
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    let (_, analysis) = analyze_bytes(&bytes, &options);
    let Some(graph) = &analysis.graph else {
        warn(&format!("cannot export `{path}`: it does not parse (`retreat lint` shows where)"));
        return Ok(FINDINGS);
    };
    let plan = &analysis.plan;
    let text = match args.to {
        ExportFormat::Ics => match retreat_core::export::ics(&analysis) {
            Ok(text) => text,
            Err(why) => {
                warn(&format!("cannot export `{path}` to ics: {why}"));
                return Ok(FINDINGS);
            }
        },
        ExportFormat::Mermaid => retreat_core::export::mermaid(plan, graph),
        ExportFormat::Dot => retreat_core::export::dot(plan, graph),
        ExportFormat::Csv => {
            let left: Vec<&str> = [
                ("window", plan.window.is_some()),
                ("rollback", plan.rollback.is_some()),
                ("baseline", !plan.baseline.is_empty()),
                ("approvals", !plan.approvals.is_empty()),
                ("allow", !plan.allow.is_empty()),
            ]
            .into_iter()
            .filter_map(|(name, there)| there.then_some(name))
            .collect();
            if !left.is_empty() {
                let verb = if left.len() == 1 { "has" } else { "have" };
                warn(&format!("the spreadsheet holds the steps; the plan's {} {verb} no place in it", left.join(", ")));
            }
            retreat_core::export::csv(plan)
        }
    };
    out.write(&text)?;
    Ok(OK)
}
