//! The clock, read in one place: event handlers and effects call these and
//! pass what they read on (in an `Action`, for the reducer, which never
//! reads it itself).

use wasm_bindgen::JsCast;

/// Milliseconds on the monotonic clock (`performance.now()`), in the page or
/// in the odds' worker alike (each has its own `performance`).
pub fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |p| p.now())
}

/// Milliseconds since the Unix epoch (`Date.now()`), for stamps other tabs compare.
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    String::from(js_sys::Date::new_0().to_iso_string()).chars().take(10).collect()
}
