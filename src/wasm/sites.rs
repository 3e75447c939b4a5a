//! The multi-site exports of the page (feature `wasm`; docs/methods.md#sites): the site
//! summary of the file in the worker, and the coordinator's pooling of several summaries.
//! Both return the JSON text the CLI writes (`survlens site`, `survlens pool`).

use super::{localized, user};
use crate::analysis::sites::{self, SitesError};
use crate::report_html::Lang;
use wasm_bindgen::prelude::*;

fn sites_error(e: &SitesError) -> JsValue {
    let en = e.message(Lang::En);
    let zh = e.message(Lang::Zh);
    localized(user(e.kind(), &en), &en, &zh)
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string_pretty(value)
        .map(|t| t + "\n")
        .map_err(|e| super::internal(&e.to_string()))
}

/// The site summary of `data` under the protocol `spec_json` for the site `site`;
/// `pooled_json` (empty: none) is the coordinator's last pooled file, whose Cox rounds
/// are added (`survlens site --beta`).
#[wasm_bindgen]
pub fn site_summary(
    data: &[u8],
    spec_json: &str,
    site: &str,
    pooled_json: &str,
) -> Result<String, JsValue> {
    let spec = crate::Spec::from_json(spec_json)
        .map_err(|e| sites_error(&SitesError::Analysis(e.into())))?;
    let pooled = if pooled_json.trim().is_empty() {
        None
    } else {
        Some(
            sites::read_pooled("pooled.json", pooled_json.as_bytes())
                .map_err(|e| sites_error(&e))?,
        )
    };
    let summary =
        sites::site_summary(data, &spec, site, pooled.as_ref()).map_err(|e| sites_error(&e))?;
    pretty(&summary)
}

/// The pooled document of the site summaries `files` (their texts, in order), named
/// `names` in errors (`survlens pool`).
#[wasm_bindgen]
pub fn pool_sites(files: Vec<String>, names: Vec<String>) -> Result<String, JsValue> {
    if files.len() > crate::limits::MAX_SITES {
        return Err(sites_error(&SitesError::Limit {
            what: "Site summaries".into(),
            limit: crate::limits::MAX_SITES,
        }));
    }
    let mut summaries = Vec::with_capacity(files.len());
    for (i, text) in files.iter().enumerate() {
        let name = names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("file {}", i + 1));
        summaries.push(sites::read_summary(&name, text.as_bytes()).map_err(|e| sites_error(&e))?);
    }
    let pooled = sites::pool(&summaries).map_err(|e| sites_error(&e))?;
    pretty(&pooled)
}
