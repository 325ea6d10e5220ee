//! The Live tab and the countdown. The run log's reading, writing and
//! forecast, and the board's words, are the on-demand module's
//! (`retreat_import_web::live`, in the import worker): this file hands it
//! each click and shows what comes back, so the first load carries none
//! of them. The board is the module's HTML (every plan text escaped
//! there); its buttons and time fields are read here by delegation, from
//! their `data-` attributes.

use gloo::timers::callback::Interval;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::importer::{answer, get, job, string};
use super::ptr::Ptr;
use super::state::{Board, Live};

#[wasm_bindgen(module = "/src/importer.js")]
extern "C" {
    #[wasm_bindgen(js_name = liveAsk)]
    fn live_ask(id: u32, ask: &JsValue);
    #[wasm_bindgen(js_name = linkLive)]
    fn link_live(id: u32, plan: &str, log: &str);
    #[wasm_bindgen(js_name = readPicked)]
    fn read_picked(id: u32, input: &JsValue);
    /// A browser notification, if the user allowed them.
    pub fn notify(text: &str);
    #[wasm_bindgen(js_name = askToNotify)]
    fn ask_to_notify();
}

/// One click on the board, or a look at it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Click {
    /// `look`, `start`, `start-step`, `done`, `time`, `call`, `download`.
    pub act: &'static str,
    pub step: String,
    pub undo: bool,
    /// `started` or `finished`, for `time`.
    pub mark: String,
    pub hhmm: String,
    pub note: String,
}

impl Click {
    pub fn look() -> Click {
        Click { act: "look", ..Click::default() }
    }
}

/// Asks the module about `click` on `plan` and `log` at the browser's now;
/// `done` gets the new log and its board, or why not.
pub fn ask(plan: &str, log: &str, click: &Click, done: impl FnOnce(Result<(String, Board), String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| {
        done(answer(&data).map(|ok| {
            let board = Board {
                html: string(&ok, "board"),
                deadline: get(&ok, "deadline").as_f64(),
                deadline_clock: string(&ok, "deadlineClock"),
                called: get(&ok, "called").as_bool().unwrap_or(false),
            };
            (string(&ok, "log"), board)
        }))
    }));
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    set("plan", plan.into());
    set("log", log.into());
    set("now", (js_sys::Date::now() / 1000.0).floor().into());
    set("act", click.act.into());
    set("step", click.step.as_str().into());
    set("undo", click.undo.into());
    set("mark", click.mark.as_str().into());
    set("hhmm", click.hhmm.as_str().into());
    set("note", click.note.as_str().into());
    live_ask(id, &o);
}

/// The link that carries `plan` and `log`.
pub fn link(plan: &str, log: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| done(answer(&data).map(|ok| string(&ok, "fragment")))));
    link_live(id, plan, log);
}

/// The text of the file picked in `input`.
pub fn read_file(input: &JsValue, done: impl FnOnce(Result<String, String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| done(answer(&data).map(|ok| ok.as_string().unwrap_or_default()))));
    read_picked(id, input);
}

/// What the board's buttons and time fields say: the element's own
/// `data-act` / `data-mark`, and its row's `data-step` / `data-undo`.
fn click_of(target: &web_sys::Element) -> Option<Click> {
    let row = target.closest("tr[data-step]").ok()??;
    let step = row.get_attribute("data-step")?;
    let undo = row.has_attribute("data-undo");
    if let Some(button) = target.closest("button[data-act]").ok()? {
        let act = match button.get_attribute("data-act")?.as_str() {
            "start" => "start-step",
            "done" => "done",
            _ => return None,
        };
        return Some(Click { act, step, undo, ..Click::default() });
    }
    let mark = target.get_attribute("data-mark")?;
    let hhmm = js_sys::Reflect::get(target, &"value".into()).ok()?.as_string()?;
    Some(Click { act: "time", step, undo, mark, hhmm, ..Click::default() })
}

#[derive(Properties, PartialEq)]
pub struct LiveProps {
    pub live: Option<Live>,
    /// The plan has a window to go live in.
    pub can_start: bool,
    pub on_click: Callback<Click>,
    pub on_undo: Callback<()>,
    pub on_end: Callback<()>,
    pub on_share: Callback<()>,
    pub on_load: Callback<Event>,
}

#[function_component(LiveView)]
pub fn live_view(props: &LiveProps) -> Html {
    let note = use_state(String::new);
    let on_load = props.on_load.clone();
    let load = html! {
        <label class="import-file">{ "Load a run log…" }
            <input type="file" accept=".yaml,.yml,.json" onchange={on_load} aria-label="Load a run log" /></label>
    };
    let Some(live) = &props.live else {
        let start = props.on_click.reform(|_: MouseEvent| Click { act: "start", ..Click::default() });
        return html! {
            <div class="live">
                <p>{ "During the change, record each step as it starts and ends: the board re-forecasts the finish and, above all, until when a rollback can still be called." }</p>
                if props.can_start {
                    <button class="primary" onclick={start}>{ "Start the window" }</button>
                } else {
                    <p class="muted">{ "The plan needs a `window` (and no errors) to go live." }</p>
                }
                { " " }{ load }
            </div>
        };
    };
    let on_board = {
        let on_click = props.on_click.clone();
        move |e: &Event| {
            if let Some(click) =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| click_of(&t))
            {
                on_click.emit(click);
            }
        }
    };
    let onclick = {
        let f = on_board.clone();
        Callback::from(move |e: MouseEvent| f(&e))
    };
    let onchange = Callback::from(move |e: Event| on_board(&e));
    let called = live.board.as_ref().is_some_and(|b| b.called);
    let call = {
        let (on_click, note) = (props.on_click.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            on_click.emit(Click { act: "call", note: (*note).clone(), ..Click::default() })
        })
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |e: InputEvent| note.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let download = props.on_click.reform(|_: MouseEvent| Click { act: "download", ..Click::default() });
    let undo = props.on_undo.reform(|_: MouseEvent| ());
    let end = props.on_end.reform(|_: MouseEvent| ());
    let share = props.on_share.reform(|_: MouseEvent| ());
    let allow = Callback::from(|_: MouseEvent| ask_to_notify());
    html! {
        <div class="live" aria-busy={live.busy.to_string()}>
            <div class="live-tools">
                if !called {
                    <input value={(*note).clone()} oninput={on_note} placeholder="Why (for the log)" aria-label="Why the rollback is called" />
                    <button class="danger" onclick={call} disabled={live.busy}>{ "Call the rollback" }</button>
                }
                <button onclick={undo} disabled={live.busy || live.history.is_empty()}>{ "Undo" }</button>
                <button onclick={download} disabled={live.busy}>{ "Download the log" }</button>
                <button onclick={share}>{ "Copy link with the log" }</button>
                { load }
                <button onclick={allow}>{ "Notify me" }</button>
                <button onclick={end}>{ "End the window" }</button>
            </div>
            if let Some(why) = &live.error {
                <p class="live-error" role="alert">{ why.as_str() }</p>
            }
            <div class="live-board-wrap" {onclick} {onchange}>
                { match &live.board {
                    Some(b) => Html::from_html_unchecked(AttrValue::from(b.html.clone())),
                    None => html! { <p class="muted" role="status">{ "Loading the live board…" }</p> },
                } }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    pub board: Option<Ptr<Board>>,
}

/// How the countdown stands: calm, within 15 minutes, past.
fn level(left: f64) -> &'static str {
    if left < 0.0 {
        "red"
    } else if left <= 15.0 * 60.0 {
        "amber"
    } else {
        "calm"
    }
}

/// Time left to the rollback deadline, in view on every tab while live:
/// amber 15 minutes before, red after; a notification at each change.
#[function_component(Countdown)]
pub fn countdown(props: &CountdownProps) -> Html {
    // A tick a second to draw again; the time is read as it is drawn.
    let redraw = use_force_update();
    use_effect_with((), move |()| {
        let tick = Interval::new(1000, move || redraw.force_update());
        move || drop(tick)
    });
    let now = js_sys::Date::now() / 1000.0;
    let board = props.board.as_ref();
    let deadline = board.and_then(|b| b.deadline);
    let left = deadline.map(|d| d - now);
    let lvl = left.map_or("calm", level);
    {
        let clock = board.map(|b| b.deadline_clock.clone()).unwrap_or_default();
        use_effect_with(lvl, move |lvl| match *lvl {
            "amber" => notify(&format!("15 minutes or less to the rollback deadline ({clock}).")),
            "red" => notify(&format!("The rollback deadline ({clock}) has passed.")),
            _ => {}
        });
    }
    let text = match (board, left) {
        (Some(b), _) if b.called => "Rollback under way".to_string(),
        (Some(b), Some(s)) if s >= 0.0 => {
            let s = s as u64;
            let left = match s / 3600 {
                0 => format!("{}:{:02}", s / 60, s % 60),
                h => format!("{h}:{:02}:{:02}", s / 60 % 60, s % 60),
            };
            format!("Call a rollback by {} · {left} left", b.deadline_clock)
        }
        (Some(b), Some(s)) => format!("Rollback deadline {} passed {} min ago", b.deadline_clock, (-s / 60.0).ceil()),
        (Some(_), None) => "No time left for a complete rollback".to_string(),
        (None, _) => "Live".to_string(),
    };
    html! { <p class={classes!("countdown", lvl)} role="timer" aria-live="off">{ text }</p> }
}
