//! The cumulative incidence figure: per group one colour, the event of interest solid
//! and the competing event dashed (Aalen–Johansen step curves rising from 0), optional
//! pointwise bands, Gray's test p of the event of interest in the upper left corner, the
//! number-at-risk table (still free of both events) aligned with the time ticks, and
//! optionally 1 − Kaplan–Meier of the event of interest, thin and dotted, to show the
//! overstatement. The same routine draws the weighted (IPTW) curves of `adjusted.cif`
//! under another title. Layout, axes, bands and table: `step_plot`, as the KM figure.
//!
//! R: `plot(survfit(Surv(time, factor(status, c(0, 1, 2))) ~ group), col = , lty = )`.

use super::km::{KmPlotOptions, RiskTable};
use super::step_plot::{
    at_risk, draw_axes, draw_band, draw_corner_label, draw_head, figure_height, layout,
    render_svg, step_points, stroke, xml_text, Frame, LegendItem, Table,
};
use super::style::{group_color, DASH_PATTERNS, INK};
use super::words::{words, EN};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use survlens_contract::competing::{Cause, CifCurve, CompetingRisksSection, GrayTest};
use survlens_contract::report::KmSection;
use survlens_text::numbers::p_sentence;

/// The line pattern of a cause: event of interest solid, competing event dashed.
fn cause_dash(cause: Cause) -> &'static [f64] {
    match cause {
        Cause::Event => DASH_PATTERNS[0],
        Cause::Competing => DASH_PATTERNS[1],
    }
}

/// The dotted pattern of the 1 − KM overlay.
const OVERLAY_DASH: &[f64] = DASH_PATTERNS[2];

/// What the figure draws: the curves (one per group and cause, the section's order),
/// Gray's test p of the event of interest and the cause-specific Kaplan–Meier curves
/// for the 1 − KM overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct CifPlot {
    pub curves: Vec<CifCurve>,
    /// `None`: no p label (one group, Gray's test not asked or not computed, weights).
    pub gray_p: Option<f64>,
    /// `None`: no overlay even when the options ask for it.
    pub km: Option<KmSection>,
}

impl CifPlot {
    /// The figure of `competing_risks` (and the report's cause-specific `km`).
    pub fn new(section: &CompetingRisksSection, km: Option<&KmSection>) -> CifPlot {
        let gray = match &section.gray {
            survlens_contract::report::Skip::Value(tests) => tests.as_slice(),
            _ => &[],
        };
        CifPlot {
            curves: section.cif.clone(),
            gray_p: gray_p(gray),
            km: km.cloned(),
        }
    }

    /// The group labels in the order of their first curve.
    pub fn groups(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.curves {
            if !out.contains(&c.group.as_str()) {
                out.push(&c.group);
            }
        }
        out
    }

    fn overlay(&self, opts: &KmPlotOptions) -> Option<&KmSection> {
        self.km.as_ref().filter(|_| opts.one_minus_km)
    }
}

/// Gray's test p of the event of interest.
pub fn gray_p(tests: &[GrayTest]) -> Option<f64> {
    tests
        .iter()
        .find(|g| g.cause == Cause::Event)
        .map(|g| g.p)
}

/// The options the figure draws with: the KMunicate table is a Kaplan–Meier table, the
/// cumulative incidence figure shows the number at risk instead.
fn cif_options(opts: &KmPlotOptions) -> KmPlotOptions {
    let mut o = opts.clone();
    if o.risk_table == RiskTable::Kmunicate {
        o.risk_table = RiskTable::NumberAtRisk;
    }
    o
}

/// The legend: the groups' colours (two groups or more), then the line styles.
fn legend(plot: &CifPlot, opts: &KmPlotOptions) -> Vec<LegendItem> {
    let groups = plot.groups();
    let mut items: Vec<LegendItem> = Vec::new();
    if groups.len() > 1 {
        items.extend(groups.iter().enumerate().map(|(i, g)| LegendItem {
            label: g.to_string(),
            color: group_color(i),
            pattern: DASH_PATTERNS[0],
        }));
    }
    let w = words(opts.lang);
    for (label, pattern) in [
        (w.event_of_interest, cause_dash(Cause::Event)),
        (w.competing_event, cause_dash(Cause::Competing)),
    ] {
        items.push(LegendItem {
            label: label.into(),
            color: INK,
            pattern,
        });
    }
    if plot.overlay(opts).is_some() {
        items.push(LegendItem {
            label: w.one_minus_km.into(),
            color: INK,
            pattern: OVERLAY_DASH,
        });
    }
    items
}

/// Height (layout px) that gives a figure `width` px wide a well-proportioned plot.
pub fn cif_figure_height(width: f64, plot: &CifPlot, opts: &KmPlotOptions) -> f64 {
    let o = cif_options(opts);
    figure_height(width, &legend(plot, &o), plot.groups().len(), &o)
}

/// Draws the figure on `area` (any plotters backend), filling it.
pub fn draw_cif<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &CifPlot,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let opts = &cif_options(opts);
    let (w_dev, h_dev) = area.dim_in_pixel();
    let u = if opts.scale > 0.0 { opts.scale } else { 1.0 };
    let (w, h) = (w_dev as f64 / u, h_dev as f64 / u);
    area.fill(&WHITE)?;

    let groups = plot.groups();
    let index = |g: &str| groups.iter().position(|x| *x == g).unwrap_or(0);
    let max_t = plot
        .curves
        .iter()
        .filter_map(|c| c.time.last().copied())
        .fold(0.0, f64::max);
    let max_n = plot
        .curves
        .iter()
        .filter_map(|c| c.n_risk.first().copied())
        .fold(0.0, f64::max);
    let legend = legend(plot, opts);
    let l = layout((w, h), &legend, &groups, (max_t, max_n), opts);
    draw_head(area, &legend, &l, w, opts)?;

    if opts.ci {
        for c in &plot.curves {
            draw_cif_band(area, c, &l.frame, group_color(index(&c.group)))?;
        }
    }
    if let Some(km) = plot.overlay(opts) {
        for c in km.curves.iter().filter(|c| groups.contains(&c.group.as_str())) {
            let risk: Vec<f64> = c.surv.iter().map(|s| 1.0 - s).collect();
            let pts = step_points(&c.time, &risk, 0.0, &l.frame);
            let color = group_color(index(&c.group));
            stroke(area, &pts, color, 1.3 * u, OVERLAY_DASH, u)?;
        }
    }
    for c in &plot.curves {
        let pts = step_points(&c.time, &c.estimate, 0.0, &l.frame);
        let color = group_color(index(&c.group));
        stroke(area, &pts, color, 2.0 * u, cause_dash(c.cause), u)?;
    }
    draw_axes(area, &l, y_title(opts), opts)?;
    if let Some(p) = plot.gray_p.filter(|_| opts.p_value && groups.len() > 1) {
        let label = format!("{} {}", words(opts.lang).gray_test, p_sentence(Some(p)));
        draw_corner_label(area, label, &l, true, opts)?;
    }
    if opts.risk_table != RiskTable::None {
        let rows: Vec<(&str, RGBColor, Vec<f64>)> = groups
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let c = plot.curves.iter().find(|c| c.group == *g)?;
                let counts = l.ticks.iter().map(|&t| at_risk(&c.time, &c.n_risk, t));
                Some((*g, group_color(i), counts.collect()))
            })
            .collect();
        let table = Table {
            area,
            layout: &l,
            opts,
        };
        table.number_at_risk(&rows)?;
    }
    Ok(())
}

/// The pointwise band of one curve; at an incidence of 0 (no limits on the log scale)
/// the band is the point 0.
fn draw_cif_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &CifCurve,
    fr: &Frame,
    color: RGBColor,
) -> Result<(), PlotError> {
    let at_zero = |limit: &Option<f64>, est: &f64| limit.or((*est <= 0.0).then_some(0.0));
    let lower: Vec<Option<f64>> = c.lower.iter().zip(&c.estimate).map(|(l, e)| at_zero(l, e)).collect();
    let upper: Vec<Option<f64>> = c.upper.iter().zip(&c.estimate).map(|(l, e)| at_zero(l, e)).collect();
    let alpha = match c.cause {
        Cause::Event => 0.16,
        Cause::Competing => 0.09,
    };
    draw_band(area, &c.time, (&lower, &upper), fr, color.mix(alpha))
}

/// The y-axis title: the option as given, or the language's "Cumulative incidence" when
/// the option is the (English) survival default.
fn y_title(opts: &KmPlotOptions) -> String {
    let w = words(opts.lang);
    match opts.y_label.as_str() {
        l if l == EN.survival_percent && opts.y_percent => w.cumulative_incidence_percent.into(),
        l if l == EN.survival_percent => w.cumulative_incidence.into(),
        l => l.into(),
    }
}

/// Renders the figure as a standalone SVG document `width` × `height` layout px.
pub fn render_cif_svg(
    plot: &CifPlot,
    opts: &KmPlotOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    // XML 1.0 cannot hold control characters, not even escaped: as the KM figure.
    let mut plot = plot.clone();
    for c in &mut plot.curves {
        c.group = xml_text(&c.group);
    }
    if let Some(km) = &mut plot.km {
        for c in &mut km.curves {
            c.group = xml_text(&c.group);
        }
    }
    render_svg(opts, width, height, |area, o| draw_cif(area, &plot, o))
}
