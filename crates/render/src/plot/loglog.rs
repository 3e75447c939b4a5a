//! log(−log S(t)) against log t, one step curve per group from the Kaplan–Meier
//! section: under proportional hazards the curves are parallel (vertical distance
//! = the log hazard ratio); curves that converge or cross argue against it.
//!
//! # R equivalent
//! `plot(survfit(Surv(time, status) ~ group), fun = "cloglog")` (log x axis,
//! y = log(−log S)), drawn where 0 < S < 1 and t > 0.

use super::figure::render_svg;
use super::panel::{
    draw_axes, line_style, linear_ticks, log_ticks, short_number, x_axis_height, FigureOptions,
    Panel,
};
use super::style::{dash, group_color, group_dash, px, text, text_width, INK};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survlens_contract::report::KmSection;
use survlens_stats::math;

/// (log t, log(−log S)) at each time where 0 < S < 1 and t > 0.
pub fn loglog_points(time: &[f64], surv: &[f64]) -> Vec<(f64, f64)> {
    time.iter()
        .zip(surv)
        .filter(|(t, s)| **t > 0.0 && **s > 0.0 && **s < 1.0)
        .map(|(&t, &s)| (math::ln(t), math::ln(-math::ln(s))))
        .collect()
}

/// Height (layout px) that suits a figure `width` px wide.
pub fn loglog_figure_height(width: f64, o: &FigureOptions) -> f64 {
    o.font_size * 2.2 + (width * 0.5).clamp(200.0, 380.0) + x_axis_height(o) + 8.0
}

/// Draws the curves on `area` (any plotters backend), filling it.
pub fn draw_loglog<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    area.fill(&WHITE)?;
    let u = o.unit();
    let (w_dev, h_dev) = area.dim_in_pixel();
    let (w, h) = (w_dev as f64 / u, h_dev as f64 / u);
    let curves: Vec<Vec<(f64, f64)>> = km
        .curves
        .iter()
        .map(|c| loglog_points(&c.time, &c.surv))
        .collect();
    let all = curves.iter().flatten();
    let (xlo, xhi, ylo, yhi) = all.fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |a, p| (a.0.min(p.0), a.1.max(p.0), a.2.min(p.1), a.3.max(p.1)),
    );
    if !(xlo.is_finite() && ylo.is_finite()) {
        return Err(PlotError(
            "no time with 0 < S(t) < 1: nothing to draw".into(),
        ));
    }
    let xt = log_ticks(math::exp(xlo), math::exp(xhi.max(xlo + 1e-9)));
    let yt = linear_ticks(ylo, yhi.max(ylo + 1e-9), 5);
    let top = o.font_size * 2.2;
    let left = 8.0 + o.font_size * 1.4 + o.font_size * 2.6 + 8.0;
    let panel = Panel {
        x0: left * u,
        x1: (w - 16.0) * u,
        y0: top * u,
        y1: (h - x_axis_height(o) - 8.0).max(top + 40.0) * u,
        xr: (
            math::ln(xt.first().copied().unwrap_or(1.0)),
            math::ln(xt.last().copied().unwrap_or(1.0)),
        ),
        yr: (
            yt.first().copied().unwrap_or(ylo),
            yt.last().copied().unwrap_or(yhi),
        ),
    };
    for (i, pts) in curves.iter().enumerate() {
        let mut steps: Vec<(f64, f64)> = Vec::with_capacity(pts.len() * 2);
        for (k, &(x, y)) in pts.iter().enumerate() {
            if k > 0 {
                steps.push((panel.x(x), panel.y(pts[k - 1].1)));
            }
            steps.push((panel.x(x), panel.y(y)));
        }
        steps.dedup_by(|b, a| px(*a) == px(*b));
        let pattern: Vec<f64> = group_dash(i).iter().map(|d| d * u).collect();
        for piece in dash(&steps, &pattern) {
            area.draw(&PathElement::new(
                piece.into_iter().map(px).collect::<Vec<_>>(),
                line_style(group_color(i), 2.0 * u),
            ))?;
        }
    }
    // Legend.
    let mut x = panel.x0 / u;
    for (i, c) in km.curves.iter().enumerate() {
        let y = top * 0.45 * u;
        let pattern: Vec<f64> = group_dash(i).iter().map(|d| d * u).collect();
        for piece in dash(&[(x * u, y), ((x + 26.0) * u, y)], &pattern) {
            area.draw(&PathElement::new(
                piece.into_iter().map(px).collect::<Vec<_>>(),
                line_style(group_color(i), 2.2 * u),
            ))?;
        }
        area.draw(&Text::new(
            c.group.clone(),
            px(((x + 31.0) * u, y)),
            text(
                &o.font_family,
                o.font(0.95),
                false,
                INK,
                HPos::Left,
                VPos::Center,
            ),
        ))?;
        x += 31.0 + text_width(&c.group, o.font_size * 0.95) + 18.0;
    }
    let xl: Vec<(f64, String)> = xt
        .iter()
        .map(|&v| (math::ln(v), short_number(v, 3)))
        .collect();
    let yl: Vec<(f64, String)> = yt.iter().map(|&v| (v, short_number(v, 3))).collect();
    let xtitle = o
        .time_unit
        .as_deref()
        .map_or(words(o.lang).time_axis_log(None), |u| {
            words(o.lang).time_axis_log(Some(u))
        });
    draw_axes(area, &panel, &xl, &yl, (&xtitle, "log(−log S(t))"), o)
}

/// The figure as an SVG document `width` px wide.
pub fn render_loglog_svg(
    km: &KmSection,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = loglog_figure_height(width as f64, o).round() as u32;
    render_svg(o, width, height, |area, so| draw_loglog(area, km, so))
}
