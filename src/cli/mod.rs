//! Argument handling and dispatch for the `retreat` command.

mod diff;
mod human;
mod input;
mod json;
mod rules;
mod sarif;
mod simulate;

use std::ffi::OsString;
use std::io::Write;

use retreat_core::limits::MAX_RUNS;
use retreat_core::sim::Settings;
use retreat_core::{MonteCarloRuns, Options, Severity, analyze_bytes};

use input::{Linted, load_plan, read};

/// Exit status: no errors.
pub const OK: u8 = 0;
/// Exit status: the plan has errors (or warnings under `--deny warnings`).
pub const FINDINGS: u8 = 1;
/// Exit status: a file could not be read, or the arguments are wrong.
pub const TROUBLE: u8 = 2;

const USAGE: &str = "\
retreat: lint and simulate rollback plans

Usage:
  retreat lint FILE... [--format human|json|sarif] [--deny warnings] [--severity CODE=LEVEL]...
                       [--approved FILE|LINK]   (what changed since that approved version)
  retreat diff A B [--format human|json]   what changed from plan A to plan B (files or links)
  retreat simulate FILE [--format human|json] [--runs N] [--seed S]
  retreat report FILE [--format md|html]   the approval document for a change board
  retreat link FILE [--base URL]   the share link that carries the plan
  retreat open LINK           the plan a share link carries
  retreat schema              the JSON Schema of the plan format, for editors
  retreat explain CODE        the docs of one rule (R001 or missing-undo)
  retreat rules               every rule with its code, name and default severity
  retreat --version

FILE may be `-` for standard input. LEVEL is error, warning, info or off.
Exit status: 0 without errors, 1 with errors (or warnings under --deny warnings),
2 when a file cannot be read or the arguments are wrong.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Sarif,
}

/// Runs the command line with `args` (without the program name); returns the exit status.
pub fn run(args: Vec<OsString>, out: &mut dyn Write) -> u8 {
    match dispatch(args, out) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("retreat: {message}");
            eprintln!("Run `retreat --help` for usage.");
            TROUBLE
        }
    }
}

fn dispatch(args: Vec<OsString>, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(Long("help") | Short('h')) | None => {
            print(out, USAGE)?;
            return Ok(OK);
        }
        Some(Long("version") | Short('V')) => {
            print(out, &format!("retreat {}", env!("CARGO_PKG_VERSION")))?;
            return Ok(OK);
        }
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match command.as_str() {
        "lint" => lint(parser, out),
        "simulate" => simulate(parser, out),
        "link" => make_link(parser, out),
        "diff" => diff(parser, out),
        "report" => report(parser, out),
        "open" => open_link(parser, out),
        "explain" => explain(parser, out),
        "rules" => list_rules(parser, out),
        "schema" => {
            if let Some(extra) = parser.next().map_err(|e| e.to_string())? {
                return Err(extra.unexpected().to_string());
            }
            write!(out, "{}", retreat_core::schema::json_schema_text())
                .map_err(|e| format!("cannot write the output: {e}"))?;
            Ok(OK)
        }
        "help" => {
            print(out, USAGE)?;
            Ok(OK)
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn print(out: &mut dyn Write, text: &str) -> Result<(), String> {
    writeln!(out, "{text}").map_err(|e| format!("cannot write the output: {e}"))
}

fn lint(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let mut files: Vec<String> = Vec::new();
    let mut format = Format::Human;
    let mut deny_warnings = false;
    let mut options = Options::default();
    let mut approved: Option<String> = None;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("approved") => {
                approved = Some(value(&mut parser)?);
            }
            Long("format") | Short('f') => {
                format = match value(&mut parser)?.as_str() {
                    "human" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    other => return Err(format!("unknown format `{other}`; use human, json or sarif")),
                }
            }
            Long("deny") => {
                let what = value(&mut parser)?;
                if what != "warnings" {
                    return Err(format!("`--deny {what}`: only `--deny warnings` is known"));
                }
                deny_warnings = true;
            }
            Long("severity") | Short('s') => {
                let setting = value(&mut parser)?;
                options.set_severity(&setting)?;
            }
            Long("help") | Short('h') => {
                print(out, USAGE)?;
                return Ok(OK);
            }
            Value(v) => files.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if files.is_empty() {
        return Err("`retreat lint` needs at least one FILE".into());
    }
    let approved = match approved {
        Some(source) => Some(analyze_bytes(&load_plan(&source)?, &options).1),
        None => None,
    };
    let mut unreadable = false;
    let mut linted = Vec::with_capacity(files.len());
    for path in files {
        match read(&path) {
            Ok(bytes) => {
                let (text, mut analysis) = analyze_bytes(&bytes, &options);
                if let Some(approved) = &approved {
                    retreat_core::explain_stale(&mut analysis, approved);
                }
                linted.push(Linted { text: text.into_owned(), path, analysis });
            }
            Err(message) => {
                eprintln!("retreat: {message}");
                unreadable = true;
            }
        }
    }
    let rendered = match format {
        Format::Human => human::render(&linted, human::Style::for_stdout()),
        Format::Json => json::render(&linted),
        Format::Sarif => sarif::render(&linted),
    };
    write!(out, "{rendered}").map_err(|e| format!("cannot write the output: {e}"))?;
    if unreadable {
        return Ok(TROUBLE);
    }
    let failing = linted
        .iter()
        .flat_map(|l| &l.analysis.diagnostics)
        .any(|d| d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning));
    Ok(if failing { FINDINGS } else { OK })
}

/// The value of the option just read, as text.
fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    use lexopt::ValueExt;
    parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())
}

/// `--format human|json`: whether it is JSON.
fn human_or_json(parser: &mut lexopt::Parser) -> Result<bool, String> {
    match value(parser)?.as_str() {
        "human" => Ok(false),
        "json" => Ok(true),
        other => Err(format!("unknown format `{other}`; use human or json")),
    }
}

fn simulate(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let mut file: Option<String> = None;
    let mut json = false;
    let mut settings = Settings::DEFAULT;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("format") | Short('f') => json = human_or_json(&mut parser)?,
            Long("runs") => {
                let v = value(&mut parser)?;
                settings.runs = v
                    .parse()
                    .ok()
                    .filter(|r| (1..=MAX_RUNS).contains(r))
                    .ok_or_else(|| format!("`--runs {v}`: give a whole number from 1 to {MAX_RUNS}"))?;
            }
            Long("seed") => {
                let v = value(&mut parser)?;
                settings.seed =
                    v.parse().map_err(|_| format!("`--seed {v}`: give a whole number from 0 to {}", u64::MAX))?;
            }
            Long("help") | Short('h') => {
                print(out, USAGE)?;
                return Ok(OK);
            }
            Value(v) if file.is_none() => file = Some(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let path = file.ok_or("`retreat simulate` needs a FILE")?;
    let bytes = read(&path).map_err(|m| m.trim_start_matches("retreat: ").to_string())?;
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(settings), ..Options::default() };
    let (_, analysis) = analyze_bytes(&bytes, &options);
    let Some(sim) = &analysis.simulation else {
        let why = if analysis.graph.is_none() {
            "it does not parse (`retreat lint` shows where)"
        } else {
            "it has no `window` (add `window: {start: ..., end: ...}`)"
        };
        eprintln!("retreat: cannot simulate `{path}`: {why}");
        return Ok(FINDINGS);
    };
    let errors = analysis.summary().errors;
    if errors > 0 {
        eprintln!(
            "retreat: `{path}` has {errors} error{}; the simulation takes the plan as written (`retreat lint` lists them)",
            if errors == 1 { "" } else { "s" }
        );
    }
    let text = if json { simulate::json(&analysis, sim) } else { simulate::human(&analysis, sim) };
    write!(out, "{text}").map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(OK)
}

fn report(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let (mut file, mut html) = (None::<String>, false);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("format") | Short('f') => {
                html = match value(&mut parser)?.as_str() {
                    "md" | "markdown" => false,
                    "html" => true,
                    other => return Err(format!("unknown format `{other}`; use md or html")),
                }
            }
            Value(v) if file.is_none() => file = Some(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let path = file.ok_or("`retreat report` needs a FILE")?;
    let bytes = read(&path)?;
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::DEFAULT), ..Options::default() };
    let (text, analysis) = analyze_bytes(&bytes, &options);
    if analysis.graph.is_none() {
        eprintln!("retreat: cannot write a report for `{path}`: it does not parse (`retreat lint` shows where)");
        return Ok(FINDINGS);
    }
    let doc = retreat_core::report::document(&analysis, &text);
    let rendered = if html { retreat_core::report::html(&doc) } else { retreat_core::report::markdown(&doc) };
    write!(out, "{rendered}").map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(OK)
}

fn diff(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let (mut plans, mut json) = (Vec::<String>::new(), false);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("format") | Short('f') => json = human_or_json(&mut parser)?,
            Value(v) if plans.len() < 2 => plans.push(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let [a, b] = plans.as_slice() else { return Err("`retreat diff` needs two plans, A and B".into()) };
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::DEFAULT), ..Options::default() };
    let (before, after) = (analyze_bytes(&load_plan(a)?, &options).1, analyze_bytes(&load_plan(b)?, &options).1);
    let d = retreat_core::diff::compare(&before, &after);
    let text = if json { diff::json(&d) } else { diff::human(&d) };
    write!(out, "{text}").map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(OK)
}

/// Where the app is published; `--base` overrides it.
const DEFAULT_BASE: &str = "https://retreat.example/";

fn make_link(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let (mut file, mut base) = (None::<String>, DEFAULT_BASE.to_string());
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("base") => base = value(&mut parser)?,
            Value(v) if file.is_none() => file = Some(v.string().map_err(|e| e.to_string())?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let path = file.ok_or("`retreat link` needs a FILE")?;
    let bytes = read(&path)?;
    let text = retreat_core::parse::decode(&bytes).map_err(|d| format!("cannot link `{path}`: {}", d.message))?;
    let base = base.split('#').next().unwrap_or_default();
    print(out, &format!("{base}#{}", retreat_core::link::encode(text)))?;
    Ok(OK)
}

fn open_link(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let link = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(other) => return Err(other.unexpected().to_string()),
        None => return Err("`retreat open` needs a LINK".into()),
    };
    match retreat_core::link::decode(&link) {
        Ok(text) => {
            write!(out, "{text}").map_err(|e| format!("cannot write the output: {e}"))?;
            Ok(OK)
        }
        Err(e) => {
            eprintln!("retreat: cannot open the link: {e}");
            Ok(FINDINGS)
        }
    }
}

fn explain(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    use lexopt::prelude::*;
    let code = match parser.next().map_err(|e| e.to_string())? {
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(other) => return Err(other.unexpected().to_string()),
        None => return Err("`retreat explain` needs a rule code, such as R001".into()),
    };
    if let Some(extra) = parser.next().map_err(|e| e.to_string())? {
        return Err(extra.unexpected().to_string());
    }
    let rule = retreat_core::rules::find(&code).ok_or_else(|| format!("`{code}` is no rule; `retreat rules` lists them"))?;
    write!(out, "{}", rules::explain(rule)).map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(OK)
}

fn list_rules(mut parser: lexopt::Parser, out: &mut dyn Write) -> Result<u8, String> {
    if let Some(extra) = parser.next().map_err(|e| e.to_string())? {
        return Err(extra.unexpected().to_string());
    }
    let text = rules::list();
    write!(out, "{text}").map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(OK)
}
