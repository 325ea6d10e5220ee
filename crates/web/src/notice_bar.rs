//! The message across the top of the page, with a button to bring back the
//! draft kept aside (while there is one) and one to dismiss it.

use yew::prelude::*;

use super::ptr::Ptr;
use super::state::{Notice, NoticeKind};

/// `notice`; `on_restore` is asked to bring back `aside`, the draft kept aside.
pub fn notice_bar(
    notice: &Notice,
    aside: Option<&Ptr<String>>,
    on_restore: &Callback<Ptr<String>>,
    on_dismiss: &Callback<MouseEvent>,
) -> Html {
    let (class, role) = match notice.kind {
        NoticeKind::Info => ("notice info", "status"),
        NoticeKind::Error => ("notice error", "alert"),
    };
    let restore = aside.cloned().map(|aside| on_restore.reform(move |_: MouseEvent| aside.clone()));
    html! {
        <div class={class} {role}>
            <span>{ &notice.text }</span>
            if let Some(restore) = restore {
                <button onclick={restore}>{ "Restore my draft" }</button>
            }
            <button class="dismiss" onclick={on_dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}
