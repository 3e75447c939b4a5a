//! Figures drawn from Report types onto any plotters backend.
//!
//! The same drawing function paints the canvas in the page (plotters-canvas, on
//! the main thread) and writes the SVG for export (plotters' SVG backend, natively
//! too). Nothing here measures text: labels are placed with anchors and widths are
//! estimated, so no font metrics (and in the browser no DOM) are needed.

pub mod cif;
pub mod conditional;
pub mod emulation;
pub mod figure;
pub mod forest;
pub mod imputation;
pub mod km;
pub mod loglog;
pub mod love;
pub mod matching;
pub mod overlap;
pub mod panel;
pub mod periods;
pub mod png;
pub mod registry;
pub mod schoenfeld;
mod step_plot;
mod style;
pub mod subgroup_forest;
mod ticks;
pub use survlens_text::figure_words as words;

pub use cif::{cif_figure_height, draw_cif, render_cif_svg, CifPlot};
pub use conditional::{
    conditional_figure_height, draw_conditional, render_conditional_svg, ConditionalPlot,
};
pub use figure::FigureOptions;
pub use forest::{draw_forest, forest_figure_height, render_forest_svg};
pub use imputation::{
    draw_imputation, imputation_figure_height, render_imputation_svg, Diagnostic,
};
pub use km::{
    draw_km, draw_km_labelled, km_figure_height, render_km_labelled_svg, render_km_svg,
    KmPlotOptions, RiskTable,
};
pub use loglog::{draw_loglog, loglog_figure_height, render_loglog_svg};
pub use love::{draw_love, draw_love_labelled, love_figure_height, render_love_svg};
pub use overlap::{
    draw_overlap, draw_overlap_histograms, overlap_figure_height, overlap_histograms,
    render_overlap_histograms_svg, render_overlap_svg,
};
pub use schoenfeld::{draw_schoenfeld, render_schoenfeld_svg, schoenfeld_figure_height};
pub use style::{DASH_PATTERNS, OKABE_ITO};
pub use subgroup_forest::{
    draw_subgroup_forest, render_subgroup_forest_svg, subgroup_forest_height,
};

use std::fmt;

/// A figure could not be drawn (a backend failure; never the data's fault).
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the figure could not be drawn: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for PlotError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        PlotError(e.to_string())
    }
}
