//! Checks on the input as a whole: its size, characters YAML does not
//! allow, its encoding, and step ids that only look like plain ASCII.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::limits::MAX_INPUT_BYTES;
use crate::model::Step;
use crate::rules::p001_syntax::RULE as P001;
use crate::text::{is_valid_id, skeleton, unusual_bytes};

use super::reader::Reader;

/// P001 when `source` cannot be read as plan text at all: too large, or
/// holding a character YAML forbids.
pub(super) fn reject(source: &str) -> Option<Diagnostic> {
    if source.len() > MAX_INPUT_BYTES {
        return Some(P001.diag(
            Span::at(0),
            format!("the text is larger than the {} MiB plans are limited to", MAX_INPUT_BYTES / (1024 * 1024)),
        ));
    }
    let (at, c) = first_forbidden(source)?;
    let at = u32::try_from(at).unwrap_or(u32::MAX);
    Some(
        P001.diag(
            Span::new(at, at.saturating_add(c.len_utf8() as u32)),
            format!("the text holds the control character U+{:04X}, which YAML does not allow", u32::from(c)),
        )
        .help("remove it; only tabs and line breaks may appear among the text's characters"),
    )
}

/// Ids outside `[A-Za-z0-9_.-]`, saying which characters are wrong and,
/// for a look-alike (a Cyrillic `а`, a hidden zero-width space), which
/// step's id it imitates.
pub(super) fn check_ids(r: &mut Reader, steps: &[Step], first_of: &HashMap<String, usize>) {
    for step in steps.iter().filter(|s| !s.is_invalid("id") && !is_valid_id(s.id())) {
        let id = step.id();
        let mut odd: Vec<String> = Vec::new();
        for c in id.chars().filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
            let name = if c == ' ' { "a space".to_string() } else { format!("U+{:04X}", u32::from(c)) };
            if !odd.contains(&name) {
                odd.push(name);
            }
        }
        let mut message = format!(
            "step id `{}` may only hold letters, digits, `_`, `.` and `-`, not {}",
            id.escape_debug(),
            odd.join(", ")
        );
        let twin = skeleton(id);
        if let Some(&other) = first_of.get(&twin).filter(|_| twin != id) {
            message.push_str(&format!("; it looks like the id of step {} (`{twin}`)", other + 1));
        }
        r.invalid(step.id.span, message, Some("ids are plain ASCII so that one cannot pass for another".into()));
    }
}

/// Characters YAML 1.2 forbids in a document: C0 controls other than tab,
/// line feed and carriage return, DEL, C1 controls, and two non-characters.
/// The first character YAML does not allow, and where it is. A byte scan:
/// only bytes that can start a forbidden character are decoded.
fn first_forbidden(source: &str) -> Option<(usize, char)> {
    let bytes = source.as_bytes();
    unusual_bytes(bytes).find_map(|i| {
        let b = *bytes.get(i)?;
        let suspect = b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xEF;
        if !suspect {
            return None;
        }
        let c = source.get(i..).and_then(|rest| rest.chars().next())?;
        forbidden(c).then_some((i, c))
    })
}

fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{84}' | '\u{86}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The UTF-8 byte-order mark some editors put first.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Checks that `bytes` are UTF-8 text; otherwise a P001 at the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = u32::try_from(e.valid_up_to()).unwrap_or(u32::MAX);
        P001.diag(Span::new(at, at.saturating_add(1)), "the file is not UTF-8 text (is it a binary file?)")
            .help("save the plan as UTF-8 YAML or JSON")
    })
}
