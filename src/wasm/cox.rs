//! The Cox figures for the page: forest plot, scaled Schoenfeld residuals and
//! log(−log S) curves, on a canvas or as SVG. `kind` is "forest", "schoenfeld" or
//! "loglog"; `report` a Report object or JSON text; options as [`FigureOptions`].

use super::{internal, user};
use crate::analysis::cox_section::CoxSection;
use crate::analysis::report::KmSection;
use crate::plot::{self, FigureOptions};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

enum Figure {
    Forest(CoxSection),
    Schoenfeld(CoxSection),
    LogLog(KmSection),
}

fn figure(report: &JsValue, kind: &str) -> Result<Figure, JsValue> {
    let text: String = match report.as_string() {
        Some(t) => t,
        None => js_sys::JSON::stringify(report)
            .map_err(|_| user("invalid_report", "the report cannot be read"))?
            .into(),
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| user("invalid_report", &format!("the report cannot be read: {e}")))?;
    let section = |key: &str, hint: &str| -> Result<serde_json::Value, JsValue> {
        match v.get(key) {
            Some(s) if !s.is_null() => Ok(s.clone()),
            _ => Err(user(&format!("no_{key}"), hint)),
        }
    };
    let bad =
        |e: serde_json::Error| user("invalid_report", &format!("the report cannot be read: {e}"));
    match kind {
        "forest" | "schoenfeld" => {
            let cox: CoxSection = serde_json::from_value(section(
                "cox",
                "the report has no Cox model (add \"cox\" to the spec)",
            )?)
            .map_err(bad)?;
            if kind == "forest" {
                Ok(Figure::Forest(cox))
            } else if cox.ph_test.as_ref().is_some_and(|p| p.residuals.is_some()) {
                Ok(Figure::Schoenfeld(cox))
            } else {
                Err(user("no_residuals", "the report has no Schoenfeld residuals (ask \"ph_test\": {\"residuals\": true})"))
            }
        }
        "loglog" => Ok(Figure::LogLog(
            serde_json::from_value(section(
                "km",
                "the report has no Kaplan–Meier section (add \"km\" to the spec)",
            )?)
            .map_err(bad)?,
        )),
        _ => Err(user(
            "invalid_options",
            &format!("unknown figure \"{kind}\""),
        )),
    }
}

fn options(v: JsValue) -> Result<FigureOptions, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(FigureOptions::default());
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| user("invalid_options", &e.to_string()))
}

/// Height in layout px of figure `kind` `width` px wide.
#[wasm_bindgen]
pub fn cox_figure_height(
    report: JsValue,
    kind: &str,
    options_js: JsValue,
    width: f64,
) -> Result<f64, JsValue> {
    let o = options(options_js)?;
    Ok(match figure(&report, kind)? {
        Figure::Forest(c) => plot::forest_figure_height(&c, &o),
        Figure::Schoenfeld(c) => c
            .ph_test
            .as_ref()
            .map_or(0.0, |p| plot::schoenfeld_figure_height(width, p, &o)),
        Figure::LogLog(_) => plot::loglog_figure_height(width, &o),
    }
    .round())
}

/// Draws figure `kind` on `canvas` (its size in device px used as is).
#[wasm_bindgen]
pub fn draw_cox_figure(
    canvas: web_sys::HtmlCanvasElement,
    report: JsValue,
    kind: &str,
    options_js: JsValue,
) -> Result<(), JsValue> {
    let o = options(options_js)?;
    let fig = figure(&report, kind)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| internal("no 2D context on the canvas"))?;
    let area = backend.into_drawing_area();
    let drawn = match &fig {
        Figure::Forest(c) => plot::draw_forest(&area, c, &o),
        Figure::Schoenfeld(c) => match &c.ph_test {
            Some(p) => plot::draw_schoenfeld(&area, p, &o),
            None => Ok(()),
        },
        Figure::LogLog(km) => plot::draw_loglog(&area, km, &o),
    };
    drawn.map_err(|e| user("plot_failed", &e.to_string()))?;
    area.present().map_err(|e| internal(&e.to_string()))
}

/// Figure `kind` as an SVG document `width` px wide (same drawing code as the canvas).
#[wasm_bindgen]
pub fn cox_figure_svg(
    report: JsValue,
    kind: &str,
    options_js: JsValue,
    width: u32,
) -> Result<String, JsValue> {
    let o = options(options_js)?;
    let svg = match figure(&report, kind)? {
        Figure::Forest(c) => plot::render_forest_svg(&c, &o, width),
        Figure::Schoenfeld(c) => match &c.ph_test {
            Some(p) => plot::render_schoenfeld_svg(p, &o, width),
            None => Err(plot::PlotError("no PH test".into())),
        },
        Figure::LogLog(km) => plot::render_loglog_svg(&km, &o, width),
    };
    svg.map_err(|e| user("plot_failed", &e.to_string()))
}
