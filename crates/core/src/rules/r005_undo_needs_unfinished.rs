//! R005 undo-needs-unfinished: an undo relies on a step that may not have run.

use super::{Context, Rule, preceded_by_each};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "R005",
    name: "undo-needs-unfinished",
    severity: Severity::Error,
    summary: "`undo.needs` names a step this step does not depend on (so it may not have run)",
    docs: super::docs(DOCS),
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
    // Every need, then whether each step waits for what its undo needs:
    // asked all at once, so that many undos needing one step cost no more
    // than a walk over the graph.
    let mut needs = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        for need in step.undo.iter().flat_map(|u| &u.needs) {
            if let Some(&n) = cx.graph.index.get(need.as_str()) {
                needs.push((i, need, n));
            }
        }
    }
    if needs.is_empty() {
        return;
    }
    let targets: Vec<[usize; 1]> = (0..steps.len()).map(|n| [n]).collect();
    let sets: Vec<&[usize]> = targets.iter().map(|t| &t[..]).collect();
    let questions: Vec<(usize, usize)> = needs.iter().map(|&(i, _, n)| (n, i)).collect();
    let waits = preceded_by_each(cx, &questions, &sets);
    for (&(i, need, n), waits) in needs.iter().zip(waits) {
        if n == i || waits {
            continue;
        }
        let step = &steps[i];
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
