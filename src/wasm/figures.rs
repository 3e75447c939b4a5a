//! The page's figures: one entry point per operation, the figure named
//! ([`crate::plot::registry::FIGURES`]): its height, drawing it on a canvas, its SVG,
//! and the list of figures the page builds its own from. `report` is a Report object
//! or JSON text (the page sends only the sections the figure reads); `options` as
//! [`crate::plot::KmPlotOptions`] (the Kaplan–Meier figure) or
//! [`crate::plot::FigureOptions`] (the others).

use super::{internal, to_js, user};
use crate::plot::registry::{self, FigureError, Options, OptionsKind, PageFigure};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn js_error(e: FigureError) -> JsValue {
    user(e.kind, &e.message)
}

/// The Report's text: as given, or `JSON.stringify` of an object. (Through the text,
/// not serde-wasm-bindgen: much faster than walking a big object; a cohort of millions
/// has curves of tens of thousands of points.)
fn report_text(report: &JsValue) -> Result<String, JsValue> {
    match report.as_string() {
        Some(text) => Ok(text),
        None => Ok(js_sys::JSON::stringify(report)
            .map_err(|_| user("invalid_report", "the report cannot be read"))?
            .into()),
    }
}

fn options(kind: OptionsKind, v: JsValue) -> Result<Options, JsValue> {
    let given = !(v.is_undefined() || v.is_null());
    let bad = |e: serde_wasm_bindgen::Error| user("invalid_options", &e.to_string());
    Ok(match kind {
        OptionsKind::Km if given => Options::Km(serde_wasm_bindgen::from_value(v).map_err(bad)?),
        OptionsKind::Km => Options::Km(Default::default()),
        OptionsKind::Figure if given => {
            Options::Figure(serde_wasm_bindgen::from_value(v).map_err(bad)?)
        }
        OptionsKind::Figure => Options::Figure(Default::default()),
    })
}

/// Figure `name` of `report` with `options`.
fn figure(name: &str, report: &JsValue, options_js: JsValue) -> Result<PageFigure, JsValue> {
    let kind = registry::figure_kind(name).map_err(js_error)?;
    let options = options(kind.options, options_js)?;
    let parts: registry::FigureReport = serde_json::from_str(&report_text(report)?)
        .map_err(|e| js_error(registry::FigureReport::parse_error(e)))?;
    kind.read(parts, options).map_err(js_error)
}

/// Height in layout px that suits figure `name` `width` px wide.
#[wasm_bindgen]
pub fn figure_height(
    name: &str,
    report: JsValue,
    options: JsValue,
    width: f64,
) -> Result<f64, JsValue> {
    Ok(figure(name, &report, options)?.height(width))
}

/// Draws figure `name` on `canvas`, whose size in device px is used as is.
#[wasm_bindgen]
pub fn draw_figure(
    name: &str,
    canvas: web_sys::HtmlCanvasElement,
    report: JsValue,
    options: JsValue,
) -> Result<(), JsValue> {
    let fig = figure(name, &report, options)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| internal("no 2D context on the canvas"))?;
    let area = backend.into_drawing_area();
    fig.draw(&area).map_err(|e| js_error(e.into()))?;
    area.present().map_err(|e| internal(&e.to_string()))
}

/// Figure `name` as an SVG document (the same drawing code as the canvas), `width` ×
/// `height` px (the Cox figures size themselves from the width).
#[wasm_bindgen]
pub fn figure_svg(
    name: &str,
    report: JsValue,
    options: JsValue,
    width: u32,
    height: u32,
) -> Result<String, JsValue> {
    figure(name, &report, options)?
        .svg(width, height)
        .map_err(|e| js_error(e.into()))
}

/// The tables of figure `name` (its text alternative; see
/// [`registry::PageFigure::tables`]): `[{caption, headers, rows}]` of printed cells in
/// the language of `options.lang`, or `null` when the section's own tables serve.
#[wasm_bindgen]
pub fn figure_tables(name: &str, report: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    to_js(&figure(name, &report, options)?.tables())
}

/// One figure of [`figure_list`].
#[derive(Serialize)]
struct Listed {
    name: &'static str,
    label: &'static str,
    caption_key: &'static str,
    sections: &'static [&'static str],
}

/// The page's figures, in order: `[{name, label, caption_key, sections}]` (label: the
/// English accessible name, the page's text key; sections: what the figure reads).
#[wasm_bindgen]
pub fn figure_list() -> Result<JsValue, JsValue> {
    let list: Vec<Listed> = registry::FIGURES
        .iter()
        .map(|f| Listed {
            name: f.name,
            label: f.label,
            caption_key: f.caption_key,
            sections: f.sections,
        })
        .collect();
    to_js(&list)
}
