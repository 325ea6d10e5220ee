//! Sharing the plan: copy a link that carries the whole text (the address
//! bar shows it too), or download the text as a file.

use yew::prelude::*;

use super::ptr::Ptr;
use super::share;
use retreat_core::link;

/// Links longer than this may be cut by mail and chat tools.
const LONG_LINK: usize = 2_000;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub text: Ptr<String>,
}

#[function_component(ShareBox)]
pub fn share_box(props: &ShareProps) -> Html {
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
