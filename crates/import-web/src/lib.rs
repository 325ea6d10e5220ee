//! `retreat-import-web`: the importer and the exports for the browser app,
//! as a wasm module of its own. The page never loads it: the import worker
//! (`www/import-worker.js`) does, the first time the user pastes a table,
//! drops a file or picks an export, so the first load stays small.
//!
//! What it answers is plain data, made here by [`import`], [`panel`] and
//! [`export`] (pure, tested natively); the wasm entry points only convert
//! it. The words of the app's panel of guesses are written here too, so the
//! page carries none of them.

pub mod live;

/// The approval document of a plan, as the Report tab shows it: the
/// page's body, the Markdown to copy and the page to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub body: String,
    pub markdown: String,
    pub page: String,
}

/// The approval document of `text`, with the Monte Carlo figures the app's
/// odds came to (`None` until they have): the analysis the app shows, so
/// the document says what its other tabs say. `Err` when the plan does not
/// parse.
pub fn report(text: &str, mc: Option<retreat_core::sim::MonteCarlo>) -> Result<Report, String> {
    let mut analysis = analyze(text, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    if analysis.graph.is_none() {
        return Err("the plan does not parse: fix its errors first".into());
    }
    if analysis.hash.is_none() {
        analysis.hash = retreat_core::parse(text).hash;
    }
    if let Some(mc) = mc {
        retreat_core::add_monte_carlo(&mut analysis, mc, &Options::default());
    }
    let doc = retreat_core::report::document(&analysis, text);
    Ok(Report {
        body: retreat_core::report::html_body(&doc),
        markdown: retreat_core::report::markdown(&doc),
        page: retreat_core::report::html(&doc),
    })
}

use retreat_core::report::html_escape;
use retreat_core::{MonteCarloRuns, Options, analyze};
use retreat_import::{Format, Input, NoteKind, Source};

/// A guess or a part left out, as the app lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// `guess` or `not imported`.
    pub kind: &'static str,
    pub at: String,
    pub message: String,
}

/// An imported plan, as the app shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub format: &'static str,
    pub yaml: String,
    pub steps: usize,
    pub notes: Vec<Note>,
}

/// Imports the files given (`(path, bytes)`): `main` is the file to start
/// from, `None` for a directory named `name`. `Err` is a sentence for the
/// user. `from` forces a format (`csv` for a pasted spreadsheet range).
pub fn import(
    name: &str,
    main: Option<&str>,
    files: &[(String, Vec<u8>)],
    from: Option<&str>,
) -> Result<Imported, String> {
    let from = match from {
        Some(f) => Some(Format::from_name(f).ok_or_else(|| format!("no such format: {f}"))?),
        None => None,
    };
    let input = Input { name, files: files.iter().map(|(path, bytes)| Source { path, bytes }).collect(), main };
    let imported = retreat_import::import(&input, from).map_err(|e| e.message().to_string())?;
    let notes = imported
        .notes
        .iter()
        .map(|n| Note {
            kind: match n.kind {
                NoteKind::Guess => "guess",
                _ => "not imported",
            },
            at: n.at.clone(),
            message: n.message.clone(),
        })
        .collect();
    Ok(Imported { format: imported.format.name(), yaml: imported.yaml, steps: imported.steps, notes })
}

/// How files came without the directory around them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alone {
    /// Dropped as files (the browser could have given the directory).
    Dropped,
    /// Picked in a file input, or dropped in a browser that gives a page
    /// no directory.
    Picked,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The panel the app shows over the imported plan: its heading and its
/// list (`<li>` items, every text HTML-escaped): what could not be seen,
/// then every guess and every part left out. `source` names what was
/// imported ("the pasted spreadsheet range"), `skipped` counts a dropped
/// directory's entries that were not read.
pub fn panel(imported: &Imported, source: &str, alone: Option<Alone>, skipped: usize, dir: &str) -> (String, String) {
    let guesses = imported.notes.iter().filter(|n| n.kind == "guess").count();
    let heading = format!(
        "Imported {} from {source} ({}): {} listed here and marked `# guess:` in the plan.",
        plural(imported.steps, "step", "steps"),
        imported.format,
        plural(guesses, "guess", "guesses"),
    );
    let mut unseen = Vec::new();
    if skipped > 0 {
        unseen.push(format!(
            "{} in `{dir}` not read (not a file these formats use, or nested too deep).",
            plural(skipped, "entry", "entries")
        ));
    }
    if matches!(imported.format, "sqitch" | "liquibase" | "flyway") {
        match alone {
            Some(Alone::Dropped) => unseen.push("Only the files dropped were read, not the directory around them: scripts and changelogs beside them were not seen. Drop the project's directory to read them too.".into()),
            Some(Alone::Picked) => unseen.push("Only the files given were read, not the directory around them (a file picker, or a browser without directory drops, gives a page none): scripts and changelogs beside them were not seen. Drop the project's directory on the editor to read them too.".into()),
            None => {}
        }
    }
    let mut list = String::new();
    for u in unseen {
        list.push_str(&format!("<li class=\"unseen\">{}</li>", html_escape(&u)));
    }
    for n in &imported.notes {
        let class = if n.kind == "guess" { "guess" } else { "guess not-imported" };
        let at = if n.at.is_empty() {
            String::new()
        } else {
            format!("<span class=\"guess-at\">{}: </span>", html_escape(&n.at))
        };
        list.push_str(&format!(
            "<li class=\"{class}\"><span class=\"guess-kind\">{}</span>{at}{}</li>",
            n.kind,
            html_escape(&n.message)
        ));
    }
    (heading, list)
}

/// The formats [`export`] writes: (name, file name, MIME type).
pub const EXPORTS: [(&str, &str, &str); 4] = [
    ("ics", "plan.ics", "text/calendar"),
    ("mermaid", "plan.mmd", "text/plain"),
    ("dot", "plan.dot", "text/vnd.graphviz"),
    ("csv", "plan.csv", "text/csv"),
];

/// The plan `text` in the format `to` (one of [`EXPORTS`]), or why not.
pub fn export(text: &str, to: &str) -> Result<String, String> {
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    let analysis = analyze(text, &options);
    let Some(graph) = &analysis.graph else {
        return Err("the plan does not parse: fix its errors first (the Findings tab shows where)".into());
    };
    let plan = &analysis.plan;
    match to {
        "ics" => retreat_core::export::ics(&analysis),
        "mermaid" => Ok(retreat_core::export::mermaid(plan, graph)),
        "dot" => Ok(retreat_core::export::dot(plan, graph)),
        "csv" => Ok(retreat_core::export::csv(plan)),
        other => Err(format!("no such export: {other}")),
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;

    fn set(o: &Object, key: &str, value: impl Into<JsValue>) {
        let _ = Reflect::set(o, &key.into(), &value.into());
    }

    fn answer(result: Result<Object, String>) -> JsValue {
        let o = Object::new();
        match result {
            Ok(ok) => set(&o, "ok", ok),
            Err(e) => set(&o, "error", e),
        }
        o.into()
    }

    fn field(ask: &JsValue, key: &str) -> Option<String> {
        Reflect::get(ask, &key.into()).ok().and_then(|v| v.as_string())
    }

    /// Imports what `ask` says (`{ name, main, from, source, alone,
    /// skipped }`: what the page hands over, see `www/import-worker.js`)
    /// from the files `paths`, whose bytes are `contents` (one `Uint8Array`
    /// each). `{ ok: { format, yaml, heading, list } }`, `list` being the
    /// panel's `<li>` items (escaped), or `{ error }`.
    #[wasm_bindgen(js_name = importPlan)]
    pub fn import_plan(ask: JsValue, paths: Vec<String>, contents: Array) -> JsValue {
        let files: Vec<(String, Vec<u8>)> =
            paths.into_iter().zip(contents.iter()).map(|(p, c)| (p, Uint8Array::new(&c).to_vec())).collect();
        let name = field(&ask, "name").unwrap_or_default();
        let main = field(&ask, "main");
        let imported = super::import(&name, main.as_deref(), &files, field(&ask, "from").as_deref());
        answer(imported.map(|i| {
            let alone = match field(&ask, "alone").as_deref() {
                Some("dropped") => Some(super::Alone::Dropped),
                Some("picked") => Some(super::Alone::Picked),
                _ => None,
            };
            let skipped = Reflect::get(&ask, &"skipped".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
            let source = field(&ask, "source").unwrap_or_default();
            let (heading, list) = super::panel(&i, &source, alone, skipped, &name);
            let o = Object::new();
            set(&o, "format", i.format);
            set(&o, "yaml", i.yaml);
            set(&o, "heading", heading);
            set(&o, "list", list);
            o
        }))
    }

    /// `{ ok: { fragment } }`: the share link's fragment that carries
    /// `text` (the compressor is big, and only "Copy link" needs it).
    #[wasm_bindgen(js_name = linkPlan)]
    pub fn link_plan(text: &str) -> JsValue {
        let o = Object::new();
        set(&o, "fragment", retreat_core::link::encode(text));
        answer(Ok(o))
    }

    /// The Live tab: `ask` is `{ plan, log, now, act }` (`now` in unix
    /// seconds; `act` one of `look`, `start`, `start-step`, `done`, `time`,
    /// `call`, with `step`, `undo`, `mark`, `hhmm`, `note` as it needs).
    /// `{ ok: { log, board, deadline, deadlineClock, called } }` or `{ error }`.
    #[wasm_bindgen(js_name = livePlan)]
    pub fn live_plan(ask: JsValue) -> JsValue {
        use retreat_core::live::edit::Mark;
        let get = |k: &str| field(&ask, k).unwrap_or_default();
        let (plan, log, act, step, hhmm, note) =
            (get("plan"), get("log"), get("act"), get("step"), get("hhmm"), get("note"));
        let now = Reflect::get(&ask, &"now".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i64;
        let undo = Reflect::get(&ask, &"undo".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
        let mark = if get("mark") == "finished" { Mark::Finished } else { Mark::Started };
        let act = match act.as_str() {
            "start" => super::live::Act::Start,
            "start-step" => super::live::Act::Mark { step: &step, undo, mark: Mark::Started },
            "done" => super::live::Act::Mark { step: &step, undo, mark: Mark::Finished },
            "time" => super::live::Act::Time { step: &step, undo, mark, hhmm: &hhmm },
            "call" => super::live::Act::Call { note: &note },
            "download" => {
                return answer(super::live::download(&plan, &log, now).map(|text| {
                    let o = Object::new();
                    set(&o, "log", text);
                    o
                }));
            }
            _ => super::live::Act::Look,
        };
        answer(super::live::live(&plan, &log, act, now).map(|b| {
            let o = Object::new();
            set(&o, "log", b.log);
            set(&o, "board", b.html);
            set(&o, "deadline", b.deadline.map_or(JsValue::NULL, |d| JsValue::from_f64(d as f64)));
            set(&o, "deadlineClock", b.deadline_clock);
            set(&o, "called", b.called);
            o
        }))
    }

    /// `{ ok: { body, markdown, page } }` or `{ error }`: the approval
    /// document of `text`; `mc` is `{ runs, seed, halfWidth, pForward,
    /// pRollback }` once the app's odds are in, else null.
    #[wasm_bindgen(js_name = reportPlan)]
    pub fn report_plan(text: &str, mc: JsValue) -> JsValue {
        let num = |k: &str| Reflect::get(&mc, &k.into()).ok().and_then(|v| v.as_f64());
        let mc = num("runs").map(|runs| retreat_core::sim::MonteCarlo {
            runs: runs as u32,
            seed: num("seed").unwrap_or(0.0) as u64,
            half_width: num("halfWidth").unwrap_or(0.0),
            p_forward_fits: num("pForward").unwrap_or(0.0),
            p_rollback_fits: Reflect::get(&mc, &"pRollback".into())
                .map(|a| js_sys::Float64Array::new(&a).to_vec())
                .unwrap_or_default(),
            done_histograms: Vec::new(),
            forward_histogram: Vec::new(),
        });
        answer(super::report(text, mc).map(|r| {
            let o = Object::new();
            set(&o, "body", r.body);
            set(&o, "markdown", r.markdown);
            set(&o, "page", r.page);
            o
        }))
    }

    /// `{ ok: docs }`: rule `code`'s docs (Markdown), which the page's own
    /// registry leaves out; `{ error }` for no such rule.
    #[wasm_bindgen(js_name = ruleDocs)]
    pub fn rule_docs(code: &str) -> JsValue {
        let o = Object::new();
        match retreat_core::rules::find(code) {
            Some(rule) => set(&o, "ok", rule.docs),
            None => set(&o, "error", format!("no rule `{code}`")),
        }
        o.into()
    }

    /// `{ ok: { fragment } }`: the link that carries the plan and its run
    /// log (`<plan link>&log=<log link>`, see `retreat_core::link`).
    #[wasm_bindgen(js_name = linkLive)]
    pub fn link_live(plan: &str, log: &str) -> JsValue {
        let o = Object::new();
        set(&o, "fragment", retreat_core::link::encode_with_log(plan, log));
        answer(Ok(o))
    }

    /// `{ ok: { text, file, mime } }` or `{ error }`.
    #[wasm_bindgen(js_name = exportPlan)]
    pub fn export_plan(text: &str, to: &str) -> JsValue {
        answer(super::export(text, to).map(|text| {
            let o = Object::new();
            let (_, file, mime) = super::EXPORTS.iter().find(|(n, _, _)| *n == to).copied().unwrap_or_default();
            set(&o, "text", text);
            set(&o, "file", file);
            set(&o, "mime", mime);
            o
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_range_imports_with_its_guesses() {
        let tsv = "Step\tTask\tDuration\tRollback\n1\tStop the feed\t5m\tStart the feed\n2\tSwitch over\t10m\t\n";
        let got = import("", Some("pasted.tsv"), &[("pasted.tsv".into(), tsv.as_bytes().to_vec())], Some("csv"))
            .expect("imports");
        assert_eq!((got.format, got.steps), ("csv", 2));
        assert!(got.yaml.contains("steps:"), "{}", got.yaml);
        assert!(got.notes.iter().any(|n| n.kind == "guess"), "{:?}", got.notes);
    }

    #[test]
    fn the_panel_escapes_what_it_lists_and_says_what_was_not_seen() {
        let imported = Imported {
            format: "liquibase",
            yaml: String::new(),
            steps: 1,
            notes: vec![Note { kind: "guess", at: "step `<a>`".into(), message: "a & b".into() }],
        };
        let (heading, list) = panel(&imported, "`db.xml`", Some(Alone::Dropped), 2, "db");
        assert_eq!(
            heading,
            "Imported 1 step from `db.xml` (liquibase): 1 guess listed here and marked `# guess:` in the plan."
        );
        assert!(list.contains("step `&lt;a&gt;`: ") && list.contains("a &amp; b"), "{list}");
        assert!(
            list.contains("2 entries in `db` not read") && list.contains("Drop the project&#39;s directory"),
            "{list}"
        );
        let csv = Imported { format: "csv", ..imported };
        assert!(!panel(&csv, "x", Some(Alone::Picked), 0, "").1.contains("directory"));
    }

    #[test]
    fn the_report_is_the_command_lines_document() {
        let r = report(retreat_core::EXAMPLE_PLAN, None).expect("a report");
        let analysis =
            analyze(retreat_core::EXAMPLE_PLAN, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
        let doc = retreat_core::report::document(&analysis, retreat_core::EXAMPLE_PLAN);
        assert_eq!(r.markdown, retreat_core::report::markdown(&doc));
        assert!(r.page.contains(&r.body), "the page holds the body");
        assert!(report("steps: [", None).is_err());
    }

    #[test]
    fn what_cannot_be_imported_says_why() {
        let err = import("", Some("x.bin"), &[("x.bin".into(), vec![0, 159, 146, 150])], None).unwrap_err();
        assert!(!err.is_empty());
    }

    #[test]
    fn every_export_writes_the_example() {
        for (to, _, _) in EXPORTS {
            let text = export(retreat_core::EXAMPLE_PLAN, to).expect(to);
            assert!(!text.is_empty(), "{to}");
        }
        assert!(export("steps: [", "dot").is_err());
    }
}
