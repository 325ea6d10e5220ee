//! Running a [`Command`]: read the plans, hand them to the core, write what it
//! returns. The decisions about a plan are the core's; this file only reads,
//! dispatches and picks the rendering.

use retreat_core::{analyze_bytes, rules};

use super::args::{Command, Diff, Link, Lint, LintFormat, Report, Simulate};
use super::error::{Error, FINDINGS, OK, TROUBLE};
use super::input::{Linted, load_plan, read};
use super::montecarlo::{self, Runs};
use super::output::{Output, text_into, warn};
use super::{config, convert, diff, human, json, rules as rule_text, sarif, simulate, usage};

/// Runs `command`, writing on `out`; returns the exit status.
pub fn run(command: Command, out: &mut Output) -> Result<u8, Error> {
    match command {
        Command::Usage => out.write(&usage::text())?,
        Command::Version => out.write(&format!("retreat {}\n", env!("CARGO_PKG_VERSION")))?,
        Command::Lint(lint_args) => return lint(lint_args, out),
        Command::Diff(diff_args) => return compare(&diff_args, out),
        Command::Simulate(sim_args) => return run_simulation(&sim_args, out),
        Command::Report(report_args) => return report(&report_args, out),
        Command::Link(link_args) => make_link(&link_args, out)?,
        Command::Open { link } => return open_link(&link, out),
        Command::Schema => out.write(&retreat_core::schema::json_schema_text())?,
        Command::Explain { code } => {
            let rule = rules::find(&code)
                .ok_or_else(|| Error::Usage(format!("`{code}` is no rule; `retreat rules` lists them")))?;
            out.write(&rule_text::explain(rule))?;
        }
        Command::Rules { markdown: false } => out.write(&rule_text::list())?,
        Command::Rules { markdown: true } => out.write(&rule_text::markdown())?,
        Command::Import(args) => convert::import(&args, out)?,
        Command::Export(args) => return convert::export(&args, out),
        Command::Forecast(args) => return super::forecast::run(&args, out),
        Command::Review(args) => return super::forecast::review(&args, out),
        Command::Lsp(args) => {
            super::lsp::serve(args).map_err(|e| Error::Unreadable(format!("the language server stopped: {e}")))?
        }
    }
    Ok(OK)
}

/// Lints every file, even after one cannot be read: each unreadable file is
/// told on standard error, and the status is then 2.
fn lint(lint: Lint, out: &mut Output) -> Result<u8, Error> {
    let here = std::env::current_dir().unwrap_or_default();
    let options = config::load(lint.config.as_deref(), &here, &lint.options)?.options;
    let approved = match &lint.approved {
        Some(source) => Some(analyze_bytes(&load_plan(source)?, &options).1),
        None => None,
    };
    let mut unreadable = false;
    let mut linted = Vec::with_capacity(lint.files.len());
    for path in lint.files {
        match read(&path) {
            Ok(bytes) => {
                let (text, mut analysis) = analyze_bytes(&bytes, &options);
                if let Some(approved) = &approved {
                    retreat_core::explain_stale(&mut analysis, approved);
                }
                linted.push(Linted { text: text.into_owned(), path, analysis });
            }
            Err(e) => {
                warn(&e.to_string());
                unreadable = true;
            }
        }
    }
    out.stream(|w| match lint.format {
        LintFormat::Human => human::render(w, &linted, human::Style::for_stdout()),
        LintFormat::Json => json::render(w, &linted),
        LintFormat::Sarif => sarif::render(w, &linted),
    })?;
    if unreadable {
        return Ok(TROUBLE);
    }
    let failing =
        linted.iter().map(|l| l.analysis.summary()).any(|s| s.errors > 0 || (lint.deny_warnings && s.warnings > 0));
    Ok(if failing { FINDINGS } else { OK })
}

fn run_simulation(args: &Simulate, out: &mut Output) -> Result<u8, Error> {
    let path = &args.file;
    let bytes = read(path)?;
    let runs = Runs { settings: args.settings, threads: args.threads, bar: !args.json };
    let (_, analysis) = montecarlo::analyze(&bytes, runs);
    let Some(sim) = &analysis.simulation else {
        let why = if analysis.graph.is_none() {
            "it does not parse (`retreat lint` shows where)"
        } else {
            "it has no `window` (add `window: {start: ..., end: ...}`)"
        };
        warn(&format!("cannot simulate `{path}`: {why}"));
        return Ok(FINDINGS);
    };
    let points = simulate::Points::choose(&analysis.plan, sim, &args.points).map_err(Error::Usage)?;
    let errors = analysis.summary().errors;
    if errors > 0 {
        warn(&format!(
            "`{path}` has {errors} error{}; the simulation takes the plan as written (`retreat lint` lists them)",
            if errors == 1 { "" } else { "s" }
        ));
    }
    out.stream(|w| {
        if args.json { simulate::json(w, &analysis, sim, &points) } else { simulate::human(w, &analysis, sim, &points) }
    })?;
    Ok(OK)
}

fn report(args: &Report, out: &mut Output) -> Result<u8, Error> {
    let path = &args.file;
    let bytes = read(path)?;
    let (text, analysis) = montecarlo::analyze(&bytes, Runs::default_for(false));
    if analysis.graph.is_none() {
        warn(&format!("cannot write a report for `{path}`: it does not parse (`retreat lint` shows where)"));
        return Ok(FINDINGS);
    }
    let doc = retreat_core::report::document(&analysis, &text);
    out.stream(|w| {
        text_into(w, |t| {
            if args.html {
                retreat_core::report::write_html(t, &doc)
            } else {
                retreat_core::report::write_markdown(t, &doc)
            }
        })
    })?;
    Ok(OK)
}

fn compare(args: &Diff, out: &mut Output) -> Result<u8, Error> {
    let runs = Runs::default_for(args.json);
    // A plan that does not parse would read as a plan without steps: every
    // step "removed". Said instead, with where to look.
    // An empty file (a `git show` that failed) is no plan either.
    let unreadable = |source: &str, bytes: &[u8]| {
        let why = if bytes.trim_ascii().is_empty() {
            "it is empty"
        } else {
            "it does not parse (`retreat lint` shows where)"
        };
        warn(&format!("cannot compare with `{source}`: {why}"));
        Ok(FINDINGS)
    };
    let bytes = load_plan(&args.before)?;
    let mut before = montecarlo::analyze(&bytes, runs).1;
    if before.graph.is_none() || bytes.trim_ascii().is_empty() {
        return unreadable(&args.before, &bytes);
    }
    // The comparison reads the plans and the simulations' figures only:
    // what else the first analysis holds goes before the second is made.
    (before.diagnostics, before.suppressed, before.graph) = (Vec::new(), Vec::new(), None);
    let bytes = load_plan(&args.after)?;
    let after = montecarlo::analyze(&bytes, runs).1;
    if after.graph.is_none() || bytes.trim_ascii().is_empty() {
        return unreadable(&args.after, &bytes);
    }
    let d = retreat_core::diff::compare(&before, &after);
    out.write(&if args.json { diff::json(&d) } else { diff::human(&d) })?;
    Ok(OK)
}

fn make_link(args: &Link, out: &mut Output) -> Result<(), Error> {
    let path = &args.file;
    let bytes = read(path)?;
    let text = retreat_core::parse::decode(&bytes)
        .map_err(|d| Error::Unreadable(format!("cannot link `{path}`: {}", d.message)))?;
    // A link no one could open is worse than none: `open` and the app
    // refuse what unpacks past the limit.
    let most = retreat_core::limits::MAX_LINK_BYTES;
    if text.len() > most {
        return Err(Error::Unreadable(format!(
            "cannot link `{path}`: it is {:.1} MiB, and a link carries at most {} MiB of plan; share the file instead",
            text.len() as f64 / (1024.0 * 1024.0),
            most / (1024 * 1024)
        )));
    }
    let base = args.base.split('#').next().unwrap_or_default();
    out.write(&format!("{base}#{}\n", retreat_core::link::encode(text)))
}

fn open_link(link: &str, out: &mut Output) -> Result<u8, Error> {
    match retreat_core::link::decode(link) {
        Ok(text) => {
            out.write(&text)?;
            Ok(OK)
        }
        Err(e) => {
            warn(&format!("cannot open the link: {e}"));
            Ok(FINDINGS)
        }
    }
}
