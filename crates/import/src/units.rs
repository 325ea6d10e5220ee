//! Durations as spreadsheets and checklists write them: `15`, `15m`,
//! `15 min`, `1.5 hours`, `1:30`, `1h 30m`, and three of them for a
//! three-point estimate (`[5m, 10m, 30m]`, `5/10/30`).

use retreat_core::limits::MAX_DURATION_SECS;

use crate::draft::Takes;

/// Seconds in one of the unit words people write, or `None`.
pub fn unit_secs(word: &str) -> Option<u64> {
    let w: String = word.trim().trim_matches(|c| matches!(c, '(' | ')' | '[' | ']')).trim().to_lowercase();
    match w.trim_end_matches('.') {
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1),
        "m" | "min" | "mins" | "minute" | "minutes" | "mn" => Some(60),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(3_600),
        "d" | "day" | "days" => Some(86_400),
        _ => None,
    }
}

/// One duration; a bare number counts in `unit` seconds (minutes unless a
/// header said otherwise).
pub fn duration(text: &str, unit: u64) -> Option<u64> {
    let t = text.trim().trim_start_matches('~').trim();
    if t.is_empty() {
        return None;
    }
    if let Some(n) = number(t) {
        return secs(n * unit as f64);
    }
    // `1:30` is hours and minutes, as spreadsheets show a time.
    if let Some((h, m)) = t.split_once(':')
        && let (Ok(h), Ok(m)) = (h.trim().parse::<u64>(), m.trim().parse::<u64>())
    {
        return (m < 60)
            .then(|| h.checked_mul(3_600).and_then(|h| h.checked_add(m * 60)))
            .flatten()
            .filter(|&s| s <= MAX_DURATION_SECS);
    }
    let mut total = 0.0;
    let mut rest = t;
    let mut any = false;
    while !rest.is_empty() {
        let n_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
        if n_len == 0 {
            return None;
        }
        let (num, tail) = rest.split_at(n_len);
        let value = number(num)?;
        let tail = tail.trim_start();
        let u_len = tail.find(|c: char| !c.is_alphabetic() && c != '.').unwrap_or(tail.len());
        let (word, tail) = tail.split_at(u_len);
        let per = if word.is_empty() { unit } else { unit_secs(word)? };
        total += value * per as f64;
        any = true;
        rest = tail.trim_start().trim_start_matches("and").trim_start();
    }
    if any { secs(total) } else { None }
}

/// A duration or three: `[5m, 10m, 30m]`, `5m/10m/30m`, `5, 10, 30`.
pub fn estimate(text: &str, unit: u64) -> Option<Takes> {
    let t = text.trim();
    let inner = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(t);
    let parts: Vec<&str> = inner.split(['/', ';', '|']).collect();
    let parts = if parts.len() == 3 { parts } else { inner.split(',').collect() };
    if parts.len() == 3 {
        let p: Option<Vec<u64>> = parts.iter().map(|p| duration(p, unit)).collect();
        let p = p?;
        return match p.as_slice() {
            &[b, l, w] if b <= l && l <= w => Some(Takes::ThreePoint(b, l, w)),
            _ => None,
        };
    }
    if inner != t {
        return None;
    }
    duration(t, unit).map(Takes::Fixed)
}

/// A plain number; a decimal comma (`1,5`) counts as a point.
fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return None;
    }
    if t.matches(',').count() > 1 || (t.contains(',') && t.contains('.')) {
        return None;
    }
    t.replace(',', ".").parse().ok()
}

/// Whole seconds, within the durations a plan accepts.
fn secs(value: f64) -> Option<u64> {
    let s = value.round();
    (s.is_finite() && s >= 0.0 && s <= MAX_DURATION_SECS as f64).then_some(s as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_sheets_write() {
        assert_eq!(duration("15", 60), Some(900));
        assert_eq!(duration("1.5", 3_600), Some(5_400));
        assert_eq!(duration("1,5 h", 60), Some(5_400));
        assert_eq!(duration("1h 30m", 60), Some(5_400));
        assert_eq!(duration("15 mins", 60), Some(900));
        assert_eq!(duration("2 hours and 5 minutes", 60), Some(7_500));
        assert_eq!(duration("1:30", 60), Some(5_400));
        assert_eq!(duration("TBD", 60), None);
        assert_eq!(duration("1e9", 60), None);
        assert_eq!(duration("99999999", 60), None);
        assert_eq!(estimate("[5m, 10m, 30m]", 60), Some(Takes::ThreePoint(300, 600, 1_800)));
        assert_eq!(estimate("5/10/30", 60), Some(Takes::ThreePoint(300, 600, 1_800)));
        assert_eq!(estimate("30/10/5", 60), None);
    }
}
