//! A fast reader for the YAML that plans are nearly always written in:
//! block mappings and sequences, one-line plain and quoted scalars, one-line
//! flow collections, comments. It builds the same [`Tree`] as the full
//! parser (`saphyr-parser`, see `tree.rs`), spans included, in one pass over
//! the bytes with no per-character work beyond a comparison.
//!
//! It declines (returns `None`) at the first thing outside that subset:
//! anchors, aliases, tags, block scalars, escapes, multi-line scalars or
//! flows, tabs, carriage returns, document markers, or anything that might be
//! an error. The full parser then reads the text from the start, so errors
//! and rare forms are always reported by one parser, the same way. The
//! differential tests (`tests/it/parse.rs`) and the `yaml` fuzz target check
//! that whenever this reader accepts a text, its tree equals the full one.
//!
//! Why: `saphyr-parser`'s scanner builds every scalar a character at a time
//! and was more than half of linting a 10,000-step plan and of each keystroke
//! in the app (figures in docs/decisions.md).

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::borrow::Cow;

use super::tree::{Node, NodeId, NodeKind, Scalar, Tree};
use crate::diagnostic::Span;

/// Deeper nesting goes to the full parser, which reports the depth limit.
const MAX_NEST: usize = 32;
/// Longer implicit keys go to the full parser (YAML allows 1024 characters).
const MAX_KEY_BYTES: usize = 1000;

/// The next line's content: where it starts, and its column (-1 at the end).
#[derive(Clone, Copy)]
struct Next {
    pos: usize,
    col: isize,
}

/// A scalar as written: `[start, end)` in the source.
struct Tok<'s> {
    start: usize,
    end: usize,
    text: Cow<'s, str>,
    quoted: bool,
    /// Where reading stopped: after a quote, or at what ended a plain scalar.
    stop: usize,
    /// Whether it is followed by `:` and a space or line end: a key.
    key: bool,
}

struct Reader<'s> {
    src: &'s str,
    tree: Tree<'s>,
    depth: usize,
    /// The children of the collections being read, innermost last: each
    /// collection's list is allocated once, at its exact size, when it ends.
    pending: Vec<NodeId>,
}

/// Reads `src` when it is in the subset; `None` otherwise.
pub(crate) fn build(src: &str) -> Option<Tree<'_>> {
    if !plain_text(src.as_bytes()) {
        return None;
    }
    let mut r = Reader { src, tree: Tree::default(), depth: 0, pending: Vec::new() };
    // Plans hold a node per 6 to 8 bytes: one allocation, no copying as the
    // list grows (pages not written to are never touched).
    r.tree.nodes.reserve(src.len() / 6);
    let first = r.next_content(0)?;
    if first.col < 0 {
        return None;
    }
    let (root, next) = r.block_node(first.pos, first.col, -1, true)?;
    if next.col >= 0 {
        return None;
    }
    r.tree.root = Some(root);
    Some(r.tree)
}

/// No control characters (tabs and carriage returns included), no byte-order
/// mark, no line or paragraph separators, no non-characters.
fn plain_text(b: &[u8]) -> bool {
    crate::text::unusual_bytes(b).all(|i| {
        let at = |k: usize| b.get(i + k).copied();
        match at(0) {
            Some(0xC2) => !at(1).is_some_and(|n| (0x80..=0x9F).contains(&n)),
            Some(0xE2) => !(at(1) == Some(0x80) && matches!(at(2), Some(0xA8 | 0xA9))),
            Some(0xEF) => !matches!((at(1), at(2)), (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))),
            Some(c) => c >= 0x80,
            None => true,
        }
    })
}

fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b' '
            | b'\n'
            | 0
    )
}

fn is_flow(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

fn span(start: usize, end: usize) -> Span {
    let s = u32::try_from(start).unwrap_or(u32::MAX);
    let e = u32::try_from(end).unwrap_or(u32::MAX);
    Span::new(s, e.max(s))
}

impl<'s> Reader<'s> {
    /// The byte at `i`; 0 past the end (the text holds no NUL).
    fn at(&self, i: usize) -> u8 {
        self.src.as_bytes().get(i).copied().unwrap_or(0)
    }

    fn len(&self) -> usize {
        self.src.len()
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.at(i) == b' ' {
            i += 1;
        }
        i
    }

    fn line_end(&self, mut i: usize) -> usize {
        while !matches!(self.at(i), b'\n' | 0) {
            i += 1;
        }
        i
    }

    /// From `i`, spaces and then a comment (which needs a space before it);
    /// where the line ends, or `None` if anything else is on it.
    fn rest_of_line(&self, i: usize) -> Option<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            b'\n' | 0 => Some(j),
            b'#' if j > i => Some(self.line_end(j)),
            _ => None,
        }
    }

    /// The line after the one ending at `eol`.
    fn after_line(&self, eol: usize) -> usize {
        if eol < self.len() { eol + 1 } else { eol }
    }

    /// The first line from `i` (a line start) with content other than a
    /// comment. Declines document markers and directives.
    fn next_content(&self, mut i: usize) -> Option<Next> {
        loop {
            let j = self.skip_spaces(i);
            match self.at(j) {
                0 => return Some(Next { pos: self.len(), col: -1 }),
                b'\n' => i = j + 1,
                b'#' => i = self.after_line(self.line_end(j)),
                c => {
                    let col = j - i;
                    let rest = self.src.as_bytes().get(j..).unwrap_or_default();
                    if col == 0 && (c == b'%' || rest.starts_with(b"---") || rest.starts_with(b"...")) {
                        return None;
                    }
                    return Some(Next { pos: j, col: isize::try_from(col).ok()? });
                }
            }
        }
    }

    fn is_entry(&self, i: usize) -> bool {
        self.at(i) == b'-' && matches!(self.at(i + 1), b' ' | b'\n' | 0)
    }

    fn push(&mut self, kind: NodeKind<'s>, span: Span) -> NodeId {
        let id = NodeId::try_from(self.tree.nodes.len()).unwrap_or(NodeId::MAX);
        self.tree.nodes.push(Node { kind, span });
        id
    }

    fn push_scalar(&mut self, t: Tok<'s>) -> NodeId {
        self.push(NodeKind::Scalar(Scalar { text: t.text, is_string: t.quoted }), span(t.start, t.end))
    }

    fn empty_scalar(&mut self, at: usize) -> NodeId {
        self.push(NodeKind::Scalar(Scalar { text: Cow::Borrowed(""), is_string: false }), span(at, at))
    }

    fn finish(&mut self, id: NodeId, kind: NodeKind<'s>, end: usize) {
        if let Some(node) = self.tree.nodes.get_mut(id as usize) {
            node.span.end = span(node.span.start as usize, end).end;
            node.kind = kind;
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_NEST).then_some(())
    }

    /// A one-line scalar at `i`: quoted, or plain with the rules of block or
    /// flow context.
    fn scalar(&self, i: usize, flow: bool) -> Option<Tok<'s>> {
        let q = self.at(i);
        if q == b'\'' || q == b'"' {
            return self.quoted(i, q, flow);
        }
        if is_indicator(q) {
            return None;
        }
        let mut j = i;
        let mut end = i;
        let mut key = false;
        loop {
            match self.at(j) {
                b'\n' | 0 => break,
                b' ' => {
                    j += 1;
                    if self.at(j) == b'#' {
                        j -= 1;
                        break;
                    }
                }
                b':' if matches!(self.at(j + 1), b' ' | b'\n' | 0) || (flow && is_flow(self.at(j + 1))) => {
                    key = true;
                    break;
                }
                c if flow && is_flow(c) => break,
                _ => {
                    j += 1;
                    end = j;
                }
            }
        }
        let text = Cow::Borrowed(self.src.get(i..end)?);
        Some(Tok { start: i, end, text, quoted: false, stop: j, key })
    }

    fn quoted(&self, i: usize, q: u8, flow: bool) -> Option<Tok<'s>> {
        let mut j = i + 1;
        let mut doubled = false;
        loop {
            let c = self.at(j);
            if c == b'\n' || c == 0 || (q == b'"' && c == b'\\') {
                return None;
            }
            if c == q {
                if q == b'\'' && self.at(j + 1) == b'\'' {
                    doubled = true;
                    j += 2;
                    continue;
                }
                break;
            }
            j += 1;
        }
        let inner = self.src.get(i + 1..j)?;
        let text = if doubled { Cow::Owned(inner.replace("''", "'")) } else { Cow::Borrowed(inner) };
        // Its token runs past spaces and a comment that ends the line.
        let after = j + 1;
        let end = self.close_end(after)?;
        let next = self.at(end);
        let key = next == b':' && end == after && matches!(self.at(end + 1), b' ' | b'\n' | 0);
        let fits = match next {
            b'\n' | 0 => !flow,
            b',' | b']' | b'}' => flow,
            _ => false,
        };
        if !key && !fits {
            return None;
        }
        Some(Tok { start: i, end, text, quoted: true, stop: end, key })
    }

    /// A node in block context at `p` (column `col`), inside a block
    /// collection at column `indent`; and the content after it. A mapping's
    /// value on its key's line cannot be another mapping (`may_be_map`).
    fn block_node(&mut self, p: usize, col: isize, indent: isize, may_be_map: bool) -> Option<(NodeId, Next)> {
        match self.at(p) {
            b'-' if self.is_entry(p) => self.block_seq(p, col, false),
            b'[' | b'{' => {
                let (id, end) = self.flow(p)?;
                let eol = self.rest_of_line(end)?;
                Some((id, self.next_content(self.after_line(eol))?))
            }
            _ => {
                let tok = self.scalar(p, false)?;
                if tok.key {
                    return if may_be_map { self.block_map(col, tok) } else { None };
                }
                let plain = !tok.quoted;
                let eol = self.rest_of_line(tok.stop)?;
                let next = self.next_content(self.after_line(eol))?;
                // A deeper line after a plain scalar may continue it.
                if plain && next.col > indent {
                    return None;
                }
                Some((self.push_scalar(tok), next))
            }
        }
    }

    fn block_map(&mut self, col: isize, first: Tok<'s>) -> Option<(NodeId, Next)> {
        self.enter()?;
        let id = self.push(NodeKind::Map(Vec::new()), span(first.start, first.start));
        let base = self.pending.len();
        let mut key = first;
        let next = loop {
            if !key.key || key.end - key.start > MAX_KEY_BYTES {
                return None;
            }
            let colon = key.stop;
            let key_id = self.push_scalar(key);
            self.pending.push(key_id);
            let v = self.skip_spaces(colon + 1);
            let (value, next) = match self.at(v) {
                b'\n' | 0 | b'#' => {
                    let eol = self.line_end(v);
                    let next = self.next_content(self.after_line(eol))?;
                    if next.col > col {
                        self.block_node(next.pos, next.col, col, true)?
                    } else if next.col == col && self.is_entry(next.pos) {
                        self.block_seq(next.pos, col, true)?
                    } else {
                        (self.empty_scalar(colon), next)
                    }
                }
                b'-' if self.is_entry(v) => return None,
                _ => self.block_node(v, col, col, false)?,
            };
            self.pending.push(value);
            if next.col != col {
                if next.col > col {
                    return None;
                }
                break next;
            }
            if self.is_entry(next.pos) {
                return None;
            }
            key = self.scalar(next.pos, false)?;
        };
        let children = self.pending.split_off(base);
        self.finish(id, NodeKind::Map(children), next.pos);
        self.depth -= 1;
        Some((id, next))
    }

    /// A block sequence whose first `-` is at `p`. An indentless one (a
    /// mapping's value, at the mapping's column) ends at the mapping's next key.
    fn block_seq(&mut self, p: usize, col: isize, indentless: bool) -> Option<(NodeId, Next)> {
        self.enter()?;
        let mut dash = p;
        let id = self.push(NodeKind::Seq(Vec::new()), span(p, p));
        let base = self.pending.len();
        let next = loop {
            let mut q = self.skip_spaces(dash + 1);
            if self.at(q) == b'#' {
                q = self.line_end(q);
            }
            if indentless && dash == p {
                // Its start event is the first entry token, after the `- `.
                if let Some(node) = self.tree.nodes.get_mut(id as usize) {
                    node.span = span(q, q);
                }
            }
            let (item, next) = if matches!(self.at(q), b'\n' | 0) {
                let next = self.next_content(self.after_line(q))?;
                if next.col > col {
                    self.block_node(next.pos, next.col, col, true)?
                } else {
                    (self.empty_scalar(q), next)
                }
            } else {
                if self.is_entry(q) {
                    return None;
                }
                let item_col = col + isize::try_from(q - dash).ok()?;
                self.block_node(q, item_col, col, true)?
            };
            self.pending.push(item);
            if next.col == col && self.is_entry(next.pos) {
                dash = next.pos;
                continue;
            }
            if next.col > col || (next.col == col && !indentless) {
                return None;
            }
            break next;
        };
        let children = self.pending.split_off(base);
        self.finish(id, NodeKind::Seq(children), next.pos);
        self.depth -= 1;
        Some((id, next))
    }

    /// Where a flow collection's closing bracket's token ends: past spaces,
    /// and past a comment that ends the line.
    fn close_end(&self, i: usize) -> Option<usize> {
        let j = self.skip_spaces(i);
        match self.at(j) {
            b'#' if j > i => Some(self.line_end(j)),
            b'#' => None,
            _ => Some(j),
        }
    }

    /// A one-line flow collection at `p`; returns it and where its closing
    /// token ends.
    fn flow(&mut self, p: usize) -> Option<(NodeId, usize)> {
        self.enter()?;
        let map = self.at(p) == b'{';
        let close = if map { b'}' } else { b']' };
        let id = self.push(if map { NodeKind::Map(Vec::new()) } else { NodeKind::Seq(Vec::new()) }, span(p, p));
        let base = self.pending.len();
        let mut i = self.skip_spaces(p + 1);
        if self.at(i) != close {
            loop {
                if map {
                    let key = self.scalar(i, true)?;
                    if !key.key || self.at(key.stop + 1) != b' ' {
                        return None;
                    }
                    i = self.skip_spaces(key.stop + 1);
                    let key = self.push_scalar(key);
                    self.pending.push(key);
                }
                let (item, after) = match self.at(i) {
                    b'[' | b'{' => self.flow(i)?,
                    _ => {
                        let tok = self.scalar(i, true)?;
                        if tok.key || (!tok.quoted && tok.start == tok.end) {
                            return None;
                        }
                        let stop = tok.stop;
                        (self.push_scalar(tok), stop)
                    }
                };
                self.pending.push(item);
                i = self.skip_spaces(after);
                match self.at(i) {
                    b',' => {
                        i = self.skip_spaces(i + 1);
                        if matches!(self.at(i), b']' | b'}' | b',') {
                            return None;
                        }
                    }
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        let end = self.close_end(i + 1)?;
        let children = self.pending.split_off(base);
        let kind = if map { NodeKind::Map(children) } else { NodeKind::Seq(children) };
        self.finish(id, kind, end);
        self.depth -= 1;
        Some((id, end))
    }
}
