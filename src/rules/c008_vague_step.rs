//! C008 vague-step: an instruction too vague to follow under pressure.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Text;

pub static RULE: Rule = Rule {
    code: "C008",
    name: "vague-step",
    severity: Severity::Warning,
    summary: "`do` has under 3 words, or says TBD, TODO, \"as needed\", \"if required\", \"etc\", or ends in `?`",
    docs: DOCS,
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Each step's `do`, and its undo's `do`, is a concrete instruction: at least
three words, without placeholders (TBD, TODO), without hedges ("as needed",
"if required", "etc") and not a question.

## Why it matters
Write enough detail that nobody has to think during the change. Under
pressure at 3 a.m., "restart services as needed" means a guess; energy spent
working out what a step meant is energy not available for the unexpected.

## Example
```yaml
- id: restart
  do: Restart services as needed
```

## Fix
Say exactly what to do:
```yaml
  do: Restart the hl7-listener and hl7-router services on engine-02, in that order
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for step in &cx.plan.steps {
        let texts = step
            .do_
            .iter()
            .map(|t| ("`do`", t))
            .chain(step.undo.iter().flat_map(|u| u.do_.iter()).map(|t| ("the undo's `do`", t)));
        for (which, text) in texts {
            if let Some(why) = vagueness(text) {
                out.push(
                    RULE.diag(text.span, format!("{which} of `{}` is vague: {why}", step.id())).step(step.id()).help(
                        "write the instruction so that nobody has to think under pressure: what, where, in which order",
                    ),
                );
            }
        }
    }
}

/// Why `text` is too vague to follow, if it is.
fn vagueness(text: &Text) -> Option<String> {
    let t = text.value.trim();
    let words = || t.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty());
    if let Some(w) = words().find(|w| ["tbd", "todo", "tbc"].iter().any(|p| w.eq_ignore_ascii_case(p))) {
        return Some(format!("it says \"{}\"", w.to_ascii_uppercase()));
    }
    for phrase in ["as needed", "if required", "as required", "if needed", "as appropriate"] {
        if t.as_bytes().windows(phrase.len()).any(|w| w.eq_ignore_ascii_case(phrase.as_bytes())) {
            return Some(format!("\"{phrase}\" leaves the decision to whoever is on shift"));
        }
    }
    if words().any(|w| w.eq_ignore_ascii_case("etc")) {
        return Some("\"etc\" leaves out what else to do".into());
    }
    if t.ends_with('?') {
        return Some("it is a question, not an instruction".into());
    }
    let count = t.split_whitespace().count();
    if count < 3 {
        return Some(format!("{count} word{} is not an instruction", if count == 1 { "" } else { "s" }));
    }
    None
}
