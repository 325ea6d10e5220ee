//! Rehearse mode: choose where the change fails and get the rollback runbook
//! for that moment, with clock times, and a clock to run through it step by
//! step, ticking each item off: the rehearsal nobody can do on the live system.

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use retreat_core::Analysis;
use retreat_core::model::Kind;
use retreat_core::sim::say;

#[derive(Properties)]
pub struct RehearseProps {
    pub analysis: Rc<Analysis>,
    pub failing: Option<usize>,
    pub ticks: BTreeMap<usize, f64>,
    pub clock_started: Option<f64>,
    pub on_fail: Callback<usize>,
    pub on_tick: Callback<(usize, f64)>,
    pub on_start: Callback<f64>,
    pub on_reset: Callback<()>,
}

impl PartialEq for RehearseProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && self.failing == other.failing
            && self.ticks == other.ticks
            && self.clock_started == other.clock_started
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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
    let failing = &steps[point.step];
    if point.no_way_back {
        let irreversible: Vec<String> = sim
            .started(point)
            .iter()
            .filter_map(|&i| steps.get(i))
            .filter_map(|s| s.irreversible.as_ref().map(|r| format!("{}: {}", s.id(), r.value)))
            .collect();
        return html! {
            <div class="rehearse">
                { picker }
                <div class="no-way-back" role="alert">
                    <h3>{ format!("No way back: if `{}` fails at {}, a complete rollback is impossible.", failing.id(), sim.clock(point.fail)) }</h3>
                    <p>{ "These irreversible steps have already run:" }</p>
                    <ul>{ for irreversible.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
                    <p>{ "Decide go/no-go before them; after them, the only way is forward." }</p>
                </div>
            </div>
        };
    }
    let run = sim.rollback(graph, point);
    let rollback = analysis.plan.rollback.as_ref();
    let mut items = vec![Item {
        from: point.fail,
        to: point.fail,
        title: format!("`{}` fails", failing.id()),
        detail: failing.do_.as_ref().map(|d| d.value.clone()),
        owner: None,
        action: false,
        wave: None,
    }];
    items.push(Item {
        from: point.fail,
        to: run.called,
        title: "Call the rollback and announce it".into(),
        detail: Some(
            rollback
                .and_then(|r| r.announce.as_ref())
                .map_or_else(|| "(The plan says nobody is told: R006.)".to_string(), |a| a.value.clone()),
        ),
        owner: None,
        action: true,
        wave: None,
    });
    for (w, wave) in run.waves.iter().enumerate() {
        for &s in wave {
            let Some(u) = run.undos.iter().find(|u| u.step == s) else { continue };
            let step = &steps[s];
            let undo = step.undo.as_ref();
            items.push(Item {
                from: u.start,
                to: u.finish,
                title: format!("Undo `{}`", step.id()),
                detail: Some(undo.and_then(|u| u.do_.as_ref()).map_or_else(
                    || {
                        format!(
                            "(No undo written: R001. The step did: {})",
                            step.do_.as_ref().map_or("", |d| d.as_str())
                        )
                    },
                    |d| d.value.clone(),
                )),
                owner: undo.and_then(|u| u.owner.as_ref()).or(step.owner.as_ref()).map(|o| o.value.clone()),
                action: step.kind == Kind::Change,
                wave: Some(w),
            });
        }
    }
    let verify = rollback.and_then(|r| r.verify.as_ref());
    items.push(Item {
        from: run.verify_start,
        to: run.done,
        title: "Verify the system is back to its baseline".into(),
        detail: Some(
            verify
                .and_then(|v| v.do_.as_ref())
                .map_or_else(|| "(The plan says no check: R007.)".to_string(), |d| d.value.clone()),
        ),
        owner: verify.and_then(|v| v.owner.as_ref()).map(|o| o.value.clone()),
        action: true,
        wave: None,
    });
    let elapsed = props.clock_started.map(|s| (now_ms() - s) / 1000.0);
    let clock = elapsed.map(|e| point.fail + e);
    let rows = items.iter().enumerate().map(|(k, item)| {
        let ticked = props.ticks.get(&k).copied();
        let on_tick = props.on_tick.clone();
        let started = props.clock_started;
        let toggle = Callback::from(move |_| on_tick.emit((k, started.map_or(0.0, |s| now_ms() - s))));
        let when = if item.from == item.to { sim.clock(item.from) } else { format!("{}–{}", sim.clock(item.from), sim.clock(item.to)) };
        let status = ticked.filter(|_| props.clock_started.is_some()).map(|ms| {
            let done_at = point.fail + ms / 1000.0;
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
    let margin = if point.margin >= 0.0 {
        html! { <p class="verdict fits">{ format!("Done at {}, {} before the window closes at {}.", sim.clock(point.done), say(point.margin), sim.clock(sim.window_length)) }</p> }
    } else {
        html! { <p class="verdict overrun" role="alert">{ format!("Done at {}: {} after the window closes at {}.", sim.clock(point.done), say(-point.margin), sim.clock(sim.window_length)) }</p> }
    };
    let leftovers = if sim.leftovers(point).is_empty() {
        html! { <p class="leftovers none">{ "Nothing is left off its baseline." }</p> }
    } else {
        html! {
            <div class="leftovers">
                <h4>{ "Left behind after this rollback" }</h4>
                <ul>{ for sim.leftovers(point).iter().map(|l| html! { <li><code>{ &l.resource }</code>{ format!(" stays {} (baseline {}), set by {}", l.state, l.baseline, steps.get(l.set_by).map_or("", |s| s.id())) }</li> }) }</ul>
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
                    <button onclick={Callback::from(move |_| on_start.emit(now_ms()))}>{ format!("Start the clock at {}", sim.clock(point.fail)) }</button>
                }
            </div>
            <ol class="runbook" aria-label="Rollback runbook">{ for rows }</ol>
            { margin }
            { leftovers }
        </div>
    }
}
