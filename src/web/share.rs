//! The browser's side of links and drafts: the URL fragment, local storage,
//! the clipboard and downloads. The link format itself is `crate::link`.

use gloo::storage::{LocalStorage, SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use super::state::{Notice, NoticeKind};
use crate::link;

const DRAFT_KEY: &str = "retreat.draft";
const ASIDE_KEY: &str = "retreat.aside";
/// Per tab (session storage): the tab's id, and the stamp of the shared
/// draft it last saved or loaded.
const TAB_KEY: &str = "retreat.tab";
const SEEN_KEY: &str = "retreat.seen";

/// What autosave keeps: the text, and the link it came from (if any), so a
/// reload of that link restores the edits instead of the original; who
/// saved it and when, so two tabs never silently overwrite each other.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    pub text: String,
    pub link: Option<String>,
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub stamp: f64,
}

/// How a save went.
#[derive(Clone, Debug, PartialEq)]
pub enum Saved {
    /// The shared draft is this text now.
    Shared,
    /// Another tab saved a different draft since this tab last looked: this
    /// tab's text is kept under its own key instead of overwriting theirs.
    Apart,
    /// Storage refused (full, or blocked by the browser).
    Failed(String),
}

/// This tab's id, made once per tab and kept across reloads.
pub fn tab_id() -> String {
    if let Ok(id) = SessionStorage::get::<String>(TAB_KEY) {
        return id;
    }
    let id = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
    let _ = SessionStorage::set(TAB_KEY, &id);
    id
}

fn own_key() -> String {
    format!("{DRAFT_KEY}.{}", tab_id())
}

/// The draft to start from: this tab's own one if it had to keep one apart,
/// else the shared one.
pub fn load_draft() -> Option<Draft> {
    let own: Option<Draft> = LocalStorage::get(own_key()).ok();
    let shared: Option<Draft> = LocalStorage::get(DRAFT_KEY).ok();
    if let Some(d) = &shared {
        let _ = SessionStorage::set(SEEN_KEY, d.stamp);
    }
    own.or(shared)
}

/// Saves `text` as the draft (see [`Saved`]). `force` overwrites another
/// tab's draft: the user chose to.
pub fn save_draft(text: &str, link: Option<String>, force: bool) -> Saved {
    let me = tab_id();
    let seen: f64 = SessionStorage::get(SEEN_KEY).unwrap_or(0.0);
    let shared: Option<Draft> = LocalStorage::get(DRAFT_KEY).ok();
    let theirs = shared.filter(|d| d.tab != me && d.stamp != seen && d.text != text);
    let draft = Draft { text: text.to_string(), link, tab: me, stamp: js_sys::Date::now() };
    if theirs.is_some() && !force {
        return match LocalStorage::set(own_key(), &draft) {
            Ok(()) => Saved::Apart,
            Err(e) => Saved::Failed(e.to_string()),
        };
    }
    match LocalStorage::set(DRAFT_KEY, &draft) {
        Ok(()) => {
            LocalStorage::delete(own_key());
            let _ = SessionStorage::set(SEEN_KEY, draft.stamp);
            Saved::Shared
        }
        Err(e) => Saved::Failed(e.to_string()),
    }
}

pub fn load_aside() -> Option<String> {
    LocalStorage::get(ASIDE_KEY).ok()
}

pub fn save_aside(text: &str) {
    // Best effort: the aside text also stays in the page.
    let _ = LocalStorage::set(ASIDE_KEY, text);
}

/// The URL fragment, without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Puts `fragment` in the address bar without reloading or adding history.
pub fn set_fragment(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// This page's address with `fragment`.
pub fn url_with(fragment: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .map(|l| format!("{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default()))
        .unwrap_or_default();
    format!("{base}#{fragment}")
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        // The promise is left to settle; the link is also shown to copy by hand.
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// A `blob:` URL holding `text`, for a download link.
pub fn blob_url(text: &str) -> Option<String> {
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/yaml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Offers `text` as a file download.
pub fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(url) = blob_url(text) else { return };
    if let Ok(a) = document.create_element("a").map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

/// What the app opens with: a link over a draft over the example. Nothing the
/// user wrote is dropped: a draft displaced by a link is set aside, and a
/// link that cannot be read changes nothing.
pub fn startup() -> (String, Option<String>, Option<Notice>) {
    let draft = load_draft();
    let fragment = fragment();
    let example = || crate::EXAMPLE_PLAN.to_string();
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
            Some(d) if !d.text.is_empty() && d.text != text && d.text != crate::EXAMPLE_PLAN => {
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
