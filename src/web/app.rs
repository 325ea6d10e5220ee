//! The app's root component: the plan's text and its findings.

use std::rc::Rc;

use retreat::{Analysis, LineIndex, Options, Severity, analyze};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(|| retreat::EXAMPLE_PLAN.to_string());
    let analysis = use_memo((*text).clone(), |t| analyze(t, &Options::default()));
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    html! {
        <main class="app">
            <header>
                <h1>{ "Retreat" }</h1>
                <p class="tagline">{ "Will your rollback still fit in the change window?" }</p>
            </header>
            <section class="editor" aria-label="Plan">
                <textarea spellcheck="false" aria-label="Plan text (YAML or JSON)" value={(*text).clone()} {oninput} />
            </section>
            <Findings text={(*text).clone()} analysis={analysis} />
        </main>
    }
}

#[derive(Properties)]
struct FindingsProps {
    text: String,
    analysis: Rc<Analysis>,
}

impl PartialEq for FindingsProps {
    fn eq(&self, other: &Self) -> bool {
        // An analysis is recomputed only when the text changes.
        Rc::ptr_eq(&self.analysis, &other.analysis)
    }
}

#[function_component(Findings)]
fn findings(props: &FindingsProps) -> Html {
    let index = LineIndex::new(&props.text);
    let summary = props.analysis.summary();
    html! {
        <section class="findings" aria-label="Findings" role="region">
            <h2>{ format!("{} errors, {} warnings, {} infos", summary.errors, summary.warnings, summary.infos) }</h2>
            <ul>
                { for props.analysis.diagnostics.iter().map(|d| {
                    let at = index.line_col(d.span.start);
                    let class = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    };
                    html! {
                        <li class={classes!("finding", class)}>
                            <span class="severity">{ d.severity.as_str() }</span>
                            <code class="code">{ d.code }</code>
                            <span class="where">{ format!("{}:{}", at.line, at.column) }</span>
                            <span class="message">{ &d.message }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
