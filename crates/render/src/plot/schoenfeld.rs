//! Scaled Schoenfeld residuals against (transformed) time, one panel per Cox
//! covariate column, with the natural-spline smooth and its ±2 SE band — the figure
//! of R's `plot(cox.zph(fit))`. A flat smooth means proportional hazards; the
//! smooth is the estimated β(t). The x axis is on the test's transformed scale,
//! labelled in time as R labels it (8 points, 2 significant digits).

use super::figure::render_svg;
use super::panel::{
    draw_axes, line_style, linear_ticks, short_number, x_axis_height, FigureOptions, Panel,
};
use super::style::{dash, group_color, px, text, GREY, INK};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survlens_contract::cox::{PhResidualTerm, PhResiduals, PhTest};

const PANEL_HEIGHT: f64 = 230.0;

fn columns(width: f64, n: usize) -> usize {
    if width >= 620.0 && n > 1 {
        2
    } else {
        1
    }
}

fn title_height(o: &FigureOptions) -> f64 {
    o.font_size * 2.0
}

/// Height (layout px) of the figure `width` px wide.
pub fn schoenfeld_figure_height(width: f64, ph: &PhTest, o: &FigureOptions) -> f64 {
    let n = ph.residuals.as_ref().map_or(0, |r| r.terms.len()).max(1);
    let rows = n.div_ceil(columns(width, n));
    rows as f64 * (title_height(o) + PANEL_HEIGHT + x_axis_height(o) + 12.0)
}

/// Draws every column's panel on `area`. Errors when the report has no residuals.
pub fn draw_schoenfeld<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ph: &PhTest,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let res = ph.residuals.as_ref().ok_or_else(|| {
        PlotError("the report has no residuals: ask \"ph_test\": {\"residuals\": true}".into())
    })?;
    area.fill(&WHITE)?;
    let u = o.unit();
    let (w_dev, _) = area.dim_in_pixel();
    let w = w_dev as f64 / u;
    let ncol = columns(w, res.terms.len());
    let cell_w = w / ncol as f64;
    let cell_h = title_height(o) + PANEL_HEIGHT + x_axis_height(o) + 12.0;
    let xticks = time_ticks(res);
    for (k, term) in res.terms.iter().enumerate() {
        let (cx, cy) = ((k % ncol) as f64 * cell_w, (k / ncol) as f64 * cell_h);
        let p = ph
            .terms
            .iter()
            .find(|t| t.name == term.name)
            .and_then(|t| t.p);
        let title = match p {
            Some(p) => format!(
                "{} — {} {}",
                term.name,
                words(o.lang).ph_test,
                survlens_text::numbers::p_sentence(Some(p))
            ),
            None => term.name.clone(),
        };
        area.draw(&Text::new(
            title,
            px(((cx + 8.0) * u, (cy + 6.0) * u)),
            text(
                &o.font_family,
                o.font(1.0),
                true,
                INK,
                HPos::Left,
                VPos::Top,
            ),
        ))?;
        let left = 8.0 + o.font_size * 1.4 + o.font_size * 2.6 + 8.0;
        let panel_top = cy + title_height(o);
        draw_panel(
            area,
            res,
            term,
            &xticks,
            (
                cx + left,
                panel_top,
                cx + cell_w - 14.0,
                panel_top + PANEL_HEIGHT,
            ),
            o,
        )?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    res: &PhResiduals,
    term: &PhResidualTerm,
    xticks: &[(f64, String)],
    rect: (f64, f64, f64, f64),
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let xs = &res.transformed_time;
    let pts: Vec<(f64, f64)> = xs
        .iter()
        .zip(&term.scaled)
        .filter_map(|(&x, y)| y.map(|y| (x, y)))
        .filter(|(_, y)| y.is_finite())
        .collect();
    let mut ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
    if let Some(s) = &term.smooth {
        ys.extend(
            s.lower
                .iter()
                .chain(&s.upper)
                .copied()
                .filter(|v| v.is_finite()),
        );
    }
    let (ylo, yhi) = ys
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let yt = linear_ticks(ylo, yhi, 5);
    let xr = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let xr = if xr.0 < xr.1 {
        xr
    } else {
        (xr.0 - 1.0, xr.0 + 1.0)
    };
    let panel = Panel {
        x0: rect.0 * u,
        x1: rect.2 * u,
        y0: rect.1 * u,
        y1: rect.3 * u,
        xr,
        yr: (
            yt.first().copied().unwrap_or(ylo),
            yt.last().copied().unwrap_or(yhi),
        ),
    };
    // Zero: no effect.
    let (z, xa, xb) = (panel.y(0.0), panel.x0, panel.x1);
    area.draw(&PathElement::new(
        vec![px((xa, z)), px((xb, z))],
        line_style(RGBColor(0xcc, 0xcc, 0xcc), u),
    ))?;
    let r = (2.2 * u).round().max(1.0) as i32;
    for (x, y) in &pts {
        area.draw(&Circle::new(
            px((panel.x(*x), panel.y(*y))),
            r,
            line_style(GREY, u),
        ))?;
    }
    if let Some(s) = &term.smooth {
        let curve = |v: &[f64]| {
            s.x.iter()
                .zip(v)
                .map(|(&x, &y)| (panel.x(x), panel.y(y)))
                .collect::<Vec<_>>()
        };
        let blue = group_color(0);
        area.draw(&PathElement::new(
            curve(&s.fit).into_iter().map(px).collect::<Vec<_>>(),
            line_style(blue, 2.2 * u),
        ))?;
        for band in [&s.lower, &s.upper] {
            for piece in dash(&curve(band), &[6.0 * u, 4.0 * u]) {
                area.draw(&PathElement::new(
                    piece.into_iter().map(px).collect::<Vec<_>>(),
                    line_style(blue, 1.2 * u),
                ))?;
            }
        }
    }
    let ylab: Vec<(f64, String)> = yt.iter().map(|&v| (v, short_number(v, 3))).collect();
    let xtitle = o
        .time_unit
        .as_deref()
        .map_or(words(o.lang).time_axis(None), |u| {
            words(o.lang).time_axis(Some(u))
        });
    draw_axes(
        area,
        &panel,
        xticks,
        &ylab,
        (
            &xtitle,
            &words(o.lang).beta_for.replace("{term}", &term.name),
        ),
        o,
    )
}

/// x-axis ticks: on the transformed scale, labelled with times (R's plot.cox.zph:
/// 8 points, times rounded to 2 significant digits, mapped back by interpolation).
fn time_ticks(res: &PhResiduals) -> Vec<(f64, String)> {
    let xs = &res.transformed_time;
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    for (&x, &t) in xs.iter().zip(&res.time) {
        if !pairs.iter().any(|p| p.0 == x) {
            pairs.push((x, t));
        }
    }
    if pairs.len() < 2 {
        return Vec::new();
    }
    if xs == &res.time {
        let (lo, hi) = pairs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.0), b.max(p.0))
            });
        return linear_ticks(lo, hi, 6)
            .into_iter()
            .filter(|v| *v >= lo && *v <= hi)
            .map(|v| (v, short_number(v, 3)))
            .collect();
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let to_time: Vec<(f64, f64)> = pairs.clone();
    let mut to_x: Vec<(f64, f64)> = pairs.iter().map(|&(x, t)| (t, x)).collect();
    to_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (lo, hi) = (pairs[0].0, pairs[pairs.len() - 1].0);
    let mut out: Vec<(f64, String)> = Vec::new();
    for k in 1..=8 {
        let q = lo + (hi - lo) * (2 * k - 1) as f64 / 16.0;
        let t = signif2(interp(&to_time, q));
        let x = interp(&to_x, t);
        let label = short_number(t, 6);
        if x.is_finite() && !out.iter().any(|o| o.1 == label) {
            out.push((x, label));
        }
    }
    out
}

/// Linear interpolation on sorted (x, y) pairs; NaN outside (R's approx, rule = 1).
fn interp(xy: &[(f64, f64)], x: f64) -> f64 {
    let i = xy.partition_point(|p| p.0 < x);
    match (i.checked_sub(1).and_then(|j| xy.get(j)), xy.get(i)) {
        (_, Some(b)) if b.0 == x => b.1,
        (Some(a), Some(b)) => a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0),
        _ => f64::NAN,
    }
}

/// R's signif(v, 2).
fn signif2(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let mut mag = 1.0;
    while v.abs() >= mag * 100.0 {
        mag *= 10.0;
    }
    while v.abs() < mag * 10.0 {
        mag /= 10.0;
    }
    (v / mag).round() * mag
}

/// The figure as an SVG document `width` px wide.
pub fn render_schoenfeld_svg(
    ph: &PhTest,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = schoenfeld_figure_height(width as f64, ph, o).round() as u32;
    render_svg(o, width, height, |area, so| draw_schoenfeld(area, ph, so))
}
