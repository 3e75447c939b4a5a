//! The love plot (Ahmed et al. 2006; cobalt's `love.plot`): the absolute standardized
//! mean difference of every covariate term before and after weighting, one row per
//! term, with the 0.1 balance line. With more than two groups each point is the largest
//! |SMD| over the pairs of groups (the balance table's `max_abs_smd_*`).
//!
//! # References
//! Austin, P. C. & Stuart, E. A. (2015). Moving towards best practice when using inverse
//! probability of treatment weighting (IPTW) using the propensity score to estimate
//! causal treatment effects in observational studies. *Stat. Med.* 34, 3661–3679.

use super::figure::{draw_title, nice_axis, render_svg, FigureOptions};
use super::style::{group_color, px, text, text_width, GREY, INK};
use super::ticks::tick_label;
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survlens_contract::propensity::BalanceTerm;

/// The balance threshold drawn as a dashed line.
pub const SMD_LINE: f64 = 0.1;

const ROW: f64 = 22.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 52.0;

/// Height (layout px) of a love plot of `n_terms` rows.
pub fn love_figure_height(n_terms: usize, opts: &FigureOptions) -> f64 {
    TOP + BOTTOM + ROW * n_terms.max(1) as f64 + opts.title_height()
}

/// Draws the love plot of `balance` on `area` (any plotters backend), filling it.
pub fn draw_love<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    balance: &[BalanceTerm],
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let w = words(opts.lang);
    draw_love_labelled(area, balance, opts, (w.before_weighting, w.after_weighting))
}

/// [`draw_love`] with the legend's words for the two points (before / after weighting,
/// or before / after matching).
pub fn draw_love_labelled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    balance: &[BalanceTerm],
    opts: &FigureOptions,
    labels: (&str, &str),
) -> Result<(), PlotError> {
    let (w_dev, h_dev) = area.dim_in_pixel();
    let u = opts.unit();
    let (w, h) = (w_dev as f64 / u, h_dev as f64 / u);
    area.fill(&WHITE)?;
    let f = opts.font_size;
    let fam = opts.font_family.as_str();
    let title_h = draw_title(area, opts)?;
    let max = balance
        .iter()
        .flat_map(|t| [t.max_abs_smd_before, t.max_abs_smd_after])
        .flatten()
        .fold(SMD_LINE * 1.5, f64::max);
    let (end, step) = nice_axis(max);
    let label_w = balance
        .iter()
        .map(|t| text_width(&t.term, f))
        .fold(40.0, f64::max);
    let (x0, x1) = ((label_w + 20.0) * u, (w - 24.0) * u);
    let (y0, y1) = (
        (TOP + title_h) * u,
        (h - BOTTOM).max(TOP + title_h + ROW) * u,
    );
    let x = |v: f64| x0 + (x1 - x0) * (v / end).clamp(0.0, 1.0);
    let before = group_color(1);
    let after = group_color(0);
    legend(area, opts, title_h, (before, after), labels)?;
    // Grid, ticks and the 0.1 line.
    let mut t = 0.0;
    while t <= end + 1e-9 {
        area.draw(&PathElement::new(
            vec![px((x(t), y0)), px((x(t), y1))],
            GREY.mix(0.25).stroke_width(u.round().max(1.0) as u32),
        ))?;
        area.draw(&Text::new(
            tick_label(t),
            px((x(t), y1 + 6.0 * u)),
            text(fam, opts.font(0.92), false, INK, HPos::Center, VPos::Top),
        ))?;
        t += step;
    }
    let mut yy = y0;
    while yy < y1 {
        let next = (yy + 6.0 * u).min(y1);
        area.draw(&PathElement::new(
            vec![px((x(SMD_LINE), yy)), px((x(SMD_LINE), next))],
            INK.stroke_width((1.2 * u).round().max(1.0) as u32),
        ))?;
        yy += 10.0 * u;
    }
    area.draw(&PathElement::new(
        vec![px((x0, y1)), px((x1, y1))],
        INK.stroke_width(u.round().max(1.0) as u32),
    ))?;
    let pairs = balance.first().map_or(1, |t| t.pairs.len());
    let axis = if pairs > 1 {
        words(opts.lang).smd_axis_pairs
    } else {
        words(opts.lang).smd_axis
    };
    area.draw(&Text::new(
        axis,
        px(((x0 + x1) / 2.0, y1 + (10.0 + f * 1.3) * u)),
        text(fam, opts.font(1.0), false, INK, HPos::Center, VPos::Top),
    ))?;
    // One row per term.
    let row = (y1 - y0) / balance.len().max(1) as f64;
    let r = (4.5 * u).round() as i32;
    for (i, term) in balance.iter().enumerate() {
        let yc = y0 + row * (i as f64 + 0.5);
        area.draw(&Text::new(
            term.term.clone(),
            px((x0 - 10.0 * u, yc)),
            text(fam, opts.font(0.95), false, INK, HPos::Right, VPos::Center),
        ))?;
        if let (Some(b), Some(a)) = (term.max_abs_smd_before, term.max_abs_smd_after) {
            area.draw(&PathElement::new(
                vec![px((x(b), yc)), px((x(a), yc))],
                GREY.mix(0.6).stroke_width(u.round().max(1.0) as u32),
            ))?;
        }
        if let Some(b) = term.max_abs_smd_before {
            area.draw(&Circle::new(
                px((x(b), yc)),
                r,
                before.stroke_width((1.6 * u).round().max(1.0) as u32),
            ))?;
        }
        if let Some(a) = term.max_abs_smd_after {
            area.draw(&Circle::new(px((x(a), yc)), r, after.filled()))?;
        }
    }
    Ok(())
}

fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    opts: &FigureOptions,
    title_h: f64,
    (before, after): (RGBColor, RGBColor),
    (t1, t2): (&str, &str),
) -> Result<(), PlotError> {
    let u = opts.unit();
    let fam = opts.font_family.as_str();
    let y = (title_h + 22.0) * u;
    let r = (4.5 * u).round() as i32;
    let mut xx = 16.0 * u;
    area.draw(&Circle::new(
        px((xx, y)),
        r,
        before.stroke_width((1.6 * u).round().max(1.0) as u32),
    ))?;
    area.draw(&Text::new(
        t1,
        px((xx + 10.0 * u, y)),
        text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
    ))?;
    xx += (text_width(t1, opts.font_size) + 36.0) * u;
    area.draw(&Circle::new(px((xx, y)), r, after.filled()))?;
    area.draw(&Text::new(
        t2,
        px((xx + 10.0 * u, y)),
        text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
    ))?;
    xx += (text_width(t2, opts.font_size) + 36.0) * u;
    // On a narrow figure (a phone) the balance line's item goes to a second row.
    let width = area.dim_in_pixel().0 as f64;
    let mut y = y;
    if xx + (14.0 + text_width("|SMD| = 0.1", opts.font_size) + 8.0) * u > width {
        xx = 25.0 * u;
        y += 18.0 * u;
    }
    for k in 0..3 {
        let a = xx - 9.0 * u + k as f64 * 7.0 * u;
        area.draw(&PathElement::new(
            vec![px((a, y)), px((a + 4.0 * u, y))],
            INK.stroke_width((1.2 * u).round().max(1.0) as u32),
        ))?;
    }
    area.draw(&Text::new(
        "|SMD| = 0.1",
        px((xx + 14.0 * u, y)),
        text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
    ))?;
    Ok(())
}

/// The love plot as an SVG document `width` × `height` layout px.
pub fn render_love_svg(
    balance: &[BalanceTerm],
    opts: &FigureOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    render_svg(opts, width, height, |area, o| draw_love(area, balance, o))
}
