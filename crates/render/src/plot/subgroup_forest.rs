//! The subgroup forest plot, the figure of every trial paper: the overall row, then per
//! subgroup column a heading with its interaction p and one row per level, with
//! events/n per group, the hazard ratio (filled square, 95% CI) on a log axis with a
//! line at HR = 1, and the HR (CI) as text on the right. With more than two groups each
//! level has one line per comparison with the reference (in that group's colour). A
//! level without an estimate (a group without events) says so in the text column.
//! The markers, the axis and the line at 1 are the Cox forest plot's
//! ([`super::forest`]).

use super::figure::render_svg;
use super::forest::{
    draw_estimate, draw_hr_axis, draw_label, draw_line_at_one, header_height, hr_panel, hr_text,
    row_height, terms_hr_range,
};
use super::style::text_width;
use super::words::{words, PlotWords};
use super::{FigureOptions, PlotError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use survlens_contract::cox::CoxTerm;
use survlens_contract::subgroups::{SubgroupRow, SubgroupsSection};
use survlens_text::numbers;

/// One line of the figure.
struct Line<'a> {
    label: String,
    bold: bool,
    /// Indentation steps of the label (0: overall and headings).
    indent: usize,
    /// "events/n" per group (empty on headings and comparison lines).
    counts: Vec<String>,
    term: Option<&'a CoxTerm>,
    /// The colour (group index) of the marker.
    color: usize,
    /// The text column: HR (CI), "not estimable", or the interaction p.
    right: String,
}

/// The group labels (analysis order), read from the overall row.
fn groups(s: &SubgroupsSection) -> Vec<String> {
    s.rows
        .first()
        .map(|r| r.by_group.iter().map(|g| g.group.clone()).collect())
        .unwrap_or_default()
}

fn lines<'a>(s: &'a SubgroupsSection, w: &PlotWords, o: &FigureOptions) -> Vec<Line<'a>> {
    let groups = groups(s);
    let mut out = Vec::new();
    let mut column: Option<&str> = None;
    for r in &s.rows {
        let indent = match r.column.as_deref() {
            None => 0,
            Some(c) => {
                if column != Some(c) {
                    let p = s
                        .interaction
                        .iter()
                        .find(|t| t.column == c)
                        .and_then(|t| t.p);
                    out.push(Line {
                        label: c.to_string(),
                        bold: true,
                        indent: 0,
                        counts: Vec::new(),
                        term: None,
                        color: 0,
                        right: w.p_interaction.replace("{p}", &numbers::p_cell(p)),
                    });
                    column = Some(c);
                }
                1
            }
        };
        level_lines(r, indent, &groups, w, o, &mut out);
    }
    out
}

/// The line(s) of one row: one with the HR when there is one comparison, else the
/// level's counts and then one line per comparison.
fn level_lines<'a>(
    r: &'a SubgroupRow,
    indent: usize,
    groups: &[String],
    w: &PlotWords,
    o: &FigureOptions,
    out: &mut Vec<Line<'a>>,
) {
    let label = if r.column.is_none() {
        w.overall.to_string()
    } else {
        r.level.clone()
    };
    let counts = r
        .by_group
        .iter()
        .map(|g| format!("{}/{}", g.events, g.n))
        .collect();
    let mut line = Line {
        label,
        bold: r.column.is_none(),
        indent,
        counts,
        term: None,
        color: 1,
        right: w.no_estimate.to_string(),
    };
    match r.terms.as_deref() {
        Some([t]) => {
            line.term = Some(t);
            line.right = hr_text(t, o.lang);
            out.push(line);
        }
        Some(terms) => {
            line.right = String::new();
            out.push(line);
            for (j, t) in terms.iter().enumerate() {
                let versus = w
                    .versus
                    .replace("{group}", groups.get(j + 1).map_or("", String::as_str))
                    .replace("{reference}", groups.first().map_or("", String::as_str));
                out.push(Line {
                    label: versus,
                    bold: false,
                    indent: indent + 1,
                    counts: Vec::new(),
                    term: Some(t),
                    color: j + 1,
                    right: hr_text(t, o.lang),
                });
            }
        }
        None => out.push(line),
    }
}

/// Height (layout px) of the subgroup forest plot of `s`.
pub fn subgroup_forest_height(s: &SubgroupsSection, o: &FigureOptions) -> f64 {
    let n = lines(s, words(o.lang), o).len();
    header_height(o) + n.max(1) as f64 * row_height(o) + super::panel::x_axis_height(o) + 10.0
}

/// The axis range (HR) covering every drawn CI and 1.
fn hr_range(lines: &[Line]) -> (f64, f64) {
    terms_hr_range(lines.iter().filter_map(|l| l.term))
}

/// The columns' widths (layout px): labels, events/n per group, the text column.
struct Widths {
    label: f64,
    counts: Vec<f64>,
    right: f64,
}

impl Widths {
    fn of(lines: &[Line], groups: &[String], w: &PlotWords, f: f64) -> Self {
        let label = lines
            .iter()
            .map(|l| text_width(&l.label, f) + l.indent as f64 * indent_step(f))
            .fold(text_width(w.subgroup, f), f64::max)
            + 14.0;
        let head = |g: &str| text_width(g, f * 0.9).max(text_width(w.events_of_n, f * 0.8));
        let counts = (0..groups.len())
            .map(|g| {
                lines
                    .iter()
                    .filter_map(|l| l.counts.get(g))
                    .map(|c| text_width(c, f * 0.9))
                    .fold(head(&groups[g]), f64::max)
                    + 14.0
            })
            .collect();
        let right = lines
            .iter()
            .map(|l| text_width(&l.right, f * 0.9))
            .fold(text_width(w.hr_ci, f * 0.9), f64::max)
            + 8.0;
        Widths {
            label,
            counts,
            right,
        }
    }
}

/// The indentation of one step of a label.
fn indent_step(font_size: f64) -> f64 {
    font_size * 1.2
}

/// Draws the subgroup forest plot on `area` (any plotters backend), filling it.
pub fn draw_subgroup_forest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &SubgroupsSection,
    o: &FigureOptions,
) -> Result<(), PlotError> {
    let (u, f, w) = (o.unit(), o.font_size, words(o.lang));
    area.fill(&WHITE)?;
    let lines = lines(s, w, o);
    let groups = groups(s);
    let cols = Widths::of(&lines, &groups, w, f);
    let counts_w: f64 = cols.counts.iter().sum();
    let width = area.dim_in_pixel().0 as f64 / u;
    let plot_w = (width - cols.label - counts_w - cols.right - 16.0).max(120.0);
    let x_plot = cols.label + counts_w;
    let (panel, ticks) = hr_panel((x_plot, x_plot + plot_w), lines.len(), hr_range(&lines), o);
    let (top, rh) = (header_height(o), row_height(o));
    let draw_text = |s: &str, x: f64, y: f64, size: f64, bold: bool, h: HPos| {
        draw_label(area, o, s, (x, y), (size, bold), h)
    };
    // Column heads: the group's label over its "events/n".
    draw_text(w.subgroup, 4.0, top * 0.45, 0.9, true, HPos::Left)?;
    let mut x = cols.label;
    for (g, cw) in groups.iter().zip(&cols.counts) {
        draw_text(g, x + cw / 2.0, top * 0.3, 0.9, true, HPos::Center)?;
        let below = top * 0.72;
        draw_text(w.events_of_n, x + cw / 2.0, below, 0.8, false, HPos::Center)?;
        x += cw;
    }
    let x_right = x_plot + plot_w + 8.0;
    draw_text(w.hr_ci, x_right, top * 0.45, 0.9, true, HPos::Left)?;
    draw_line_at_one(area, &panel, o)?;
    for (i, l) in lines.iter().enumerate() {
        let yc = top + (i as f64 + 0.5) * rh;
        let x_label = 4.0 + l.indent as f64 * indent_step(f);
        draw_text(&l.label, x_label, yc, 1.0, l.bold, HPos::Left)?;
        let mut x = cols.label;
        for (c, cw) in l.counts.iter().zip(&cols.counts) {
            draw_text(c, x + cw / 2.0, yc, 0.9, false, HPos::Center)?;
            x += cw;
        }
        draw_text(&l.right, x_right, yc, 0.9, false, HPos::Left)?;
        if let Some(t) = l.term {
            draw_estimate(area, &panel, t, yc * u, (true, l.color), o)?;
        }
    }
    draw_hr_axis(area, &panel, &ticks, o)
}

/// The subgroup forest plot as an SVG document `width` × its natural height (layout px).
pub fn render_subgroup_forest_svg(
    s: &SubgroupsSection,
    o: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = subgroup_forest_height(s, o).round() as u32;
    render_svg(o, width, height, |area, so| {
        draw_subgroup_forest(area, s, so)
    })
}
