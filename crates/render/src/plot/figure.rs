//! What the figures other than the KM figure (forest, Schoenfeld, log(−log S), love
//! plot, propensity-score overlap) share: their options and the SVG rendering wrapper.

use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

/// Options of the balance figures. JS passes a camelCase object; every field optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FigureOptions {
    /// Device px per layout px (devicePixelRatio; ~2.9 for a 300-dpi PNG).
    pub scale: f64,
    /// Multiplies font sizes (the SVG backend writes sizes / 1.24).
    pub font_scale: f64,
    pub font_family: String,
    /// Base font size in layout px.
    pub font_size: f64,
    pub title: Option<String>,
    /// The language of the figure's own words (`"en"` or `"zh"`).
    #[serde(default = "super::words::page_lang")]
    pub lang: survlens_text::Lang,
    /// days | weeks | months | years: axis titles of time axes.
    pub time_unit: Option<String>,
    /// The matching figures only: the treated group `a` of the comparison to draw
    /// (default: the first comparison).
    pub comparison: Option<String>,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            scale: 1.0,
            font_scale: 1.0,
            font_family: super::style::FONT_FAMILY.into(),
            font_size: 13.0,
            title: None,
            lang: Default::default(),
            time_unit: None,
            comparison: None,
        }
    }
}

impl FigureOptions {
    /// Device px per layout px (1 when unset).
    pub fn unit(&self) -> f64 {
        if self.scale > 0.0 {
            self.scale
        } else {
            1.0
        }
    }

    /// A font size `k` × the base size, in device px.
    pub fn font(&self, k: f64) -> f64 {
        k * self.font_size * self.unit() * self.font_scale
    }

    /// Layout px taken by the title line (0 without a title).
    pub fn title_height(&self) -> f64 {
        if self.title.is_some() {
            TITLE_HEIGHT
        } else {
            0.0
        }
    }
}

/// Layout px of a figure's one-line title.
const TITLE_HEIGHT: f64 = 22.0;

/// Draws the figure's title on one line (bold, 1.15 × the base size) at the top left,
/// when it has one; returns the layout px it takes (`opts.title_height()`). The drawing
/// is [`style::draw_title`](super::style::draw_title)'s, which also wraps long titles
/// (the emulation figures use it directly).
pub fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    opts: &FigureOptions,
) -> Result<f64, PlotError> {
    if let Some(title) = &opts.title {
        super::style::draw_title(
            area,
            std::slice::from_ref(title),
            opts.font_family.as_str(),
            (opts.font_size, opts.font_scale),
            opts.unit(),
        )?;
    }
    Ok(opts.title_height())
}

/// Renders `draw` into a standalone SVG document `width` × `height` layout px: drawn at
/// 2× and declared at 1× (sub-pixel precision in a vector file), as the KM figure.
pub fn render_svg<F>(
    opts: &FigureOptions,
    width: u32,
    height: u32,
    draw: F,
) -> Result<String, PlotError>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>, &FigureOptions) -> Result<(), PlotError>,
{
    let k = 2u32;
    let mut buf = String::new();
    {
        let backend = SVGBackend::with_string(&mut buf, (width * k, height * k));
        let area = backend.into_drawing_area();
        let o = FigureOptions {
            scale: k as f64,
            font_scale: opts.font_scale * 1.24,
            ..opts.clone()
        };
        draw(&area, &o)?;
        area.present()?;
    }
    let from = format!("width=\"{}\" height=\"{}\"", width * k, height * k);
    let to = format!("width=\"{width}\" height=\"{height}\"");
    Ok(buf.replacen(&from, &to, 1))
}

/// "Nice" axis end and step for values up to `max` (1, 2, 2.5, 5 × 10^k), ≥ 4 ticks.
pub fn nice_axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / 5.0;
    let mag = super::ticks::magnitude(raw);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((max / step - 1e-9).ceil().max(1.0) * step, step)
}
