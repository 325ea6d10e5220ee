//! YAML (and JSON, which YAML reads too) into a small arena tree with byte spans.
//!
//! The tree is built from `saphyr-parser`'s event stream with explicit stacks,
//! so nothing here recurses on the input's shape. Aliases point at the
//! anchored node instead of copying it; every node's expanded size is tracked,
//! and an alias bomb stops at [`MAX_ALIAS_EXPANSION`] with a syntax error.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::diagnostic::Span;
use crate::limits::{MAX_ALIAS_EXPANSION, MAX_DEPTH};

pub(crate) type NodeId = u32;

#[derive(Debug)]
pub(crate) struct Scalar<'s> {
    /// Borrowed from the source unless escapes or folding changed it.
    pub text: Cow<'s, str>,
    /// Quoted, block or `!!str`-tagged: always a string, never a number.
    pub is_string: bool,
}

#[derive(Debug)]
pub(crate) enum NodeKind<'s> {
    Scalar(Scalar<'s>),
    Seq(Vec<NodeId>),
    /// Keys and values alternating: `[k0, v0, k1, v1, ...]`.
    Map(Vec<NodeId>),
}

#[derive(Debug)]
pub(crate) struct Node<'s> {
    pub kind: NodeKind<'s>,
    pub span: Span,
}

/// A scalar resolved by the YAML 1.2 core schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar<'_> {
    /// Whether the scalar is null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        !self.is_string && matches!(&*self.text, "" | "~" | "null" | "Null" | "NULL")
    }

    pub fn resolve(&self) -> Resolved<'_> {
        let t: &str = &self.text;
        if self.is_string {
            return Resolved::Str(t);
        }
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
            "true" | "True" | "TRUE" => return Resolved::Bool(true),
            "false" | "False" | "FALSE" => return Resolved::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Resolved::Float(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
            _ => {}
        }
        // Every number starts with a digit or a point after its sign: most
        // scalars are words, and stop here.
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return Resolved::Str(t);
        }
        if let Some(hex) = t.strip_prefix("0x")
            && !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return i64::from_str_radix(hex, 16).map_or(Resolved::Str(t), Resolved::Int);
        }
        if let Some(oct) = t.strip_prefix("0o")
            && !oct.is_empty()
            && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
        {
            return i64::from_str_radix(oct, 8).map_or(Resolved::Str(t), Resolved::Int);
        }
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            // Integers beyond i64 still read as numbers, like other YAML tools.
            return t.parse::<i64>().map_or_else(|_| float_or_str(t), Resolved::Int);
        }
        if is_core_float(digits) {
            return float_or_str(t);
        }
        Resolved::Str(t)
    }
}

fn float_or_str(t: &str) -> Resolved<'_> {
    t.parse::<f64>().map_or(Resolved::Str(t), Resolved::Float)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the sign already stripped.
fn is_core_float(t: &str) -> bool {
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (t, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => all_digits(int) && all_digits(f) && !(int.is_empty() && f.is_empty()),
        None => !int.is_empty() && all_digits(int),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Keys seen in one mapping: a short list (plans' mappings are small), a hash
/// set past that.
pub(crate) enum Seen<'t> {
    Few(Vec<&'t str>),
    Many(std::collections::HashSet<&'t str>),
}

impl<'t> Seen<'t> {
    pub fn with_capacity(n: usize) -> Self {
        if n <= 16 { Seen::Few(Vec::with_capacity(n)) } else { Seen::Many(std::collections::HashSet::with_capacity(n)) }
    }

    /// Adds `key`; false if it was already there.
    pub fn insert(&mut self, key: &'t str) -> bool {
        match self {
            Seen::Few(v) if v.contains(&key) => false,
            Seen::Few(v) => {
                v.push(key);
                true
            }
            Seen::Many(set) => set.insert(key),
        }
    }
}

/// A problem that makes the text unreadable as YAML (P001).
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// Whether the rest of the document was lost (the tree is partial).
    pub fatal: bool,
}

/// What [`Tree::node`] returns for an id it does not hold: an empty list.
static MISSING: Node<'static> = Node { kind: NodeKind::Seq(Vec::new()), span: Span::at(0) };

#[derive(Debug, Default)]
pub(crate) struct Tree<'s> {
    pub(super) nodes: Vec<Node<'s>>,
    pub root: Option<NodeId>,
    pub errors: Vec<SyntaxError>,
}

/// The `(key, value)` pairs of a mapping's children.
pub(crate) fn pairs(children: &[NodeId]) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
    children.chunks_exact(2).filter_map(|kv| match *kv {
        [k, v] => Some((k, v)),
        _ => None,
    })
}

impl<'s> Tree<'s> {
    pub fn node(&self, id: NodeId) -> &Node<'s> {
        // Ids come from this tree; the fallback only keeps a bug from panicking.
        self.nodes.get(id as usize).unwrap_or(&MISSING)
    }

    /// Whether the document could only be read in part.
    pub fn is_partial(&self) -> bool {
        self.errors.iter().any(|e| e.fatal)
    }

    /// The tree as text: each node's kind, text and span, then the root and
    /// the errors. Two trees are the same when their dumps are.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = match &n.kind {
                NodeKind::Scalar(s) => writeln!(out, "{i} scalar {:?} string={} {:?}", &*s.text, s.is_string, n.span),
                NodeKind::Seq(c) => writeln!(out, "{i} seq {c:?} {:?}", n.span),
                NodeKind::Map(c) => writeln!(out, "{i} map {c:?} {:?}", n.span),
            };
        }
        let _ = writeln!(out, "root {:?}", self.root);
        for e in &self.errors {
            let _ = writeln!(out, "error {:?} {} fatal={}", e.span, e.message, e.fatal);
        }
        out
    }

    pub fn scalar(&self, id: NodeId) -> Option<&Scalar<'s>> {
        match &self.node(id).kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// Turns the parser's character indices into byte offsets. Markers arrive
/// almost in order, so a moving cursor makes this linear overall.
struct ByteOffsets<'a> {
    src: &'a str,
    ascii: bool,
    chars: usize,
    byte: usize,
}

impl<'a> ByteOffsets<'a> {
    fn new(src: &'a str) -> Self {
        ByteOffsets { src, ascii: src.is_ascii(), chars: 0, byte: 0 }
    }

    fn of(&mut self, char_index: usize) -> u32 {
        let byte = if self.ascii {
            char_index.min(self.src.len())
        } else {
            while self.chars < char_index {
                match self.src.get(self.byte..).and_then(|rest| rest.chars().next()) {
                    Some(c) => {
                        self.byte += c.len_utf8();
                        self.chars += 1;
                    }
                    None => break,
                }
            }
            while self.chars > char_index {
                match self.src.get(..self.byte).and_then(|head| head.chars().next_back()) {
                    Some(c) => {
                        self.byte -= c.len_utf8();
                        self.chars -= 1;
                    }
                    None => break,
                }
            }
            self.byte
        };
        u32::try_from(byte).unwrap_or(u32::MAX)
    }

    fn span(&mut self, span: &saphyr_parser::Span) -> Span {
        let start = self.of(span.start.index());
        let end = self.of(span.end.index());
        Span::new(start, end.max(start))
    }
}

struct Frame {
    id: NodeId,
    anchor: usize,
    children: Vec<NodeId>,
    is_map: bool,
    weight: u64,
}

/// Reads `src` with the full YAML parser.
pub(crate) fn build_full(src: &str) -> Tree<'_> {
    let mut b = Builder {
        tree: Tree::default(),
        offsets: ByteOffsets::new(src),
        stack: Vec::new(),
        anchors: HashMap::new(),
        weights: Vec::new(),
        alias_added: 0,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(src);
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                if let Err(e) = b.event(event, &span) {
                    b.tree.errors.push(e);
                    break;
                }
            }
            Some(Err(e)) => {
                let at = b.offsets.of(e.marker().index());
                b.tree.errors.push(SyntaxError { span: Span::at(at), message: e.info().to_string(), fatal: true });
                break;
            }
        }
    }
    b.close_all();
    b.tree
}

struct Builder<'a> {
    tree: Tree<'a>,
    offsets: ByteOffsets<'a>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    /// Expanded size of each node (itself plus what it holds, aliases expanded).
    weights: Vec<u64>,
    alias_added: u64,
    documents: usize,
}

impl<'a> Builder<'a> {
    fn push_node(&mut self, kind: NodeKind<'a>, span: Span, weight: u64) -> NodeId {
        let id = NodeId::try_from(self.tree.nodes.len()).unwrap_or(NodeId::MAX);
        self.tree.nodes.push(Node { kind, span });
        self.weights.push(weight);
        id
    }

    fn event(&mut self, event: Event<'a>, span: &saphyr_parser::Span) -> Result<(), SyntaxError> {
        let sp = self.offsets.span(span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(SyntaxError {
                        span: sp,
                        message: "a plan file holds one YAML document; this is a second one (remove the `---` or split the file)".into(),
                        fatal: false,
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tagged_str = tag.as_ref().is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                // Keep a slice of the source where the scalar is written as is
                // (most plain scalars), so the tree holds few allocations.
                let written = self.offsets.src.get(sp.start as usize..sp.end as usize);
                let text = match (text, written) {
                    (Cow::Owned(owned), Some(w)) if w == owned => Cow::Borrowed(w),
                    (text, _) => text,
                };
                let scalar = Scalar { text, is_string: style != ScalarStyle::Plain || tagged_str };
                let id = self.push_node(NodeKind::Scalar(scalar), sp, 1);
                if anchor > 0 {
                    self.anchors.insert(anchor, id);
                }
                self.attach(id)?;
            }
            Event::Alias(anchor) => {
                let Some(&target) = self.anchors.get(&anchor) else {
                    return Err(SyntaxError {
                        span: sp,
                        message: "this alias refers to the collection it is inside of".into(),
                        fatal: true,
                    });
                };
                let w = self.weights.get(target as usize).copied().unwrap_or(1);
                self.alias_added = self.alias_added.saturating_add(w);
                if self.alias_added > MAX_ALIAS_EXPANSION {
                    return Err(SyntaxError {
                        span: sp,
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_EXPANSION} nodes; an alias bomb is not a plan"
                        ),
                        fatal: true,
                    });
                }
                self.attach(target)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        span: sp,
                        message: format!("the document nests deeper than {MAX_DEPTH} levels"),
                        fatal: true,
                    });
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let kind = if is_map { NodeKind::Map(Vec::new()) } else { NodeKind::Seq(Vec::new()) };
                let id = self.push_node(kind, sp, 1);
                self.stack.push(Frame { id, anchor, children: Vec::new(), is_map, weight: 1 });
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(sp.end)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn attach(&mut self, id: NodeId) -> Result<(), SyntaxError> {
        let w = self.weights.get(id as usize).copied().unwrap_or(1);
        match self.stack.last_mut() {
            Some(frame) => {
                frame.children.push(id);
                frame.weight = frame.weight.saturating_add(w);
            }
            None => {
                if self.tree.root.is_none() {
                    self.tree.root = Some(id);
                }
            }
        }
        Ok(())
    }

    fn close(&mut self, end: u32) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        if let Some(node) = self.tree.nodes.get_mut(frame.id as usize) {
            node.span.end = end.max(node.span.start);
            node.kind = if frame.is_map {
                let mut children = frame.children;
                // A key left without its value by a syntax error is dropped.
                children.truncate(children.len() & !1);
                NodeKind::Map(children)
            } else {
                NodeKind::Seq(frame.children)
            };
        }
        if let Some(w) = self.weights.get_mut(frame.id as usize) {
            *w = frame.weight;
        }
        if frame.anchor > 0 {
            self.anchors.insert(frame.anchor, frame.id);
        }
        self.attach(frame.id)
    }

    /// After an error, closes what is still open so the partial tree is usable.
    fn close_all(&mut self) {
        while let Some(frame) = self.stack.last() {
            let end = self.tree.nodes.get(frame.id as usize).map_or(0, |n| n.span.end);
            if self.close(end).is_err() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::build;

    fn resolve(text: &str) -> Resolved<'_> {
        // Leak is fine in a test: it gives the scalar a 'static home.
        let s: &'static Scalar<'static> =
            Box::leak(Box::new(Scalar { text: Cow::Owned(text.into()), is_string: false }));
        s.resolve()
    }

    #[test]
    fn core_schema() {
        assert_eq!(resolve("15"), Resolved::Int(15));
        assert_eq!(resolve("-3"), Resolved::Int(-3));
        assert_eq!(resolve("0x1F"), Resolved::Int(31));
        assert_eq!(resolve("0.95"), Resolved::Float(0.95));
        assert_eq!(resolve("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve(".5"), Resolved::Float(0.5));
        assert_eq!(resolve("~"), Resolved::Null);
        assert_eq!(resolve("True"), Resolved::Bool(true));
        assert_eq!(resolve("yes"), Resolved::Str("yes"));
        assert_eq!(resolve("on"), Resolved::Str("on"));
        assert_eq!(resolve("15m"), Resolved::Str("15m"));
        assert_eq!(resolve("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(resolve("."), Resolved::Str("."));
        assert_eq!(resolve("2026-11-20"), Resolved::Str("2026-11-20"));
    }

    #[test]
    fn spans_are_bytes_even_after_wide_characters() {
        let src = "a: é\nb: ü\n";
        let tree = build(src);
        let root = tree.root.expect("root");
        let NodeKind::Map(children) = &tree.node(root).kind else { panic!("map") };
        let b_value = children[3];
        let span = tree.node(b_value).span;
        assert_eq!(&src[span.start as usize..span.end as usize], "ü");
    }

    #[test]
    fn alias_bomb_stops() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            src.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        let tree = build(&src);
        assert!(tree.is_partial());
        assert!(tree.errors[0].message.contains("alias"), "{:?}", tree.errors);
    }
}
