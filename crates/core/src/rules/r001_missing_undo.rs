//! R001 missing-undo: a `change` step has neither `undo` nor `irreversible`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "R001",
    name: "missing-undo",
    severity: Severity::Error,
    summary: "a `change` step has neither `undo` nor `irreversible`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every step of kind `change` (the default kind) says how to reverse it, with
`undo`, or says why it cannot be reversed, with `irreversible: <reason>`.

## Why it matters
A rollback is only as complete as its least reversible step. When a change
goes wrong two-thirds of the way in, the plan written weeks ago is all the team
has; a step without an inverse is where they will have to improvise, under
pressure, at 3 a.m.

## Example
```yaml
- id: stop-feed
  do: Pause the inbound HL7 feed at the TCP listener
  takes: 5m
  # no undo: how is the feed resumed?
```

## Fix
Add the inverse:
```yaml
  undo: { do: Resume the inbound HL7 feed, takes: 5m }
```
If there is none, say so with `irreversible: <reason>` (and put a go/no-go
decision before it). If the step only reads or informs, give it the right
`kind` (`check`, `notify`, `decision` or `backup`).
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for step in &cx.plan.steps {
        let said = step.undo.is_some()
            || step.irreversible.is_some()
            || step.is_invalid("undo")
            || step.is_invalid("irreversible");
        if step.kind == Kind::Change && !said {
            out.push(
                RULE.diag(
                    step.anchor(),
                    format!("step `{}` changes the system but has no `undo` and is not `irreversible`", step.id()),
                )
                .step(step.id())
                .help(
                    "add `undo: {do: <the inverse>, takes: <time>}`, or `irreversible: <why there is none>`; \
                     if the step only reads or informs, set its `kind`",
                ),
            );
        }
    }
}
