//! The approval document: what a change board needs to sign a plan off, in
//! writing. Built from the analysis as plain data ([`Document`]) and written
//! as Markdown or as a print-ready HTML page. Every piece of plan text is
//! escaped for the format it goes into.

use std::fmt;

use crate::diagnostic::{LineIndex, show_invisible};
use crate::model::{Kind, Phase, Shape, Step};
use crate::sim::{Verdict, say};
use crate::units::format_timestamp;
use crate::{Analysis, Severity};

/// One section: a heading and its blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// A list of items, each a run of inline text.
    List(Vec<Vec<Inline>>),
    /// Column headings and rows of cells.
    Table(Vec<String>, Vec<Vec<Vec<Inline>>>),
}

/// Text, emphasised text or code: all plan text is carried as data, never as markup.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    Code(String),
}

pub(crate) fn t(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub(crate) fn code(s: &str) -> Inline {
    Inline::Code(show_invisible(s).into_owned())
}

pub(crate) fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

/// The whole approval document.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// What the document is, before its title: "Change approval".
    pub kind: &'static str,
    pub title: String,
    pub sections: Vec<Section>,
}

/// Builds the document for `analysis` (run with Monte Carlo for the odds).
pub fn document(analysis: &Analysis, text: &str) -> Document {
    let plan = &analysis.plan;
    let title = plan.title.as_ref().map_or("(untitled plan)".to_string(), |t| show_invisible(t.as_str()).into_owned());
    let mut sections = Vec::new();

    let mut facts = Vec::new();
    for (label, value) in [("Change", &plan.change_ref), ("System", &plan.system)] {
        if let Some(v) = value {
            facts.push(vec![strong(format!("{label}:")), t(format!(" {}", v.as_str()))]);
        }
    }
    facts.push(vec![
        strong("Plan hash:"),
        t(" "),
        code(analysis.hash.as_deref().unwrap_or("(the plan does not parse)")),
    ]);
    sections.push(Section { title: "The change".into(), blocks: vec![Block::List(facts)] });

    let narrative = [
        ("Purpose", &plan.purpose),
        ("Why", &plan.reason),
        ("How things are now", &plan.current_state),
        ("How things will be", &plan.future_state),
        ("How the change is monitored", &plan.monitoring),
    ];
    let blocks = narrative
        .iter()
        .map(|(label, value)| {
            Block::Paragraph(vec![
                strong(format!("{label}:")),
                t(format!(" {}", value.as_ref().map_or("(not given: C006)", |v| v.as_str()))),
            ])
        })
        .collect();
    sections.push(Section { title: "Purpose and reasons".into(), blocks });

    if let Some(sim) = &analysis.simulation {
        let mut items = vec![
            vec![t(format!(
                "From {} to {} ({}).",
                format_timestamp(sim.window.start),
                format_timestamp(sim.window.end),
                say(sim.window_length)
            ))],
            vec![t(format!(
                "With likely durations the steps are done at {} ({}).",
                sim.clock(sim.forward_finish),
                if sim.forward_fits { "inside the window" } else { "after the window closes" }
            ))],
            vec![t(match sim.deadline {
                Some(d) => format!("A rollback can be called until {}: later, it no longer fits.", sim.clock(d)),
                None => "No moment of the window leaves time for a complete rollback.".into(),
            })],
        ];
        if let Some(c) = sim.crew_effect() {
            items.push(vec![t(format!("Crews: {}.", c.describe(plan, sim)))]);
        }
        if let Some(rb) = &plan.rollback
            && let Some(d) = rb.decide
        {
            items.push(vec![t(format!("Deciding to roll back takes {}.", say(d.likely().0 as f64)))]);
        }
        sections.push(Section { title: "The change window".into(), blocks: vec![Block::List(items)] });
    } else {
        sections.push(Section {
            title: "The change window".into(),
            blocks: vec![Block::Paragraph(vec![t("The plan has no window (T006): no timing could be checked.")])],
        });
    }

    sections.push(implementation(analysis));
    sections.push(rollback(analysis));
    sections.push(odds(analysis));
    sections.push(findings(analysis, text));
    sections.push(sign_off(analysis));
    Document { kind: "Change approval", title, sections }
}

fn when(analysis: &Analysis, i: usize) -> String {
    match (analysis.simulation.as_ref(), analysis.plan.steps.get(i)) {
        (Some(sim), Some(step)) => match (step.phase, sim.slots.get(i).copied().flatten()) {
            (_, Some(slot)) => format!("{}–{}", sim.clock(slot.start), sim.clock(slot.finish)),
            (Phase::Prep, None) => "before the window".into(),
            (_, None) => "after the window".into(),
        },
        _ => String::new(),
    }
}

fn kind_words(step: &Step) -> &'static str {
    match step.shape() {
        Shape::Irreversible => "irreversible change",
        Shape::Undoable => "change",
        Shape::NoUndo => "change without an undo",
        Shape::Check => "check",
        Shape::Notify => "notice",
        Shape::Decision => "go/no-go",
        Shape::Backup => "backup",
    }
}

fn implementation(analysis: &Analysis) -> Section {
    let plan = &analysis.plan;
    let mut order: Vec<usize> = (0..plan.steps.len()).collect();
    if let Some(sim) = &analysis.simulation {
        let rank = |i: usize| match plan.steps[i].phase {
            Phase::Prep => (0, 0.0),
            Phase::Post => (2, 0.0),
            _ => (1, sim.slots.get(i).copied().flatten().map_or(0.0, |s| s.start)),
        };
        // Stable: equal ranks stay in step order.
        crate::order::sort_by_key(&mut order, |&i| {
            let (phase, start) = rank(i);
            (phase, crate::order::f64_key(start))
        });
    }
    let rows = order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let s = &plan.steps[i];
            let undo = match (&s.undo, &s.irreversible) {
                (Some(u), _) => u.do_.as_ref().map_or(String::new(), |d| d.value.clone()),
                (None, Some(why)) => format!("none: {}", why.value),
                (None, None) if s.kind == Kind::Change => "(none written: R001)".into(),
                _ => String::new(),
            };
            vec![
                vec![t((n + 1).to_string())],
                vec![code(s.id())],
                vec![t(when(analysis, i))],
                vec![t(s.owner.as_ref().map_or("", |o| o.as_str()))],
                vec![t(kind_words(s))],
                vec![t(s.do_.as_ref().map_or("", |d| d.as_str()))],
                vec![t(undo)],
            ]
        })
        .collect();
    Section {
        title: "Implementation plan".into(),
        blocks: vec![Block::Table(
            ["#", "step", "when", "owner", "kind", "what to do", "how to undo it"].map(String::from).to_vec(),
            rows,
        )],
    }
}

fn rollback(analysis: &Analysis) -> Section {
    let plan = &analysis.plan;
    let mut blocks = Vec::new();
    let rb = plan.rollback.as_ref();
    blocks.push(Block::Paragraph(vec![
        strong("Announce:"),
        t(format!(" {}", rb.and_then(|r| r.announce.as_ref()).map_or("(not given: R006)", |a| a.as_str()))),
    ]));
    blocks.push(Block::Paragraph(vec![
        strong("Verify:"),
        t(format!(
            " {}",
            rb.and_then(|r| r.verify.as_ref()).and_then(|v| v.do_.as_ref()).map_or("(not given: R007)", |v| v.as_str())
        )),
    ]));
    let (Some(sim), Some(graph)) = (&analysis.simulation, &analysis.graph) else {
        return Section { title: "Rollback plan".into(), blocks };
    };
    if let Some(p) = sim.tightest() {
        let book = sim.runbook(plan, graph, p);
        blocks.push(Block::Paragraph(vec![
            t("The tightest point: if "),
            code(book.id),
            t(format!(" fails at {}, the rollback runs as follows.", sim.clock(book.fail))),
        ]));
        let mut items = vec![vec![t(format!("{}: the rollback is called and announced.", sim.clock(book.called)))]];
        for u in &book.undos {
            items.push(vec![
                t(format!("{}–{} (wave {}): undo ", sim.clock(u.start), sim.clock(u.end), u.wave + 1)),
                code(u.id),
                t(format!(": {}", u.what.unwrap_or("(no undo written)"))),
            ]);
        }
        let done = sim.clock(book.verify.end);
        items.push(vec![t(format!("{}–{done}: verify.", sim.clock(book.verify.start)))]);
        blocks.push(Block::List(items));
        let verdict = match &book.verdict {
            Verdict::Fits { margin } => format!("Done at {done}, {} before the window closes.", say(*margin)),
            Verdict::Overruns { by } => format!("Done at {done}, {} after the window closes.", say(*by)),
            // Never the tightest point's: that is one a rollback is possible from.
            Verdict::NoWayBack { .. } => "No complete rollback is possible from here.".into(),
        };
        blocks.push(Block::Paragraph(vec![strong(verdict)]));
        if !book.leftovers.is_empty() {
            blocks.push(Block::List(
                book.leftovers
                    .iter()
                    .map(|l| {
                        vec![
                            t("Left behind: "),
                            code(&l.resource),
                            t(format!(" stays {} (baseline {}).", l.state, l.baseline)),
                        ]
                    })
                    .collect(),
            ));
        }
    }
    Section { title: "Rollback plan".into(), blocks }
}

fn odds(analysis: &Analysis) -> Section {
    let plan = &analysis.plan;
    let Some(sim) = &analysis.simulation else {
        return Section {
            title: "Simulation".into(),
            blocks: vec![Block::Paragraph(vec![t("Not simulated: no window.")])],
        };
    };
    let fitting = sim.points.iter().filter(|p| p.fits && !p.no_way_back).count();
    let mut items = vec![vec![t(format!(
        "A complete rollback fits in the window from {fitting} of the {} failure points.",
        sim.points.len()
    ))]];
    if let Some(mc) = &sim.monte_carlo
        && mc.p_rollback_fits.iter().zip(&sim.points).all(|(s, p)| *s >= 1.0 || p.no_way_back)
    {
        items.push(vec![t(format!("In all {} Monte Carlo runs, a rollback fits from every one of them.", mc.runs))]);
    }
    let nwb = sim.points.iter().filter(|p| p.no_way_back).count();
    if nwb > 0 {
        items.push(vec![t(format!("{nwb} points come after a point of no return."))]);
    }
    if let Some(mc) = &sim.monte_carlo {
        items.push(vec![t(format!(
            "Over {} Monte Carlo runs (seed {}), the steps finish inside the window in {:.1}% of runs.",
            mc.runs,
            mc.seed,
            mc.p_forward_fits * 100.0
        ))]);
        let low = sim
            .points
            .iter()
            .zip(&mc.p_rollback_fits)
            .filter(|(p, _)| !p.no_way_back)
            .min_by(|a, b| a.1.total_cmp(b.1));
        if let Some((p, share)) = low.filter(|(_, share)| **share < 1.0) {
            items.push(vec![
                t(format!("The least likely rollback to fit, {:.1}% of runs, is from ", share * 100.0)),
                code(plan.steps.get(p.step).map_or("", |s| s.id())),
                t("."),
            ]);
        }
    }
    Section { title: "Simulation".into(), blocks: vec![Block::List(items)] }
}

fn findings(analysis: &Analysis, text: &str) -> Section {
    let index = LineIndex::new(text);
    let open: Vec<Vec<Inline>> = [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .flat_map(|&s| analysis.diagnostics.iter().filter(move |d| d.severity == s))
        .map(|d| {
            let at = index.line_col(d.span.start);
            vec![
                strong(format!("{} {}", d.severity.as_str(), d.code)),
                t(format!(" (line {}): {}", at.line, show_invisible(&d.message))),
            ]
        })
        .collect();
    let blocks = if open.is_empty() {
        vec![Block::Paragraph(vec![t("None: every check passes.")])]
    } else {
        let s = analysis.summary();
        vec![
            Block::Paragraph(vec![t(format!("{} errors, {} warnings, {} infos.", s.errors, s.warnings, s.infos))]),
            Block::List(open),
        ]
    };
    Section { title: "Open findings".into(), blocks }
}

fn sign_off(analysis: &Analysis) -> Section {
    let hash = analysis.hash.as_deref().unwrap_or("(none)");
    let mut blocks =
        vec![Block::Paragraph(vec![t("This document describes the plan whose hash is "), code(hash), t(".")])];
    let approvals: Vec<Vec<Inline>> = analysis
        .plan
        .approvals
        .iter()
        .map(|a| {
            let signed = a.plan_hash.as_ref().map(|h| h.value.eq_ignore_ascii_case(hash));
            vec![
                t(a.by.as_ref().map_or("(unnamed)", |b| b.as_str())),
                t(a.role.as_ref().map_or(String::new(), |r| format!(", {}", r.value))),
                t(a.date.as_ref().map_or(String::new(), |d| format!(", {}", d.value))),
                t(match signed {
                    Some(true) => " — approved this version.",
                    Some(false) => " — approved another version (C005).",
                    None => " — no plan hash given.",
                }),
            ]
        })
        .collect();
    if approvals.is_empty() {
        blocks.push(Block::Paragraph(vec![t("No approvals recorded yet.")]));
    } else {
        blocks.push(Block::List(approvals));
    }
    blocks.push(Block::Table(
        ["Approved by", "Role", "Date", "Signature"].map(String::from).to_vec(),
        vec![vec![vec![t("")], vec![t("")], vec![t("")], vec![t("")]]; 2],
    ));
    Section { title: "Sign-off".into(), blocks }
}

/// Escapes Markdown's special characters in plan text.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // Brackets are escaped, so parentheses cannot form a link.
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~') {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

fn md_inline(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(s) => md_escape(s),
            Inline::Strong(s) => format!("**{}**", md_escape(s)),
            Inline::Code(s) => {
                let ticks = if s.contains('`') { "``" } else { "`" };
                format!("{ticks} {} {ticks}", s.replace('\n', " ")).replacen(&format!("{ticks} "), ticks, 1).replacen(
                    &format!(" {ticks}"),
                    ticks,
                    1,
                )
            }
        })
        .collect()
}

/// The approval entry a reviewer pastes under `approvals:` to sign `hash`
/// off: `by`, `role` (left out when blank), `date` and `plan_hash`, each
/// value quoted so that any name reads back unchanged.
pub fn approval_stanza(by: &str, role: &str, date: &str, hash: &str) -> Result<String, String> {
    let (by, role, date) = (by.trim(), role.trim(), date.trim());
    if by.is_empty() {
        return Err("say who approves: `by` is empty".into());
    }
    if [by, role].iter().any(|s| s.chars().any(char::is_control)) {
        return Err("names cannot hold control characters or line breaks".into());
    }
    crate::units::parse_date(date)?;
    if !crate::hash::is_well_formed(hash) {
        return Err(format!("`{hash}` is not a plan hash"));
    }
    let quote = crate::hash::json_string;
    let mut out = format!("  - by: {}\n", quote(by));
    if !role.is_empty() {
        out.push_str(&format!("    role: {}\n", quote(role)));
    }
    out.push_str(&format!("    date: {date}\n    plan_hash: {hash}\n"));
    Ok(out)
}

/// The document as Markdown.
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    let _ = write_markdown(&mut out, doc);
    out
}

/// The document as Markdown, written piece by piece to `out` (a big plan's
/// document need not be held whole as text too).
pub fn write_markdown(out: &mut dyn fmt::Write, doc: &Document) -> fmt::Result {
    writeln!(out, "# {}: {}", doc.kind, md_escape(&doc.title))?;
    for s in &doc.sections {
        write!(out, "\n## {}\n\n", s.title)?;
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => write!(out, "{}\n\n", md_inline(p))?,
                Block::List(items) => {
                    for i in items {
                        writeln!(out, "- {}", md_inline(i))?;
                    }
                    out.write_char('\n')?;
                }
                Block::Table(head, rows) => {
                    writeln!(out, "| {} |", head.join(" | "))?;
                    writeln!(out, "|{}", "---|".repeat(head.len()))?;
                    for r in rows {
                        let cells: Vec<String> = r.iter().map(|c| md_inline(c)).collect();
                        writeln!(out, "| {} |", cells.join(" | "))?;
                    }
                    out.write_char('\n')?;
                }
            }
        }
    }
    Ok(())
}

/// Escapes text for HTML content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_inline(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(s) => html_escape(s),
            Inline::Strong(s) => format!("<strong>{}</strong>", html_escape(s)),
            Inline::Code(s) => format!("<code>{}</code>", html_escape(s)),
        })
        .collect()
}

/// The document's body as HTML (sections only).
pub fn html_body(doc: &Document) -> String {
    let mut out = String::new();
    let _ = write_html_body(&mut out, doc);
    out
}

fn write_html_body(out: &mut dyn fmt::Write, doc: &Document) -> fmt::Result {
    writeln!(out, "<h1>{}: {}</h1>", doc.kind, html_escape(&doc.title))?;
    for s in &doc.sections {
        writeln!(out, "<section>\n<h2>{}</h2>", html_escape(&s.title))?;
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => writeln!(out, "<p>{}</p>", html_inline(p))?,
                Block::List(items) => {
                    out.write_str("<ul>\n")?;
                    for i in items {
                        writeln!(out, "<li>{}</li>", html_inline(i))?;
                    }
                    out.write_str("</ul>\n")?;
                }
                Block::Table(head, rows) => {
                    out.write_str("<table>\n<thead><tr>")?;
                    for h in head {
                        write!(out, "<th>{}</th>", html_escape(h))?;
                    }
                    out.write_str("</tr></thead>\n<tbody>\n")?;
                    for r in rows {
                        out.write_str("<tr>")?;
                        for c in r {
                            write!(out, "<td>{}</td>", html_inline(c))?;
                        }
                        out.write_str("</tr>\n")?;
                    }
                    out.write_str("</tbody>\n</table>\n")?;
                }
            }
        }
        out.write_str("</section>\n")?;
    }
    Ok(())
}

/// The stylesheet of the printed document (A4 and Letter both fit).
pub const PRINT_CSS: &str = "\
body{font:11pt/1.45 Georgia,'Times New Roman',serif;color:#111;max-width:48rem;margin:2rem auto;padding:0 1rem}
h1{font-size:18pt;margin:0 0 .5rem}h2{font-size:13pt;border-bottom:1px solid #999;margin:1.4rem 0 .5rem;break-after:avoid}
table{border-collapse:collapse;width:100%;font-size:9pt}th,td{border:1px solid #999;padding:.2rem .35rem;vertical-align:top;text-align:left}
thead{display:table-header-group}tr{break-inside:avoid}code{font:9pt ui-monospace,Menlo,Consolas,monospace}
section{break-inside:auto}li{margin:.15rem 0}td:empty{height:2.4em}
@page{margin:18mm 15mm}
@media print{body{margin:0;max-width:none}}";

/// The document as a standalone, print-ready HTML page.
pub fn html(doc: &Document) -> String {
    let mut out = String::new();
    let _ = write_html(&mut out, doc);
    out
}

/// The standalone page, written piece by piece to `out`.
pub fn write_html(out: &mut dyn fmt::Write, doc: &Document) -> fmt::Result {
    write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        doc.kind,
        html_escape(&doc.title),
        PRINT_CSS,
    )?;
    write_html_body(out, doc)?;
    out.write_str("</body>\n</html>\n")
}
