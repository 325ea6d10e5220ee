//! `--format json`: exactly the object of the contract's section 4, one per
//! file, each on its own line (a single file prints a single object).

use serde::Serialize;

use retreat::{LineIndex, Summary};

use super::Linted;

#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    plan_hash: Option<&'a str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    step: Option<&'a str>,
    line: u32,
    column: u32,
}

pub fn render(files: &[Linted]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        let report = FileReport {
            file: &file.path,
            plan_hash: file.analysis.hash.as_deref(),
            diagnostics: file
                .analysis
                .diagnostics
                .iter()
                .map(|d| {
                    let at = index.line_col(d.span.start);
                    JsonDiagnostic {
                        code: d.code,
                        severity: d.severity.as_str(),
                        message: &d.message,
                        step: d.step.as_deref(),
                        line: at.line,
                        column: at.column,
                    }
                })
                .collect(),
            summary: file.analysis.summary(),
        };
        // Serialising plain structs of strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&report).unwrap_or_default());
        out.push('\n');
    }
    out
}
