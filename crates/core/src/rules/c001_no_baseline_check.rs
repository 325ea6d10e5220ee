//! C001 no-baseline-check: no `check` before the first `change`.

use super::{Context, Rule, first_change_without};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Kind, Phase};

pub static RULE: Rule = Rule {
    code: "C001",
    name: "no-baseline-check",
    severity: Severity::Warning,
    summary: "no `check` step before the first `change` (check the system before changing it)",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
A `check` step comes before the first `change`: either in an earlier phase
(a `prep` check comes before the window) or as a step the first change waits
for. `post` steps are not considered.

## Why it matters
Check the state of the system before changing it, so that any fault found
later is known to be caused by the change and not one that was already there.
The baseline is also what a rollback is verified against.

## Example
```yaml
- id: notify
  kind: notify
  do: Email ward managers about the pause
- id: stop-feed            # first change; nothing recorded how things were
  do: Pause the inbound HL7 feed
```

## Fix
Add a check before the first change:
```yaml
- id: baseline
  kind: check
  do: Record queue depth and message counts on the old engine
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    if let Some(i) = first_change_without(cx, Kind::Check, |i| steps[i].phase != Phase::Post) {
        let step = &steps[i];
        out.push(
            RULE.diag(step.anchor(), format!("no `check` step comes before `{}`, the first change", step.id()))
                .step(step.id())
                .help("add a `kind: check` step that records the system's state before it is changed"),
        );
    }
}
