//! A plotting panel shared by the Cox figures (forest, Schoenfeld residuals,
//! log(−log S)): data-to-device mapping, axes with ticks and titles, tick choices
//! for linear and log axes. Options and the SVG wrapper: `figure`.

use super::style::{px, text, INK};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

pub use super::figure::FigureOptions;

/// A rectangle in device px and the data range it shows (x, y already transformed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Panel {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub xr: (f64, f64),
    pub yr: (f64, f64),
}

impl Panel {
    pub fn x(&self, v: f64) -> f64 {
        self.x0 + (self.x1 - self.x0) * (v - self.xr.0) / (self.xr.1 - self.xr.0)
    }
    pub fn y(&self, v: f64) -> f64 {
        self.y1 - (self.y1 - self.y0) * (v - self.yr.0) / (self.yr.1 - self.yr.0)
    }
}

pub(crate) fn line_style(color: RGBColor, width: f64) -> ShapeStyle {
    ShapeStyle {
        color: color.to_rgba(),
        filled: false,
        stroke_width: width.round().max(1.0) as u32,
    }
}

/// Axis lines, ticks (position in data units, label) and titles.
pub(crate) fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    xticks: &[(f64, String)],
    yticks: &[(f64, String)],
    titles: (&str, &str),
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let fam = o.font_family.as_str();
    let axis = line_style(INK, u);
    let tick = 5.0 * u;
    area.draw(&PathElement::new(
        vec![px((p.x0, p.y0)), px((p.x0, p.y1)), px((p.x1, p.y1))],
        axis,
    ))?;
    for (v, label) in xticks {
        let x = p.x(*v);
        area.draw(&PathElement::new(
            vec![px((x, p.y1)), px((x, p.y1 + tick))],
            axis,
        ))?;
        let style = text(fam, o.font(0.9), false, INK, HPos::Center, VPos::Top);
        area.draw(&Text::new(
            label.clone(),
            px((x, p.y1 + tick + 3.0 * u)),
            style,
        ))?;
    }
    let mut widest: f64 = 0.0;
    for (v, label) in yticks {
        let y = p.y(*v);
        area.draw(&PathElement::new(
            vec![px((p.x0 - tick, y)), px((p.x0, y))],
            axis,
        ))?;
        widest = widest.max(super::style::text_width(label, o.font_size * 0.9));
        let style = text(fam, o.font(0.9), false, INK, HPos::Right, VPos::Center);
        area.draw(&Text::new(
            label.clone(),
            px((p.x0 - tick - 3.0 * u, y)),
            style,
        ))?;
    }
    let style = text(fam, o.font(1.0), false, INK, HPos::Center, VPos::Top);
    area.draw(&Text::new(
        titles.0.to_string(),
        px(((p.x0 + p.x1) / 2.0, p.y1 + tick + o.font_size * 1.4 * u)),
        style,
    ))?;
    if !titles.1.is_empty() {
        let style = text(fam, o.font(1.0), false, INK, HPos::Center, VPos::Bottom)
            .transform(FontTransform::Rotate270);
        let x = p.x0 - tick - 8.0 * u - widest * u;
        area.draw(&Text::new(
            titles.1.to_string(),
            px((x, (p.y0 + p.y1) / 2.0)),
            style,
        ))?;
    }
    Ok(())
}

/// Height below a panel taken by tick labels and the axis title (layout px).
pub(crate) fn x_axis_height(o: &FigureOptions) -> f64 {
    5.0 + o.font_size * 1.4 + o.font_size * 1.5 + 4.0
}

/// "Pretty" linear ticks covering [lo, hi] (about `n` intervals), as R's pretty().
pub(crate) fn linear_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let raw = span / n.max(1) as f64;
    let mag = super::ticks::magnitude(raw);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= n as f64 + 0.5)
        .unwrap_or(mag * 10.0);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks for a log axis over [lo, hi] (lo > 0): the densest of 1-2-5-style sets
/// that gives at most 8 ticks, extended to the nearest tick outside the range.
pub(crate) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let sets: [&[f64]; 3] = [
        &[1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0],
        &[1.0, 2.0, 5.0],
        &[1.0],
    ];
    for set in sets {
        let mut all = Vec::new();
        let mut mag = 1e-4;
        while mag < 1e5 {
            all.extend(set.iter().map(|m| m * mag));
            mag *= 10.0;
        }
        let below = all
            .iter()
            .copied()
            .filter(|v| *v <= lo * (1.0 + 1e-9))
            .fold(f64::NAN, f64::max);
        let above = all
            .iter()
            .copied()
            .find(|v| *v >= hi * (1.0 - 1e-9))
            .unwrap_or(hi);
        let below = if below.is_nan() { lo } else { below };
        let ticks: Vec<f64> = all
            .into_iter()
            .filter(|v| *v >= below && *v <= above)
            .collect();
        if ticks.len() <= 8 {
            return ticks;
        }
    }
    vec![lo, hi]
}

/// A number for an axis or a table: up to `digits` significant digits, no trailing zeros.
pub(crate) fn short_number(v: f64, digits: usize) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_finite() {
            "0".into()
        } else {
            "NA".into()
        };
    }
    let mut e = 0i32;
    let mut a = v.abs();
    while a >= 10.0 {
        a /= 10.0;
        e += 1;
    }
    while a < 1.0 {
        a *= 10.0;
        e -= 1;
    }
    let decimals = (digits as i32 - 1 - e).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks() {
        assert_eq!(
            log_ticks(0.3, 2.2),
            vec![0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5]
                .into_iter()
                .filter(|_| false)
                .chain([0.2, 0.5, 1.0, 2.0, 5.0])
                .collect::<Vec<_>>()
        );
        assert_eq!(
            linear_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(short_number(0.5432, 2), "0.54");
        assert_eq!(short_number(12.0, 2), "12");
    }
}
