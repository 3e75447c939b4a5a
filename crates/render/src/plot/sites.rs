//! The figures of the pooled analysis of several sites (`sites`):
//!
//! - the forest plot by site (`sites_forest`): per term of the meta-analysis a heading,
//!   one row per site (its own Cox model's HR, filled square, 95% CI) and the fixed-effect
//!   and random-effects (REML) estimates as diamonds, with I² and τ², on a log axis with a
//!   line at HR = 1, the HR (CI) and the random-effects weight as text on the right. The
//!   markers, the axis and the line at 1 are the Cox forest plot's ([`super::forest`]).
//! - the pooled life table (`sites_life_table`): the survival at the end of each interval
//!   of the sites' binned counts, drawn by the Kaplan–Meier figure's code
//!   ([`super::km::draw_km_labelled`]) with its number-at-risk table, titled and labelled
//!   as a life table.

use super::figure::render_svg;
use super::forest::{
    draw_estimate, draw_hr_axis, draw_label, draw_line_at_one, finite, header_height, hr_panel,
    hr_text, row_height, terms_hr_range,
};
use super::panel::{line_style, x_axis_height};
use super::style::{group_color, px, text_width};
use super::{FigureOptions, KmPlotOptions, PlotError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use survlens_contract::cox::CoxTerm;
use survlens_contract::report::{KmCurveReport, KmSection, QuantileEstimate};
use survlens_contract::sites::{LifeTable, MetaTerm, SitesSection};
use survlens_stats::math;
use survlens_text::numbers;
use survlens_text::sites_words::{sites_words, SitesWords};

/// What a line of the forest shows.
enum Mark {
    /// A term's heading (its name, bold).
    Heading,
    /// A site's own estimate.
    Site(CoxTerm),
    /// A pooled estimate (a diamond); `true`: random effects.
    Pooled(CoxTerm, bool),
    /// A site left out of the term's meta-analysis, or a pooled estimate that does not exist.
    Empty,
}

struct Line {
    label: String,
    mark: Mark,
    /// The HR (CI) column.
    right: String,
    /// The weight column (random effects, percent).
    weight: String,
}

/// A Cox term of an estimate (the forest's markers and text read terms).
fn term(name: &str, hr: Option<f64>, lower: Option<f64>, upper: Option<f64>) -> CoxTerm {
    CoxTerm {
        name: name.to_string(),
        coef: None,
        se: None,
        robust_se: None,
        hr,
        lower,
        upper,
        z: None,
        p: None,
    }
}

fn lines(meta: &[MetaTerm], w: &SitesWords, o: &FigureOptions) -> Vec<Line> {
    let mut out = Vec::new();
    for m in meta {
        let heterogeneity = m.random.as_ref().map(|r| {
            w.f_heterogeneity
                .replace("{i2}", &numbers::fixed(Some(r.i2), 1))
                .replace("{tau2}", &numbers::fixed(Some(r.tau2), 4))
        });
        out.push(Line {
            label: m.name.replacen('=', ": ", 1),
            mark: Mark::Heading,
            right: String::new(),
            weight: heterogeneity.unwrap_or_default(),
        });
        for r in &m.forest {
            let t = term(&r.site, r.hr, r.lower, r.upper);
            let estimable = r.included && finite(r.hr).is_some();
            out.push(Line {
                label: r.site.clone(),
                right: if estimable {
                    hr_text(&t, o.lang)
                } else {
                    w.f_not_included.to_string()
                },
                weight: r
                    .weight_random
                    .map(|x| format!("{}%", numbers::fixed(Some(x), 1)))
                    .unwrap_or_default(),
                mark: if estimable {
                    Mark::Site(t)
                } else {
                    Mark::Empty
                },
            });
        }
        let pooled = |label: &str, e: Option<(f64, f64, f64)>, random: bool| match e {
            Some((hr, lower, upper)) => {
                let t = term(label, Some(hr), Some(lower), Some(upper));
                Line {
                    label: label.to_string(),
                    right: hr_text(&t, o.lang),
                    weight: String::new(),
                    mark: Mark::Pooled(t, random),
                }
            }
            None => Line {
                label: label.to_string(),
                right: w.f_not_included.to_string(),
                weight: String::new(),
                mark: Mark::Empty,
            },
        };
        out.push(pooled(
            w.f_fixed,
            m.fixed.as_ref().map(|f| (f.hr, f.lower, f.upper)),
            false,
        ));
        out.push(pooled(
            w.f_random,
            m.random.as_ref().map(|r| (r.hr, r.lower, r.upper)),
            true,
        ));
    }
    out
}

/// Height (layout px) of the forest plot by site.
pub fn sites_forest_height(s: &SitesSection, o: &FigureOptions) -> f64 {
    let n = lines(&s.meta, sites_words(o.lang), o).len();
    header_height(o) + n.max(1) as f64 * row_height(o) + x_axis_height(o) + 10.0
}

/// The axis range (HR) covering every drawn CI and 1.
fn hr_range(lines: &[Line]) -> (f64, f64) {
    terms_hr_range(lines.iter().filter_map(|l| match &l.mark {
        Mark::Site(t) | Mark::Pooled(t, _) => Some(t),
        _ => None,
    }))
}

/// Draws the forest plot by site on `area` (any plotters backend), filling it.
pub fn draw_sites_forest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &SitesSection,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let (u, f, w) = (o.unit(), o.font_size, sites_words(o.lang));
    area.fill(&WHITE)?;
    let lines = lines(&s.meta, w, o);
    let col = |pick: &dyn Fn(&Line) -> &str, head: &str, k: f64| {
        lines
            .iter()
            .filter(|l| !matches!(l.mark, Mark::Heading))
            .map(|l| text_width(pick(l), f * k))
            .fold(text_width(head, f * 0.9), f64::max)
            + 12.0
    };
    let label_w = lines
        .iter()
        .map(|l| text_width(&l.label, f) + if is_heading(l) { 0.0 } else { f })
        .fold(text_width(w.f_site, f), f64::max)
        + 12.0;
    let right_w = col(&|l| &l.right, w.f_hr_ci, 0.9);
    let weight_w = col(&|l| &l.weight, w.f_weight, 0.9);
    let width = area.dim_in_pixel().0 as f64 / u;
    let plot_w = (width - label_w - right_w - weight_w - 12.0).max(120.0);
    let (panel, ticks) = hr_panel(
        (label_w, label_w + plot_w),
        lines.len(),
        hr_range(&lines),
        o,
    );
    let (top, rh) = (header_height(o), row_height(o));
    let draw_text = |s: &str, x: f64, y: f64, size: f64, bold: bool, h: HPos| {
        draw_label(area, o, s, (x, y), (size, bold), h)
    };
    let x_right = label_w + plot_w + 8.0;
    let x_weight = x_right + right_w;
    draw_text(w.f_site, 4.0, top * 0.45, 0.9, true, HPos::Left)?;
    draw_text(w.f_hr_ci, x_right, top * 0.45, 0.9, true, HPos::Left)?;
    draw_text(w.f_weight, x_weight, top * 0.45, 0.9, true, HPos::Left)?;
    draw_line_at_one(area, &panel, o)?;
    for (i, l) in lines.iter().enumerate() {
        let yc = top + (i as f64 + 0.5) * rh;
        let heading = is_heading(l);
        let indent = if heading { 4.0 } else { 4.0 + f };
        let pooled = matches!(l.mark, Mark::Pooled(..));
        draw_text(&l.label, indent, yc, 1.0, heading || pooled, HPos::Left)?;
        if heading {
            // The heading's weight column holds the term's heterogeneity.
            draw_text(&l.weight, x_right, yc, 0.85, false, HPos::Left)?;
            continue;
        }
        draw_text(&l.right, x_right, yc, 0.9, pooled, HPos::Left)?;
        draw_text(&l.weight, x_weight, yc, 0.9, false, HPos::Left)?;
        match &l.mark {
            Mark::Site(t) => draw_estimate(area, &panel, t, yc * u, (true, 0), o)?,
            Mark::Pooled(t, random) => {
                draw_diamond(area, &panel, t, yc * u, if *random { 2 } else { 1 }, o)?
            }
            _ => {}
        }
    }
    draw_hr_axis(area, &panel, &ticks, o)
}

fn is_heading(l: &Line) -> bool {
    matches!(l.mark, Mark::Heading)
}

/// A pooled estimate: a diamond from the lower to the upper limit, its widest at the HR,
/// filled in the colour of group `color`.
fn draw_diamond<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &super::panel::Panel,
    t: &CoxTerm,
    y: f64,
    color: usize,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let (Some(hr), Some(l), Some(h)) = (finite(t.hr), finite(t.lower), finite(t.upper)) else {
        return Ok(());
    };
    if hr <= 0.0 || l <= 0.0 {
        return Ok(());
    }
    let x = |v: f64| p.x(math::ln(v).clamp(p.xr.0, p.xr.1));
    let half = o.font_size * 0.42 * o.unit();
    let points = vec![
        px((x(l), y)),
        px((x(hr), y - half)),
        px((x(h), y)),
        px((x(hr), y + half)),
    ];
    let c = group_color(color);
    area.draw(&Polygon::new(points.clone(), c.mix(0.85).filled()))?;
    let mut outline = points;
    outline.push(outline[0]);
    area.draw(&PathElement::new(outline, line_style(c, o.unit())))?;
    Ok(())
}

/// The forest plot by site as an SVG document `width` × its natural height (layout px).
pub fn render_sites_forest_svg(
    s: &SitesSection,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = sites_forest_height(s, o).round() as u32;
    render_svg(o, width, height, |area, so| draw_sites_forest(area, s, so))
}

/// The pooled life table as the curves the Kaplan–Meier figure draws: per group a point at
/// the first edge (S = 1, at risk at the start) and one at the end of every interval (S at
/// its end; the number at risk at that edge — the next interval's, after the last one
/// those followed beyond it — so that the table under the axis, read at the first point at
/// or after each tick, shows the patients at risk at each edge).
pub fn life_table_curves(lt: &LifeTable) -> KmSection {
    let none = QuantileEstimate {
        estimate: None,
        lower: None,
        upper: None,
    };
    let curves = lt
        .groups
        .iter()
        .filter(|g| g.edges.len() > 1)
        .map(|g| {
            let bins = g.surv.len();
            let mut time = vec![g.edges[0]];
            time.extend(g.edges.iter().skip(1).take(bins));
            let mut surv = vec![1.0];
            surv.extend(&g.surv);
            let count = |v: &[usize], k: usize| v.get(k).copied().unwrap_or(0) as f64;
            let mut n_risk: Vec<f64> = (0..bins).map(|k| count(&g.n_risk, k)).collect();
            let last = bins.saturating_sub(1);
            n_risk.push(
                (count(&g.n_risk, last) - count(&g.n_event, last) - count(&g.n_censor, last))
                    .max(0.0),
            );
            let mut n_event = vec![0.0];
            n_event.extend((0..bins).map(|k| count(&g.n_event, k)));
            let mut n_censor = vec![0.0];
            n_censor.extend((0..bins).map(|k| count(&g.n_censor, k)));
            KmCurveReport {
                group: g.label.clone(),
                std_err: vec![None; time.len()],
                lower: vec![None; time.len()],
                upper: vec![None; time.len()],
                time,
                n_risk,
                n_event,
                n_censor,
                surv,
                median: none.clone(),
                quantiles: Vec::new(),
                at_times: Vec::new(),
                rmst: None,
            }
        })
        .collect();
    KmSection {
        conf_type: "none".into(),
        conf_level: 0.95,
        curves,
    }
}

/// The life table figure's options: no bands or censoring marks (the table has neither), no
/// number-at-risk table under the axis (at a tick inside an interval the number at risk is
/// not known: the page and the report list the intervals' counts instead),
/// its own title and y axis unless the caller named them, and time ticks on multiples of
/// the interval width (where the number at risk is exact) unless the caller set a step:
/// the smallest multiple k·width (k in 1, 2, 3, 4, 6, 8, 12, …) giving at most 8 steps.
pub fn life_table_options(lt: &LifeTable, mut o: KmPlotOptions) -> KmPlotOptions {
    let w = sites_words(o.lang);
    let end = lt
        .groups
        .iter()
        .filter_map(|g| g.edges.last().copied())
        .fold(0.0, f64::max);
    if o.x_step.is_none() && lt.width > 0.0 && end > 0.0 {
        let k = [
            1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 20.0, 24.0, 40.0, 60.0, 120.0,
        ]
        .into_iter()
        .find(|k| end / (k * lt.width) <= 8.0)
        .unwrap_or((end / (8.0 * lt.width)).ceil());
        o.x_step = Some(k * lt.width);
    }
    o.ci = false;
    o.censor_marks = false;
    o.risk_table = super::RiskTable::None;
    o.median_lines = false;
    if o.title.is_none() {
        o.title = Some(
            w.f_life_title
                .replace("{width}", &numbers::label_value(lt.width)),
        );
    }
    // The pooled document does not know the protocol's unit: "Time" unless the caller names it.
    if o.time_unit.is_none() && o.x_label.is_none() {
        o.x_label = Some(super::words::words(o.lang).time.to_string());
    }
    if o.y_label == super::words::EN.survival_percent || o.y_label.is_empty() {
        o.y_label = w.f_life_axis.to_string();
    }
    o
}

/// The corner label of the life table ("Life table, not Kaplan–Meier").
pub fn life_table_corner(o: &KmPlotOptions) -> String {
    sites_words(o.lang).f_life_corner.to_string()
}
