//! Sharing the plan: copy a link that carries the whole text (the address
//! bar shows it too; written by the on-demand module, whose compressor the
//! first load leaves out), or download it: the text as a file, or an export
//! (a calendar, a Mermaid or Graphviz graph, a spreadsheet), which the
//! import worker writes (`importer::export`, the on-demand module) and
//! `www/import-page.js` offers as a download.

use yew::prelude::*;

use super::importer;
use super::ptr::Ptr;
use super::share;
use super::state::{Notice, NoticeKind};

/// Links longer than this may be cut by mail and chat tools.
const LONG_LINK: usize = 2_000;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub text: Ptr<String>,
    /// Says why an export could not be written.
    pub on_notice: Callback<Notice>,
}

/// The Download menu: (value, label). `yaml` is the plan's own text.
const DOWNLOADS: [(&str, &str); 5] = [
    ("yaml", "Plan (YAML)"),
    ("ics", "Calendar (.ics)"),
    ("mermaid", "Mermaid graph (.mmd)"),
    ("dot", "Graphviz graph (.dot)"),
    ("csv", "Spreadsheet (.csv)"),
];

#[function_component(ShareBox)]
pub fn share_box(props: &ShareProps) -> Html {
    let url = use_state(|| None::<String>);
    let copy = {
        let url = url.clone();
        let text = props.text.clone();
        let on_notice = props.on_notice.clone();
        Callback::from(move |_| {
            let (url, on_notice) = (url.clone(), on_notice.clone());
            importer::link(&text, move |fragment| match fragment {
                Ok(fragment) => {
                    share::set_fragment(&fragment);
                    let full = share::url_with(&fragment);
                    share::copy_to_clipboard(&full);
                    url.set(Some(full));
                }
                Err(why) => on_notice
                    .emit(Notice { kind: NoticeKind::Error, text: format!("Could not write the link: {why}.") }),
            });
        })
    };
    let download = {
        let text = props.text.clone();
        let on_notice = props.on_notice.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let choice = select.value();
            select.set_value("");
            match choice.as_str() {
                "" => {}
                "yaml" => share::download_as("plan.yaml", "text/yaml", &text),
                to => {
                    let (on_notice, name) = (on_notice.clone(), to.to_string());
                    importer::export(&text, to, move |why| {
                        on_notice.emit(Notice {
                            kind: NoticeKind::Error,
                            text: format!("Could not export the plan as {name}: {why}."),
                        })
                    });
                }
            }
        })
    };
    let shown = (*url).clone();
    html! {
        <div class="share">
            <button onclick={copy}>{ "Copy link" }</button>
            <label class="downloads">
                <span class="visually-hidden">{ "Download" }</span>
                <select onchange={download} aria-label="Download the plan or an export">
                    <option value="" selected=true>{ "Download…" }</option>
                    { for DOWNLOADS.iter().map(|(v, label)| html! { <option value={*v}>{ *label }</option> }) }
                </select>
            </label>
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
