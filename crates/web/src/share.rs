//! The browser's side of links and drafts: the URL fragment, local storage,
//! the clipboard and downloads. The link format itself is `retreat_core::link`;
//! what the app opens with is `startup`. Nothing here knows the app's state.

use wasm_bindgen::JsCast;

use super::clock::epoch_ms;

const DRAFT_KEY: &str = "retreat.draft";
const ASIDE_KEY: &str = "retreat.aside";
/// Per tab (session storage): the tab's id, and the stamp of the shared
/// draft it last saved or loaded.
const TAB_KEY: &str = "retreat.tab";
const SEEN_KEY: &str = "retreat.seen";

/// What autosave keeps: the text, and the link it came from (if any), so a
/// reload of that link restores the edits instead of the original; who
/// saved it and when, so two tabs never silently overwrite each other.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub text: String,
    pub link: Option<String>,
    pub tab: String,
    pub stamp: f64,
}

impl Draft {
    /// `draft1`, tab, stamp and link on a line each, then the text.
    fn encode(&self) -> String {
        format!("draft1\n{}\n{}\n{}\n{}", self.tab, self.stamp, self.link.as_deref().unwrap_or(""), self.text)
    }

    fn decode(stored: &str) -> Option<Draft> {
        let mut parts = stored.splitn(5, '\n');
        if parts.next()? != "draft1" {
            return None;
        }
        let tab = parts.next()?.to_string();
        let stamp = parts.next()?.parse().ok()?;
        let link = Some(parts.next()?.to_string()).filter(|l| !l.is_empty());
        Some(Draft { text: parts.next()?.to_string(), link, tab, stamp })
    }
}

/// The browser's local or session storage, as plain strings.
struct Store(Option<web_sys::Storage>);

impl Store {
    fn local() -> Store {
        Store(web_sys::window().and_then(|w| w.local_storage().ok().flatten()))
    }

    fn session() -> Store {
        Store(web_sys::window().and_then(|w| w.session_storage().ok().flatten()))
    }

    fn get(&self, key: &str) -> Option<String> {
        self.0.as_ref()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        let store = self.0.as_ref().ok_or("storage is not available")?;
        store.set_item(key, value).map_err(|e| {
            let name = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name()));
            match name.as_deref() {
                Some("QuotaExceededError") => "storage is full".to_string(),
                _ => "storage refused it".to_string(),
            }
        })
    }

    fn remove(&self, key: &str) {
        if let Some(store) = &self.0 {
            let _ = store.remove_item(key);
        }
    }
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
    let session = Store::session();
    if let Some(id) = session.get(TAB_KEY) {
        return id;
    }
    let id = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
    let _ = session.set(TAB_KEY, &id);
    id
}

/// Where one kind of autosaved text lives, with the same guarantees for
/// each: the plan's draft, and the live window's run log.
#[derive(Clone, Copy)]
pub struct Slot {
    key: &'static str,
    /// Per tab: the stamp of the shared text it last saved or loaded.
    seen: &'static str,
}

pub const DRAFT: Slot = Slot { key: DRAFT_KEY, seen: SEEN_KEY };
pub const LIVE: Slot = Slot { key: "retreat.live", seen: "retreat.live.seen" };

impl Slot {
    fn own_key(self) -> String {
        format!("{}.{}", self.key, tab_id())
    }

    /// The text to start from: this tab's own one if it had to keep one
    /// apart, else the shared one.
    pub fn load(self) -> Option<Draft> {
        let local = Store::local();
        let own = local.get(&self.own_key()).and_then(|s| Draft::decode(&s));
        let shared = local.get(self.key).and_then(|s| Draft::decode(&s));
        if let Some(d) = &shared {
            let _ = Store::session().set(self.seen, &d.stamp.to_string());
        }
        own.or(shared)
    }

    /// Saves `text` (see [`Saved`]). `force` overwrites another tab's
    /// text: the user chose to.
    pub fn save(self, text: &str, link: Option<String>, force: bool) -> Saved {
        let me = tab_id();
        let (local, session) = (Store::local(), Store::session());
        let seen: f64 = session.get(self.seen).and_then(|s| s.parse().ok()).unwrap_or(0.0);
        let shared = local.get(self.key).and_then(|s| Draft::decode(&s));
        // Every save's stamp differs from the one it replaces, even when the
        // clock does not move (or moves back): tabs tell saves apart by it.
        let stamp = epoch_ms().max(shared.as_ref().map_or(0.0, |d| d.stamp + 1.0));
        let theirs = shared.filter(|d| d.tab != me && d.stamp != seen && d.text != text);
        let draft = Draft { text: text.to_string(), link, tab: me, stamp };
        if theirs.is_some() && !force {
            return match local.set(&self.own_key(), &draft.encode()) {
                Ok(()) => Saved::Apart,
                Err(e) => Saved::Failed(e),
            };
        }
        match local.set(self.key, &draft.encode()) {
            Ok(()) => {
                local.remove(&self.own_key());
                let _ = session.set(self.seen, &draft.stamp.to_string());
                Saved::Shared
            }
            Err(e) => Saved::Failed(e),
        }
    }

    /// Forgets the text (the user ended what it was for).
    pub fn clear(self) {
        let local = Store::local();
        local.remove(self.key);
        local.remove(&self.own_key());
    }
}

/// The draft to start from (see [`Slot::load`]).
pub fn load_draft() -> Option<Draft> {
    DRAFT.load()
}

/// Saves `text` as the draft (see [`Slot::save`]).
pub fn save_draft(text: &str, link: Option<String>, force: bool) -> Saved {
    DRAFT.save(text, link, force)
}

/// Per tab, so a reload keeps it: the live log's "Undo" history, as
/// `undo_log` writes it.
const LIVE_UNDO_KEY: &str = "retreat.live.undo";

pub fn load_live_undo() -> Option<String> {
    Store::session().get(LIVE_UNDO_KEY)
}

/// Best effort: without it, a reload only loses what "Undo" could take back.
pub fn save_live_undo(text: &str) {
    let session = Store::session();
    if session.set(LIVE_UNDO_KEY, text).is_err() {
        session.remove(LIVE_UNDO_KEY);
    }
}

pub fn clear_live_undo() {
    Store::session().remove(LIVE_UNDO_KEY);
}

pub fn load_aside() -> Option<String> {
    Store::local().get(ASIDE_KEY)
}

pub fn save_aside(text: &str) {
    // Best effort: the aside text also stays in the page.
    let _ = Store::local().set(ASIDE_KEY, text);
}

/// The versions approval entries were made for: an index of hashes, newest
/// first, and the text under `retreat.approved.<hash>`.
const APPROVED_KEY: &str = "retreat.approved";
/// How many approved versions are kept (each is a whole plan text).
const APPROVED_KEPT: usize = 8;

/// Keeps `text` as the version an approval entry was made for, so that a
/// stale approval can later say what changed since. Best effort: without
/// it, C005 still fires, only without the list of changes.
pub fn save_approved(hash: &str, text: &str) {
    let local = Store::local();
    let hash = hash.to_ascii_lowercase();
    let index = local.get(APPROVED_KEY).unwrap_or_default();
    let mut hashes: Vec<&str> = index.lines().filter(|h| *h != hash).collect();
    hashes.insert(0, &hash);
    for old in hashes.split_off(APPROVED_KEPT.min(hashes.len())) {
        local.remove(&format!("{APPROVED_KEY}.{old}"));
    }
    if local.set(&format!("{APPROVED_KEY}.{hash}"), text).is_ok() {
        let _ = local.set(APPROVED_KEY, &hashes.join("\n"));
    }
}

/// The text an approval entry for `hash` was made for in this browser.
pub fn load_approved(hash: &str) -> Option<String> {
    Store::local().get(&format!("{APPROVED_KEY}.{}", hash.to_ascii_lowercase()))
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

/// A `blob:` URL holding `text` of type `mime`, for a download link.
pub fn blob_url(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Offers `text` as a file download of type `mime`.
pub fn download_as(name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(url) = blob_url(text, mime) else { return };
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
