//! R005 undo-needs-unfinished: an undo relies on a step that may not have run.

use super::{Context, Rule, preceded_by_any};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "R005",
    name: "undo-needs-unfinished",
    severity: Severity::Error,
    summary: "`undo.needs` names a step this step does not depend on (so it may not have run)",
    docs: DOCS,
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Every step named in an `undo.needs` has certainly run whenever the step being
undone has: the step waits for it, directly or through other steps, or it is in an
earlier phase (a `prep` step is done before the window opens). A step's own
name is always fine.

## Why it matters
An undo that needs a backup only works if the backup was taken before the
change. If the change can start first, the rollback may reach for a backup
that does not exist yet.

## Example
```yaml
- id: backup
  kind: backup
  after: []
  do: Export the route table
- id: switch
  after: []               # may start before the backup is done
  undo: { do: Re-import the route table, needs: [backup] }
```

## Fix
Make the step wait for what its undo needs: add it to `after` (here
`after: [backup]`).
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    let mut ancestry = cx.graph.ancestry();
    for (i, step) in steps.iter().enumerate() {
        let Some(undo) = &step.undo else { continue };
        for need in &undo.needs {
            let Some(&n) = cx.graph.index.get(need.as_str()) else { continue };
            let done_before = n == i || preceded_by_any(cx, &mut ancestry, i, &[n]);
            if !done_before {
                out.push(
                    RULE.diag(
                        need.span,
                        format!(
                            "the undo of `{}` needs `{}`, but `{}` does not wait for it, so it may not have run",
                            step.id(),
                            need.value,
                            step.id()
                        ),
                    )
                    .step(step.id())
                    .help(format!("add `{}` to the `after` of `{}`", need.value, step.id())),
                );
            }
        }
    }
}
