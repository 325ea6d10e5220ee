//! The findings panel: a summary line, then the diagnostics by severity, each
//! with its code, message, step and place, and the rule's docs on demand.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::importer::{answer, job};
use super::markdown;
use super::ptr::Ptr;
use retreat_core::rules::find;
use retreat_core::sim::{Simulation, say};
use retreat_core::{Analysis, Diagnostic, LineIndex, Severity, Span, show_invisible};

#[wasm_bindgen(module = "/src/importer.js")]
extern "C" {
    #[wasm_bindgen(js_name = docsOf)]
    fn docs_of(id: u32, code: &str);
}

/// Asks the on-demand module for rule `code`'s docs: the page's registry
/// carries none (the core's `rule-docs` feature is off in the first load).
fn fetch_docs(code: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| done(answer(&data).map(|ok| ok.as_string().unwrap_or_default()))));
    docs_of(id, code);
}

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub analysis: Ptr<Analysis>,
    pub text: Ptr<String>,
    pub on_jump: Callback<(Span, Option<usize>)>,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning; rollback fits from 11 of 14 points; deadline 02:35"
pub fn summary_line(analysis: &Analysis) -> String {
    let s = analysis.summary();
    let mut parts = vec![format!("{}, {}", plural(s.errors, "error"), plural(s.warnings, "warning"))];
    if s.infos > 0 {
        parts[0].push_str(&format!(", {}", plural(s.infos, "info")));
    }
    if let Some(sim) = &analysis.simulation {
        parts.push(fits_line(sim));
        parts.push(match sim.deadline {
            Some(t) => format!("deadline {}", sim.clock(t)),
            None => "no rollback deadline fits".to_string(),
        });
    }
    parts.join("; ")
}

fn fits_line(sim: &Simulation) -> String {
    let fitting = sim.points.iter().filter(|p| p.fits && !p.no_way_back).count();
    format!("rollback fits from {fitting} of {} points", sim.points.len())
}

#[function_component(Findings)]
pub fn findings(props: &FindingsProps) -> Html {
    // The rule whose docs are open, and its docs once they have come.
    let open_docs = use_state(|| None::<(&'static str, Option<Result<String, String>>)>);
    let index = LineIndex::new(&props.text);
    let analysis = &props.analysis;
    let groups = [(Severity::Error, "Errors"), (Severity::Warning, "Warnings"), (Severity::Info, "Infos")];
    let item = |d: &Diagnostic| {
        let at = index.line_col(d.span.start);
        let step = d.step.as_deref().and_then(|id| analysis.graph.as_ref()?.index.get(id).copied());
        let onclick = {
            let on_jump = props.on_jump.clone();
            let span = d.span;
            Callback::from(move |_| on_jump.emit((span, step)))
        };
        let code = d.code;
        let docs = open_docs.as_ref().filter(|(c, _)| *c == code).map(|(_, d)| d);
        let docs_open = docs.is_some();
        let toggle = {
            let open_docs = open_docs.clone();
            Callback::from(move |_| {
                if docs_open {
                    open_docs.set(None);
                    return;
                }
                open_docs.set(Some((code, None)));
                let open_docs = open_docs.clone();
                fetch_docs(code, move |d| open_docs.set(Some((code, Some(d)))));
            })
        };
        let rule = find(code);
        html! {
            <li class={classes!("finding", d.severity.as_str())}>
                <button class="finding-main" {onclick} title="Show in the plan">
                    <span class="severity">{ d.severity.as_str() }</span>
                    <code class="code">{ code }</code>
                    <span class="message">{ show_invisible(&d.message).into_owned() }</span>
                    <span class="where">
                        { format!("line {}:{}", at.line, at.column) }
                        { for d.step.as_ref().map(|s| html! { <>{ " · step " }<code>{ show_invisible(s).into_owned() }</code></> }) }
                    </span>
                </button>
                { for d.help.as_ref().map(|h| html! { <p class="help">{ show_invisible(h).into_owned() }</p> }) }
                <button class="link-button" onclick={toggle} aria-expanded={docs_open.to_string()}>
                    { if docs_open { "Hide the rule's docs" } else { "Why? The rule's docs" } }
                </button>
                { for rule.zip(docs).map(|(r, d)| html! {
                    <div class="docs">
                        <h4>{ format!("{} {}", r.code, r.name) }</h4>
                        { match d {
                            Some(Ok(text)) => markdown::render(text),
                            Some(Err(why)) => html! { <p class="muted">{ why.as_str() }</p> },
                            None => html! { <p class="muted" role="status">{ "Loading the rule's docs…" }</p> },
                        } }
                    </div>
                }) }
            </li>
        }
    };
    let sections = groups.iter().map(|&(severity, title)| {
        let of: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| d.severity == severity).collect();
        if of.is_empty() {
            return html! {};
        }
        html! {
            <section class="finding-group" aria-label={title}>
                <h3>{ format!("{title} ({})", of.len()) }</h3>
                <ul>{ for of.into_iter().map(&item) }</ul>
            </section>
        }
    });
    html! {
        <div class="findings">
            { overview(analysis) }
            if analysis.diagnostics.is_empty() {
                <p class="all-clear">{ "No findings: every check passes." }</p>
            }
            { for sections }
        </div>
    }
}

/// The plan at a glance: window, forward plan, deadline and the worst point.
fn overview(analysis: &Analysis) -> Html {
    let plan = &analysis.plan;
    let title = plan.title.as_ref().map_or("(untitled plan)", |t| t.as_str());
    let Some(sim) = &analysis.simulation else {
        return html! { <p class="overview"><strong>{ title }</strong>{ format!(": {} steps, no window to simulate.", plan.steps.len()) }</p> };
    };
    let worst = sim.tightest();
    let id = |i: usize| plan.steps.get(i).map_or("", |s| s.id()).to_string();
    html! {
        <div class="overview">
            <p><strong>{ title }</strong>{ format!(": {} steps.", plan.steps.len()) }</p>
            <ul>
                <li>{ format!("Window {} to {} ({}).", sim.clock(0.0), sim.clock(sim.window_length), say(sim.window_length)) }</li>
                <li>{ format!("The steps are done at {} if all goes as expected{}.", sim.clock(sim.forward_finish), if sim.forward_fits { "" } else { ", after the window closes" }) }</li>
                <li>{ match sim.deadline {
                    Some(t) => format!("A rollback can still be called until {}.", sim.clock(t)),
                    None => "No moment of the window leaves time for a complete rollback.".to_string(),
                } }</li>
                { for worst.map(|p| html! { <li>{ markdown::inline(&format!(
                    "Tightest point: if `{}` fails at {}, the rollback is done at {}, {}.",
                    id(p.step), sim.clock(p.fail), sim.clock(p.done),
                    if p.margin >= 0.0 { format!("{} to spare", say(p.margin)) } else { format!("{} too late", say(-p.margin)) }
                )) }</li> }) }
            </ul>
        </div>
    }
}
