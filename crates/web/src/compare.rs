//! Comparing the plan in the editor with another version of it: a shared
//! link, the draft kept aside, or the version this browser made an approval
//! entry for. The comparison itself is `retreat_core::diff`; this panel picks the
//! two texts and renders the result.

use std::rc::Rc;

use yew::prelude::*;

use super::ptr::Ptr;
use super::share;
use retreat_core::diff::{Change, PlanDiff, compare};
use retreat_core::sim::Settings;
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub analysis: Ptr<Analysis>,
    pub text: Ptr<String>,
    pub aside: Option<Ptr<String>>,
}

/// A comparison made: of what, against which text of the editor.
#[derive(Clone, PartialEq)]
struct Compared {
    label: String,
    before: Ptr<String>,
    against: Ptr<String>,
    diff: Rc<PlanDiff>,
}

/// Both versions analysed alike, with the same Monte Carlo runs and seed as
/// `retreat diff`, so the two give the same figures.
fn run(label: String, before: Ptr<String>, after: Ptr<String>) -> Compared {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::DEFAULT), ..Options::default() };
    let diff = compare(&analyze(&before, &options), &analyze(&after, &options));
    Compared { label, before, against: after, diff: Rc::new(diff) }
}

fn changes_table(first: &str, rows: Vec<(String, &Change)>) -> Html {
    html! {
        <table class="diff-table">
            <thead><tr><th>{ first }</th><th>{ "Field" }</th><th>{ "Before" }</th><th>{ "After" }</th></tr></thead>
            <tbody>{ for rows.into_iter().map(|(owner, c)| html! {
                <tr><td><code>{ owner }</code></td><td>{ c.field.as_str() }</td>
                    <td class="before">{ retreat_core::show_invisible(&c.before).into_owned() }</td>
                    <td class="after">{ retreat_core::show_invisible(&c.after).into_owned() }</td></tr>
            }) }</tbody>
        </table>
    }
}

fn ids(label: &str, ids: &[String]) -> Html {
    if ids.is_empty() {
        return html! {};
    }
    html! {
        <p>{ label }{ for ids.iter().enumerate().map(|(k, id)| html! {
            <>{ if k > 0 { ", " } else { " " } }<code>{ retreat_core::show_invisible(id).into_owned() }</code></>
        }) }</p>
    }
}

fn render(d: &PlanDiff) -> Html {
    let steps: Vec<(String, &Change)> =
        d.changed.iter().flat_map(|s| s.fields.iter().map(move |c| (s.step.clone(), c))).collect();
    let plan: Vec<(String, &Change)> = d.plan.iter().map(|c| ("plan".to_string(), c)).collect();
    html! {
        <div class="diff">
            <p class="diff-summary" role="status">{ if d.is_empty() { "The two versions are the same plan.".to_string() } else { format!("Changes: {}.", d.summary()) } }</p>
            <h3>{ "Figures" }</h3>
            if d.figures.is_empty() {
                <p class="muted">{ "The simulation's figures did not move." }</p>
            } else {
                <table class="diff-table figures">
                    <thead><tr><th>{ "Figure" }</th><th>{ "Before" }</th><th>{ "After" }</th></tr></thead>
                    <tbody>{ for d.figures.iter().map(|c| html! {
                        <tr><td>{ c.field.as_str() }</td><td class="before">{ c.before.as_str() }</td><td class="after">{ c.after.as_str() }</td></tr>
                    }) }</tbody>
                </table>
            }
            { ids("Steps added:", &d.added) }
            { ids("Steps removed:", &d.removed) }
            if !steps.is_empty() {
                <h3>{ "Steps changed" }</h3>
                { changes_table("Step", steps) }
            }
            if !plan.is_empty() {
                <h3>{ "The plan's own fields" }</h3>
                { changes_table("", plan) }
            }
        </div>
    }
}

#[function_component(CompareView)]
pub fn compare_view(props: &CompareProps) -> Html {
    let link = use_state(String::new);
    let result = use_state(|| None::<Result<Compared, String>>);

    let with = |label: &str, before: Ptr<String>| {
        let (result, after, label) = (result.clone(), props.text.clone(), label.to_string());
        Callback::from(move |_: MouseEvent| result.set(Some(Ok(run(label.clone(), before.clone(), after.clone())))))
    };
    let from_link = {
        let (result, after, link) = (result.clone(), props.text.clone(), link.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            result.set(Some(match retreat_core::link::decode(&link) {
                Ok(before) => Ok(run("the link".into(), Ptr::new(before), after.clone())),
                Err(e) => Err(format!("Could not open the link: {e}.")),
            }));
        })
    };
    let on_link = {
        let link = link.clone();
        Callback::from(move |e: InputEvent| link.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let approved: Vec<(String, Ptr<String>)> = props
        .analysis
        .plan
        .approvals
        .iter()
        .filter_map(|a| {
            let hash = &a.plan_hash.as_ref()?.value;
            let who = a.by.as_ref().map_or("an approver", |b| b.value.as_str());
            Some((format!("the version {who} approved"), Ptr::new(share::load_approved(hash)?)))
        })
        .collect();

    let shown = match &*result {
        None => html! {},
        Some(Err(e)) => html! { <p class="notice error" role="alert">{ e.as_str() }</p> },
        Some(Ok(c)) => {
            let again = with(&c.label, c.before.clone());
            html! {
                <>
                    <p class="muted">{ format!("Before: {}. After: the plan in the editor.", c.label) }</p>
                    if c.against != props.text {
                        <p class="stale">{ "The plan has changed since. " }<button onclick={again}>{ "Compare again" }</button></p>
                    }
                    { render(&c.diff) }
                </>
            }
        }
    };
    html! {
        <div class="compare">
            <p class="muted">{ "Compare the plan in the editor (after) with an earlier version (before): steps added, removed and changed, and how the figures moved." }</p>
            <form class="compare-link" onsubmit={from_link}>
                <label for="compare-link">{ "A shared link" }</label>
                <input id="compare-link" value={(*link).clone()} oninput={on_link} placeholder="https://…#v1.…" />
                <button type="submit">{ "Compare" }</button>
            </form>
            <div class="compare-sources">
                if let Some(aside) = &props.aside {
                    <button onclick={with("the draft kept aside", aside.clone())}>{ "Compare with the draft kept aside" }</button>
                }
                { for approved.into_iter().map(|(label, text)| {
                    let onclick = with(&label, text);
                    let label = retreat_core::show_invisible(&label).into_owned();
                    html! { <button {onclick}>{ format!("Compare with {label}") }</button> }
                }) }
            </div>
            { shown }
        </div>
    }
}
