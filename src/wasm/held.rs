//! The worker's file and last results, kept in WebAssembly memory (issue 7).
//!
//! The file streams into one [`FileBuffer`] chunk by chunk: its bytes cross into
//! wasm once (never as a string) and every analysis, preview and export reads them
//! there. An analysis returns a [`Held`] result that keeps the Report here; the
//! page gets its *summary* and fetches the rest on demand:
//!
//! - the summary is the results document itself, except that for more than
//!   [`INLINE_ROWS`] rows `propensity.per_row` (four arrays of one value per
//!   patient) is replaced by a [`DetachedPerRow`] stand-in of O(groups²) size
//!   (the row count and the overlap figure's histograms). A 10⁶-row IPTW report
//!   is ~170 MB of JSON, almost all of it per-row; as JS objects it was gigabytes.
//! - the per-row arrays come as typed arrays ([`Held::per_row_weight`], ...), the
//!   complete results JSON (the CLI's bytes) as one `Uint8Array` ([`Held::json`]).

use super::{error_value, internal, user};
use crate::analysis::propensity_section::PerRow;
use crate::analysis::units::{self, Partial, Plan, Section};
use crate::analysis::Report;
use crate::plot::overlap::{overlap_histograms, BINS};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// Per-row arrays up to this many rows stay in the summary (the demo, small studies):
/// the report object is then exactly the results document.
pub const INLINE_ROWS: usize = 20_000;

/// What stands for `propensity.per_row` in the summary of a large cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetachedPerRow {
    /// Always true: the arrays are kept in the worker (`Engine#perRow()`).
    pub detached: bool,
    /// Rows of the per-row arrays.
    pub n: usize,
    /// The overlap figure's data: per panel, per group, percent of the group in
    /// each of the 25 bins of [0, 1] (`plot::overlap_histograms`).
    pub overlap_histograms: Vec<Vec<[f64; BINS]>>,
}

fn out_of_memory(what: &str) -> JsValue {
    user(
        "out_of_memory",
        &format!(
            "The browser cannot give this page the memory to {what}. Close other tabs and try again, \
             remove unused columns or rows from the file, or use the command-line tool \
             (survlens analyze) for very large files."
        ),
    )
}

/// The file's bytes in wasm memory, filled chunk by chunk as the worker reads it.
#[wasm_bindgen]
pub struct FileBuffer {
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl FileBuffer {
    /// An empty buffer with room for `capacity` bytes (the file's size).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: f64) -> Result<FileBuffer, JsValue> {
        super::memory::clear_failed();
        let mut bytes = Vec::new();
        let cap = if capacity.is_finite() && capacity > 0.0 {
            capacity as usize
        } else {
            0
        };
        bytes
            .try_reserve_exact(cap)
            .map_err(|_| out_of_memory("read this file"))?;
        Ok(FileBuffer { bytes })
    }

    /// Appends a chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.bytes
            .try_reserve(chunk.len())
            .map_err(|_| out_of_memory("read this file"))?;
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// Appends `len` zero bytes and returns where they start in the module's memory,
    /// for the caller to copy a chunk there directly (`new Uint8Array(memory.buffer,
    /// at, len).set(chunk)`, after this call: the memory may have grown). One copy
    /// of the file instead of [`Self::push`]'s two, and no second file-sized block.
    pub fn extend(&mut self, len: usize) -> Result<usize, JsValue> {
        self.bytes
            .try_reserve(len)
            .map_err(|_| out_of_memory("read this file"))?;
        let at = self.bytes.len();
        self.bytes.resize(at + len, 0);
        Ok(self.bytes.as_ptr() as usize + at)
    }

    /// Bytes held.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> f64 {
        self.bytes.len() as f64
    }

    /// The preview of the mapping form (as `preview`).
    pub fn preview(&self, n_rows: usize) -> Result<JsValue, JsValue> {
        super::preview(&self.bytes, n_rows)
    }

    /// KM times and τ suggested from the file's follow-up (as `suggest_times`).
    pub fn suggest_times(&self, spec_json: &str) -> Result<JsValue, JsValue> {
        super::suggest_times(&self.bytes, spec_json)
    }

    /// The missing values of the spec's covariates, per column and group, and the
    /// complete-case n ([`crate::missing_data::missingness`]): the missing-data panel.
    pub fn missingness(&self, spec_json: &str) -> Result<JsValue, JsValue> {
        super::to_js(
            &crate::missing_data::missingness(&self.bytes, spec_json)
                .map_err(super::error_value)?,
        )
    }

    /// Cut points for `cox.periods` from the file's event times (as `suggest_periods`).
    pub fn suggest_periods(&self, spec_json: &str) -> Result<JsValue, JsValue> {
        super::suggest_periods(&self.bytes, spec_json)
    }

    /// Runs `spec_json` on the file; `on_progress(done, total)`, when given, follows
    /// the bootstrap's replicates. The result stays here: see [`Held`].
    /// `partials`: the work units of the splittable sections computed by the page's
    /// worker pool ([`Self::run_units`] on the same file and spec, laid end to end); the
    /// analysis reads them instead of computing them and combines them as the CLI does
    /// (`crate::analysis::units`). Partials of another file or spec are refused
    /// (`stale_partials`).
    pub fn analyze(
        &self,
        spec_json: &str,
        on_progress: Option<js_sys::Function>,
        partials: Option<Vec<u8>>,
    ) -> Result<Held, JsValue> {
        super::memory::clear_failed();
        let plan = match partials {
            Some(bytes) => Plan::Given(self.decode_partials(&bytes, spec_json)?),
            None => Plan::All,
        };
        let mut progress = progress_of(on_progress);
        let (report, stages) = crate::timing::record(super::clock, || {
            crate::analysis::Analysis::from_json(spec_json)
                .progress(&mut progress)
                .plan(&plan)
                .run(&self.bytes)
        });
        let mut held = Held::new(report.map_err(error_value)?);
        held.timings = crate::timing::to_json(&stages);
        Ok(held)
    }

    /// Runs units `start..end` of `section` (`"adjusted_bootstrap"`,
    /// `"emulation_bootstrap"`: see [`super::work_units`]) of `spec_json` on the file: the
    /// partial result as bytes for [`Self::analyze`] of the coordinating worker, stamped
    /// with the fingerprint of this file and spec (`crate::analysis::units`).
    /// `on_progress(done, end − start)` every 1% of the units.
    pub fn run_units(
        &self,
        spec_json: &str,
        section: &str,
        start: usize,
        end: usize,
        on_progress: Option<js_sys::Function>,
    ) -> Result<Vec<u8>, JsValue> {
        super::memory::clear_failed();
        let section = Section::from_name(section)
            .ok_or_else(|| internal(&format!("no splittable section {section}")))?;
        let plan = Plan::range(section, start, end);
        let mut progress = progress_of(on_progress);
        crate::analysis::Analysis::from_json(spec_json)
            .progress(&mut progress)
            .plan(&plan)
            .run(&self.bytes)
            .map_err(error_value)?;
        Ok(units::encode(
            units::fingerprint(&self.bytes, spec_json),
            &plan.into_partials(),
        ))
    }
    /// The HTML report of `spec_json` on the file (as `report_html`).
    pub fn report_html(&self, spec_json: &str, options: JsValue) -> Result<String, JsValue> {
        super::export::report_html(&self.bytes, spec_json, options)
    }

    /// The site summary of the file under `spec_json` for the site `site`, with the rounds
    /// of the pooled document `pooled` (text; `pooled_name` its file name, which errors
    /// name) when given (the bytes of `survlens site`).
    pub fn site_summary(
        &self,
        spec_json: &str,
        site: &str,
        pooled: Option<String>,
        pooled_name: Option<String>,
    ) -> Result<String, JsValue> {
        let name = pooled_name.as_deref().unwrap_or("pooled file");
        let pooled = pooled.as_deref().map(|text| (name, text));
        super::sites::summary_text(&self.bytes, spec_json, site, pooled)
    }

    /// The R script of `spec_json` (as `r_script`).
    pub fn r_script(&self, spec_json: &str, options: JsValue) -> Result<String, JsValue> {
        super::export::r_script(&self.bytes, spec_json, options)
    }
}

impl FileBuffer {
    fn decode_partials(&self, bytes: &[u8], spec_json: &str) -> Result<Vec<Partial>, JsValue> {
        units::decode(bytes, units::fingerprint(&self.bytes, spec_json)).map_err(|e| match e {
            units::DecodeError::OtherInput => user(
                "stale_partials",
                "The worker pool's partial results belong to another file or another analysis; run the analysis again.",
            ),
            units::DecodeError::Malformed => internal("the worker pool's partial results are malformed"),
        })
    }
}

/// The progress callback of the core: `on_progress(done, total)` when given.
fn progress_of(on_progress: Option<js_sys::Function>) -> impl FnMut(usize, usize) {
    move |done: usize, total: usize| {
        if let Some(f) = &on_progress {
            let _ = f.call2(
                &JsValue::NULL,
                &(done as f64).into(),
                &(total as f64).into(),
            );
        }
    }
}

/// An analysis's Report, kept in the worker until the next one.
#[wasm_bindgen]
pub struct Held {
    report: Report,
    /// The analysis's stage timings (`crate::timing::to_json`), `{}` when not recorded.
    timings: String,
}

impl Held {
    pub fn new(report: Report) -> Held {
        Held {
            report,
            timings: "{}".to_string(),
        }
    }

    fn per_row(&self) -> Option<&PerRow> {
        self.report.propensity.as_ref().map(|p| &p.per_row)
    }

    fn labels(&self) -> Vec<String> {
        self.report.groups.iter().map(|g| g.label.clone()).collect()
    }
}

#[wasm_bindgen]
impl Held {
    /// Rows of the per-row arrays (0 without a propensity section).
    #[wasm_bindgen(getter)]
    pub fn per_row_len(&self) -> usize {
        self.per_row().map_or(0, |p| p.line.len())
    }

    /// The stage timings of the analysis in the core, JSON text `{"stage": seconds, ...}`
    /// (`spec`, `read`, `cohort`, `analysis`, `analysis/km`, ...; see `crate::timing`).
    pub fn timings_json(&self) -> String {
        self.timings.clone()
    }

    /// Whether the summary keeps the per-row arrays (then it is the whole document).
    #[wasm_bindgen(getter)]
    pub fn inline(&self) -> bool {
        self.per_row_len() <= INLINE_ROWS
    }

    /// The summary as JSON text: the results document, with `propensity.per_row`
    /// replaced by a [`DetachedPerRow`] unless [`Self::inline`] (then it is the text
    /// of [`Self::json`]: the Report has one JSON writer in the module, the pretty one).
    pub fn summary_json(&mut self) -> Result<String, JsValue> {
        if self.inline() {
            return String::from_utf8(self.json()?).map_err(|e| internal(&e.to_string()));
        }
        let labels = self.labels();
        let Some(ps) = self.report.propensity.as_mut() else {
            return Err(internal("per-row arrays without a propensity section"));
        };
        let empty = PerRow {
            line: vec![],
            group: Default::default(),
            weight: vec![],
            ps: Default::default(),
        };
        let per_row = std::mem::replace(&mut ps.per_row, empty);
        let stand_in = DetachedPerRow {
            detached: true,
            n: per_row.line.len(),
            overlap_histograms: overlap_histograms(&per_row, &labels),
        };
        let value = serde_json::to_value(&self.report);
        if let Some(ps) = self.report.propensity.as_mut() {
            ps.per_row = per_row; // back in place before any error leaves
        }
        let mut value = value.map_err(|e| internal(&e.to_string()))?;
        if let Some(slot) = value.pointer_mut("/propensity/per_row") {
            *slot = serde_json::to_value(stand_in).map_err(|e| internal(&e.to_string()))?;
        }
        serde_json::to_string(&value).map_err(|e| internal(&e.to_string()))
    }

    /// The complete results document: exactly the bytes `survlens analyze` writes.
    pub fn json(&self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        out.try_reserve(1 << 16)
            .map_err(|_| out_of_memory("write the results"))?;
        serde_json::to_writer_pretty(&mut out, &self.report)
            .map_err(|e| internal(&e.to_string()))?;
        out.push(b'\n');
        Ok(out)
    }

    /// `per_row.line` (1-based file lines).
    pub fn per_row_line(&self) -> Vec<f64> {
        self.per_row()
            .map_or_else(Vec::new, |p| p.line.iter().map(|&l| l as f64).collect())
    }

    /// `per_row.group` as indices into the report's `groups` (group order).
    pub fn per_row_group(&self) -> Vec<u32> {
        let labels = self.labels();
        self.per_row().map_or_else(Vec::new, |p| {
            p.group
                .iter()
                .map(|g| {
                    labels
                        .iter()
                        .position(|l| l == g)
                        .map_or(u32::MAX, |i| i as u32)
                })
                .collect()
        })
    }

    /// `per_row.weight`.
    pub fn per_row_weight(&self) -> Vec<f64> {
        self.per_row().map_or_else(Vec::new, |p| p.weight.clone())
    }

    /// `per_row.ps` row-major: row i, group k at `i * groups + k`.
    pub fn per_row_ps(&self) -> Vec<f64> {
        let k = self.report.groups.len();
        self.per_row().map_or_else(Vec::new, |p| {
            p.ps.into_iter()
                .flat_map(|row| (0..k).map(move |j| row.get(j).copied().unwrap_or(f64::NAN)))
                .collect()
        })
    }
}
