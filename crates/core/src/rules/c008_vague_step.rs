//! C008 vague-step: an instruction too vague to follow under pressure.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Text;

pub static RULE: Rule = Rule {
    code: "C008",
    name: "vague-step",
    severity: Severity::Warning,
    summary: "`do` has under 3 words, or says TBD, TODO, \"as needed\", \"if required\", \"etc\", or ends in `?`",
    docs: super::docs(DOCS),
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

const HEDGES: [&str; 5] = ["as needed", "if required", "as required", "if needed", "as appropriate"];

/// Why `text` is too vague to follow, if it is. One pass over the bytes for
/// the words and one over the spaces for the hedges (this runs for every
/// step on every keystroke); characters are decoded only past ASCII.
fn vagueness(text: &Text) -> Option<String> {
    let t = text.value.trim();
    let bytes = t.as_bytes();
    let mut etc = false;
    // Words for the markers: letters, digits and apostrophes.
    let mut word_start = None;
    // Words for the count: what whitespace separates.
    let mut count = 0;
    let mut in_count_word = false;
    let mut i = 0;
    while i <= bytes.len() {
        let (is_word, is_space, len) = match bytes.get(i) {
            None => (false, true, 1),
            Some(&c) if c.is_ascii() => {
                (c.is_ascii_alphanumeric() || c == b'\'', matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1)
            }
            Some(_) => {
                let c = t.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
                (c.is_alphanumeric() || c == '\'', c.is_whitespace(), c.len_utf8())
            }
        };
        if !is_space && !in_count_word {
            count += 1;
        }
        in_count_word = !is_space;
        match (is_word, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(start)) => {
                word_start = None;
                let w = bytes.get(start..i).unwrap_or_default();
                if matches!(w.len(), 3 | 4) {
                    if let Some(p) = [b"tbd", b"todo".as_slice(), b"tbc"].iter().find(|p| w.eq_ignore_ascii_case(p)) {
                        let marker: String = p.iter().map(|b| char::from(b.to_ascii_uppercase())).collect();
                        return Some(format!("it says \"{marker}\""));
                    }
                    etc |= w.eq_ignore_ascii_case(b"etc");
                }
            }
            _ => {}
        }
        i += len;
    }
    // Every hedge starts with `as ` or `if `, whole words only ("has needed"
    // is no hedge): only at a space after such a word is it worth comparing.
    let boundary = |i: usize| !bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let hedge = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b' ')
        .filter_map(|(space, _)| space.checked_sub(2))
        .filter(|&i| {
            let head = bytes.get(i..i + 2).unwrap_or_default();
            (head.eq_ignore_ascii_case(b"as") || head.eq_ignore_ascii_case(b"if")) && (i == 0 || boundary(i - 1))
        })
        .flat_map(|i| {
            let rest = bytes.get(i..).unwrap_or_default();
            HEDGES.iter().enumerate().filter(move |(_, h)| {
                rest.get(..h.len()).is_some_and(|r| r.eq_ignore_ascii_case(h.as_bytes())) && boundary(i + h.len())
            })
        })
        .map(|(k, _)| k)
        .min();
    if let Some(phrase) = hedge.and_then(|k| HEDGES.get(k)) {
        return Some(format!("\"{phrase}\" leaves the decision to whoever is on shift"));
    }
    if etc {
        return Some("\"etc\" leaves out what else to do".into());
    }
    if t.ends_with('?') {
        return Some("it is a question, not an instruction".into());
    }
    if count < 3 {
        return Some(format!("{count} word{} is not an instruction", if count == 1 { "" } else { "s" }));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::vagueness;
    use crate::model::Text;

    fn why(s: &str) -> Option<String> {
        vagueness(&Text { value: s.into(), span: crate::Span::at(0) })
    }

    #[test]
    fn says_why_a_step_is_vague() {
        assert_eq!(why("Migrate the data, TBD by the DBA").as_deref(), Some("it says \"TBD\""));
        assert_eq!(
            why("Restart the listener As Needed").as_deref(),
            Some("\"as needed\" leaves the decision to whoever is on shift")
        );
        // Two hedges: the first in the list is named, wherever it stands.
        assert_eq!(
            why("If needed, restart the node as required").as_deref(),
            Some("\"as required\" leaves the decision to whoever is on shift")
        );
        assert_eq!(why("Check the logs, queues etc.").as_deref(), Some("\"etc\" leaves out what else to do"));
        assert_eq!(why("Is the feed paused?").as_deref(), Some("it is a question, not an instruction"));
        assert_eq!(why("Restart").as_deref(), Some("1 word is not an instruction"));
        assert_eq!(why("Pause the feed at the listener, then wait for an empty queue"), None);
        // Words that merely contain a hedge or a marker are fine.
        assert_eq!(why("Alias the basin fifo, as neededness permits"), None);
        assert_eq!(why("Confirm the DBA has needed approvals in writing"), None);
        assert_eq!(why("Start the etcd cluster and the todolist service"), None);
        // Past ASCII: a dash or a non-breaking space still separates words.
        assert_eq!(why("Migrate the data—TBD").as_deref(), Some("it says \"TBD\""));
        assert_eq!(why("Restart\u{a0}it"), Some("2 words is not an instruction".into()));
        assert_eq!(why("Redémarrer le service hl7"), None);
        assert_eq!(why("Tell them, tbc"), Some("it says \"TBC\"".into()));
    }
}
