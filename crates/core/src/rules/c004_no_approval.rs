//! C004 no-approval: `approvals` is empty.

use super::{Context, Rule, plan_anchor};
use crate::diagnostic::{Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: "C004",
    name: "no-approval",
    severity: Severity::Warning,
    summary: "`approvals` is empty",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
The plan records at least one approval: who approved it (`by`), and ideally
when (`date`) and which version (`plan_hash`).

## Why it matters
Get approval from stakeholders in writing. A change to a critical system
should not rest on one person's judgement, and when it goes wrong, the record
shows that the plan, including its rollback, was agreed beforehand.

## Example
```yaml
title: Replace the HL7 interface engine
steps: [...]
# no approvals
```

## Fix
```yaml
approvals:
  - by: Clinical systems lead
    date: 2026-11-20
    plan_hash: sha256:...    # the hash `retreat lint` shows for this plan
```
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let plan = cx.plan;
    if plan.approvals.is_empty() && !plan.is_invalid("approvals") {
        let hash = cx.hash.map_or(String::new(), |h| format!(" with `plan_hash: {h}`"));
        out.push(
            RULE.diag(plan_anchor(plan), "nobody has approved the plan: `approvals` is empty")
                .help(format!("once it is approved, add `approvals: [{{by: <who>, date: <YYYY-MM-DD>}}]`{hash}")),
        );
    }
}
