//! `retreat explain` and `retreat rules`: the rule registry as text.

use retreat_core::{RULES, Rule};

/// One rule's docs, headed by its code, name and default severity.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# {} {}\n\nDefault severity: {}\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.docs.trim_end()
    )
}

/// Every rule, one a line: code, name, default severity, summary.
pub fn list() -> String {
    let mut text = String::new();
    for rule in RULES {
        text.push_str(&format!("{}  {:<30} {:<8} {}\n", rule.code, rule.name, rule.severity.as_str(), rule.summary));
    }
    text
}
