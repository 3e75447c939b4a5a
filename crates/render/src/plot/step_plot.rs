//! What the step-curve figures share (Kaplan–Meier in `km`, cumulative incidence in
//! `cif`): the layout (legend, plot frame, time axis, table under it), step polylines
//! and pointwise bands, the axes, the number-at-risk table aligned with the time
//! ticks, and the test's p label in the plot's corner.
//!
//! Layout is computed in layout px (CSS px) and drawn at `scale` device px each,
//! so the same function serves a retina canvas, a 300-dpi PNG and an SVG.

use super::km::{KmPlotOptions, RiskTable};
use super::style::{dash, px, text, text_width, INK};
use super::ticks::{tick_label, tick_values, time_ticks};
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;
use survlens_text::numbers::count as format_count;

/// The plot rectangle in device px; x from 0 to `end` (time), y from 0 to 1.
pub(super) struct Frame {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub end: f64,
}

impl Frame {
    pub fn x(&self, t: f64) -> f64 {
        self.x0 + (self.x1 - self.x0) * (t / self.end)
    }
    pub fn y(&self, s: f64) -> f64 {
        self.y1 - (self.y1 - self.y0) * s.clamp(0.0, 1.0)
    }
}

/// One legend entry: a line sample in `color` with `pattern` and its label.
pub(super) struct LegendItem {
    pub label: String,
    pub color: RGBColor,
    pub pattern: &'static [f64],
}

/// A figure's layout: the frame, its time ticks, where the table starts.
pub(super) struct Layout {
    pub frame: Frame,
    pub ticks: Vec<f64>,
    pub left: f64,
    pub top: f64,
    /// Half the width of the widest at-risk count (layout px): the table's label column
    /// ends that far left of the y axis.
    pub num_half: f64,
    /// Device px per layout px.
    pub u: f64,
}

/// Lays out a figure `w` × `h` layout px with `legend` on top, curves up to `max_t`,
/// `groups` rows of the table under the axis (their labels `groups`) and at most
/// `max_n` at risk.
pub(super) fn layout(
    (w, h): (f64, f64),
    legend: &[LegendItem],
    groups: &[&str],
    (max_t, max_n): (f64, f64),
    opts: &KmPlotOptions,
) -> Layout {
    let u = if opts.scale > 0.0 { opts.scale } else { 1.0 };
    let f = opts.font_size;
    let y_tick_w = text_width(if opts.y_percent { "100" } else { "0.0" }, f);
    let widest = groups.iter().map(|l| text_width(l, f)).fold(0.0, f64::max);
    let table_label_w = match opts.risk_table {
        RiskTable::None => 0.0,
        RiskTable::NumberAtRisk => widest,
        RiskTable::Kmunicate => text_width(words(opts.lang).censored, f).max(widest - 20.0),
    };
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
    let top = top_height(w, legend, opts);
    let bottom = axis_height(opts) + table_height(groups.len(), opts);
    let frame = Frame {
        x0: left * u,
        x1: (w - right) * u,
        y0: top * u,
        y1: (h - bottom).max(top + 40.0) * u,
        end,
    };
    Layout {
        frame,
        ticks,
        left,
        top,
        num_half,
        u,
    }
}

/// Height (layout px) that gives a figure `width` px wide a well-proportioned plot.
pub(super) fn figure_height(
    width: f64,
    legend: &[LegendItem],
    n_groups: usize,
    opts: &KmPlotOptions,
) -> f64 {
    let fixed = top_height(width, legend, opts) + axis_height(opts) + table_height(n_groups, opts);
    fixed + (width * 0.45).clamp(200.0, 440.0)
}

/// The title (when the options have one) and the legend above the plot.
pub(super) fn draw_head<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &[LegendItem],
    l: &Layout,
    width: f64,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let u = l.u;
    if let Some(title) = &opts.title {
        area.draw(&Text::new(
            title.clone(),
            px((l.left * u, 8.0 * u)),
            text(
                &opts.font_family,
                1.15 * opts.font_size * u * opts.font_scale,
                true,
                INK,
                HPos::Left,
                VPos::Top,
            ),
        ))?;
    }
    let legend_top = l.top - legend_height(width, legend, opts);
    draw_legend(area, legend, opts, (l.left, legend_top), width, u)
}

fn legend_rows(width: f64, legend: &[LegendItem], opts: &KmPlotOptions) -> usize {
    if legend.len() < 2 {
        return 0;
    }
    let avail = width - 90.0;
    let (mut rows, mut x) = (1, 0.0);
    for item in legend {
        let iw = 34.0 + text_width(&item.label, opts.font_size) + 22.0;
        if x > 0.0 && x + iw > avail {
            rows += 1;
            x = 0.0;
        }
        x += iw;
    }
    rows
}

fn legend_height(width: f64, legend: &[LegendItem], opts: &KmPlotOptions) -> f64 {
    legend_rows(width, legend, opts) as f64 * opts.font_size * 1.6 + 6.0
}

fn top_height(width: f64, legend: &[LegendItem], opts: &KmPlotOptions) -> f64 {
    let title = if opts.title.is_some() {
        opts.font_size * 2.0
    } else {
        0.0
    };
    8.0 + title + legend_height(width, legend, opts)
}

/// Height under the frame taken by the tick labels and the axis title.
pub(super) fn axis_height(opts: &KmPlotOptions) -> f64 {
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
    legend: &[LegendItem],
    opts: &KmPlotOptions,
    (left, top): (f64, f64),
    width: f64,
    u: f64,
) -> Result<(), PlotError> {
    if legend.len() < 2 {
        return Ok(());
    }
    let f = opts.font_size;
    let avail = width - 90.0;
    let (mut x, mut y) = (0.0, top + f * 0.8);
    for item in legend {
        let iw = 34.0 + text_width(&item.label, f) + 22.0;
        if x > 0.0 && x + iw > avail {
            x = 0.0;
            y += f * 1.6;
        }
        let line = [((left + x) * u, y * u), ((left + x + 28.0) * u, y * u)];
        stroke(area, &line, item.color, 2.2 * u, item.pattern, u)?;
        let style = text(
            &opts.font_family,
            f * u * opts.font_scale,
            false,
            INK,
            HPos::Left,
            VPos::Center,
        );
        area.draw(&Text::new(
            item.label.clone(),
            px(((left + x + 34.0) * u, y * u)),
            style,
        ))?;
        x += iw;
    }
    Ok(())
}

/// Strokes a polyline (device px) with a dash pattern in layout px.
pub(super) fn stroke<DB: DrawingBackend>(
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

/// The step function through (`time`, `value`) from (0, `start`), cut at the axis end
/// (device px, one point per device pixel).
pub(super) fn step_points(time: &[f64], value: &[f64], start: f64, fr: &Frame) -> Vec<(f64, f64)> {
    let mut pts = vec![(fr.x(0.0), fr.y(start))];
    let mut prev = start;
    for (&t, &s) in time.iter().zip(value) {
        if t > fr.end {
            pts.push((fr.x(fr.end), fr.y(prev)));
            break;
        }
        pts.push((fr.x(t), fr.y(prev)));
        pts.push((fr.x(t), fr.y(s)));
        prev = s;
    }
    pts.dedup_by(|b, a| px(*a) == px(*b));
    pts
}

/// A pointwise confidence band as a translucent polygon: from each `time` to the next,
/// between `lower` and `upper`; a limit that does not exist ends the band there and a
/// new one starts where both exist again.
pub(super) fn draw_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    time: &[f64],
    (lower, upper): (&[Option<f64>], &[Option<f64>]),
    fr: &Frame,
    color: RGBAColor,
) -> Result<(), PlotError> {
    let n = time.len();
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
        let a = time[k];
        if a >= fr.end {
            break;
        }
        let b = if k + 1 < n { time[k + 1].min(fr.end) } else { a };
        match (lower.get(k).copied().flatten(), upper.get(k).copied().flatten()) {
            (Some(lo), Some(up)) if b > a => run.push((a, b, lo, up)),
            (Some(_), Some(_)) => {}
            _ => flush(&mut run)?,
        }
    }
    flush(&mut run)
}

/// The axes: time ticks with labels and title, y from 0 to 1 (or 0–100 %) with `y_title`.
pub(super) fn draw_axes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    l: &Layout,
    y_title: String,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let (fr, u) = (&l.frame, l.u);
    let f = opts.font_size;
    let fam = opts.font_family.as_str();
    let size = f * u * opts.font_scale;
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
    for &t in &l.ticks {
        let x = fr.x(t);
        area.draw(&PathElement::new(
            vec![px((x, fr.y1)), px((x, fr.y1 + tick))],
            axis,
        ))?;
        let style = text(fam, size, false, INK, HPos::Center, VPos::Top);
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
        let style = text(fam, size, false, INK, HPos::Right, VPos::Center);
        area.draw(&Text::new(label, px((fr.x0 - tick - 4.0 * u, y)), style))?;
    }
    let unit = opts.time_unit.as_deref().unwrap_or("months");
    let x_label = opts
        .x_label
        .clone()
        .unwrap_or_else(|| words(opts.lang).time_axis(Some(unit)));
    let style = text(fam, size, true, INK, HPos::Center, VPos::Top);
    area.draw(&Text::new(
        x_label,
        px(((fr.x0 + fr.x1) / 2.0, fr.y1 + tick + f * 1.5 * u)),
        style,
    ))?;
    let y_tick_w = text_width(if opts.y_percent { "100" } else { "0.0" }, f) * u;
    let ylab_x = fr.x0 - tick - 10.0 * u - y_tick_w;
    let style = text(fam, size, true, INK, HPos::Center, VPos::Bottom)
        .transform(FontTransform::Rotate270);
    area.draw(&Text::new(
        y_title,
        px((ylab_x, (fr.y0 + fr.y1) / 2.0)),
        style,
    ))?;
    Ok(())
}

/// A test's `label` in the plot's lower left (`at_top`: upper left) corner, on a light
/// backing that keeps it readable over guide lines and curves.
pub(super) fn draw_corner_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    label: String,
    l: &Layout,
    at_top: bool,
    opts: &KmPlotOptions,
) -> Result<(), PlotError> {
    let (fr, u, f) = (&l.frame, l.u, opts.font_size);
    let y = if at_top {
        fr.y0 + (f * 1.35 + 10.0) * u
    } else {
        fr.y1 - 10.0 * u
    };
    let pos = (fr.x0 + 12.0 * u, y);
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
        text(
            &opts.font_family,
            f * u * opts.font_scale,
            false,
            INK,
            HPos::Left,
            VPos::Bottom,
        ),
    ))?;
    Ok(())
}

/// Number at risk at tick `t`: the curve's `n_risk` at its first time ≥ t (as
/// summary.survfit), 0 past its end.
pub(super) fn at_risk(time: &[f64], n_risk: &[f64], t: f64) -> f64 {
    time.iter()
        .position(|&x| x >= t)
        .and_then(|i| n_risk.get(i).copied())
        .unwrap_or(0.0)
}

/// Writes the table under the axis: labels at the left, cells aligned with the ticks.
pub(super) struct Table<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    pub layout: &'a Layout,
    pub opts: &'a KmPlotOptions,
}

impl<DB: DrawingBackend> Table<'_, DB> {
    fn row_y(&self, row: f64) -> f64 {
        let top = self.layout.frame.y1 / self.layout.u + axis_height(self.opts);
        (top + 6.0 + (row + 0.5) * row_height(self.opts)) * self.layout.u
    }

    fn size(&self) -> f64 {
        self.opts.font_size * self.layout.u * self.opts.font_scale
    }

    /// The x (device px) where the row labels end.
    pub fn label_x(&self) -> f64 {
        self.layout.frame.x0 - (self.layout.num_half + 12.0) * self.layout.u
    }

    /// `v` centred under tick `t` in table row `row`.
    pub fn cell(&self, row: f64, t: f64, v: String, color: RGBColor) -> Result<(), PlotError> {
        let style = text(
            &self.opts.font_family,
            self.size(),
            false,
            color,
            HPos::Center,
            VPos::Center,
        );
        let x = self.layout.frame.x(t);
        self.area
            .draw(&Text::new(v, px((x, self.row_y(row))), style))?;
        Ok(())
    }

    /// A row label anchored `h` at `x` (device px).
    pub fn label(
        &self,
        row: f64,
        v: &str,
        (bold, color): (bool, RGBColor),
        h: HPos,
        x: f64,
    ) -> Result<(), PlotError> {
        let style = text(&self.opts.font_family, self.size(), bold, color, h, VPos::Center);
        self.area
            .draw(&Text::new(v.to_string(), px((x, self.row_y(row))), style))?;
        Ok(())
    }

    /// The number-at-risk table: a title row, then per group its label (in the group's
    /// colour) and its count at each tick.
    pub fn number_at_risk(&self, rows: &[(&str, RGBColor, Vec<f64>)]) -> Result<(), PlotError> {
        let u = self.layout.u;
        let title = words(self.opts.lang).number_at_risk;
        self.label(0.0, title, (true, INK), HPos::Left, 4.0 * u)?;
        for (i, (group, color, counts)) in rows.iter().enumerate() {
            let row = i as f64 + 1.2;
            self.label(row, group, (false, *color), HPos::Right, self.label_x())?;
            for (&t, &n) in self.layout.ticks.iter().zip(counts) {
                self.cell(row, t, format_count(n), INK)?;
            }
        }
        Ok(())
    }
}

/// `s` with the characters XML 1.0 forbids (controls other than tab) replaced by U+FFFD.
pub(super) fn xml_text(s: &str) -> String {
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

/// Renders `draw` as a standalone SVG document `width` × `height` layout px: drawn at
/// 2× and declared at 1× size (sub-pixel precision in a vector file).
pub(super) fn render_svg<F>(
    opts: &KmPlotOptions,
    width: u32,
    height: u32,
    draw: F,
) -> Result<String, PlotError>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>, &KmPlotOptions) -> Result<(), PlotError>,
{
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
        draw(&area, &o)?;
        area.present()?;
    }
    let from = format!("width=\"{}\" height=\"{}\"", width * k, height * k);
    let to = format!("width=\"{width}\" height=\"{height}\"");
    Ok(buf.replacen(&from, &to, 1))
}
