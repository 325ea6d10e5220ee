//! The change window as an iCalendar file (RFC 5545): one event for the
//! window, and one for the rollback deadline with an alarm 15 minutes
//! before it. Times are written in the window's own offset (a `VTIMEZONE`
//! of that fixed offset; UTC as `Z`). The output is deterministic: `UID`s
//! come from the plan's title, change reference and window start (so a
//! calendar updates the same events when the plan is exported again), and
//! `DTSTAMP`, which the standard requires, is the window's start in UTC
//! rather than the clock's time.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

use crate::lint::Analysis;

/// How long before the deadline the alarm goes off.
const ALARM_MINUTES: u32 = 15;

/// The calendar, or why there is none (no window, a plan that does not parse).
pub fn ics(analysis: &Analysis) -> Result<String, String> {
    let sim = analysis
        .simulation
        .as_ref()
        .ok_or("the plan has no `window` (or does not parse), so it has no time to put in a calendar")?;
    let plan = &analysis.plan;
    let window = &sim.window;
    let title = plan.title.as_ref().map_or("Change", |t| t.value.as_str());
    let offset = window.start.offset;
    let key = format!("{title}\n{}\n{}", plan.change_ref.as_ref().map_or("", |t| t.value.as_str()), window.start.unix);
    let uid = hex16(&key);
    let stamp = utc(window.start.unix);
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//Retreat//retreat {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    if offset != 0 {
        lines.extend(vtimezone(offset));
    }
    let mut description = format!("Change window for {title}.");
    if let Some(r) = &plan.change_ref {
        let _ = write!(description, " Change: {}.", r.value);
    }
    if let Some(deadline) = sim.deadline {
        let _ = write!(
            description,
            " Rollback deadline: {} ({} into the window).",
            sim.clock(deadline),
            crate::sim::say(deadline)
        );
    }
    lines.extend([
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}-window@retreat"),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART{}", at(window.start.unix, offset)),
        format!("DTEND{}", at(window.end.unix, offset)),
        format!("SUMMARY:{}", escape(&format!("Change window: {title}"))),
        format!("DESCRIPTION:{}", escape(&description)),
        "TRANSP:OPAQUE".into(),
        "END:VEVENT".into(),
    ]);
    if let Some(deadline) = sim.deadline {
        // An instant: without DTEND the event ends as it starts (RFC 5545 3.6.1).
        let when = window.start.unix.saturating_add(deadline.round() as i64);
        let text = format!(
            "The last moment a rollback of {title} can be called and still be done and verified by the window's end ({}).",
            sim.clock(sim.window_length)
        );
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{uid}-deadline@retreat"),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART{}", at(when, offset)),
            format!("SUMMARY:{}", escape(&format!("Rollback deadline: {title}"))),
            format!("DESCRIPTION:{}", escape(&text)),
            "TRANSP:TRANSPARENT".into(),
            "BEGIN:VALARM".into(),
            "ACTION:DISPLAY".into(),
            format!("DESCRIPTION:{}", escape(&format!("Rollback deadline of {title} in {ALARM_MINUTES} minutes"))),
            format!("TRIGGER:-PT{ALARM_MINUTES}M"),
            "END:VALARM".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(&mut out, l);
    }
    Ok(out)
}

/// The first 16 hex digits of the SHA-256 of `text`.
fn hex16(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().take(8).fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn datetime(unix: i64, offset: i32) -> Option<OffsetDateTime> {
    let offset = UtcOffset::from_whole_seconds(offset).ok()?;
    Some(OffsetDateTime::from_unix_timestamp(unix).ok()?.to_offset(offset))
}

fn basic(dt: OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20261205T220000Z`.
fn utc(unix: i64) -> String {
    datetime(unix, 0).map_or_else(|| "19700101T000000Z".into(), |dt| format!("{}Z", basic(dt)))
}

/// `:20261205T220000Z`, or `;TZID=UTC+01:00:20261205T230000` in the
/// window's offset.
fn at(unix: i64, offset: i32) -> String {
    if offset == 0 {
        return format!(":{}", utc(unix));
    }
    match datetime(unix, offset) {
        Some(dt) => format!(";TZID={}:{}", tzid(offset), basic(dt)),
        None => format!(":{}", utc(unix)),
    }
}

/// `+0100` (with seconds when the offset has them).
fn offset_text(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    let (h, m, s) = (a / 3600, a % 3600 / 60, a % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

fn tzid(offset: i32) -> String {
    let t = offset_text(offset);
    format!("UTC{}:{}", &t[..3], &t[3..5])
}

/// A time zone that is the fixed offset all year.
fn vtimezone(offset: i32) -> Vec<String> {
    let o = offset_text(offset);
    vec![
        "BEGIN:VTIMEZONE".into(),
        format!("TZID:{}", tzid(offset)),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        format!("TZOFFSETFROM:{o}"),
        format!("TZOFFSETTO:{o}"),
        format!("TZNAME:{}", tzid(offset)),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ]
}

/// TEXT escaping (RFC 5545 3.3.11): backslash, `;`, `,` and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `line` with CRLF, folded so that no line is over 75 octets (RFC 5545
/// 3.1): each continuation starts with a space, and a UTF-8 character is
/// never split.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}
