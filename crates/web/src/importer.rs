//! Import and export through the import worker (`www/import-worker.js`),
//! which loads the on-demand module `retreat-import-web`: the page itself
//! links neither the importer nor the exports, so its first load stays
//! small. The worker is started the first time it is needed, then kept.
//!
//! The browser plumbing is JavaScript: `importer.js` beside this file (in
//! the first load, so small: what must happen while an event lasts) and
//! `www/import-page.js` (loaded with the first import or export: the
//! worker's messages, reading a dropped directory). Every answer comes
//! back to one callback, by the id of its job. `importer.js` also decides
//! whether a paste is offered to the importer at all (`pastedKind`, tested
//! in `tests/e2e/paste.test.mjs`).

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::state::{Guesses, Imported};

#[wasm_bindgen(module = "/src/importer.js")]
extern "C" {
    /// Where every answer goes: `(job id, answer)`.
    #[wasm_bindgen(js_name = answerTo)]
    fn answer_to(f: &Closure<dyn FnMut(u32, JsValue)>);
    /// What a drop holds, taken while its event lasts (the browser empties
    /// it after): its entries where the browser gives them
    /// (`webkitGetAsEntry`, which gives directories too), else its files.
    #[wasm_bindgen(js_name = takeDrop)]
    pub fn take_drop(data_transfer: &JsValue) -> JsValue;
    /// The files picked in a file input, taken (the input is emptied).
    #[wasm_bindgen(js_name = takePicked)]
    pub fn take_picked(input: &JsValue) -> JsValue;
    /// A paste event's text, when it is a spreadsheet range or a Markdown
    /// checklist rather than plan text (the paste is then stopped); else
    /// `undefined`, and the paste goes ahead. `pastedKind` decides: a paste
    /// with a plan's keys (`steps:`, `- id:`, `do:` ...) or that starts like
    /// JSON is plan text; else two or more rows with tabs (the first among
    /// them) are a spreadsheet range, and two or more Markdown lines
    /// (headings, list items, table rows) a checklist.
    #[wasm_bindgen(js_name = pasteToImport)]
    pub fn paste_to_import(event: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = importTaken)]
    fn import_taken(id: u32, taken: &JsValue);
    #[wasm_bindgen(js_name = importPasted)]
    fn import_pasted(id: u32, paste: &JsValue);
    #[wasm_bindgen(js_name = exportPlan)]
    fn export_plan(id: u32, text: &str, to: &str);
    #[wasm_bindgen(js_name = linkPlan)]
    fn link_plan(id: u32, text: &str);
}

type Waiting = Vec<(u32, Box<dyn FnOnce(JsValue)>)>;
type Reply = Closure<dyn FnMut(u32, JsValue)>;

thread_local! {
    /// The jobs under way, and the one callback their answers come to.
    static WAITING: RefCell<(u32, Waiting, Option<Reply>)> =
        const { RefCell::new((0, Vec::new(), None)) };
}

/// A new job's id; `done` gets its answer.
pub(crate) fn job(done: Box<dyn FnOnce(JsValue)>) -> u32 {
    WAITING.with_borrow_mut(|(next, waiting, callback)| {
        if callback.is_none() {
            let reply = Reply::new(|id: u32, answer: JsValue| {
                let done = WAITING.with_borrow_mut(|(_, waiting, _)| {
                    waiting.iter().position(|(i, _)| *i == id).map(|at| waiting.swap_remove(at).1)
                });
                if let Some(done) = done {
                    done(answer);
                }
            });
            answer_to(&reply);
            *callback = Some(reply);
        }
        *next += 1;
        waiting.push((*next, done));
        *next
    })
}

pub(crate) fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn string(o: &JsValue, key: &str) -> String {
    get(o, key).as_string().unwrap_or_default()
}

/// An answer's `ok`, or its `error`.
pub(crate) fn answer(data: &JsValue) -> Result<JsValue, String> {
    let error = get(data, "error");
    if error.is_undefined() { Ok(get(data, "ok")) } else { Err(error.as_string().unwrap_or_default()) }
}

/// What to import: what a drop or a picker held, or a paste (from
/// [`paste_to_import`]).
pub enum Given {
    Taken(JsValue),
    Pasted(JsValue),
}

impl Given {
    /// For a paste: the editor's text had it been pasted as it is.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Given::Pasted(p) => get(p, "asText").as_string(),
            Given::Taken(_) => None,
        }
    }
}

/// Imports `given` in the worker; `done` gets the plan or why not, and what
/// the import was called ("the pasted spreadsheet range", "`db.xml`" ...).
pub fn import(given: Given, done: impl FnOnce(Result<Imported, String>, String) + 'static) {
    let id = job(Box::new(move |data: JsValue| {
        let source = string(&data, "source");
        let imported = answer(&data).map(|ok| Imported {
            format: string(&ok, "format"),
            yaml: string(&ok, "yaml"),
            guesses: Guesses { heading: string(&ok, "heading"), list_html: string(&ok, "list") },
        });
        done(imported, source)
    }));
    match given {
        Given::Taken(taken) => import_taken(id, &taken),
        Given::Pasted(paste) => import_pasted(id, &paste),
    }
}

/// The share-link fragment that carries `text`, written in the worker (the
/// link's compressor is not in the first load); `done` gets it or why not.
pub fn link(text: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| done(answer(&data).map(|ok| string(&ok, "fragment")))));
    link_plan(id, text);
}

/// Writes `text` as `to` (`ics`, `mermaid`, `dot`, `csv`) in the worker,
/// which `import-page.js` offers as a download; `failed` gets why not.
pub fn export(text: &str, to: &str, failed: impl FnOnce(String) + 'static) {
    let id = job(Box::new(move |data: JsValue| {
        if let Err(why) = answer(&data) {
            failed(why)
        }
    }));
    export_plan(id, text, to);
}
