//! Exports of the page (feature `wasm`): the report page, the R script and the
//! protocol file. Generated in the worker, where the data bytes live.

use super::{error_value, user};
use crate::report_html::{self, ReportOptions};
use crate::rscript::{self, RScriptOptions};
use wasm_bindgen::prelude::*;

fn options<T: serde::de::DeserializeOwned + Default>(v: JsValue) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| user("invalid_options", &e.to_string()))
}

/// The self-contained HTML report of `spec_json` run on `data`; `options` as
/// [`ReportOptions`] (`{lang, data_name, include_patient_data}`).
#[wasm_bindgen]
pub fn report_html(data: &[u8], spec_json: &str, options_js: JsValue) -> Result<String, JsValue> {
    let opts: ReportOptions = options(options_js)?;
    report_html::analyze_to_html(data, spec_json, &opts).map_err(error_value)
}

/// The R script reproducing `spec_json`; `options` as [`RScriptOptions`]
/// (`{data_name, delimiter}`); `data`, when not empty, gives the delimiter.
#[wasm_bindgen]
pub fn r_script(data: &[u8], spec_json: &str, options_js: JsValue) -> Result<String, JsValue> {
    let mut opts: RScriptOptions = options(options_js)?;
    let spec = crate::Spec::from_json(spec_json).map_err(|e| error_value(e.into()))?;
    if crate::ingest::table::is_workbook(data) {
        // An Excel workbook: the script reads a CSV saved from the sheet SurvLens reads.
        opts.workbook = true;
        #[cfg(feature = "xlsx")]
        if opts.sheet.is_none() && spec.sheet.is_none() {
            opts.sheet = crate::ingest::sheet_names(data).into_iter().next();
        }
    } else if opts.delimiter.is_none() && !data.is_empty() {
        // The header line decides the delimiter: read only it.
        let end = data
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| i + 1);
        let header = data.get(..end).unwrap_or(data);
        opts.delimiter = crate::ingest::read_table(header)
            .ok()
            .map(|t| t.delimiter() as char);
    }
    Ok(rscript::r_script(&spec, &opts))
}

/// The protocol file of `spec_json`: the spec as it runs, defaults filled in (the
/// report names its SHA-256).
#[wasm_bindgen]
pub fn protocol_file(spec_json: &str) -> Result<String, JsValue> {
    let spec = crate::Spec::from_json(spec_json).map_err(|e| error_value(e.into()))?;
    Ok(report_html::protocol_text(&spec))
}
