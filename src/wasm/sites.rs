//! Several hospitals (feature `wasm`; docs/methods.md#sites): what the page's "Export site
//! summary" and "Combine site summaries" call. The site summary is made in the worker from
//! the loaded file ([`super::held::FileBuffer::site_summary`], or [`site_summary`] from
//! bytes); pooling, its guidance, the preview, the warnings and the report read only the
//! summaries' and pooled documents' text. Every number is the engine's
//! ([`crate::analysis::sites`]), every sentence the text crate's
//! ([`crate::messages::sites_words`]), every document the CLI's bytes (`survlens site`,
//! `survlens pool`).

use super::{internal, localized, to_js, user};
use crate::analysis::sites::{self as engine, SitesError};
use crate::contract::sites::SiteSummary;
use crate::messages::sites_words;
use crate::report_html::{self, Lang, SitesReportOptions};
use wasm_bindgen::prelude::*;

fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// The plain-words lines (`lang`: `"en"`, `"zh"`) of exactly what the site summary
/// `summary_json` contains ([`sites_words::preview`]).
#[wasm_bindgen]
pub fn site_summary_preview(summary_json: &str, lang_code: &str) -> Result<JsValue, JsValue> {
    let s = engine::read_summary("site summary", summary_json.as_bytes()).map_err(sites_error)?;
    to_js(&sites_words::preview(&s, lang(lang_code)))
}

/// `{round, about, converged, has_cox, text}`: where the rounds of the site-stratified
/// Cox model of the pooled document `pooled_json` stand ([`sites_words::guidance`]).
#[wasm_bindgen]
pub fn sites_guidance(pooled_json: &str, lang_code: &str) -> Result<JsValue, JsValue> {
    let p = engine::read_pooled("pooled file", pooled_json.as_bytes()).map_err(sites_error)?;
    to_js(&sites_words::guidance(&p, lang(lang_code)))
}

/// `{kind, message, messages: {en, zh}}` of a sites error (the CLI's sentence and its
/// Chinese, [`SitesError::message`]).
pub(super) fn sites_error(e: SitesError) -> JsValue {
    let en = e.message(Lang::En);
    let zh = e.message(Lang::Zh);
    localized(user(e.kind(), &en), &en, &zh)
}

/// A document as the CLI writes it: pretty JSON with a final newline.
pub(super) fn pretty<T: serde::Serialize>(doc: &T) -> Result<String, JsValue> {
    let mut json = serde_json::to_string_pretty(doc).map_err(|e| internal(&e.to_string()))?;
    json.push('\n');
    Ok(json)
}

/// The pooled document of the site summaries `files` (their texts, in order), named
/// `names` in errors: exactly the bytes `survlens pool` writes. Summaries of different
/// protocols, edited or of another format are refused with the CLI's error
/// ([`engine::read_summary`], [`engine::pool`]).
#[wasm_bindgen]
pub fn pool_sites(files: Vec<String>, names: Vec<String>) -> Result<String, JsValue> {
    if files.len() > crate::limits::MAX_SITES {
        return Err(sites_error(SitesError::Limit {
            what: "Site summaries".into(),
            limit: crate::limits::MAX_SITES,
        }));
    }
    let summaries = files
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let name = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("file {}", i + 1));
            engine::read_summary(&name, text.as_bytes())
        })
        .collect::<Result<Vec<SiteSummary>, SitesError>>()
        .map_err(sites_error)?;
    pretty(&engine::pool(&summaries).map_err(sites_error)?)
}

/// The site summary of `data` under the protocol `spec_json` for the site `site`;
/// `pooled_json` (empty: none) is the coordinator's last pooled file, whose Cox rounds are
/// added (`survlens site --beta`): exactly the bytes `survlens site` writes.
#[wasm_bindgen]
pub fn site_summary(
    data: &[u8],
    spec_json: &str,
    site: &str,
    pooled_json: &str,
) -> Result<String, JsValue> {
    let pooled = Some(pooled_json).filter(|t| !t.trim().is_empty());
    summary_text(data, spec_json, site, pooled.map(|t| ("pooled.json", t)))
}

/// [`site_summary`] with the pooled file's text and name (which errors name).
pub(super) fn summary_text(
    data: &[u8],
    spec_json: &str,
    site: &str,
    pooled: Option<(&str, &str)>,
) -> Result<String, JsValue> {
    let spec = crate::Spec::from_json(spec_json)
        .map_err(|e| sites_error(SitesError::Analysis(e.into())))?;
    let pooled = pooled
        .map(|(name, text)| engine::read_pooled(name, text.as_bytes()))
        .transpose()
        .map_err(sites_error)?;
    pretty(&engine::site_summary(data, &spec, site, pooled.as_ref()).map_err(sites_error)?)
}

/// The self-contained HTML report of the pooled document `pooled_json`; `options` as
/// [`SitesReportOptions`] (`{lang}`).
#[wasm_bindgen]
pub fn sites_report_html(pooled_json: &str, options: JsValue) -> Result<String, JsValue> {
    let opts: SitesReportOptions = if options.is_undefined() || options.is_null() {
        SitesReportOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| user("invalid_options", &e.to_string()))?
    };
    let p = engine::read_pooled("pooled file", pooled_json.as_bytes()).map_err(sites_error)?;
    report_html::render_pooled(&p, &opts).map_err(|e| internal(&e.to_string()))
}

/// The warnings of the pooled document `pooled_json` in `lang`: one sentence each (the
/// catalogue's, [`crate::messages::warning_text`]; the English `message` for a code it
/// does not know).
#[wasm_bindgen]
pub fn sites_warnings(pooled_json: &str, lang_code: &str) -> Result<JsValue, JsValue> {
    let p = engine::read_pooled("pooled file", pooled_json.as_bytes()).map_err(sites_error)?;
    let lang = lang(lang_code);
    let texts: Vec<String> = p
        .warnings
        .iter()
        .map(|w| {
            crate::messages::warning_text(w.code, &w.context, lang)
                .unwrap_or_else(|| w.message.clone())
        })
        .collect();
    to_js(&texts)
}
