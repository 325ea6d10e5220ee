//! What the server answers, each from the document's [`Analysis`]: plain
//! JSON in the protocol's shapes.

use retreat_core::Severity;
use retreat_core::model::{Plan, Text};
use retreat_core::rules;
use serde_json::{Value, json};

use super::Doc;
use super::text::Lines;

pub fn capabilities() -> Value {
    json!({
        "textDocumentSync": 1,
        "hoverProvider": true,
        "definitionProvider": true,
        "referencesProvider": true,
        "completionProvider": {"triggerCharacters": ["[", ",", " "]},
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "documentSymbolProvider": true,
        "inlayHintProvider": true,
    })
}

/// The findings of `retreat lint`, at the same places.
pub fn diagnostics(doc: &Doc) -> Vec<Value> {
    let lines = Lines::new(&doc.text);
    let Some(analysis) = &doc.analysis else {
        let message = format!("the document is over {} MB: retreat does not analyse it", super::MAX_DOCUMENT >> 20);
        return vec![json!({"range": lines.range(0, 0), "severity": 1, "source": "retreat", "message": message})];
    };
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let severity = match d.severity {
                Severity::Error => 1,
                Severity::Warning => 2,
                Severity::Info => 3,
            };
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            json!({"range": lines.range(d.span.start as usize, d.span.end as usize), "severity": severity,
                   "code": d.code, "source": "retreat", "message": message})
        })
        .collect()
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// The word (a possible step id) around byte `at`.
fn word_at(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].char_indices().rev().take_while(|&(_, c)| is_id_char(c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|&(_, c)| !is_id_char(c)).map_or(text.len(), |(i, _)| at + i);
    (start, &text[start..end])
}

fn step_named<'p>(plan: &'p Plan, id: &str) -> Option<(usize, &'p retreat_core::model::Step)> {
    plan.steps.iter().enumerate().find(|(_, s)| s.id() == id)
}

/// Every mention of step `id` in an `after` or an `undo.needs`.
fn mentions<'p>(plan: &'p Plan, id: &'p str) -> impl Iterator<Item = &'p Text> + 'p {
    plan.steps.iter().flat_map(move |s| {
        let after = s.after.iter().flatten();
        let needs = s.undo.iter().flat_map(|u| u.needs.iter());
        after.chain(needs).filter(move |t| t.value == id)
    })
}

/// On a step id, its schedule; on a finding, the rule's docs; both when a
/// finding sits on a step id.
pub fn hover(doc: &Doc, at: usize) -> Value {
    let Some(a) = &doc.analysis else { return Value::Null };
    let lines = Lines::new(&doc.text);
    let (start, word) = word_at(&doc.text, at);
    let mut parts: Vec<String> = step_named(&a.plan, word).map(|(x, step)| schedule(a, x, step)).into_iter().collect();
    let mut range = (start, start + word.len());
    for d in a.diagnostics.iter().filter(|d| (d.span.start as usize..=d.span.end as usize).contains(&at)) {
        let docs = rules::find(d.code).map_or("", |r| r.docs);
        parts.push(format!("**{}** {}\n\n{docs}", d.code, d.message));
        range = (d.span.start as usize, d.span.end as usize);
    }
    if parts.is_empty() {
        return Value::Null;
    }
    json!({"contents": {"kind": "markdown", "value": parts.join("\n\n---\n\n")}, "range": lines.range(range.0, range.1)})
}

/// Step `x`'s schedule: when it runs, what it waits for, its failure point.
fn schedule(a: &retreat_core::Analysis, x: usize, step: &retreat_core::model::Step) -> String {
    let mut value = format!("**{}**", step.id());
    if let Some(d) = &step.do_ {
        value.push_str(&format!(": {}", d.as_str()));
    }
    let Some(sim) = &a.simulation else { return value };
    if let Some(slot) = sim.slots.get(x).copied().flatten() {
        value.push_str(&format!("\n\nRuns {}–{}", sim.clock(slot.start), sim.clock(slot.finish)));
    }
    let after: Vec<&str> = step.after.iter().flatten().map(|t| t.as_str()).collect();
    if !after.is_empty() {
        value.push_str(&format!(", after {}", after.join(", ")));
    }
    if let Some(p) = sim.points.iter().find(|p| p.step == x) {
        let margin = retreat_core::sim::say(p.margin.abs());
        let how = if p.margin >= 0.0 { "to spare" } else { "too late" };
        value.push_str(&format!(".\n\nIf it fails: rolled back by {}, {margin} {how}.", sim.clock(p.done)));
    }
    value
}

fn location(lines: &Lines<'_>, uri: &str, t: &Text) -> Value {
    json!({"uri": uri, "range": lines.range(t.span.start as usize, t.span.end as usize)})
}

pub fn definition(doc: &Doc, uri: &str, at: usize) -> Value {
    let Some(a) = &doc.analysis else { return Value::Null };
    let (_, word) = word_at(&doc.text, at);
    step_named(&a.plan, word).map_or(Value::Null, |(_, s)| location(&Lines::new(&doc.text), uri, &s.id))
}

pub fn references(doc: &Doc, uri: &str, at: usize) -> Value {
    let Some(a) = &doc.analysis else { return json!([]) };
    let lines = Lines::new(&doc.text);
    let (_, word) = word_at(&doc.text, at);
    let Some((_, step)) = step_named(&a.plan, word) else { return json!([]) };
    let found: Vec<Value> =
        std::iter::once(&step.id).chain(mentions(&a.plan, step.id())).map(|t| location(&lines, uri, t)).collect();
    json!(found)
}

pub fn completion(doc: &Doc, _at: usize) -> Value {
    let mut items: Vec<Value> = Vec::new();
    if let Some(a) = &doc.analysis {
        for s in &a.plan.steps {
            let detail = s.do_.as_ref().map_or("", |d| d.as_str());
            items.push(json!({"label": s.id(), "kind": 18, "detail": detail}));
        }
    }
    for kind in ["change", "check", "notify", "decision", "backup"] {
        items.push(json!({"label": kind, "kind": 14, "detail": "kind"}));
    }
    for phase in ["prep", "implement", "verify", "post"] {
        items.push(json!({"label": phase, "kind": 14, "detail": "phase"}));
    }
    json!(items)
}

/// The quick fixes of the findings that meet `[start, end]`: remove a
/// redundant `after` entry (G003), add an `undo` skeleton (R001), put the
/// plan's hash into a stale approval (C005).
pub fn code_actions(doc: &Doc, uri: &str, start: usize, end: usize) -> Value {
    let Some(a) = &doc.analysis else { return json!([]) };
    let lines = Lines::new(&doc.text);
    let diags = diagnostics(doc);
    let mut actions = Vec::new();
    for (k, d) in a.diagnostics.iter().enumerate() {
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        if e < start || s > end {
            continue;
        }
        let edit = match d.code {
            "G003" => {
                remove_entry(&doc.text, s, e).map(|(s, e)| ("Remove the redundant `after` entry", s, e, String::new()))
            }
            "C005" => a.hash.clone().map(|hash| ("Approve this version: put its hash in the approval", s, e, hash)),
            "R001" => d
                .step
                .as_deref()
                .and_then(|id| step_named(&a.plan, id))
                .and_then(|(_, step)| undo_skeleton(&doc.text, &step.id))
                .map(|(at, text)| ("Add an `undo` to fill in", at, at, text)),
            _ => None,
        };
        if let Some((title, s, e, new_text)) = edit {
            let change = json!({"range": lines.range(s, e), "newText": new_text});
            actions.push(json!({"title": title, "kind": "quickfix", "diagnostics": [diags[k]],
                                "edit": {"changes": {uri: [change]}}}));
        }
    }
    json!(actions)
}

/// The bytes to delete to take the list entry at `[s, e)` out of its flow
/// list: the entry with the separator after it, or before it if it is last.
fn remove_entry(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let after = &text[e..];
    let gap = after.len() - after.trim_start_matches([',', ' ']).len();
    if after.trim_start().starts_with(',') {
        return Some((s, e + gap));
    }
    let before = &text[..s];
    let back = before.len() - before.trim_end_matches(' ').len();
    let comma = before[..before.len() - back].ends_with(',');
    if comma { Some((s - back - 1, e)) } else { Some((s, e)) }
}

/// Where and what to insert for an `undo` of the block-style step whose id
/// is `id`: a line under `id:`, at its indentation.
fn undo_skeleton(text: &str, id: &Text) -> Option<(usize, String)> {
    let at = id.span.start as usize;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = &text[line_start..at];
    let key = head.find("id:")?;
    if !head[..key].chars().all(|c| c == ' ' || c == '-') {
        return None; // a flow mapping `{id: ...}`: nothing to insert a line into
    }
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let indent = " ".repeat(head[..key].chars().count());
    Some((line_end, format!("\n{indent}undo: {{do: Write how to undo this step, takes: 15m}}")))
}

/// The steps as symbols, with what each does.
pub fn symbols(doc: &Doc) -> Value {
    let Some(a) = &doc.analysis else { return json!([]) };
    let lines = Lines::new(&doc.text);
    let symbols: Vec<Value> = a
        .plan
        .steps
        .iter()
        .map(|s| {
            let id = lines.range(s.id.span.start as usize, s.id.span.end as usize);
            let whole = lines.range(s.span.start as usize, s.span.end as usize);
            let detail = format!("{:?}", s.phase).to_lowercase();
            json!({"name": s.id(), "detail": detail, "kind": 24, "range": whole, "selectionRange": id})
        })
        .collect();
    json!(symbols)
}

/// After each scheduled step's id, when it runs.
pub fn inlay_hints(doc: &Doc) -> Value {
    let (Some(a), lines) = (&doc.analysis, Lines::new(&doc.text)) else { return json!([]) };
    let Some(sim) = &a.simulation else { return json!([]) };
    let hints: Vec<Value> = a
        .plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(x, s)| {
            let slot = sim.slots.get(x).copied().flatten()?;
            let label = format!("{}–{}", sim.clock(slot.start), sim.clock(slot.finish));
            Some(json!({"position": lines.position(s.id.span.end as usize), "label": label, "paddingLeft": true}))
        })
        .collect();
    json!(hints)
}
