//! The live window's commands (contract, section 6). `retreat forecast
//! PLAN --log LOG [--now TS]`: the live board from a run log, as a status
//! board for people or as the contract's JSON; `retreat review PLAN LOG`:
//! the post-implementation review. The figures are the core's
//! (`retreat_core::live`).

use std::io::{self, Write};

use retreat_core::live::{self, Forecast, Odds, Status};
use retreat_core::sim::Simulation;
use retreat_core::{Analysis, Options};
use serde_json::{Value, json};

use super::args::{ForecastArgs, ReviewArgs};
use super::error::{Error, FINDINGS, OK};
use super::human::{self, Style};
use super::input::{load_plan, read};

/// A plan with a window and its run log, read; the log's findings told on
/// standard error.
struct Live {
    analysis: Analysis,
    parsed: live::ParsedLog,
    /// How many of the log's findings are errors.
    errors: usize,
}

/// `log` is required; `None` is said once the plan is read.
fn load(file: &str, log: Option<&str>) -> Result<Live, Error> {
    let bytes = load_plan(file)?;
    let options = Options { monte_carlo: retreat_core::MonteCarloRuns::Skip, ..Options::default() };
    let (_, analysis) = retreat_core::analyze_bytes(&bytes, &options);
    if analysis.simulation.is_none() {
        return Err(Error::Unreadable(format!("`{file}` has no `window`: a run log has nothing to count from")));
    }
    let log = log.ok_or_else(|| Error::Usage("`retreat forecast` needs the run log: `--log LOG`".into()))?;
    let log_bytes = read(log)?;
    let log_text = retreat_core::parse::decode(&log_bytes)
        .map_err(|d| Error::Unreadable(format!("cannot read `{log}`: {}", d.message)))?;
    let parsed = live::read(log_text, &analysis.plan, analysis.hash.as_deref());
    let errors = parsed.diagnostics.iter().filter(|d| d.severity == retreat_core::Severity::Error).count();
    if !parsed.diagnostics.is_empty() {
        let mut err = io::stderr().lock();
        let _ = human::findings(&mut err, log, log_text, &parsed.diagnostics, Style::for_stdout());
    }
    Ok(Live { analysis, parsed, errors })
}

/// Runs the forecast; the status is 1 when the log had errors (the
/// forecast is still made from what could be read).
pub fn run(args: &ForecastArgs, out: &mut super::output::Output) -> Result<u8, Error> {
    let Live { analysis, mut parsed, errors } = load(&args.file, args.log.as_deref())?;
    let (Some(graph), Some(sim)) = (&analysis.graph, &analysis.simulation) else {
        return Err(Error::Unreadable(format!("`{}` has no `window`: nothing to forecast against", args.file)));
    };
    if let Some(now) = &args.now {
        let at =
            retreat_core::units::parse_timestamp(now).map_err(|why| Error::Usage(format!("`--now {now}`: {why}")))?;
        parsed.record.now = (at.unix - sim.window.start.unix) as f64;
    }
    let Some(f) = live::forecast(&analysis.plan, graph, sim, &parsed.record) else {
        return Err(Error::Unreadable(format!("`{}` has no `window`: nothing to forecast against", args.file)));
    };
    // Once a rollback is called, the odds of the steps ahead say nothing.
    let called = live::rollback(&analysis.plan, graph, sim, &parsed.record);
    let odds = match called {
        Some(_) => None,
        None => live::odds(&analysis.plan, graph, sim, &parsed.record, &f, args.runs, args.seed),
    };
    out.stream(|w| {
        if args.json {
            write_json(w, &analysis, sim, &f, odds.as_ref(), called.as_ref())
        } else {
            let note = parsed.record.rollback_note.as_deref();
            board(w, &analysis, sim, &f, called.as_ref().map(|r| (r, note)))?;
            odds.as_ref().map_or(Ok(()), |o| odds_line(w, o))
        }
    })?;
    Ok(if errors > 0 { FINDINGS } else { OK })
}

/// Writes the review; the status is 1 when the log had errors.
pub fn review(args: &ReviewArgs, out: &mut super::output::Output) -> Result<u8, Error> {
    let Live { analysis, parsed, errors } = load(&args.file, Some(&args.log))?;
    let doc = live::review(&analysis, &parsed.record)
        .ok_or_else(|| Error::Unreadable(format!("`{}` has no `window`", args.file)))?;
    let html = args.html;
    out.stream(|w| {
        super::output::text_into(w, |t| {
            if html { retreat_core::report::write_html(t, &doc) } else { retreat_core::report::write_markdown(t, &doc) }
        })
    })?;
    Ok(if errors > 0 { FINDINGS } else { OK })
}

fn minutes(secs: f64) -> f64 {
    secs / 60.0
}

/// The contract's object, written as it is made: one step or point at a
/// time (a big plan's would otherwise be held whole, twice).
/// The odds from now on, in one sentence.
fn odds_line(w: &mut dyn Write, o: &Odds) -> io::Result<()> {
    let pc = |p: f64| format!("{:.0}%", p * 100.0);
    writeln!(
        w,
        "Odds from now ({} runs of what is still to come): the steps finish inside the window in {}, a rollback called now fits in {}, and one can still be called later in {}.",
        o.runs,
        pc(o.forward_fits),
        pc(o.rollback_now_fits),
        pc(o.deadline_ahead)
    )
}

fn write_json(
    w: &mut dyn Write,
    a: &Analysis,
    sim: &Simulation,
    f: &Forecast,
    odds: Option<&Odds>,
    called: Option<&live::LiveRollback>,
) -> io::Result<()> {
    let id = |x: usize| a.plan.steps.get(x).map_or("", |s| s.id());
    let field = |w: &mut dyn Write, key: &str, value: &Value| -> io::Result<()> {
        write!(w, "{}:", Value::from(key))?;
        serde_json::to_writer(&mut *w, value).map_err(io::Error::from)
    };
    let r = &f.rollback_now;
    let head = [
        ("as_of_minutes", json!(minutes(f.now))),
        ("as_of", json!(sim.clock(f.now))),
        ("forward", json!({"finish_minutes": minutes(f.forward_finish), "fits": f.forward_fits})),
        (
            "rollback_now",
            json!({"rollback_minutes": minutes(r.chain), "done_minutes": minutes(r.done),
                   "margin_minutes": minutes(r.margin), "fits": r.fits, "no_way_back": r.no_way_back}),
        ),
        ("rollback_deadline_minutes", json!(f.deadline.map(minutes))),
        ("minutes_to_deadline", json!(f.to_deadline().map(minutes))),
    ];
    w.write_all(b"{")?;
    for (key, value) in &head {
        field(w, key, value)?;
        w.write_all(b",")?;
    }
    let steps = f.steps.iter().map(|s| {
        json!({"step": id(s.step), "status": s.status.as_str(), "start_minutes": minutes(s.start),
               "finish_minutes": minutes(s.finish), "late_minutes": minutes(s.late)})
    });
    list(w, "steps", steps)?;
    w.write_all(b",")?;
    let points = f.points.iter().map(|p| {
        json!({"step": id(p.step), "fail_minutes": minutes(p.fail), "rollback_minutes": minutes(p.chain),
               "done_minutes": minutes(p.done), "margin_minutes": minutes(p.margin), "fits": p.fits,
               "no_way_back": p.no_way_back})
    });
    list(w, "failure_points", points)?;
    if let Some(o) = odds {
        let shares: serde_json::Map<String, Value> =
            f.points.iter().zip(&o.points).map(|(p, &share)| (id(p.step).to_string(), json!(share))).collect();
        w.write_all(b",")?;
        let mc = json!({"runs": o.runs, "seed": o.seed, "p_forward_fits": o.forward_fits,
                        "p_rollback_now_fits": o.rollback_now_fits, "p_deadline_ahead": o.deadline_ahead,
                        "p_rollback_fits": shares});
        field(w, "monte_carlo", &mc)?;
    }
    if let Some(r) = called {
        let undos: Vec<Value> = r
            .undos
            .iter()
            .map(|u| {
                json!({"step": id(u.step), "status": u.status.as_str(), "start_minutes": minutes(u.start),
                       "finish_minutes": minutes(u.finish), "planned_start_minutes": minutes(u.planned_start),
                       "planned_finish_minutes": minutes(u.planned_finish)})
            })
            .collect();
        let rollback = json!({"called_minutes": minutes(r.called), "done_minutes": minutes(r.done),
                              "planned_done_minutes": minutes(r.planned_done), "margin_minutes": minutes(r.margin),
                              "fits": r.margin >= 0.0, "undone": r.undone, "no_way_back": r.no_way_back,
                              "undos": undos});
        w.write_all(b",")?;
        field(w, "rollback_called", &rollback)?;
    }
    w.write_all(b"}\n")
}

/// `"key":[item,...]`, each item written as it comes.
fn list(w: &mut dyn Write, key: &str, items: impl Iterator<Item = Value>) -> io::Result<()> {
    write!(w, "{}:[", Value::from(key))?;
    for (k, item) in items.enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, &item).map_err(io::Error::from)?;
    }
    w.write_all(b"]")
}

/// The status board: done, running, waiting (with what is late), then the
/// call, or how the rollback under way goes (the sentences are the core's,
/// the same as the app's Live tab).
fn board(
    w: &mut dyn Write,
    a: &Analysis,
    sim: &Simulation,
    f: &Forecast,
    called: Option<(&live::LiveRollback, Option<&str>)>,
) -> io::Result<()> {
    let id = |x: usize| retreat_core::show_invisible(a.plan.steps.get(x).map_or("", |s| s.id())).into_owned();
    writeln!(w, "As of {}:", sim.clock(f.now))?;
    for (status, title) in [(Status::Done, "Done"), (Status::Running, "Running"), (Status::Waiting, "Waiting")] {
        let rows: Vec<_> = f.steps.iter().filter(|s| s.status == status).collect();
        if rows.is_empty() {
            continue;
        }
        if called.is_some() && status == Status::Waiting {
            let ids: Vec<String> = rows.iter().map(|s| id(s.step)).collect();
            writeln!(w, "  Not run (the rollback was called): {}", ids.join(", "))?;
            continue;
        }
        writeln!(w, "  {title}:")?;
        for s in rows {
            writeln!(w, "    {:<24} {}{}", id(s.step), live::say::when(sim, s), live::say::late(s.late))?;
        }
    }
    if let Some((r, note)) = called {
        writeln!(w, "{}", live::say::rollback(sim, r, note))?;
        for u in &r.undos {
            let s = live::StepForecast { step: u.step, status: u.status, start: u.start, finish: u.finish, late: 0.0 };
            let late = live::say::late(u.finish - u.planned_finish);
            writeln!(w, "    undo {:<19} {}{late}", id(u.step), live::say::when(sim, &s))?;
        }
        return Ok(());
    }
    writeln!(w, "{}", live::say::finish(sim, f))?;
    for line in live::say::call(sim, f) {
        writeln!(w, "{line}")?;
    }
    Ok(())
}
