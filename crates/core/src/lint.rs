//! The whole analysis of one plan text: parse, graph, rules, then the user's
//! `allow`s and severity settings. Pure: text in, data out.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Data, Diagnostic, Severity, Summary};
use crate::graph::PlanGraph;
use crate::model::Plan;
use crate::parse::{Hashing, parse_with};
use crate::rules::c005_stale_approval::stale_message;
use crate::rules::{self, Context};
use crate::sim::{MonteCarlo, Settings, Simulation, simulate};

/// How the user tuned the rules.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Severity per rule code; `None` turns the rule off.
    pub severity: BTreeMap<&'static str, Option<Severity>>,
    pub monte_carlo: MonteCarloRuns,
    pub hashing: Hashing,
}

/// Whether, and how much, Monte Carlo runs (it feeds T004).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum MonteCarloRuns {
    /// Lint's fixed runs and seed ([`Settings::for_lint`]).
    #[default]
    ForLint,
    Exactly(Settings),
    /// None at all: T004 is not checked (the app runs it apart).
    Skip,
}

impl Options {
    /// Applies a `CODE=LEVEL` setting, where LEVEL is `error`, `warning`,
    /// `info` or `off` and CODE a rule code or name.
    pub fn set_severity(&mut self, setting: &str) -> Result<(), String> {
        let (code, level) =
            setting.split_once('=').ok_or_else(|| format!("`{setting}` is not CODE=LEVEL, such as `C009=off`"))?;
        let rule =
            rules::find(code.trim()).ok_or_else(|| format!("`{code}` is no rule; `retreat rules` lists them"))?;
        if rule.code.starts_with('P') {
            return Err(format!("{} cannot be changed: a plan that does not parse cannot be checked", rule.code));
        }
        let level = level.trim();
        let severity = match level {
            "off" => None,
            _ => Some(
                Severity::parse(level)
                    .ok_or_else(|| format!("`{level}` is no severity; use error, warning, info or off"))?,
            ),
        };
        self.severity.insert(rule.code, severity);
        Ok(())
    }
}

/// A finding silenced by an `allow` in the plan, with the plan's reason.
#[derive(Clone, Debug, Serialize)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub reason: String,
}

/// Everything the core knows about one plan text.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub plan: Plan,
    /// `sha256:...`, when the whole text could be read.
    pub hash: Option<String>,
    /// The dependency graph; `None` when a syntax error cut the text short.
    pub graph: Option<PlanGraph>,
    /// The simulation; `None` without a window or when the text was cut short.
    pub simulation: Option<Simulation>,
    /// What the user sees, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// What `allow` silenced (kept for SARIF's suppressions).
    pub suppressed: Vec<Suppressed>,
}

impl Analysis {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics)
    }
}

/// Like [`analyze`], for bytes that may not be UTF-8 text (a file, an
/// upload). Also returns the text the diagnostics' spans point into: the
/// bytes after any byte-order mark, invalid sequences shown as U+FFFD.
pub fn analyze_bytes<'b>(bytes: &'b [u8], options: &Options) -> (Cow<'b, str>, Analysis) {
    match crate::parse::decode(bytes) {
        Ok(text) => (Cow::Borrowed(text), analyze(text, options)),
        Err(d) => {
            let bytes = bytes.strip_prefix(crate::parse::BOM).unwrap_or(bytes);
            let analysis = Analysis {
                plan: Plan::default(),
                hash: None,
                graph: None,
                simulation: None,
                diagnostics: vec![d],
                suppressed: Vec::new(),
            };
            (String::from_utf8_lossy(bytes), analysis)
        }
    }
}

/// Parses and checks `source`.
pub fn analyze(source: &str, options: &Options) -> Analysis {
    let parsed = parse_with(source, options.hashing);
    let mut found = parsed.diagnostics;
    let (graph, simulation) = if parsed.partial {
        (None, None)
    } else {
        let graph = PlanGraph::build(&parsed.plan);
        let settings = match options.monte_carlo {
            MonteCarloRuns::ForLint => Some(Settings::for_lint(parsed.plan.steps.len())),
            MonteCarloRuns::Exactly(s) => Some(s),
            MonteCarloRuns::Skip => None,
        };
        let simulation = simulate(&parsed.plan, &graph, settings);
        let cx = Context { plan: &parsed.plan, graph: &graph, hash: parsed.hash.as_deref(), sim: simulation.as_ref() };
        found.extend(rules::run_all(&cx));
        (Some(graph), simulation)
    };
    let plan = parsed.plan;
    let (diagnostics, suppressed) = settle(&plan, graph.as_ref(), found, options);
    Analysis { plan, hash: parsed.hash, graph, simulation, diagnostics, suppressed }
}

/// Adds Monte Carlo figures computed apart (the app runs them a few runs at
/// a time, after the deterministic analysis) and the T004 findings they give.
pub fn add_monte_carlo(analysis: &mut Analysis, mc: MonteCarlo, options: &Options) {
    let Some(sim) = analysis.simulation.as_mut() else { return };
    sim.monte_carlo = Some(mc);
    let Some(graph) = analysis.graph.as_ref() else { return };
    let cx = Context { plan: &analysis.plan, graph, hash: analysis.hash.as_deref(), sim: analysis.simulation.as_ref() };
    let mut found = Vec::new();
    if let Some(check) = rules::t004_low_confidence::RULE.check {
        check(&cx, &mut found);
    }
    let (mut kept, suppressed) = settle(&analysis.plan, Some(graph), found, options);
    analysis.diagnostics.retain(|d| d.code != rules::t004_low_confidence::RULE.code);
    analysis.diagnostics.append(&mut kept);
    crate::diagnostic::sort(&mut analysis.diagnostics);
    analysis.suppressed.retain(|s| s.diagnostic.code != rules::t004_low_confidence::RULE.code);
    analysis.suppressed.extend(suppressed);
}

/// The plan's `allow`s, then the user's severities, then source order.
fn settle(
    plan: &Plan,
    graph: Option<&PlanGraph>,
    found: Vec<Diagnostic>,
    options: &Options,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let (mut diagnostics, suppressed) = apply_allows(plan, graph, found);
    diagnostics.retain_mut(|d| match options.severity.get(d.code) {
        Some(None) => false,
        Some(Some(s)) => {
            d.severity = *s;
            true
        }
        None => true,
    });
    crate::diagnostic::sort(&mut diagnostics);
    (diagnostics, suppressed)
}

fn apply_allows(plan: &Plan, graph: Option<&PlanGraph>, found: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let has_step_allows = plan.steps.iter().any(|s| !s.allow.is_empty());
    if plan.allow.is_empty() && !has_step_allows {
        return (found, Vec::new());
    }
    let mut kept = Vec::with_capacity(found.len());
    let mut suppressed = Vec::new();
    for d in found {
        let step_allows = d
            .step
            .as_deref()
            .and_then(|id| graph.and_then(|g| g.index.get(id)))
            .map_or(&[][..], |&i| plan.steps[i].allow.as_slice());
        let reason = plan.allow.iter().chain(step_allows).find(|a| a.code.as_str() == d.code);
        match reason {
            Some(a) => suppressed.push(Suppressed { reason: a.reason.value.clone(), diagnostic: d }),
            None => kept.push(d),
        }
    }
    (kept, suppressed)
}

/// Says what changed in each C005 (stale approval) whose approval was given
/// for `approved`: the version the approver read, when the caller has it
/// (the app keeps the versions it made approval stanzas for; the command line
/// takes `--approved FILE`).
pub fn explain_stale(analysis: &mut Analysis, approved: &Analysis) {
    let Some(approved_hash) = approved.hash.as_deref() else { return };
    let for_approved = |d: &Diagnostic| matches!(d.data.as_deref(), Some(Data::StaleApproval { signed, .. }) if crate::hash::same_hash(signed, approved_hash));
    if !analysis.diagnostics.iter().any(for_approved) {
        return;
    }
    let since = crate::diff::compare(approved, analysis).summary();
    for d in analysis.diagnostics.iter_mut().filter(|d| for_approved(d)) {
        if let Some(data) = &d.data {
            d.message = stale_message(data, Some(&since));
        }
    }
}
