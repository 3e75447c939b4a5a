//! The report's figures, each an inline SVG drawn by [`crate::plot`]. A new figure
//! (Cox forest plot, love plot, ...) is one more builder in [`FIGURES`].

use super::i18n::{fill, Texts};
use crate::analysis::cox_section::CoxSection;
use crate::analysis::report::{KmSection, LogRankSection};
use crate::plot::{self, FigureOptions, KmPlotOptions, PlotError};
use serde_json::Value;

/// One figure: an id (HTML anchor), a caption and the SVG document.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub id: &'static str,
    pub caption: String,
    pub svg: String,
}

/// What a figure builder gets: the results document, the texts, the time unit name.
pub struct FigureInput<'a> {
    pub report: &'a Value,
    pub texts: &'a Texts,
    /// "months" in the report's language, or "" when the time is a duration column.
    pub unit: &'a str,
    /// The unit's code (`days`, `weeks`, `months`, `years`) for the axis ticks.
    pub unit_code: Option<&'a str>,
    /// The report's language (the figures' own words).
    pub lang: super::Lang,
}

/// A builder: `None` when its section is absent.
pub type FigureFn = fn(&FigureInput) -> Option<Result<Figure, PlotError>>;

/// Every figure of the report, in page order.
pub const FIGURES: &[FigureFn] = &[km_figure, forest_figure];

/// Figure width in layout px (the SVG scales to the page width when printed).
pub const WIDTH: f64 = 720.0;

fn km_figure(input: &FigureInput) -> Option<Result<Figure, PlotError>> {
    let km: KmSection = serde_json::from_value(input.report.get("km")?.clone()).ok()?;
    let lr: Option<LogRankSection> = input
        .report
        .get("logrank")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    let t = input.texts;
    let opts = KmPlotOptions {
        y_label: t.km_y_label.to_string(),
        x_label: (!input.unit.is_empty()).then(|| fill(t.km_x_label, &[("unit", input.unit)])),
        time_unit: input.unit_code.map(str::to_string),
        lang: input.lang,
        ..KmPlotOptions::default()
    };
    let height = plot::km_figure_height(WIDTH, &km, &opts).round();
    Some(
        plot::render_km_svg(&km, lr.as_ref(), &opts, WIDTH as u32, height as u32).map(|svg| {
            Figure {
                id: "figure-km",
                caption: t.fig_km.to_string(),
                svg,
            }
        }),
    )
}

fn forest_figure(input: &FigureInput) -> Option<Result<Figure, PlotError>> {
    let cox: CoxSection = serde_json::from_value(input.report.get("cox")?.clone()).ok()?;
    let opts = FigureOptions {
        time_unit: input.unit_code.map(str::to_string),
        lang: input.lang,
        ..FigureOptions::default()
    };
    Some(
        plot::render_forest_svg(&cox, &opts, WIDTH as u32).map(|svg| Figure {
            id: "figure-forest",
            caption: input.texts.fig_forest.to_string(),
            svg,
        }),
    )
}
