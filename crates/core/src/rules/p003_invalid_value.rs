//! P003 invalid-value: a value of the wrong type or form.

use super::Rule;
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "P003",
    name: "invalid-value",
    severity: Severity::Error,
    summary: "wrong type or form: duration, timestamp, id, confidence",
    docs: super::docs(DOCS),
    check: None,
};

const DOCS: &str = r#"## What it checks
Each value has the form the format asks for: durations (`15m`, `1h30m`, `45s`,
a number of minutes, or three points `[best, likely, worst]` in order),
RFC 3339 timestamps with an offset, ids of `[A-Za-z0-9_.-]`, a `phase` and
`kind` from their lists, a `confidence` between 0 and 1, calendar dates,
and an `allow` with a reason. Required fields (`title`,
`steps`, each step's `id` and `do`, `window.start` and an end) must be there.
Values past the tool's limits (durations over 366 days, dates past 9999, more
than 100,000 steps) are reported here too.

## Why it matters
A value the tool cannot read is a value it cannot check: a window end of
`4am` leaves every timing check without a deadline.

## Example
```yaml
window:
  start: 2026-11-28T22:00:00     # no offset: add Z or +01:00
  duration: 6 hours              # write 6h
```

## Fix
Write the value in the form the message names. Times need their UTC offset,
because a change window crosses midnight and sometimes a clock change.
"#;
