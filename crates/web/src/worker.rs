//! The odds' web worker, both ends of it.
//!
//! The worker runs this very wasm module: the page sends it the module it
//! already compiled (`wasm_bindgen::module()`) and the URL of its JavaScript
//! glue, so the worker downloads and compiles nothing; the one file it adds
//! is `www/odds-worker.js`, the bootstrap (a module worker, from the page's
//! own origin: the page's `worker-src 'self'`). It is started the first time
//! the odds run, after the page is interactive, and then kept.
//!
//! - The page's end ([`run`], [`Lease`]): one worker per page; each job is
//!   an [`Ask`], and its answers go to the callback of the job asked last.
//!   When the worker cannot start or fails, `run` says so ([`Answer::Failed`]
//!   to the callback, `Err` from then on), and the caller runs the job in
//!   the page instead.
//! - The worker's end ([`odds_worker`]): one job at a time, in slices of
//!   [`SLICE_MS`] with a turn of the event loop between them, so a newer
//!   job or a stop is read within a slice.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use super::odds_job::{Answer, Ask, Job, analysis_for_odds};
use super::ptr::Ptr;
use retreat_core::sim::Settings;

/// The bootstrap script, next to the page (Trunk copies it from `www/`).
const SCRIPT: &str = "odds-worker.js";
/// How long the worker runs between two looks at its messages (and two
/// progress reports), in milliseconds.
const SLICE_MS: f64 = 50.0;

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue (`import.meta.url` there).
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: js_sys::JsString;
}

// ---------------------------------------------------------------- the page

/// The job whose answers are wanted, and where they go.
type Current = Rc<RefCell<Option<(u64, Callback<Answer>)>>>;

struct Started {
    worker: Worker,
    current: Current,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

enum Page {
    Idle,
    Started(Started),
    /// The worker failed; it is kept (terminated) so that its handlers are
    /// never freed while they run.
    Broken {
        _kept: Option<Started>,
    },
}

thread_local! {
    static PAGE: RefCell<Page> = const { RefCell::new(Page::Idle) };
}

/// Runs `ask` (an [`Ask::Run`]) in the worker, starting it if need be; its
/// answers go to `on_answer` until the [`Lease`] is dropped or another job
/// is asked. `Err` when no worker can run it.
pub fn run(ask: &Ask, on_answer: Callback<Answer>) -> Result<Lease, JsValue> {
    let Ask::Run { id, .. } = *ask else { return Err("only a run is leased".into()) };
    PAGE.with_borrow_mut(|page| {
        if matches!(page, Page::Idle) {
            *page = match start() {
                Ok(started) => Page::Started(started),
                Err(e) => {
                    *page = Page::Broken { _kept: None };
                    return Err(e);
                }
            };
        }
        let Page::Started(started) = page else { return Err("the odds' worker failed before".into()) };
        *started.current.borrow_mut() = Some((id, on_answer));
        started.worker.post_message(&serde_wasm_bindgen::to_value(ask)?)?;
        Ok(Lease { id })
    })
}

/// A job asked of the worker; dropping it stops the job (unless another
/// one was asked since).
pub struct Lease {
    id: u64,
}

impl Drop for Lease {
    fn drop(&mut self) {
        PAGE.with_borrow(|page| {
            let Page::Started(started) = page else { return };
            let mine = started.current.borrow().as_ref().is_some_and(|(id, _)| *id == self.id);
            if mine {
                started.current.borrow_mut().take();
                if let Ok(stop) = serde_wasm_bindgen::to_value(&Ask::Stop) {
                    let _ = started.worker.post_message(&stop);
                }
            }
        });
    }
}

fn start() -> Result<Started, JsValue> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    options.set_name("odds");
    let worker = Worker::new_with_options(SCRIPT, &options)?;
    let current: Current = Rc::default();
    let on_message = {
        let current = current.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let answer = serde_wasm_bindgen::from_value::<Answer>(e.data())
                .unwrap_or_else(|e| Answer::Failed { id: 0, why: format!("unreadable answer: {e}") });
            match answer {
                // The worker itself failed (its bootstrap says so with id 0).
                Answer::Failed { id: 0, why } => broken(&current, why),
                answer => {
                    let id = match &answer {
                        Answer::Progress { id, .. } | Answer::Done { id, .. } | Answer::Failed { id, .. } => *id,
                    };
                    let to = current.borrow().as_ref().filter(|(c, _)| *c == id).map(|(_, cb)| cb.clone());
                    if let Some(cb) = to {
                        cb.emit(answer);
                    }
                }
            }
        })
    };
    let on_error = {
        let current = current.clone();
        // An error in the worker comes as an `ErrorEvent`; a script that did
        // not load, as a plain `Event`.
        Closure::<dyn FnMut(Event)>::new(move |e: Event| {
            e.prevent_default();
            let why =
                e.dyn_ref::<ErrorEvent>().map_or_else(|| "the worker's script did not load".into(), |e| e.message());
            broken(&current, why);
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"glue".into(), &GLUE_URL.with(|u| u.clone()).into())?;
    js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module())?;
    worker.post_message(&init)?;
    Ok(Started { worker, current, _on_message: on_message, _on_error: on_error })
}

/// The worker failed: it is stopped for good, and the job under way is told.
fn broken(current: &Current, why: String) {
    let old = PAGE.with_borrow_mut(|page| match std::mem::replace(page, Page::Broken { _kept: None }) {
        Page::Started(started) => {
            started.worker.terminate();
            *page = Page::Broken { _kept: Some(started) };
            true
        }
        other => {
            *page = other;
            false
        }
    });
    let job = current.borrow_mut().take();
    if let (true, Some((id, cb))) = (old, job) {
        cb.emit(Answer::Failed { id, why });
    }
}

// -------------------------------------------------------------- the worker

struct Running {
    job: Option<Job>,
    next: Option<Timeout>,
}

type Shared = Rc<RefCell<Running>>;

/// The worker's entry point, called by `odds-worker.js` once this module is
/// instantiated there, with the messages that came before.
#[wasm_bindgen(js_name = oddsWorker)]
pub fn odds_worker(early: js_sys::Array) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let state: Shared = Rc::new(RefCell::new(Running { job: None, next: None }));
    let on_message = {
        let state = state.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| take(&state, e.data()))
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    on_message.forget();
    for message in early.iter() {
        take(&state, message);
    }
}

fn post(answer: &Answer) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if let Ok(message) = serde_wasm_bindgen::to_value(answer) {
        let _ = scope.post_message(&message);
    }
}

fn take(state: &Shared, message: JsValue) {
    let ask = match serde_wasm_bindgen::from_value::<Ask>(message) {
        Ok(ask) => ask,
        Err(e) => return post(&Answer::Failed { id: 0, why: format!("unreadable job: {e}") }),
    };
    let mut s = state.borrow_mut();
    s.job = None;
    s.next = None;
    if let Ask::Run { id, text, runs, seed } = ask {
        match Job::new(id, Ptr::new(analysis_for_odds(&text)), Settings { runs, seed, ..Settings::DEFAULT }) {
            Some(job) => {
                s.job = Some(job);
                s.next = Some(slice_later(state));
            }
            None => post(&Answer::Failed { id, why: "the plan gives nothing to simulate".into() }),
        }
    }
}

fn slice_later(state: &Shared) -> Timeout {
    let state = state.clone();
    Timeout::new(0, move || {
        let Some(mut job) = state.borrow_mut().job.take() else { return };
        let answer = job.run_for(SLICE_MS);
        post(&answer);
        if matches!(answer, Answer::Progress { .. }) {
            let next = slice_later(&state);
            let mut s = state.borrow_mut();
            s.job = Some(job);
            s.next = Some(next);
        }
    })
}
