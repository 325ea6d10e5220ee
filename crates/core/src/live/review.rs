//! The post-implementation review (contract, section 6): after the window,
//! the plan against what the run log recorded, in the report's document
//! model so that it is written as Markdown or HTML like the approval.
//!
//! It says what ran late and by how much, whether and when a rollback was
//! called and how long it took against its plan, the three-point estimates
//! the actual times suggest, and leaves a section to fill in for the retry
//! (the origin story's "communicate" and "rally and retry").

use super::{Forecast, Record, Status, forecast};
use crate::Analysis;
use crate::model::Estimate;
use crate::report::{Block, Document, Inline, Section, code, strong, t};
use crate::sim::{Simulation, say};

/// The review of `analysis`'s plan from `record`; `None` without a window.
pub fn review(analysis: &Analysis, record: &Record) -> Option<Document> {
    let (plan, graph, sim) = (&analysis.plan, analysis.graph.as_ref()?, analysis.simulation.as_ref()?);
    let f = forecast(plan, graph, sim, record)?;
    let title = plan.title.as_ref().map_or("(untitled plan)".to_string(), |t| t.as_str().to_string());
    let sections = vec![
        Section {
            title: "The change".into(),
            blocks: vec![Block::List(vec![
                vec![
                    strong("Plan hash:"),
                    t(" "),
                    code(analysis.hash.as_deref().unwrap_or("(the plan does not parse)")),
                ],
                vec![t(format!(
                    "Window {} to {}; the log runs to {}.",
                    sim.clock(0.0),
                    sim.clock(sim.window_length),
                    sim.clock(f.now)
                ))],
                vec![t(finish_line(sim, &f))],
            ])],
        },
        planned_against_actual(analysis, sim, &f),
        late(analysis, &f),
        rollback(analysis, record, &f)?,
        estimates(analysis, &f),
        retry(),
    ];
    Some(Document { kind: "Post-implementation review", title, sections })
}

fn id(a: &Analysis, x: usize) -> &str {
    a.plan.steps.get(x).map_or("", |s| s.id())
}

fn finish_line(sim: &Simulation, f: &Forecast) -> String {
    let all_done = f.steps.iter().all(|s| s.status == Status::Done);
    let planned = sim.clock(sim.forward_finish);
    if all_done {
        format!("Every step was done by {} (planned: {planned}).", sim.clock(f.forward_finish))
    } else {
        let open = f.steps.iter().filter(|s| s.status != Status::Done).count();
        format!("{open} steps were not done when the log ends (planned: all done by {planned}).")
    }
}

fn planned_against_actual(a: &Analysis, sim: &Simulation, f: &Forecast) -> Section {
    let rows = f
        .steps
        .iter()
        .map(|s| {
            let planned = sim.slots.get(s.step).copied().flatten();
            let planned = planned.map_or("—".into(), |p| format!("{}–{}", sim.clock(p.start), sim.clock(p.finish)));
            let (actual, late) = match s.status {
                Status::Done => (format!("{}–{}", sim.clock(s.start), sim.clock(s.finish)), lateness(s.late)),
                Status::Running => (format!("started {}, not done", sim.clock(s.start)), "—".into()),
                Status::Waiting => ("not started".into(), "—".into()),
            };
            vec![vec![code(id(a, s.step))], vec![t(planned)], vec![t(actual)], vec![t(late)]]
        })
        .collect();
    Section {
        title: "Planned against actual".into(),
        blocks: vec![Block::Table(vec!["Step".into(), "Planned".into(), "Actual".into(), "Late".into()], rows)],
    }
}

fn lateness(late: f64) -> String {
    if late >= 60.0 {
        format!("{} late", say(late))
    } else if late <= -60.0 {
        format!("{} early", say(-late))
    } else {
        "on time".into()
    }
}

fn late(a: &Analysis, f: &Forecast) -> Section {
    let mut late: Vec<_> = f.steps.iter().filter(|s| s.status == Status::Done && s.late >= 60.0).collect();
    crate::order::sort_by_key(&mut late, |s| (!crate::order::f64_key(s.late), s.step as u64));
    let blocks = if late.is_empty() {
        vec![Block::Paragraph(vec![t("Nothing that was done ran late.")])]
    } else {
        vec![Block::List(
            late.iter().map(|s| vec![code(id(a, s.step)), t(format!(" finished {} late", say(s.late)))]).collect(),
        )]
    };
    Section { title: "What ran late".into(), blocks }
}

fn rollback(a: &Analysis, record: &Record, f: &Forecast) -> Option<Section> {
    let (plan, graph, sim) = (&a.plan, a.graph.as_ref()?, a.simulation.as_ref()?);
    let Some(called) = record.rollback_called else {
        let verdict = if f.rollback_now.no_way_back {
            "an irreversible step had started, so no complete rollback was possible at the end of the log".to_string()
        } else {
            format!("a rollback called at the end of the log would have taken {}", say(f.rollback_now.chain))
        };
        return Some(Section {
            title: "The rollback".into(),
            blocks: vec![Block::Paragraph(vec![t(format!("No rollback was called; {verdict}."))])],
        });
    };
    // The plan's rollback for what had started by the call.
    let at_call = forecast(plan, graph, sim, &Record { now: called, ..record.clone() })?;
    let planned = at_call.rollback_now.chain;
    let undos: Vec<(usize, f64, Option<f64>)> =
        record.undos.iter().enumerate().filter_map(|(x, u)| Some((x, u.started?, u.finished))).collect();
    let mut items: Vec<Vec<Inline>> =
        vec![vec![t(format!("Called at {}; by the plan its undos take {}.", sim.clock(called), say(planned)))]];
    if let Some(note) = &record.rollback_note {
        items.push(vec![strong("Why:"), t(format!(" {note}"))]);
    }
    let first = undos.iter().map(|u| u.1).fold(f64::INFINITY, f64::min);
    let last = undos.iter().filter_map(|u| u.2).fold(f64::NEG_INFINITY, f64::max);
    if undos.is_empty() {
        items.push(vec![t("The log records no undo.")]);
    } else if undos.iter().all(|u| u.2.is_some()) {
        let took = last - called;
        let against = if took > planned + 59.0 {
            format!("{} more than planned", say(took - planned))
        } else if took + 59.0 < planned {
            format!("{} less than planned", say(planned - took))
        } else {
            "as planned".into()
        };
        items.push(vec![t(format!(
            "The undos ran from {} to {}: {} after the call, {against}.",
            sim.clock(first),
            sim.clock(last),
            say(took)
        ))]);
    } else {
        let open: Vec<&str> = undos.iter().filter(|u| u.2.is_none()).map(|u| id(a, u.0)).collect();
        items.push(vec![t(format!("Undos not recorded as done: {}.", open.join(", ")))]);
    }
    Some(Section { title: "The rollback".into(), blocks: vec![Block::List(items)] })
}

/// For each step that was done and took other than its likely time: the
/// three-point estimate one more observation suggests. Likely: what it took;
/// best: the planned best, or less if it took less; worst: the planned
/// worst, or as far above what it took as the best is below, if more.
fn estimates(a: &Analysis, f: &Forecast) -> Section {
    let rows: Vec<Vec<Vec<Inline>>> = f
        .steps
        .iter()
        .filter(|s| s.status == Status::Done)
        .filter_map(|s| {
            let took = s.finish - s.start;
            let planned = a.plan.steps.get(s.step)?.takes?;
            let (best, likely, worst) = match planned {
                Estimate::Fixed { secs } => (secs.0 as f64, secs.0 as f64, secs.0 as f64),
                Estimate::ThreePoint { best, likely, worst } => (best.0 as f64, likely.0 as f64, worst.0 as f64),
            };
            if (took - likely).abs() < 60.0 {
                return None;
            }
            let new_best = best.min(took);
            let new_worst = worst.max(took + (took - new_best));
            let suggestion = format!("[{}, {}, {}]", minutes(new_best), minutes(took), minutes(new_worst));
            let was = if best == worst {
                minutes(likely)
            } else {
                format!("[{}, {}, {}]", minutes(best), minutes(likely), minutes(worst))
            };
            Some(vec![
                vec![code(id(a, s.step))],
                vec![t(was)],
                vec![t(say(took))],
                vec![code(&format!("takes: {suggestion}"))],
            ])
        })
        .collect();
    let blocks = if rows.is_empty() {
        vec![Block::Paragraph(vec![t("Every step that was done took its likely time: the estimates stand.")])]
    } else {
        vec![
            Block::Paragraph(vec![t("Steps that took other than their likely time, and the estimate that suggests:")]),
            Block::Table(vec!["Step".into(), "Planned".into(), "Took".into(), "Suggested".into()], rows),
        ]
    };
    Section { title: "Estimates the actual times suggest".into(), blocks }
}

/// Whole minutes as the plan format writes them: `25m`.
fn minutes(secs: f64) -> String {
    format!("{}m", (secs / 60.0).round() as i64)
}

fn retry() -> Section {
    let prompts = [
        "What went wrong, and when it was seen:",
        "Who was told, and when:",
        "What changes in the plan before the retry:",
        "The new window:",
        "Approved for the retry by:",
    ];
    Section {
        title: "For the retry".into(),
        blocks: vec![Block::List(prompts.iter().map(|p| vec![strong(*p), t(" ")]).collect())],
    }
}
