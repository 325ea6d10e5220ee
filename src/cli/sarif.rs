//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. One run, every rule
//! with its docs as help, one result per finding with its region; findings an
//! `allow` silenced are kept as results with an in-source suppression.

use serde_json::{Value, json};

use retreat_core::{Diagnostic, LineIndex, RULES, Severity};

use super::input::Linted;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(files: &[Linted]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.docs, "markdown": r.docs },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": [category(r.code)] },
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.analysis.diagnostics {
            results.push(result(&file.path, &index, d, None));
        }
        for s in &file.analysis.suppressed {
            results.push(result(&file.path, &index, &s.diagnostic, Some(&s.reason)));
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "retreat",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn result(path: &str, index: &LineIndex<'_>, d: &Diagnostic, suppressed: Option<&str>) -> Value {
    let start = index.line_col(d.span.start);
    let end = index.line_col(d.span.end.max(d.span.start));
    let rule_index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str(&format!(" Help: {help}"));
    }
    let mut r = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(path) },
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column.max(start.column + u32::from(end.line == start.line)),
                },
            },
        }],
    });
    if let Some(step) = &d.step {
        r["properties"] = json!({ "step": step });
    }
    if let Some(reason) = suppressed {
        r["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
    }
    r
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn category(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'P') => "parse",
        Some(b'G') => "graph",
        Some(b'R') => "rollback",
        Some(b'T') => "timing",
        _ => "checklist",
    }
}

/// A relative path as a URI reference (forward slashes, spaces escaped).
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    p.replace('%', "%25").replace(' ', "%20")
}
