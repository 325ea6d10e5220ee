//! What the app opens with, read from the address bar and storage before
//! the first render (the reducer's initial state is made from it).

use super::share::{fragment, load_aside, load_draft, save_aside, save_draft};
use super::state::{Notice, NoticeKind};
use retreat_core::link;

/// What the app opens with: a link over a draft over the example. Nothing the
/// user wrote is dropped: a draft displaced by a link is set aside, and a
/// link that cannot be read changes nothing.
pub fn opening() -> (String, Option<String>, Option<Notice>) {
    let draft = load_draft();
    let fragment = fragment();
    let example = || retreat_core::EXAMPLE_PLAN.to_string();
    if fragment.is_empty() {
        return match draft {
            Some(d) if !d.text.is_empty() => {
                (d.text, load_aside(), Some(info("Your draft from last time is back (it saves as you type).")))
            }
            _ => (example(), load_aside(), None),
        };
    }
    match link::decode(&fragment) {
        Ok(text) => match draft {
            // A reload of the link this draft came from: keep the edits.
            Some(d) if d.link.as_deref() == Some(fragment.as_str()) && d.text != text => {
                (d.text, load_aside(), Some(info("Your edits of this shared plan are back.")))
            }
            Some(d) if !d.text.is_empty() && d.text != text && d.text != retreat_core::EXAMPLE_PLAN => {
                save_aside(&d.text);
                let _ = save_draft(&text, Some(fragment.clone()), false);
                (
                    text,
                    Some(d.text),
                    Some(info("Opened the shared plan. Your own draft is kept aside: restore it any time.")),
                )
            }
            _ => {
                let _ = save_draft(&text, Some(fragment.clone()), false);
                (text, load_aside(), Some(info("Opened the shared plan.")))
            }
        },
        Err(e) => {
            let text = draft.map(|d| d.text).filter(|t| !t.is_empty()).unwrap_or_else(example);
            (
                text,
                load_aside(),
                Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!("Could not open the link: {e}. Nothing was replaced."),
                }),
            )
        }
    }
}

fn info(text: &str) -> Notice {
    Notice { kind: NoticeKind::Info, text: text.to_string() }
}
