//! The plan hash that approvals sign: `sha256:` and the hex SHA-256 of the
//! plan's canonical JSON, without `approvals`.
//!
//! Canonical JSON follows RFC 8785 (JCS): object keys sorted by UTF-16 code
//! units, no whitespace, integral numbers without a fraction. It is computed
//! from the document as written (YAML 1.2 core schema), so reformatting,
//! comments, key order or YAML-versus-JSON do not change the hash, while any
//! change of a value does. Anyone can recompute it with standard tools, e.g.
//! `yq -o json 'del(.approvals)' plan.yaml | jq -cS` (for ASCII keys).

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use crate::parse::tree::{NodeId, NodeKind, Resolved, Tree};

pub const PREFIX: &str = "sha256:";

/// `sha256:<64 hex digits>` of the plan rooted at `root`.
pub(crate) fn plan_hash(tree: &Tree, root: NodeId) -> String {
    let digest = Sha256::digest(canonical_json(tree, root).as_bytes());
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The canonical JSON of the plan without `approvals` (what the hash covers).
pub(crate) fn canonical_json(tree: &Tree, root: NodeId) -> String {
    let mut json = String::new();
    write_node(tree, root, true, &mut json);
    json
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
fn write_node(tree: &Tree, id: NodeId, top: bool, out: &mut String) {
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
        NodeKind::Map(pairs) => {
            let mut entries: Vec<(&str, NodeId)> = Vec::with_capacity(pairs.len());
            let mut seen = HashSet::with_capacity(pairs.len());
            for &(k, v) in pairs {
                let Some(key) = tree.scalar(k) else { continue };
                let key = key.text.as_str();
                // The first of repeated keys counts, as everywhere else.
                if (top && key == "approvals") || !seen.insert(key) {
                    continue;
                }
                entries.push((key, v));
            }
            entries.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
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

fn write_float(f: f64, out: &mut String) {
    if !f.is_finite() {
        // JSON has no infinities or NaN; JCS (like JSON.stringify) writes null.
        out.push_str("null");
    } else if f.fract() == 0.0 && f.abs() < 1e21 {
        out.push_str(&format!("{}", f as i128));
    } else {
        out.push_str(&serde_json::Number::from_f64(f).map_or_else(|| "null".into(), |n| n.to_string()));
    }
}

fn write_str(s: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}
