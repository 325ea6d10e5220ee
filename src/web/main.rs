//! `retreat-web`: the browser app, built for wasm32 by Trunk (see index.html).
//! It renders what the core returns and dispatches the user's edits; all
//! analysis happens in the `retreat` library.

#[cfg(target_arch = "wasm32")]
mod app;

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("retreat-web runs in the browser: build and serve it with `trunk serve` (see README.md)");
    std::process::exit(2);
}
