//! The command line's grammar as one table, [`COMMANDS`]: each command with
//! its operands and options. [`parse`] reads the arguments against it into a
//! [`Command`] before anything runs, and `usage.rs` writes the usage text from
//! it, so the two cannot disagree about what exists.

use std::ffi::OsString;

use lexopt::{Arg, ValueExt};
use retreat_core::Options;
use retreat_core::limits::MAX_RUNS;
use retreat_core::sim::Settings;

use super::error::Error;

/// What the arguments ask for, read in full.
pub enum Command {
    /// `--help`, `help` or no arguments: the usage text.
    Usage,
    Version,
    Lint(Lint),
    Diff(Diff),
    Simulate(Simulate),
    Report(Report),
    Link(Link),
    Open {
        link: String,
    },
    Schema,
    Explain {
        code: String,
    },
    Import(Import),
    Export(Export),
    Forecast(ForecastArgs),
    Review(ReviewArgs),
    /// `retreat lsp`: the language server, with lint's settings.
    Lsp(LspArgs),
    /// `retreat rules`, as a list or (`markdown`) as the rules' docs page.
    Rules {
        markdown: bool,
    },
}

pub struct LspArgs {
    /// The `--severity` settings, over those of `retreat.toml`.
    pub options: Options,
    /// `--config`: the settings file, instead of the one found.
    pub config: Option<String>,
}

pub struct ReviewArgs {
    pub file: String,
    pub log: String,
    pub html: bool,
}

pub struct ForecastArgs {
    pub file: String,
    /// The run log (required: said once the plan is read).
    pub log: Option<String>,
    /// `--now`: the moment to forecast from, instead of the log's `as_of`.
    pub now: Option<String>,
    pub json: bool,
    /// The odds from now on: at most this many Monte Carlo runs, from `seed`.
    pub runs: u32,
    pub seed: u64,
}

pub struct Import {
    /// A file, a directory, or `-`.
    pub source: String,
    pub from: Option<retreat_import::Format>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Ics,
    Mermaid,
    Dot,
    Csv,
}

pub struct Export {
    pub file: String,
    pub to: ExportFormat,
}

pub struct Lint {
    pub files: Vec<String>,
    pub format: LintFormat,
    pub deny_warnings: bool,
    /// The `--severity` settings, as the core took them.
    pub options: Options,
    /// `--approved`: the approved version, a file or a link.
    pub approved: Option<String>,
    /// `--config`: the settings file, instead of the `retreat.toml` found.
    pub config: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LintFormat {
    Human,
    Json,
    Sarif,
}

pub struct Diff {
    pub before: String,
    pub after: String,
    pub json: bool,
}

pub struct Simulate {
    pub file: String,
    pub json: bool,
    pub settings: Settings,
    /// `--threads`: how many threads run Monte Carlo (`None`: one per core).
    pub threads: Option<usize>,
    /// `--point`: the failure points to write, by step id (all when empty).
    pub points: Vec<String>,
}

pub struct Report {
    pub file: String,
    pub html: bool,
}

pub struct Link {
    pub file: String,
    pub base: String,
}

/// Where the app is published; `--base` overrides it.
const DEFAULT_BASE: &str = "https://retreat.example/";

/// An option: how it is spelled, and how the usage text shows it. Every
/// option takes a value.
#[derive(Clone, Copy)]
pub struct Opt {
    pub long: &'static str,
    pub short: Option<char>,
    /// The value as the usage text shows it: its choices (`human|json`) or a
    /// name (`N`).
    pub value: &'static str,
    /// May be given more than once.
    pub repeats: bool,
    /// A remark the usage text adds, in parentheses, after the command.
    pub note: Option<&'static str>,
}

impl Opt {
    const fn new(long: &'static str, value: &'static str) -> Opt {
        Opt { long, short: None, value, repeats: false, note: None }
    }

    const fn short(self, c: char) -> Opt {
        Opt { short: Some(c), ..self }
    }

    const fn repeats(self) -> Opt {
        Opt { repeats: true, ..self }
    }

    const fn note(self, note: &'static str) -> Opt {
        Opt { note: Some(note), ..self }
    }
}

/// A command: its name, operands and options, and how its arguments are read.
pub struct Spec {
    pub name: &'static str,
    /// The operands as the usage text shows them. How many there are is read
    /// from this too: one per word, and a last word ending in `...` takes any
    /// number (at least one).
    pub operands: &'static str,
    pub options: &'static [Opt],
    /// What the command does, for the usage text.
    pub summary: Option<&'static str>,
    /// What the command needs when operands are missing: "`retreat diff`
    /// needs {this}".
    pub needs: &'static str,
    /// Whether the arguments after the operands are left unread (only `open`,
    /// as it has always been).
    pub ignores_rest: bool,
    /// Reads the command's options, in order, into the command.
    read: fn(&mut Reader) -> Result<Command, Error>,
}

impl Spec {
    /// A command without operands, options or help, read by `read`.
    const fn new(name: &'static str, read: fn(&mut Reader) -> Result<Command, Error>) -> Spec {
        Spec { name, operands: "", options: &[], summary: None, needs: "", ignores_rest: false, read }
    }

    /// How many operands the command takes: at least, at most.
    pub fn arity(&self) -> (usize, usize) {
        let words: Vec<&str> = self.operands.split_whitespace().collect();
        let most = if words.last().is_some_and(|w| w.ends_with("...")) { usize::MAX } else { words.len() };
        (words.len(), most)
    }
}

const FORMAT_LINT: Opt = Opt::new("format", "human|json|sarif").short('f');
const DENY: Opt = Opt::new("deny", "warnings");
const SEVERITY: Opt = Opt::new("severity", "CODE=LEVEL").short('s').repeats();
const CONFIG: Opt = Opt::new("config", "FILE").note("the settings, instead of the nearest retreat.toml");
const FORMAT_RULES: Opt = Opt::new("format", "text|markdown").short('f');
const APPROVED: Opt = Opt::new("approved", "FILE|LINK").note("what changed since that approved version");
const FORMAT_HUMAN_JSON: Opt = Opt::new("format", "human|json").short('f');
const RUNS: Opt = Opt::new("runs", "N");
const SEED: Opt = Opt::new("seed", "S");
const THREADS: Opt = Opt::new("threads", "N");
/// Most threads `--threads` takes.
const MAX_THREADS: usize = 1024;
const POINT: Opt = Opt::new("point", "STEP").repeats();
const FORMAT_REPORT: Opt = Opt::new("format", "md|html").short('f');
const BASE: Opt = Opt::new("base", "URL");
const FROM: Opt = Opt::new("from", "csv|markdown|sqitch|liquibase|flyway");
const TO: Opt = Opt::new("to", "ics|mermaid|dot|csv");
const LOG: Opt = Opt::new("log", "LOG");
const NOW: Opt = Opt::new("now", "TIME").note("instead of the log's `as_of`");

/// Every command, in the order the usage text lists them.
pub const COMMANDS: &[Spec] = &[
    Spec {
        operands: "FILE...",
        options: &[FORMAT_LINT, DENY, SEVERITY, CONFIG, APPROVED],
        needs: "at least one FILE",
        ..Spec::new("lint", lint)
    },
    Spec {
        operands: "A B",
        options: &[FORMAT_HUMAN_JSON],
        summary: Some("what changed from plan A to plan B (files or links)"),
        needs: "two plans, A and B",
        ..Spec::new("diff", diff)
    },
    Spec {
        operands: "FILE",
        options: &[FORMAT_HUMAN_JSON, RUNS, SEED, THREADS, POINT],
        needs: "a FILE",
        ..Spec::new("simulate", simulate)
    },
    Spec {
        operands: "FILE",
        options: &[FORMAT_REPORT],
        summary: Some("the approval document for a change board"),
        needs: "a FILE",
        ..Spec::new("report", report)
    },
    Spec {
        operands: "FILE",
        options: &[LOG, NOW, FORMAT_HUMAN_JSON, RUNS, SEED],
        summary: Some("the live board from a run log: what is late, until when to call a rollback"),
        needs: "a FILE (and --log LOG)",
        ..Spec::new("forecast", forecast)
    },
    Spec {
        operands: "FILE LOG",
        options: &[FORMAT_REPORT],
        summary: Some("the post-implementation review: the plan against its run log"),
        needs: "a FILE and its LOG",
        ..Spec::new("review", review)
    },
    Spec {
        operands: "FILE",
        options: &[BASE],
        summary: Some("the share link that carries the plan"),
        needs: "a FILE",
        ..Spec::new("link", link)
    },
    Spec {
        operands: "FILE|DIR",
        options: &[FROM],
        summary: Some("a plan from a spreadsheet, a checklist or a migration tool"),
        needs: "a FILE or DIR to import",
        ..Spec::new("import", import)
    },
    Spec {
        operands: "FILE",
        options: &[TO],
        summary: Some("the plan as a calendar, a diagram or a spreadsheet"),
        needs: "a FILE",
        ..Spec::new("export", export)
    },
    Spec {
        operands: "LINK",
        summary: Some("the plan a share link carries"),
        needs: "a LINK",
        ignores_rest: true,
        ..Spec::new("open", |r| {
            let Fixed([link]) = r.fixed()?;
            Ok(Command::Open { link })
        })
    },
    Spec {
        summary: Some("the JSON Schema of the plan format, for editors"),
        ..Spec::new("schema", |r| r.fixed::<0>().map(|_| Command::Schema))
    },
    Spec {
        operands: "CODE",
        summary: Some("the docs of one rule (R001 or missing-undo)"),
        needs: "a rule code, such as R001",
        ..Spec::new("explain", |r| {
            let Fixed([code]) = r.fixed()?;
            Ok(Command::Explain { code })
        })
    },
    Spec {
        options: &[SEVERITY, CONFIG],
        summary: Some("the language server, over stdio, for editors"),
        ..Spec::new("lsp", lsp)
    },
    Spec {
        options: &[FORMAT_RULES],
        summary: Some("every rule with its code, name and default severity"),
        ..Spec::new("rules", rules)
    },
];

/// Reads the arguments (without the program name) into a command.
pub fn parse(args: Vec<OsString>) -> Result<Command, Error> {
    let mut parser = lexopt::Parser::from_args(args);
    let name = match parser.next()? {
        Some(Arg::Value(name)) => name.string()?,
        Some(Arg::Long("help") | Arg::Short('h')) | None => return Ok(Command::Usage),
        Some(Arg::Long("version") | Arg::Short('V')) => return Ok(Command::Version),
        Some(other) => return Err(other.unexpected().into()),
    };
    if name == "help" {
        return Ok(Command::Usage);
    }
    let spec =
        COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| Error::Usage(format!("unknown command `{name}`")))?;
    let mut reader = Reader { parser, spec, operands: Vec::new(), help: false };
    let command = (spec.read)(&mut reader);
    // `--help` (`-h`) after any command prints the usage, whatever else.
    if reader.help { Ok(Command::Usage) } else { command }
}

/// One command's arguments, read against its [`Spec`]: options come out one
/// at a time, in order, so that each is checked before the next is read;
/// operands are kept until the end.
struct Reader {
    parser: lexopt::Parser,
    spec: &'static Spec,
    operands: Vec<String>,
    /// Whether `--help` came: reading stops there.
    help: bool,
}

/// What a command reads next.
enum Item {
    /// An option of the command's table (by its long name) with its value.
    Opt(&'static str, String),
}

impl Reader {
    /// The next option, keeping operands aside; `None` at the end. Anything
    /// not in the command's table is an error.
    fn next(&mut self) -> Result<Option<Item>, Error> {
        let (_, most) = self.spec.arity();
        loop {
            if self.spec.ignores_rest && self.operands.len() == most {
                return Ok(None);
            }
            let Some(arg) = self.parser.next()? else { return Ok(None) };
            let opt = match arg {
                Arg::Long("help") | Arg::Short('h') => {
                    self.help = true;
                    return Ok(None);
                }
                Arg::Value(v) if self.operands.len() < most => {
                    self.operands.push(v.string()?);
                    continue;
                }
                Arg::Long(name) => self.spec.options.iter().find(|o| o.long == name),
                Arg::Short(c) => self.spec.options.iter().find(|o| o.short == Some(c)),
                Arg::Value(_) => None,
            };
            let Some(opt) = opt else { return Err(arg.unexpected().into()) };
            return Ok(Some(Item::Opt(opt.long, self.parser.value()?.string()?)));
        }
    }

    /// The operands, once every argument has been read.
    fn operands(&mut self) -> Result<Vec<String>, Error> {
        if self.operands.len() < self.spec.arity().0 {
            return Err(self.missing());
        }
        Ok(std::mem::take(&mut self.operands))
    }

    /// The operands of a command that takes exactly `N`, once every argument
    /// has been read.
    fn take<const N: usize>(&mut self) -> Result<Fixed<N>, Error> {
        self.operands()?.try_into().map(Fixed).map_err(|_| self.missing())
    }

    /// Reads to the end a command that has nothing but its `N` operands.
    fn fixed<const N: usize>(&mut self) -> Result<Fixed<N>, Error> {
        if let Some(item) = self.next()? {
            return Err(self.unhandled(item));
        }
        self.take()
    }

    fn missing(&self) -> Error {
        Error::Usage(format!("`retreat {}` needs {}", self.spec.name, self.spec.needs))
    }

    /// An item of the command's table that its reader does not handle: a
    /// slip in this file, told as the invalid option the user sees.
    fn unhandled(&self, item: Item) -> Error {
        match item {
            Item::Opt(long, _) => Error::Usage(format!("invalid option '--{long}'")),
        }
    }
}

/// The operands of a command that takes exactly `N`.
struct Fixed<const N: usize>([String; N]);

fn lint(r: &mut Reader) -> Result<Command, Error> {
    let mut format = LintFormat::Human;
    let mut deny_warnings = false;
    let mut options = Options::default();
    let mut approved = None;
    let mut config = None;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("approved", source) => approved = Some(source),
            Item::Opt("config", file) => config = Some(file),
            Item::Opt("format", v) => {
                format = match v.as_str() {
                    "human" => LintFormat::Human,
                    "json" => LintFormat::Json,
                    "sarif" => LintFormat::Sarif,
                    other => return Err(Error::Usage(format!("unknown format `{other}`; use human, json or sarif"))),
                }
            }
            Item::Opt("deny", what) if what == "warnings" => deny_warnings = true,
            Item::Opt("deny", what) => {
                return Err(Error::Usage(format!("`--deny {what}`: only `--deny warnings` is known")));
            }
            Item::Opt("severity", setting) => options.set_severity(&setting).map_err(Error::Usage)?,
            item => return Err(r.unhandled(item)),
        }
    }
    Ok(Command::Lint(Lint { files: r.operands()?, format, deny_warnings, options, approved, config }))
}

fn lsp(r: &mut Reader) -> Result<Command, Error> {
    let mut options = Options::default();
    let mut config = None;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("severity", setting) => options.set_severity(&setting).map_err(Error::Usage)?,
            Item::Opt("config", file) => config = Some(file),
            item => return Err(r.unhandled(item)),
        }
    }
    r.fixed::<0>()?;
    Ok(Command::Lsp(LspArgs { options, config }))
}

fn rules(r: &mut Reader) -> Result<Command, Error> {
    let mut markdown = false;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("format", v) => {
                markdown = match v.as_str() {
                    "text" => false,
                    "markdown" => true,
                    other => return Err(Error::Usage(format!("unknown format `{other}`; use text or markdown"))),
                }
            }
            item => return Err(r.unhandled(item)),
        }
    }
    r.fixed::<0>()?;
    Ok(Command::Rules { markdown })
}

fn diff(r: &mut Reader) -> Result<Command, Error> {
    let mut json = false;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("format", v) => json = human_or_json(&v)?,
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([before, after]) = r.take()?;
    Ok(Command::Diff(Diff { before, after, json }))
}

fn simulate(r: &mut Reader) -> Result<Command, Error> {
    let mut json = false;
    let mut settings = Settings::DEFAULT;
    let mut threads = None;
    let mut points = Vec::new();
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("format", v) => json = human_or_json(&v)?,
            // Exactly N runs, however precise the figures are before.
            Item::Opt("runs", v) => {
                settings.runs = runs_of(&v)?;
                settings.precision = None;
            }
            Item::Opt("threads", v) => {
                threads = Some(v.parse().ok().filter(|t| (1..=MAX_THREADS).contains(t)).ok_or_else(|| {
                    Error::Usage(format!("`--threads {v}`: give a whole number from 1 to {MAX_THREADS}"))
                })?);
            }
            Item::Opt("seed", v) => settings.seed = seed_of(&v)?,
            Item::Opt("point", step) => points.push(step),
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([file]) = r.take()?;
    Ok(Command::Simulate(Simulate { file, json, settings, threads, points }))
}

fn report(r: &mut Reader) -> Result<Command, Error> {
    let html = md_or_html(r)?;
    let Fixed([file]) = r.take()?;
    Ok(Command::Report(Report { file, html }))
}

fn review(r: &mut Reader) -> Result<Command, Error> {
    let html = md_or_html(r)?;
    let Fixed([file, log]) = r.take()?;
    Ok(Command::Review(ReviewArgs { file, log, html }))
}

/// Reads a document command's options: whether `--format` says HTML.
fn md_or_html(r: &mut Reader) -> Result<bool, Error> {
    let mut html = false;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("format", v) => {
                html = match v.as_str() {
                    "md" | "markdown" => false,
                    "html" => true,
                    other => return Err(Error::Usage(format!("unknown format `{other}`; use md or html"))),
                }
            }
            item => return Err(r.unhandled(item)),
        }
    }
    Ok(html)
}

/// `--runs N`: Monte Carlo runs, 1 to [`MAX_RUNS`].
fn runs_of(v: &str) -> Result<u32, Error> {
    v.parse()
        .ok()
        .filter(|r| (1..=MAX_RUNS).contains(r))
        .ok_or_else(|| Error::Usage(format!("`--runs {v}`: give a whole number from 1 to {MAX_RUNS}")))
}

/// `--seed S`: the Monte Carlo seed.
fn seed_of(v: &str) -> Result<u64, Error> {
    v.parse().map_err(|_| Error::Usage(format!("`--seed {v}`: give a whole number from 0 to {}", u64::MAX)))
}

/// The forecast's odds without `--runs`: enough for a share to about three
/// points either side, quick on any plan a team runs by hand.
pub const FORECAST_RUNS: u32 = 1_000;

fn forecast(r: &mut Reader) -> Result<Command, Error> {
    let (mut json, mut log, mut now) = (false, None, None);
    let (mut runs, mut seed) = (FORECAST_RUNS, Settings::DEFAULT.seed);
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("format", v) => json = human_or_json(&v)?,
            Item::Opt("log", v) => log = Some(v),
            Item::Opt("now", v) => now = Some(v),
            Item::Opt("runs", v) => runs = runs_of(&v)?,
            Item::Opt("seed", v) => seed = seed_of(&v)?,
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([file]) = r.take()?;
    Ok(Command::Forecast(ForecastArgs { file, log, now, json, runs, seed }))
}

fn link(r: &mut Reader) -> Result<Command, Error> {
    let mut base = DEFAULT_BASE.to_string();
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("base", v) => base = v,
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([file]) = r.take()?;
    Ok(Command::Link(Link { file, base }))
}

fn import(r: &mut Reader) -> Result<Command, Error> {
    let mut from = None;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("from", v) => {
                from = Some(retreat_import::Format::from_name(&v).ok_or_else(|| {
                    Error::Usage(format!("unknown format `{v}`; use csv, markdown, sqitch, liquibase or flyway"))
                })?);
            }
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([source]) = r.take()?;
    Ok(Command::Import(Import { source, from }))
}

fn export(r: &mut Reader) -> Result<Command, Error> {
    let mut to = None;
    while let Some(item) = r.next()? {
        match item {
            Item::Opt("to", v) => {
                to = Some(match v.as_str() {
                    "ics" => ExportFormat::Ics,
                    "mermaid" => ExportFormat::Mermaid,
                    "dot" => ExportFormat::Dot,
                    "csv" => ExportFormat::Csv,
                    other => {
                        return Err(Error::Usage(format!("unknown format `{other}`; use ics, mermaid, dot or csv")));
                    }
                });
            }
            item => return Err(r.unhandled(item)),
        }
    }
    let Fixed([file]) = r.take()?;
    let to = to.ok_or_else(|| Error::Usage("`retreat export` needs `--to ics|mermaid|dot|csv`".into()))?;
    Ok(Command::Export(Export { file, to }))
}

/// `--format human|json`: whether it is JSON.
fn human_or_json(value: &str) -> Result<bool, Error> {
    match value {
        "human" => Ok(false),
        "json" => Ok(true),
        other => Err(Error::Usage(format!("unknown format `{other}`; use human or json"))),
    }
}
