//! R002 irreversible-without-decision: a point of no return with no go/no-go before it.

use super::{Context, Rule, preceded_by};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "R002",
    name: "irreversible-without-decision",
    severity: Severity::Error,
    summary: "an `irreversible` step depends on no `decision` step (directly or not)",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every `irreversible` step comes after a step of kind `decision`, a go/no-go
call: it waits for one, directly or through other steps, or the decision is in
an earlier phase (a `post` step comes after every decision in the window).

## Why it matters
Past an irreversible step a complete rollback is impossible. Crossing that
line should be a decision someone takes on purpose, with the evidence in front
of them, not something the checklist drifts into.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine
  undo: Point the listener back at the old engine
- id: retire-old
  irreversible: The old engine's VM is deleted
  do: Delete the old engine's VM          # nobody decided to cross the line
```

## Fix
Add a decision step and make the irreversible step wait for it:
```yaml
- id: go-no-go
  kind: decision
  do: Go/no-go call with the clinical systems lead
- id: retire-old
  after: [go-no-go]
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    if !steps.iter().any(|s| s.irreversible.is_some()) {
        return;
    }
    let decided = preceded_by(cx, |i| steps[i].kind == Kind::Decision);
    for (i, step) in steps.iter().enumerate() {
        if let Some(reason) = &step.irreversible
            && !decided[i]
        {
            out.push(
                RULE.diag(
                    reason.span,
                    format!("step `{}` is a point of no return, but no go/no-go `decision` comes before it", step.id()),
                )
                .step(step.id())
                .help(format!("add a `kind: decision` step and make `{}` wait for it", step.id())),
            );
        }
    }
}
