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

/// Every rule's docs as one Markdown page, `docs/rules.md`: a table, then a
/// section a rule, headed `## R001 missing-undo` (the anchor the language
/// server links to, see `config::rule_link`).
pub fn markdown() -> String {
    let mut text = String::from(
        "# Retreat's rules\n\n\
         <!-- Written by `retreat rules --format markdown`; a test keeps it so. -->\n\n\
         Each rule has a stable code and name, and a default severity that `--severity CODE=LEVEL` \
         or `retreat.toml` can change. `retreat explain CODE` prints one rule's docs.\n\n\
         | Code | Name | Default | When it fires |\n|---|---|---|---|\n",
    );
    for rule in RULES {
        let anchor = format!("{}-{}", rule.code.to_lowercase(), rule.name);
        let summary = rule.summary.replace('|', "\\|");
        text.push_str(&format!(
            "| [{}](#{anchor}) | {} | {} | {summary} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str()
        ));
    }
    for rule in RULES {
        text.push_str(&format!("\n## {} {}\n\nDefault severity: {}\n\n", rule.code, rule.name, rule.severity.as_str()));
        // The rule's own sections one level down, outside code blocks.
        let mut fenced = false;
        for line in rule.docs.trim_end().lines() {
            if line.starts_with("```") {
                fenced = !fenced;
            }
            if !fenced && line.starts_with("## ") {
                text.push('#');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}
