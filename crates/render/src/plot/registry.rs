//! The page's figures by name: the one registry behind the wasm shell's figure entry
//! points (`figure_height`, `draw_figure`, `figure_svg`, `figure_list` in
//! src/wasm/figures.rs) and so behind the page's figure list (www/survlens.js builds its
//! figures from `figure_list`). A new page figure is one more entry in [`FIGURES`] and
//! one more arm of [`PageFigure`].
//!
//! Each entry reads the sections it needs from a Report (the page sends it only those:
//! a large cohort's summary is megabytes) and becomes a [`PageFigure`], which gives its
//! height, draws it on any plotters backend (the page's canvas) and writes its SVG —
//! the same drawing functions as the HTML report's figures (crates/render/src/report_html/figures.rs).

use super::cif::CifPlot;
use super::conditional::ConditionalPlot;
use super::matching::{MatchedPlot, ScoreHistograms};
use super::{FigureOptions, KmPlotOptions, PlotError};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use serde::Deserialize;
use survlens_contract::competing::{CifCurve, CompetingRisksSection};
use survlens_contract::cox::CoxSection;
use survlens_contract::cox::PhTest;
use survlens_contract::follow_up::ConditionalResult;
use survlens_contract::propensity::{BalanceTerm, PerRow};
use survlens_contract::report::{KmSection, LogRankSection};
use survlens_contract::sites::SitesSection;
use survlens_contract::subgroups::SubgroupsSection;

/// Which options a figure reads: the Kaplan–Meier figure's own ([`KmPlotOptions`]) or
/// the common ones ([`FigureOptions`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsKind {
    Km,
    Figure,
}

/// A figure's options, read as its entry's [`OptionsKind`] says.
#[derive(Debug, Clone)]
pub enum Options {
    Km(KmPlotOptions),
    Figure(FigureOptions),
}

/// One figure of the page.
pub struct FigureKind {
    /// The name the page and the embedding API use (`drawFigure(name, …)`).
    pub name: &'static str,
    /// Its accessible name in English, the page's text key ("Download {label} as SVG";
    /// www/ui/i18n_zh.js translates the sentences).
    pub label: &'static str,
    /// The HTML report's caption of the same figure: the field of `report_html::Texts`
    /// (of `matching_words` for the matching figures, of `sites_words` for the sites figures).
    pub caption_key: &'static str,
    /// The Report's top-level sections the figure reads.
    pub sections: &'static [&'static str],
    pub options: OptionsKind,
    read: fn(FigureReport, Options) -> Result<PageFigure, FigureError>,
}

/// Every figure of the page, in the page's order.
pub const FIGURES: &[FigureKind] = &[
    FigureKind {
        name: "km",
        label: "the survival figure",
        caption_key: "fig_km",
        sections: &["km", "logrank"],
        options: OptionsKind::Km,
        read: read_km,
    },
    FigureKind {
        name: "cif",
        label: "the cumulative incidence figure",
        caption_key: "fig_cif",
        sections: &["competing_risks", "km"],
        options: OptionsKind::Km,
        read: read_cif,
    },
    FigureKind {
        name: "cif_adjusted",
        label: "the weighted cumulative incidence figure",
        caption_key: "fig_cif_adjusted",
        sections: &["adjusted"],
        options: OptionsKind::Km,
        read: read_cif_adjusted,
    },
    FigureKind {
        name: "conditional",
        label: "the conditional survival figure",
        caption_key: "fig_conditional",
        sections: &["conditional"],
        options: OptionsKind::Km,
        read: read_conditional,
    },
    FigureKind {
        name: "forest",
        label: "the forest plot",
        caption_key: "fig_forest",
        sections: &["cox"],
        options: OptionsKind::Figure,
        read: read_forest,
    },
    FigureKind {
        name: "periods",
        label: "the hazard ratios by period figure",
        caption_key: "fig_periods",
        sections: &["cox"],
        options: OptionsKind::Figure,
        read: read_periods,
    },
    FigureKind {
        name: "subgroups",
        label: "the subgroup forest plot",
        caption_key: "fig_subgroups",
        sections: &["subgroups"],
        options: OptionsKind::Figure,
        read: read_subgroups,
    },
    FigureKind {
        name: "subgroups_adjusted",
        label: "the weighted subgroup forest plot",
        caption_key: "fig_subgroups_adjusted",
        sections: &["adjusted"],
        options: OptionsKind::Figure,
        read: read_subgroups_adjusted,
    },
    FigureKind {
        name: "schoenfeld",
        label: "the Schoenfeld residual plot",
        caption_key: "fig_schoenfeld",
        sections: &["cox"],
        options: OptionsKind::Figure,
        read: read_schoenfeld,
    },
    FigureKind {
        name: "loglog",
        label: "the log-minus-log plot",
        caption_key: "fig_loglog",
        sections: &["km"],
        options: OptionsKind::Figure,
        read: read_loglog,
    },
    FigureKind {
        name: "love",
        label: "the love plot",
        caption_key: "fig_love",
        sections: &["groups", "propensity"],
        options: OptionsKind::Figure,
        read: read_love,
    },
    FigureKind {
        name: "overlap",
        label: "the overlap figure",
        caption_key: "fig_overlap",
        sections: &["groups", "propensity"],
        options: OptionsKind::Figure,
        read: read_overlap,
    },
    FigureKind {
        name: "imputation_diagnostics",
        label: "the observed vs imputed values figure",
        caption_key: "fig_imputation",
        sections: &["imputation"],
        options: OptionsKind::Figure,
        read: read_imputation,
    },
    FigureKind {
        name: "matching_balance",
        label: "the matched love plot",
        caption_key: "fig_matched_balance",
        sections: &["matching"],
        options: OptionsKind::Figure,
        read: read_matching_balance,
    },
    FigureKind {
        name: "matching_scores",
        label: "the matched propensity-score figure",
        caption_key: "fig_matched_scores",
        sections: &["matching"],
        options: OptionsKind::Figure,
        read: read_matching_scores,
    },
    FigureKind {
        name: "matching_km",
        label: "the matched survival figure",
        caption_key: "fig_matched_km",
        sections: &["matching"],
        options: OptionsKind::Km,
        read: read_matching_km,
    },
    FigureKind {
        name: "emulation_curves",
        label: "the emulated-trial survival figure",
        caption_key: "fig_emulation_curves",
        sections: &["emulation"],
        options: OptionsKind::Km,
        read: read_emulation_curves,
    },
    FigureKind {
        name: "emulation_flow",
        label: "the emulated-trial flow diagram",
        caption_key: "fig_emulation_flow",
        sections: &["emulation"],
        options: OptionsKind::Figure,
        read: read_emulation_flow,
    },
    FigureKind {
        name: "sites_forest",
        label: "the forest plot by site",
        caption_key: "fig_forest",
        sections: &["sites"],
        options: OptionsKind::Figure,
        read: read_sites_forest,
    },
    FigureKind {
        name: "sites_life_table",
        label: "the pooled life table",
        caption_key: "fig_life",
        sections: &["sites"],
        options: OptionsKind::Km,
        read: read_sites_life_table,
    },
];

/// The entry of figure `name`.
pub fn figure_kind(name: &str) -> Result<&'static FigureKind, FigureError> {
    FIGURES
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| FigureError::new("invalid_options", format!("unknown figure \"{name}\"")))
}

impl FigureKind {
    /// The figure of `report` (the parts of a Report it reads: the caller parses the
    /// page's JSON text into [`FigureReport`], see [`FigureReport::parse_error`]).
    pub fn read(&self, report: FigureReport, options: Options) -> Result<PageFigure, FigureError> {
        (self.read)(report, options)
    }
}

impl FigureReport {
    /// The error of a report text that cannot be read as a [`FigureReport`].
    pub fn parse_error(message: impl std::fmt::Display) -> FigureError {
        FigureError::new(
            "invalid_report",
            format!("the report cannot be read: {message}"),
        )
    }
}

/// Why a figure cannot be had: a stable `kind` code and the sentence for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureError {
    pub kind: &'static str,
    pub message: String,
}

impl FigureError {
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        FigureError {
            kind,
            message: message.into(),
        }
    }
}

impl From<PlotError> for FigureError {
    fn from(e: PlotError) -> Self {
        FigureError::new("plot_failed", e.to_string())
    }
}

/// A value read when it has its type's form, else dropped (serde tries the variants in
/// order; `IgnoredAny` takes anything).
#[derive(Deserialize)]
#[serde(untagged)]
enum Lenient<T> {
    Read(T),
    Other(serde::de::IgnoredAny),
}

impl<T> Lenient<T> {
    fn ok(self) -> Option<T> {
        match self {
            Lenient::Read(v) => Some(v),
            Lenient::Other(_) => None,
        }
    }
}

/// The parts of a Report the page's figures read.
#[derive(Deserialize)]
pub struct FigureReport {
    #[serde(default)]
    km: Option<KmSection>,
    /// Read on its own: a log-rank test without a statistic (`logrank_singular`: chisq
    /// and p are null) leaves the figure without its p label instead of failing it.
    #[serde(default)]
    logrank: Option<Lenient<LogRankSection>>,
    #[serde(default)]
    cox: Option<CoxSection>,
    /// The cumulative incidence figure: its curves and Gray's test.
    #[serde(default)]
    competing_risks: Option<CompetingRisksSection>,
    /// The weighted cumulative incidence figure: `adjusted.cif` and `adjusted.km`.
    #[serde(default)]
    adjusted: Option<AdjustedCurves>,
    /// The conditional survival figure: one panel per given.
    #[serde(default)]
    conditional: Option<Vec<ConditionalResult>>,
    /// The subgroup forest plot (`null` without two groups).
    #[serde(default)]
    subgroups: Option<SubgroupsSection>,
    #[serde(default)]
    groups: Vec<GroupLabel>,
    #[serde(default)]
    propensity: Option<Propensity>,
    /// The matching figures: one comparison each, chosen by the options' `comparison`.
    #[serde(default)]
    matching: Option<Vec<MatchedPlot>>,
    /// The observed vs imputed figure: `imputation.diagnostics`.
    #[serde(default)]
    imputation: Option<ImputationDiagnostics>,
    /// The emulation figures: `emulation` (curves, bands, flow counts).
    #[serde(default)]
    emulation: Option<super::emulation::EmulationPlot>,
    /// The pooled analysis of several sites (a pooled document's `sites`).
    #[serde(default)]
    sites: Option<SitesSection>,
}

/// What the observed vs imputed figure reads of `imputation`.
#[derive(Deserialize)]
struct ImputationDiagnostics {
    #[serde(default)]
    diagnostics: Option<Vec<super::imputation::Diagnostic>>,
}

/// What the weighted cumulative incidence figure reads of `adjusted`.
#[derive(Deserialize)]
struct AdjustedCurves {
    #[serde(default)]
    cif: Option<Vec<CifCurve>>,
    #[serde(default)]
    km: Option<KmSection>,
    /// The weighted subgroup forest plot.
    #[serde(default)]
    subgroups: Option<SubgroupsSection>,
}

#[derive(Deserialize)]
struct GroupLabel {
    label: String,
}

/// `per_row` as in the results document, or the stand-in of a large cohort's summary
/// (src/wasm/held.rs: `{detached, n, overlap_histograms}`).
#[derive(Deserialize)]
#[serde(untagged)]
enum PerRowInput {
    Detached {
        overlap_histograms: Vec<Vec<[f64; super::overlap::BINS]>>,
    },
    Full(PerRow),
}

#[derive(Deserialize)]
struct Propensity {
    balance: Vec<BalanceTerm>,
    per_row: PerRowInput,
}

/// A figure read from its sections, ready to size, draw or write.
// One value per figure call, moved once: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum PageFigure {
    Km(KmSection, Option<LogRankSection>, KmPlotOptions),
    Cif(CifPlot, KmPlotOptions),
    Conditional(ConditionalPlot, KmPlotOptions),
    Forest(CoxSection, FigureOptions),
    Subgroups(SubgroupsSection, FigureOptions),
    Schoenfeld(PhTest, FigureOptions),
    LogLog(KmSection, FigureOptions),
    Love(Vec<BalanceTerm>, FigureOptions),
    Overlap(Histograms, Vec<String>, FigureOptions),
    Imputation(Vec<super::imputation::Diagnostic>, FigureOptions),
    MatchedBalance(MatchedPlot, FigureOptions),
    MatchedScores(ScoreHistograms, FigureOptions),
    /// The emulated trial's two strategy curves with the note on their bands.
    EmulationCurves(KmSection, Option<String>, KmPlotOptions),
    EmulationFlow(super::emulation::EmulationPlot, FigureOptions),
    SitesForest(SitesSection, FigureOptions),
    /// Curves with their corner label: the matched curves (the stratified log-rank p),
    /// the pooled life table of several sites ("life table, not Kaplan–Meier").
    LabelledKm(KmSection, Option<String>, KmPlotOptions),
}

/// The overlap figure's histograms: per panel, per group, percent in each bin.
pub type Histograms = Vec<Vec<[f64; super::overlap::BINS]>>;

impl PageFigure {
    /// The figure's text alternative as tables, for a figure whose data the page has
    /// no other table of (the overlap figure: its histograms are computed here, from
    /// the per-row scores). `None`: the page's tables of the section serve (the Report
    /// holds the figure's numbers).
    pub fn tables(&self) -> Option<Vec<super::overlap::FigureTable>> {
        match self {
            PageFigure::Overlap(h, labels, o) => {
                Some(super::overlap::overlap_tables(h, labels, o.lang))
            }
            _ => None,
        }
    }

    /// Height in layout px (rounded) that suits the figure `width` px wide.
    pub fn height(&self, width: f64) -> f64 {
        match self {
            PageFigure::Km(km, _, o) => super::km_figure_height(width, km, o),
            PageFigure::Cif(plot, o) => super::cif_figure_height(width, plot, o),
            PageFigure::Conditional(plot, o) => super::conditional_figure_height(width, plot, o),
            PageFigure::Forest(cox, o) => super::forest_figure_height(cox, o),
            PageFigure::Subgroups(s, o) => super::subgroup_forest_height(s, o),
            PageFigure::Schoenfeld(ph, o) => super::schoenfeld_figure_height(width, ph, o),
            PageFigure::LogLog(_, o) => super::loglog_figure_height(width, o),
            PageFigure::Love(balance, o) => super::love_figure_height(balance.len(), o),
            PageFigure::Overlap(_, labels, o) => super::overlap_figure_height(labels.len(), o),
            PageFigure::Imputation(d, o) => super::imputation_figure_height(d, o),
            PageFigure::MatchedBalance(c, o) => super::matching::balance_figure_height(c, o),
            PageFigure::MatchedScores(_, o) => super::matching::scores_figure_height(o),
            PageFigure::EmulationCurves(km, _, o) => super::km_figure_height(width, km, o),
            PageFigure::EmulationFlow(p, o) => super::emulation::flow_figure_height(p, o, width),
            PageFigure::SitesForest(s, o) => super::sites::sites_forest_height(s, o),
            PageFigure::LabelledKm(km, _, o) => super::km_figure_height(width, km, o),
        }
        .round()
    }

    /// Draws the figure on `area` (its size used as is).
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        match self {
            PageFigure::Km(km, lr, o) => super::draw_km(area, km, lr.as_ref(), o),
            PageFigure::Cif(plot, o) => super::draw_cif(area, plot, o),
            PageFigure::Conditional(plot, o) => super::draw_conditional(area, plot, o),
            PageFigure::Forest(cox, o) => super::draw_forest(area, cox, o),
            PageFigure::Subgroups(s, o) => super::draw_subgroup_forest(area, s, o),
            PageFigure::Schoenfeld(ph, o) => super::draw_schoenfeld(area, ph, o),
            PageFigure::LogLog(km, o) => super::draw_loglog(area, km, o),
            PageFigure::Love(balance, o) => super::draw_love(area, balance, o),
            PageFigure::Overlap(h, labels, o) => super::draw_overlap_histograms(area, h, labels, o),
            PageFigure::Imputation(d, o) => super::draw_imputation(area, d, o),
            PageFigure::MatchedBalance(c, o) => super::matching::draw_matched_balance(area, c, o),
            PageFigure::MatchedScores(h, o) => super::matching::draw_matched_scores(area, h, o),
            PageFigure::SitesForest(s, o) => super::sites::draw_sites_forest(area, s, o),
            PageFigure::LabelledKm(km, corner, o) => {
                let width =
                    area.dim_in_pixel().0 as f64 / if o.scale > 0.0 { o.scale } else { 1.0 };
                let o = KmPlotOptions {
                    title: super::matching::fitted_title(
                        &o.title,
                        width,
                        o.font_size * o.font_scale,
                    ),
                    ..o.clone()
                };
                super::draw_km_labelled(area, km, corner.as_deref(), &o)
            }
            PageFigure::EmulationCurves(km, corner, o) => {
                let width =
                    area.dim_in_pixel().0 as f64 / if o.scale > 0.0 { o.scale } else { 1.0 };
                let o = KmPlotOptions {
                    title: super::emulation::fitted_curves_title(o, width),
                    ..o.clone()
                };
                super::draw_km_labelled(area, km, corner.as_deref(), &o)
            }
            PageFigure::EmulationFlow(p, o) => super::emulation::draw_flow(area, p, o),
        }
    }

    /// The figure as an SVG document `width` × `height` px. The Cox figures size
    /// themselves: they take the width alone.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, PlotError> {
        match self {
            PageFigure::Km(km, lr, o) => super::render_km_svg(km, lr.as_ref(), o, width, height),
            PageFigure::Cif(plot, o) => super::render_cif_svg(plot, o, width, height),
            PageFigure::Conditional(plot, o) => {
                super::render_conditional_svg(plot, o, width, height)
            }
            PageFigure::Forest(cox, o) => super::render_forest_svg(cox, o, width),
            PageFigure::Subgroups(s, o) => super::render_subgroup_forest_svg(s, o, width),
            PageFigure::Schoenfeld(ph, o) => super::render_schoenfeld_svg(ph, o, width),
            PageFigure::LogLog(km, o) => super::render_loglog_svg(km, o, width),
            PageFigure::Love(balance, o) => super::render_love_svg(balance, o, width, height),
            PageFigure::Overlap(h, labels, o) => {
                super::render_overlap_histograms_svg(h, labels, o, width, height)
            }
            PageFigure::Imputation(d, o) => super::render_imputation_svg(d, o, width),
            PageFigure::MatchedBalance(c, o) => {
                super::matching::render_matched_balance_svg(c, o, width, height)
            }
            PageFigure::MatchedScores(h, o) => {
                super::matching::render_matched_scores_svg(h, o, width, height)
            }
            PageFigure::SitesForest(s, o) => super::sites::render_sites_forest_svg(s, o, width),
            PageFigure::LabelledKm(km, corner, o) | PageFigure::EmulationCurves(km, corner, o) => {
                super::render_km_labelled_svg(km, corner.as_deref(), o, width, height)
            }
            PageFigure::EmulationFlow(p, o) => super::emulation::render_flow_svg(p, o, width),
        }
    }
}

fn km_options(o: Options) -> KmPlotOptions {
    match o {
        Options::Km(o) => o,
        Options::Figure(_) => KmPlotOptions::default(),
    }
}

fn figure_options(o: Options) -> FigureOptions {
    match o {
        Options::Figure(o) => o,
        Options::Km(_) => FigureOptions::default(),
    }
}

const NO_KM: &str = "the report has no Kaplan–Meier section (add \"km\" to the spec)";
const NO_COX: &str = "the report has no Cox model (add \"cox\" to the spec)";

fn km_of(r: &mut FigureReport) -> Result<KmSection, FigureError> {
    r.km.take().ok_or_else(|| FigureError::new("no_km", NO_KM))
}

fn cox_of(r: &mut FigureReport) -> Result<CoxSection, FigureError> {
    r.cox
        .take()
        .ok_or_else(|| FigureError::new("no_cox", NO_COX))
}

fn propensity_of(r: &mut FigureReport) -> Result<(Propensity, Vec<String>), FigureError> {
    let ps = r.propensity.take().ok_or_else(|| {
        FigureError::new(
            "no_propensity",
            "the report has no propensity section (add \"propensity\" to the spec)",
        )
    })?;
    Ok((ps, r.groups.drain(..).map(|g| g.label).collect()))
}

fn read_km(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let km = km_of(&mut r)?;
    let lr = r.logrank.and_then(Lenient::ok);
    Ok(PageFigure::Km(km, lr, km_options(o)))
}

const NO_CIF: &str = "the report has no cumulative incidence curves (add \"competing_risks\" to the spec and \"competing_values\" to its event)";

fn read_cif(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let cr = r
        .competing_risks
        .take()
        .ok_or_else(|| FigureError::new("no_competing_risks", NO_CIF))?;
    let plot = CifPlot::new(&cr, r.km.as_ref());
    Ok(PageFigure::Cif(plot, km_options(o)))
}

/// The weighted curves of `adjusted.cif`, drawn by the same routine under their own
/// title (unless the options give one); no Gray's test (not defined with weights).
fn read_cif_adjusted(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let adjusted = r.adjusted.take();
    let (curves, km) = match adjusted {
        Some(AdjustedCurves {
            cif: Some(c), km, ..
        }) => (c, km),
        _ => {
            return Err(FigureError::new(
                "no_adjusted_cif",
                "the report has no weighted cumulative incidence curves (add \"competing_risks\", \"propensity\" and \"adjusted\" to the spec)",
            ))
        }
    };
    let mut o = km_options(o);
    if o.title.is_none() {
        o.title = Some(super::words::words(o.lang).weighted_cif.to_string());
    }
    let plot = CifPlot {
        curves,
        gray_p: None,
        km,
    };
    Ok(PageFigure::Cif(plot, o))
}

/// The conditional survival curves, one panel per `conditional.given` (ascending).
fn read_conditional(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    match r.conditional.take().filter(|c| !c.is_empty()) {
        Some(c) => Ok(PageFigure::Conditional(
            ConditionalPlot::new(&c, r.km.as_ref()),
            km_options(o),
        )),
        None => Err(FigureError::new(
            "no_conditional",
            "the report has no conditional survival (add \"conditional\": {\"given\": [12]} to the spec)",
        )),
    }
}

fn read_forest(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    Ok(PageFigure::Forest(cox_of(&mut r)?, figure_options(o)))
}

/// The forest plot of `cox.periods`' terms ([`super::periods::period_forest`]).
fn read_periods(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let o = figure_options(o);
    match super::periods::period_forest(&cox_of(&mut r)?, o.lang) {
        Some(cox) => Ok(PageFigure::Forest(cox, o)),
        None => Err(FigureError::new(
            "no_periods",
            "the report has no hazard ratios by period (add \"periods\": [12, 60] to \"cox\" in the spec)",
        )),
    }
}

fn read_subgroups(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let s = r.subgroups.take().ok_or_else(|| {
        FigureError::new(
            "no_subgroups",
            "the report has no subgroup analysis (add \"subgroups\" to the spec, with a group of two or more levels)",
        )
    })?;
    Ok(PageFigure::Subgroups(s, figure_options(o)))
}

fn read_subgroups_adjusted(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    match r.adjusted.take().and_then(|a| a.subgroups) {
        Some(s) => Ok(PageFigure::Subgroups(s, figure_options(o))),
        None => Err(FigureError::new(
            "no_adjusted_subgroups",
            "the report has no weighted subgroup analysis (add \"subgroups\", \"propensity\" and \"adjusted\" to the spec)",
        )),
    }
}

fn read_schoenfeld(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    match cox_of(&mut r)?.ph_test {
        Some(ph) if ph.residuals.is_some() => Ok(PageFigure::Schoenfeld(ph, figure_options(o))),
        _ => Err(FigureError::new(
            "no_residuals",
            "the report has no Schoenfeld residuals (ask \"ph_test\": {\"residuals\": true})",
        )),
    }
}

fn read_loglog(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    Ok(PageFigure::LogLog(km_of(&mut r)?, figure_options(o)))
}

fn read_love(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let (ps, _) = propensity_of(&mut r)?;
    Ok(PageFigure::Love(ps.balance, figure_options(o)))
}

fn read_overlap(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let (ps, labels) = propensity_of(&mut r)?;
    let histograms = match ps.per_row {
        PerRowInput::Detached { overlap_histograms } => overlap_histograms,
        PerRowInput::Full(p) => super::overlap_histograms(&p, &labels),
    };
    Ok(PageFigure::Overlap(histograms, labels, figure_options(o)))
}

fn read_imputation(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    match r
        .imputation
        .take()
        .and_then(|i| i.diagnostics)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Ok(PageFigure::Imputation(d, figure_options(o))),
        None => Err(FigureError::new(
            "no_imputation_diagnostics",
            "the report has no imputed values to show (add \"imputation\": {\"m\": 20} to the spec, with covariates that have missing values)",
        )),
    }
}
const NO_MATCHING: &str =
    "the report has no matched comparison (add \"matching\" to the spec, with a group of two or more levels)";

/// The comparison the options name (`comparison`: its treated group `a`; default the
/// first), and the figure's default title (`template` from `matching_words`).
fn matched_comparison(
    r: &mut FigureReport,
    comparison: Option<&str>,
) -> Result<MatchedPlot, FigureError> {
    let list = r
        .matching
        .take()
        .ok_or_else(|| FigureError::new("no_matching", NO_MATCHING))?;
    match super::matching::pick(&list, comparison) {
        Some(c) => Ok(c.clone()),
        None if list.is_empty() => Err(FigureError::new("no_matching", NO_MATCHING)),
        None => Err(FigureError::new(
            "invalid_options",
            format!(
                "the report has no matched comparison of \"{}\"",
                comparison.unwrap_or_default()
            ),
        )),
    }
}

fn read_matching_balance(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let mut o = figure_options(o);
    let c = matched_comparison(&mut r, o.comparison.as_deref())?;
    if o.title.is_none() {
        let w = survlens_text::matching_words::matching_words(o.lang);
        o.title = Some(super::matching::title(w.title_balance, &c));
    }
    Ok(PageFigure::MatchedBalance(c, o))
}

fn read_matching_scores(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let mut o = figure_options(o);
    let c = matched_comparison(&mut r, o.comparison.as_deref())?;
    let h = super::matching::score_histograms(&c).ok_or_else(|| {
        FigureError::new(
            "no_matching",
            "the report's matched comparison has no per-row scores",
        )
    })?;
    if o.title.is_none() {
        let w = survlens_text::matching_words::matching_words(o.lang);
        o.title = Some(super::matching::title(w.title_scores, &c));
    }
    Ok(PageFigure::MatchedScores(h, o))
}

fn read_matching_km(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let mut o = km_options(o);
    let c = matched_comparison(&mut r, o.comparison.as_deref())?;
    if o.title.is_none() {
        let w = survlens_text::matching_words::matching_words(o.lang);
        o.title = Some(super::matching::title(w.title_km, &c));
    }
    let corner = if o.p_value {
        super::matching::logrank_label(c.logrank.as_ref(), o.lang)
    } else {
        None
    };
    let km = c.km.ok_or_else(|| {
        FigureError::new(
            "no_matching",
            "the report's matched comparison has no Kaplan–Meier curves",
        )
    })?;
    Ok(PageFigure::LabelledKm(km, corner, o))
}

const NO_SITES: &str =
    "this is not a pooled analysis of several sites (combine site summaries: survlens pool)";

fn sites_of(r: &mut FigureReport) -> Result<SitesSection, FigureError> {
    r.sites
        .take()
        .ok_or_else(|| FigureError::new("no_sites", NO_SITES))
}

fn read_sites_forest(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let s = sites_of(&mut r)?;
    if s.meta.is_empty() {
        return Err(FigureError::new(
            "no_sites_meta",
            "the pooled analysis has no hazard ratios to combine (the protocol has no Cox model)",
        ));
    }
    Ok(PageFigure::SitesForest(s, figure_options(o)))
}

/// The pooled life table, drawn by the Kaplan–Meier figure's code with its own title,
/// y axis and corner label ([`super::sites::life_table_curves`]).
fn read_sites_life_table(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let s = sites_of(&mut r)?;
    let km = super::sites::life_table_curves(&s.life_table);
    if km.curves.is_empty() {
        return Err(FigureError::new(
            "no_sites_life_table",
            "the pooled analysis has no life table (every group's counts were suppressed)",
        ));
    }
    let o = super::sites::life_table_options(&s.life_table, km_options(o));
    let corner = super::sites::life_table_corner(&o);
    Ok(PageFigure::LabelledKm(km, Some(corner), o))
}

const NO_EMULATION: &str = "the report has no emulated trial (add \"emulation\": {\"grace\": 6} to the spec, with a group and a treatment time)";

fn emulation_of(r: &mut FigureReport) -> Result<super::emulation::EmulationPlot, FigureError> {
    r.emulation
        .take()
        .ok_or_else(|| FigureError::new("no_emulation", NO_EMULATION))
}

/// The two strategies' weighted curves with their bootstrap bands (no risk table).
fn read_emulation_curves(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let p = emulation_of(&mut r)?;
    let o = super::emulation::curves_options(&p, &km_options(o));
    let km = super::emulation::curves_km(&p, o.time_unit.as_deref(), o.lang);
    let corner = super::emulation::bands_note(&p, o.lang);
    Ok(PageFigure::EmulationCurves(km, corner, o))
}

/// The TARGET-style flow: patients, clones, artificially censored, deaths.
fn read_emulation_flow(mut r: FigureReport, o: Options) -> Result<PageFigure, FigureError> {
    let p = emulation_of(&mut r)?;
    let mut o = figure_options(o);
    if o.title.is_none() {
        o.title = Some(
            survlens_text::emulation_words::emulation_words(o.lang)
                .title_flow
                .to_string(),
        );
    }
    Ok(PageFigure::EmulationFlow(p, o))
}
