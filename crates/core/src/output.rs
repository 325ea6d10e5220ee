//! The lint result as the contract's section 4 shapes it (`--format json`),
//! as plain serializable data. The command line writes it with serde_json;
//! the browser app hands the same data to JavaScript with serde-wasm-bindgen
//! (`lint` in `web::api`), so every consumer sees one shape.

use serde::Serialize;

use crate::{Analysis, LineIndex, Summary};

/// One file's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LintReport<'a> {
    pub file: &'a str,
    pub plan_hash: Option<&'a str>,
    pub diagnostics: Vec<LintDiagnostic<'a>>,
    pub summary: Summary,
}

/// One finding, placed by 1-based line and column (Unicode characters).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LintDiagnostic<'a> {
    pub code: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub step: Option<&'a str>,
    pub line: u32,
    pub column: u32,
}

/// The report for `analysis` of `text`, read from `file`.
pub fn lint_report<'a>(file: &'a str, text: &str, analysis: &'a Analysis) -> LintReport<'a> {
    let index = LineIndex::new(text);
    LintReport {
        file,
        plan_hash: analysis.hash.as_deref(),
        diagnostics: analysis
            .diagnostics
            .iter()
            .map(|d| {
                let at = index.line_col(d.span.start);
                LintDiagnostic {
                    code: d.code,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    step: d.step.as_deref(),
                    line: at.line,
                    column: at.column,
                }
            })
            .collect(),
        summary: analysis.summary(),
    }
}
