//! The app's JavaScript API, for scripts and tests on the page (Trunk puts
//! the exports on `window.wasmBindings`): the core's results, converted to
//! JavaScript values by serde-wasm-bindgen from the same serializable types
//! the command line writes as JSON. Only plain data crosses the boundary.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use retreat_core::{Options, analyze_bytes};

/// `lint(text, file = "plan.yaml")`: the object `retreat lint --format json`
/// prints for `text` (the contract's section 4), with the same Monte Carlo
/// runs and seed, so the browser and the command line can be compared.
#[wasm_bindgen]
pub fn lint(text: &str, file: Option<String>) -> Result<JsValue, JsError> {
    // As the command line reads a file: a byte-order mark is not text.
    let (text, analysis) = analyze_bytes(text.as_bytes(), &Options::default());
    let file = file.unwrap_or_else(|| "plan.yaml".into());
    let report = retreat_core::output::lint_report(&file, &text, &analysis);
    // JSON-compatible: `None` becomes `null` (not `undefined`), as in the contract.
    Ok(report.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
