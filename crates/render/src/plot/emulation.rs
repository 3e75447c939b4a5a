//! The figures of the target-trial emulation (clone–censor–weight):
//! - `emulation_curves`: the weighted Kaplan–Meier curve of each strategy (treatment
//!   within the grace period, then no treatment within it) with the bootstrap percentile
//!   bands, drawn by [`super::km`] without a risk table (the risk sets are weighted clones);
//! - `emulation_flow`: the TARGET-style flow of the emulation: patients → clones per
//!   strategy → clones artificially censored when they deviate → clones followed as
//!   assigned and their deaths.
//!
//! Words come from `survlens_text::emulation_words`, numbers from its formatter.

use super::figure::{render_svg, FigureOptions};
use super::style::{
    draw_title, group_color, px, text, title_height, title_lines, wrap_text, GREY, INK,
};
use super::{KmPlotOptions, PlotError, RiskTable};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use survlens_contract::report::{KmCurveReport, KmSection, QuantileEstimate};
use survlens_text::emulation_words::{arm_label, emulation_words};
use survlens_text::figure_words::words;
use survlens_text::numbers::{count, label_value};
use survlens_text::Lang;

/// A count per strategy.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Arms {
    pub treat: usize,
    pub control: usize,
}

/// One strategy's curve as the Report writes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ArmCurve {
    pub arm: String,
    pub time: Vec<f64>,
    pub surv: Vec<f64>,
    #[serde(default)]
    pub lower: Option<Vec<Option<f64>>>,
    #[serde(default)]
    pub upper: Option<Vec<Option<f64>>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Bootstrap {
    pub conf_level: f64,
}

/// What the emulation figures read of the Report's `emulation`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EmulationPlot {
    pub grace: f64,
    pub n_clones: usize,
    pub artificially_censored: Arms,
    #[serde(default)]
    pub n_patients: Option<usize>,
    #[serde(default)]
    pub n_events: Option<Arms>,
    pub curves: Vec<ArmCurve>,
    #[serde(default)]
    pub bootstrap: Option<Bootstrap>,
}

/// The label of strategy `arm` ("treat" / "control") in `lang`, the grace period in
/// `unit` (a time-unit code: days, weeks, months, years).
pub fn strategy_label(arm: &str, grace: f64, unit: Option<&str>, lang: Lang) -> String {
    let w = emulation_words(lang);
    let template = if arm == "treat" {
        w.arm_treat
    } else {
        w.arm_control
    };
    let code = unit.unwrap_or("months");
    // Chinese counts months with the measure word (6 个月), as the report does.
    let unit = if lang == Lang::Zh && code == "months" {
        "个月"
    } else {
        words(lang).unit(code)
    };
    arm_label(template, &label_value(grace), unit)
}

/// The curves as a Kaplan–Meier section (the bands as its limits; no risk table).
pub fn curves_km(p: &EmulationPlot, unit: Option<&str>, lang: Lang) -> KmSection {
    let none = || QuantileEstimate {
        estimate: None,
        lower: None,
        upper: None,
    };
    let curves = p
        .curves
        .iter()
        .map(|c| {
            let n = c.time.len();
            KmCurveReport {
                group: strategy_label(&c.arm, p.grace, unit, lang),
                time: c.time.clone(),
                n_risk: vec![0.0; n],
                n_event: vec![0.0; n],
                n_censor: vec![0.0; n],
                surv: c.surv.clone(),
                std_err: vec![None; n],
                lower: c.lower.clone().unwrap_or_else(|| vec![None; n]),
                upper: c.upper.clone().unwrap_or_else(|| vec![None; n]),
                median: none(),
                quantiles: vec![],
                at_times: vec![],
                rmst: None,
            }
        })
        .collect();
    KmSection {
        conf_type: "bootstrap".into(),
        conf_level: p.bootstrap.as_ref().map_or(0.95, |b| b.conf_level),
        curves,
    }
}

/// The curves figure's options: `o` without a risk table, censor marks or median lines,
/// with the bands when the Report has them, its title the default one unless given.
pub fn curves_options(p: &EmulationPlot, o: &KmPlotOptions) -> KmPlotOptions {
    let has_bands = p.curves.iter().any(|c| c.lower.is_some());
    KmPlotOptions {
        ci: has_bands,
        censor_marks: false,
        median_lines: false,
        risk_table: RiskTable::None,
        p_value: false,
        title: o
            .title
            .clone()
            .or_else(|| Some(emulation_words(o.lang).title_curves.to_string())),
        ..o.clone()
    }
}

/// The curves' title at `width` layout px: the default title, or on a narrow figure (a
/// phone) its short form, which the card around it completes; a title the caller gave
/// is kept as it is.
pub fn fitted_curves_title(o: &KmPlotOptions, width: f64) -> Option<String> {
    let w = emulation_words(o.lang);
    let title = o.title.as_deref()?;
    let size = o.font_size * o.font_scale * 1.15;
    if title != w.title_curves || super::style::text_width(title, size) * 1.08 + 24.0 <= width {
        return Some(title.to_string());
    }
    Some(w.title_curves_short.to_string())
}

/// The curves figure's corner note: what the shaded bands are (none without bands).
pub fn bands_note(p: &EmulationPlot, lang: Lang) -> Option<String> {
    let b = p.bootstrap.as_ref()?;
    p.curves.iter().any(|c| c.lower.is_some()).then(|| {
        emulation_words(lang)
            .bands
            .replace("{level}", &label_value(b.conf_level * 100.0))
    })
}

// ---------------------------------------------------------------- flow diagram

/// One box: its lines (the first bold).
type Lines = Vec<String>;

/// The flow's boxes: the patients, then per strategy (treat, control) the clones, the
/// artificially censored and the followed with their deaths.
fn flow_boxes(p: &EmulationPlot, o: &FigureOptions) -> (Lines, [[Lines; 3]; 2]) {
    let w = emulation_words(o.lang);
    let n = |t: &str, k: usize| t.replace("{n}", &count(k as f64));
    let patients = p.n_patients.unwrap_or(p.n_clones / 2);
    let top = vec![n(w.flow_patients, patients), w.flow_cloned.to_string()];
    let arm = |name: &str, censored: usize, events: Option<usize>, reason: &str| {
        let followed = patients.saturating_sub(censored);
        let mut last = vec![n(w.flow_followed, followed)];
        if let Some(e) = events {
            last.insert(0, n(w.flow_events, e));
        }
        [
            vec![
                strategy_label(name, p.grace, o.time_unit.as_deref(), o.lang),
                n(w.flow_clones, patients),
            ],
            vec![n(w.flow_censored, censored), reason.to_string()],
            last,
        ]
    };
    let ev = p.n_events;
    (
        top,
        [
            arm(
                "treat",
                p.artificially_censored.treat,
                ev.map(|e| e.treat),
                w.flow_censored_treat,
            ),
            arm(
                "control",
                p.artificially_censored.control,
                ev.map(|e| e.control),
                w.flow_censored_control,
            ),
        ],
    )
}

const PAD: f64 = 8.0;
const GAP_Y: f64 = 26.0;
const MARGIN: f64 = 10.0;
/// The indent of the artificially-censored box (an exclusion beside the column's line).
const SIDE: f64 = 26.0;

/// A box's lines after wrapping, each with whether it is bold (the parts of its first line).
type Wrapped = Vec<(String, bool)>;

/// The geometry of the flow at `width` layout px: the title's lines, the wrapped lines
/// of every box, the column width and each row's height.
struct FlowLayout {
    title: Vec<String>,
    top: Wrapped,
    cols: [[Wrapped; 3]; 2],
    col_w: f64,
    top_w: f64,
    line_h: f64,
    row_h: [f64; 4],
    title_h: f64,
}

fn layout(p: &EmulationPlot, o: &FigureOptions, width: f64) -> FlowLayout {
    let size = o.font_size * 0.95;
    let line_h = size * 1.35;
    let col_w = ((width - 3.0 * MARGIN) / 2.0).max(80.0);
    let top_w = col_w.max((width * 0.5).min(width - 2.0 * MARGIN));
    let (top, cols) = flow_boxes(p, o);
    let wrap = |lines: &Lines, w: f64| -> Wrapped {
        lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                wrap_text(l, size, w - 2.0 * PAD)
                    .into_iter()
                    .map(move |x| (x, i == 0))
            })
            .collect()
    };
    let top = wrap(&top, top_w);
    let cols = cols.map(|c| {
        let [a, b, d] = c;
        [wrap(&a, col_w), wrap(&b, col_w - SIDE), wrap(&d, col_w)]
    });
    let h = |n: usize| n as f64 * line_h + 2.0 * PAD;
    let mut row_h = [h(top.len()), 0.0, 0.0, 0.0];
    for r in 0..3 {
        row_h[r + 1] = h(cols[0][r].len().max(cols[1][r].len()));
    }
    // The title wraps on a narrow figure.
    let title = title_lines(o.title.as_deref(), o.font_size, width);
    let title_h = title_height(&title, o.font_size);
    FlowLayout {
        title,
        top,
        cols,
        col_w,
        top_w,
        line_h,
        row_h,
        title_h,
    }
}

/// Height (layout px) of the flow figure `width` px wide.
pub fn flow_figure_height(p: &EmulationPlot, o: &FigureOptions, width: f64) -> f64 {
    let l = layout(p, o, width);
    l.title_h + MARGIN + l.row_h.iter().sum::<f64>() + 3.0 * GAP_Y + MARGIN
}

/// A colour between `c` and white (`k` of `c`).
fn tint(c: RGBColor, k: f64) -> RGBColor {
    let f = |v: u8| (255.0 - (255.0 - v as f64) * k).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Draws the flow on `area`, filling it: the patients on top, then per strategy its
/// clones, the clones followed as assigned with their deaths below, and the clones
/// artificially censored as an exclusion box beside the column's line.
pub fn draw_flow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &EmulationPlot,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let u = o.unit();
    let width = area.dim_in_pixel().0 as f64 / u;
    let fam = o.font_family.as_str();
    area.fill(&WHITE)?;
    let l = layout(p, o, width);
    draw_title(area, &l.title, fam, (o.font_size, o.font_scale), u)?;
    let size = o.font(0.95);
    let draw_box = |x: f64,
                    y: f64,
                    w: f64,
                    h: f64,
                    lines: &Wrapped,
                    fill: RGBColor,
                    edge: RGBColor|
     -> Result<(), PlotError> {
        let corners = [px((x * u, y * u)), px(((x + w) * u, (y + h) * u))];
        area.draw(&Rectangle::new(corners, fill.filled()))?;
        area.draw(&Rectangle::new(
            corners,
            edge.stroke_width(u.round().max(1.0) as u32),
        ))?;
        for (i, (line, bold)) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                px(((x + w / 2.0) * u, (y + PAD + i as f64 * l.line_h) * u)),
                text(fam, size, *bold, INK, HPos::Center, VPos::Top),
            ))?;
        }
        Ok(())
    };
    let line = |pts: Vec<(f64, f64)>| -> Result<(), PlotError> {
        area.draw(&PathElement::new(
            pts.into_iter()
                .map(|(x, y)| px((x * u, y * u)))
                .collect::<Vec<_>>(),
            GREY.stroke_width((1.2 * u).round().max(1.0) as u32),
        ))?;
        Ok(())
    };
    let head = |x1: f64, y1: f64, (ux, uy): (f64, f64)| -> Result<(), PlotError> {
        let size = 6.0;
        let base = (x1 - ux * size, y1 - uy * size);
        area.draw(&Polygon::new(
            vec![
                px((x1 * u, y1 * u)),
                px((
                    (base.0 - uy * size * 0.5) * u,
                    (base.1 + ux * size * 0.5) * u,
                )),
                px((
                    (base.0 + uy * size * 0.5) * u,
                    (base.1 - ux * size * 0.5) * u,
                )),
            ],
            GREY.filled(),
        ))?;
        Ok(())
    };
    let arrow = |x0: f64, y0: f64, x1: f64, y1: f64| -> Result<(), PlotError> {
        line(vec![(x0, y0), (x1, y1)])?;
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        head(x1, y1, (dx / len, dy / len))
    };
    let mut y = l.title_h + MARGIN;
    let top_x = (width - l.top_w) / 2.0;
    draw_box(
        top_x,
        y,
        l.top_w,
        l.row_h[0],
        &l.top,
        RGBColor(0xf2, 0xf2, 0xf2),
        INK,
    )?;
    let top_bottom = y + l.row_h[0];
    y = top_bottom + GAP_Y;
    let xs = [MARGIN, 2.0 * MARGIN + l.col_w];
    for x in xs {
        arrow(width / 2.0, top_bottom, x + l.col_w / 2.0, y)?;
    }
    let rows_y = [
        y,
        y + l.row_h[1] + GAP_Y,
        y + l.row_h[1] + l.row_h[2] + 2.0 * GAP_Y,
    ];
    for (k, x) in xs.iter().enumerate() {
        let color = group_color(k);
        // Clones, then the line down to the followed clones with a branch to the censored.
        draw_box(
            *x,
            rows_y[0],
            l.col_w,
            l.row_h[1],
            &l.cols[k][0],
            tint(color, 0.12),
            color,
        )?;
        let spine = x + SIDE / 2.0;
        arrow(spine, rows_y[0] + l.row_h[1], spine, rows_y[2])?;
        let mid = rows_y[1] + l.row_h[2] / 2.0;
        arrow(spine, mid, x + SIDE, mid)?;
        draw_box(
            x + SIDE,
            rows_y[1],
            l.col_w - SIDE,
            l.row_h[2],
            &l.cols[k][1],
            RGBColor(0xf7, 0xf7, 0xf7),
            GREY,
        )?;
        draw_box(
            *x,
            rows_y[2],
            l.col_w,
            l.row_h[3],
            &l.cols[k][2],
            WHITE,
            color,
        )?;
    }
    Ok(())
}

/// The flow as an SVG document `width` layout px wide (its height its own).
pub fn render_flow_svg(
    p: &EmulationPlot,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = flow_figure_height(p, o, width as f64).round() as u32;
    render_svg(o, width, height, |area, o| draw_flow(area, p, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot() -> EmulationPlot {
        serde_json::from_value(serde_json::json!({
            "grace": 6, "n_clones": 474, "n_patients": 237,
            "artificially_censored": {"treat": 122, "control": 110},
            "n_events": {"treat": 14, "control": 36},
            "curves": [
                {"arm": "treat", "time": [1, 2, 5], "surv": [1, 0.9, 0.8], "lower": [null, 0.8, 0.7], "upper": [null, 0.95, 0.9]},
                {"arm": "control", "time": [1, 3], "surv": [0.95, 0.7], "lower": null, "upper": null}
            ],
            "bootstrap": {"replicates": 50, "seed": 1, "conf_level": 0.95},
            "extra": "ignored"
        }))
        .unwrap()
    }

    #[test]
    fn the_curves_are_two_strategies_with_their_bands() {
        let p = plot();
        let km = curves_km(&p, Some("months"), Lang::En);
        assert_eq!(km.curves[0].group, "Treatment within 6 months");
        assert_eq!(km.curves[1].group, "No treatment within 6 months");
        assert_eq!(km.curves[0].lower, vec![None, Some(0.8), Some(0.7)]);
        assert_eq!(km.curves[1].lower, vec![None, None]);
        let o = curves_options(&p, &KmPlotOptions::default());
        assert!(o.ci);
        assert_eq!(o.risk_table, RiskTable::None);
        assert_eq!(
            bands_note(&p, Lang::En).unwrap(),
            "Shaded: bootstrap 95% percentile bands"
        );
        let zh = curves_km(&p, Some("months"), Lang::Zh);
        assert_eq!(zh.curves[0].group, "6 个月内局部治疗");
        let svg = super::super::render_km_labelled_svg(
            &km,
            bands_note(&p, Lang::En).as_deref(),
            &o,
            640,
            420,
        )
        .unwrap();
        assert!(svg.contains("Treatment within 6 months"));
    }

    #[test]
    fn the_flow_counts_add_up_and_every_box_is_drawn() {
        let p = plot();
        let o = FigureOptions {
            title: Some("Flow".into()),
            time_unit: Some("months".into()),
            ..Default::default()
        };
        let (top, cols) = flow_boxes(&p, &o);
        assert_eq!(top[0], "237 patients");
        assert_eq!(cols[0][0], vec!["Treatment within 6 months", "237 clones"]);
        assert_eq!(cols[0][1][0], "122 artificially censored");
        assert_eq!(cols[1][1][0], "110 artificially censored");
        assert_eq!(cols[0][2], vec!["14 deaths", "115 followed as assigned"]);
        assert_eq!(cols[1][2], vec!["36 deaths", "127 followed as assigned"]);
        let svg = render_flow_svg(&p, &o, 720).unwrap();
        for s in ["237 patients", "122 artificially censored", "36 deaths"] {
            assert!(svg.contains(s), "{s}");
        }
        // A narrow figure wraps its lines and grows taller.
        assert!(flow_figure_height(&p, &o, 300.0) > flow_figure_height(&p, &o, 900.0));
        let zh = FigureOptions {
            lang: Lang::Zh,
            ..o
        };
        assert!(render_flow_svg(&p, &zh, 390).unwrap().contains("例死亡"));
    }
}
