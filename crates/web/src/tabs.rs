//! The row of tabs that picks the panel: a WAI-ARIA tab list (arrow keys,
//! Home and End move along it).

use yew::prelude::*;

use super::state::Tab;

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    pub current: Tab,
    pub on_pick: Callback<Tab>,
}

#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let buttons = Tab::ALL.iter().enumerate().map(|(k, &(tab, title))| {
        let onclick = props.on_pick.reform(move |_: MouseEvent| tab);
        let on_pick = props.on_pick.clone();
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            let n = Tab::ALL.len();
            let to = match e.key().as_str() {
                "ArrowRight" => Some((k + 1) % n),
                "ArrowLeft" => Some((k + n - 1) % n),
                "Home" => Some(0),
                "End" => Some(n - 1),
                _ => None,
            };
            if let Some(to) = to {
                e.prevent_default();
                on_pick.emit(Tab::ALL[to].0);
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|doc| doc.get_element_by_id(&format!("tab-{:?}", Tab::ALL[to].0)))
                    && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
                {
                    let _ = el.focus();
                }
            }
        });
        let selected = props.current == tab;
        html! {
            <button role="tab" id={format!("tab-{tab:?}")} aria-selected={selected.to_string()} aria-controls="panel"
                    tabindex={if selected { "0" } else { "-1" }} class={classes!("tab", selected.then_some("current"))}
                    {onclick} {onkeydown}>{ title }</button>
        }
    });
    html! { <nav class="tabs" role="tablist" aria-label="Views">{ for buttons }</nav> }
}
