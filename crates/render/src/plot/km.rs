//! The Kaplan–Meier figure: step curves, censor marks, CI bands, median guides,
//! legend, log-rank p, and the number-at-risk (or KMunicate) table aligned with
//! the time-axis ticks. Layout, axes, bands and the table are `step_plot`'s, shared
//! with the cumulative incidence figure (`cif`).

use super::step_plot::{
    at_risk, draw_axes, draw_band, draw_corner_label, draw_head, figure_height, layout, render_svg,
    step_points, stroke, xml_text, Frame, LegendItem, Table,
};
use super::style::{group_color, group_dash, px, GREY, INK};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use serde::{Deserialize, Serialize};
use survlens_contract::report::{KmCurveReport, KmSection, LogRankSection};
use survlens_text::numbers::{count as format_count, p_sentence};

/// Which table goes under the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskTable {
    None,
    /// One row per group: number at risk at each tick.
    NumberAtRisk,
    /// KMunicate (Morris et al. 2019): at risk, censored and events so far, per group.
    Kmunicate,
}

/// How to draw the figure. JS passes these as a camelCase object; every field is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KmPlotOptions {
    /// Device px per layout px (devicePixelRatio; ~2.9 for a 300-dpi PNG).
    pub scale: f64,
    /// Multiplies font sizes (the SVG backend writes sizes / 1.24).
    pub font_scale: f64,
    pub font_family: String,
    /// Base font size in layout px.
    pub font_size: f64,
    /// Pointwise confidence bands.
    pub ci: bool,
    pub censor_marks: bool,
    pub median_lines: bool,
    pub risk_table: RiskTable,
    /// Log-rank p in the plot (when the report has one).
    pub p_value: bool,
    /// End of the time axis (default: last follow-up, rounded up to a tick).
    pub x_max: Option<f64>,
    pub x_step: Option<f64>,
    /// days | weeks | months | years: tick steps and the default axis title.
    pub time_unit: Option<String>,
    pub x_label: Option<String>,
    pub y_label: String,
    /// Survival in percent (0–100) rather than proportion (0–1).
    pub y_percent: bool,
    pub title: Option<String>,
    /// The language of the figure's own words (`"en"` or `"zh"`); `y_label` and
    /// `x_label`, when given, are drawn as given.
    #[serde(default = "super::words::page_lang")]
    pub lang: survlens_text::Lang,
    /// The cumulative incidence figure only: 1 − Kaplan–Meier of the event of interest
    /// (the cause-specific curve, a competing event censoring) drawn thin and dotted over
    /// the incidence curves, to show how much it overstates the risk.
    pub one_minus_km: bool,
    /// The matching figures only: the treated group `a` of the comparison to draw
    /// (default: the first comparison).
    pub comparison: Option<String>,
}

impl Default for KmPlotOptions {
    fn default() -> Self {
        KmPlotOptions {
            scale: 1.0,
            font_scale: 1.0,
            font_family: super::style::FONT_FAMILY.into(),
            font_size: 13.0,
            ci: false,
            censor_marks: true,
            median_lines: false,
            risk_table: RiskTable::NumberAtRisk,
            p_value: true,
            x_max: None,
            x_step: None,
            time_unit: None,
            x_label: None,
            y_label: "Survival probability (%)".into(),
            y_percent: true,
            title: None,
            lang: Default::default(),
            one_minus_km: false,
            comparison: None,
        }
    }
}

/// The legend of the Kaplan–Meier figure: one line sample per group.
fn legend(km: &KmSection) -> Vec<LegendItem> {
    km.curves
        .iter()
        .enumerate()
        .map(|(i, c)| LegendItem {
            label: c.group.clone(),
            color: group_color(i),
            pattern: group_dash(i),
        })
        .collect()
}

/// Height (layout px) that gives a figure `width` px wide a well-proportioned plot.
pub fn km_figure_height(width: f64, km: &KmSection, opts: &KmPlotOptions) -> f64 {
    figure_height(width, &legend(km), km.curves.len(), opts)
}

/// Draws the figure on `area` (any plotters backend), filling it.
pub fn draw_km<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    logrank: Option<&LogRankSection>,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    draw_km_labelled(area, km, logrank_label(logrank, opts).as_deref(), opts)
}

/// The corner label of the log-rank test ("Log-rank p = 0.012"; the Fleming–Harrington
/// test when rho ≠ 0): `None` without a test or when `p_value` is off.
fn logrank_label(logrank: Option<&LogRankSection>, opts: &KmPlotOptions) -> Option<String> {
    let lr = logrank.filter(|_| opts.p_value)?;
    let w = words(opts.lang);
    let label = if lr.rho == 0.0 {
        w.log_rank.to_string()
    } else {
        w.fleming_harrington.replace("{rho}", &lr.rho.to_string())
    };
    Some(format!("{label} {}", p_sentence(Some(lr.p))))
}

/// [`draw_km`] with the corner label given (the matched figure's stratified log-rank
/// test): drawn when there are two curves or more.
pub fn draw_km_labelled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    corner: Option<&str>,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let (w_dev, h_dev) = area.dim_in_pixel();
    let u = if opts.scale > 0.0 { opts.scale } else { 1.0 };
    let (w, h) = (w_dev as f64 / u, h_dev as f64 / u);
    area.fill(&WHITE)?;

    let labels: Vec<&str> = km.curves.iter().map(|c| c.group.as_str()).collect();
    let max_t = km
        .curves
        .iter()
        .filter_map(|c| c.time.last().copied())
        .fold(0.0, f64::max);
    let max_n = km
        .curves
        .iter()
        .filter_map(|c| c.n_risk.first().copied())
        .fold(0.0, f64::max);
    let legend = legend(km);
    let l = layout((w, h), &legend, &labels, (max_t, max_n), opts);
    draw_head(area, &legend, &l, w, opts)?;

    // Bands and guides under the curves.
    if opts.ci {
        for (i, c) in km.curves.iter().enumerate() {
            // S = 1 has no log-scale upper limit: the band reaches 1 there.
            let upper: Vec<Option<f64>> = c
                .upper
                .iter()
                .zip(&c.surv)
                .map(|(up, &s)| up.or(if s >= 1.0 { Some(1.0) } else { None }))
                .collect();
            let color = group_color(i).mix(0.16);
            draw_band(area, &c.time, (&c.lower, &upper), &l.frame, color)?;
        }
    }
    if opts.median_lines {
        draw_median_guides(area, km, &l.frame, u)?;
    }
    for (i, c) in km.curves.iter().enumerate() {
        draw_curve(area, c, &l.frame, i, u, opts.censor_marks)?;
    }
    draw_axes(area, &l, y_label(opts), opts)?;
    if let Some(label) = corner.filter(|_| km.curves.len() > 1) {
        draw_corner_label(area, label.to_string(), &l, false, opts)?;
    }
    draw_table(area, km, &l, opts)
}

/// Renders the figure as a standalone SVG document `width` × `height` layout px.
pub fn render_km_svg(
    km: &KmSection,
    logrank: Option<&LogRankSection>,
    opts: &KmPlotOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    let corner = logrank_label(logrank, opts);
    render_km_labelled_svg(km, corner.as_deref(), opts, width, height)
}

/// [`render_km_svg`] with the corner label given ([`draw_km_labelled`]).
pub fn render_km_labelled_svg(
    km: &KmSection,
    corner: Option<&str>,
    opts: &KmPlotOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    // XML 1.0 cannot hold control characters, not even escaped (plotters escapes the
    // rest): group labels show them as U+FFFD.
    let mut km = km.clone();
    for c in &mut km.curves {
        c.group = xml_text(&c.group);
    }
    render_svg(opts, width, height, |area, o| {
        draw_km_labelled(area, &km, corner, o)
    })
}

fn draw_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &KmCurveReport,
    fr: &Frame,
    i: usize,
    u: f64,
    marks: bool,
) -> Result<(), PlotError> {
    let color = group_color(i);
    let pts = step_points(&c.time, &c.surv, 1.0, fr);
    stroke(area, &pts, color, 2.0 * u, group_dash(i), u)?;
    if marks {
        let arm = 4.0 * u;
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: (1.4 * u).round().max(1.0) as u32,
        };
        let mut last = None;
        for ((&t, &s), &nc) in c.time.iter().zip(&c.surv).zip(&c.n_censor) {
            let here = px((fr.x(t), fr.y(s)));
            // One mark per device pixel: a big cohort has thousands on top of each other.
            if nc > 0.0 && t <= fr.end && last != Some(here) {
                last = Some(here);
                let (x, y) = (fr.x(t), fr.y(s));
                area.draw(&PathElement::new(
                    vec![px((x, y - arm)), px((x, y + arm))],
                    style,
                ))?;
                area.draw(&PathElement::new(
                    vec![px((x - arm, y)), px((x + arm, y))],
                    style,
                ))?;
            }
        }
    }
    Ok(())
}

fn draw_median_guides<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    fr: &Frame,
    u: f64,
) -> Result<(), PlotError> {
    let medians: Vec<f64> = km
        .curves
        .iter()
        .filter_map(|c| c.median.estimate)
        .filter(|m| *m <= fr.end)
        .collect();
    let Some(far) = medians.iter().copied().reduce(f64::max) else {
        return Ok(());
    };
    let y = fr.y(0.5);
    stroke(
        area,
        &[(fr.x0, y), (fr.x(far), y)],
        GREY,
        1.0 * u,
        &[4.0, 3.0],
        u,
    )?;
    for m in medians {
        stroke(
            area,
            &[(fr.x(m), y), (fr.x(m), fr.y1)],
            GREY,
            1.0 * u,
            &[4.0, 3.0],
            u,
        )?;
    }
    Ok(())
}

/// Counts at a tick `t`: at risk (time ≥ t, as summary.survfit), and events and
/// censorings up to and including t.
fn counts_at(c: &KmCurveReport, t: f64) -> (f64, f64, f64) {
    let (mut ev, mut cens) = (0.0, 0.0);
    for (k, &x) in c.time.iter().enumerate() {
        if x > t {
            break;
        }
        ev += c.n_event[k];
        cens += c.n_censor[k];
    }
    (at_risk(&c.time, &c.n_risk, t), ev, cens)
}

fn draw_table<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    layout: &super::step_plot::Layout,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let table = Table { area, layout, opts };
    let ticks = &layout.ticks;
    match opts.risk_table {
        RiskTable::None => {}
        RiskTable::NumberAtRisk => {
            let rows: Vec<(&str, RGBColor, Vec<f64>)> = km
                .curves
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let counts = ticks.iter().map(|&t| at_risk(&c.time, &c.n_risk, t));
                    (c.group.as_str(), group_color(i), counts.collect())
                })
                .collect();
            table.number_at_risk(&rows)?;
        }
        RiskTable::Kmunicate => {
            let label_x = table.label_x();
            for (i, c) in km.curves.iter().enumerate() {
                let base = i as f64 * 4.0;
                let u = layout.u;
                table.label(base, &c.group, (true, group_color(i)), HPos::Left, 4.0 * u)?;
                let w = words(opts.lang);
                for (r, name) in [w.at_risk, w.censored, w.events].iter().enumerate() {
                    let row = base + 1.0 + r as f64;
                    table.label(row, name, (false, INK), HPos::Right, label_x)?;
                }
                for &t in ticks {
                    let (n, ev, cens) = counts_at(c, t);
                    table.cell(base + 1.0, t, format_count(n), INK)?;
                    table.cell(base + 2.0, t, format_count(cens), INK)?;
                    table.cell(base + 3.0, t, format_count(ev), INK)?;
                }
            }
        }
    }
    Ok(())
}

/// The y-axis title: the option as given, or the language's default when the option
/// is the (English) default.
fn y_label(opts: &KmPlotOptions) -> String {
    if opts.y_label == super::words::EN.survival_percent {
        words(opts.lang).survival_percent.to_string()
    } else {
        opts.y_label.clone()
    }
}
