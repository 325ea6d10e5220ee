//! The app: the one reducer (`state`), the effects that talk to the browser
//! (autosave, Monte Carlo between frames, the crash test hook), and the
//! layout of the components, each given props and callbacks.

use std::rc::Rc;

use yew::prelude::*;

use super::compare::CompareView;
use super::editor::Editor;
use super::example_menu::ExampleMenu;
use super::findings::{Findings, summary_line};
use super::graph::GraphView;
use super::notice_bar::notice_bar;
use super::odds::{OddsView, Runner};
use super::rehearse::Rehearse;
use super::report::ReportView;
use super::share;
use super::share_box::ShareBox;
use super::startup;
use super::state::{Action, Notice, NoticeKind, Odds, State, Tab};
use super::tabs::Tabs;
use super::timeline::Timeline;

/// Quiet time after an analysis before Monte Carlo starts, in milliseconds.
const ODDS_AFTER_MS: u32 = 400;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let (text, aside, notice) = startup::opening();
        State::new(text, aside, notice)
    });

    // Autosave: every analysed text is the draft (not the text the page
    // opened with: saving that would only overwrite another tab's work).
    {
        let dispatch = state.dispatcher();
        let notice = state.notice.clone();
        let opened = use_mut_ref(|| true);
        use_effect_with(state.text.clone(), move |text| {
            if std::mem::replace(&mut *opened.borrow_mut(), false) {
                return;
            }
            let link = Some(share::fragment()).filter(|f| !f.is_empty());
            let problem = match share::save_draft(text, link, false) {
                share::Saved::Shared => None,
                share::Saved::Apart => Some(Notice {
                    kind: NoticeKind::Error,
                    text: "Another tab changed the saved draft. Your text here is saved apart, so neither overwrites the other; reloading this tab keeps it.".into(),
                }),
                share::Saved::Failed(e) => Some(Notice {
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
    // Monte Carlo for each new analysis, a few runs at a time, once typing
    // has paused (so it never competes with the next keystroke).
    {
        let dispatch = state.dispatcher();
        let analysis = state.analysis.clone();
        use_effect_with(state.generation, move |&generation| {
            let runner: std::rc::Rc<std::cell::RefCell<Option<Runner>>> = std::rc::Rc::default();
            let slot = runner.clone();
            let start = gloo::timers::callback::Timeout::new(ODDS_AFTER_MS, move || {
                let report =
                    Callback::from(move |(done, total, result): (u32, u32, Option<retreat_core::sim::MonteCarlo>)| {
                        match result {
                            Some(result) => dispatch.dispatch(Action::OddsDone { generation, result }),
                            None => dispatch.dispatch(Action::OddsProgress { generation, done, total }),
                        }
                    });
                *slot.borrow_mut() = Runner::start(analysis, report);
            });
            move || {
                drop(start);
                drop(runner.borrow_mut().take());
            }
        });
    }

    let on_edit = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(Action::Edit(text)))
    };
    let on_jump = {
        let dispatch = state.dispatcher();
        Callback::from(move |(span, step): (retreat_core::Span, Option<usize>)| {
            dispatch.dispatch(Action::Select(step));
            dispatch.dispatch(Action::JumpTo(span));
        })
    };
    let on_select = {
        let dispatch = state.dispatcher();
        Callback::from(move |step: usize| dispatch.dispatch(Action::Reveal(step)))
    };
    let on_fail = {
        let dispatch = state.dispatcher();
        Callback::from(move |step: usize| dispatch.dispatch(Action::Fail(Some(step))))
    };
    let diagnostics = Rc::new(state.analysis.diagnostics.clone());
    let panel = match state.tab {
        Tab::Findings => {
            html! { <Findings analysis={state.analysis.clone()} text={state.text.clone()} on_jump={on_jump} /> }
        }
        Tab::Graph => {
            html! { <GraphView analysis={state.analysis.clone()} selected={state.selected} failing={state.failing} on_select={on_select} /> }
        }
        Tab::Timeline => {
            html! { <Timeline analysis={state.analysis.clone()} failing={state.failing} on_fail={on_fail} /> }
        }
        Tab::Rehearse => {
            let d = state.dispatcher();
            let on_tick = Callback::from(move |(item, at): (usize, f64)| d.dispatch(Action::Tick { item, at }));
            let d = state.dispatcher();
            let on_start = Callback::from(move |at: f64| d.dispatch(Action::StartClock(at)));
            let d = state.dispatcher();
            let on_reset = Callback::from(move |()| d.dispatch(Action::ResetClock));
            html! {
                <Rehearse analysis={state.analysis.clone()} failing={state.failing} ticks={state.ticks.clone()}
                          clock_started={state.clock_started} on_fail={on_fail} {on_tick} {on_start} {on_reset} />
            }
        }
        Tab::Odds => {
            html! { <OddsView analysis={state.analysis.clone()} odds={state.odds.clone()} failing={state.failing} on_fail={on_fail} /> }
        }
        Tab::Compare => {
            html! { <CompareView analysis={state.analysis.clone()} text={state.text.clone()} aside={state.aside.clone()} /> }
        }
        Tab::Report => html! { <ReportView analysis={state.analysis.clone()} text={state.text.clone()} /> },
    };
    html! {
        <main class="app" data-analysis-ms={format!("{:.3}", state.analysis_ms)} data-odds={odds_flag(&state.odds)}>
            <header class="top">
                <h1>{ "Retreat" }</h1>
                <p class="tagline">{ "Will your rollback still fit in the change window?" }</p>
                <ExampleMenu text={state.text.clone()} dispatch={state.dispatcher()} />
                <ShareBox text={state.text.clone()} />
            </header>
            { notice_bar(&state) }
            <section class="editor" aria-label="Plan">
                <Editor text={state.text.clone()} {diagnostics} jump={state.jump} {on_edit} />
            </section>
            <section class="panels" aria-label="Analysis">
                <p class="summary" role="status">{ summary_line(&state.analysis) }</p>
                <Tabs current={state.tab} dispatch={state.dispatcher()} />
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
