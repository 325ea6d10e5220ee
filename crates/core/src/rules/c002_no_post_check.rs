//! C002 no-post-check: no `check` after the last scheduled `change`.

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "C002",
    name: "no-post-check",
    severity: Severity::Warning,
    summary: "no `check` step after the last scheduled `change`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
A scheduled `check` step (in `implement` or `verify`) waits, directly or not,
for the last scheduled change: every change that no later change follows.

## Why it matters
Post-implementation testing inside the window is what tells the team whether
to keep the change or roll it back while there is still time. A check after
the window (`post`) comes too late for that.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine
  undo: Point it back
- id: tell-users
  kind: notify
  do: Tell ward managers the change is done     # nobody tested it
```

## Fix
```yaml
- id: smoke
  phase: verify
  kind: check
  do: Send the ten test ADT messages and compare with the baseline counts
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    let scheduled_change = |i: usize| steps[i].kind == Kind::Change && steps[i].phase.is_scheduled();
    let followed_by_change = cx.graph.has_descendant(scheduled_change);
    let followed_by_check = cx.graph.has_descendant(|i| steps[i].kind == Kind::Check && steps[i].phase.is_scheduled());
    let unchecked = (0..steps.len()).find(|&i| scheduled_change(i) && !followed_by_change[i] && !followed_by_check[i]);
    if let Some(i) = unchecked {
        let step = &steps[i];
        out.push(
            RULE.diag(
                step.anchor(),
                format!("no `check` step comes after `{}`, a last change in the window", step.id()),
            )
            .step(step.id())
            .help(format!(
                "add a `kind: check` step (phase `verify`) that waits for `{}` and tests the result",
                step.id()
            )),
        );
    }
}
