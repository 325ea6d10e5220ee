//! `--format sarif`: SARIF 2.1.0 for code-scanning tools. One run, every rule
//! with its docs as help, one result per finding with its region; findings an
//! `allow` silenced are kept as results with an in-source suppression.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeSeq;
use serde_json::{Value, json};

use retreat_core::{Diagnostic, LineIndex, RULES, Severity};

use super::input::Linted;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The log, with its keys in the order `json!` sorts them, as before it was
/// written as it goes.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<'a> {
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: Results<'a>,
    tool: Value,
}

/// Every finding of every file, each made into its result as it is written.
struct Results<'a>(&'a [Linted]);

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let count = self.0.iter().map(|f| f.analysis.diagnostics.len() + f.analysis.suppressed.len()).sum();
        let mut seq = serializer.serialize_seq(Some(count))?;
        for file in self.0 {
            let index = LineIndex::new(&file.text);
            for d in &file.analysis.diagnostics {
                seq.serialize_element(&result(&file.path, &index, d, None))?;
            }
            for s in &file.analysis.suppressed {
                seq.serialize_element(&result(&file.path, &index, &s.diagnostic, Some(&s.reason)))?;
            }
        }
        seq.end()
    }
}

/// The log, pretty-printed, and a line end; one result at a time.
pub fn render(out: &mut dyn Write, files: &[Linted]) -> io::Result<()> {
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
    let tool = json!({ "driver": {
        "name": "retreat",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    }});
    let log = Log {
        schema: SCHEMA,
        runs: [Run { column_kind: "unicodeCodePoints", results: Results(files), tool }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
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
