//! Rehearse mode: choose where the change fails and get the rollback runbook
//! for that moment, with clock times, and a clock to run through it step by
//! step, ticking each item off: the rehearsal nobody can do on the live system.

use std::collections::BTreeMap;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use retreat_core::Analysis;
use retreat_core::sim::{Verdict, say};

use super::clock::now_ms;
use super::ptr::Ptr;

#[derive(Properties, PartialEq)]
pub struct RehearseProps {
    pub analysis: Ptr<Analysis>,
    pub failing: Option<usize>,
    pub ticks: BTreeMap<usize, f64>,
    pub clock_started: Option<f64>,
    pub on_fail: Callback<usize>,
    pub on_tick: Callback<(usize, f64)>,
    pub on_start: Callback<f64>,
    pub on_reset: Callback<()>,
}

/// One line of the runbook.
struct Item {
    /// Planned start and end, seconds from the window's start.
    from: f64,
    to: f64,
    title: String,
    detail: Option<String>,
    owner: Option<String>,
    /// Whether the team ticks it off.
    action: bool,
    wave: Option<usize>,
    /// Why it starts after it could: "waits 15 min for DBA" (a crew busy).
    wait: Option<String>,
}

#[function_component(Rehearse)]
pub fn rehearse(props: &RehearseProps) -> Html {
    // Re-render once a second while the rehearsal clock runs.
    let beat = use_state(|| 0u32);
    {
        let beat = beat.clone();
        use_effect_with(props.clock_started, move |started| {
            let interval = started.map(|_| Interval::new(1_000, move || beat.set(beat.wrapping_add(1))));
            move || drop(interval)
        });
    }
    let analysis = &props.analysis;
    let (Some(sim), Some(graph)) = (&analysis.simulation, &analysis.graph) else {
        return html! { <p class="empty">{ "Add a `window` to rehearse a rollback on its clock." }</p> };
    };
    let steps = &analysis.plan.steps;
    let choose = {
        let on_fail = props.on_fail.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse() {
                on_fail.emit(i);
            }
        })
    };
    let options = sim.points.iter().map(|p| {
        let id = steps.get(p.step).map_or("", |s| s.id());
        html! { <option value={p.step.to_string()} selected={props.failing == Some(p.step)}>{ format!("{id} (fails at {})", sim.clock(p.fail)) }</option> }
    });
    let picker = html! {
        <label class="picker">{ "Fail here: " }
            <select onchange={choose} aria-label="The step that fails">{ for options }</select>
        </label>
    };
    let Some(point) = props.failing.and_then(|s| sim.points.iter().find(|p| p.step == s)) else {
        return html! { <div class="rehearse">{ picker }<p>{ "Choose a step to fail." }</p></div> };
    };
    let book = sim.runbook(&analysis.plan, graph, point);
    if let Verdict::NoWayBack { irreversible } = &book.verdict {
        let irreversible: Vec<String> = irreversible
            .iter()
            .filter_map(|&i| steps.get(i))
            .filter_map(|s| s.irreversible.as_ref().map(|r| format!("{}: {}", s.id(), r.value)))
            .collect();
        return html! {
            <div class="rehearse">
                { picker }
                <div class="no-way-back" role="alert">
                    <h3>{ format!("No way back: if `{}` fails at {}, a complete rollback is impossible.", book.id, sim.clock(book.fail)) }</h3>
                    <p>{ "These irreversible steps have already run:" }</p>
                    <ul>{ for irreversible.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
                    <p>{ "Decide go/no-go before them; after them, the only way is forward." }</p>
                </div>
            </div>
        };
    }
    let mut items = vec![Item {
        from: book.fail,
        to: book.fail,
        title: format!("`{}` fails", book.id),
        detail: book.what.map(String::from),
        owner: None,
        action: false,
        wave: None,
        wait: None,
    }];
    items.push(Item {
        from: book.fail,
        to: book.called,
        title: "Call the rollback and announce it".into(),
        detail: Some(book.announce.map_or_else(|| "(The plan says nobody is told: R006.)".to_string(), String::from)),
        owner: None,
        action: true,
        wave: None,
        wait: None,
    });
    // Every undo undoes a change, and is ticked off.
    items.extend(book.undos.iter().map(|u| Item {
        from: u.start,
        to: u.end,
        title: format!("Undo `{}`", u.id),
        detail: Some(u.what.map_or_else(
            || {
                let did = steps.get(u.step).and_then(|s| s.do_.as_ref()).map_or("", |d| d.as_str());
                format!("(No undo written: R001. The step did: {did})")
            },
            String::from,
        )),
        owner: u.owner.map(String::from),
        action: true,
        wave: Some(u.wave),
        wait: waits(u.ready, u.start, u.owner),
    }));
    items.push(Item {
        from: book.verify.start,
        to: book.verify.end,
        title: "Verify the system is back to its baseline".into(),
        detail: Some(book.verify.what.map_or_else(|| "(The plan says no check: R007.)".to_string(), String::from)),
        owner: book.verify.owner.map(String::from),
        action: true,
        wave: None,
        wait: None,
    });
    let elapsed = props.clock_started.map(|s| (now_ms() - s) / 1000.0);
    let clock = elapsed.map(|e| book.fail + e);
    let rows = items.iter().enumerate().map(|(k, item)| {
        let ticked = props.ticks.get(&k).copied();
        let on_tick = props.on_tick.clone();
        let started = props.clock_started;
        let toggle = Callback::from(move |_| on_tick.emit((k, started.map_or(0.0, |s| now_ms() - s))));
        let when = if item.from == item.to { sim.clock(item.from) } else { format!("{}–{}", sim.clock(item.from), sim.clock(item.to)) };
        let status = ticked.filter(|_| props.clock_started.is_some()).map(|ms| {
            let done_at = book.fail + ms / 1000.0;
            let late = done_at - item.to;
            if late > 30.0 {
                html! { <span class="late">{ format!("ticked {} — {} late", sim.clock(done_at), say(late)) }</span> }
            } else {
                html! { <span class="on-time">{ format!("ticked {} — on time", sim.clock(done_at)) }</span> }
            }
        });
        html! {
            <li class={classes!("runbook-item", ticked.is_some().then_some("done"))}>
                <span class="when">{ when }</span>
                <div class="what">
                    if let Some(w) = item.wave {
                        <span class="wave">{ format!("wave {}", w + 1) }</span>
                    }
                    <strong>{ super::markdown::inline(&retreat_core::show_invisible(&item.title)) }</strong>
                    { for item.owner.as_ref().map(|o| html! { <span class="owner">{ format!(" — {o}") }</span> }) }
                    { for item.wait.as_ref().map(|w| html! { <span class="wait">{ format!(" ({w})") }</span> }) }
                    { for item.detail.as_ref().map(|d| html! { <p>{ retreat_core::show_invisible(d).into_owned() }</p> }) }
                    { for status }
                </div>
                if item.action {
                    <label class="tick">
                        <input type="checkbox" checked={ticked.is_some()} onchange={toggle} aria-label={format!("Done: {}", item.title)} />
                        { "done" }
                    </label>
                }
            </li>
        }
    });
    let (done, closes) = (sim.clock(book.verify.end), sim.clock(sim.window_length));
    let margin = match book.verdict {
        Verdict::Fits { margin } => {
            html! { <p class="verdict fits">{ format!("Done at {done}, {} before the window closes at {closes}.", say(margin)) }</p> }
        }
        Verdict::Overruns { by } => {
            html! { <p class="verdict overrun" role="alert">{ format!("Done at {done}: {} after the window closes at {closes}.", say(by)) }</p> }
        }
        // Shown above, instead of the runbook.
        Verdict::NoWayBack { .. } => html! {},
    };
    let leftovers = if book.leftovers.is_empty() {
        html! { <p class="leftovers none">{ "Nothing is left off its baseline." }</p> }
    } else {
        html! {
            <div class="leftovers">
                <h4>{ "Left behind after this rollback" }</h4>
                <ul>{ for book.leftovers.iter().map(|l| html! { <li><code>{ &l.resource }</code>{ format!(" stays {} (baseline {}), set by {}", l.state, l.baseline, steps.get(l.set_by).map_or("", |s| s.id())) }</li> }) }</ul>
            </div>
        }
    };
    let on_start = props.on_start.clone();
    let on_reset = props.on_reset.clone();
    html! {
        <div class="rehearse">
            { picker }
            <div class="clock" aria-live="polite">
                if let Some(now) = clock {
                    <span class="clock-face">{ format!("Rehearsal clock {} ({} in)", sim.clock(now), say(elapsed.unwrap_or(0.0))) }</span>
                    <button onclick={Callback::from(move |_| on_reset.emit(()))}>{ "Reset" }</button>
                } else {
                    <button onclick={Callback::from(move |_| on_start.emit(now_ms()))}>{ format!("Start the clock at {}", sim.clock(book.fail)) }</button>
                }
            </div>
            <ol class="runbook" aria-label="Rollback runbook">{ for rows }</ol>
            { margin }
            { leftovers }
        </div>
    }
}

/// "waits 15 min for DBA" when an undo ready at `ready` starts at `start`
/// (its owner's crew is busy until then); `None` when it starts when ready.
pub(crate) fn waits(ready: f64, start: f64, owner: Option<&str>) -> Option<String> {
    (start - ready >= 1.0).then(|| format!("waits {} for {}", say(start - ready), owner.unwrap_or("its owner")))
}
