//! C003 no-prior-notice: no `notify` before the first scheduled `change`.

use super::{Context, Rule, first_change_without};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Kind;

pub static RULE: Rule = Rule {
    code: "C003",
    name: "no-prior-notice",
    severity: Severity::Warning,
    summary: "no `notify` step before the first scheduled `change`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
A `notify` step comes before the first change in the window: in `prep`, or as
a step the first scheduled change waits for.

## Why it matters
Users and stakeholders need to know about downtime in time to make their own
arrangements. A ward that was not told the feed would pause will find out the
hard way.

## Example
```yaml
- id: baseline
  kind: check
  do: Record queue depth on the old engine
- id: stop-feed          # first change; nobody was told
  do: Pause the inbound HL7 feed
```

## Fix
```yaml
- id: notify
  phase: prep
  kind: notify
  do: Email ward managers that ADT will pause for up to 20 minutes at 22:00
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let steps = &cx.plan.steps;
    if let Some(i) = first_change_without(cx, Kind::Notify, |i| steps[i].phase.is_scheduled()) {
        let step = &steps[i];
        out.push(
            RULE.diag(
                step.anchor(),
                format!("no `notify` step comes before `{}`, the first change in the window", step.id()),
            )
            .step(step.id())
            .help("add a `kind: notify` step (in `prep`, or one this change waits for) telling users of the downtime"),
        );
    }
}
