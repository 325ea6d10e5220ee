//! The approval document as a print-ready page, with the plan hash and the
//! approval entry a reviewer pastes under `approvals:`. The document itself
//! is `retreat_core::report`, which also writes (and escapes) its HTML: this panel
//! shows it and offers print, copy and download.

use yew::prelude::*;

use super::clock::today;
use super::ptr::Ptr;
use super::share;
use retreat_core::Analysis;
use retreat_core::report::{Document, approval_stanza, document, html, html_body, markdown};

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub analysis: Ptr<Analysis>,
    pub text: Ptr<String>,
}

/// The document's own HTML, in which `retreat_core::report` has escaped every piece
/// of plan text (tested there); the same markup is the downloadable page.
fn render(doc: &Document) -> Html {
    Html::from_html_unchecked(AttrValue::from(format!(
        "<article class=\"report-document\" aria-label=\"Approval document\">{}</article>",
        html_body(doc)
    )))
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportProps) -> Html {
    // The app hashes only plans that carry approvals; the hash is computed
    // here for the rest, once per text.
    let hash = {
        let known = props.analysis.hash.clone();
        use_memo(props.text.clone(), move |text| known.or_else(|| retreat_core::parse(text).hash))
    };
    let doc = {
        let mut analysis = (*props.analysis).clone();
        analysis.hash = (*hash).clone();
        document(&analysis, &props.text)
    };
    let by = use_state(String::new);
    let role = use_state(String::new);
    // Today (UTC) is the default date of an approval.
    let date = use_state(today);
    let copied = use_state(|| false);

    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let copy_md = {
        let md = markdown(&doc);
        Callback::from(move |_| share::copy_to_clipboard(&md))
    };
    let download = {
        let page = html(&doc);
        Callback::from(move |_| share::download_as("approval.html", "text/html", &page))
    };
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        let copied = copied.clone();
        Callback::from(move |e: InputEvent| {
            state.set(input_value(&e));
            copied.set(false);
        })
    };
    let (on_by, on_role, on_date) = (field(&by), field(&role), field(&date));

    let sign_off = match hash.as_deref() {
        None => html! {
            <p class="empty">{ "The plan has no hash until it parses: fix the errors first." }</p>
        },
        Some(h) => {
            let stanza = approval_stanza(&by, &role, &date, h);
            let copy = {
                let (stanza, h, text, copied) = (stanza.clone(), h.to_string(), props.text.clone(), copied.clone());
                Callback::from(move |_| {
                    if let Ok(s) = &stanza {
                        share::copy_to_clipboard(s);
                        // Kept so a later C005 can say what changed since.
                        share::save_approved(&h, &text);
                        copied.set(true);
                    }
                })
            };
            html! {
                <>
                    <p>{ "Plan hash: " }<code class="plan-hash">{ h }</code></p>
                    <div class="sign-off-form">
                        <label>{ "Approved by" }<input value={(*by).clone()} oninput={on_by} placeholder="Name" /></label>
                        <label>{ "Role" }<input value={(*role).clone()} oninput={on_role} placeholder="Change board chair" /></label>
                        <label>{ "Date" }<input value={(*date).clone()} oninput={on_date} placeholder="YYYY-MM-DD" /></label>
                    </div>
                    {
                        match &stanza {
                            Ok(s) => html! {
                                <>
                                    <p class="muted">{ "Paste this under " }<code>{ "approvals:" }</code>
                                        { ". Any later change to the plan (other than its approvals) flags it as C005." }</p>
                                    <pre class="stanza">{ s.as_str() }</pre>
                                    <button onclick={copy}>{ "Copy the approval entry" }</button>
                                    if *copied { <span class="muted" role="status">{ " Copied." }</span> }
                                </>
                            },
                            Err(e) => html! { <p class="muted" role="status">{ e.as_str() }</p> },
                        }
                    }
                </>
            }
        }
    };
    html! {
        <div class="report">
            <div class="report-tools">
                <button onclick={print}>{ "Print or save as PDF" }</button>
                <button onclick={copy_md}>{ "Copy as Markdown" }</button>
                <button onclick={download}>{ "Download HTML" }</button>
            </div>
            <section class="sign-off" aria-label="Sign off by hash">
                <h3>{ "Sign off" }</h3>
                { sign_off }
            </section>
            { render(&doc) }
        </div>
    }
}
