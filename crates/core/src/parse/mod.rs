//! Plan text (YAML or JSON) into a [`Plan`], with every problem found on the way.
//!
//! Parsing never stops at the first bad value: each field is read on its own,
//! a bad one is reported (P002 to P005) and left out, and the rest of the plan
//! is still read. Only a YAML syntax error (P001) loses the text after it.

#![cfg_attr(not(test), deny(clippy::indexing_slicing, clippy::string_slice))]

mod fast;
pub(crate) mod tree;

use std::collections::HashMap;
use std::fmt::Display;

use crate::diagnostic::{Diagnostic, Span};
use crate::format;
use crate::hash;
use crate::limits::{MAX_INPUT_BYTES, MAX_PARSE_ERRORS, MAX_STEPS};
use crate::model::*;
use crate::rules;
use crate::units;
use tree::{NodeId, NodeKind, Resolved, Seen, Tree};

use rules::p001_syntax::RULE as P001;
use rules::p002_unknown_field::RULE as P002;
use rules::p003_invalid_value::RULE as P003;
use rules::p004_duplicate_id::RULE as P004;
use rules::p005_unsupported_version::RULE as P005;

/// The result of reading a plan: what could be read, and what could not.
#[derive(Debug)]
pub struct Parsed {
    pub plan: Plan,
    /// P-code diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// `sha256:<hex>` of the plan's canonical JSON without `approvals`;
    /// `None` when the text could not be read as a whole.
    pub hash: Option<String>,
    /// Whether a syntax error cut the document short.
    pub partial: bool,
}

/// When to compute the plan hash (SHA-256 over the canonical JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hashing {
    #[default]
    Always,
    /// Only when an approval carries a `plan_hash` to check (the app asks for
    /// the hash apart when it shows it, and saves the work per keystroke).
    WhenApproved,
}

/// The YAML tree of `source` from the fast reader (`None` when it declines
/// the text) and from the full parser, as text: the differential tests and
/// the `yaml` fuzz target check that they agree.
#[doc(hidden)]
pub fn yaml_trees(source: &str) -> (Option<String>, String) {
    (fast::build(source).map(|t| t.dump()), tree::build_full(source).dump())
}

/// Reads a plan from YAML or JSON text.
pub fn parse(source: &str) -> Parsed {
    parse_with(source, Hashing::Always)
}

/// [`parse`], computing the plan hash only as `hashing` says.
pub fn parse_with(source: &str, hashing: Hashing) -> Parsed {
    if source.len() > MAX_INPUT_BYTES {
        let d = P001.diag(
            Span::at(0),
            format!("the text is larger than the {} MiB plans are limited to", MAX_INPUT_BYTES / (1024 * 1024)),
        );
        return Parsed { plan: Plan::default(), diagnostics: vec![d], hash: None, partial: true };
    }
    if let Some((at, c)) = first_forbidden(source) {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        let d = P001
            .diag(
                Span::new(at, at.saturating_add(c.len_utf8() as u32)),
                format!("the text holds the control character U+{:04X}, which YAML does not allow", u32::from(c)),
            )
            .help("remove it; only tabs and line breaks may appear among the text's characters");
        return Parsed { plan: Plan::default(), diagnostics: vec![d], hash: None, partial: true };
    }
    let tree = tree::build(source);
    let partial = tree.is_partial();
    let mut cx = Conv {
        tree: &tree,
        symbols: vec![ABSENT.to_string()],
        symbol_index: HashMap::from([(ABSENT.to_string(), Symbol::ABSENT)]),
        diags: Vec::new(),
        partial,
        dropped: 0,
    };
    for e in &tree.errors {
        let message = if e.message == "recursion limit exceeded" {
            format!("the document nests deeper than {} levels", crate::limits::MAX_DEPTH)
        } else {
            e.message.clone()
        };
        cx.report(P001.diag(e.span, message).help(syntax_help(source, e.span)));
    }
    let mut plan = cx.plan(source);
    plan.symbols = std::mem::take(&mut cx.symbols);
    let mut diagnostics = cx.finish();
    crate::diagnostic::sort(&mut diagnostics);
    let wanted = hashing == Hashing::Always || plan.approvals.iter().any(|a| a.plan_hash.is_some());
    let hash = if partial || !wanted { None } else { tree.root.map(|root| hash::plan_hash(&tree, root)) };
    Parsed { plan, diagnostics, hash, partial }
}

fn syntax_help(source: &str, at: Span) -> String {
    let near_tab =
        source.get(..at.start as usize).and_then(|s| s.rsplit('\n').next()).is_some_and(|l| l.contains('\t'));
    if near_tab {
        "YAML indents with spaces, not tabs".into()
    } else {
        "check the indentation and the `:` after each key; text with `: ` or `#` in it needs quotes".into()
    }
}

/// Names a step in messages: by its id, or by its position before the id is known.
#[derive(Clone, Copy)]
struct StepName<'a> {
    id: Option<&'a str>,
    index: usize,
}

impl Display for StepName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "step `{id}`"),
            None => write!(f, "step {}", self.index + 1),
        }
    }
}

/// A key of a mapping, read as text.
struct Key<'t> {
    name: &'t str,
    span: Span,
}

struct Conv<'t> {
    tree: &'t Tree<'t>,
    /// Resource names and states, interned (see [`Symbol`]).
    symbols: Vec<String>,
    symbol_index: HashMap<String, Symbol>,
    diags: Vec<Diagnostic>,
    /// A syntax error cut the text short: do not report required fields as missing.
    partial: bool,
    dropped: usize,
}

impl<'t> Conv<'t> {
    fn report(&mut self, d: Diagnostic) {
        if self.diags.len() < MAX_PARSE_ERRORS {
            self.diags.push(d);
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            let last = self.diags.last().map_or(Span::default(), |d| d.span);
            self.diags.push(
                P003.diag(last, format!("{} more problems were not reported; fix the ones above first", self.dropped)),
            );
        }
        self.diags
    }

    fn invalid(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = P003.diag(span, message);
        d.help = help;
        self.report(d);
    }

    fn missing(&mut self, span: Span, message: String) {
        if !self.partial {
            self.report(P003.diag(span, message));
        }
    }

    fn span(&self, id: NodeId) -> Span {
        self.tree.node(id).span
    }

    fn is_null(&self, id: NodeId) -> bool {
        self.tree.scalar(id).is_some_and(tree::Scalar::is_null)
    }

    /// The entries of a mapping; reports a value of another shape, duplicate
    /// keys (P001, the later one is ignored) and keys that are not text.
    fn entries(&mut self, id: NodeId, what: impl Display) -> Option<Vec<(Key<'t>, NodeId)>> {
        let tree = self.tree;
        let NodeKind::Map(children) = &tree.node(id).kind else {
            if !self.is_null(id) {
                self.invalid(self.span(id), format!("{what} must be a mapping of `key: value` lines"), None);
            }
            return None;
        };
        let mut out: Vec<(Key<'t>, NodeId)> = Vec::with_capacity(children.len() / 2);
        let mut seen = Seen::with_capacity(children.len() / 2);
        for (k, v) in tree::pairs(children) {
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

    fn unknown(&mut self, key: &Key<'_>, fields: &[format::Field], what: impl Display) {
        let known = format::names(fields);
        let known = known.as_slice();
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

    fn items(&mut self, id: NodeId, what: impl Display) -> Option<&'t [NodeId]> {
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
    fn text(&mut self, id: NodeId, what: impl Display) -> Option<Text> {
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
    fn texts(&mut self, id: NodeId, what: impl Display) -> Vec<Text> {
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

    fn duration(&mut self, id: NodeId, what: impl Display) -> Option<Duration> {
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

    /// A duration or a three-point estimate `[best, likely, worst]` / `{best, likely, worst}`.
    fn estimate(&mut self, id: NodeId, what: impl Display) -> Option<Estimate> {
        let tree = self.tree;
        let points: [Option<Duration>; 3] = match &tree.node(id).kind {
            NodeKind::Scalar(_) => return self.duration(id, what).map(|secs| Estimate::Fixed { secs }),
            NodeKind::Seq(items) => {
                let &[best, likely, worst] = items.as_slice() else {
                    self.invalid(
                        self.span(id),
                        format!("{what}: a three-point estimate has three durations, not {}", items.len()),
                        Some("write `[best, likely, worst]`, such as `[10m, 15m, 40m]`".into()),
                    );
                    return None;
                };
                [
                    self.duration(best, format_args!("{what} (best)")),
                    self.duration(likely, format_args!("{what} (likely)")),
                    self.duration(worst, format_args!("{what} (worst)")),
                ]
            }
            NodeKind::Map(_) => {
                // (present, value) for best, likely, worst.
                let mut p: [(bool, Option<Duration>); 3] = [(false, None); 3];
                for (key, v) in self.entries(id, &what).unwrap_or_default() {
                    let slot = format::ESTIMATE.iter().zip(p.iter_mut()).find(|(f, _)| f.name == key.name);
                    match slot {
                        Some((_, slot)) => *slot = (true, self.duration(v, format_args!("{what} ({})", key.name))),
                        None => self.unknown(&key, format::ESTIMATE, &what),
                    }
                }
                for (name, _) in format::ESTIMATE.iter().map(|f| f.name).zip(p).filter(|(_, (present, _))| !present) {
                    self.missing(self.span(id), format!("{what}: the three-point estimate has no `{name}`"));
                }
                p.map(|(_, value)| value)
            }
        };
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
    fn states(&mut self, id: NodeId, what: impl Display) -> States {
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

    fn allow(&mut self, id: NodeId, what: impl Display) -> Vec<Allow> {
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

    fn plan(&mut self, source: &str) -> Plan {
        let mut plan = Plan::default();
        let Some(root) = self.tree.root.filter(|&r| !self.is_null(r)) else {
            let what = if source.trim().is_empty() { "the file is empty" } else { "the file holds no plan" };
            self.missing(Span::at(0), format!("{what}: a plan needs at least `title` and `steps`"));
            return plan;
        };
        plan.span = self.span(root);
        let Some(entries) = self.entries(root, "the plan") else { return plan };
        let mut steps_seen = false;
        let mut title_seen = false;
        for (key, v) in entries {
            let field = key.name;
            let before = self.diags.len();
            match field {
                "version" if self.is_null(v) => {}
                "version" => {
                    // 1.0 is the number 1 too (JSON cannot tell them apart).
                    let ok = self.tree.scalar(v).is_some_and(|s| {
                        matches!(s.resolve(), Resolved::Int(1)) || s.resolve() == Resolved::Float(1.0)
                    });
                    if !ok {
                        let shown = self.tree.scalar(v).map_or("a list or mapping".to_string(), |s| {
                            if s.is_string {
                                format!("`\"{}\"` (text, not the number 1)", s.text)
                            } else {
                                format!("`{}`", s.text)
                            }
                        });
                        self.report(
                            P005.diag(self.span(v), format!("plan format version {shown} is not supported"))
                                .help("this tool reads version 1; write `version: 1` or leave it out"),
                        );
                    }
                }
                "title" => {
                    title_seen = true;
                    plan.title = self.text(v, "`title`");
                }
                "system" => plan.system = self.text(v, "`system`"),
                "change_ref" => plan.change_ref = self.text(v, "`change_ref`"),
                "purpose" => plan.purpose = self.text(v, "`purpose`"),
                "reason" => plan.reason = self.text(v, "`reason`"),
                "current_state" => plan.current_state = self.text(v, "`current_state`"),
                "future_state" => plan.future_state = self.text(v, "`future_state`"),
                "monitoring" => plan.monitoring = self.text(v, "`monitoring`"),
                "window" => plan.window = self.window(v, key.span),
                "rollback" => plan.rollback = self.rollback(v, key.span),
                "baseline" => plan.baseline = self.states(v, "`baseline`"),
                "approvals" => plan.approvals = self.approvals(v),
                "steps" => {
                    steps_seen = true;
                    (plan.steps, plan.step_columns) = self.steps(v);
                }
                "allow" => plan.allow = self.allow(v, "the plan's `allow`"),
                _ => {
                    self.unknown(&key, format::PLAN, "the plan");
                    continue;
                }
            }
            if self.diags.len() > before {
                plan.invalid.push(format::find(format::PLAN, field).map_or("?", |f| f.name));
            }
        }
        if plan.title.is_none() && !plan.is_invalid("title") {
            let what = if title_seen { "the plan's `title` is empty" } else { "the plan has no `title`" };
            self.missing(Span::at(plan.span.start), what.into());
        }
        if !steps_seen {
            self.missing(Span::at(plan.span.start), "the plan has no `steps`".into());
        } else if plan.steps.is_empty() && !plan.is_invalid("steps") {
            self.missing(Span::at(plan.span.start), "the plan has no steps: `steps` needs at least one".into());
        }
        plan
    }

    fn window(&mut self, id: NodeId, key_span: Span) -> Option<Window> {
        let span = key_span;
        let entries = self.entries(id, "`window`")?;
        let (mut start, mut end, mut duration) = (None, None, None);
        for (key, v) in entries {
            match key.name {
                "start" => start = Some((self.timestamp(v, "`window.start`"), self.span(v))),
                "end" => end = Some((self.timestamp(v, "`window.end`"), self.span(v))),
                "duration" => duration = Some((self.duration(v, "`window.duration`"), self.span(v))),
                _ => self.unknown(&key, format::WINDOW, "`window`"),
            }
        }
        let Some((start, _)) = start else {
            self.missing(span, "`window` has no `start`".into());
            return None;
        };
        let (end, end_span) = match (end, duration) {
            (Some(_), Some((_, dspan))) => {
                self.invalid(dspan, "`window` gives both `end` and `duration`".into(), Some("keep one of them".into()));
                return None;
            }
            (Some((end, espan)), None) => (end, espan),
            (None, Some((d, dspan))) => {
                let end = match (start, d) {
                    (Some(s), Some(d)) => match units::add_secs(s, d.0) {
                        Some(e) => Some(e),
                        None => {
                            self.invalid(dspan, "`window.duration` runs past the year 9999".into(), None);
                            return None;
                        }
                    },
                    _ => None,
                };
                (end, dspan)
            }
            (None, None) => {
                self.missing(span, "`window` has neither `end` nor `duration`".into());
                return None;
            }
        };
        let (start, end) = (start?, end?);
        if end.unix <= start.unix {
            let why = if end.unix == start.unix {
                "the window ends as it starts: it has no length"
            } else {
                "the window ends before it starts"
            };
            self.invalid(end_span, why.into(), None);
            return None;
        }
        Some(Window { start, end, span, end_span })
    }

    fn timestamp(&mut self, id: NodeId, what: impl Display) -> Option<Timestamp> {
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

    fn rollback(&mut self, id: NodeId, key_span: Span) -> Option<Rollback> {
        let mut r = Rollback { span: key_span, ..Rollback::default() };
        for (key, v) in self.entries(id, "`rollback`")? {
            let before = self.diags.len();
            let field = match key.name {
                "decide" => {
                    r.decide = self.estimate(v, "`rollback.decide`");
                    "decide"
                }
                "announce" => {
                    r.announce = self.text(v, "`rollback.announce`");
                    "announce"
                }
                "verify" => {
                    r.verify = self.rollback_verify(v, key.span);
                    "verify"
                }
                "confidence" => {
                    r.confidence = self.confidence(v);
                    "confidence"
                }
                _ => {
                    self.unknown(&key, format::ROLLBACK, "`rollback`");
                    continue;
                }
            };
            if self.diags.len() > before {
                r.invalid.push(field);
            }
        }
        Some(r)
    }

    fn rollback_verify(&mut self, id: NodeId, key_span: Span) -> Option<RollbackVerify> {
        let mut out = RollbackVerify { span: key_span, ..RollbackVerify::default() };
        if self.tree.scalar(id).is_some() {
            out.do_ = Some(self.text(id, "`rollback.verify`")?);
            return Some(out);
        }
        for (key, v) in self.entries(id, "`rollback.verify`")? {
            let before = self.diags.len();
            let field = match key.name {
                "do" => {
                    out.do_ = self.text(v, "`rollback.verify.do`");
                    "do"
                }
                "takes" => {
                    out.takes = self.estimate(v, "`rollback.verify.takes`");
                    "takes"
                }
                "owner" => {
                    out.owner = self.text(v, "`rollback.verify.owner`");
                    "owner"
                }
                _ => {
                    self.unknown(&key, format::VERIFY, "`rollback.verify`");
                    continue;
                }
            };
            if self.diags.len() > before {
                out.invalid.push(field);
            }
        }
        if out.do_.is_none() && !out.is_invalid("do") {
            self.missing(out.span, "`rollback.verify` has no `do`: say how the rollback is checked".into());
        }
        Some(out)
    }

    fn confidence(&mut self, id: NodeId) -> Option<f64> {
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
                    format!("`rollback.confidence` is {shown}, not a share between 0 and 1"),
                    Some("write it as a fraction: `0.95` for 95%".into()),
                );
                None
            }
        }
    }

    fn approvals(&mut self, id: NodeId) -> Vec<Approval> {
        let mut out = Vec::new();
        for &item in self.items(id, "`approvals`").unwrap_or_default() {
            let span = self.span(item);
            let mut a = Approval { by: None, role: None, date: None, plan_hash: None, span };
            let Some(entries) = self.entries(item, "an approval") else { continue };
            for (key, v) in entries {
                match key.name {
                    "by" => a.by = self.text(v, "`by`"),
                    "role" => a.role = self.text(v, "`role`"),
                    "date" => {
                        a.date = self.text(v, "`date`");
                        if let Some(d) = &a.date
                            && let Err(why) = units::parse_date(&d.value)
                        {
                            let span = d.span;
                            self.invalid(span, format!("approval `date`: {why}"), None);
                        }
                    }
                    "plan_hash" => a.plan_hash = self.text(v, "`plan_hash`"),
                    _ => self.unknown(&key, format::APPROVAL, "an approval"),
                }
            }
            if a.by.is_none() {
                self.missing(span, "an approval has no `by`: say who approved".into());
            }
            out.push(a);
        }
        out
    }

    /// The steps, and their columns (see [`StepColumns`]).
    fn steps(&mut self, id: NodeId) -> (Vec<Step>, StepColumns) {
        let Some(items) = self.items(id, "`steps`") else { return Default::default() };
        if items.len() > MAX_STEPS {
            self.invalid(
                self.span(id),
                format!("the plan has {} steps; the limit is {MAX_STEPS}", items.len()),
                Some(format!("only the first {MAX_STEPS} steps are checked")),
            );
        }
        let mut steps = Vec::with_capacity(items.len().min(MAX_STEPS));
        let mut columns = StepColumns::default();
        let mut first_of: HashMap<String, usize> = HashMap::with_capacity(items.len());
        for (i, &item) in items.iter().take(MAX_STEPS).enumerate() {
            // Something that is not a mapping is no step: say so, and leave it out.
            if !matches!(self.tree.node(item).kind, NodeKind::Map(_)) {
                let what = if self.is_null(item) { "is empty" } else { "must be a mapping of `key: value` lines" };
                self.invalid(
                    self.span(item),
                    format!("step {} {what}", i + 1),
                    Some("a step needs at least `id: <name>` and `do: <instruction>`".into()),
                );
                continue;
            }
            let step = self.step(item, i);
            if let Some(&first) = first_of.get(step.id()) {
                self.report(
                    P004.diag(step.id.span, format!("two steps have the id `{}`", step.id()))
                        .step(step.id())
                        .help(format!("step {} already uses it; give each step its own id", first + 1)),
                );
            } else {
                first_of.insert(step.id().to_string(), i);
            }
            columns.push(&step);
            steps.push(step);
        }
        self.check_ids(&steps, &first_of);
        (steps, columns)
    }

    /// Ids outside `[A-Za-z0-9_.-]`, saying which characters are wrong and,
    /// for a look-alike (a Cyrillic `а`, a hidden zero-width space), which
    /// step's id it imitates.
    fn check_ids(&mut self, steps: &[Step], first_of: &HashMap<String, usize>) {
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
            self.invalid(step.id.span, message, Some("ids are plain ASCII so that one cannot pass for another".into()));
        }
    }

    fn step(&mut self, id: NodeId, index: usize) -> Step {
        let span = self.span(id);
        let mut step = Step {
            id: Text { value: String::new(), span: Span::at(span.start) },
            do_: None,
            phase: Phase::Implement,
            kind: Kind::Change,
            after: None,
            takes: None,
            owner: None,
            tags: Vec::new(),
            verify: None,
            sets: Vec::new(),
            destroys: Vec::new(),
            backs_up: Vec::new(),
            undo: None,
            irreversible: None,
            allow: Vec::new(),
            span,
            invalid: Vec::new(),
        };
        // The id first, so that every message about the step can name it.
        let id_node = match &self.tree.node(id).kind {
            NodeKind::Map(children) => tree::pairs(children)
                .find(|&(k, _)| self.tree.scalar(k).is_some_and(|s| s.text == "id"))
                .map(|(_, v)| v),
            _ => None,
        };
        let named = id_node.and_then(|v| self.tree.scalar(v)).filter(|s| !s.text.trim().is_empty());
        let what = StepName { id: named.map(|s| &*s.text), index };
        let Some(entries) = self.entries(id, what) else {
            // `steps` lets only mappings through; this is for safety.
            step.invalid.push("id");
            step.id.value = format!("#{}", index + 1);
            return step;
        };
        let mut has_id = false;
        if let Some((_, v)) = entries.iter().find(|(k, _)| k.name == "id")
            && let Some(t) = self.text(*v, format_args!("the id of step {}", index + 1))
        {
            step.id = t;
            has_id = true;
        }
        for (key, v) in entries {
            let before = self.diags.len();
            let field: &'static str = match key.name {
                "id" => continue,
                "do" => {
                    step.do_ = self.text(v, format_args!("`do` in {what}"));
                    "do"
                }
                "phase" => {
                    if let Some(p) = self.choice(v, &Phase::ALL, format_args!("`phase` in {what}")) {
                        step.phase = p;
                    }
                    "phase"
                }
                "kind" => {
                    if let Some(k) = self.choice(v, &Kind::ALL, format_args!("`kind` in {what}")) {
                        step.kind = k;
                    }
                    "kind"
                }
                "after" => {
                    step.after =
                        if self.is_null(v) { None } else { Some(self.texts(v, format_args!("`after` in {what}"))) };
                    "after"
                }
                "takes" => {
                    step.takes = self.estimate(v, format_args!("`takes` in {what}"));
                    "takes"
                }
                "owner" => {
                    step.owner = self.text(v, format_args!("`owner` in {what}"));
                    "owner"
                }
                "tags" => {
                    step.tags = self.texts(v, format_args!("`tags` in {what}"));
                    "tags"
                }
                "verify" => {
                    step.verify = self.text(v, format_args!("`verify` in {what}"));
                    "verify"
                }
                "sets" => {
                    step.sets = self.states(v, format_args!("`sets` in {what}"));
                    "sets"
                }
                "destroys" => {
                    step.destroys = self.texts(v, format_args!("`destroys` in {what}"));
                    "destroys"
                }
                "backs_up" => {
                    step.backs_up = self.texts(v, format_args!("`backs_up` in {what}"));
                    "backs_up"
                }
                "undo" => {
                    step.undo = self.undo(v, key.span, what);
                    "undo"
                }
                "irreversible" => {
                    step.irreversible = self.irreversible(v, what);
                    "irreversible"
                }
                "allow" => {
                    step.allow = self.allow(v, format_args!("`allow` in {what}"));
                    "allow"
                }
                _ => {
                    self.unknown(&key, format::STEP, what);
                    continue;
                }
            };
            if self.diags.len() > before {
                step.invalid.push(field);
            }
        }
        if !has_id {
            self.missing(Span::at(span.start), format!("step {} has no `id`", index + 1));
            step.invalid.push("id");
            step.id.value = format!("#{}", index + 1);
        }
        if step.do_.is_none() && !step.is_invalid("do") {
            self.missing(step.id.span, format!("{what} has no `do`: say what to do"));
        }
        step
    }

    fn choice<T: Copy>(&mut self, id: NodeId, options: &[(&'static str, T)], what: impl Display) -> Option<T> {
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

    fn irreversible(&mut self, id: NodeId, what: impl Display) -> Option<Text> {
        let text = self.text(id, format_args!("`irreversible` in {what}"))?;
        let is_bool = self.tree.scalar(id).is_some_and(|s| matches!(s.resolve(), Resolved::Bool(_)));
        if is_bool {
            self.invalid(
                text.span,
                format!("`irreversible` in {what} takes the reason there is no inverse, not `{}`", text.value),
                Some("write the reason, such as `irreversible: the old VM is deleted`".into()),
            );
        }
        Some(text)
    }

    fn undo(&mut self, id: NodeId, key_span: Span, what: impl Display) -> Option<Undo> {
        let mut undo = Undo { span: key_span, ..Undo::default() };
        if self.tree.scalar(id).is_some() {
            undo.do_ = Some(self.text(id, format_args!("`undo` in {what}"))?);
            return Some(undo);
        }
        let where_ = format!("the `undo` of {what}");
        for (key, v) in self.entries(id, &where_)? {
            let before = self.diags.len();
            let field = match key.name {
                "do" => {
                    undo.do_ = self.text(v, format_args!("`do` in {where_}"));
                    "do"
                }
                "takes" => {
                    undo.takes = self.estimate(v, format_args!("`takes` in {where_}"));
                    "takes"
                }
                "sets" => {
                    undo.sets = self.states(v, format_args!("`sets` in {where_}"));
                    "sets"
                }
                "needs" => {
                    undo.needs = self.texts(v, format_args!("`needs` in {where_}"));
                    "needs"
                }
                "owner" => {
                    undo.owner = self.text(v, format_args!("`owner` in {where_}"));
                    "owner"
                }
                _ => {
                    self.unknown(&key, format::UNDO, &where_);
                    continue;
                }
            };
            if self.diags.len() > before {
                undo.invalid.push(field);
            }
        }
        if undo.do_.is_none() && !undo.invalid.contains(&"do") {
            self.missing(undo.span, format!("{where_} has no `do`: say how to undo the step"));
        }
        Some(undo)
    }
}

impl RollbackVerify {
    fn is_invalid(&self, field: &str) -> bool {
        self.invalid.contains(&field)
    }
}

/// What `id` looks like in ASCII: common Cyrillic and Greek look-alikes
/// mapped to their Latin twins, invisible and direction characters dropped.
pub fn skeleton(id: &str) -> String {
    id.chars()
        .filter(
            |c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'),
        )
        .map(|c| match c {
            'а' => 'a',
            'е' => 'e',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'с' => 'c',
            'у' => 'y',
            'х' | 'χ' => 'x',
            'і' | 'ι' => 'i',
            'ј' => 'j',
            'ѕ' => 's',
            'ԁ' => 'd',
            'ν' => 'v',
            'к' | 'κ' => 'k',
            'т' | 'τ' => 't',
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'Е' | 'Ε' => 'E',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'Н' | 'Η' => 'H',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'С' => 'C',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'І' | 'Ι' => 'I',
            'Ζ' => 'Z',
            'Ν' => 'N',
            'Υ' => 'Y',
            other => other,
        })
        .collect()
}

/// `text`, cut to its first 60 characters (with `…`) for a message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
        None => text.to_string(),
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

/// Where `bytes` holds anything but printable ASCII and line feeds. It looks
/// at 64 bytes at a time with a loop the compiler vectorises, and byte by
/// byte only in the blocks that hold something: most plans hold nothing.
pub(crate) fn unusual_bytes(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let usual = |c: u8| (0x20..0x7F).contains(&c) | (c == b'\n');
    bytes.chunks(64).enumerate().filter(move |(_, block)| !block.iter().fold(true, |all, &c| all & usual(c))).flat_map(
        move |(k, block)| block.iter().enumerate().filter(move |&(_, &c)| !usual(c)).map(move |(i, _)| k * 64 + i),
    )
}

fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{84}' | '\u{86}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `[A-Za-z0-9_.-]+`
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The known name closest to `name`, if one is close enough to be a typo.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The plan text as JSON (canonical: keys sorted, no spaces), as any YAML
/// tool would read it; `None` when the text is not readable YAML.
pub fn to_json(source: &str) -> Option<String> {
    if source.len() > MAX_INPUT_BYTES || first_forbidden(source).is_some() {
        return None;
    }
    let tree = tree::build(source);
    if tree.is_partial() {
        return None;
    }
    tree.root.map(|root| hash::document_json(&tree, root))
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
