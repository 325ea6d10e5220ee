//! G003 redundant-after: an `after` entry is already implied through another.

use std::collections::{HashMap, HashSet};

use super::{Context, Rule};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "G003",
    name: "redundant-after",
    severity: Severity::Info,
    summary: "an `after` entry is already implied through another",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Each entry of a step's `after` adds something: it is not listed twice, and it
is not already a dependency of another entry of the same list.

## Why it matters
Redundant edges do no harm to the schedule, but they clutter the graph a
reviewer reads, and they hide the real order: when the implied path changes,
nobody knows which of the two edges was meant.

## Example
```yaml
- id: backup
- id: stop-feed
  after: [backup]
- id: switch
  after: [backup, stop-feed]    # `backup` is implied: stop-feed waits for it
```

## Fix
Remove the entry the message names; the order stays the same.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut ancestry = cx.graph.ancestry();
    for (i, step) in cx.plan.steps.iter().enumerate() {
        let Some(written) = &step.after else { continue };
        let entries = &cx.graph.after[i];
        // For each entry, the first other entry that waits for it: one
        // search for the whole list, however long it is.
        let via_of: HashMap<usize, usize> = match entries.len() {
            0 | 1 => HashMap::new(),
            _ => {
                entries.iter().zip(ancestry.first_dependents(entries)).filter_map(|(&e, via)| Some((e, via?))).collect()
            }
        };
        let mut seen: HashSet<&str> = HashSet::with_capacity(written.len());
        for name in written {
            let Some(&target) = cx.graph.index.get(name.as_str()) else { continue };
            if !seen.insert(name.as_str()) {
                out.push(
                    RULE.diag(name.span, format!("`{}` is listed twice in the `after` of `{}`", name.value, step.id()))
                        .step(step.id())
                        .help(format!("remove the second `{}`", name.value)),
                );
                continue;
            }
            if let Some(&via) = via_of.get(&target) {
                let via = cx.plan.steps[via].id();
                out.push(
                    RULE.diag(
                        name.span,
                        format!(
                            "`{}` in the `after` of `{}` is already implied: `{via}` waits for it",
                            name.value,
                            step.id()
                        ),
                    )
                    .step(step.id())
                    .help(format!("remove `{}` from `after`; the order stays the same", name.value)),
                );
            }
        }
    }
}
