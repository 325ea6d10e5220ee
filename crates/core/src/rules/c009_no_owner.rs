//! C009 no-owner: a scheduled step has no `owner`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "C009",
    name: "no-owner",
    severity: Severity::Info,
    summary: "a scheduled step has no `owner`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every step scheduled in the window (`implement` and `verify`) names who runs
it: `owner`.

## Why it matters
When enough support from others is part of the window, each step needs a
person. A step that belongs to everybody is done by nobody, or by two people
at once.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine
```

## Fix
```yaml
  owner: Integration engineer on call
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for step in &cx.plan.steps {
        if step.phase.is_scheduled() && step.owner.is_none() && !step.is_invalid("owner") {
            out.push(
                RULE.diag(step.anchor(), format!("step `{}` has no `owner`", step.id()))
                    .step(step.id())
                    .help("add `owner: <who runs this step>`"),
            );
        }
    }
}
