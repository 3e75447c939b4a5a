//! Several hospitals (feature `wasm`): what the page's "Export site summary" and
//! "Combine site summaries" call. The site summary is made in the worker from the loaded
//! file ([`super::held::FileBuffer::site_summary`]); pooling, its guidance, the preview
//! and the report read only the summaries' and pooled documents' text. Every number is
//! the engine's ([`crate::analysis::sites`]), every sentence the text crate's
//! ([`crate::messages::sites_words`]), every text the CLI's bytes.

use super::{error_value, internal, to_js, user};
use crate::contract::sites::{Pooled, SiteSummary};
use crate::messages::sites_words;
use crate::report_html::{self, Lang, SitesReportOptions};
use wasm_bindgen::prelude::*;

fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// A document the page made or loaded, read as its type; `kind` names it in the error.
fn read<T: serde::de::DeserializeOwned>(text: &str, kind: &'static str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|e| user(kind, &format!("this is not {what}: {e}")))
}

/// The plain-words lines (`lang`: `"en"`, `"zh"`) of exactly what the site summary
/// `summary_json` contains ([`sites_words::preview`]).
#[wasm_bindgen]
pub fn site_summary_preview(summary_json: &str, lang_code: &str) -> Result<JsValue, JsValue> {
    let s: SiteSummary = read(summary_json, "invalid_site_summary", "a SurvLens site summary")?;
    to_js(&sites_words::preview(&s, lang(lang_code)))
}

/// `{round, about, converged, has_cox, text}`: where the rounds of the site-stratified
/// Cox model of the pooled document `pooled_json` stand ([`sites_words::guidance`]).
#[wasm_bindgen]
pub fn sites_guidance(pooled_json: &str, lang_code: &str) -> Result<JsValue, JsValue> {
    let p: Pooled = read(pooled_json, "invalid_pooled", "a SurvLens pooled file")?;
    to_js(&sites_words::guidance(&p, lang(lang_code)))
}

/// The pooled document of the site summaries `summaries` (their JSON texts, in the order
/// given): exactly the bytes `survlens pool` writes. Summaries of different protocols,
/// edited or of another format are refused with the CLI's error.
#[wasm_bindgen]
pub fn pool_sites(summaries: Vec<String>) -> Result<String, JsValue> {
    let texts: Vec<&str> = summaries.iter().map(String::as_str).collect();
    let pooled = crate::analysis::sites::pool_texts(&texts).map_err(error_value)?;
    let mut json = serde_json::to_string_pretty(&pooled).map_err(|e| internal(&e.to_string()))?;
    json.push('\n');
    Ok(json)
}

/// The self-contained HTML report of the pooled document `pooled_json`; `options` as
/// [`SitesReportOptions`] (`{lang}`).
#[wasm_bindgen]
pub fn sites_report_html(pooled_json: &str, options: JsValue) -> Result<String, JsValue> {
    let opts: SitesReportOptions = if options.is_undefined() || options.is_null() {
        SitesReportOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| user("invalid_options", &e.to_string()))?
    };
    let p: Pooled = read(pooled_json, "invalid_pooled", "a SurvLens pooled file")?;
    report_html::render_pooled(&p, &opts).map_err(|e| internal(&e.to_string()))
}
