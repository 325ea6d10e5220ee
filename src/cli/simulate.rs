//! `retreat simulate`: the contract's JSON (section 4), or a table of failure
//! points, the rollback deadline and a text timeline of the window.

use serde::Serialize;
use serde::ser::SerializeMap;

use retreat_core::sim::{Simulation, say};
use retreat_core::units::format_timestamp;
use retreat_core::{Analysis, Plan};

/// Columns of the text timeline.
const TIMELINE_COLUMNS: usize = 60;

fn minutes(secs: f64) -> f64 {
    secs / 60.0
}

#[derive(Serialize)]
struct Report<'a> {
    window: WindowOut,
    forward: Forward<'a>,
    rollback_deadline_minutes: Option<f64>,
    failure_points: Vec<Point<'a>>,
    monte_carlo: Option<MonteCarloOut<'a>>,
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

#[derive(Serialize)]
struct Point<'a> {
    step: &'a str,
    fail_minutes: f64,
    undo_order: Vec<Vec<&'a str>>,
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

#[derive(Serialize)]
struct MonteCarloOut<'a> {
    runs: u32,
    seed: u64,
    p_forward_fits: f64,
    p_rollback_fits: Shares<'a>,
}

/// `{"step": share, ...}` in the order of the failure points.
struct Shares<'a>(Vec<(&'a str, f64)>);

impl Serialize for Shares<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (step, share) in &self.0 {
            map.serialize_entry(step, share)?;
        }
        map.end()
    }
}

pub fn json(analysis: &Analysis, sim: &Simulation) -> String {
    let plan = &analysis.plan;
    let id = |i: usize| plan.steps[i].id();
    let graph = analysis.graph.as_ref();
    let report = Report {
        window: WindowOut { start: format_timestamp(sim.window.start), end: format_timestamp(sim.window.end) },
        forward: Forward {
            finish_minutes: minutes(sim.forward_finish),
            fits: sim.forward_fits,
            critical_path: sim.critical_path.iter().map(|&i| id(i)).collect(),
        },
        rollback_deadline_minutes: sim.deadline.map(minutes),
        failure_points: sim
            .points
            .iter()
            .map(|p| Point {
                step: id(p.step),
                fail_minutes: minutes(p.fail),
                undo_order: graph
                    .map(|g| sim.rollback(g, p).waves)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|wave| wave.into_iter().map(id).collect())
                    .collect(),
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
            })
            .collect(),
        monte_carlo: sim.monte_carlo.as_ref().map(|mc| MonteCarloOut {
            runs: mc.runs,
            seed: mc.seed,
            p_forward_fits: mc.p_forward_fits,
            p_rollback_fits: Shares(
                sim.points.iter().zip(&mc.p_rollback_fits).map(|(p, &s)| (id(p.step), s)).collect(),
            ),
        }),
    };
    let mut out = serde_json::to_string(&report).unwrap_or_default();
    out.push('\n');
    out
}

fn percent(share: f64) -> String {
    if share >= 1.0 || share <= 0.0 { format!("{:.0}%", share * 100.0) } else { format!("{:.1}%", share * 100.0) }
}

pub fn human(analysis: &Analysis, sim: &Simulation) -> String {
    let plan = &analysis.plan;
    let id = |i: usize| plan.steps[i].id();
    let mut out = String::new();
    let offset = format_timestamp(sim.window.start);
    let offset = offset.get(19..).unwrap_or("");
    out.push_str(&format!(
        "Window    {} to {} ({}), {}\n",
        format_timestamp(sim.window.start).replace('T', " ").get(..16).unwrap_or(""),
        sim.clock(sim.window_length),
        if offset == "Z" { "UTC" } else { offset },
        say(sim.window_length)
    ));
    let spare = sim.window_length - sim.forward_finish;
    out.push_str(&format!(
        "Forward   done at {} after {}: {}\n",
        sim.clock(sim.forward_finish),
        say(sim.forward_finish),
        if spare >= 0.0 {
            format!("fits, {} to spare", say(spare))
        } else {
            format!("{} too long for the window", say(-spare))
        }
    ));
    if let Some(mc) = &sim.monte_carlo {
        out.push_str(&format!("          fits in {} of {} simulated runs\n", percent(mc.p_forward_fits), mc.runs));
    }
    if !sim.critical_path.is_empty() {
        let path: Vec<&str> = sim.critical_path.iter().map(|&i| id(i)).collect();
        out.push_str(&format!("          critical path: {}\n", path.join(" -> ")));
    }
    out.push_str(&match sim.deadline {
        Some(t) => format!("Deadline  a rollback can be called until {} ({} into the window)\n", sim.clock(t), say(t)),
        None => "Deadline  none: no moment of the window leaves time for a complete rollback\n".to_string(),
    });
    out.push('\n');
    out.push_str(&table(plan, sim));
    out.push('\n');
    out.push_str(&timeline(plan, sim));
    out
}

fn table(plan: &Plan, sim: &Simulation) -> String {
    let width = sim.points.iter().map(|p| plan.steps[p.step].id().chars().count()).max().unwrap_or(4).clamp(4, 40);
    let mut out = format!(
        "Failure points (a failure just as the step would finish):\n  {:<width$}  {:>8}  {:>12}  {:>7}  {:>14}  {:>7}\n",
        "step", "fails at", "rollback", "done at", "margin", "P(fit)"
    );
    let shares = sim.monte_carlo.as_ref().map(|mc| &mc.p_rollback_fits);
    for (i, p) in sim.points.iter().enumerate() {
        let name: String = plan.steps[p.step].id().chars().take(width).collect();
        let p_fit = shares.and_then(|s| s.get(i)).map_or("-".to_string(), |&s| percent(s));
        let (rollback, margin) = if p.no_way_back {
            ("no way back".to_string(), "-".to_string())
        } else {
            let sign = if p.margin >= 0.0 { "+" } else { "-" };
            (say(p.chain), format!("{sign}{}{}", say(p.margin.abs()), if p.fits { "" } else { " !" }))
        };
        out.push_str(&format!(
            "  {name:<width$}  {:>8}  {rollback:>12}  {:>7}  {margin:>14}  {:>7}\n",
            sim.clock(p.fail),
            if p.no_way_back { "-".to_string() } else { sim.clock(p.done) },
            if p.no_way_back { "-".to_string() } else { p_fit },
        ));
        for l in sim.leftovers(p) {
            out.push_str(&format!("  {:<width$}    leaves {} {} (baseline {})\n", "", l.resource, l.state, l.baseline));
        }
    }
    let fitting = sim.points.iter().filter(|p| p.fits && !p.no_way_back).count();
    out.push_str(&format!("  a complete rollback fits from {fitting} of {} points\n", sim.points.len()));
    out
}

/// One row per scheduled step over the window, then the deadline.
fn timeline(plan: &Plan, sim: &Simulation) -> String {
    let cols = TIMELINE_COLUMNS;
    let span = sim.window_length.max(1.0);
    let col = |t: f64| ((t / span) * cols as f64).floor().clamp(0.0, cols as f64) as usize;
    let width = plan.steps.iter().map(|s| s.id().chars().count()).max().unwrap_or(4).clamp(8, 24);
    let mut out = format!(
        "Timeline ({} to {}, one column = {}):\n",
        sim.clock(0.0),
        sim.clock(sim.window_length),
        say(span / cols as f64)
    );
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
        out.push_str(&format!("  {name:<width$} |{}|{overflow}\n", line.into_iter().collect::<String>()));
    }
    if let Some(t) = sim.deadline {
        let mut line = vec![' '; cols];
        line[col(t).min(cols - 1)] = '^';
        out.push_str(&format!(
            "  {:<width$} |{}| rollback deadline {}\n",
            "",
            line.into_iter().collect::<String>(),
            sim.clock(t)
        ));
    }
    out
}
