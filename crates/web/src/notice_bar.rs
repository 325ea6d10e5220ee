//! The message across the top of the page, with a button to bring back the
//! draft kept aside (while there is one) and one to dismiss it.

use yew::prelude::*;

use super::state::{Action, NoticeKind, State};

pub fn notice_bar(state: &UseReducerHandle<State>) -> Html {
    let dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Notify(None)))
    };
    let restore = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::RestoreAside))
    };
    let Some(notice) = &state.notice else {
        return html! {};
    };
    let (class, role) = match notice.kind {
        NoticeKind::Info => ("notice info", "status"),
        NoticeKind::Error => ("notice error", "alert"),
    };
    html! {
        <div class={class} {role}>
            <span>{ &notice.text }</span>
            if state.aside.is_some() {
                <button onclick={restore}>{ "Restore my draft" }</button>
            }
            <button class="dismiss" onclick={dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}
