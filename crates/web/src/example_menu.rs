//! The menu of example plans (and a generated large one). Opening one over
//! the user's own text keeps that text aside, in the page and in storage.

use yew::prelude::*;

use super::ptr::Ptr;
use super::share;
use super::state::{Notice, NoticeKind};
use retreat_core::examples::{EXAMPLES, LARGE_STEPS, large};

/// An example chosen: its text, the user's text it sets aside (if any) and
/// what the notice says.
pub struct Opened {
    pub text: String,
    pub aside: Option<String>,
    pub notice: Notice,
}

#[derive(Properties, PartialEq)]
pub struct ExampleMenuProps {
    /// The text in the editor now.
    pub text: Ptr<String>,
    pub on_open: Callback<Opened>,
}

#[function_component(ExampleMenu)]
pub fn example_menu(props: &ExampleMenuProps) -> Html {
    let onchange = {
        let on_open = props.on_open.clone();
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
            on_open.emit(Opened { text, aside: own.then(|| (*current).clone()), notice });
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
