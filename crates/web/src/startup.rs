//! What the app opens with, read from the address bar and storage before
//! the first render (the reducer's initial state is made from it).

use super::share::{LIVE, fragment, load_aside, load_draft, save_aside, save_draft};
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
    let (plan_part, _) = link::split_log(&fragment);
    match link::decode(plan_part) {
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

/// The live window to open with: the run log a link carries, else the one
/// this browser was recording. A link's log never replaces a different one
/// being recorded here: that one is kept, and the notice says so.
pub fn live_opening() -> (Option<String>, Option<Notice>) {
    let kept = LIVE.load().map(|d| d.text).filter(|t| !t.trim().is_empty());
    let fragment = fragment();
    let Some(part) = link::split_log(&fragment).1 else { return (kept, None) };
    match link::decode(part) {
        Ok(log) => match kept {
            Some(mine) if mine != log => (
                Some(mine),
                Some(Notice {
                    kind: NoticeKind::Error,
                    text: "This link carries a run log, but this browser is recording another one: yours is kept. End your window (after downloading its log) to open the link's.".into(),
                }),
            ),
            _ => {
                let _ = LIVE.save(&log, None, false);
                (Some(log), Some(info("Opened the shared live window: the plan and its run log.")))
            }
        },
        Err(e) => (
            kept,
            Some(Notice { kind: NoticeKind::Error, text: format!("Could not open the link's run log: {e}. Nothing was replaced.") }),
        ),
    }
}
