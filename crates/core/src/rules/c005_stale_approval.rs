//! C005 stale-approval: an approval's `plan_hash` is not the plan's hash.

use super::{Context, Rule};
use crate::diagnostic::{Data, Diagnostic, Severity};
use crate::hash::{is_well_formed, same_hash};

pub static RULE: Rule = Rule {
    code: "C005",
    name: "stale-approval",
    severity: Severity::Error,
    summary: "an approval's `plan_hash` differs from the plan's hash",
    docs: super::docs(DOCS),
    check: Some(check),
};

const DOCS: &str = r#"## What it checks
Each approval that carries a `plan_hash` was given for this very plan: the hash
equals the plan's own (a value that is not a hash at all, such as a
placeholder, differs too), which is `sha256:` and the SHA-256 of the plan's
canonical JSON (RFC 8785 style: sorted keys, no spaces), leaving out
`approvals`. Reformatting, comments and key order do not change the hash; any
changed value does.

## Why it matters
An approval is for the plan the approver read. A step added or an estimate
changed afterwards was never approved, however small it looks.

## Example
```yaml
approvals:
  - by: Clinical systems lead
    plan_hash: sha256:5f1c...    # the plan was edited after this
```

## Fix
Have the changed plan approved again, and replace `plan_hash` with the hash
`retreat lint` (or the app) shows for it now.
"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(current) = cx.hash else { return };
    for approval in &cx.plan.approvals {
        let Some(signed) = &approval.plan_hash else { continue };
        if same_hash(&signed.value, current) {
            continue;
        }
        let who = approval.by.as_ref().map_or("an approver".to_string(), |b| format!("`{}`", b.value));
        let help = format!("have the plan approved again, then set `plan_hash: {current}`");
        if !is_well_formed(&signed.value) {
            let message = format!("the approval by {who} carries `{}`, which is not a plan hash", signed.value);
            out.push(RULE.diag(signed.span, message).help(help));
            continue;
        }
        let data = Data::StaleApproval { by: who, signed: signed.value.clone(), current: current.to_string() };
        out.push(RULE.diag(signed.span, stale_message(&data, None)).help(help).data(data));
    }
}

/// The message of a stale approval; with `since`, what changed since the
/// approved version (see `crate::explain_stale`).
pub(crate) fn stale_message(data: &Data, since: Option<&str>) -> String {
    let by = match data {
        Data::StaleApproval { by, .. } => by.as_str(),
        _ => "someone",
    };
    match since {
        None => format!("the approval by {by} was given for another version of the plan: it has changed since"),
        Some(since) => format!("the approval by {by} was given for another version of the plan; since then, {since}"),
    }
}
