//! The conditional survival figure: for each `conditional.given` s, one panel with the
//! Kaplan–Meier curves of the patients alive at s on the clock "time since s"
//! (`survfit(Surv(time - s, event) ~ group, subset = time > s)`), with their bands and
//! number at risk. Each panel is the Kaplan–Meier figure's own drawing ([`draw_km`]) of
//! a `km`-like section built from the conditional curves, under the title "Alive at s".

use super::km::{draw_km, km_figure_height, KmPlotOptions};
use super::step_plot::{render_svg, xml_text};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use survlens_contract::follow_up::{ConditionalCurve, ConditionalResult};
use survlens_contract::report::{KmCurveReport, KmSection};
use survlens_text::numbers::label_value;

/// The figure's panels: (s, the curves since s as a `km` section).
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalPlot {
    pub panels: Vec<(f64, KmSection)>,
}

/// A conditional curve as a `km` curve (same step-curve fields; no quantiles or RMST).
fn km_curve(c: &ConditionalCurve) -> KmCurveReport {
    KmCurveReport {
        group: c.group.clone(),
        time: c.time.clone(),
        n_risk: c.n_risk.clone(),
        n_event: c.n_event.clone(),
        n_censor: c.n_censor.clone(),
        surv: c.surv.clone(),
        std_err: c.std_err.clone(),
        lower: c.lower.clone(),
        upper: c.upper.clone(),
        median: c.median.clone(),
        quantiles: Vec::new(),
        at_times: c.at_times.clone(),
        rmst: None,
    }
}

impl ConditionalPlot {
    /// One panel per given of `results` (ascending, as the Report lists them); the
    /// confidence settings of `km` when the Report has one (they are not drawn).
    pub fn new(results: &[ConditionalResult], km: Option<&KmSection>) -> Self {
        let (conf_type, conf_level) = km.map_or(("log".to_string(), 0.95), |k| {
            (k.conf_type.clone(), k.conf_level)
        });
        let panels = results
            .iter()
            .map(|r| {
                let section = KmSection {
                    conf_type: conf_type.clone(),
                    conf_level,
                    curves: r.curves.iter().map(km_curve).collect(),
                };
                (r.given, section)
            })
            .collect();
        ConditionalPlot { panels }
    }
}

/// A panel's options: the title "Alive at s = 12 months" (after the options' own title
/// when they have one), the x axis "Time since s (months)", no log-rank p.
fn panel_options(s: f64, opts: &KmPlotOptions) -> KmPlotOptions {
    let w = words(opts.lang);
    let unit = w.unit(opts.time_unit.as_deref().unwrap_or("months"));
    let alive = w
        .alive_at
        .replace("{s}", &label_value(s))
        .replace("{unit}", unit);
    KmPlotOptions {
        title: Some(match &opts.title {
            Some(t) => format!("{t}: {alive}"),
            None => alive,
        }),
        x_label: Some(
            opts.x_label
                .clone()
                .unwrap_or_else(|| w.time_since_s.replace("{unit}", unit)),
        ),
        p_value: false,
        ..opts.clone()
    }
}

/// Height (layout px) of the figure `width` px wide: the panels' heights, one under the
/// other.
pub fn conditional_figure_height(width: f64, plot: &ConditionalPlot, opts: &KmPlotOptions) -> f64 {
    plot.panels
        .iter()
        .map(|(s, km)| km_figure_height(width, km, &panel_options(*s, opts)))
        .sum::<f64>()
        .max(1.0)
}

/// Draws the panels on `area`, one under the other, each its share of the height (each
/// panel paints its own background).
pub fn draw_conditional<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: &ConditionalPlot,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let (w_dev, h_dev) = area.dim_in_pixel();
    let u = if opts.scale > 0.0 { opts.scale } else { 1.0 };
    let width = f64::from(w_dev) / u;
    let heights: Vec<f64> = plot
        .panels
        .iter()
        .map(|(s, km)| km_figure_height(width, km, &panel_options(*s, opts)))
        .collect();
    let total: f64 = heights.iter().sum();
    if total <= 0.0 {
        area.fill(&WHITE)?;
        return Ok(());
    }
    let mut breaks = Vec::new();
    let mut so_far = 0.0;
    for h in &heights[..heights.len() - 1] {
        so_far += h;
        breaks.push((so_far / total * f64::from(h_dev)).round() as i32);
    }
    let areas = area.split_by_breakpoints::<i32, i32, _, _>([], breaks);
    for ((s, km), a) in plot.panels.iter().zip(&areas) {
        draw_km(a, km, None, &panel_options(*s, opts))?;
    }
    Ok(())
}

/// Renders the figure as a standalone SVG document `width` × `height` layout px.
pub fn render_conditional_svg(
    plot: &ConditionalPlot,
    opts: &KmPlotOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    // Group labels without control characters (XML 1.0), as the Kaplan–Meier figure.
    let mut plot = plot.clone();
    for (_, km) in &mut plot.panels {
        for c in &mut km.curves {
            c.group = xml_text(&c.group);
        }
    }
    render_svg(opts, width, height, |area, o| {
        draw_conditional(area, &plot, o)
    })
}
