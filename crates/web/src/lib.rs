//! The browser app: edit a plan, see its findings, graph and timeline,
//! rehearse a failure, read the odds, share a link. State lives in one
//! reducer (`state`); components take props and callbacks; every figure comes
//! from the core.

// The app runs in the browser only; a native build of this crate is empty.
#![cfg(target_arch = "wasm32")]

pub mod api;
mod compare;
mod editor;
mod findings;
mod graph;
mod markdown;
mod odds;
mod rehearse;
mod report;
mod share;
mod state;
#[cfg(test)]
mod tests;
mod timeline;

use std::rc::Rc;

use yew::prelude::*;

use retreat_core::examples::{EXAMPLES, LARGE_STEPS, large};
use retreat_core::link;
use compare::CompareView;
use editor::Editor;
use findings::{Findings, summary_line};
use graph::GraphView;
use odds::{OddsView, Runner};
use rehearse::Rehearse;
use report::ReportView;
use state::{Action, Notice, NoticeKind, Odds, State, Tab};
use timeline::Timeline;

/// Mounts the app on the page's body.
pub fn start() {
    // Through Yew, which would otherwise install its own hook when it renders.
    yew::set_custom_panic_hook(Box::new(crashed));
    yew::Renderer::<App>::new().render();
}

/// If the app ever panics, the page says so and hands over the user's text,
/// with nothing that needs the (now stopped) app to work: a text box to copy
/// from and a download link. The text is also in local storage already.
fn crashed(info: &std::panic::PanicHookInfo<'_>) {
    let message = info.to_string();
    gloo::console::error!(format!("Retreat stopped: {message}"));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let text = document
        .query_selector("textarea.source")
        .ok()
        .flatten()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(e).ok())
        .map(|t| t.value())
        .or_else(|| share::load_draft().map(|d| d.text))
        .unwrap_or_default();
    let build = || -> Option<()> {
        let overlay = document.create_element("div").ok()?;
        overlay.set_id("crash");
        overlay.set_attribute("role", "alert").ok()?;
        let title = document.create_element("h2").ok()?;
        title.set_text_content(Some("Retreat stopped because of a bug."));
        let body = document.create_element("p").ok()?;
        body.set_text_content(Some(&format!(
            "Your text is safe: it is saved in this browser, and here it is to copy or download. Reloading the page restores it. What happened: {message}"
        )));
        let area = document.create_element("textarea").ok()?;
        area.set_attribute("readonly", "").ok()?;
        area.set_attribute("aria-label", "Your plan's text").ok()?;
        area.set_text_content(Some(&text));
        let link = document.create_element("a").ok()?;
        link.set_text_content(Some("Download the plan"));
        link.set_attribute("download", "plan.yaml").ok()?;
        if let Some(url) = share::blob_url(&text, "text/yaml") {
            link.set_attribute("href", &url).ok()?;
        }
        for child in [&title, &body, &area, &link] {
            overlay.append_child(child).ok()?;
        }
        document.body()?.append_child(&overlay).ok()?;
        Some(())
    };
    let _ = build();
}

/// Quiet time after an analysis before Monte Carlo starts, in milliseconds.
const ODDS_AFTER_MS: u32 = 400;

/// Links longer than this may be cut by mail and chat tools.
const LONG_LINK: usize = 2_000;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let (text, aside, notice) = share::startup();
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
                let report = Callback::from(
                    move |(done, total, result): (u32, u32, Option<retreat_core::sim::MonteCarlo>)| match result {
                        Some(result) => dispatch.dispatch(Action::OddsDone { generation, result }),
                        None => dispatch.dispatch(Action::OddsProgress { generation, done, total }),
                    },
                );
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

fn notice_bar(state: &UseReducerHandle<State>) -> Html {
    let dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Notify(None)))
    };
    let restore = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::RestoreAside))
    };
    let Some(notice) = &state.notice else {
        return html! {};
    };
    let (class, role) = match notice.kind {
        NoticeKind::Info => ("notice info", "status"),
        NoticeKind::Error => ("notice error", "alert"),
    };
    html! {
        <div class={class} {role}>
            <span>{ &notice.text }</span>
            if state.aside.is_some() {
                <button onclick={restore}>{ "Restore my draft" }</button>
            }
            <button class="dismiss" onclick={dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TabsProps {
    current: Tab,
    dispatch: UseReducerDispatcher<State>,
}

#[function_component(Tabs)]
fn tabs(props: &TabsProps) -> Html {
    let buttons = Tab::ALL.iter().enumerate().map(|(k, &(tab, title))| {
        let d = props.dispatch.clone();
        let onclick = Callback::from(move |_| d.dispatch(Action::SetTab(tab)));
        let d = props.dispatch.clone();
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            let n = Tab::ALL.len();
            let to = match e.key().as_str() {
                "ArrowRight" => Some((k + 1) % n),
                "ArrowLeft" => Some((k + n - 1) % n),
                "Home" => Some(0),
                "End" => Some(n - 1),
                _ => None,
            };
            if let Some(to) = to {
                e.prevent_default();
                d.dispatch(Action::SetTab(Tab::ALL[to].0));
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|doc| doc.get_element_by_id(&format!("tab-{:?}", Tab::ALL[to].0)))
                    && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
                {
                    let _ = el.focus();
                }
            }
        });
        let selected = props.current == tab;
        html! {
            <button role="tab" id={format!("tab-{tab:?}")} aria-selected={selected.to_string()} aria-controls="panel"
                    tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("current"))}
                    {onclick} {onkeydown}>{ title }</button>
        }
    });
    html! { <nav class="tabs" role="tablist" aria-label="Views">{ for buttons }</nav> }
}

#[derive(Properties, PartialEq)]
struct ExampleMenuProps {
    text: Rc<String>,
    dispatch: UseReducerDispatcher<State>,
}

#[function_component(ExampleMenu)]
fn example_menu(props: &ExampleMenuProps) -> Html {
    let onchange = {
        let dispatch = props.dispatch.clone();
        let current = props.text.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let choice = select.value();
            select.set_value("");
            let (text, name) = if choice == "large" {
                (large(), format!("a generated plan of {LARGE_STEPS} steps"))
            } else if let Some((_, title, text)) = EXAMPLES.iter().find(|(f, _, _)| *f == choice) {
                (text.to_string(), format!("\u{201c}{title}\u{201d}"))
            } else {
                return;
            };
            // Keep what was there, unless it is an example anyway.
            let own = !EXAMPLES.iter().any(|(_, _, t)| *t == current.as_str()) && !current.trim().is_empty();
            share::set_fragment("");
            let notice = Notice {
                kind: NoticeKind::Info,
                text: if own {
                    format!("Opened {name}. Your own text is kept aside.")
                } else {
                    format!("Opened {name}.")
                },
            };
            if own {
                share::save_aside(&current);
            }
            dispatch.dispatch(Action::Load { text, aside: own.then(|| (*current).clone()), notice: Some(notice) });
        })
    };
    html! {
        <label class="examples">
            <span class="visually-hidden">{ "Examples" }</span>
            <select {onchange} aria-label="Open an example plan">
                <option value="" selected=true>{ "Open an example…" }</option>
                { for EXAMPLES.iter().map(|(file, title, _)| html! { <option value={*file}>{ *title }</option> }) }
                <option value="large">{ format!("Large: a generated plan of {LARGE_STEPS} steps") }</option>
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
struct ShareProps {
    text: Rc<String>,
}

#[function_component(ShareBox)]
fn share_box(props: &ShareProps) -> Html {
    let url = use_state(|| None::<String>);
    let copy = {
        let url = url.clone();
        let text = props.text.clone();
        Callback::from(move |_| {
            let fragment = link::encode(&text);
            share::set_fragment(&fragment);
            let full = share::url_with(&fragment);
            share::copy_to_clipboard(&full);
            url.set(Some(full));
        })
    };
    let download = {
        let text = props.text.clone();
        Callback::from(move |_| share::download_as("plan.yaml", "text/yaml", &text))
    };
    let shown = (*url).clone();
    html! {
        <div class="share">
            <button onclick={copy}>{ "Copy link" }</button>
            <button onclick={download}>{ "Download" }</button>
            if let Some(u) = shown {
                <span class={classes!("link-length", (u.len() > LONG_LINK).then_some("long"))} role="status">
                    { format!("Link copied: {} characters", u.len()) }
                    if u.len() > LONG_LINK {
                        { " — long links may be cut by mail and chat; send the file instead (Download)" }
                    }
                </span>
                <input class="link-text" readonly=true value={u} aria-label="The share link" />
            }
        </div>
    }
}
