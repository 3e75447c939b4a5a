//! The figures of propensity-score matching, one comparison (a treated group `a`
//! against the reference `b`) at a time:
//! - the love plot of the matched comparison: |SMD| of every covariate term before
//!   matching (all patients of a and b) and after (matched patients, matching weights),
//!   drawn by [`super::love`] with its own legend words;
//! - the linear propensity scores (logit) of matched and unmatched patients: one
//!   histogram panel per arm on a common axis, the matched part of each bar in the arm's
//!   colour and the unmatched part in grey on top, so a bar is every patient of the arm
//!   in that bin (MatchIt's `plot(m, type = "hist")` / cobalt's `bal.plot` idea);
//! - the Kaplan–Meier curves of the matched sample with the number at risk and the
//!   log-rank p stratified by matched set ([`super::km`] with its own corner label).
//!
//! Data (group labels, terms) is drawn as it is; words come from
//! `survlens_text::matching_words`.

use super::figure::{draw_title, render_svg, FigureOptions};
use super::panel::{draw_axes, linear_ticks, Panel};
use super::style::{group_color, px, text, text_width, GREY, INK};
use super::ticks::tick_label;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use survlens_contract::matching::{MatchedBalance, MatchedComparison, MatchedLogRank, MatchedRows};
use survlens_contract::propensity::{BalancePair, BalanceTerm};
use survlens_contract::report::KmSection;
use survlens_text::matching_words::matching_words;
use survlens_text::numbers::p_sentence;
use survlens_text::Lang;

/// What the matching figures read of one comparison of the Report's `matching`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MatchedPlot {
    pub a: String,
    pub b: String,
    #[serde(default)]
    pub balance: Vec<MatchedBalance>,
    #[serde(default)]
    pub km: Option<KmSection>,
    #[serde(default)]
    pub logrank: Option<MatchedLogRank>,
    #[serde(default)]
    pub per_row: Option<MatchedRows>,
}

impl From<&MatchedComparison> for MatchedPlot {
    fn from(c: &MatchedComparison) -> Self {
        MatchedPlot {
            a: c.a.clone(),
            b: c.b.clone(),
            balance: c.balance.clone(),
            km: Some(c.km.clone()),
            logrank: c.logrank.clone(),
            per_row: Some(c.per_row.clone()),
        }
    }
}

/// The comparison whose treated group is `a` (the first when `a` is `None`).
pub fn pick<'a>(list: &'a [MatchedPlot], a: Option<&str>) -> Option<&'a MatchedPlot> {
    match a {
        Some(a) => list.iter().find(|c| c.a == a),
        None => list.first(),
    }
}

/// A figure title of the comparison (`{a}`, `{b}` filled).
pub fn title(template: &str, c: &MatchedPlot) -> String {
    template.replace("{a}", &c.a).replace("{b}", &c.b)
}

/// The title that fits a figure `width` layout px wide (bold, 1.15 × `font_size`): as
/// given, or, on a narrow figure (a phone), its part after the colon — the comparison
/// "IM+HR vs IM" — which the card around it names too.
pub fn fitted_title(title: &Option<String>, width: f64, font_size: f64) -> Option<String> {
    let t = title.as_ref()?;
    if text_width(t, font_size * 1.15) * 1.08 + 24.0 <= width {
        return Some(t.clone());
    }
    let short = t
        .rsplit_once(": ")
        .map(|(_, b)| b)
        .or_else(|| t.rsplit_once('：').map(|(_, b)| b))
        .unwrap_or(t);
    Some(short.to_string())
}

/// `opts` with its title fitted to `area`'s width ([`fitted_title`]).
fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, opts: &FigureOptions) -> FigureOptions {
    let width = area.dim_in_pixel().0 as f64 / opts.unit();
    FigureOptions {
        title: fitted_title(&opts.title, width, opts.font_size * opts.font_scale),
        ..opts.clone()
    }
}

// ---------------------------------------------------------------- love plot

/// The balance of a matched comparison as love-plot rows: one pair (a vs b) per term,
/// the absolute SMDs as the points.
pub fn balance_terms(c: &MatchedPlot) -> Vec<BalanceTerm> {
    c.balance
        .iter()
        .map(|t| BalanceTerm {
            term: t.term.clone(),
            pairs: vec![BalancePair {
                a: c.a.clone(),
                b: c.b.clone(),
                smd_before: t.smd_before,
                smd_after: t.smd_after,
            }],
            max_abs_smd_before: t.smd_before.map(f64::abs),
            max_abs_smd_after: t.smd_after.map(f64::abs),
        })
        .collect()
}

/// Height (layout px) of the matched love plot of `c`.
pub fn balance_figure_height(c: &MatchedPlot, opts: &FigureOptions) -> f64 {
    super::love_figure_height(c.balance.len(), opts)
}

/// Draws the love plot of the matched comparison `c` (legend: before / after matching).
pub fn draw_matched_balance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &MatchedPlot,
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let w = matching_words(opts.lang);
    super::love::draw_love_labelled(
        area,
        &balance_terms(c),
        &fit(area, opts),
        (w.before_matching, w.after_matching),
    )
}

/// [`draw_matched_balance`] as an SVG document `width` × `height` layout px.
pub fn render_matched_balance_svg(
    c: &MatchedPlot,
    opts: &FigureOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    render_svg(opts, width, height, |area, o| {
        draw_matched_balance(area, c, o)
    })
}

// ---------------------------------------------------------------- scores

/// Histogram bins over the range of the linear scores.
pub const SCORE_BINS: usize = 30;
const PANEL: f64 = 150.0;
const GAP: f64 = 64.0;
const LEGEND: f64 = 34.0;

/// One arm's histogram: patients per bin, matched (weight > 0) and unmatched.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmHistogram {
    pub label: String,
    pub matched: [usize; SCORE_BINS],
    pub unmatched: [usize; SCORE_BINS],
}

impl ArmHistogram {
    pub fn n_matched(&self) -> usize {
        self.matched.iter().sum()
    }
    pub fn n_unmatched(&self) -> usize {
        self.unmatched.iter().sum()
    }
}

/// The scores figure's data: the common range `[lo, hi]` of the finite linear scores
/// and, for the treated arm `a` then the reference arm `b`, the patients per bin.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreHistograms {
    pub range: (f64, f64),
    pub arms: [ArmHistogram; 2],
}

impl ScoreHistograms {
    /// The patients binned (both arms).
    pub fn n(&self) -> usize {
        self.arms
            .iter()
            .map(|a| a.n_matched() + a.n_unmatched())
            .sum()
    }
}

/// Bins the per-row linear scores of `c` ([`SCORE_BINS`] equal bins over their range;
/// a score equal to the top lands in the last bin). `None` without per-row data.
pub fn score_histograms(c: &MatchedPlot) -> Option<ScoreHistograms> {
    let rows = c.per_row.as_ref()?;
    let finite = || rows.linear_score.iter().copied().filter(|s| s.is_finite());
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() {
        if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    } else {
        (-1.0, 1.0)
    };
    let empty = |label: &str| ArmHistogram {
        label: label.to_string(),
        matched: [0; SCORE_BINS],
        unmatched: [0; SCORE_BINS],
    };
    let mut arms = [empty(&c.a), empty(&c.b)];
    for ((&treated, &s), &w) in rows
        .treated
        .iter()
        .zip(&rows.linear_score)
        .zip(&rows.weight)
    {
        if !s.is_finite() {
            continue;
        }
        let bin = (((s - lo) / (hi - lo)) * SCORE_BINS as f64) as usize;
        let bin = bin.min(SCORE_BINS - 1);
        let arm = &mut arms[if treated { 0 } else { 1 }];
        if w > 0.0 {
            arm.matched[bin] += 1;
        } else {
            arm.unmatched[bin] += 1;
        }
    }
    Some(ScoreHistograms {
        range: (lo, hi),
        arms,
    })
}

/// Height (layout px) of the scores figure.
pub fn scores_figure_height(opts: &FigureOptions) -> f64 {
    let title = opts.title_height();
    8.0 + title + LEGEND + 2.0 * (PANEL + GAP)
}

/// The colour of an arm: the reference `b` has the first group colour, `a` the second,
/// as the matched Kaplan–Meier curves (reference first).
fn arm_color(arm: usize) -> RGBColor {
    group_color(if arm == 0 { 1 } else { 0 })
}

/// Draws the scores figure of `h` on `area`, filling it.
pub fn draw_matched_scores<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    h: &ScoreHistograms,
    opts: &FigureOptions,
) -> Result<(), PlotError> {
    let opts = &fit(area, opts);
    let (w_dev, _) = area.dim_in_pixel();
    let u = opts.unit();
    let w = w_dev as f64 / u;
    let words = matching_words(opts.lang);
    let fam = opts.font_family.as_str();
    area.fill(&WHITE)?;
    let mut top = 8.0 + draw_title(area, opts)?;
    // Legend: the matched part (the two arms' colours) and the unmatched part (grey).
    let y = top + 12.0;
    let mut xx = 16.0;
    for arm in 0..2 {
        area.draw(&Rectangle::new(
            [
                px(((xx + 8.0 * arm as f64) * u, (y - 6.0) * u)),
                px(((xx + 8.0 * (arm as f64 + 1.0)) * u, (y + 6.0) * u)),
            ],
            arm_color(arm).mix(0.7).filled(),
        ))?;
    }
    area.draw(&Text::new(
        words.matched,
        px(((xx + 22.0) * u, y * u)),
        text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
    ))?;
    xx += 48.0 + text_width(words.matched, opts.font_size);
    area.draw(&Rectangle::new(
        [
            px((xx * u, (y - 6.0) * u)),
            px(((xx + 16.0) * u, (y + 6.0) * u)),
        ],
        GREY.mix(0.35).filled(),
    ))?;
    area.draw(&Text::new(
        words.unmatched,
        px(((xx + 22.0) * u, y * u)),
        text(fam, opts.font(0.95), false, INK, HPos::Left, VPos::Center),
    ))?;
    top += LEGEND;
    let max = h
        .arms
        .iter()
        .flat_map(|a| a.matched.iter().zip(&a.unmatched).map(|(m, n)| m + n))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let yticks = linear_ticks(0.0, max, 4);
    let ymax = yticks.last().copied().unwrap_or(max).max(max);
    let xticks = linear_ticks(h.range.0, h.range.1, 6);
    let xr = (
        xticks.first().copied().unwrap_or(h.range.0),
        xticks.last().copied().unwrap_or(h.range.1),
    );
    for (i, arm) in h.arms.iter().enumerate() {
        let y0 = top + i as f64 * (PANEL + GAP) + 22.0;
        let panel = Panel {
            x0: 56.0 * u,
            x1: (w - 20.0) * u,
            y0: y0 * u,
            y1: (y0 + PANEL - 22.0) * u,
            xr,
            yr: (0.0, ymax),
        };
        let head = words
            .panel
            .replace("{group}", &arm.label)
            .replace("{matched}", &arm.n_matched().to_string())
            .replace("{unmatched}", &arm.n_unmatched().to_string());
        area.draw(&Text::new(
            head,
            px((panel.x0, panel.y0 - 8.0 * u)),
            text(fam, opts.font(0.95), true, INK, HPos::Left, VPos::Bottom),
        ))?;
        draw_arm(area, arm, h.range, &panel, arm_color(i), u)?;
        let xt: Vec<(f64, String)> = xticks.iter().map(|&v| (v, tick_label(v))).collect();
        let yt: Vec<(f64, String)> = yticks.iter().map(|&v| (v, tick_label(v))).collect();
        draw_axes(
            area,
            &panel,
            &xt,
            &yt,
            (words.score_axis, words.patients_axis),
            opts,
        )?;
    }
    Ok(())
}

/// The stacked bars of one arm: matched at the bottom, unmatched on top.
fn draw_arm<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    arm: &ArmHistogram,
    (lo, hi): (f64, f64),
    p: &Panel,
    color: RGBColor,
    u: f64,
) -> Result<(), PlotError> {
    let width = (hi - lo) / SCORE_BINS as f64;
    for b in 0..SCORE_BINS {
        let (m, n) = (arm.matched[b] as f64, arm.unmatched[b] as f64);
        let (x0, x1) = (p.x(lo + b as f64 * width), p.x(lo + (b + 1) as f64 * width));
        if m > 0.0 {
            area.draw(&Rectangle::new(
                [px((x0, p.y(m))), px((x1, p.y(0.0)))],
                color.mix(0.7).filled(),
            ))?;
        }
        if n > 0.0 {
            area.draw(&Rectangle::new(
                [px((x0, p.y(m + n))), px((x1, p.y(m)))],
                GREY.mix(0.35).filled(),
            ))?;
            area.draw(&Rectangle::new(
                [px((x0, p.y(m + n))), px((x1, p.y(m)))],
                GREY.stroke_width(u.round().max(1.0) as u32),
            ))?;
        }
    }
    Ok(())
}

/// The scores figure as an SVG document `width` × `height` layout px.
pub fn render_matched_scores_svg(
    h: &ScoreHistograms,
    opts: &FigureOptions,
    width: u32,
    height: u32,
) -> Result<String, PlotError> {
    render_svg(opts, width, height, |area, o| {
        draw_matched_scores(area, h, o)
    })
}

// ---------------------------------------------------------------- Kaplan–Meier

/// The matched Kaplan–Meier figure's corner label: the pair-stratified log-rank test
/// (the unstratified one with replacement) and its p.
pub fn logrank_label(lr: Option<&MatchedLogRank>, lang: Lang) -> Option<String> {
    let lr = lr?;
    let w = matching_words(lang);
    let template = if lr.stratified {
        w.logrank_stratified
    } else {
        w.logrank_plain
    };
    Some(template.replace("{p}", &p_sentence(Some(lr.p))))
}
