//! The panel over the editor after an import: where the plan came from,
//! and every guess the importer made and part it left out (the same ones
//! the plan's `# guess:` comments say), until dismissed. Its words are the
//! importer's (`retreat_import_web::panel`, in the on-demand module), which
//! escapes every text it puts in the list.

use yew::prelude::*;

use super::state::Guesses;

pub fn guesses_panel(g: &Guesses, on_dismiss: &Callback<MouseEvent>) -> Html {
    html! {
        <aside class="guesses" aria-label="The importer's guesses">
            <div class="guesses-head">
                <span>{ g.heading.as_str() }</span>
                <button class="dismiss" onclick={on_dismiss} aria-label="Dismiss the guesses">{ "×" }</button>
            </div>
            { Html::from_html_unchecked(AttrValue::from(format!("<ul>{}</ul>", g.list_html))) }
        </aside>
    }
}
