//! G002 cycle: the dependencies form a cycle.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "G002",
    name: "cycle",
    severity: Severity::Error,
    summary: "the dependencies form a cycle; names it, step by step",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
That the steps' `after` lists form no cycle: no step waits, directly or through
others, for itself. The cycle is named step by step in the order the steps
would have to run, such as `install -> configure -> install`.

## Why it matters
Steps in a cycle can never start. A plan with one has no schedule and no
rollback order; the tool analyses the rest as if the steps in the cycle did
not wait for each other, so its other findings are still worth reading.

## Example
```yaml
- id: install
  after: [configure]
  do: Install the new engine package
- id: configure
  do: Apply the engine configuration      # waits for install (the step before)
```

## Fix
Decide which step really comes first and remove the `after` entry that says
otherwise.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for cycle in &cx.graph.cycles {
        let Some(&first) = cycle.first() else { continue };
        let mut names: Vec<&str> = cycle.iter().map(|&i| cx.plan.steps[i].id()).collect();
        names.push(cx.plan.steps[first].id());
        let path = names.join(" -> ");
        let step = &cx.plan.steps[first];
        let message = if cycle.len() == 1 {
            format!("step `{}` waits for itself: {path}", step.id())
        } else {
            format!("steps wait for each other in a circle: {path}")
        };
        // Point at the `after` entry of the first step that closes the circle.
        let closing = cycle.last().map(|&i| cx.plan.steps[i].id());
        let span = step.after.iter().flatten().find(|t| Some(t.as_str()) == closing).map_or(step.anchor(), |t| t.span);
        out.push(
            RULE.diag(span, message)
                .step(step.id())
                .help("decide which of these steps comes first and remove the `after` entry that says otherwise"),
        );
    }
}
