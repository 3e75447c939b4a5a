//! The WebAssembly shell (feature `wasm`): the page's worker and `www/survlens.js`
//! call these. Thin: every number comes from [`crate::analysis`], every figure
//! from [`crate::plot`], by name from its registry ([`crate::plot::registry`], `figures`).
//!
//! Errors reach JS as plain objects `{kind, message}`: `kind` is the stable code of
//! [`crate::Error::kind`], `message` the CLI's sentence. A panic (a bug) is first
//! reported to `globalThis.survlensOnPanic(message)` when that exists, then traps;
//! the worker turns it into `{kind: "internal"}` and restarts.

mod balance;
mod export;
mod figures;
mod format;
mod held;
mod memory;
mod periods;
mod preview;
mod sentences;
mod sites;
pub mod warm;

pub use warm::warm_up;

use crate::plot;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("internal error (please report it): {info}");
        let global = js_sys::global();
        if let Ok(f) = js_sys::Reflect::get(&global, &"survlensOnPanic".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&JsValue::NULL, &message.into());
            }
        }
    }));
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` of the window or the worker (milliseconds).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Seconds of `performance.now()`: the clock of the stage timings (`crate::timing`).
fn clock() -> f64 {
    performance_now() / 1000.0
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Whether this module reads Excel workbooks (built with the `xlsx` feature). The
/// page's worker starts on the module without (`www/pkg/`, the smaller download) and
/// loads the one with (`www/pkg-xlsx/`) when a workbook is opened (scripts/build-web).
#[wasm_bindgen]
pub fn reads_workbooks() -> bool {
    cfg!(feature = "xlsx")
}

/// Whether a file starting with `head` (its first bytes; 4 suffice) is an Excel
/// workbook ([`crate::ingest::table::is_workbook`]): the worker's test for loading the
/// module that reads it.
#[wasm_bindgen]
pub fn is_workbook(head: &[u8]) -> bool {
    crate::ingest::table::is_workbook(head)
}

/// Runs the analysis of `spec_json` on the file `data`; the Report as a plain object:
/// `JSON.parse` of [`analyze_json`]'s text. (Through the JSON text, not
/// serde-wasm-bindgen: one serialisation of the Report in the module, not two, ~30 KB.)
#[wasm_bindgen]
pub fn analyze(data: &[u8], spec_json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&analyze_json(data, spec_json)?)
        .map_err(|_| internal("the results document is not JSON"))
}

/// As [`analyze`], but the Report as JSON text (the bytes the CLI writes).
#[wasm_bindgen]
pub fn analyze_json(data: &[u8], spec_json: &str) -> Result<String, JsValue> {
    let report = crate::analysis::Analysis::from_json(spec_json)
        .run(data)
        .map_err(error_value)?;
    // Exactly the bytes `survlens analyze` writes (pretty, newline-terminated).
    let mut json = serde_json::to_string_pretty(&report).map_err(|e| internal(&e.to_string()))?;
    json.push('\n');
    Ok(json)
}

/// The splittable work of `spec_json` (the page's worker pool, issue 24):
/// `[{section, total}]`, one entry per section whose units the pool may share
/// (`FileBuffer.run_units`), `total` its unit count. `[]` for a spec that is not valid.
#[wasm_bindgen]
pub fn work_units(spec_json: &str) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Work {
        section: &'static str,
        total: usize,
    }
    let work: Vec<Work> = crate::Spec::from_json(spec_json)
        .map(|spec| {
            crate::analysis::units::work_units(&spec)
                .into_iter()
                .map(|(s, total)| Work {
                    section: s.name(),
                    total,
                })
                .collect()
        })
        .unwrap_or_default();
    to_js(&work)
}

/// The first `n_rows` rows with detected column types and mapping guesses.
#[wasm_bindgen]
pub fn preview(data: &[u8], n_rows: usize) -> Result<JsValue, JsValue> {
    to_js(&preview::preview(data, n_rows).map_err(|e| error_value(e.into()))?)
}

/// `{"times": [..], "tau": x|null, "max_follow_up": y|null}`: KM times and RMST τ
/// suggested from the follow-up of `data` under `spec_json`'s time, event and group.
#[wasm_bindgen]
pub fn suggest_times(data: &[u8], spec_json: &str) -> Result<JsValue, JsValue> {
    to_js(&preview::suggest_times(data, spec_json).map_err(error_value)?)
}

/// `{"cuts": [..], "n_events": n}`: cut points for `cox.periods` suggested from the event
/// times of `data` under `spec_json`'s time, event and group (their tertiles: `periods`).
#[wasm_bindgen]
pub fn suggest_periods(data: &[u8], spec_json: &str) -> Result<JsValue, JsValue> {
    to_js(&periods::suggest_periods(data, spec_json).map_err(error_value)?)
}

/// Debug hook for the tests: panics, as a bug would.
#[wasm_bindgen]
pub fn debug_panic() {
    panic!("deliberate panic (debug message)");
}

/// Debug hook for the tests: allocates (without touching the pages) until the
/// WebAssembly memory cannot grow, as a file too large for the browser would.
#[wasm_bindgen]
pub fn debug_oom() -> usize {
    let mut held: Vec<Vec<u8>> = Vec::new();
    loop {
        // An allocation failure aborts (a trap), like any out-of-memory in the core.
        held.push(Vec::with_capacity(64 << 20));
        std::hint::black_box(&held);
        if held.len() > 1 << 20 {
            return held.len();
        }
    }
}

/// Stamps `dpi` into a PNG's `pHYs` chunk.
#[wasm_bindgen]
pub fn set_png_dpi(png: &[u8], dpi: f64) -> Vec<u8> {
    plot::png::set_png_dpi(png, dpi)
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    v.serialize(&ser).map_err(|e| internal(&e.to_string()))
}

/// `{kind, message, messages: {en, zh}, column?, line?, field?}`: `message` is the CLI's
/// English sentence, `messages` the same error in each language of the page
/// (crate::messages); `column` (data column), `line` (file line, header = 1) and `field`
/// (spec field) say where, when the error knows: the page marks that control.
fn error_value(e: crate::Error) -> JsValue {
    let en = e.to_string();
    let zh = crate::messages::error_text(&e, crate::report_html::Lang::Zh);
    let o = localized(user(e.kind(), &en), &en, &zh);
    if let Some(c) = e.column() {
        let _ = js_sys::Reflect::set(&o, &"column".into(), &c.into());
    }
    if let Some(l) = e.line() {
        let _ = js_sys::Reflect::set(&o, &"line".into(), &(l as f64).into());
    }
    if let Some(f) = e.field() {
        let _ = js_sys::Reflect::set(&o, &"field".into(), &f.into());
    }
    o
}

fn localized(o: JsValue, en: &str, zh: &str) -> JsValue {
    let m = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&m, &"en".into(), &en.into());
    let _ = js_sys::Reflect::set(&m, &"zh".into(), &zh.into());
    let _ = js_sys::Reflect::set(&o, &"messages".into(), &m);
    o
}

/// The language (`"en"`, `"zh"`) of figures drawn without a `lang` option: the
/// page's language switch sets it once, so every figure follows the page.
#[wasm_bindgen]
pub fn set_figure_language(lang: &str) {
    crate::plot::words::set_page_lang(crate::report_html::Lang::parse(lang).unwrap_or_default());
}

/// The warnings of `report` (a Report object) in `lang` (`"en"`, `"zh"`):
/// `{warnings: [text | null, ...]}`, one per warning, null where the catalogue has no
/// text (show the warning's English `message`). See [`crate::messages::localize`].
#[wasm_bindgen]
pub fn localize_messages(report: JsValue, lang: &str) -> Result<JsValue, JsValue> {
    let doc: sentences::PageDocument =
        serde_wasm_bindgen::from_value(report).map_err(|e| internal(&e.to_string()))?;
    let lang = crate::report_html::Lang::parse(lang).unwrap_or_default();
    let ph_tests = doc.ph_tests();
    to_js(&crate::messages::localize_sentences(
        &doc.sentences(&ph_tests),
        lang,
    ))
}

/// Whether the proportional-hazards test of `report`'s Cox model finds the hazards of
/// the spec's group not proportional (the verdict `NotProportional { group: true }` of
/// [`crate::messages::ph_reading::verdict`], restored as [`sentences::PageDocument::ph_test`]
/// does): the page then offers hazard ratios by period (`cox.periods`).
#[wasm_bindgen]
pub fn ph_flags_group(report: JsValue) -> Result<bool, JsValue> {
    let doc: sentences::PageDocument =
        serde_wasm_bindgen::from_value(report).map_err(|e| internal(&e.to_string()))?;
    Ok(doc.ph_test().is_some_and(|ph| {
        ph.terms.iter().any(|t| {
            matches!(
                t.verdict,
                crate::contract::cox::PhVerdict::NotProportional { group: true, .. }
            )
        })
    }))
}

fn user(kind: &str, message: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&o, &"message".into(), &message.into());
    o.into()
}

fn internal(message: &str) -> JsValue {
    user(
        "internal",
        &format!("internal error (please report it): {message}"),
    )
}
