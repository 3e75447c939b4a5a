//! Observed vs imputed values of each imputed covariate (the `imputation_diagnostics`
//! figure), from `imputation.diagnostics` of the results: one panel per column.
//!
//! * Numeric column: one strip per row — the observed values, then the imputed values
//!   of each set — each value a point (spread vertically by a fixed pattern of its
//!   index, so the figure is the same every time), with the median (a bar) and the
//!   quartiles (a line) of the strip. Imputed strips that sit far from the observed one
//!   question the imputation model (van Buuren 2018, § 6.6, `stripplot(imp)`).
//! * Categorical column: per level, the percentage of the observed values and of the
//!   imputed values (all sets together) in that level, as two bars.
//!
//! # R equivalent
//! `mice::stripplot(imp)` (numeric); `prop.table(table(x[obs]))` vs
//! `prop.table(table(unlist(imp$imp$x)))` (categorical).

use super::figure::{draw_title, nice_axis, render_svg, FigureOptions};
use super::style::{group_color, px, text, text_width, GREY, INK};
use super::ticks::tick_label;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use survlens_text::imputation_words::imputation_words;

/// One column's diagnostic as the results give it (`imputation.diagnostics[]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Diagnostic {
    pub column: String,
    /// "numeric" or "categorical".
    pub kind: String,
    #[serde(default)]
    pub observed: Option<Vec<f64>>,
    #[serde(default)]
    pub imputed: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub levels: Option<Vec<String>>,
    #[serde(default)]
    pub observed_counts: Option<Vec<usize>>,
    #[serde(default)]
    pub imputed_counts: Option<Vec<usize>>,
}

impl Diagnostic {
    /// The diagnostic of the contract's type (the report's own Report).
    pub fn of(d: &survlens_contract::imputation::ImputationDiagnostic) -> Self {
        Diagnostic {
            column: d.column.clone(),
            kind: d.kind.clone(),
            observed: d.observed.clone(),
            imputed: d.imputed.clone(),
            levels: d.levels.clone(),
            observed_counts: d.observed_counts.clone(),
            imputed_counts: d.imputed_counts.clone(),
        }
    }

    fn is_numeric(&self) -> bool {
        self.kind == "numeric"
    }

    /// Strips of a numeric panel: the observed one, then one per set.
    fn strips(&self) -> usize {
        1 + self.imputed.as_ref().map_or(0, Vec::len)
    }

    fn n_levels(&self) -> usize {
        self.levels.as_ref().map_or(0, Vec::len)
    }
}

const STRIP: f64 = 16.0;
const BAR: f64 = 11.0;
const HEAD: f64 = 30.0;
const AXIS: f64 = 34.0;
const GAP: f64 = 14.0;

fn panel_height(d: &Diagnostic) -> f64 {
    let body = if d.is_numeric() {
        d.strips() as f64 * STRIP
    } else {
        d.n_levels() as f64 * (2.0 * BAR + 8.0)
    };
    HEAD + body + AXIS + GAP
}

/// Height (layout px) of the figure.
pub fn imputation_figure_height(diagnostics: &[Diagnostic], opts: &FigureOptions) -> f64 {
    let title = opts.title_height();
    12.0 + title + 24.0 + diagnostics.iter().map(panel_height).sum::<f64>()
}

/// Draws the figure on `area` (any plotters backend), filling it.
pub fn draw_imputation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    diagnostics: &[Diagnostic],
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let (w_dev, _) = area.dim_in_pixel();
    let u = opts.unit();
    let w = w_dev as f64 / u;
    let words = imputation_words(opts.lang);
    let fam = opts.font_family.as_str();
    area.fill(&WHITE)?;
    let mut top = 8.0 + draw_title(area, opts)?;
    // Legend: observed (grey), imputed (colour).
    let mut x = 16.0;
    for (label, color) in [(words.observed, GREY), (words.imputed, imputed_color())] {
        area.draw(&Circle::new(
            px(((x + 5.0) * u, (top + 10.0) * u)),
            (4.0 * u).round() as i32,
            color.filled(),
        ))?;
        area.draw(&Text::new(
            label.to_string(),
            px(((x + 14.0) * u, (top + 10.0) * u)),
            text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
        ))?;
        x += 34.0 + text_width(label, opts.font_size);
    }
    top += 24.0;
    // The strip labels' width: the longest of "Observed", "Set m", the levels.
    let label_w = diagnostics
        .iter()
        .flat_map(|d| {
            let mut l: Vec<String> = vec![words.observed.to_string()];
            if d.is_numeric() {
                l.push(words.set_k.replace("{k}", &d.strips().to_string()));
            } else {
                l.extend(d.levels.clone().unwrap_or_default());
            }
            l
        })
        .map(|s| text_width(&s, opts.font_size * 0.85))
        .fold(40.0, f64::max)
        .min(w * 0.35);
    let left = 16.0 + label_w + 10.0;
    let right = w - 18.0;
    for d in diagnostics {
        let h = panel_height(d);
        let title = match (d.is_numeric(), &d.imputed, &d.imputed_counts) {
            (true, Some(sets), _) => {
                let n = sets.first().map_or(0, Vec::len);
                format!(
                    "{} ({})",
                    d.column,
                    words.imputed_n.replace("{n}", &n.to_string())
                )
            }
            (false, _, Some(counts)) => {
                format!(
                    "{} ({})",
                    d.column,
                    words
                        .imputed_all_sets
                        .replace("{n}", &counts.iter().sum::<usize>().to_string())
                )
            }
            _ => d.column.clone(),
        };
        area.draw(&Text::new(
            title,
            px((16.0 * u, (top + 8.0) * u)),
            text(fam, opts.font(1.0), true, INK, HPos::Left, VPos::Top),
        ))?;
        let frame = (left, top + HEAD, right, top + h - AXIS - GAP);
        if d.is_numeric() {
            numeric_panel(area, d, frame, opts)?;
        } else {
            categorical_panel(area, d, frame, opts)?;
        }
        top += h;
    }
    Ok(())
}

fn imputed_color() -> RGBColor {
    group_color(1)
}

/// (x0, y0, x1, y1) in layout px.
type Frame = (f64, f64, f64, f64);

/// A fixed vertical offset in [−0.5, 0.5) for the i-th value (golden-ratio sequence).
fn spread(i: usize) -> f64 {
    ((i as f64 * 0.618_033_988_75).fract()) - 0.5
}

/// Quartiles (type 7) of finite values, sorted copy.
fn quartiles(v: &[f64]) -> Option<[f64; 3]> {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if s.is_empty() {
        return None;
    }
    s.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (s.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    };
    Some([q(0.25), q(0.5), q(0.75)])
}

/// Axis from `lo` to `hi` with a nice step: (start, end, step).
fn value_axis(lo: f64, hi: f64) -> (f64, f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let (_, step) = nice_axis(hi - lo);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    (start, end.max(start + step), step)
}

/// The vertical grid lines and their tick labels below the panel, at `start`,
/// `start + step`, … up to `end`; `x` maps a value to device px.
fn vertical_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (start, end, step): (f64, f64, f64),
    x: &impl Fn(f64) -> f64,
    (y0, y1): (f64, f64),
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let u = opts.unit();
    let thin = u.round().max(1.0) as u32;
    let label = text(
        opts.font_family.as_str(),
        opts.font(0.85),
        false,
        INK,
        HPos::Center,
        VPos::Top,
    );
    let mut t = start;
    while t <= end + step * 1e-9 {
        area.draw(&PathElement::new(
            vec![px((x(t), y0 * u)), px((x(t), y1 * u))],
            GREY.mix(0.2).stroke_width(thin),
        ))?;
        area.draw(&Text::new(
            tick_label(t),
            px((x(t), (y1 + 5.0) * u)),
            label.clone(),
        ))?;
        t += step;
    }
    Ok(())
}

fn numeric_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Diagnostic,
    (x0, y0, x1, y1): Frame,
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let u = opts.unit();
    let fam = opts.font_family.as_str();
    let words = imputation_words(opts.lang);
    let observed = d.observed.clone().unwrap_or_default();
    let sets = d.imputed.clone().unwrap_or_default();
    let all = observed.iter().chain(sets.iter().flatten()).copied();
    let (lo, hi) = all
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (start, end, step) = value_axis(lo, hi);
    let x = |v: f64| (x0 + (x1 - x0) * (v - start) / (end - start)) * u;
    let thin = u.round().max(1.0) as u32;
    vertical_grid(area, (start, end, step), &x, (y0, y1), opts)?;
    area.draw(&PathElement::new(
        vec![px((x0 * u, y1 * u)), px((x1 * u, y1 * u))],
        INK.stroke_width(thin),
    ))?;
    let strips = std::iter::once((words.observed.to_string(), &observed, GREY)).chain(
        sets.iter().enumerate().map(|(k, s)| {
            (
                words.set_k.replace("{k}", &(k + 1).to_string()),
                s,
                imputed_color(),
            )
        }),
    );
    let r = (2.2 * u).round().max(1.0) as i32;
    for (row, (label, values, color)) in strips.enumerate() {
        let cy = y0 + (row as f64 + 0.5) * STRIP;
        area.draw(&Text::new(
            label,
            px(((x0 - 8.0) * u, cy * u)),
            text(fam, opts.font(0.85), false, INK, HPos::Right, VPos::Center),
        ))?;
        if let Some([q1, med, q3]) = quartiles(values) {
            area.draw(&PathElement::new(
                vec![px((x(q1), cy * u)), px((x(q3), cy * u))],
                INK.stroke_width((1.5 * u).round().max(1.0) as u32),
            ))?;
            area.draw(&PathElement::new(
                vec![
                    px((x(med), (cy - STRIP * 0.4) * u)),
                    px((x(med), (cy + STRIP * 0.4) * u)),
                ],
                INK.stroke_width((2.0 * u).round().max(1.0) as u32),
            ))?;
        }
        // The points over the median and quartiles: a set of one value stays visible.
        let alpha = if row == 0 { 0.35 } else { 0.6 };
        for (i, &v) in values.iter().enumerate() {
            if v.is_finite() {
                let y = cy + spread(i) * (STRIP - 6.0);
                area.draw(&Circle::new(
                    px((x(v), y * u)),
                    r,
                    color.mix(alpha).filled(),
                ))?;
            }
        }
    }
    Ok(())
}

fn categorical_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Diagnostic,
    (x0, y0, x1, y1): Frame,
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let u = opts.unit();
    let fam = opts.font_family.as_str();
    let levels = d.levels.clone().unwrap_or_default();
    let pct = |counts: &Option<Vec<usize>>| -> Vec<f64> {
        let c = counts.clone().unwrap_or_default();
        let total: usize = c.iter().sum();
        c.iter()
            .map(|&k| {
                if total > 0 {
                    100.0 * k as f64 / total as f64
                } else {
                    0.0
                }
            })
            .collect()
    };
    let (obs, imp) = (pct(&d.observed_counts), pct(&d.imputed_counts));
    let max = obs.iter().chain(&imp).copied().fold(1.0, f64::max);
    let (end, step) = nice_axis(max);
    let x = |v: f64| (x0 + (x1 - x0) * v / end) * u;
    let thin = u.round().max(1.0) as u32;
    vertical_grid(area, (0.0, end, step), &x, (y0, y1), opts)?;
    area.draw(&Text::new(
        imputation_words(opts.lang).percent.to_string(),
        px((x1 * u, (y1 + 7.0 + opts.font_size) * u)),
        text(fam, opts.font(0.85), false, GREY, HPos::Right, VPos::Top),
    ))?;
    for (l, level) in levels.iter().enumerate() {
        let yl = y0 + l as f64 * (2.0 * BAR + 8.0) + 4.0;
        area.draw(&Text::new(
            level.clone(),
            px(((x0 - 8.0) * u, (yl + BAR) * u)),
            text(fam, opts.font(0.85), false, INK, HPos::Right, VPos::Center),
        ))?;
        for (k, (values, color)) in [(&obs, GREY), (&imp, imputed_color())].iter().enumerate() {
            let v = values.get(l).copied().unwrap_or(0.0);
            let yb = yl + k as f64 * BAR;
            area.draw(&Rectangle::new(
                [
                    px((x(0.0), (yb + 1.0) * u)),
                    px((x(v), (yb + BAR - 1.0) * u)),
                ],
                color.mix(0.75).filled(),
            ))?;
        }
    }
    area.draw(&PathElement::new(
        vec![px((x0 * u, y0 * u)), px((x0 * u, y1 * u))],
        INK.stroke_width(thin),
    ))?;
    Ok(())
}

/// The figure as an SVG document `width` px wide (its height from the data).
pub fn render_imputation_svg(
    diagnostics: &[Diagnostic],
    opts: &FigureOptions,
    width: u32,
) -> Result<String, PlotError> {
    let height = imputation_figure_height(diagnostics, opts).round() as u32;
    render_svg(opts, width, height, |area, o| {
        draw_imputation(area, diagnostics, o)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric() -> Diagnostic {
        Diagnostic {
            column: "age".into(),
            kind: "numeric".into(),
            observed: Some(vec![50.0, 60.0, 70.0, 65.0]),
            imputed: Some(vec![vec![55.0, 61.0], vec![58.0, 72.0]]),
            levels: None,
            observed_counts: None,
            imputed_counts: None,
        }
    }

    fn categorical() -> Diagnostic {
        Diagnostic {
            column: "ecog".into(),
            kind: "categorical".into(),
            observed: None,
            imputed: None,
            levels: Some(vec!["0".into(), "1".into(), "2".into()]),
            observed_counts: Some(vec![10, 6, 4]),
            imputed_counts: Some(vec![3, 2, 1]),
        }
    }

    #[test]
    fn quartiles_are_rs_type_7() {
        // quantile(c(1, 2, 3, 4), c(.25, .5, .75)) = 1.75 2.5 3.25
        assert_eq!(quartiles(&[4.0, 1.0, 3.0, 2.0]), Some([1.75, 2.5, 3.25]));
        assert_eq!(quartiles(&[f64::NAN]), None);
    }

    #[test]
    fn axis_covers_the_values() {
        let (s, e, step) = value_axis(37.2, 81.9);
        assert!(s <= 37.2 && e >= 81.9 && step > 0.0);
        let (s, e, _) = value_axis(5.0, 5.0);
        assert!(s < 5.0 && e > 5.0);
    }

    #[test]
    fn svg_names_columns_sets_and_levels_in_both_languages() {
        let d = vec![numeric(), categorical()];
        let svg = render_imputation_svg(&d, &FigureOptions::default(), 640).unwrap();
        for part in [
            "age (2 imputed)",
            "ecog (6 imputed values, all sets)",
            "Observed",
            "Set 2",
            "% of values",
        ] {
            assert!(svg.contains(part), "{part}");
        }
        let zh = FigureOptions {
            lang: survlens_text::Lang::Zh,
            ..FigureOptions::default()
        };
        let svg = render_imputation_svg(&d, &zh, 640).unwrap();
        for part in ["观测值", "数据集 2", "所有数据集共插补 6 个值"] {
            assert!(svg.contains(part), "{part}");
        }
        // One point per finite value: 4 observed + 4 imputed + 2 legend marks.
        assert_eq!(svg.matches("<circle").count(), 10);
    }

    #[test]
    fn height_grows_with_sets_and_levels() {
        let o = FigureOptions::default();
        let one = imputation_figure_height(&[numeric()], &o);
        let mut more = numeric();
        more.imputed = Some(vec![vec![1.0]; 20]);
        assert!(imputation_figure_height(&[more], &o) > one);
        assert!(imputation_figure_height(&[numeric(), categorical()], &o) > one);
    }
}
