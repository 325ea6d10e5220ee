//! `retreat-web`: the browser app's entry point, built for wasm32 by Trunk
//! (see index.html). The app is this crate's library.

#[cfg(target_arch = "wasm32")]
fn main() {
    retreat_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("retreat-web runs in the browser: build and serve it with `trunk serve` (see README.md)");
    std::process::exit(2);
}
