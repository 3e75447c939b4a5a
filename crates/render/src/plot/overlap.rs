//! Propensity-score overlap: for each group k, the distribution of the fitted
//! probability e_k(x) of being in k, drawn as a histogram (percent of each group's
//! patients per bin) for every group on the same axis. With two groups one panel
//! (e of the second group) says it all, since e₁ = 1 − e₂. Areas where one group has
//! patients and another has none are the positivity problems weighting cannot fix.
//!
//! # References
//! McCaffrey, D. F. et al. (2013). A tutorial on propensity score estimation for
//! multiple treatments using generalized boosted models. *Stat. Med.* 32, 3388–3414
//! (overlap of e_k by group, one panel per treatment).

use super::figure::{draw_title, nice_axis, render_svg, FigureOptions};
use super::style::{group_color, px, text, text_width, GREY, INK};
use super::ticks::tick_label;
use super::words::words;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use survlens_contract::propensity::PerRow;

/// Histogram bins on [0, 1].
pub const BINS: usize = 25;
const PANEL: f64 = 150.0;
const GAP: f64 = 58.0;
const TOP: f64 = 40.0;

/// The panels drawn: column k of the scores for k in the result (two groups: only 1).
pub fn panels(n_groups: usize) -> Vec<usize> {
    if n_groups == 2 {
        vec![1]
    } else {
        (0..n_groups).collect()
    }
}

/// Height (layout px) of the overlap figure for `n_groups` groups.
pub fn overlap_figure_height(n_groups: usize, opts: &FigureOptions) -> f64 {
    let title = opts.title_height();
    TOP + title + panels(n_groups).len() as f64 * (PANEL + GAP) + 8.0
}

/// Percent of each group's patients in each bin of column `col` of the scores.
pub fn histogram(per_row: &PerRow, labels: &[String], col: usize) -> Vec<[f64; BINS]> {
    let mut counts = vec![[0.0; BINS]; labels.len()];
    let mut n = vec![0.0; labels.len()];
    for (g, ps) in per_row.group.iter().zip(&per_row.ps) {
        let (Some(gi), Some(&e)) = (labels.iter().position(|l| l == g), ps.get(col)) else {
            continue;
        };
        if e.is_finite() {
            let b = ((e * BINS as f64) as usize).min(BINS - 1);
            counts[gi][b] += 1.0;
            n[gi] += 1.0;
        }
    }
    for (c, n) in counts.iter_mut().zip(&n) {
        if *n > 0.0 {
            c.iter_mut().for_each(|v| *v *= 100.0 / n);
        }
    }
    counts
}

/// The figure's data: for each panel of [`panels`], the histograms of every group
/// ([`histogram`]). O(groups² · bins): this, not the per-row scores, is what the page's
/// worker sends for a large cohort.
pub fn overlap_histograms(per_row: &PerRow, labels: &[String]) -> Vec<Vec<[f64; BINS]>> {
    panels(labels.len())
        .into_iter()
        .map(|col| histogram(per_row, labels, col))
        .collect()
}

/// One table of a figure's text alternative: its caption, column heads and rows of
/// printed cells (the numbers by the one formatter, `survlens_text::numbers`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FigureTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The overlap figure as tables, what it draws in words: one table per panel (the
/// probability of being in that panel's group), a row per bin of [0, 1] that holds
/// any patient, a column per group with the percent of the group's patients in the
/// bin (one decimal).
pub fn overlap_tables(
    histograms: &[Vec<[f64; BINS]>],
    labels: &[String],
    lang: survlens_text::Lang,
) -> Vec<FigureTable> {
    use survlens_text::numbers::{fixed, fixed_ci};
    let w = words(lang);
    let mut headers = vec![w.ps_bin.to_string()];
    headers.extend(
        labels
            .iter()
            .map(|l| w.pct_of_named_group.replace("{group}", l)),
    );
    panels(labels.len())
        .into_iter()
        .zip(histograms)
        .map(|(col, hist)| {
            let rows = (0..BINS)
                .filter(|&b| hist.iter().any(|h| h[b] > 0.0))
                .map(|b| {
                    let (lo, hi) = (b as f64 / BINS as f64, (b + 1) as f64 / BINS as f64);
                    let mut row = vec![fixed_ci(Some(lo), Some(hi), 2, lang)];
                    row.extend(hist.iter().map(|h| fixed(Some(h[b]), 1)));
                    row
                })
                .collect();
            let group = labels.get(col).map_or("", String::as_str);
            FigureTable {
                caption: w.ps_given.replace("{group}", group),
                headers: headers.clone(),
                rows,
            }
        })
        .collect()
}

/// Draws the overlap figure on `area` (any plotters backend), filling it.
pub fn draw_overlap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    per_row: &PerRow,
    labels: &[String],
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    draw_overlap_histograms(area, &overlap_histograms(per_row, labels), labels, opts)
}

/// [`draw_overlap`] from the histograms of [`overlap_histograms`] (one per panel).
pub fn draw_overlap_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    histograms: &[Vec<[f64; BINS]>],
    labels: &[String],
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let (w_dev, _) = area.dim_in_pixel();
    let u = opts.unit();
    let w = w_dev as f64 / u;
    area.fill(&WHITE)?;
    let fam = opts.font_family.as_str();
    let mut top = 8.0 + draw_title(area, opts)?;
    // Legend: one swatch per group.
    let mut xx = 16.0;
    for (i, l) in labels.iter().enumerate() {
        let y = top + 12.0;
        area.draw(&Rectangle::new(
            [
                px((xx * u, (y - 6.0) * u)),
                px(((xx + 14.0) * u, (y + 6.0) * u)),
            ],
            group_color(i).mix(0.45).filled(),
        ))?;
        area.draw(&Text::new(
            l.clone(),
            px(((xx + 20.0) * u, y * u)),
            text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
        ))?;
        xx += 40.0 + text_width(l, opts.font_size);
    }
    top += TOP - 8.0;
    let left = 52.0;
    for ((p, &col), hist) in panels(labels.len()).iter().enumerate().zip(histograms) {
        let y0 = top + p as f64 * (PANEL + GAP) + 20.0;
        let frame = (
            (left * u, y0 * u),
            ((w - 20.0) * u, (y0 + PANEL - 20.0) * u),
        );
        let label = labels.get(col).map_or(String::new(), |l| {
            words(opts.lang).ps_given.replace("{group}", l)
        });
        draw_panel(area, hist, frame, &label, opts)?;
    }
    Ok(())
}

type Frame = ((f64, f64), (f64, f64));

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hist: &[[f64; BINS]],
    ((x0, y0), (x1, y1)): Frame,
    label: &str,
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let u = opts.unit();
    let fam = opts.font_family.as_str();
    let max = hist
        .iter()
        .flat_map(|h| h.iter().copied())
        .fold(1.0, f64::max);
    let (end, step) = nice_axis(max);
    let x = |v: f64| x0 + (x1 - x0) * v;
    let y = |v: f64| y1 - (y1 - y0) * (v / end);
    let thin = u.round().max(1.0) as u32;
    let mut t = 0.0;
    while t <= end + 1e-9 {
        area.draw(&PathElement::new(
            vec![px((x0, y(t))), px((x1, y(t)))],
            GREY.mix(0.2).stroke_width(thin),
        ))?;
        area.draw(&Text::new(
            tick_label(t),
            px((x0 - 6.0 * u, y(t))),
            text(fam, opts.font(0.85), false, INK, HPos::Right, VPos::Center),
        ))?;
        t += step;
    }
    for (g, h) in hist.iter().enumerate() {
        let color = group_color(g);
        let mut outline = vec![px((x(0.0), y(0.0)))];
        for (b, v) in h.iter().enumerate() {
            let (a, c) = (b as f64 / BINS as f64, (b + 1) as f64 / BINS as f64);
            if *v > 0.0 {
                area.draw(&Rectangle::new(
                    [px((x(a), y(*v))), px((x(c), y(0.0)))],
                    color.mix(0.22).filled(),
                ))?;
            }
            outline.push(px((x(a), y(*v))));
            outline.push(px((x(c), y(*v))));
        }
        outline.push(px((x(1.0), y(0.0))));
        area.draw(&PathElement::new(
            outline,
            color.stroke_width((1.6 * u).round().max(1.0) as u32),
        ))?;
    }
    area.draw(&PathElement::new(
        vec![px((x0, y1)), px((x1, y1))],
        INK.stroke_width(thin),
    ))?;
    for k in 0..=10 {
        let v = k as f64 / 10.0;
        area.draw(&Text::new(
            tick_label(v),
            px((x(v), y1 + 5.0 * u)),
            text(fam, opts.font(0.85), false, INK, HPos::Center, VPos::Top),
        ))?;
    }
    area.draw(&Text::new(
        label.to_string(),
        px(((x0 + x1) / 2.0, y1 + (8.0 + opts.font_size) * u)),
        text(fam, opts.font(0.95), false, INK, HPos::Center, VPos::Top),
    ))?;
    area.draw(&Text::new(
        words(opts.lang).pct_of_group,
        px((x0, y0 - 8.0 * u)),
        text(fam, opts.font(0.85), false, GREY, HPos::Left, VPos::Bottom),
    ))?;
    Ok(())
}

/// The overlap figure as an SVG document `width` × `height` layout px.
pub fn render_overlap_svg(
    per_row: &PerRow,
    labels: &[String],
    opts: &FigureOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    render_overlap_histograms_svg(
        &overlap_histograms(per_row, labels),
        labels,
        opts,
        width,
        height,
    )
}

/// [`render_overlap_svg`] from the histograms of [`overlap_histograms`].
pub fn render_overlap_histograms_svg(
    histograms: &[Vec<[f64; BINS]>],
    labels: &[String],
    opts: &FigureOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    render_svg(opts, width, height, |area, o| {
        draw_overlap_histograms(area, histograms, labels, o)
    })
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use survlens_text::Lang;

    /// Two groups: one panel (the second group's probability), a row per bin that holds
    /// a patient of either group, each group's percent printed with one decimal.
    #[test]
    fn the_overlap_table_holds_the_figure_histograms() {
        let mut a = [0.0; BINS];
        let mut b = [0.0; BINS];
        a[2] = 75.0;
        a[10] = 25.0;
        b[10] = 40.0;
        b[24] = 60.0;
        let labels = vec!["IM".to_string(), "IM+HR".to_string()];
        let tables = overlap_tables(&[vec![a, b]], &labels, Lang::En);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!(t.caption, "P(IM+HR | covariates)");
        assert_eq!(
            t.headers,
            [
                "Propensity score (bin)",
                "IM: % of the group",
                "IM+HR: % of the group"
            ]
        );
        assert_eq!(
            t.rows,
            [
                ["0.08 to 0.12", "75.0", "0.0"],
                ["0.40 to 0.44", "25.0", "40.0"],
                ["0.96 to 1.00", "0.0", "60.0"],
            ]
        );
        let zh = &overlap_tables(&[vec![a, b]], &labels, Lang::Zh)[0];
        assert_eq!(zh.rows[0][0], "0.08 至 0.12");
        assert!(zh.headers[0].contains("倾向评分"));
        assert_eq!(zh.rows.len(), t.rows.len());
    }

    /// Three groups: a panel per group, each captioned with its group.
    #[test]
    fn three_groups_give_a_table_per_group() {
        let mut h = [0.0; BINS];
        h[0] = 100.0;
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let tables = overlap_tables(&vec![vec![h; 3]; 3], &labels, Lang::En);
        let captions: Vec<&str> = tables.iter().map(|t| t.caption.as_str()).collect();
        assert_eq!(
            captions,
            [
                "P(a | covariates)",
                "P(b | covariates)",
                "P(c | covariates)"
            ]
        );
        assert!(tables
            .iter()
            .all(|t| t.rows == [["0.00 to 0.04", "100.0", "100.0", "100.0"]]));
    }
}
