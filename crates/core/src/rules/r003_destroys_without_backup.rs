//! R003 destroys-without-backup: data destroyed without a backup before it.

use std::collections::HashMap;

use super::{Context, Rule, preceded_by_each};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "R003",
    name: "destroys-without-backup",
    severity: Severity::Error,
    summary: "a `destroys` resource is not backed up by a `backup` step this step depends on (directly or not)",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
For every resource a step `destroys`, a step of kind `backup` with that
resource in its `backs_up` comes before it: the destroying step waits for the
backup, directly or through other steps, or the backup is in an earlier phase
(a `prep` backup is done before the window opens).

## Why it matters
An undo that depends on a backup nobody took is no undo. Rolling back "without
loss of data" needs the data to still exist somewhere.

## Example
```yaml
- id: switch
  do: Point the listener at the new engine and clear the old route table
  destroys: [routes]       # no backup of `routes` comes before
  undo: Re-import the route table
```

## Fix
Add a backup step before it:
```yaml
- id: backup-routes
  kind: backup
  backs_up: [routes]
  do: Export the route table to the change share
- id: switch
  after: [backup-routes]
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    if steps.iter().all(|s| s.destroys.is_empty()) {
        return;
    }
    let mut backups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        if s.kind == Kind::Backup {
            for r in &s.backs_up {
                backups.entry(r.as_str()).or_default().push(i);
            }
        }
    }
    // Each destroyed resource's backups, and whether each destroying step
    // comes after one: asked all at once, so that many steps destroying one
    // resource cost no more than a walk over the graph.
    let mut keys: HashMap<&str, usize> = HashMap::new();
    let mut sets: Vec<&[usize]> = Vec::new();
    let (mut destroyed, mut questions) = (Vec::new(), Vec::new());
    for (i, step) in steps.iter().enumerate() {
        for resource in &step.destroys {
            let key = *keys.entry(resource.as_str()).or_insert_with(|| {
                sets.push(backups.get(resource.as_str()).map_or(&[][..], Vec::as_slice));
                sets.len() - 1
            });
            destroyed.push((step, resource, key));
            questions.push((key, i));
        }
    }
    let backed_up = preceded_by_each(cx, &questions, &sets);
    for (&(step, resource, key), backed_up) in destroyed.iter().zip(backed_up) {
        if backed_up {
            continue;
        }
        let r = &resource.value;
        let detail = if sets[key].is_empty() {
            format!("no `backup` step backs up `{r}`")
        } else {
            format!("`{}` does not wait for the backup of `{r}`", step.id())
        };
        out.push(
            RULE.diag(resource.span, format!("step `{}` destroys `{r}`, but {detail}", step.id()))
                .step(step.id())
                .help(format!("add a `kind: backup` step with `backs_up: [{r}]` and make `{}` wait for it", step.id())),
        );
    }
}
