//! The approval document as a print-ready page, with the plan hash and the
//! approval entry a reviewer pastes under `approvals:`. The document itself
//! is `retreat_core::report`, which also writes (and escapes) its HTML: this panel
//! shows it and offers print, copy and download.

use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::clock::today;
use super::importer::{answer, job, string};
use super::ptr::Ptr;
use super::share;
use super::state::Odds;
use retreat_core::Analysis;
use retreat_core::report::approval_stanza;

#[wasm_bindgen(module = "/src/importer.js")]
extern "C" {
    #[wasm_bindgen(js_name = reportOf)]
    fn report_of(id: u32, text: &str, mc: &JsValue);
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub analysis: Ptr<Analysis>,
    pub text: Ptr<String>,
    pub odds: Odds,
}

/// The document as the on-demand module wrote it (`retreat_import_web::report`):
/// the report's code is not in the first load.
#[derive(PartialEq)]
struct Written {
    body: String,
    markdown: String,
    page: String,
}

/// Asks the module for the document of `text` with the odds' figures.
fn write(text: &str, odds: &Odds, done: impl FnOnce(Result<Written, String>) + 'static) {
    let id = job(Box::new(move |data: JsValue| {
        done(answer(&data).map(|ok| Written {
            body: string(&ok, "body"),
            markdown: string(&ok, "markdown"),
            page: string(&ok, "page"),
        }))
    }));
    let mc = match odds {
        Odds::Done(mc) => {
            let o = Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = Reflect::set(&o, &k.into(), &v);
            };
            set("runs", mc.runs.into());
            set("seed", (mc.seed as f64).into());
            set("halfWidth", mc.half_width.into());
            set("pForward", mc.p_forward_fits.into());
            set("pRollback", js_sys::Float64Array::from(mc.p_rollback_fits.as_slice()).into());
            o.into()
        }
        _ => JsValue::NULL,
    };
    report_of(id, text, &mc);
}

/// The document's own HTML, in which `retreat_core::report` has escaped every piece
/// of plan text (tested there); the same markup is the downloadable page.
fn render(body: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(format!(
        "<article class=\"report-document\" aria-label=\"Approval document\">{body}</article>"
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
    let written = use_state(|| None::<Result<Rc<Written>, String>>);
    {
        let written = written.clone();
        use_effect_with((props.text.clone(), props.odds.clone()), move |(text, odds)| {
            write(text, odds, move |w| written.set(Some(w.map(Rc::new))));
        });
    }
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
    let doc = (*written).clone().and_then(Result::ok);
    let copy_md = {
        let doc = doc.clone();
        Callback::from(move |_| {
            if let Some(d) = &doc {
                share::copy_to_clipboard(&d.markdown)
            }
        })
    };
    let download = {
        let doc = doc.clone();
        Callback::from(move |_| {
            if let Some(d) = &doc {
                share::download_as("approval.html", "text/html", &d.page)
            }
        })
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
                <button onclick={copy_md} disabled={doc.is_none()}>{ "Copy as Markdown" }</button>
                <button onclick={download} disabled={doc.is_none()}>{ "Download HTML" }</button>
            </div>
            <section class="sign-off" aria-label="Sign off by hash">
                <h3>{ "Sign off" }</h3>
                { sign_off }
            </section>
            { match &*written {
                Some(Ok(d)) => render(&d.body),
                Some(Err(why)) => html! { <p class="muted" role="status">{ why.as_str() }</p> },
                None => html! { <p class="muted" role="status">{ "Writing the approval document…" }</p> },
            } }
        </div>
    }
}
