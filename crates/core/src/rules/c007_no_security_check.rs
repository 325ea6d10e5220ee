//! C007 no-security-check: no `prep` step tagged `security`.

use super::{Context, Rule, plan_anchor};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Phase;

pub static RULE: Rule = Rule {
    code: "C007",
    name: "no-security-check",
    severity: Severity::Warning,
    summary: "no `prep` step tagged `security`",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Some `prep` step carries the tag `security`: a review of accounts, rights,
certificates and firewall rules done before the window opens.

## Why it matters
Security, always check security. The failed deployment this tool comes from
went wrong two-thirds of the way in because of a permission missed during
prep; the fix was easy afterwards, but the window was gone.

## Example
```yaml
- id: install-engine
  phase: prep
  do: Install the new engine on its VM
# nobody checked the service account or the firewall
```

## Fix
```yaml
- id: security-review
  phase: prep
  kind: check
  tags: [security]
  do: Confirm the service account has rights on both engines and the firewall allows port 2575
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let plan = cx.plan;
    if plan.steps.is_empty() {
        return;
    }
    if !plan.steps.iter().any(|s| s.phase == Phase::Prep && s.has_tag("security")) {
        out.push(
            RULE.diag(
                plan_anchor(plan),
                "no `prep` step is tagged `security`: accounts, rights and firewall rules go unchecked",
            )
            .help("add a `phase: prep` step with `tags: [security]` that reviews access before the window"),
        );
    }
}
