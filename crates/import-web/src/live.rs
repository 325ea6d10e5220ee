//! The app's Live tab, worked out in the on-demand module: each click is
//! one change to the run log (`retreat_core::live::edit`), and the board is
//! the forecast from the log at the browser's "now", as HTML with every
//! plan text escaped. The page keeps only the log's text, shows the board,
//! and hands each click back here: so the forecast, the log's reader and
//! writer, and the board's words stay out of the first load.
//!
//! The board's sentences are `retreat_core::live::say`, the same as
//! `retreat forecast`'s: the page and the command line agree by
//! construction, and the end-to-end test checks it on a downloaded log.

use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;

use retreat_core::live::edit::{self, Mark, Subject};
use retreat_core::live::{self, Forecast, LiveRollback, ParsedLog, Status, say};
use retreat_core::model::Timestamp;
use retreat_core::report::html_escape as esc;
use retreat_core::sim::Simulation;
use retreat_core::{Analysis, LineIndex, MonteCarloRuns, Options, Severity, analyze};

/// What the user did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act<'a> {
    /// Nothing: the board at a new "now", or of a log loaded or restored.
    Look,
    /// Start the window: a new log, if there is none.
    Start,
    /// Start or Done, now.
    Mark { step: &'a str, undo: bool, mark: Mark },
    /// A recorded time typed over, `HH:MM` on the window's clock.
    Time { step: &'a str, undo: bool, mark: Mark, hhmm: &'a str },
    /// Call the rollback now, with what was said.
    Call { note: &'a str },
}

/// The Live tab's board.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// The log after the click (as written by `live::write`).
    pub log: String,
    pub html: String,
    /// The rollback deadline, unix seconds, while one is ahead or passed;
    /// `None` once the rollback is called or when no moment fits.
    pub deadline: Option<i64>,
    /// The deadline on the window's clock, `HH:MM`.
    pub deadline_clock: String,
    pub called: bool,
}

/// A plan analysed for the board, kept for the next click: the plan
/// rarely changes while the window runs, and a big one takes longer to
/// analyse than its log to read.
type Analysed = Rc<(Analysis, Simulation)>;

thread_local! {
    static LAST: RefCell<Option<(String, Analysed)>> = const { RefCell::new(None) };
}

fn analysed(plan: &str) -> Result<Analysed, String> {
    if let Some(hit) = LAST.with_borrow(|last| last.as_ref().filter(|(p, _)| p == plan).map(|(_, a)| a.clone())) {
        return Ok(hit);
    }
    let mut analysis = analyze(plan, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    let sim = analysis.simulation.take().ok_or("the plan has no `window`: a live window needs one to count from")?;
    if analysis.graph.is_none() {
        return Err("the plan does not parse: fix its errors first".into());
    }
    let a = Rc::new((analysis, sim));
    LAST.with_borrow_mut(|last| *last = Some((plan.to_string(), a.clone())));
    Ok(a)
}

/// The log after `act` at `now` (unix seconds), and its board.
pub fn live(plan: &str, log: &str, act: Act<'_>, now: i64) -> Result<Board, String> {
    let a = analysed(plan)?;
    let (analysis, sim) = (&a.0, &a.1);
    let at = Timestamp { unix: now, offset: sim.window.start.offset };
    let hash = analysis.hash.as_deref();
    let mut parsed = match (log.trim().is_empty(), act) {
        (true, Act::Start) => {
            let text = live::write(&edit::fresh(hash));
            live::read(&text, &analysis.plan, hash)
        }
        (true, _) => return Err("no window is under way: start it first".into()),
        (false, _) => live::read(log, &analysis.plan, hash),
    };
    if !matches!(act, Act::Look | Act::Start) {
        outside(sim, now)?;
    }
    let mut changed = true;
    match act {
        Act::Look | Act::Start => changed = false,
        Act::Mark { step, undo, mark } => edit::record(&mut parsed.log, Subject { step, undo }, mark, at),
        Act::Time { step, undo, mark, hhmm } => {
            let subject = Subject { step, undo };
            let near = edit::recorded(&parsed.log, subject, mark).map_or(now, |t| t.unix);
            let typed = edit::at_clock(hhmm, sim.window.start.offset, near)
                .ok_or_else(|| format!("`{hhmm}` is not a time of day (HH:MM)"))?;
            edit::record(&mut parsed.log, subject, mark, typed);
        }
        Act::Call { note } => edit::call_rollback(&mut parsed.log, at, Some(note)),
    }
    let text = if changed || log.trim().is_empty() { live::write(&parsed.log) } else { log.to_string() };
    if changed {
        parsed = live::read(&text, &analysis.plan, hash);
    }
    Ok(board(analysis, sim, &parsed, text, now, act == Act::Start))
}

/// `Err` when `now` is further from the window than a log may record
/// (`live::SLACK_SECS`): a click would record a time the log refuses.
fn outside(sim: &Simulation, now: i64) -> Result<(), String> {
    let (open, close) = (sim.window.start.unix, sim.window.end.unix);
    let when = format!("{} at {}", date(sim, 0.0), sim.clock(0.0));
    if now < open - live::SLACK_SECS {
        return Err(format!(
            "The window opens on {when}, in {}: a time recorded now would be outside it. To rehearse now, move the plan's `window` to start now.",
            say::minutes((open - now) as f64)
        ));
    }
    if now > close + live::SLACK_SECS {
        return Err(format!(
            "The window (from {when}) closed {} ago: a time recorded now would be outside it. Load the run log to review it, or move the plan's `window`.",
            say::minutes((now - close) as f64)
        ));
    }
    Ok(())
}

/// The date, on the window's clock, `secs` after the window opens.
fn date(sim: &Simulation, secs: f64) -> String {
    let at = Timestamp { unix: sim.window.start.unix + secs as i64, offset: sim.window.start.offset };
    retreat_core::units::format_timestamp(at).chars().take(10).collect()
}

/// The log as it is now, for download: `as_of` set to `now`, so that
/// `retreat forecast` on the file gives the figures the page showed.
pub fn download(plan: &str, log: &str, now: i64) -> Result<String, String> {
    let a = analysed(plan)?;
    let (analysis, sim) = (&a.0, &a.1);
    let mut parsed = live::read(log, &analysis.plan, analysis.hash.as_deref());
    let at = Timestamp { unix: now, offset: sim.window.start.offset };
    parsed.log.as_of = Some(retreat_core::model::Stamp { at, span: Default::default() });
    Ok(live::write(&parsed.log))
}

fn board(a: &Analysis, sim: &Simulation, parsed: &ParsedLog, log: String, now: i64, fresh: bool) -> Board {
    let mut record = parsed.record.clone();
    record.now = (now - sim.window.start.unix) as f64;
    let graph = a.graph.as_ref().expect("checked by analysed");
    let f = live::forecast(&a.plan, graph, sim, &record).expect("a window");
    let called = live::rollback(&a.plan, graph, sim, &record);
    let mut h = String::new();
    let state = match (&called, f.deadline) {
        (Some(_), _) => "called",
        _ if f.rollback_now.no_way_back => "no-way-back",
        (None, Some(d)) if d >= f.now => "ahead",
        (None, Some(_)) => "passed",
        (None, None) => "none",
    };
    let _ = write!(h, "<div class=\"live-board\" data-state=\"{state}\">");
    let _ = write!(h, "<p class=\"live-now\">As of {}", sim.clock(f.now));
    if f.now < 0.0 || f.now > sim.window_length {
        let _ = write!(h, " on {}", date(sim, f.now));
        match f.now < 0.0 {
            true => {
                let _ = write!(h, " (the window opens on {} at {})", date(sim, 0.0), sim.clock(0.0));
            }
            false => h.push_str(" (after the window)"),
        }
    }
    if fresh && parsed.log.events.is_empty() {
        h.push_str(": the window is under way. Press Start as each step begins and Done as it ends.");
    }
    h.push_str("</p>");
    problems(&mut h, &log, parsed);
    let lines: Vec<String> = match &called {
        Some(r) => vec![say::rollback(sim, r, record.rollback_note.as_deref())],
        None => std::iter::once(say::finish(sim, &f)).chain(say::call(sim, &f)).collect(),
    };
    for line in lines {
        let _ = write!(h, "<p class=\"live-say\">{}</p>", esc(&line));
    }
    if let Some(r) = &called {
        undo_table(&mut h, a, sim, r);
    }
    step_table(&mut h, a, sim, &f, called.is_some());
    h.push_str("</div>");
    let deadline = f.deadline.filter(|_| called.is_none() && !f.rollback_now.no_way_back);
    Board {
        log,
        html: h,
        deadline: deadline.map(|d| sim.window.start.unix + d.round() as i64),
        deadline_clock: deadline.map(|d| sim.clock(d)).unwrap_or_default(),
        called: called.is_some(),
    }
}

/// The log's findings, with their places in the log.
fn problems(h: &mut String, log: &str, parsed: &ParsedLog) {
    if parsed.diagnostics.is_empty() {
        return;
    }
    let index = LineIndex::new(log);
    h.push_str("<ul class=\"live-problems\" aria-label=\"Problems in the run log\">");
    for d in &parsed.diagnostics {
        let at = index.line_col(d.span.start);
        let kind = if d.severity == Severity::Error { "error" } else { "warning" };
        let _ = write!(h, "<li class=\"{kind}\">log line {}:{}: {}</li>", at.line, at.column, esc(&d.message));
    }
    h.push_str("</ul>");
}

fn time_input(h: &mut String, sim: &Simulation, mark: &str, secs: f64, what: &str) {
    let _ = write!(
        h,
        "<input type=\"time\" data-mark=\"{mark}\" value=\"{}\" aria-label=\"{} {mark} at\">",
        sim.clock(secs),
        esc(what)
    );
}

/// A row's last cells: when it ran or will (recorded times as fields to
/// type over), how late, and the button for what comes next, labelled
/// `buttons` (start, done; `None` for no buttons).
fn row_end(
    h: &mut String,
    sim: &Simulation,
    (status, start, finish, late): (Status, f64, f64, f64),
    what: &str,
    buttons: Option<(String, String)>,
) {
    match status {
        Status::Done => {
            time_input(h, sim, "started", start, what);
            h.push('–');
            time_input(h, sim, "finished", finish, what);
        }
        Status::Running => {
            time_input(h, sim, "started", start, what);
            let _ = write!(h, " expected done {}", sim.clock(finish));
        }
        Status::Waiting => {
            let _ = write!(h, "expected {}–{}", sim.clock(start), sim.clock(finish));
        }
    }
    let _ = write!(h, "</td><td>{}</td><td>", late_cell(late));
    match (status, buttons) {
        (Status::Waiting, Some((label, _))) => {
            let _ = write!(h, "<button data-act=\"start\" aria-label=\"{label}\">Start</button>");
        }
        (Status::Running, Some((_, label))) => {
            let _ = write!(h, "<button data-act=\"done\" aria-label=\"{label}\">Done</button>");
        }
        _ => {}
    }
    h.push_str("</td></tr>");
}

fn late_cell(late: f64) -> String {
    match say::late(late).strip_prefix(", ") {
        Some(words) => words.to_string(),
        None => "on time".into(),
    }
}

/// The most rows a table of the board draws: past it, the rows that
/// matter now (every running one, the next waiting ones, the last done
/// ones), and a line that counts the rest.
pub const MAX_ROWS: usize = 400;

/// Which of `statuses` (in list order, with their starts) the board draws:
/// all of them, or past [`MAX_ROWS`] every running one, the 300 waiting
/// ones that start first and the 50 done ones that started last.
fn shown(statuses: &[(Status, f64)]) -> Vec<bool> {
    if statuses.len() <= MAX_ROWS {
        return vec![true; statuses.len()];
    }
    let mut keep: Vec<bool> = statuses.iter().map(|(s, _)| *s == Status::Running).collect();
    for (status, take, latest) in [(Status::Waiting, 300, false), (Status::Done, 50, true)] {
        let mut of: Vec<usize> = (0..statuses.len()).filter(|&k| statuses[k].0 == status).collect();
        of.sort_by(|&x, &y| statuses[x].1.total_cmp(&statuses[y].1).then(x.cmp(&y)));
        if latest {
            of.reverse();
        }
        for k in of.into_iter().take(take) {
            keep[k] = true;
        }
    }
    keep
}

fn rest(h: &mut String, keep: &[bool]) {
    let hidden = keep.iter().filter(|k| !**k).count();
    if hidden > 0 {
        let _ = write!(
            h,
            "<p class=\"muted\">{hidden} more rows not drawn: the board shows what is running, the next to start and the last done. The downloaded log with `retreat forecast` lists every one.</p>"
        );
    }
}

/// The steps, in list order: planned, actual or forecast, and the button
/// for what comes next (none once the rollback is called).
fn step_table(h: &mut String, a: &Analysis, sim: &Simulation, f: &Forecast, called: bool) {
    h.push_str("<table class=\"live-steps\"><thead><tr><th>Step</th><th>Owner</th><th>Planned</th><th>Actual or expected</th><th>Late</th><th></th></tr></thead><tbody>");
    let keep = shown(&f.steps.iter().map(|s| (s.status, s.start)).collect::<Vec<_>>());
    for s in f.steps.iter().zip(&keep).filter(|(_, k)| **k).map(|(s, _)| s) {
        let Some(step) = a.plan.steps.get(s.step) else { continue };
        let id = esc(step.id());
        let status = s.status.as_str();
        let _ = write!(h, "<tr class=\"live-{status}\" data-step=\"{id}\"><td><code>{id}</code>");
        if let Some(d) = &step.do_ {
            let _ = write!(h, " {}", esc(d.as_str()));
        }
        let owner = step.owner.as_ref().map_or(String::new(), |o| esc(o.as_str()));
        let planned = sim.slots.get(s.step).copied().flatten();
        let planned = planned.map_or(String::new(), |p| format!("{}–{}", sim.clock(p.start), sim.clock(p.finish)));
        let _ = write!(h, "</td><td>{owner}</td><td>{planned}</td><td>");
        if called && s.status == Status::Waiting {
            h.push_str("not run</td><td></td><td></td></tr>");
            continue;
        }
        let buttons = (!called).then(|| (format!("Start {id}"), format!("{id} is done")));
        row_end(h, sim, (s.status, s.start, s.finish, s.late), step.id(), buttons);
    }
    h.push_str("</tbody></table>");
    rest(h, &keep);
}

/// The rollback's runbook on the real clock: every undo of what ran, in
/// the order the plan's rollback starts them, then the verification.
fn undo_table(h: &mut String, a: &Analysis, sim: &Simulation, r: &LiveRollback) {
    h.push_str("<h3>The rollback</h3>");
    if let Some(announce) = a.plan.rollback.as_ref().and_then(|r| r.announce.as_ref()) {
        let _ = write!(h, "<p>Announce: {}</p>", esc(announce.as_str()));
    }
    h.push_str("<table class=\"live-undos\"><thead><tr><th>Undo</th><th>Owner</th><th>Planned</th><th>Actual or expected</th><th>Late</th><th></th></tr></thead><tbody>");
    let keep = shown(&r.undos.iter().map(|u| (u.status, u.start)).collect::<Vec<_>>());
    for u in r.undos.iter().zip(&keep).filter(|(_, k)| **k).map(|(u, _)| u) {
        let Some(step) = a.plan.steps.get(u.step) else { continue };
        let id = esc(step.id());
        let what = step.undo.as_ref().and_then(|u| u.do_.as_ref()).map_or(String::new(), |d| esc(d.as_str()));
        let owner = step.undo_owner().map_or(String::new(), esc);
        let _ = write!(
            h,
            "<tr class=\"live-{}\" data-step=\"{id}\" data-undo=\"1\"><td><code>{id}</code> {what}</td><td>{owner}</td><td>{}–{}</td><td>",
            u.status.as_str(),
            sim.clock(u.planned_start),
            sim.clock(u.planned_finish)
        );
        let buttons = Some((format!("Start the undo of {id}"), format!("The undo of {id} is done")));
        let times = (u.status, u.start, u.finish, u.finish - u.planned_finish);
        row_end(h, sim, times, &format!("undo of {}", step.id()), buttons);
    }
    h.push_str("</tbody></table>");
    rest(h, &keep);
    if let Some(v) = a.plan.rollback.as_ref().and_then(|r| r.verify.as_ref()).and_then(|v| v.do_.as_ref()) {
        let last = r.undos.iter().map(|u| u.finish).fold(r.called + sim.decide, f64::max);
        let _ = write!(h, "<p>Then verify, {}–{}: {}</p>", sim.clock(last), sim.clock(r.done), esc(v.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../../tests/fixtures/live/plan.yaml");
    /// 2026-11-28T22:00:00Z, when the plan's window opens.
    const OPENS: i64 = 1_795_903_200;
    const MIN: i64 = 60;

    fn click(log: &str, act: Act<'_>, at: i64) -> Board {
        live(PLAN, log, act, OPENS + at * MIN).expect("a board")
    }

    #[test]
    fn a_window_is_recorded_click_by_click_and_the_board_follows() {
        let b = click("", Act::Start, 0);
        assert_eq!(b.log, "events: []\n".replace("events", &format!("plan_hash: {}\nevents", hash())));
        assert!(
            b.html.contains("data-state=\"ahead\"") && b.html.contains("aria-label=\"Start notify\""),
            "{}",
            b.html
        );
        // The contract's deadline on the plan (section 2): 23:05 + ... as the forecast says.
        let deadline = b.deadline.expect("a deadline ahead");
        assert_eq!(b.deadline_clock, retreat_core::units::clock(start(), (deadline - OPENS) as f64 / 60.0));
        let started = mark(&b.log, "notify", Mark::Started, 0);
        assert!(started.log.contains("{ step: notify, started: 2026-11-28T22:00:00Z }"), "{}", started.log);
        assert!(started.html.contains("<tr class=\"live-running\" data-step=\"notify\">"), "{}", started.html);
        let done = mark(&started.log, "notify", Mark::Finished, 7);
        assert!(done.html.contains("<tr class=\"live-done\" data-step=\"notify\">"), "{}", done.html);
        assert!(done.html.contains("2 min late"), "{}", done.html);
        // A time typed over: 22:06 on the window's clock.
        let typed = click(&done.log, Act::Time { step: "notify", undo: false, mark: Mark::Finished, hhmm: "22:06" }, 9);
        assert!(typed.log.contains("finished: 2026-11-28T22:06:00Z"), "{}", typed.log);
        let bad = live(
            PLAN,
            &typed.log,
            Act::Time { step: "notify", undo: false, mark: Mark::Finished, hhmm: "25:00" },
            OPENS,
        );
        assert_eq!(bad.unwrap_err(), "`25:00` is not a time of day (HH:MM)");
        // Looking later changes nothing in the log.
        assert_eq!(click(&typed.log, Act::Look, 30).log, typed.log);
    }

    fn hash() -> String {
        retreat_core::parse(PLAN).hash.expect("a hash")
    }

    fn start() -> Timestamp {
        Timestamp { unix: OPENS, offset: 0 }
    }

    fn mark(log: &str, step: &str, mark: Mark, at: i64) -> Board {
        click(log, Act::Mark { step, undo: false, mark }, at)
    }

    #[test]
    fn a_called_rollback_becomes_the_runbook_of_what_ran() {
        let mut log = click("", Act::Start, 0).log;
        for (step, from, to) in [("notify", 0, 5), ("baseline", 5, 15), ("backup", 15, 25), ("stop-feed", 25, 30)] {
            log = mark(&log, step, Mark::Started, from).log;
            log = mark(&log, step, Mark::Finished, to).log;
        }
        log = mark(&log, "switch", Mark::Started, 30).log;
        let called = click(&log, Act::Call { note: "ORU messages <dropped>" }, 40);
        assert!(called.called && called.deadline.is_none());
        assert!(called.html.contains("data-state=\"called\""), "{}", called.html);
        assert!(called.html.contains("Rollback called at 22:40 (ORU messages &lt;dropped&gt;)"), "{}", called.html);
        assert!(called.html.contains("data-step=\"switch\" data-undo=\"1\""), "{}", called.html);
        assert!(!called.html.contains("aria-label=\"Start go-no-go\""), "no forward buttons after the call");
        let undo = click(&called.log, Act::Mark { step: "switch", undo: true, mark: Mark::Started }, 41);
        assert!(undo.log.contains("{ undo: switch, started: 2026-11-28T22:41:00Z }"), "{}", undo.log);
        let file = download(PLAN, &undo.log, OPENS + 45 * MIN).expect("a log");
        assert!(file.contains("as_of: 2026-11-28T22:45:00Z\n"), "{file}");
    }

    #[test]
    fn a_big_plans_board_draws_the_rows_that_matter_now() {
        let plan = retreat_core::synth::plan(2000, 7);
        let opens = retreat_core::parse(&plan).plan.window.map(|w| w.start.unix).expect("a window");
        let start = live(&plan, "", Act::Start, opens).expect("board");
        let first = retreat_core::parse(&plan)
            .plan
            .steps
            .iter()
            .find(|s| s.phase != retreat_core::model::Phase::Prep)
            .map(|s| s.id().to_string())
            .expect("a step");
        let b = live(&plan, &start.log, Act::Mark { step: &first, undo: false, mark: Mark::Started }, opens)
            .expect("board");
        let rows = b.html.matches("<tr class=\"live-").count();
        assert!((300..=MAX_ROWS).contains(&rows), "{rows} rows");
        assert!(
            b.html.contains(&format!("<tr class=\"live-running\" data-step=\"{first}\">")),
            "the running step is drawn"
        );
        assert!(b.html.contains("more rows not drawn"), "the rest is counted");
    }

    #[test]
    fn a_click_far_from_the_window_says_when_the_window_is() {
        let early = live(
            PLAN,
            &click("", Act::Start, 0).log,
            Act::Mark { step: "notify", undo: false, mark: Mark::Started },
            OPENS - 3 * 86_400,
        );
        assert_eq!(
            early.unwrap_err(),
            "The window opens on 2026-11-28 at 22:00, in 72 h: a time recorded now would be outside it. To rehearse now, move the plan's `window` to start now."
        );
        let look = live(PLAN, &click("", Act::Start, 0).log, Act::Look, OPENS - 3 * 86_400 + 90).expect("a look");
        assert!(
            look.html.contains("As of 22:01 on 2026-11-25 (the window opens on 2026-11-28 at 22:00)"),
            "{}",
            look.html
        );
        let late = live(PLAN, &click("", Act::Start, 0).log, Act::Call { note: "" }, OPENS + 9 * 86_400);
        assert!(late.unwrap_err().starts_with("The window (from 2026-11-28 at 22:00) closed 210 h ago"));
    }

    #[test]
    fn what_cannot_go_live_says_why() {
        assert!(
            live("title: x\nsteps: [{id: a, do: b, takes: 5m}]\n", "", Act::Start, OPENS)
                .unwrap_err()
                .contains("window")
        );
        assert!(live(PLAN, "", Act::Look, OPENS).unwrap_err().contains("start it first"));
        // A log with a bad event: the board lists it with its place.
        let b = live(PLAN, "events:\n  - { step: nope, started: 2026-11-28T22:00:00Z }\n", Act::Look, OPENS)
            .expect("board");
        assert!(b.html.contains("log line 2:") && b.html.contains("nope"), "{}", b.html);
    }
}
