//! Durations and timestamps: reading them from plan text and writing them back
//! the way people say them.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::limits::MAX_DURATION_SECS;
use crate::model::{Duration, Timestamp};

/// Reads `15m`, `1h30m`, `2h`, `45s`, `1h 30m`, `1.5h` or a bare number of minutes.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("an empty duration".into());
    }
    if let Ok(minutes) = t.parse::<f64>() {
        return minutes_to_duration(minutes);
    }
    let mut total = 0.0f64;
    let mut rest = t;
    let mut last_unit = 0u8;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        let value: f64 = num.parse().map_err(|_| format!("`{t}` is not a duration"))?;
        let tail = tail.trim_start();
        let unit_len = tail.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let (rank, secs) = match unit {
            "d" => (1, 86_400.0),
            "h" => (2, 3_600.0),
            "m" | "min" => (3, 60.0),
            "s" => (4, 1.0),
            _ => return Err(format!("`{t}` is not a duration")),
        };
        if rank <= last_unit {
            return Err(format!("`{t}` is not a duration: give units once each, largest first"));
        }
        last_unit = rank;
        total += value * secs;
        rest = tail.trim_start();
    }
    secs_to_duration(total, t)
}

/// A bare number in a plan is minutes.
pub fn minutes_to_duration(minutes: f64) -> Result<Duration, String> {
    secs_to_duration(minutes * 60.0, &format_number(minutes))
}

fn secs_to_duration(secs: f64, text: &str) -> Result<Duration, String> {
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("`{text}` is not a duration of zero or more"));
    }
    let rounded = secs.round();
    if rounded > MAX_DURATION_SECS as f64 {
        return Err(format!("`{text}` is longer than the longest duration accepted (366 days)"));
    }
    // In range 0..=MAX_DURATION_SECS, so the cast is exact.
    Ok(Duration(rounded as u64))
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// `1h30m`, `45m`, `2h`, `30s`, `1h0m5s`: the shortest way a plan would write it.
pub fn format_duration(d: Duration) -> String {
    let s = d.0;
    let mut out = String::new();
    for (value, unit) in [(s / 3600, 'h'), ((s % 3600) / 60, 'm'), (s % 60, 's')] {
        if value > 0 {
            out.push_str(&format!("{value}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// Minutes (possibly fractional) as a person would say them: `25 min`, `1 h 5 min`, `90 s`.
pub fn format_minutes(minutes: f64) -> String {
    let secs = (minutes * 60.0).round().abs();
    if secs < 60.0 {
        return format!("{secs} s");
    }
    let total_min = (secs / 60.0).floor() as u64;
    let rem_s = secs as u64 % 60;
    let (h, m) = (total_min / 60, total_min % 60);
    let mut out = match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    if rem_s > 0 {
        out.push_str(&format!(" {rem_s} s"));
    }
    out
}

/// Reads an RFC 3339 timestamp; the offset (`Z`, `+01:00`) is required.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let t = text.trim();
    match OffsetDateTime::parse(t, &Rfc3339) {
        Ok(dt) => Ok(Timestamp { unix: dt.unix_timestamp(), offset: dt.offset().whole_seconds() }),
        Err(_) => {
            let looks_local =
                t.is_ascii() && t.len() >= 19 && t.as_bytes().get(10).is_some_and(|&b| b == b'T' || b == b't');
            if looks_local
                && !t.ends_with(['Z', 'z'])
                && !t.as_bytes().get(19..).unwrap_or_default().iter().any(|&b| b == b'+' || b == b'-')
            {
                Err(format!("`{t}` has no UTC offset: add `Z` or one like `+01:00`"))
            } else {
                Err(format!("`{t}` is not an RFC 3339 timestamp like `2026-11-28T22:00:00Z`"))
            }
        }
    }
}

/// `t + secs`, or `None` if that leaves the range of dates the tool handles.
pub fn add_secs(t: Timestamp, secs: u64) -> Option<Timestamp> {
    let unix = t.unix.checked_add(i64::try_from(secs).ok()?)?;
    OffsetDateTime::from_unix_timestamp(unix).ok()?;
    Some(Timestamp { unix, offset: t.offset })
}

fn to_datetime(t: Timestamp) -> Option<OffsetDateTime> {
    let offset = UtcOffset::from_whole_seconds(t.offset).ok()?;
    Some(OffsetDateTime::from_unix_timestamp(t.unix).ok()?.to_offset(offset))
}

/// The instant in RFC 3339, in the offset it was written with.
pub fn format_timestamp(t: Timestamp) -> String {
    to_datetime(t).and_then(|dt| dt.format(&Rfc3339).ok()).unwrap_or_else(|| format!("@{}", t.unix))
}

/// `HH:MM` on the wall clock of the window's offset, `minutes` after `start`.
pub fn clock(start: Timestamp, minutes: f64) -> String {
    let secs = (minutes * 60.0).round();
    let unix = if secs.is_finite() { start.unix.saturating_add(secs as i64) } else { start.unix };
    match to_datetime(Timestamp { unix, offset: start.offset }) {
        Some(dt) => format!("{:02}:{:02}", dt.hour(), dt.minute()),
        None => "--:--".into(),
    }
}

/// Checks a calendar date written `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<(), String> {
    let bad = || format!("`{text}` is not a calendar date like `2026-11-20`");
    let mut parts = text.trim().split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let day: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map(|_| ()).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let m = |s: &str| parse_duration(s).map(|d| d.0);
        assert_eq!(m("15m"), Ok(900));
        assert_eq!(m("1h30m"), Ok(5400));
        assert_eq!(m("1h 30m"), Ok(5400));
        assert_eq!(m("15 m"), Ok(900));
        assert_eq!(m("1 h 30 m"), Ok(5400));
        assert_eq!(m("2h"), Ok(7200));
        assert_eq!(m("45s"), Ok(45));
        assert_eq!(m("1.5h"), Ok(5400));
        assert_eq!(m("90"), Ok(5400));
        assert_eq!(m("0"), Ok(0));
        assert!(m("").is_err());
        assert!(m("15x").is_err());
        assert!(m("30m1h").is_err());
        assert!(m("1h1h").is_err());
        assert!(m("-5m").is_err());
        assert!(m("99999999999h").is_err());
        assert!(m("1e400").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(Duration(5400)), "1h30m");
        assert_eq!(format_duration(Duration(7200)), "2h");
        assert_eq!(format_duration(Duration(45)), "45s");
        assert_eq!(format_duration(Duration(0)), "0s");
        assert_eq!(format_minutes(25.0), "25 min");
        assert_eq!(format_minutes(65.0), "1 h 5 min");
        assert_eq!(format_minutes(120.0), "2 h");
        assert_eq!(format_minutes(0.75), "45 s");
    }

    #[test]
    fn timestamps() {
        let t = parse_timestamp("2026-11-28T22:00:00+01:00").expect("valid");
        assert_eq!(t.offset, 3600);
        assert_eq!(clock(t, 75.0), "23:15");
        assert_eq!(format_timestamp(t), "2026-11-28T22:00:00+01:00");
        assert!(parse_timestamp("2026-11-28T22:00:00").unwrap_err().contains("offset"));
        assert!(parse_timestamp("tomorrow").is_err());
        let end_of_time = parse_timestamp("9999-12-31T23:00:00Z").expect("valid");
        assert!(add_secs(end_of_time, 7200).is_none());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-11-20").is_ok());
    }
}
