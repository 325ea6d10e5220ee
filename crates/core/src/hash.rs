//! The plan hash that approvals sign: `sha256:` and the hex SHA-256 of the
//! plan's canonical JSON, without `approvals`.
//!
//! Canonical JSON follows RFC 8785 (JCS): object keys sorted by UTF-16 code
//! units, no whitespace, integral numbers without a fraction. It is computed
//! from the document as written (YAML 1.2 core schema), so reformatting,
//! comments, key order or YAML-versus-JSON do not change the hash, while any
//! change of a value does. Anyone can recompute it with standard tools, e.g.
//! `yq -o json 'del(.approvals)' plan.yaml | jq -cS` (for ASCII keys).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use sha2::{Digest, Sha256};

use crate::yaml::{NodeId, NodeKind, Resolved, Seen, Tree, pairs};

pub const PREFIX: &str = "sha256:";

/// `sha256:<64 hex digits>` of the plan rooted at `root`.
pub(crate) fn plan_hash(tree: &Tree<'_>, root: NodeId) -> String {
    let mut sink = HashSink { hasher: Sha256::new(), buf: String::with_capacity(HashSink::CHUNK + 256) };
    write_node(tree, root, true, &mut sink);
    sink.flush();
    let digest = sink.hasher.finalize();
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Where canonical JSON goes: straight into the hasher, or a `String`.
trait Out {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
}

impl Out for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

/// Feeds the hasher in chunks, so a large plan's JSON is never held whole.
struct HashSink {
    hasher: Sha256,
    buf: String,
}

impl HashSink {
    const CHUNK: usize = 16 * 1024;

    fn flush(&mut self) {
        self.hasher.update(self.buf.as_bytes());
        self.buf.clear();
    }
}

impl Out for HashSink {
    fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
        if self.buf.len() >= Self::CHUNK {
            self.flush();
        }
    }
    fn push(&mut self, c: char) {
        self.buf.push(c);
    }
}

/// The document as canonical JSON, `approvals` included (what a JSON tool or
/// a schema validator sees of a YAML plan).
pub(crate) fn document_json(tree: &Tree<'_>, root: NodeId) -> String {
    let mut out = String::new();
    write_node(tree, root, false, &mut out);
    out
}

/// `s` as a JSON string literal (also a valid YAML double-quoted scalar).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(s, &mut out);
    out
}

/// Whether `text` has the form of a plan hash (hex in either case).
pub fn is_well_formed(text: &str) -> bool {
    text.strip_prefix(PREFIX).is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Compares two plan hashes, ignoring the case of the hex digits.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

// Depth is bounded by `limits::MAX_DEPTH` and alias expansion by
// `limits::MAX_ALIAS_EXPANSION`, so this recursion is bounded too.
fn write_node(tree: &Tree<'_>, id: NodeId, top: bool, out: &mut impl Out) {
    match &tree.node(id).kind {
        NodeKind::Scalar(s) => match s.resolve() {
            Resolved::Null => out.push_str("null"),
            Resolved::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Resolved::Int(i) => out.push_str(&i.to_string()),
            Resolved::Float(f) => write_float(f, out),
            Resolved::Str(t) => write_str(t, out),
        },
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, &item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_node(tree, item, false, out);
            }
            out.push(']');
        }
        NodeKind::Map(children) => {
            let mut entries: Vec<(&str, NodeId)> = Vec::with_capacity(children.len() / 2);
            let mut seen = Seen::with_capacity(children.len() / 2);
            for (k, v) in pairs(children) {
                let Some(key) = tree.scalar(k) else { continue };
                let key: &str = &key.text;
                // The first of repeated keys counts, as everywhere else.
                if (top && key == "approvals") || !seen.insert(key) {
                    continue;
                }
                entries.push((key, v));
            }
            entries.sort_unstable_by(|a, b| utf16_order(a.0, b.0));
            out.push('{');
            for (i, (key, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write_node(tree, v, false, out);
            }
            out.push('}');
        }
    }
}

/// JCS orders keys by their UTF-16 code units; for ASCII that is byte order.
fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() { a.cmp(b) } else { a.encode_utf16().cmp(b.encode_utf16()) }
}

fn write_float(f: f64, out: &mut impl Out) {
    if !f.is_finite() {
        // JSON has no infinities or NaN; JCS (like JSON.stringify) writes null.
        out.push_str("null");
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        out.push_str(&format!("{}", f as i128));
    } else {
        out.push_str(&es_number(f));
    }
}

/// A finite number as ECMAScript's `Number.prototype.toString` writes it,
/// which is what JCS asks for: the shortest digits that read back to the same
/// double, in plain notation from 1e-6 up to 1e21 and as `d.ddde±x` outside.
fn es_number(f: f64) -> String {
    if f == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` gives the same shortest digits: `d.ddde<exp>`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    // The decimal point sits after `n` digits: value = 0.digits * 10^n.
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let mut out = String::with_capacity(32);
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(&format!("e{}{}", if n > 0 { '+' } else { '-' }, (n - 1).abs()));
    }
    out
}

/// A JSON string as JCS writes it: `"` and `\\` escaped, control characters
/// as `\b \t \n \f \r` or `\u00xx`, everything else as is.
fn write_str(s: &str, out: &mut impl Out) {
    out.push('"');
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_as_ecmascript_writes_them() {
        // Expected values are what `String(x)` gives in a browser.
        for (f, want) in [
            (0.1, "0.1"),
            (-1.5, "-1.5"),
            (4.35, "4.35"),
            (123.456, "123.456"),
            (0.002, "0.002"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1.0 / 3.0, "0.3333333333333333"),
            ("333333333.33333329".parse().unwrap_or_default(), "333333333.3333333"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e23, "1e+23"),
            (5e-324, "5e-324"),
            (-1.7976931348623157e308, "-1.7976931348623157e+308"),
            (123456789012.5, "123456789012.5"),
        ] {
            assert_eq!(super::es_number(f), want, "{f:e}");
        }
    }

    #[test]
    fn strings_escape_like_jcs() {
        let mut out = String::new();
        super::write_str("a\"b\\c\n\u{1}é", &mut out);
        assert_eq!(out, r#""a\"b\\c\n\u0001é""#);
    }
}
