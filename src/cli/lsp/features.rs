//! What the server answers, each from the document's [`Analysis`]: plain
//! JSON in the protocol's shapes.

use retreat_core::format::{Field, Fields, PLAN_FIELDS, Type};
use retreat_core::model::{Phase, Plan, Step, Text};
use retreat_core::{Data, Severity, rules, yaml_scalar};
use serde_json::{Value, json};

use super::super::config::rule_link;
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

/// The findings of `retreat lint`, at the same places; each code links to
/// its rule's docs when `docs_url` says where they are.
pub fn diagnostics(doc: &Doc, docs_url: Option<&str>) -> Vec<Value> {
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
            let mut diagnostic = json!({"range": lines.range(d.span.start as usize, d.span.end as usize),
                   "severity": severity, "code": d.code, "source": "retreat", "message": message});
            if let Some(href) = docs_url.and_then(|url| rule_link(url, d.code)) {
                diagnostic["codeDescription"] = json!({ "href": href });
            }
            diagnostic
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

fn step_named<'p>(plan: &'p Plan, id: &str) -> Option<(usize, &'p Step)> {
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
fn schedule(a: &retreat_core::Analysis, x: usize, step: &Step) -> String {
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

/// Where a key is being written, the fields of the mapping it goes in;
/// elsewhere, step ids, kinds and phases.
pub fn completion(doc: &Doc, at: usize) -> Value {
    if let Some(fields) = fields_at(&doc.text, at) {
        let items: Vec<Value> = fields
            .iter()
            .map(|f| json!({"label": f.name, "kind": 10, "detail": f.about, "insertText": format!("{}: ", f.name)}))
            .collect();
        return json!(items);
    }
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

/// One line of a block-style YAML text, as far as keys go.
struct KeyLine<'t> {
    /// Column of the line's first character (the `-` of a list item).
    indent: usize,
    /// Column of its key.
    key_col: usize,
    dash: bool,
    key: Option<&'t str>,
}

fn key_line(line: &str) -> KeyLine<'_> {
    let t = line.trim_start_matches(' ');
    let indent = line.len() - t.len();
    let (dash, rest) = match t.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with(' ')) {
        Some(r) => (true, r.trim_start_matches(' ')),
        None => (false, t),
    };
    let key_col = line.len() - rest.len();
    let key = rest.split_once(':').map(|(k, _)| k).filter(|k| !k.is_empty() && k.chars().all(is_id_char));
    KeyLine { indent, key_col, dash, key }
}

/// The fields that fit where the cursor at `at` writes a key: the line so
/// far is indentation, maybe `- `, and part of a word. The mapping is found
/// by indentation, from the keys above it, and its fields from the format's
/// own tables (the ones the parser and the schema use).
fn fields_at(text: &str, at: usize) -> Option<Vec<Field>> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let here = key_line(&text[line_start..at]);
    let head = &text[line_start..at];
    if head.contains(':') || !head[here.key_col..].chars().all(is_id_char) {
        return None;
    }
    // Walk up: `path` gets each enclosing key, innermost first.
    let mut path: Vec<&str> = Vec::new();
    let (mut col, mut list) = (here.key_col, here.dash.then_some(here.indent));
    for line in text[..line_start].lines().rev() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let l = key_line(line);
        match list {
            // In a list item: the list's key is the first key line at or
            // left of the dashes (YAML allows `steps:` then `- id:` below it).
            Some(dashes) => {
                if !l.dash && l.indent <= dashes {
                    path.push(l.key?);
                    (col, list) = (l.indent, None);
                } else if l.indent < dashes {
                    return None;
                }
            }
            None => {
                if l.dash && l.key_col == col {
                    list = Some(l.indent);
                } else if l.dash && l.key_col < col {
                    path.push(l.key?);
                    (col, list) = (l.key_col, Some(l.indent));
                } else if !l.dash && l.indent < col {
                    path.push(l.key?);
                    col = l.indent;
                }
            }
        }
        if col == 0 && list.is_none() {
            break;
        }
    }
    if col != 0 || list.is_some() {
        return None;
    }
    let mut fields: &dyn Fields = PLAN_FIELDS;
    for key in path.iter().rev() {
        fields = match fields.find(key)?.ty {
            Type::Object(f) | Type::ListOf(f) | Type::TextOr(f) => f,
            _ => return None,
        };
    }
    Some(fields.fields())
}

/// The quick fixes of the findings that meet `[start, end]`: remove a
/// redundant `after` entry (G003), add an `undo` skeleton or mark the step
/// `irreversible` (R001), put the plan's hash into a stale approval (C005),
/// declare the owner's crew (C010).
pub fn code_actions(doc: &Doc, uri: &str, start: usize, end: usize, docs_url: Option<&str>) -> Value {
    let Some(a) = &doc.analysis else { return json!([]) };
    let lines = Lines::new(&doc.text);
    let diags = diagnostics(doc, docs_url);
    let mut actions = Vec::new();
    for (k, d) in a.diagnostics.iter().enumerate() {
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        if e < start || s > end {
            continue;
        }
        let step_of = || d.step.as_deref().and_then(|id| step_named(&a.plan, id)).map(|(_, step)| step);
        let edits = match d.code {
            "G003" => remove_entry(&doc.text, s, e)
                .map(|(s, e)| ("Remove the redundant `after` entry", s, e, String::new()))
                .into_iter()
                .collect(),
            "C005" => a
                .hash
                .clone()
                .map(|hash| ("Approve this version: put its hash in the approval", s, e, hash))
                .into_iter()
                .collect(),
            "R001" => step_of()
                .and_then(|step| {
                    let undo = step_line(&doc.text, step, "undo: {do: Write how to undo this step, takes: 15m}")?;
                    let never = step_line(&doc.text, step, "irreversible: Write why this step cannot be undone")?;
                    Some(vec![
                        ("Add an `undo` to fill in", undo.0, undo.0, undo.1),
                        ("Mark it `irreversible`, with a reason to fill in", never.0, never.0, never.1),
                    ])
                })
                .unwrap_or_default(),
            "C010" => match d.data.as_deref() {
                Some(Data::DoubleBooked { owner, peak }) => crew_entry(&doc.text, &a.plan, owner, *peak)
                    .map(|(at, text)| ("Declare the crew that runs these steps at once", at, at, text))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        for (title, s, e, new_text) in edits {
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

/// Where and what to insert for a new field `line` of `step`: a line under
/// `id:` at its indentation for a step written as a block; for one written
/// as a flow mapping (`- {id: a, ...}`), an entry before its closing brace.
fn step_line(text: &str, step: &Step, line: &str) -> Option<(usize, String)> {
    let at = step.id.span.start as usize;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = &text[line_start..at];
    let key = head.find("id:")?;
    if !head[..key].chars().all(|c| c == ' ' || c == '-') {
        let whole = text.get(step.span.start as usize..step.span.end as usize)?;
        let close = whole.trim_end().strip_suffix('}')?.trim_end().len();
        return Some((step.span.start as usize + close, format!(", {line}")));
    }
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let indent = " ".repeat(head[..key].chars().count());
    Some((line_end, format!("\n{indent}{line}")))
}

/// Where and what to insert to give `owner` a crew of `peak`: an entry in
/// the plan's `crew` (flow or block), or a `crew` line above `steps:`.
fn crew_entry(text: &str, plan: &Plan, owner: &str, peak: u32) -> Option<(usize, String)> {
    let entry = format!("{}: {peak}", yaml_scalar(owner));
    let Some(crew) = &plan.crew else {
        let steps = if text.starts_with("steps:") { 0 } else { text.find("\nsteps:")? + 1 };
        return Some((steps, format!("crew: {{{entry}}}\n")));
    };
    let last = crew.entries.last()?;
    let after = last.span.end as usize;
    let between = text.get(crew.span.end as usize..last.owner.span.start as usize)?;
    if between.contains('{') {
        return Some((after, format!(", {entry}")));
    }
    let owner_at = last.owner.span.start as usize;
    let column = owner_at - text[..owner_at].rfind('\n').map_or(0, |i| i + 1);
    Some((after, format!("\n{}{entry}", " ".repeat(column))))
}

/// The steps as symbols, under their phases (in the format's phase order).
pub fn symbols(doc: &Doc) -> Value {
    let Some(a) = &doc.analysis else { return json!([]) };
    let lines = Lines::new(&doc.text);
    let mut out = Vec::new();
    for (name, phase) in Phase::ALL {
        let steps: Vec<&Step> = a.plan.steps.iter().filter(|s| s.phase == phase).collect();
        let (Some(first), Some(start), Some(end)) =
            (steps.first(), steps.iter().map(|s| s.span.start).min(), steps.iter().map(|s| s.span.end).max())
        else {
            continue;
        };
        let children: Vec<Value> = steps
            .iter()
            .map(|s| {
                let id = lines.range(s.id.span.start as usize, s.id.span.end as usize);
                let whole = lines.range(s.span.start as usize, s.span.end as usize);
                let detail = s.do_.as_ref().map_or("", |d| d.as_str());
                json!({"name": s.id(), "detail": detail, "kind": 24, "range": whole, "selectionRange": id})
            })
            .collect();
        let first_id = lines.range(first.id.span.start as usize, first.id.span.end as usize);
        out.push(json!({"name": name, "detail": format!("{} steps", steps.len()), "kind": 3,
                        "range": lines.range(start as usize, end as usize), "selectionRange": first_id,
                        "children": children}));
    }
    json!(out)
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
