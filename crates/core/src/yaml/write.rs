//! Writing YAML: a scalar that reads back as exactly the text it was made
//! from. The importers write plans with it, the live window its run log.

use std::fmt::Write;

/// `text` as a YAML scalar that reads back as exactly `text`: plain when
/// that is safe (inside flow collections too), else double-quoted with
/// JSON's escapes, which YAML reads the same.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) { text.to_string() } else { quoted(text) }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    let lower = text.to_ascii_lowercase();
    let special = matches!(lower.as_str(), "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n");
    let numberish = first.is_ascii_digit() && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '_'))
        || text.parse::<f64>().is_ok()
        || lower.starts_with(".inf")
        || lower == ".nan";
    (first.is_alphanumeric() || first == '_' || first == '.' || first == '/' || first == '(')
        && !special
        && !numberish
        && !text.ends_with(char::is_whitespace)
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control() || matches!(c, ',' | '[' | ']' | '{' | '}' | '"' | '\'' | '\u{FEFF}'))
        && !text.chars().any(|c| !c.is_ascii() && (c.is_whitespace() || is_odd(c)))
}

/// Characters left to the quoted form, where they are escaped and visible.
fn is_odd(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FFF9}'..='\u{FFFF}')
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_odd(c) || c == '\u{FEFF}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
