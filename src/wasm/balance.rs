//! Wasm exports of the confounding step: the analysis with progress (the bootstrap's
//! replicates), the love plot and the propensity-score overlap figure (canvas + SVG).

use super::held::DetachedPerRow;
use super::{internal, user};
use crate::analysis::propensity_section::{BalanceTerm, PerRow};
use crate::plot::{self, FigureOptions};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
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

#[derive(serde::Deserialize)]
struct Label {
    label: String,
}

/// `per_row` as in the results document, or the stand-in of a large cohort's summary.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum PerRowInput {
    Detached(DetachedPerRow),
    Full(PerRow),
}

#[derive(serde::Deserialize)]
struct Propensity {
    balance: Vec<BalanceTerm>,
    per_row: PerRowInput,
}

impl Propensity {
    /// The overlap figure's histograms, one per panel.
    fn histograms(&self, labels: &[String]) -> Vec<Vec<[f64; plot::overlap::BINS]>> {
        match &self.per_row {
            PerRowInput::Detached(d) => d.overlap_histograms.clone(),
            PerRowInput::Full(p) => plot::overlap_histograms(p, labels),
        }
    }
}

#[derive(serde::Deserialize)]
struct Input {
    groups: Vec<Label>,
    propensity: Option<Propensity>,
}

/// The propensity section and group labels of a Report (object or JSON text).
fn input(report: &JsValue) -> Result<(Propensity, Vec<String>), JsValue> {
    let text: String = match report.as_string() {
        Some(t) => t,
        None => js_sys::JSON::stringify(report)
            .map_err(|_| user("invalid_report", "the report cannot be read"))?
            .into(),
    };
    let i: Input = serde_json::from_str(&text)
        .map_err(|e| user("invalid_report", &format!("the report cannot be read: {e}")))?;
    let ps = i.propensity.ok_or_else(|| {
        user(
            "no_propensity",
            "the report has no propensity section (add \"propensity\" to the spec)",
        )
    })?;
    Ok((ps, i.groups.into_iter().map(|g| g.label).collect()))
}

fn options(v: JsValue) -> Result<FigureOptions, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(FigureOptions::default());
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| user("invalid_options", &e.to_string()))
}

/// Height in layout px of the love plot of `report`.
#[wasm_bindgen]
pub fn love_plot_height(report: JsValue, options_js: JsValue) -> Result<f64, JsValue> {
    let (ps, _) = input(&report)?;
    Ok(plot::love_figure_height(ps.balance.len(), &options(options_js)?).round())
}

/// Draws the love plot on `canvas` (its size in device px used as is).
#[wasm_bindgen]
pub fn draw_love_plot(
    canvas: web_sys::HtmlCanvasElement,
    report: JsValue,
    options_js: JsValue,
) -> Result<(), JsValue> {
    let (ps, _) = input(&report)?;
    let opts = options(options_js)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| internal("no 2D context on the canvas"))?;
    let area = backend.into_drawing_area();
    plot::draw_love(&area, &ps.balance, &opts).map_err(|e| internal(&e.to_string()))?;
    area.present().map_err(|e| internal(&e.to_string()))
}

/// The love plot as an SVG document.
#[wasm_bindgen]
pub fn love_plot_svg(
    report: JsValue,
    options_js: JsValue,
    width: u32,
    height: u32,
) -> Result<String, JsValue> {
    let (ps, _) = input(&report)?;
    plot::render_love_svg(&ps.balance, &options(options_js)?, width, height)
        .map_err(|e| internal(&e.to_string()))
}

/// Height in layout px of the propensity-score overlap figure of `report`.
#[wasm_bindgen]
pub fn ps_overlap_height(report: JsValue, options_js: JsValue) -> Result<f64, JsValue> {
    let (_, labels) = input(&report)?;
    Ok(plot::overlap_figure_height(labels.len(), &options(options_js)?).round())
}

/// Draws the propensity-score overlap figure on `canvas`.
#[wasm_bindgen]
pub fn draw_ps_overlap(
    canvas: web_sys::HtmlCanvasElement,
    report: JsValue,
    options_js: JsValue,
) -> Result<(), JsValue> {
    let (ps, labels) = input(&report)?;
    let opts = options(options_js)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| internal("no 2D context on the canvas"))?;
    let area = backend.into_drawing_area();
    plot::draw_overlap_histograms(&area, &ps.histograms(&labels), &labels, &opts)
        .map_err(|e| internal(&e.to_string()))?;
    area.present().map_err(|e| internal(&e.to_string()))
}

/// The propensity-score overlap figure as an SVG document.
#[wasm_bindgen]
pub fn ps_overlap_svg(
    report: JsValue,
    options_js: JsValue,
    width: u32,
    height: u32,
) -> Result<String, JsValue> {
    let (ps, labels) = input(&report)?;
    let histograms = ps.histograms(&labels);
    plot::render_overlap_histograms_svg(&histograms, &labels, &options(options_js)?, width, height)
        .map_err(|e| internal(&e.to_string()))
}
