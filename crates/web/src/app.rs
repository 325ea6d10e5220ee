//! The app: the one reducer (`state`), the effects that talk to the browser
//! (autosave, Monte Carlo in the odds' worker, the crash test hook), and the
//! layout of the components, each given props and callbacks.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::{Interval, Timeout};
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::analysis::analysed;
use super::compare::CompareView;
use super::editor::Editor;
use super::example_menu::{ExampleMenu, Opened};
use super::findings::{Findings, summary_line};
use super::graph::GraphView;
use super::guesses::guesses_panel;
use super::importer::{self, Given};
use super::live::{self, Click, Countdown, LiveView};
use super::notice_bar::notice_bar;
use super::odds::{OddsView, Report, Runner};
use super::ptr::Ptr;
use super::rehearse::Rehearse;
use super::report::ReportView;
use super::share::{self, Saved};
use super::share_box::ShareBox;
use super::startup;
use super::state::{Action, Notice, NoticeKind, Odds, State, Tab};
use super::tabs::Tabs;
use super::timeline::Timeline;
use super::undo_log;
use retreat_core::Span;

/// Quiet time after an analysis before Monte Carlo starts, in milliseconds:
/// short, since the odds run in a worker and never hold up the next
/// keystroke; a burst of analyses asks the worker once.
const ODDS_AFTER_MS: u32 = 100;

/// The callbacks the components are given. Each one dispatches an action
/// (reading what the action needs first), so they are made once, and the
/// props that hold them stay equal from one render to the next.
struct Handlers {
    edit: Callback<String>,
    jump: Callback<(Span, Option<usize>)>,
    select: Callback<usize>,
    fail: Callback<usize>,
    tick: Callback<(usize, f64)>,
    start: Callback<f64>,
    reset: Callback<()>,
    pick: Callback<Tab>,
    open: Callback<Opened>,
    restore: Callback<Ptr<String>>,
    dismiss: Callback<MouseEvent>,
    dismiss_guesses: Callback<MouseEvent>,
    notify: Callback<Notice>,
}

impl Handlers {
    fn new(dispatcher: &UseReducerDispatcher<State>) -> Handlers {
        let dispatch = dispatcher.to_callback();
        Handlers {
            edit: dispatch.reform(|text| Action::Edit(analysed(text))),
            jump: dispatch.reform(|(span, step)| Action::JumpTo { span, step }),
            select: dispatch.reform(Action::Reveal),
            fail: dispatch.reform(|step| Action::Fail(Some(step))),
            tick: dispatch.reform(|(item, at)| Action::Tick { item, at }),
            start: dispatch.reform(Action::StartClock),
            reset: dispatch.reform(|()| Action::ResetClock),
            pick: dispatch.reform(Action::SetTab),
            open: dispatch.reform(|o: Opened| Action::Load {
                analysed: analysed(o.text),
                aside: o.aside,
                notice: Some(o.notice),
                guesses: None,
            }),
            restore: dispatch.reform(|draft: Ptr<String>| Action::RestoreAside(analysed((*draft).clone()))),
            dismiss: dispatch.reform(|_| Action::Notify(None)),
            dismiss_guesses: dispatch.reform(|_| Action::DismissGuesses),
            notify: dispatch.reform(|n| Action::Notify(Some(n))),
        }
    }
}

/// The text in the editor, read when an import comes back.
type Current = Rc<RefCell<Ptr<String>>>;

/// The plan and the live log as they are now, read when a click or an
/// answer of the live module comes.
#[derive(Clone)]
struct LiveNow {
    plan: Ptr<String>,
    log: Option<Ptr<String>>,
    busy: bool,
}

type LiveCtx = Rc<RefCell<LiveNow>>;

/// Hands `click` to the live module; its answer becomes the state's
/// (a look's only if the log has not changed since it was asked).
fn live_click(dispatch: UseReducerDispatcher<State>, ctx: LiveCtx, click: Click) {
    let now = ctx.borrow().clone();
    let log = now.log.as_deref().map_or(String::new(), |l| (*l).clone());
    if click.act != "look" && (now.busy || (now.log.is_none() && click.act != "start")) {
        return;
    }
    let act = click.act;
    if act == "download" {
        live::ask(&now.plan, &log, &click, move |answer| match answer {
            Ok((text, _)) => share::download_as("run-log.yaml", "application/yaml", &text),
            Err(why) => dispatch.dispatch(Action::LiveFailed(why)),
        });
        return;
    }
    if act != "look" {
        dispatch.dispatch(Action::LiveBusy);
    }
    let asked = log.clone();
    live::ask(&now.plan, &log, &click, move |answer| match answer {
        Ok((log, board)) => {
            let current = ctx.borrow().log.as_deref().map(|l| (*l).clone());
            if act == "start" {
                dispatch.dispatch(Action::LiveOpen(log.clone()));
            } else if act == "look" && current.as_deref() != Some(asked.as_str()) {
                return;
            }
            dispatch.dispatch(Action::LiveAnswer { log, board });
        }
        Err(why) => dispatch.dispatch(Action::LiveFailed(why)),
    });
}

/// Whether `text` is the user's own (kept aside when something is opened
/// over it), not empty and not an example as it came.
fn own(text: &str) -> bool {
    !text.trim().is_empty() && !retreat_core::examples::EXAMPLES.iter().any(|(_, _, t)| *t == text)
}

/// Imports `given` in the import worker; its plan replaces the text, which
/// is kept aside (in the page and in storage) as when a link is opened
/// over it. A paste that cannot be imported is pasted as it is (`as_text`).
fn run_import(dispatch: UseReducerDispatcher<State>, current: Current, given: Given) {
    let as_text = given.as_text();
    let notify = |dispatch: &UseReducerDispatcher<State>, kind, text| {
        dispatch.dispatch(Action::Notify(Some(Notice { kind, text })))
    };
    notify(&dispatch, NoticeKind::Info, "Importing…".into());
    importer::import(given, move |answer, source| match answer {
        Ok(imported) => {
            let previous = current.borrow().clone();
            let keep = own(&previous);
            if keep {
                share::save_aside(&previous);
            }
            share::set_fragment("");
            let kept = if keep { " Your previous text is kept aside: restore it any time." } else { "" };
            dispatch.dispatch(Action::Load {
                analysed: analysed(imported.yaml),
                aside: keep.then(|| (*previous).clone()),
                notice: Some(Notice {
                    kind: NoticeKind::Info,
                    text: format!("Imported {source} ({}).{kept}", imported.format),
                }),
                guesses: Some(imported.guesses),
            });
        }
        Err(why) => match as_text {
            Some(t) => {
                dispatch.dispatch(Action::Edit(analysed(t)));
                notify(
                    &dispatch,
                    NoticeKind::Error,
                    format!("Could not import {source} ({why}), so it was pasted as it is."),
                );
            }
            None => {
                notify(&dispatch, NoticeKind::Error, format!("Could not import {source}: {why}. Nothing was replaced."))
            }
        },
    });
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let (text, aside, notice) = startup::opening();
        let mut state = State::new(analysed(text), aside, notice);
        let (log, live_notice) = startup::live_opening();
        if let Some(log) = log {
            let history = share::load_live_undo().map(|kept| undo_log::decode(&kept, &log)).unwrap_or_default();
            state.live =
                Some(super::state::Live { log: Ptr::new(log), board: None, history, busy: false, error: None });
            state.tab = Tab::Live;
        }
        state.notice = live_notice.or(state.notice);
        state
    });
    let on = use_memo(state.dispatcher(), Handlers::new);
    let current: Current = use_mut_ref(|| state.text.clone());
    current.replace(state.text.clone());
    let live_ctx: LiveCtx = use_mut_ref(|| LiveNow { plan: state.text.clone(), log: None, busy: false });
    live_ctx.replace(LiveNow {
        plan: state.text.clone(),
        log: state.live.as_ref().map(|l| l.log.clone()),
        busy: state.live.as_ref().is_some_and(|l| l.busy),
    });
    let live_on = {
        let (dispatch, ctx) = (state.dispatcher(), live_ctx.clone());
        use_memo((), move |()| {
            let click = {
                let (dispatch, ctx) = (dispatch.clone(), ctx.clone());
                Callback::from(move |c: Click| live_click(dispatch.clone(), ctx.clone(), c))
            };
            let undo = dispatch.to_callback().reform(|()| Action::LiveUndo);
            let end = {
                let dispatch = dispatch.clone();
                Callback::from(move |()| {
                    let sure = web_sys::window().and_then(|w| {
                        w.confirm_with_message("End the live window? Its run log is forgotten in this browser: download it first to keep it.").ok()
                    });
                    if sure == Some(true) {
                        share::LIVE.clear();
                        share::clear_live_undo();
                        dispatch.dispatch(Action::LiveEnd);
                    }
                })
            };
            let share_link = {
                let (dispatch, ctx) = (dispatch.clone(), ctx.clone());
                Callback::from(move |()| {
                    let now = ctx.borrow().clone();
                    let Some(log) = now.log else { return };
                    let dispatch = dispatch.clone();
                    live::link(&now.plan, &log, move |made| {
                        let notice = match made {
                            Ok(fragment) => {
                                share::copy_to_clipboard(&share::url_with(&fragment));
                                Notice { kind: NoticeKind::Info, text: "Copied a link that carries the plan and its run log: whoever opens it sees this board.".into() }
                            }
                            Err(why) => {
                                Notice { kind: NoticeKind::Error, text: format!("Could not make the link: {why}") }
                            }
                        };
                        dispatch.dispatch(Action::Notify(Some(notice)));
                    });
                })
            };
            let load = {
                let dispatch = dispatch.clone();
                Callback::from(move |e: Event| {
                    let input = e.target().map(JsValue::from).unwrap_or_default();
                    let dispatch = dispatch.clone();
                    live::read_file(&input, move |read| match read {
                        Ok(log) => dispatch.dispatch(Action::LiveOpen(log)),
                        Err(why) => {
                            dispatch.dispatch(Action::Notify(Some(Notice { kind: NoticeKind::Error, text: why })))
                        }
                    });
                })
            };
            (click, undo, end, share_link, load)
        })
    };
    // Imports: a paste the editor hands over, a drop on the editor, a file picked.
    let on_paste = {
        let (dispatch, current) = (state.dispatcher(), current.clone());
        use_memo((), move |()| {
            Callback::from(move |p: JsValue| run_import(dispatch.clone(), current.clone(), Given::Pasted(p)))
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let taken = |how: fn(&JsValue) -> JsValue, of: fn(&Event) -> JsValue| {
        let (dispatch, current) = (state.dispatcher(), current.clone());
        move |e: &Event| run_import(dispatch.clone(), current.clone(), Given::Taken(how(&of(e))))
    };
    let ondrop = {
        let take = taken(importer::take_drop, |e| js_sys::Reflect::get(e, &"dataTransfer".into()).unwrap_or_default());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            take(&e)
        })
    };
    let onpick = {
        let take = taken(importer::take_picked, |e| e.target().map(JsValue::from).unwrap_or_default());
        Callback::from(move |e: Event| take(&e))
    };

    // Autosave: every new text is the draft (not the text the page opened
    // with: saving that would only overwrite another tab's work; nor a text
    // equal to the one before, such as an example opened over itself).
    {
        let dispatch = state.dispatcher();
        let notice = state.notice.clone();
        let seen = use_mut_ref(|| None::<Ptr<String>>);
        use_effect_with(state.text.clone(), move |text| {
            let before = seen.borrow_mut().replace(text.clone());
            if before.is_none_or(|b| *b == **text) {
                return;
            }
            let link = Some(share::fragment()).filter(|f| !f.is_empty());
            let problem = match share::save_draft(text, link, false) {
                Saved::Shared => None,
                Saved::Apart => Some(Notice {
                    kind: NoticeKind::Error,
                    text: "Another tab changed the saved draft. Your text here is saved apart, so neither overwrites the other; reloading this tab keeps it.".into(),
                }),
                Saved::Failed(e) => Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!("Your draft could not be saved in this browser ({e}). It stays in the page: download it to keep it."),
                }),
            };
            if let Some(p) = problem
                && notice.as_ref() != Some(&p)
            {
                dispatch.dispatch(Action::Notify(Some(p)));
            }
        });
    }
    // A test hook: `?debug-panic` makes the app panic, to show what a crash does.
    use_effect_with((), |()| {
        let asked =
            web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|q| q.contains("debug-panic"));
        #[allow(clippy::panic)]
        if asked {
            panic!("a panic asked for with ?debug-panic");
        }
    });
    // Monte Carlo for each new analysis, in the odds' worker, once typing
    // has paused; the runner of an older analysis stops when dropped.
    {
        let dispatch = state.dispatcher();
        let (analysis, text) = (state.analysis.clone(), state.text.clone());
        use_effect_with(state.generation, move |&generation| {
            let runner: Rc<RefCell<Option<Runner>>> = Rc::default();
            let slot = runner.clone();
            let start = Timeout::new(ODDS_AFTER_MS, move || {
                if analysis.simulation.is_none() {
                    return;
                }
                let report = Callback::from(move |report: Report| match report {
                    Report::Done { result, ms } => dispatch.dispatch(Action::OddsDone { generation, result, ms }),
                    Report::Progress { done, total } => {
                        dispatch.dispatch(Action::OddsProgress { generation, done, total })
                    }
                });
                *slot.borrow_mut() = Some(Runner::start(generation, &text, analysis, report));
            });
            move || {
                drop(start);
                drop(runner.borrow_mut().take());
            }
        });
    }

    // Live: the board follows the log and the plan, and the clock (a look
    // every 20 s); the log is saved as it is written, as drafts are.
    {
        let (dispatch, ctx) = (state.dispatcher(), live_ctx.clone());
        let log = state.live.as_ref().map(|l| l.log.clone());
        use_effect_with((log, state.text.clone()), move |(log, _)| {
            let tick = log.as_ref().map(|_| {
                live_click(dispatch.clone(), ctx.clone(), Click::look());
                Interval::new(20_000, move || live_click(dispatch.clone(), ctx.clone(), Click::look()))
            });
            move || drop(tick)
        });
    }
    {
        let dispatch = state.dispatcher();
        // The log the page opened with is in storage already; every later
        // one (a new window's first) is saved.
        let opened = state.live.as_ref().map(|l| l.log.clone());
        let seen = use_mut_ref(move || opened);
        let live = state.live.as_ref().map(|l| (l.log.clone(), l.history.clone()));
        use_effect_with(live, move |live| {
            let Some((log, history)) = live else { return };
            share::save_live_undo(&undo_log::encode(history, log));
            let before = seen.borrow_mut().replace(log.clone());
            if before.is_some_and(|b| *b == **log) {
                return;
            }
            let problem = match share::LIVE.save(log, None, false) {
                Saved::Shared => None,
                Saved::Apart => Some("Another tab changed the saved run log. This tab's log is saved apart, so neither overwrites the other.".to_string()),
                Saved::Failed(e) => Some(format!("The run log could not be saved in this browser ({e}): download it to keep it.")),
            };
            if let Some(text) = problem {
                dispatch.dispatch(Action::Notify(Some(Notice { kind: NoticeKind::Error, text })));
            }
        });
    }

    let analysis = &state.analysis;
    let panel = match state.tab {
        Tab::Findings => {
            html! { <Findings analysis={analysis.clone()} text={state.text.clone()} on_jump={on.jump.clone()} /> }
        }
        Tab::Graph => {
            html! { <GraphView analysis={analysis.clone()} text={state.text.clone()} selected={state.selected} failing={state.failing} on_select={on.select.clone()} /> }
        }
        Tab::Timeline => {
            html! { <Timeline analysis={analysis.clone()} text={state.text.clone()} failing={state.failing} on_fail={on.fail.clone()} /> }
        }
        Tab::Rehearse => html! {
            <Rehearse analysis={analysis.clone()} failing={state.failing} ticks={state.ticks.clone()}
                      clock_started={state.clock_started} on_fail={on.fail.clone()} on_tick={on.tick.clone()}
                      on_start={on.start.clone()} on_reset={on.reset.clone()} />
        },
        Tab::Odds => {
            html! { <OddsView analysis={analysis.clone()} odds={state.odds.clone()} failing={state.failing} on_fail={on.fail.clone()} /> }
        }
        Tab::Compare => {
            html! { <CompareView analysis={analysis.clone()} text={state.text.clone()} aside={state.aside.clone()} /> }
        }
        Tab::Report => {
            html! { <ReportView analysis={analysis.clone()} text={state.text.clone()} odds={state.odds.clone()} /> }
        }
        Tab::Live => {
            let (click, undo, end, share_link, load) = (*live_on).clone();
            let can_start = analysis.simulation.is_some() && analysis.graph.is_some();
            html! { <LiveView live={state.live.clone()} {can_start} on_click={click} on_undo={undo} on_end={end}
            on_share={share_link} on_load={load} /> }
        }
    };
    html! {
        <main class="app" data-analysis-ms={format!("{:.3}", state.analysis_ms)} data-odds={odds_flag(&state.odds)}
              data-odds-ms={state.odds_ms.map(|ms| format!("{ms:.0}"))}>
            <header class="top">
                <h1>{ "Retreat" }</h1>
                <p class="tagline">{ "Will your rollback still fit in the change window?" }</p>
                <ExampleMenu text={state.text.clone()} on_open={on.open.clone()} />
                <label class="import-file" title="Or drop files or a directory on the editor">
                    { "Import…" }
                    <input type="file" multiple=true onchange={onpick} aria-label="Import a plan from a file" />
                </label>
                <ShareBox text={state.text.clone()} on_notice={on.notify.clone()} />
                if let Some(l) = &state.live {
                    <Countdown board={l.board.clone()} />
                }
            </header>
            if let Some(notice) = &state.notice {
                { notice_bar(notice, state.aside.as_ref(), &on.restore, &on.dismiss) }
            }
            <section class="editor" aria-label="Plan" {ondragover} {ondrop}>
                if let Some(g) = &state.guesses {
                    { guesses_panel(g, &on.dismiss_guesses) }
                }
                <Editor text={state.text.clone()} analysis={analysis.clone()} jump={state.jump} on_edit={on.edit.clone()}
                        on_paste={(*on_paste).clone()} />
            </section>
            <section class="panels" aria-label="Analysis">
                <p class="summary" role="status">{ summary_line(analysis) }</p>
                <Tabs current={state.tab} on_pick={on.pick.clone()} />
                <div class="panel" role="tabpanel" id="panel" aria-labelledby={format!("tab-{:?}", state.tab)}>{ panel }</div>
            </section>
        </main>
    }
}

fn odds_flag(odds: &Odds) -> &'static str {
    match odds {
        Odds::Running { .. } => "running",
        Odds::Done(_) => "done",
        Odds::None => "none",
    }
}
