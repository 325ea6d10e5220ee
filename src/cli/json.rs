//! `--format json`: exactly the object of the contract's section 4
//! ([`retreat_core::output::LintReport`]), one per file, each on its own line (a
//! single file prints a single object).

use super::input::Linted;

pub fn render(files: &[Linted]) -> String {
    let mut out = String::new();
    for file in files {
        let report = retreat_core::output::lint_report(&file.path, &file.text, &file.analysis);
        // Serialising plain structs of strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&report).unwrap_or_default());
        out.push('\n');
    }
    out
}
