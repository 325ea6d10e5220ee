//! The reader's bookkeeping and its readers of single values: every problem
//! becomes a diagnostic (capped at [`MAX_PARSE_ERRORS`]), a bad value is
//! reported and read as nothing, and reading goes on. Which fields exist and
//! where their values go is `format.rs`; this file knows only values.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

use std::collections::HashMap;
use std::fmt::Display;

use crate::diagnostic::{Diagnostic, Span};
use crate::limits::{MAX_CREW, MAX_PARSE_ERRORS};
use crate::model::*;
use crate::rules;
use crate::text::{closest, shorten};
use crate::units;
use crate::yaml::{NodeId, NodeKind, Resolved, Scalar, Seen, Tree, pairs};

use rules::p001_syntax::RULE as P001;
use rules::p002_unknown_field::RULE as P002;
use rules::p003_invalid_value::RULE as P003;
use rules::p005_unsupported_version::RULE as P005;

/// A key of a mapping, read as text.
pub(crate) struct Key<'t> {
    pub name: &'t str,
    pub span: Span,
}

pub(crate) struct Reader<'t> {
    pub tree: &'t Tree<'t>,
    /// Resource names and states, interned (see [`Symbol`]).
    symbols: Vec<String>,
    symbol_index: HashMap<String, Symbol>,
    diags: Vec<Diagnostic>,
    /// A syntax error cut the text short: do not report required fields as missing.
    partial: bool,
    dropped: usize,
}

impl<'t> Reader<'t> {
    pub fn new(tree: &'t Tree<'t>) -> Self {
        Reader {
            tree,
            symbols: vec![ABSENT.to_string()],
            symbol_index: HashMap::from([(ABSENT.to_string(), Symbol::ABSENT)]),
            diags: Vec::new(),
            partial: tree.is_partial(),
            dropped: 0,
        }
    }

    /// The diagnostics (with a last one counting those past the cap) and
    /// the interned symbols.
    pub fn finish(mut self) -> (Vec<Diagnostic>, Vec<String>) {
        if self.dropped > 0 {
            let last = self.diags.last().map_or(Span::default(), |d| d.span);
            self.diags.push(
                P003.diag(last, format!("{} more problems were not reported; fix the ones above first", self.dropped)),
            );
        }
        (self.diags, self.symbols)
    }

    /// How many diagnostics are kept so far: a reader compares the count
    /// before and after a value to learn whether the value was bad.
    pub fn reported(&self) -> usize {
        self.diags.len()
    }

    /// The diagnostics kept since `from` (see [`Reader::reported`]).
    pub fn since(&mut self, from: usize) -> &mut [Diagnostic] {
        self.diags.get_mut(from..).unwrap_or_default()
    }

    pub fn report(&mut self, d: Diagnostic) {
        if self.diags.len() < MAX_PARSE_ERRORS {
            self.diags.push(d);
        } else {
            self.dropped += 1;
        }
    }

    pub fn invalid(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = P003.diag(span, message);
        d.help = help;
        self.report(d);
    }

    /// A required value is missing (unless a syntax error cut the text short,
    /// which would make every later field look missing).
    pub fn missing(&mut self, span: Span, message: String) {
        if !self.partial {
            self.report(P003.diag(span, message));
        }
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.tree.node(id).span
    }

    pub fn scalar(&self, id: NodeId) -> Option<&'t Scalar<'t>> {
        self.tree.scalar(id)
    }

    pub fn is_null(&self, id: NodeId) -> bool {
        self.tree.scalar(id).is_some_and(Scalar::is_null)
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.tree.node(id).kind, NodeKind::Map(_))
    }

    /// The entries of a mapping; reports a value of another shape, duplicate
    /// keys (P001, the later one is ignored) and keys that are not text.
    pub fn entries(&mut self, id: NodeId, what: impl Display) -> Option<Vec<(Key<'t>, NodeId)>> {
        let tree = self.tree;
        let NodeKind::Map(children) = &tree.node(id).kind else {
            if !self.is_null(id) {
                self.invalid(self.span(id), format!("{what} must be a mapping of `key: value` lines"), None);
            }
            return None;
        };
        let mut out: Vec<(Key<'t>, NodeId)> = Vec::with_capacity(children.len() / 2);
        let mut seen = Seen::with_capacity(children.len() / 2);
        for (k, v) in pairs(children) {
            let Some(key) = tree.scalar(k) else {
                self.invalid(self.span(k), format!("a key in {what} must be plain text"), None);
                continue;
            };
            if !seen.insert(&key.text) {
                self.report(
                    P001.diag(self.span(k), format!("`{}` appears twice in {what}", key.text))
                        .help("YAML forbids repeated keys; the second one is ignored"),
                );
                continue;
            }
            out.push((Key { name: &key.text, span: self.span(k) }, v));
        }
        Some(out)
    }

    /// The value of the key `name` in mapping `id`, unread.
    pub fn value_of(&self, id: NodeId, name: &str) -> Option<NodeId> {
        match &self.tree.node(id).kind {
            NodeKind::Map(children) => {
                pairs(children).find(|&(k, _)| self.tree.scalar(k).is_some_and(|s| s.text == name)).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// P002 for a key no field of `known` has, suggesting the closest one.
    pub fn unknown(&mut self, key: &Key<'_>, known: &[&str], what: impl Display) {
        if self.diags.len() >= MAX_PARSE_ERRORS {
            self.dropped += 1;
            return;
        }
        let help = match closest(key.name, known) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known fields here: {}", known.join(", ")),
        };
        self.report(P002.diag(key.span, format!("unknown field `{}` in {what}", key.name)).help(help));
    }

    pub fn items(&mut self, id: NodeId, what: impl Display) -> Option<&'t [NodeId]> {
        let tree = self.tree;
        match &tree.node(id).kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                if !self.is_null(id) {
                    self.invalid(self.span(id), format!("{what} must be a list"), None);
                }
                None
            }
        }
    }

    /// A scalar as text. `None` for null; collections are reported.
    pub fn text(&mut self, id: NodeId, what: impl Display) -> Option<Text> {
        let tree = self.tree;
        match &tree.node(id).kind {
            // Null, or blank text, says nothing: it counts as missing.
            NodeKind::Scalar(s) if s.is_null() || s.text.trim().is_empty() => None,
            NodeKind::Scalar(s) => Some(Text { value: s.text.to_string(), span: self.span(id) }),
            _ => {
                self.invalid(self.span(id), format!("{what} must be text, not a list or mapping"), None);
                None
            }
        }
    }

    /// One text or a list of texts.
    pub fn texts(&mut self, id: NodeId, what: impl Display) -> Vec<Text> {
        let tree = self.tree;
        match &tree.node(id).kind {
            NodeKind::Seq(items) => items.iter().filter_map(|&i| self.text(i, &what)).collect(),
            NodeKind::Scalar(_) => self.text(id, what).into_iter().collect(),
            NodeKind::Map(_) => {
                self.invalid(self.span(id), format!("{what} must be a list"), None);
                Vec::new()
            }
        }
    }

    pub fn duration(&mut self, id: NodeId, what: impl Display) -> Option<Duration> {
        let tree = self.tree;
        let span = self.span(id);
        let result = match tree.scalar(id).map(|s| s.resolve()) {
            Some(Resolved::Null) => return None,
            Some(Resolved::Int(n)) => units::minutes_to_duration(n as f64),
            Some(Resolved::Float(f)) => units::minutes_to_duration(f).map_err(|_| {
                let written = tree.scalar(id).map_or(String::new(), |s| shorten(&s.text));
                format!("`{written}` is not a duration of zero or more, up to 366 days")
            }),
            Some(Resolved::Str(s)) => units::parse_duration(s),
            Some(Resolved::Bool(b)) => Err(format!("`{b}` is not a duration")),
            None => Err("a list or mapping is not a duration".into()),
        };
        match result {
            Ok(d) => Some(d),
            Err(why) => {
                self.invalid(
                    span,
                    format!("{what}: {why}"),
                    Some("write a duration like `15m`, `1h30m`, `45s` or a number of minutes".into()),
                );
                None
            }
        }
    }

    /// Three durations read as `best <= likely <= worst`, or nothing.
    pub fn ordered(&mut self, id: NodeId, what: impl Display, points: [Option<Duration>; 3]) -> Option<Estimate> {
        let [Some(best), Some(likely), Some(worst)] = points else { return None };
        if !(best <= likely && likely <= worst) {
            self.invalid(
                self.span(id),
                format!(
                    "{what}: best {}, likely {}, worst {} are out of order",
                    units::format_duration(best),
                    units::format_duration(likely),
                    units::format_duration(worst)
                ),
                Some("a three-point estimate needs best <= likely <= worst".into()),
            );
            return None;
        }
        Some(Estimate::ThreePoint { best, likely, worst })
    }

    pub fn timestamp(&mut self, id: NodeId, what: impl Display) -> Option<Timestamp> {
        let Some(text) = self.text(id, &what) else {
            if self.tree.scalar(id).is_some() {
                self.invalid(
                    self.span(id),
                    format!("{what} is empty"),
                    Some("write a time like `2026-11-28T22:00:00Z`".into()),
                );
            }
            return None;
        };
        match units::parse_timestamp(&text.value) {
            Ok(t) => Some(t),
            Err(why) => {
                self.invalid(text.span, format!("{what}: {why}"), None);
                None
            }
        }
    }

    /// A calendar date, kept as written; `problem` names it in the message.
    pub fn date(&mut self, id: NodeId, what: impl Display, problem: impl Display) -> Option<Text> {
        let date = self.text(id, what)?;
        if let Err(why) = units::parse_date(&date.value) {
            self.invalid(date.span, format!("{problem}: {why}"), None);
        }
        Some(date)
    }

    /// A share between 0 (excluded) and 1.
    pub fn share(&mut self, id: NodeId, what: impl Display) -> Option<f64> {
        let value = match self.tree.scalar(id).map(|s| s.resolve()) {
            Some(Resolved::Null) => return None,
            Some(Resolved::Int(n)) => Some(n as f64),
            Some(Resolved::Float(f)) => Some(f),
            _ => None,
        };
        match value {
            Some(c) if c > 0.0 && c <= 1.0 => Some(c),
            _ => {
                let shown = self.tree.scalar(id).map_or("a collection".to_string(), |s| format!("`{}`", s.text));
                self.invalid(
                    self.span(id),
                    format!("{what} is {shown}, not a share between 0 and 1"),
                    Some("write it as a fraction: `0.95` for 95%".into()),
                );
                None
            }
        }
    }

    /// The format version: the number 1 (or null, which says nothing).
    pub fn version(&mut self, id: NodeId) {
        // 1.0 is the number 1 too (JSON cannot tell them apart).
        let ok = self.is_null(id)
            || self
                .tree
                .scalar(id)
                .is_some_and(|s| matches!(s.resolve(), Resolved::Int(1)) || s.resolve() == Resolved::Float(1.0));
        if !ok {
            let shown = self.tree.scalar(id).map_or("a list or mapping".to_string(), |s| {
                if s.is_string { format!("`\"{}\"` (text, not the number 1)", s.text) } else { format!("`{}`", s.text) }
            });
            self.report(
                P005.diag(self.span(id), format!("plan format version {shown} is not supported"))
                    .help("this tool reads version 1; write `version: 1` or leave it out"),
            );
        }
    }

    /// A reason as text: `true` or `false` is reported (a reason is wanted),
    /// and kept.
    pub fn reason(&mut self, id: NodeId, what: impl Display) -> Option<Text> {
        let text = self.text(id, &what)?;
        let is_bool = self.tree.scalar(id).is_some_and(|s| matches!(s.resolve(), Resolved::Bool(_)));
        if is_bool {
            self.invalid(
                text.span,
                format!("{what} takes the reason there is no inverse, not `{}`", text.value),
                Some("write the reason, such as `irreversible: the old VM is deleted`".into()),
            );
        }
        Some(text)
    }

    /// One of `options`, by name.
    pub fn choice<T: Copy>(&mut self, id: NodeId, options: &[(&'static str, T)], what: impl Display) -> Option<T> {
        let text = self.text(id, &what)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text.value) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let help = match closest(&text.value, &names) {
            Some(best) => format!("did you mean `{best}`? One of: {}", names.join(", ")),
            None => format!("one of: {}", names.join(", ")),
        };
        self.invalid(text.span, format!("{what}: `{}` is not one of the choices", text.value), Some(help));
        None
    }

    fn symbol(&mut self, text: &str) -> Symbol {
        if let Some(&s) = self.symbol_index.get(text) {
            return s;
        }
        let s = Symbol(self.symbols.len() as u32);
        self.symbols.push(text.to_string());
        self.symbol_index.insert(text.to_string(), s);
        s
    }

    /// `resource: state` pairs.
    pub fn states(&mut self, id: NodeId, what: impl Display) -> States {
        let mut out = Vec::new();
        for (key, v) in self.entries(id, &what).unwrap_or_default() {
            match self.text(v, format_args!("the state of `{}` in {what}", key.name)) {
                Some(state) => out.push(StateSet {
                    resource_symbol: self.symbol(key.name),
                    state_symbol: self.symbol(&state.value),
                    resource: Text { value: key.name.to_string(), span: key.span },
                    state,
                }),
                None if self.is_null(v) => self.invalid(
                    self.span(v),
                    format!("{what}: `{}` has no state", key.name),
                    Some(format!("give the state as text, such as `{}: absent`", key.name)),
                ),
                None => {}
            }
        }
        out
    }

    /// `owner: count` entries of `crew`; bad counts are reported and left out.
    pub fn crew(&mut self, id: NodeId, what: impl Display) -> Vec<CrewEntry> {
        if !self.is_map(id) {
            if !self.is_null(id) {
                let shown = self.tree.scalar(id).map_or("a list".to_string(), |s| format!("`{}`", shorten(&s.text)));
                self.invalid(
                    self.span(id),
                    format!("{what} is {shown}; it must be a mapping of owners to how many steps each can run at once"),
                    Some("write it as `crew: {DBA: 1, \"*\": 2}` (`\"*\"`: every owner not listed)".into()),
                );
            }
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, v) in self.entries(id, &what).unwrap_or_default() {
            let owner = Text { value: key.name.to_string(), span: key.span };
            if let Some(count) = self.crew_count(v, key.name) {
                out.push(CrewEntry { owner, count, span: self.span(v) });
            }
        }
        out
    }

    /// How many steps `owner` can run at once: a whole number from 1 to
    /// [`MAX_CREW`] (`2.0` is the number 2, as in JSON).
    fn crew_count(&mut self, id: NodeId, owner: &str) -> Option<u32> {
        let scalar = self.tree.scalar(id);
        let count = match scalar.map(|s| s.resolve()) {
            Some(Resolved::Int(n)) => Some(n),
            Some(Resolved::Float(f)) if f.fract() == 0.0 && f.abs() < 1e18 => Some(f as i64),
            _ => None,
        };
        if let Some(n) = count.filter(|n| (1..=i64::from(MAX_CREW)).contains(n)) {
            return u32::try_from(n).ok();
        }
        let why = match (scalar, count) {
            (None, _) => "is a list or mapping, not a number".to_string(),
            (Some(s), _) if s.is_null() => "has no count".to_string(),
            (Some(_), Some(n)) if n > i64::from(MAX_CREW) => format!("is {n}; the most it can be is {MAX_CREW}"),
            (Some(s), _) if s.is_string => format!("is `\"{}\"`: text, not a number", shorten(&s.text)),
            (Some(s), _) => format!("is `{}`, not a whole number of 1 or more", shorten(&s.text)),
        };
        self.invalid(
            self.span(id),
            format!("the crew of `{}` {why}", shorten(owner)),
            Some(format!("write how many steps `{}` can run at the same time, such as `1`", shorten(owner))),
        );
        None
    }

    /// `{CODE: reason}` entries naming rules that can be silenced.
    pub fn allow(&mut self, id: NodeId, what: impl Display) -> Vec<Allow> {
        let mut out = Vec::new();
        for (key, v) in self.entries(id, &what).unwrap_or_default() {
            let code = Text { value: key.name.to_string(), span: key.span };
            match rules::find(key.name) {
                None => {
                    let codes: Vec<&str> = rules::RULES.iter().map(|r| r.code).collect();
                    let help = closest(key.name, &codes).map(|c| format!("did you mean `{c}`?"));
                    self.invalid(key.span, format!("`allow` names `{}`, which is no rule", key.name), help);
                    continue;
                }
                Some(rule) if rule.code.starts_with('P') => {
                    self.invalid(
                        key.span,
                        format!("`{}` cannot be allowed: a plan that does not parse cannot be checked", rule.code),
                        Some("fix the problem instead".into()),
                    );
                    continue;
                }
                Some(_) => {}
            }
            match self.text(v, "the reason") {
                Some(reason) if !reason.value.trim().is_empty() => out.push(Allow { code, reason }),
                _ => self.invalid(
                    key.span,
                    format!("`allow: {{{}: ...}}` needs a reason", key.name),
                    Some(format!("say why the finding does not apply: `{}: <reason>`", key.name)),
                ),
            }
        }
        out
    }
}
