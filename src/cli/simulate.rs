//! `retreat simulate`: the contract's JSON (section 4), or a table of failure
//! points, the rollback deadline and a text timeline of the window.
//!
//! Both are written as they are worked out, point by point, so that a big
//! plan's output never sits in memory whole. The JSON stays linear in the
//! plan's size: each point's `undo_order` (a rollback's waves, as long as
//! the steps started) is written only while the plan has at most
//! [`MAX_POINTS_WITH_WAVES`] scheduled steps, or for the points `--point`
//! chose.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use retreat_core::limits::MAX_POINTS_WITH_WAVES;
use retreat_core::model::Phase;
use retreat_core::sim::{FailurePoint, Simulation, say};
use retreat_core::units::format_timestamp;
use retreat_core::{Analysis, Plan};

/// Columns of the text timeline.
const TIMELINE_COLUMNS: usize = 60;

/// Leftovers listed under one point of the table; the rest are counted.
const LEFTOVERS_SHOWN: usize = 5;

fn minutes(secs: f64) -> f64 {
    secs / 60.0
}

/// Which failure points to write: all of them, or those `--point` named
/// (by their places in [`Simulation::points`], in that order).
pub enum Points {
    All,
    Chosen(Vec<usize>),
}

impl Points {
    /// The points `names` (step ids given to `--point`) choose; all of them
    /// when there are none. An id that is no failure point is an error that
    /// says why, naming the closest failure point's id where one is close.
    pub fn choose(plan: &Plan, sim: &Simulation, names: &[String]) -> Result<Points, String> {
        if names.is_empty() {
            return Ok(Points::All);
        }
        let mut places: HashMap<&str, Vec<usize>> = HashMap::with_capacity(sim.points.len());
        for (k, p) in sim.points.iter().enumerate() {
            places.entry(plan.steps[p.step].id()).or_default().push(k);
        }
        let mut chosen = vec![false; sim.points.len()];
        for name in names {
            let Some(found) = places.get(name.as_str()) else {
                return Err(not_a_point(plan, &places, name));
            };
            for &k in found {
                chosen[k] = true;
            }
        }
        Ok(Points::Chosen((0..chosen.len()).filter(|&k| chosen[k]).collect()))
    }

    /// Whether every point gets its waves: chosen points always do, and all
    /// of them in a plan of at most [`MAX_POINTS_WITH_WAVES`] scheduled steps.
    fn with_waves(&self, sim: &Simulation) -> bool {
        matches!(self, Points::Chosen(_)) || sim.points.len() <= MAX_POINTS_WITH_WAVES
    }

    fn places(&self, sim: &Simulation) -> Box<dyn Iterator<Item = usize> + '_> {
        match self {
            Points::All => Box::new(0..sim.points.len()),
            Points::Chosen(places) => Box::new(places.iter().copied()),
        }
    }

    fn count(&self, sim: &Simulation) -> usize {
        match self {
            Points::All => sim.points.len(),
            Points::Chosen(places) => places.len(),
        }
    }
}

/// Why `--point name` names no failure point.
fn not_a_point(plan: &Plan, places: &HashMap<&str, Vec<usize>>, name: &str) -> String {
    if let Some(step) = plan.steps.iter().find(|s| s.id() == name) {
        let phase = match step.phase {
            Phase::Prep => "a prep step, done before the window opens",
            _ => "a post step, done after the window",
        };
        return format!("`--point {name}`: `{name}` is {phase}; failure points are the steps scheduled in the window");
    }
    let mut known: Vec<&str> = places.keys().copied().collect();
    known.sort_unstable();
    match retreat_core::closest(name, &known) {
        Some(near) => format!("`--point {name}`: no step `{name}` in the plan; did you mean `{near}`?"),
        None => format!("`--point {name}`: no step `{name}` in the plan"),
    }
}

#[derive(Serialize)]
struct Report<'a> {
    window: WindowOut,
    forward: Forward<'a>,
    rollback_deadline_minutes: Option<f64>,
    /// `"omitted"` when the points leave their waves out.
    #[serde(skip_serializing_if = "Option::is_none")]
    undo_order: Option<&'static str>,
    failure_points: PointsOut<'a>,
    monte_carlo: Option<MonteCarloOut<'a>>,
    /// What the plan's `crew` cost (a field beside the contract's; only
    /// with `crew`).
    #[serde(skip_serializing_if = "Option::is_none")]
    crew: Option<CrewOut<'a>>,
}

#[derive(Serialize)]
struct CrewOut<'a> {
    /// How much later the steps finish than with unlimited hands.
    forward_longer_minutes: f64,
    /// How many rollbacks take longer, the most, and from which point.
    rollbacks_longer: usize,
    most_longer_minutes: f64,
    most_longer_at: Option<&'a str>,
    /// The plan was too big to schedule every rollback with its crews.
    rollbacks_without_crews: bool,
}

#[derive(Serialize)]
struct WindowOut {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Forward<'a> {
    finish_minutes: f64,
    fits: bool,
    critical_path: Vec<&'a str>,
}

/// The failure points, each worked out as it is written.
struct PointsOut<'a> {
    analysis: &'a Analysis,
    sim: &'a Simulation,
    points: &'a Points,
    waves: bool,
}

impl Serialize for PointsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.points.count(self.sim)))?;
        for k in self.points.places(self.sim) {
            seq.serialize_element(&point(self.analysis, self.sim, &self.sim.points[k], self.waves))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Point<'a> {
    step: &'a str,
    fail_minutes: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    undo_order: Option<Vec<Vec<&'a str>>>,
    rollback_minutes: f64,
    done_minutes: f64,
    margin_minutes: f64,
    fits: bool,
    no_way_back: bool,
    leftovers: Vec<LeftoverOut>,
}

#[derive(Serialize)]
struct LeftoverOut {
    resource: String,
    state: String,
    baseline: String,
}

fn point<'a>(analysis: &'a Analysis, sim: &Simulation, p: &FailurePoint, waves: bool) -> Point<'a> {
    let id = |i: usize| analysis.plan.steps[i].id();
    Point {
        step: id(p.step),
        fail_minutes: minutes(p.fail),
        undo_order: waves
            .then(|| undo_waves(analysis, sim, p).into_iter().map(|w| w.into_iter().map(id).collect()).collect()),
        rollback_minutes: minutes(p.chain),
        done_minutes: minutes(p.done),
        margin_minutes: minutes(p.margin),
        fits: p.fits,
        no_way_back: p.no_way_back,
        leftovers: sim
            .leftovers(p)
            .into_iter()
            .map(|l| LeftoverOut { resource: l.resource, state: l.state, baseline: l.baseline })
            .collect(),
    }
}

/// The rollback's waves from `p`: linear in the plan's size, so written for
/// a bounded number of points only.
fn undo_waves(analysis: &Analysis, sim: &Simulation, p: &FailurePoint) -> Vec<Vec<usize>> {
    analysis.graph.as_ref().map(|g| sim.rollback(g, p).waves).unwrap_or_default()
}

#[derive(Serialize)]
struct MonteCarloOut<'a> {
    runs: u32,
    seed: u64,
    p_forward_fits: f64,
    p_rollback_fits: Shares<'a>,
    /// The precision reached: the largest 95% half-width over the shares.
    half_width: f64,
}

/// `{"step": share, ...}` in the order of the failure points.
struct Shares<'a> {
    analysis: &'a Analysis,
    sim: &'a Simulation,
    shares: &'a [f64],
}

impl Serialize for Shares<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.shares.len().min(self.sim.points.len())))?;
        for (p, share) in self.sim.points.iter().zip(self.shares) {
            map.serialize_entry(self.analysis.plan.steps[p.step].id(), share)?;
        }
        map.end()
    }
}

/// The contract's object, and a line end.
pub fn json(out: &mut dyn Write, analysis: &Analysis, sim: &Simulation, points: &Points) -> io::Result<()> {
    let id = |i: usize| analysis.plan.steps[i].id();
    let waves = points.with_waves(sim);
    let report = Report {
        window: WindowOut { start: format_timestamp(sim.window.start), end: format_timestamp(sim.window.end) },
        forward: Forward {
            finish_minutes: minutes(sim.forward_finish),
            fits: sim.forward_fits,
            critical_path: sim.critical_path.iter().map(|&i| id(i)).collect(),
        },
        rollback_deadline_minutes: sim.deadline.map(minutes),
        undo_order: (!waves).then_some("omitted"),
        failure_points: PointsOut { analysis, sim, points, waves },
        monte_carlo: sim.monte_carlo.as_ref().map(|mc| MonteCarloOut {
            runs: mc.runs,
            seed: mc.seed,
            p_forward_fits: mc.p_forward_fits,
            p_rollback_fits: Shares { analysis, sim, shares: &mc.p_rollback_fits },
            half_width: mc.half_width,
        }),
        crew: sim.crew_effect().map(|c| CrewOut {
            forward_longer_minutes: minutes(c.forward_longer),
            rollbacks_longer: c.rollbacks_longer,
            most_longer_minutes: minutes(c.most_longer),
            most_longer_at: c.most_longer_at.map(id),
            rollbacks_without_crews: c.rollbacks_without_crews,
        }),
    };
    serde_json::to_writer(&mut *out, &report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn percent(share: f64) -> String {
    if share >= 1.0 || share <= 0.0 { format!("{:.0}%", share * 100.0) } else { format!("{:.1}%", share * 100.0) }
}

/// The window, the forward plan and the deadline, then the table of failure
/// points (with each one's waves when `--point` chose them) and the timeline.
pub fn human(out: &mut dyn Write, analysis: &Analysis, sim: &Simulation, points: &Points) -> io::Result<()> {
    let plan = &analysis.plan;
    let id = |i: usize| plan.steps[i].id();
    let offset = format_timestamp(sim.window.start);
    let offset = offset.get(19..).unwrap_or("");
    writeln!(
        out,
        "Window    {} to {} ({}), {}",
        format_timestamp(sim.window.start).replace('T', " ").get(..16).unwrap_or(""),
        sim.clock(sim.window_length),
        if offset == "Z" { "UTC" } else { offset },
        say(sim.window_length)
    )?;
    let spare = sim.window_length - sim.forward_finish;
    writeln!(
        out,
        "Forward   done at {} after {}: {}",
        sim.clock(sim.forward_finish),
        say(sim.forward_finish),
        if spare >= 0.0 {
            format!("fits, {} to spare", say(spare))
        } else {
            format!("{} too long for the window", say(-spare))
        }
    )?;
    if let Some(mc) = &sim.monte_carlo {
        writeln!(
            out,
            "          fits in {} of {} simulated runs (shares within ±{:.1} percentage points, 95% confidence)",
            percent(mc.p_forward_fits),
            mc.runs,
            mc.half_width * 100.0
        )?;
    }
    if !sim.critical_path.is_empty() {
        let path: Vec<&str> = sim.critical_path.iter().map(|&i| id(i)).collect();
        writeln!(out, "          critical path: {}", path.join(" -> "))?;
    }
    if let Some(c) = sim.crew_effect() {
        writeln!(out, "Crews     {}", c.describe(&analysis.plan, sim))?;
    }
    match sim.deadline {
        Some(t) => {
            writeln!(out, "Deadline  a rollback can be called until {} ({} into the window)", sim.clock(t), say(t))?
        }
        None => writeln!(out, "Deadline  none: no moment of the window leaves time for a complete rollback")?,
    }
    writeln!(out)?;
    table(out, analysis, sim, points)?;
    writeln!(out)?;
    timeline(out, plan, sim)
}

fn table(out: &mut dyn Write, analysis: &Analysis, sim: &Simulation, points: &Points) -> io::Result<()> {
    let plan = &analysis.plan;
    let width = points.places(sim).map(|k| plan.steps[sim.points[k].step].id().chars().count()).max();
    let width = width.unwrap_or(4).clamp(4, 40);
    write!(
        out,
        "Failure points (a failure just as the step would finish):\n  {:<width$}  {:>8}  {:>12}  {:>7}  {:>14}  {:>7}\n",
        "step", "fails at", "rollback", "done at", "margin", "P(fit)"
    )?;
    let shares = sim.monte_carlo.as_ref().map(|mc| &mc.p_rollback_fits);
    for k in points.places(sim) {
        let p = &sim.points[k];
        let name: String = plan.steps[p.step].id().chars().take(width).collect();
        let p_fit = shares.and_then(|s| s.get(k)).map_or("-".to_string(), |&s| percent(s));
        let (rollback, margin) = if p.no_way_back {
            ("no way back".to_string(), "-".to_string())
        } else {
            let sign = if p.margin >= 0.0 { "+" } else { "-" };
            (say(p.chain), format!("{sign}{}{}", say(p.margin.abs()), if p.fits { "" } else { " !" }))
        };
        writeln!(
            out,
            "  {name:<width$}  {:>8}  {rollback:>12}  {:>7}  {margin:>14}  {:>7}",
            sim.clock(p.fail),
            if p.no_way_back { "-".to_string() } else { sim.clock(p.done) },
            if p.no_way_back { "-".to_string() } else { p_fit },
        )?;
        for l in sim.some_leftovers(p, LEFTOVERS_SHOWN) {
            writeln!(out, "  {:<width$}    leaves {} {} (baseline {})", "", l.resource, l.state, l.baseline)?;
        }
        let count = sim.leftover_count(p);
        if count > LEFTOVERS_SHOWN {
            let more = count - LEFTOVERS_SHOWN;
            writeln!(out, "  {:<width$}    and {more} more off their baseline (`--format json` lists them)", "")?;
        }
        if matches!(points, Points::Chosen(_)) {
            let waves = undo_waves(analysis, sim, p);
            let told: Vec<String> =
                waves.iter().map(|w| w.iter().map(|&i| plan.steps[i].id()).collect::<Vec<_>>().join(", ")).collect();
            let told = if told.is_empty() { "nothing to undo".to_string() } else { told.join("; then ") };
            writeln!(out, "  {:<width$}    undo in waves: {told}", "")?;
        }
    }
    let fitting = sim.points.iter().filter(|p| p.fits && !p.no_way_back).count();
    writeln!(out, "  a complete rollback fits from {fitting} of {} points", sim.points.len())
}

/// One row per scheduled step over the window, then the deadline.
fn timeline(out: &mut dyn Write, plan: &Plan, sim: &Simulation) -> io::Result<()> {
    let cols = TIMELINE_COLUMNS;
    let span = sim.window_length.max(1.0);
    let col = |t: f64| ((t / span) * cols as f64).floor().clamp(0.0, cols as f64) as usize;
    let width = plan.steps.iter().map(|s| s.id().chars().count()).max().unwrap_or(4).clamp(8, 24);
    writeln!(
        out,
        "Timeline ({} to {}, one column = {}):",
        sim.clock(0.0),
        sim.clock(sim.window_length),
        say(span / cols as f64)
    )?;
    let mut rows: Vec<(usize, f64, f64)> =
        sim.slots.iter().enumerate().filter_map(|(i, s)| s.map(|s| (i, s.start, s.finish))).collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    for (i, start, finish) in rows {
        let mut line = vec![' '; cols];
        let (from, to) = (col(start), col(finish).max(col(start) + 1));
        for c in line.iter_mut().take(to.min(cols)).skip(from.min(cols - 1)) {
            *c = '#';
        }
        let overflow = if finish > sim.window_length { ">" } else { "" };
        let name: String = plan.steps[i].id().chars().take(width).collect();
        writeln!(out, "  {name:<width$} |{}|{overflow}", line.into_iter().collect::<String>())?;
    }
    if let Some(t) = sim.deadline {
        let mut line = vec![' '; cols];
        line[col(t).min(cols - 1)] = '^';
        writeln!(
            out,
            "  {:<width$} |{}| rollback deadline {}",
            "",
            line.into_iter().collect::<String>(),
            sim.clock(t)
        )?;
    }
    Ok(())
}
