//! Forest plot of a Cox model's hazard ratios: one row per term, the multivariable
//! HR (filled square) and, when the report has `cox.univariable`, the univariable HR
//! (open circle) with their 95% CIs on a log axis, a line at HR = 1, and the HRs
//! with CIs as text on the right. Aliased terms are shown as such, without a marker.

use super::figure::render_svg;
use super::panel::{
    draw_axes, line_style, log_ticks, short_number, x_axis_height, FigureOptions, Panel,
};
use super::style::{group_color, px, text, text_width, GREY, INK};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survlens_contract::cox::{CoxLoglik, CoxSection, CoxTerm, CoxTests, Test};
use survlens_stats::math;
use survlens_text::numbers;
use survlens_text::Lang;

/// Hazard ratios shown beyond this range are clipped (an arrow marks the cut).
pub(super) const HR_LIMITS: (f64, f64) = (0.01, 100.0);

/// One row of the plot.
struct Row<'a> {
    label: String,
    multi: &'a CoxTerm,
    uni: Option<&'a CoxTerm>,
}

fn rows(cox: &CoxSection) -> Vec<Row<'_>> {
    let uni: Vec<&CoxTerm> = cox
        .univariable
        .iter()
        .flatten()
        .flat_map(|u| &u.terms)
        .collect();
    cox.terms
        .iter()
        .map(|t| Row {
            label: t.name.replacen('=', ": ", 1),
            multi: t,
            uni: uni.iter().copied().find(|u| u.name == t.name),
        })
        .collect()
}

/// A value that can be drawn and printed: `None` for a missing or non-finite one (the
/// results document writes both as `null`, so the page and the report agree).
pub(super) fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

/// "0.54 (0.36 to 0.82)" (the ratio and interval of [`numbers`] in `lang`), or
/// "aliased" / "not estimable".
pub fn hr_text(t: &CoxTerm, lang: Lang) -> String {
    match (finite(t.hr), finite(t.lower), finite(t.upper)) {
        (None, _, _) => "aliased".to_string(),
        (Some(h), Some(l), Some(u)) => {
            format!(
                "{} ({})",
                numbers::ratio(Some(h)),
                numbers::ratio_ci(Some(l), Some(u), lang)
            )
        }
        (Some(h), _, _) => format!("{} (CI not estimable)", numbers::ratio(Some(h))),
    }
}

pub(super) fn row_height(o: &FigureOptions) -> f64 {
    o.font_size * 2.0
}

pub(super) fn header_height(o: &FigureOptions) -> f64 {
    o.font_size * 2.6
}

/// Height (layout px) of the forest plot of `cox`.
pub fn forest_figure_height(cox: &CoxSection, o: &FigureOptions) -> f64 {
    header_height(o) + cox.terms.len().max(1) as f64 * row_height(o) + x_axis_height(o) + 10.0
}

/// The axis range (HR) covering every drawn CI and 1.
fn hr_range(rows: &[Row]) -> (f64, f64) {
    let mut lo: f64 = 1.0;
    let mut hi: f64 = 1.0;
    for r in rows {
        for t in std::iter::once(r.multi).chain(r.uni) {
            for v in [t.hr, t.lower, t.upper]
                .into_iter()
                .flatten()
                .filter(|v| v.is_finite() && *v > 0.0)
            {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    (lo.max(HR_LIMITS.0), hi.min(HR_LIMITS.1))
}

/// Draws the forest plot on `area` (any plotters backend), filling it.
pub fn draw_forest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cox: &CoxSection,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let (w_dev, _) = area.dim_in_pixel();
    let w = w_dev as f64 / u;
    area.fill(&WHITE)?;
    let rows = rows(cox);
    let f = o.font_size;
    let has_uni = cox.univariable.is_some();
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label, f))
        .fold(text_width(words(o.lang).term, f), f64::max)
        + 14.0;
    let col_w = |pick: &dyn Fn(&Row) -> Option<String>, head: &str| {
        rows.iter()
            .filter_map(pick)
            .map(|s| text_width(&s, f * 0.9))
            .fold(text_width(head, f * 0.9), f64::max)
            + 14.0
    };
    let multi_w = col_w(
        &|r| Some(hr_text(r.multi, o.lang)),
        words(o.lang).multivariable_hr,
    );
    let uni_w = if has_uni {
        col_w(
            &|r| r.uni.map(|t| hr_text(t, o.lang)),
            words(o.lang).univariable_hr,
        )
    } else {
        0.0
    };
    let plot_w = (w - label_w - multi_w - uni_w - 16.0).max(120.0);
    let top = header_height(o);
    let rh = row_height(o);
    let (panel, ticks) = hr_panel((label_w, label_w + plot_w), rows.len(), hr_range(&rows), o);
    let fam = o.font_family.as_str();
    // Headers and legend.
    let head = |s: &str, x: f64, h: HPos| {
        Text::new(
            s.to_string(),
            px((x * u, top * 0.45 * u)),
            text(fam, o.font(0.9), true, INK, h, VPos::Center),
        )
    };
    area.draw(&head(words(o.lang).term, 4.0, HPos::Left))?;
    let mut x_col = label_w + plot_w + 8.0;
    if has_uni {
        area.draw(&head(words(o.lang).univariable_hr, x_col, HPos::Left))?;
        x_col += uni_w;
    }
    area.draw(&head(words(o.lang).multivariable_hr, x_col, HPos::Left))?;
    if has_uni {
        draw_legend(area, &panel, top, o)?;
    }
    draw_line_at_one(area, &panel, o)?;
    for (i, r) in rows.iter().enumerate() {
        let yc = (top + (i as f64 + 0.5) * rh) * u;
        area.draw(&Text::new(
            r.label.clone(),
            px((4.0 * u, yc)),
            text(fam, o.font(1.0), false, INK, HPos::Left, VPos::Center),
        ))?;
        let mut x_col = label_w + plot_w + 8.0;
        let off = if has_uni { rh * 0.18 * u } else { 0.0 };
        if has_uni {
            let s = r.uni.map(|t| hr_text(t, o.lang)).unwrap_or_default();
            area.draw(&Text::new(
                s,
                px((x_col * u, yc)),
                text(fam, o.font(0.9), false, INK, HPos::Left, VPos::Center),
            ))?;
            x_col += uni_w;
            if let Some(t) = r.uni {
                draw_estimate(area, &panel, t, yc + off, (false, 1), o)?;
            }
        }
        area.draw(&Text::new(
            hr_text(r.multi, o.lang),
            px((x_col * u, yc)),
            text(fam, o.font(0.9), false, INK, HPos::Left, VPos::Center),
        ))?;
        draw_estimate(area, &panel, r.multi, yc - off, (true, 0), o)?;
    }
    draw_hr_axis(area, &panel, &ticks, o)
}

/// The axis range (HR) of a forest covering every drawn estimate and CI of `terms`, and 1,
/// clipped to [`HR_LIMITS`].
pub(super) fn terms_hr_range<'a>(terms: impl Iterator<Item = &'a CoxTerm>) -> (f64, f64) {
    let (lo, hi) = terms
        .flat_map(|t| [t.hr, t.lower, t.upper])
        .filter_map(finite)
        .filter(|v| *v > 0.0)
        .fold((1.0_f64, 1.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo.max(HR_LIMITS.0), hi.min(HR_LIMITS.1))
}

/// Writes `s` at (`x`, `y`) layout px in `size` × the base font, vertically centred,
/// anchored by `h` (the text columns of the forests).
pub(super) fn draw_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    o: &FigureOptions,
    s: &str,
    (x, y): (f64, f64),
    (size, bold): (f64, bool),
    h: HPos,
) -> Result<(), PlotError> {
    let u = o.unit();
    area.draw(&Text::new(
        s.to_string(),
        px((x * u, y * u)),
        text(
            o.font_family.as_str(),
            o.font(size),
            bold,
            INK,
            h,
            VPos::Center,
        ),
    ))?;
    Ok(())
}

/// The panel of a forest (layout px `x` from, to; `rows` rows under the header) whose
/// log axis covers `range` (HR), and its ticks.
pub(super) fn hr_panel(
    x: (f64, f64),
    rows: usize,
    (lo, hi): (f64, f64),
    o: &FigureOptions,
) -> (Panel, Vec<f64>) {
    let u = o.unit();
    let ticks = log_ticks(lo, hi);
    let (tlo, thi) = (
        ticks.first().copied().unwrap_or(lo),
        ticks.last().copied().unwrap_or(hi),
    );
    let top = header_height(o);
    let panel = Panel {
        x0: x.0 * u,
        x1: x.1 * u,
        y0: top * u,
        y1: (top + rows.max(1) as f64 * row_height(o)) * u,
        xr: (math::ln(tlo), math::ln(thi)),
        yr: (0.0, 1.0),
    };
    (panel, ticks)
}

/// The dashed line at HR = 1, under everything.
pub(super) fn draw_line_at_one<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let x1 = panel.x(0.0);
    for k in 0..((panel.y1 - panel.y0) / (6.0 * u)) as usize {
        let y = panel.y0 + k as f64 * 6.0 * u;
        area.draw(&PathElement::new(
            vec![px((x1, y)), px((x1, (y + 3.0 * u).min(panel.y1)))],
            line_style(GREY, u),
        ))?;
    }
    Ok(())
}

/// The log HR axis under the panel.
pub(super) fn draw_hr_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    ticks: &[f64],
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let xt: Vec<(f64, String)> = ticks
        .iter()
        .map(|&v| (math::ln(v), short_number(v, 3)))
        .collect();
    let bottom_only = Panel {
        x0: panel.x0,
        ..*panel
    };
    draw_axes(
        area,
        &bottom_only,
        &xt,
        &[],
        (words(o.lang).hazard_ratio_log, ""),
        o,
    )
}

/// A marker with its CI in the colour of group `color`; `multi`: filled square, else
/// open circle.
pub(super) fn draw_estimate<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    t: &CoxTerm,
    y: f64,
    (multi, color): (bool, usize),
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let Some(hr) = t.hr.filter(|v| v.is_finite() && *v > 0.0) else {
        return Ok(());
    };
    let color = group_color(color);
    let clamp = |v: f64| math::ln(v).clamp(p.xr.0, p.xr.1);
    if let (Some(l), Some(h)) = (finite(t.lower), finite(t.upper)) {
        let (xl, xh) = (p.x(clamp(l.max(1e-300))), p.x(clamp(h.min(f64::MAX))));
        area.draw(&PathElement::new(
            vec![px((xl, y)), px((xh, y))],
            line_style(color, 1.6 * u),
        ))?;
        let a = 4.0 * u;
        if math::ln(l.max(1e-300)) < p.xr.0 {
            area.draw(&PathElement::new(
                vec![px((xl + a, y - a)), px((xl, y)), px((xl + a, y + a))],
                line_style(color, 1.6 * u),
            ))?;
        }
        if math::ln(h.min(f64::MAX)) > p.xr.1 {
            area.draw(&PathElement::new(
                vec![px((xh - a, y - a)), px((xh, y)), px((xh - a, y + a))],
                line_style(color, 1.6 * u),
            ))?;
        }
    }
    if math::ln(hr) < p.xr.0 || math::ln(hr) > p.xr.1 {
        return Ok(());
    }
    let (x, r) = (p.x(math::ln(hr)), o.font_size * 0.32 * u);
    if multi {
        area.draw(&Rectangle::new(
            [px((x - r, y - r)), px((x + r, y + r))],
            color.filled(),
        ))?;
    } else {
        area.draw(&Circle::new(px((x, y)), r.round() as i32, WHITE.filled()))?;
        area.draw(&Circle::new(
            px((x, y)),
            r.round() as i32,
            line_style(color, 1.5 * u),
        ))?;
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Panel,
    top: f64,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let y = top * 0.45 * u;
    let r = o.font_size * 0.32 * u;
    let fam = o.font_family.as_str();
    let mut x = p.x0 + 6.0 * u;
    let c0 = group_color(0);
    area.draw(&Rectangle::new(
        [px((x - r, y - r)), px((x + r, y + r))],
        c0.filled(),
    ))?;
    area.draw(&Text::new(
        words(o.lang).multivariable.to_string(),
        px((x + 2.0 * r, y)),
        text(fam, o.font(0.85), false, INK, HPos::Left, VPos::Center),
    ))?;
    x += 2.0 * r + (text_width(words(o.lang).multivariable, o.font_size * 0.85) + 14.0) * u;
    area.draw(&Circle::new(
        px((x, y)),
        r.round() as i32,
        line_style(group_color(1), 1.5 * u),
    ))?;
    area.draw(&Text::new(
        words(o.lang).univariable.to_string(),
        px((x + 2.0 * r, y)),
        text(fam, o.font(0.85), false, INK, HPos::Left, VPos::Center),
    ))?;
    Ok(())
}

/// The forest plot as an SVG document `width` × its natural height (layout px).
pub fn render_forest_svg(
    cox: &CoxSection,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = forest_figure_height(cox, o).round() as u32;
    render_svg(o, width, height, |area, so| draw_forest(area, cox, so))
}

/// A terms-only Cox section (the forest plot reads the terms alone).
pub fn terms_only(terms: &[CoxTerm]) -> CoxSection {
    let test = || Test {
        chisq: f64::NAN,
        df: 0,
        p: None,
    };
    CoxSection {
        n: 0,
        n_events: 0,
        ties: String::new(),
        terms: terms.to_vec(),
        loglik: CoxLoglik {
            null: f64::NAN,
            fit: f64::NAN,
        },
        tests: CoxTests {
            lr: test(),
            wald: test(),
            score: test(),
            robust_score: None,
        },
        concordance: None,
        iterations: 0,
        converged: true,
        ph_test: None,
        missing_covariates: Default::default(),
        univariable: None,
        periods: None,
        periods_test: None,
    }
}
