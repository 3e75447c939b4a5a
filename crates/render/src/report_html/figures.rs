//! The report's figures, each an inline SVG drawn by [`crate::plot`] — the same
//! drawing code as the page's canvases. Every figure of the analysis is here when its
//! section is in the Report: Kaplan–Meier, log(−log S), Cox forest plot, scaled
//! Schoenfeld residuals, subgroup forest plot, cumulative incidence, love plot,
//! propensity-score overlap, weighted Kaplan–Meier and cumulative incidence, weighted Cox
//! and subgroup forest plots, the matched comparisons' love plots, scores and curves, landmark
//! curves and Simon–Makuch curves. A new figure is
//! one more builder in [`FIGURES`]; the page numbers the figures in order.

use super::i18n::{fill, Texts};
use super::methods::{fmt_num, unit_label};
use crate::plot::{self, FigureOptions, KmPlotOptions, PlotError};
use survlens_contract::report::{KmSection, LogRankSection, Report, Skip};

/// One figure: an id (HTML anchor), a caption and the SVG document.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub id: String,
    pub caption: String,
    pub svg: String,
}

/// What a figure builder gets: the results document, the texts, the time unit name.
pub struct FigureInput<'a> {
    pub report: &'a Report,
    pub texts: &'a Texts,
    /// "months" in the report's language, or "" when the time is a duration column.
    pub unit: &'a str,
    /// The unit's code (`days`, `weeks`, `months`, `years`) for the axis ticks.
    pub unit_code: Option<&'a str>,
    /// The report's language (the figures' own words).
    pub lang: super::Lang,
}

/// A builder: the figures of one kind (none when its section is absent).
pub type FigureFn = fn(&FigureInput) -> Vec<Result<Figure, PlotError>>;

/// Every figure of the report, in page order.
pub const FIGURES: &[FigureFn] = &[
    km_figure,
    conditional_figure,
    loglog_figure,
    forest_figure,
    periods_figure,
    subgroups_figure,
    schoenfeld_figure,
    cif_figure,
    love_figure,
    overlap_figure,
    super::tables_imputation::imputation_figure,
    adjusted_km_figure,
    adjusted_cif_figure,
    adjusted_forest_figure,
    adjusted_subgroups_figure,
    matching_figures,
    super::tables_emulation::figures,
    landmark_figures,
    simon_makuch_figure,
];

/// Figure width in layout px (the SVG scales to the page width when printed).
pub const WIDTH: f64 = 720.0;

/// Every figure of `input`, in page order.
pub fn all_figures(input: &FigureInput) -> Result<Vec<Figure>, PlotError> {
    FIGURES.iter().flat_map(|build| build(input)).collect()
}

/// A section that is in the report (neither absent nor `null`).
fn present<T>(section: &Skip<T>) -> Option<&T> {
    match section {
        Skip::Value(v) => Some(v),
        _ => None,
    }
}

fn figure_options(input: &FigureInput) -> FigureOptions {
    FigureOptions {
        time_unit: input.unit_code.map(str::to_string),
        lang: input.lang,
        ..FigureOptions::default()
    }
}

fn one(
    id: &str,
    caption: String,
    svg: Result<String, PlotError>,
) -> Vec<Result<Figure, PlotError>> {
    vec![svg.map(|svg| Figure {
        id: id.to_string(),
        caption,
        svg,
    })]
}

/// The options of the step-curve figures: the time axis in the report's unit and words.
fn step_options(input: &FigureInput) -> KmPlotOptions {
    let t = input.texts;
    KmPlotOptions {
        x_label: (!input.unit.is_empty())
            .then(|| fill(t.km_x_label, &[("unit", unit_label(input.unit))])),
        time_unit: input.unit_code.map(str::to_string),
        lang: input.lang,
        ..KmPlotOptions::default()
    }
}

/// A Kaplan–Meier figure with its risk table (and log-rank p when given).
fn km_svg(
    input: &FigureInput,
    km: &KmSection,
    lr: Option<&LogRankSection>,
) -> Result<String, PlotError> {
    let opts = KmPlotOptions {
        y_label: input.texts.km_y_label.to_string(),
        ..step_options(input)
    };
    let height = plot::km_figure_height(WIDTH, km, &opts).round();
    plot::render_km_svg(km, lr, &opts, WIDTH as u32, height as u32)
}

fn km_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(km) = &input.report.km else {
        return vec![];
    };
    let lr = present(&input.report.logrank);
    one(
        "figure-km",
        input.texts.fig_km.to_string(),
        km_svg(input, km, lr),
    )
}

/// Conditional survival (`conditional`): one panel per given time s, the page's
/// "conditional" figure, its height the panels' own.
fn conditional_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(results) = input.report.conditional.as_ref().filter(|c| !c.is_empty()) else {
        return vec![];
    };
    let plot = plot::conditional::ConditionalPlot::new(results, input.report.km.as_ref());
    let opts = step_options(input);
    let height = plot::conditional_figure_height(WIDTH, &plot, &opts).round();
    let svg = plot::render_conditional_svg(&plot, &opts, WIDTH as u32, height as u32);
    one(
        "figure-conditional",
        input.texts.fig_conditional.to_string(),
        svg,
    )
}

/// A cumulative incidence figure with the number at risk, 1 − KM of the event of
/// interest over it (the overstatement the `km_with_competing_risks` warning explains)
/// and Gray's p when the plot has them.
fn cif_svg(input: &FigureInput, cif: &plot::CifPlot) -> Result<String, PlotError> {
    let opts = KmPlotOptions {
        one_minus_km: true,
        ..step_options(input)
    };
    let height = plot::cif_figure_height(WIDTH, cif, &opts).round();
    plot::render_cif_svg(cif, &opts, WIDTH as u32, height as u32)
}

fn cif_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(cr) = &input.report.competing_risks else {
        return vec![];
    };
    let cif = plot::CifPlot::new(cr, input.report.km.as_ref());
    one(
        "figure-cif",
        input.texts.fig_cif.to_string(),
        cif_svg(input, &cif),
    )
}

fn adjusted_cif_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(adjusted) = &input.report.adjusted else {
        return vec![];
    };
    let Some(curves) = &adjusted.cif else {
        return vec![];
    };
    let cif = plot::CifPlot {
        curves: curves.clone(),
        gray_p: None,
        km: Some(adjusted.km.clone()),
    };
    let caption = input.texts.fig_cif_adjusted.to_string();
    one("figure-adjusted-cif", caption, cif_svg(input, &cif))
}

fn loglog_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(km) = &input.report.km else {
        return vec![];
    };
    let svg = plot::render_loglog_svg(km, &figure_options(input), WIDTH as u32);
    one("figure-loglog", input.texts.fig_loglog.to_string(), svg)
}

fn forest_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(cox) = present(&input.report.cox) else {
        return vec![];
    };
    let svg = plot::render_forest_svg(cox, &figure_options(input), WIDTH as u32);
    one("figure-forest", input.texts.fig_forest.to_string(), svg)
}

/// The hazard ratios by period (`cox.periods`), as the page's "periods" figure.
fn periods_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let o = figure_options(input);
    let Some(cox) =
        present(&input.report.cox).and_then(|c| plot::periods::period_forest(c, o.lang))
    else {
        return vec![];
    };
    let svg = plot::render_forest_svg(&cox, &o, WIDTH as u32);
    one("figure-periods", input.texts.fig_periods.to_string(), svg)
}

fn subgroups_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(s) = present(&input.report.subgroups) else {
        return vec![];
    };
    let svg = plot::render_subgroup_forest_svg(s, &figure_options(input), WIDTH as u32);
    one(
        "figure-subgroups",
        input.texts.fig_subgroups.to_string(),
        svg,
    )
}

fn adjusted_subgroups_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(s) = input
        .report
        .adjusted
        .as_ref()
        .and_then(|a| a.subgroups.as_ref())
    else {
        return vec![];
    };
    let svg = plot::render_subgroup_forest_svg(s, &figure_options(input), WIDTH as u32);
    let caption = input.texts.fig_subgroups_adjusted.to_string();
    one("figure-adjusted-subgroups", caption, svg)
}

fn schoenfeld_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(ph) = present(&input.report.cox)
        .and_then(|c| c.ph_test.as_ref())
        .filter(|ph| ph.residuals.is_some())
    else {
        return vec![];
    };
    let svg = plot::render_schoenfeld_svg(ph, &figure_options(input), WIDTH as u32);
    let caption = fill(input.texts.fig_schoenfeld, &[("transform", &ph.transform)]);
    one("figure-schoenfeld", caption, svg)
}

fn love_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(ps) = &input.report.propensity else {
        return vec![];
    };
    let o = figure_options(input);
    let height = plot::love_figure_height(ps.balance.len(), &o).round() as u32;
    let svg = plot::render_love_svg(&ps.balance, &o, WIDTH as u32, height);
    one("figure-love", input.texts.fig_love.to_string(), svg)
}

fn overlap_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(ps) = &input.report.propensity else {
        return vec![];
    };
    let labels: Vec<String> = input
        .report
        .groups
        .iter()
        .map(|g| g.label.clone())
        .collect();
    let o = figure_options(input);
    let height = plot::overlap_figure_height(labels.len(), &o).round() as u32;
    let svg = plot::render_overlap_svg(&ps.per_row, &labels, &o, WIDTH as u32, height);
    one("figure-overlap", input.texts.fig_overlap.to_string(), svg)
}

fn adjusted_km_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(adjusted) = &input.report.adjusted else {
        return vec![];
    };
    let caption = input.texts.fig_adjusted_km.to_string();
    one(
        "figure-adjusted-km",
        caption,
        km_svg(input, &adjusted.km, None),
    )
}

fn adjusted_forest_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(cox) = input.report.adjusted.as_ref().and_then(|a| a.cox.as_ref()) else {
        return vec![];
    };
    let cox = plot::forest::terms_only(&cox.terms);
    let svg = plot::render_forest_svg(&cox, &figure_options(input), WIDTH as u32);
    let caption = input.texts.fig_adjusted_forest.to_string();
    one("figure-adjusted-forest", caption, svg)
}

fn landmark_figures(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(list) = &input.report.landmark else {
        return vec![];
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, lm)| {
            let km = lm.km.as_ref()?;
            let lr = present(&lm.logrank);
            let time = fmt_num(lm.time);
            let caption = fill(
                input.texts.fig_landmark,
                &[("time", &time), ("unit", input.unit)],
            );
            Some(km_svg(input, km, lr).map(|svg| Figure {
                id: format!("figure-landmark-{}", i + 1),
                caption,
                svg,
            }))
        })
        .collect()
}

fn simon_makuch_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(td) = &input.report.time_dependent else {
        return vec![];
    };
    let caption = input.texts.fig_simon_makuch.to_string();
    one("figure-simon-makuch", caption, km_svg(input, &td.km, None))
}

/// Per matched comparison: its love plot, the linear scores of matched and unmatched
/// patients and the matched Kaplan–Meier curves (the page's `matching_*` figures).
fn matching_figures(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(list) = present(&input.report.matching) else {
        return vec![];
    };
    let w = survlens_text::matching_words::matching_words(input.lang);
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let c = plot::matching::MatchedPlot::from(c);
        let pairs = [("a", c.a.as_str()), ("b", c.b.as_str())];
        let n = i + 1;
        let o = FigureOptions {
            title: Some(plot::matching::title(w.title_balance, &c)),
            ..figure_options(input)
        };
        // A comparison too small to model, or without a pair, draws what it has.
        if !c.balance.is_empty() {
            let height = plot::matching::balance_figure_height(&c, &o).round() as u32;
            out.push(
                plot::matching::render_matched_balance_svg(&c, &o, WIDTH as u32, height).map(
                    |svg| Figure {
                        id: format!("figure-matching-balance-{n}"),
                        caption: fill(w.fig_matched_balance, &pairs),
                        svg,
                    },
                ),
            );
        }
        if let Some(h) = plot::matching::score_histograms(&c).filter(|h| h.n() > 0) {
            let o = FigureOptions {
                title: Some(plot::matching::title(w.title_scores, &c)),
                ..figure_options(input)
            };
            let height = plot::matching::scores_figure_height(&o).round() as u32;
            out.push(
                plot::matching::render_matched_scores_svg(&h, &o, WIDTH as u32, height).map(
                    |svg| Figure {
                        id: format!("figure-matching-scores-{n}"),
                        caption: fill(w.fig_matched_scores, &pairs),
                        svg,
                    },
                ),
            );
        }
        if let Some(km) = c.km.as_ref().filter(|k| !k.curves.is_empty()) {
            let opts = KmPlotOptions {
                y_label: input.texts.km_y_label.to_string(),
                title: Some(plot::matching::title(w.title_km, &c)),
                ..step_options(input)
            };
            let corner = plot::matching::logrank_label(c.logrank.as_ref(), input.lang);
            let height = plot::km_figure_height(WIDTH, km, &opts).round();
            out.push(
                plot::render_km_labelled_svg(
                    km,
                    corner.as_deref(),
                    &opts,
                    WIDTH as u32,
                    height as u32,
                )
                .map(|svg| Figure {
                    id: format!("figure-matching-km-{n}"),
                    caption: fill(w.fig_matched_km, &pairs),
                    svg,
                }),
            );
        }
    }
    out
}
