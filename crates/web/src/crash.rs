//! The crash screen: if the app ever panics, the page says so and hands
//! over the user's text. It is built from plain DOM calls, not by a
//! component, because the app that would render one has stopped.

use super::share;

/// If the app ever panics, the page says so and hands over the user's text,
/// with nothing that needs the (now stopped) app to work: a text box to copy
/// from and a download link. The text is also in local storage already.
pub fn crashed(info: &std::panic::PanicHookInfo<'_>) {
    let message = info.to_string();
    gloo::console::error!(format!("Retreat stopped: {message}"));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let text = document
        .query_selector("textarea.source")
        .ok()
        .flatten()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(e).ok())
        .map(|t| t.value())
        .or_else(|| share::load_draft().map(|d| d.text))
        .unwrap_or_default();
    let build = || -> Option<()> {
        let overlay = document.create_element("div").ok()?;
        overlay.set_id("crash");
        overlay.set_attribute("role", "alert").ok()?;
        let title = document.create_element("h2").ok()?;
        title.set_text_content(Some("Retreat stopped because of a bug."));
        let body = document.create_element("p").ok()?;
        body.set_text_content(Some(&format!(
            "Your text is safe: it is saved in this browser, and here it is to copy or download. Reloading the page restores it. What happened: {message}"
        )));
        let area = document.create_element("textarea").ok()?;
        area.set_attribute("readonly", "").ok()?;
        area.set_attribute("aria-label", "Your plan's text").ok()?;
        area.set_text_content(Some(&text));
        let link = document.create_element("a").ok()?;
        link.set_text_content(Some("Download the plan"));
        link.set_attribute("download", "plan.yaml").ok()?;
        if let Some(url) = share::blob_url(&text, "text/yaml") {
            link.set_attribute("href", &url).ok()?;
        }
        for child in [&title, &body, &area, &link] {
            overlay.append_child(child).ok()?;
        }
        document.body()?.append_child(&overlay).ok()?;
        Some(())
    };
    let _ = build();
}
