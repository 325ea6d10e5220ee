//! Positions as LSP counts them: a line and a column in UTF-16 code units
//! (the protocol's default encoding), from and to the core's byte offsets.

use serde_json::{Value, json};

/// Where each line of a text starts.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, and back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Value {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.starts[line]..offset].encode_utf16().count();
        json!({"line": line, "character": column})
    }

    pub fn range(&self, start: usize, end: usize) -> Value {
        json!({"start": self.position(start), "end": self.position(end)})
    }

    /// The byte offset of an LSP position; `None` for a line past the end.
    /// A column past its line's end is the line's end, as the protocol says.
    pub fn offset(&self, position: &Value) -> Option<usize> {
        let line = usize::try_from(position.get("line")?.as_u64()?).ok()?;
        let column = position.get("character")?.as_u64()?;
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&s| s - 1);
        let mut units = 0u64;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= column {
                return Some(start + i);
            }
            units += c.len_utf16() as u64;
        }
        Some(end)
    }
}

pub fn offset(text: &str, position: &Value) -> Option<usize> {
    Lines::new(text).offset(position)
}

pub fn range_offsets(text: &str, range: &Value) -> Option<(usize, usize)> {
    let lines = Lines::new(text);
    let (start, end) = (lines.offset(range.get("start")?)?, lines.offset(range.get("end")?)?);
    (start <= end).then_some((start, end))
}

/// `text` after one `contentChanges` entry: the whole text, or a range
/// replaced. `Err` says why a change cannot apply.
pub fn apply(text: &str, change: &Value) -> Result<String, String> {
    let new = change.get("text").and_then(Value::as_str).ok_or("a change without `text`")?;
    let Some(range) = change.get("range") else { return Ok(new.to_string()) };
    let (start, end) = range_offsets(text, range).ok_or("its range lies outside the document")?;
    Ok(format!("{}{new}{}", &text[..start], &text[end..]))
}

/// The path a `file://` URI names (percent-escapes decoded); `None` for any
/// other scheme.
pub fn file_path(uri: &str) -> Option<std::path::PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(std::path::PathBuf::from(String::from_utf8(out).ok()?))
}
