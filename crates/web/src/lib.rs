//! The browser app: edit a plan, see its findings, graph and timeline,
//! rehearse a failure, read the odds, share a link. State lives in one pure
//! reducer (`state`); the browser is read and written by event handlers and
//! effects (`app`); components take props and callbacks; every figure comes
//! from the core.

// The app runs in the browser only; a native build of this crate is empty.
#![cfg(target_arch = "wasm32")]

mod analysis;
pub mod api;
mod app;
mod clock;
mod compare;
mod crash;
mod editor;
mod example_menu;
mod findings;
mod graph;
mod guesses;
mod importer;
mod live;
mod markdown;
mod notice_bar;
mod odds;
mod odds_job;
mod ptr;
mod rehearse;
mod report;
mod share;
mod share_box;
mod startup;
mod state;
mod tabs;
#[cfg(test)]
mod tests;
mod timeline;
mod undo_log;
mod worker;
mod zoom;

/// Mounts the app on the page's body. In the odds' worker, which runs this
/// same module (see `worker`), there is no page, and nothing to mount.
pub fn start() {
    if web_sys::window().is_none() {
        return;
    }
    // Through Yew, which would otherwise install its own hook when it renders.
    yew::set_custom_panic_hook(Box::new(crash::crashed));
    yew::Renderer::<app::App>::new().render();
}
