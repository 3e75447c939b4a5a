//! Wasm export of the confounding step: the analysis with progress (the bootstrap's
//! replicates). Its figures (love plot, propensity-score overlap) are in `figures`.

use super::internal;
use wasm_bindgen::prelude::*;

/// As `analyze_json`, calling `on_progress(done, total)` as the bootstrap's replicates
/// run (about every 1%). The worker posts these to the page; cancel = terminate it.
#[wasm_bindgen]
pub fn analyze_json_progress(
    data: &[u8],
    spec_json: &str,
    on_progress: &js_sys::Function,
) -> Result<String, JsValue> {
    let mut progress = |done: usize, total: usize| {
        let _ = on_progress.call2(
            &JsValue::NULL,
            &(done as f64).into(),
            &(total as f64).into(),
        );
    };
    let report = crate::analysis::Analysis::from_json(spec_json)
        .progress(&mut progress)
        .run(data)
        .map_err(super::error_value)?;
    let mut json = serde_json::to_string_pretty(&report).map_err(|e| internal(&e.to_string()))?;
    json.push('\n');
    Ok(json)
}
