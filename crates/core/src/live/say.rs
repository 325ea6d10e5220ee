//! The live board's sentences, the same in `retreat forecast` and in the
//! app's Live tab: what is late, when the steps finish, until when to call
//! a rollback, and how the rollback under way goes.

use super::{Forecast, LiveRollback, Status, StepForecast};
use crate::sim::Simulation;

/// A duration in whole minutes (down): "now" has seconds in it, and a
/// board that says "in 35 min 59 s" says too much.
pub fn minutes(secs: f64) -> String {
    crate::sim::say((secs / 60.0).floor() * 60.0)
}

/// `", 9 min late"`, `", 3 min early"`, or nothing within a minute.
pub fn late(late: f64) -> String {
    if late >= 60.0 {
        format!(", {} late", minutes(late))
    } else if late <= -60.0 {
        format!(", {} early", minutes(-late))
    } else {
        String::new()
    }
}

/// When a step ran, runs or is expected to.
pub fn when(sim: &Simulation, s: &StepForecast) -> String {
    match s.status {
        Status::Done => format!("{}–{}", sim.clock(s.start), sim.clock(s.finish)),
        Status::Running => format!("since {}, expected done {}", sim.clock(s.start), sim.clock(s.finish)),
        Status::Waiting => format!("expected {}–{}", sim.clock(s.start), sim.clock(s.finish)),
    }
}

/// When the steps are expected done, and whether inside the window.
pub fn finish(sim: &Simulation, f: &Forecast) -> String {
    let fits = if f.forward_fits { "inside the window" } else { "after the window closes" };
    format!("The steps are expected done at {}, {fits}.", sim.clock(f.forward_finish))
}

/// Until when a rollback can be called (or since when it could not), with
/// what a rollback called now ends at; first what limits the forecast.
pub fn call(sim: &Simulation, f: &Forecast) -> Vec<String> {
    let r = &f.rollback_now;
    if r.no_way_back {
        return vec!["No complete rollback is possible any more: an irreversible step has started.".into()];
    }
    let mut lines = Vec::new();
    if f.rollback_crews_skipped {
        lines.push(
            "The rollbacks are forecast without crews (the plan is too big to schedule each with them): they may take longer."
                .into(),
        );
    }
    let end = sim.window_length;
    lines.push(match f.deadline {
        Some(d) if d >= f.now => format!(
            "Call a rollback by {} (in {}): called now, it is done at {}, {} before the window closes.",
            sim.clock(d),
            minutes(d - f.now),
            sim.clock(r.done),
            minutes(end - r.done)
        ),
        Some(d) => format!(
            "The rollback deadline passed {} ago ({}): a rollback now ends at {}, {} after the window.",
            minutes(f.now - d),
            sim.clock(d),
            sim.clock(r.done),
            minutes(r.done - end)
        ),
        None => format!(
            "No moment of the window leaves room for a complete rollback: called now, it ends at {}.",
            sim.clock(r.done)
        ),
    });
    lines
}

/// The rollback under way: when it was called, how far it is, and when it
/// will be done against its plan and the window.
pub fn rollback(sim: &Simulation, r: &LiveRollback, note: Option<&str>) -> String {
    let why = note.map_or(String::new(), |n| format!(" ({n})"));
    let done = r.undos.iter().filter(|u| u.status == Status::Done).count();
    let progress = format!("{done} of {} undos done", r.undos.len());
    let against = match r.done - r.planned_done {
        d if d >= 60.0 => format!("{} later than planned", minutes(d)),
        d if d <= -60.0 => format!("{} sooner than planned", minutes(-d)),
        _ => "as planned".to_string(),
    };
    let window = if r.margin >= 0.0 {
        format!("{} before the window closes", minutes(r.margin))
    } else {
        format!("{} after the window closes", minutes(-r.margin))
    };
    let mut line = format!(
        "Rollback called at {}{why}: {progress}; done, verified, by {}: {against}, {window}.",
        sim.clock(r.called),
        sim.clock(r.done)
    );
    if r.no_way_back {
        line.push_str(" An irreversible step had started: the rollback cannot be complete.");
    }
    line
}
