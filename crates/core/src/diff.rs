//! Comparing two versions of a plan: steps added, removed and changed (field
//! by field), the plan's own fields, and how the simulation's figures moved
//! (deadline, tightest margin, chance of a rollback fitting).

use std::collections::HashMap;

use serde::Serialize;

use crate::Analysis;
use crate::model::{Estimate, Plan, Step};
use crate::sim::{Simulation, say};
use crate::units::{format_duration, format_timestamp};

/// Most steps [`PlanDiff::summary`] names in each of its lists.
pub const SUMMARY_STEPS: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StepChange {
    pub step: String,
    pub fields: Vec<Change>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<StepChange>,
    /// Fields of the plan itself (window, rollback, narrative, baseline...).
    pub plan: Vec<Change>,
    /// How the simulation's figures moved.
    pub figures: Vec<Change>,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.plan.is_empty()
    }

    /// One line, such as "step `x` added; `switch` changed (takes, undo.takes)".
    /// It names at most [`SUMMARY_STEPS`] steps of each kind and counts the
    /// rest: C005 writes it into the message of every stale approval.
    pub fn summary(&self) -> String {
        let more =
            |n: usize| if n > SUMMARY_STEPS { format!(" and {} more", n - SUMMARY_STEPS) } else { String::new() };
        let list = |ids: &[String]| {
            let named: Vec<String> = ids.iter().take(SUMMARY_STEPS).map(|i| format!("`{i}`")).collect();
            format!("{}{}", named.join(", "), more(ids.len()))
        };
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(format!("{} added", list(&self.added)));
        }
        if !self.removed.is_empty() {
            parts.push(format!("{} removed", list(&self.removed)));
        }
        for c in self.changed.iter().take(SUMMARY_STEPS) {
            let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
            parts.push(format!("`{}` changed ({})", c.step, fields.join(", ")));
        }
        if self.changed.len() > SUMMARY_STEPS {
            parts.push(format!("{} more steps changed", self.changed.len() - SUMMARY_STEPS));
        }
        if !self.plan.is_empty() {
            let fields: Vec<&str> = self.plan.iter().map(|f| f.field.as_str()).collect();
            parts.push(format!("the plan's {} changed", fields.join(", ")));
        }
        if parts.is_empty() { "nothing that the analysis reads changed".into() } else { parts.join("; ") }
    }
}

fn estimate(e: Option<Estimate>) -> String {
    match e {
        None => String::new(),
        Some(Estimate::Fixed { secs }) => format_duration(secs),
        Some(Estimate::ThreePoint { best, likely, worst }) => {
            format!("[{}, {}, {}]", format_duration(best), format_duration(likely), format_duration(worst))
        }
    }
}

fn text(t: &Option<crate::model::Text>) -> String {
    t.as_ref().map_or(String::new(), |t| t.value.clone())
}

fn list(items: &[crate::model::Text]) -> String {
    items.iter().map(|t| t.value.as_str()).collect::<Vec<_>>().join(", ")
}

fn states(s: &crate::model::States) -> String {
    s.iter().map(|w| format!("{}: {}", w.resource.value, w.state.value)).collect::<Vec<_>>().join(", ")
}

fn crew(c: Option<&crate::model::Crew>) -> String {
    let entries = c.map_or(&[][..], |c| &c.entries[..]);
    entries.iter().map(|e| format!("{}: {}", e.owner.value, e.count)).collect::<Vec<_>>().join(", ")
}

/// A step's fields as comparable text, in a fixed order.
fn step_fields(plan: &Plan, i: usize, step: &Step) -> Vec<(&'static str, String)> {
    let after = match &step.after {
        // The effective dependency: omitted means the previous step.
        None => i.checked_sub(1).and_then(|p| plan.steps.get(p)).map_or(String::new(), |p| p.id().to_string()),
        Some(names) => list(names),
    };
    let undo = step.undo.as_ref();
    vec![
        ("do", text(&step.do_)),
        ("phase", step.phase.as_str().to_string()),
        ("kind", step.kind.as_str().to_string()),
        ("after", after),
        ("takes", estimate(step.takes)),
        ("owner", text(&step.owner)),
        ("tags", list(&step.tags)),
        ("verify", text(&step.verify)),
        ("sets", states(&step.sets)),
        ("destroys", list(&step.destroys)),
        ("backs_up", list(&step.backs_up)),
        ("undo.do", undo.map_or(String::new(), |u| text(&u.do_))),
        ("undo.takes", undo.map_or(String::new(), |u| estimate(u.takes))),
        ("undo.sets", undo.map_or(String::new(), |u| states(&u.sets))),
        ("undo.needs", undo.map_or(String::new(), |u| list(&u.needs))),
        ("undo.owner", undo.map_or(String::new(), |u| text(&u.owner))),
        ("irreversible", text(&step.irreversible)),
        (
            "allow",
            step.allow.iter().map(|a| format!("{}: {}", a.code.value, a.reason.value)).collect::<Vec<_>>().join(", "),
        ),
    ]
}

fn plan_fields(plan: &Plan) -> Vec<(&'static str, String)> {
    let rb = plan.rollback.as_ref();
    vec![
        ("title", text(&plan.title)),
        ("system", text(&plan.system)),
        ("change_ref", text(&plan.change_ref)),
        ("purpose", text(&plan.purpose)),
        ("reason", text(&plan.reason)),
        ("current_state", text(&plan.current_state)),
        ("future_state", text(&plan.future_state)),
        ("monitoring", text(&plan.monitoring)),
        ("window.start", plan.window.as_ref().map_or(String::new(), |w| format_timestamp(w.start))),
        ("window.end", plan.window.as_ref().map_or(String::new(), |w| format_timestamp(w.end))),
        ("rollback.decide", estimate(rb.and_then(|r| r.decide))),
        ("rollback.announce", rb.map_or(String::new(), |r| text(&r.announce))),
        ("rollback.verify", rb.and_then(|r| r.verify.as_ref()).map_or(String::new(), |v| text(&v.do_))),
        ("rollback.verify.takes", estimate(rb.and_then(|r| r.verify.as_ref()).and_then(|v| v.takes))),
        ("rollback.confidence", rb.and_then(|r| r.confidence).map_or(String::new(), |c| c.to_string())),
        ("baseline", states(&plan.baseline)),
        ("crew", crew(plan.crew.as_ref())),
        (
            "allow",
            plan.allow.iter().map(|a| format!("{}: {}", a.code.value, a.reason.value)).collect::<Vec<_>>().join(", "),
        ),
    ]
}

fn changes(a: Vec<(&'static str, String)>, b: Vec<(&'static str, String)>) -> Vec<Change> {
    a.into_iter()
        .zip(b)
        .filter(|((_, x), (_, y))| x != y)
        .map(|((field, before), (_, after))| Change { field: field.into(), before, after })
        .collect()
}

/// Figures a change board reads: when the steps are done, until when a
/// rollback can be called, the tightest margin, and the odds.
fn figures(sim: Option<&Simulation>) -> Vec<(&'static str, String)> {
    let Some(sim) = sim else { return vec![("simulation", "none (no window)".into())] };
    let worst = sim.tightest();
    let fitting = sim.points.iter().filter(|p| p.fits && !p.no_way_back).count();
    let mut out = vec![
        ("steps done at", sim.clock(sim.forward_finish)),
        ("rollback deadline", sim.deadline.map_or("none".into(), |d| sim.clock(d))),
        (
            "tightest margin",
            worst.map_or("none".into(), |p| {
                if p.margin >= 0.0 { format!("{} to spare", say(p.margin)) } else { format!("{} over", say(-p.margin)) }
            }),
        ),
        ("rollback fits from", format!("{fitting} of {} points", sim.points.len())),
    ];
    if let Some(mc) = &sim.monte_carlo {
        let least = mc.p_rollback_fits.iter().copied().fold(1.0f64, f64::min);
        out.push(("P(steps fit)", format!("{:.1}%", mc.p_forward_fits * 100.0)));
        out.push(("least P(rollback fits)", format!("{:.1}%", least * 100.0)));
    }
    out
}

/// Each step id, with the place of the first step that has it.
fn first_by_id(plan: &Plan) -> HashMap<&str, usize> {
    let mut index = HashMap::with_capacity(plan.steps.len());
    for (i, s) in plan.steps.iter().enumerate() {
        index.entry(s.id()).or_insert(i);
    }
    index
}

/// What changed from `before` to `after`. Linear in the two plans' steps.
pub fn compare(before: &Analysis, after: &Analysis) -> PlanDiff {
    let (a, b) = (&before.plan, &after.plan);
    // Each step found by its id in one look-up (the first step with that id),
    // so that comparing two big plans stays linear.
    let (in_a, in_b) = (first_by_id(a), first_by_id(b));
    let added = b.steps.iter().filter(|s| !in_a.contains_key(s.id())).map(|s| s.id().to_string()).collect();
    let removed = a.steps.iter().filter(|s| !in_b.contains_key(s.id())).map(|s| s.id().to_string()).collect();
    let changed = b
        .steps
        .iter()
        .enumerate()
        .filter_map(|(j, s)| {
            let i = *in_a.get(s.id())?;
            let fields = changes(step_fields(a, i, &a.steps[i]), step_fields(b, j, s));
            (!fields.is_empty()).then(|| StepChange { step: s.id().to_string(), fields })
        })
        .collect();
    PlanDiff {
        added,
        removed,
        changed,
        plan: changes(plan_fields(a), plan_fields(b)),
        figures: changes(figures(before.simulation.as_ref()), figures(after.simulation.as_ref())),
    }
}
