//! G001 unknown-step: `after` or `undo.needs` names no step.

use std::collections::HashMap;

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::limits::MAX_SUGGESTION_COMPARISONS;
use crate::text::closest;

pub static RULE: Rule = Rule {
    code: "G001",
    name: "unknown-step",
    severity: Severity::Error,
    summary: "`after` or `undo.needs` names no step",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every id in a step's `after` and in its `undo.needs` is the id of a step in
the plan. The closest existing id is suggested.

## Why it matters
A dependency on a step that does not exist is no dependency: the step may start
before the work it was meant to wait for, and an undo may rely on a backup
that is not in the plan.

## Example
```yaml
- id: backup-routes
  kind: backup
  do: Export the route table
- id: switch
  after: [backup-route]     # no step has this id
```

## Fix
Correct the id (the message suggests the closest one), or add the missing step.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = cx.plan.steps.iter().map(|s| s.id()).collect();
    let mut near = Near { ids: &ids, left: MAX_SUGGESTION_COMPARISONS, found: HashMap::new() };
    for r in &cx.graph.unknown {
        let step = cx.plan.steps[r.step].id();
        let message = match r.field {
            "after" => format!("step `{step}` waits for `{}`, which is no step in the plan", r.name.value),
            _ => format!("the undo of `{step}` needs `{}`, which is no step in the plan", r.name.value),
        };
        let help = match near.closest(&r.name.value) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "name the id of a step in this plan, or add the step".to_string(),
        };
        out.push(RULE.diag(r.name.span, message).step(step).help(help));
    }
}

/// The closest step id to each unknown name, once per name, within
/// [`MAX_SUGGESTION_COMPARISONS`] in all.
struct Near<'a> {
    ids: &'a [&'a str],
    /// Comparisons left.
    left: usize,
    found: HashMap<&'a str, Option<&'a str>>,
}

impl<'a> Near<'a> {
    fn closest(&mut self, name: &'a str) -> Option<&'a str> {
        if let Some(&best) = self.found.get(name) {
            return best;
        }
        // A suggestion compares the name with every id, or is not made.
        self.left = self.left.checked_sub(self.ids.len())?;
        let best = closest(name, self.ids);
        self.found.insert(name, best);
        best
    }
}
