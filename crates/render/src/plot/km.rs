//! The Kaplan–Meier figure: step curves, censor marks, CI bands, median guides,
//! legend, log-rank p, and the number-at-risk (or KMunicate) table aligned with
//! the time-axis ticks.
//!
//! Layout is computed in layout px (CSS px) and drawn at `scale` device px each,
//! so the same function serves a retina canvas, a 300-dpi PNG and an SVG.

use super::style::{dash, group_color, group_dash, px, text, text_width, GREY, INK};
use super::ticks::{tick_label, tick_values, time_ticks};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;
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
        }
    }
}

/// Height (layout px) that gives a figure `width` px wide a well-proportioned plot.
pub fn km_figure_height(width: f64, km: &KmSection, opts: &KmPlotOptions) -> f64 {
    let labels: Vec<&str> = km.curves.iter().map(|c| c.group.as_str()).collect();
    let fixed =
        top_height(width, &labels, opts) + axis_height(opts) + table_height(km.curves.len(), opts);
    fixed + (width * 0.45).clamp(200.0, 440.0)
}

/// Draws the figure on `area` (any plotters backend), filling it.
pub fn draw_km<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    logrank: Option<&LogRankSection>,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let (w_dev, h_dev) = area.dim_in_pixel();
    let u = if opts.scale > 0.0 { opts.scale } else { 1.0 };
    let (w, h) = (w_dev as f64 / u, h_dev as f64 / u);
    area.fill(&WHITE)?;

    let labels: Vec<&str> = km.curves.iter().map(|c| c.group.as_str()).collect();
    let f = opts.font_size;
    let max_t = km
        .curves
        .iter()
        .filter_map(|c| c.time.last().copied())
        .fold(0.0, f64::max);
    let y_tick_w = text_width(if opts.y_percent { "100" } else { "0.0" }, f);
    let table_label_w = match opts.risk_table {
        RiskTable::None => 0.0,
        RiskTable::NumberAtRisk => labels.iter().map(|l| text_width(l, f)).fold(0.0, f64::max),
        RiskTable::Kmunicate => text_width(words(opts.lang).censored, f)
            .max(labels.iter().map(|l| text_width(l, f)).fold(0.0, f64::max) - 20.0),
    };
    let max_n = km
        .curves
        .iter()
        .filter_map(|c| c.n_risk.first().copied())
        .fold(0.0, f64::max);
    let num_half = text_width(&format_count(max_n), f) / 2.0;
    let left = (y_tick_w + 14.0 + f * 1.6).max(table_label_w + num_half + 18.0) + 4.0;
    let x_max = opts.x_max.unwrap_or(max_t);
    let (step, end) = time_ticks(
        x_max,
        opts.time_unit.as_deref(),
        opts.x_step,
        tick_room(w - left, x_max, max_n, f),
    );
    let ticks = tick_values(step, end);
    let right = 12.0 + text_width(&tick_label(end), f) / 2.0;
    let top = top_height(w, &labels, opts);
    let bottom = axis_height(opts) + table_height(km.curves.len(), opts);
    let frame = Frame {
        x0: left * u,
        x1: (w - right) * u,
        y0: top * u,
        y1: (h - bottom).max(top + 40.0) * u,
        end,
    };

    let fam = opts.font_family.as_str();
    let fs = |k: f64| k * f * u * opts.font_scale;
    if let Some(title) = &opts.title {
        area.draw(&Text::new(
            title.clone(),
            px((left * u, 8.0 * u)),
            text(fam, fs(1.15), true, INK, HPos::Left, VPos::Top),
        ))?;
    }
    draw_legend(
        area,
        &labels,
        opts,
        left,
        top - legend_height(w, &labels, opts),
        w,
        u,
    )?;

    // Bands and guides under the curves.
    if opts.ci {
        for (i, c) in km.curves.iter().enumerate() {
            draw_band(area, c, &frame, i)?;
        }
    }
    if opts.median_lines {
        draw_median_guides(area, km, &frame, u)?;
    }
    for (i, c) in km.curves.iter().enumerate() {
        draw_curve(area, c, &frame, i, u, opts.censor_marks)?;
    }
    draw_axes(area, &frame, &ticks, opts, u)?;
    if opts.p_value {
        if let Some(lr) = logrank.filter(|_| km.curves.len() > 1) {
            let w = words(opts.lang);
            let label = if lr.rho == 0.0 {
                w.log_rank.to_string()
            } else {
                w.fleming_harrington.replace("{rho}", &lr.rho.to_string())
            };
            let label = format!("{label} {}", p_sentence(Some(lr.p)));
            let pos = (frame.x0 + 12.0 * u, frame.y1 - 10.0 * u);
            // A light backing keeps the text readable over guide lines.
            let (bw, bh) = ((text_width(&label, f) + 8.0) * u, f * 1.35 * u);
            area.draw(&Rectangle::new(
                [
                    px((pos.0 - 4.0 * u, pos.1 - bh)),
                    px((pos.0 - 4.0 * u + bw, pos.1 + 2.0 * u)),
                ],
                WHITE.mix(0.85).filled(),
            ))?;
            area.draw(&Text::new(
                label,
                px(pos),
                text(fam, fs(1.0), false, INK, HPos::Left, VPos::Bottom),
            ))?;
        }
    }
    let table_top = frame.y1 / u + axis_height(opts);
    draw_table(area, km, &frame, &ticks, opts, (table_top, num_half), u)
}

/// Renders the figure as a standalone SVG document `width` × `height` layout px.
pub fn render_km_svg(
    km: &KmSection,
    logrank: Option<&LogRankSection>,
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
    let km = &km;
    // Drawn at 2× and declared at 1× size: sub-pixel precision in a vector file.
    let k = 2u32;
    let mut buf = String::new();
    {
        let backend = SVGBackend::with_string(&mut buf, (width * k, height * k));
        let area = backend.into_drawing_area();
        let o = KmPlotOptions {
            scale: k as f64,
            font_scale: opts.font_scale * 1.24,
            ..opts.clone()
        };
        draw_km(&area, km, logrank, &o)?;
        area.present()?;
    }
    let from = format!("width=\"{}\" height=\"{}\"", width * k, height * k);
    let to = format!("width=\"{width}\" height=\"{height}\"");
    Ok(buf.replacen(&from, &to, 1))
}

/// `s` with the characters XML 1.0 forbids (controls other than tab) replaced by U+FFFD.
fn xml_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    end: f64,
}

impl Frame {
    fn x(&self, t: f64) -> f64 {
        self.x0 + (self.x1 - self.x0) * (t / self.end)
    }
    fn y(&self, s: f64) -> f64 {
        self.y1 - (self.y1 - self.y0) * s.clamp(0.0, 1.0)
    }
}

fn legend_rows(width: f64, labels: &[&str], opts: &KmPlotOptions) -> usize {
    if labels.len() < 2 {
        return 0;
    }
    let avail = width - 90.0;
    let (mut rows, mut x) = (1, 0.0);
    for l in labels {
        let iw = 34.0 + text_width(l, opts.font_size) + 22.0;
        if x > 0.0 && x + iw > avail {
            rows += 1;
            x = 0.0;
        }
        x += iw;
    }
    rows
}

fn legend_height(width: f64, labels: &[&str], opts: &KmPlotOptions) -> f64 {
    legend_rows(width, labels, opts) as f64 * opts.font_size * 1.6 + 6.0
}

fn top_height(width: f64, labels: &[&str], opts: &KmPlotOptions) -> f64 {
    let title = if opts.title.is_some() {
        opts.font_size * 2.0
    } else {
        0.0
    };
    8.0 + title + legend_height(width, labels, opts)
}

fn axis_height(opts: &KmPlotOptions) -> f64 {
    6.0 + opts.font_size * 1.4 + opts.font_size * 1.6 + 6.0
}

fn row_height(opts: &KmPlotOptions) -> f64 {
    opts.font_size * 1.45
}

fn table_height(n_groups: usize, opts: &KmPlotOptions) -> f64 {
    let rows = match opts.risk_table {
        RiskTable::None => return 0.0,
        RiskTable::NumberAtRisk => n_groups as f64 + 1.3,
        RiskTable::Kmunicate => n_groups as f64 * 4.0 + 0.3,
    };
    rows * row_height(opts) + 10.0
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
    opts: &KmPlotOptions,
    left: f64,
    top: f64,
    width: f64,
    u: f64,
) -> Result<(), PlotError> {
    if labels.len() < 2 {
        return Ok(());
    }
    let f = opts.font_size;
    let avail = width - 90.0;
    let (mut x, mut y) = (0.0, top + f * 0.8);
    for (i, l) in labels.iter().enumerate() {
        let iw = 34.0 + text_width(l, f) + 22.0;
        if x > 0.0 && x + iw > avail {
            x = 0.0;
            y += f * 1.6;
        }
        let line = [((left + x) * u, y * u), ((left + x + 28.0) * u, y * u)];
        stroke(area, &line, group_color(i), 2.2 * u, group_dash(i), u)?;
        let style = text(
            &opts.font_family,
            f * u * opts.font_scale,
            false,
            INK,
            HPos::Left,
            VPos::Center,
        );
        area.draw(&Text::new(
            l.to_string(),
            px(((left + x + 34.0) * u, y * u)),
            style,
        ))?;
        x += iw;
    }
    Ok(())
}

/// Strokes a polyline (device px) with a dash pattern in layout px.
fn stroke<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pts: &[(f64, f64)],
    color: RGBColor,
    width: f64,
    pattern: &[f64],
    u: f64,
) -> Result<(), PlotError> {
    let scaled: Vec<f64> = pattern.iter().map(|p| p * u).collect();
    let style = ShapeStyle {
        color: color.to_rgba(),
        filled: false,
        stroke_width: width.round().max(1.0) as u32,
    };
    for piece in dash(pts, &scaled) {
        let v: Vec<(i32, i32)> = piece.into_iter().map(px).collect();
        area.draw(&PathElement::new(v, style))?;
    }
    Ok(())
}

/// How many tick intervals fit across `width` (layout px, left margin taken off): each
/// tick carries a time label and, under it, the at-risk counts, so one interval needs the
/// wider of the two plus a gap. Wide figures get 10 at most.
fn tick_room(width: f64, x_max: f64, max_n: f64, f: f64) -> f64 {
    let label = text_width(&tick_label(x_max.ceil()), f);
    let count = text_width(&format_count(max_n), f);
    ((width - 12.0 - label / 2.0) / (label.max(count) + 14.0)).floor()
}

/// The step function S(t) from (0, 1), cut at the axis end.
fn step_points(c: &KmCurveReport, fr: &Frame) -> Vec<(f64, f64)> {
    let mut pts = vec![(fr.x(0.0), fr.y(1.0))];
    let mut prev = 1.0;
    for (&t, &s) in c.time.iter().zip(&c.surv) {
        if t > fr.end {
            pts.push((fr.x(fr.end), fr.y(prev)));
            return pts;
        }
        pts.push((fr.x(t), fr.y(prev)));
        pts.push((fr.x(t), fr.y(s)));
        prev = s;
    }
    pts
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
    let mut pts = step_points(c, fr);
    pts.dedup_by(|b, a| px(*a) == px(*b));
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

/// Pointwise CI as a translucent band; a limit that does not exist (S = 0, or
/// log-log at S = 1) ends or skips the band there.
fn draw_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &KmCurveReport,
    fr: &Frame,
    i: usize,
) -> Result<(), PlotError> {
    let color = group_color(i).mix(0.16);
    let n = c.time.len();
    let mut run: Vec<(f64, f64, f64, f64)> = Vec::new(); // (t_from, t_to, lower, upper)
    let flush = |run: &mut Vec<(f64, f64, f64, f64)>| -> Result<(), PlotError> {
        if !run.is_empty() {
            let mut poly = Vec::with_capacity(run.len() * 4);
            for &(a, b, _, up) in run.iter() {
                poly.push(px((fr.x(a), fr.y(up))));
                poly.push(px((fr.x(b), fr.y(up))));
            }
            for &(a, b, lo, _) in run.iter().rev() {
                poly.push(px((fr.x(b), fr.y(lo))));
                poly.push(px((fr.x(a), fr.y(lo))));
            }
            area.draw(&Polygon::new(poly, color.filled()))?;
            run.clear();
        }
        Ok(())
    };
    for k in 0..n {
        let a = c.time[k];
        if a >= fr.end {
            break;
        }
        let b = if k + 1 < n {
            c.time[k + 1].min(fr.end)
        } else {
            a
        };
        let lo = c.lower.get(k).copied().flatten();
        let up =
            c.upper
                .get(k)
                .copied()
                .flatten()
                .or(if c.surv[k] >= 1.0 { Some(1.0) } else { None });
        match (lo, up) {
            (Some(lo), Some(up)) if b > a => run.push((a, b, lo, up)),
            (Some(_), Some(_)) => {}
            _ => flush(&mut run)?,
        }
    }
    flush(&mut run)
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

fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fr: &Frame,
    ticks: &[f64],
    opts: &KmPlotOptions,
    u: f64,
) -> Result<(), PlotError> {
    let f = opts.font_size;
    let fam = opts.font_family.as_str();
    let axis = ShapeStyle {
        color: INK.to_rgba(),
        filled: false,
        stroke_width: u.round().max(1.0) as u32,
    };
    let tick = 5.0 * u;
    area.draw(&PathElement::new(
        vec![px((fr.x0, fr.y0)), px((fr.x0, fr.y1)), px((fr.x1, fr.y1))],
        axis,
    ))?;
    for &t in ticks {
        let x = fr.x(t);
        area.draw(&PathElement::new(
            vec![px((x, fr.y1)), px((x, fr.y1 + tick))],
            axis,
        ))?;
        let style = text(
            fam,
            f * u * opts.font_scale,
            false,
            INK,
            HPos::Center,
            VPos::Top,
        );
        area.draw(&Text::new(
            tick_label(t),
            px((x, fr.y1 + tick + 3.0 * u)),
            style,
        ))?;
    }
    for k in 0..=5 {
        let s = k as f64 / 5.0;
        let y = fr.y(s);
        area.draw(&PathElement::new(
            vec![px((fr.x0 - tick, y)), px((fr.x0, y))],
            axis,
        ))?;
        let label = if opts.y_percent {
            format!("{}", k * 20)
        } else {
            format!("{:.1}", s)
        };
        let style = text(
            fam,
            f * u * opts.font_scale,
            false,
            INK,
            HPos::Right,
            VPos::Center,
        );
        area.draw(&Text::new(label, px((fr.x0 - tick - 4.0 * u, y)), style))?;
    }
    let unit = opts.time_unit.as_deref().unwrap_or("months");
    let x_label = opts
        .x_label
        .clone()
        .unwrap_or_else(|| words(opts.lang).time_axis(Some(unit)));
    let style = text(
        fam,
        f * u * opts.font_scale,
        true,
        INK,
        HPos::Center,
        VPos::Top,
    );
    area.draw(&Text::new(
        x_label,
        px(((fr.x0 + fr.x1) / 2.0, fr.y1 + tick + f * 1.5 * u)),
        style,
    ))?;
    let y_tick_w = text_width(if opts.y_percent { "100" } else { "0.0" }, f) * u;
    let ylab_x = fr.x0 - tick - 10.0 * u - y_tick_w;
    let style = text(
        fam,
        f * u * opts.font_scale,
        true,
        INK,
        HPos::Center,
        VPos::Bottom,
    )
    .transform(FontTransform::Rotate270);
    area.draw(&Text::new(
        y_label(opts),
        px((ylab_x, (fr.y0 + fr.y1) / 2.0)),
        style,
    ))?;
    Ok(())
}

/// Counts at a tick `t`: at risk (time ≥ t, as summary.survfit), and events and
/// censorings up to and including t.
fn counts_at(c: &KmCurveReport, t: f64) -> (f64, f64, f64) {
    let at_risk = c
        .time
        .iter()
        .position(|&x| x >= t)
        .map(|i| c.n_risk[i])
        .unwrap_or(0.0);
    let (mut ev, mut cens) = (0.0, 0.0);
    for (k, &x) in c.time.iter().enumerate() {
        if x > t {
            break;
        }
        ev += c.n_event[k];
        cens += c.n_censor[k];
    }
    (at_risk, ev, cens)
}

fn draw_table<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    km: &KmSection,
    fr: &Frame,
    ticks: &[f64],
    opts: &KmPlotOptions,
    (top, num_half): (f64, f64),
    u: f64,
) -> Result<(), PlotError> {
    let f = opts.font_size;
    let fam = opts.font_family.as_str();
    let rh = row_height(opts);
    let size = f * u * opts.font_scale;
    let label_x = fr.x0 - (num_half + 12.0) * u;
    let cell = |row: f64, t: f64, v: String, color: RGBColor| -> Result<(), PlotError> {
        let y = (top + 6.0 + (row + 0.5) * rh) * u;
        area.draw(&Text::new(
            v,
            px((fr.x(t), y)),
            text(fam, size, false, color, HPos::Center, VPos::Center),
        ))?;
        Ok(())
    };
    let label = |row: f64,
                 v: &str,
                 bold: bool,
                 color: RGBColor,
                 h: HPos,
                 x: f64|
     -> Result<(), PlotError> {
        let y = (top + 6.0 + (row + 0.5) * rh) * u;
        area.draw(&Text::new(
            v.to_string(),
            px((x, y)),
            text(fam, size, bold, color, h, VPos::Center),
        ))?;
        Ok(())
    };
    match opts.risk_table {
        RiskTable::None => {}
        RiskTable::NumberAtRisk => {
            label(
                0.0,
                words(opts.lang).number_at_risk,
                true,
                INK,
                HPos::Left,
                4.0 * u,
            )?;
            for (i, c) in km.curves.iter().enumerate() {
                let row = i as f64 + 1.2;
                label(row, &c.group, false, group_color(i), HPos::Right, label_x)?;
                for &t in ticks {
                    cell(row, t, format_count(counts_at(c, t).0), INK)?;
                }
            }
        }
        RiskTable::Kmunicate => {
            for (i, c) in km.curves.iter().enumerate() {
                let base = i as f64 * 4.0;
                label(base, &c.group, true, group_color(i), HPos::Left, 4.0 * u)?;
                let w = words(opts.lang);
                for (r, name) in [w.at_risk, w.censored, w.events].iter().enumerate() {
                    label(
                        base + 1.0 + r as f64,
                        name,
                        false,
                        INK,
                        HPos::Right,
                        label_x,
                    )?;
                }
                for &t in ticks {
                    let (n, ev, cens) = counts_at(c, t);
                    cell(base + 1.0, t, format_count(n), INK)?;
                    cell(base + 2.0, t, format_count(cens), INK)?;
                    cell(base + 3.0, t, format_count(ev), INK)?;
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
