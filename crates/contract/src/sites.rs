//! Several hospitals, no patient data moved (docs/methods.md#sites): the spec option
//! `sites`, the **site summary** a hospital exports (aggregates only) and the **pooled**
//! document the coordinator writes from any number of site summaries.
//!
//! * [`SitesSpec`] — `"sites": {"km_width": 3, "min_cell": 5}`.
//! * [`SiteSummary`] — `survlens site DATA --spec SPEC.json --site NAME [--beta POOLED.json]`:
//!   per-group log-rank O, E and variance, the site's own Cox fit, the partial-likelihood
//!   loglik / score / information at each β of the coordinator's rounds, and the binned
//!   Kaplan–Meier counts (small counts merged away). No row, line number, date or exact
//!   event time. A `checksum` over the canonical content refuses a hand-edited file.
//! * [`Pooled`] — `survlens pool SITE.json...`: `{"sites": {…}}` with the stratified
//!   log-rank test, the meta-analysis of the sites' hazard ratios, the site-stratified Cox
//!   model by rounds and the pooled life table.

use crate::cox::{CoxLoglik, CoxTerm};
use crate::report::LogRankGroup;
use crate::warning::Warning;
use crate::SpecError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The format version of a site summary (`survlens_site_summary`).
pub const SITE_SUMMARY_VERSION: u32 = 1;
/// The format version of a pooled document (`survlens_pooled`).
pub const POOLED_VERSION: u32 = 1;

/// Spec `sites`: `{"km_width": 3, "min_cell": 5}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitesSpec {
    /// Width of the binned Kaplan–Meier intervals, in the analysis time unit (> 0;
    /// default 3). Bins are [k·w, (k+1)·w).
    #[serde(default = "default_km_width")]
    pub km_width: f64,
    /// Smallest count shown in a table of counts (binned KM): consecutive bins are merged
    /// until every non-zero count reaches it (default 5; 1 shows every count). Never
    /// applied to the log-rank O, E and variance.
    #[serde(default = "default_min_cell")]
    pub min_cell: usize,
}

fn default_km_width() -> f64 {
    3.0
}

fn default_min_cell() -> usize {
    5
}

impl Default for SitesSpec {
    fn default() -> Self {
        SitesSpec {
            km_width: default_km_width(),
            min_cell: default_min_cell(),
        }
    }
}

/// Check `sites`: a positive finite width; min_cell 1 to [`crate::limits::MAX_MIN_CELL`].
pub fn validate(spec: &crate::Spec) -> Result<(), SpecError> {
    let Some(s) = &spec.sites else {
        return Ok(());
    };
    if !(s.km_width.is_finite() && s.km_width > 0.0) {
        return Err(SpecError::invalid_zh(
            "sites.km_width",
            format!(
                "{} is not a bin width; use a positive time in the analysis unit, e.g. 3 (months)",
                s.km_width
            ),
            format!(
                "{} 不是有效的分段宽度；请使用分析时间单位下的正数，例如 3（月）",
                s.km_width
            ),
        ));
    }
    if !(1..=crate::limits::MAX_MIN_CELL).contains(&s.min_cell) {
        return Err(SpecError::invalid_zh(
            "sites.min_cell",
            format!(
                "{} is not allowed; use 1 to {} (5 or 10 are usual; 1 shows every count)",
                s.min_cell,
                crate::limits::MAX_MIN_CELL
            ),
            format!(
                "不允许 {}；请使用 1 至 {}（通常为 5 或 10；1 表示显示每个计数）",
                s.min_cell,
                crate::limits::MAX_MIN_CELL
            ),
        ));
    }
    Ok(())
}

/// The file a site exports: aggregates only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteSummary {
    /// Format version (1).
    pub survlens_site_summary: u32,
    /// SurvLens version that wrote it (an extension).
    pub software: String,
    /// SHA-256 (lower-case hex) of the protocol file (the spec as it runs, pretty JSON
    /// with a final newline), as the report and the R script name it.
    pub protocol_sha256: String,
    /// The site's name (`--site`).
    pub site: String,
    /// Rows used and their events (an extension).
    pub n: usize,
    pub n_events: usize,
    /// Group labels in the site's order (reference first); one group `"all"` without a
    /// group column (an extension).
    pub groups: Vec<String>,
    /// Per-group log-rank observed and expected events and the covariance matrix of
    /// O − E (groups × groups), of the site alone (`survdiff` without strata; the spec's
    /// strata are not crossed with the site). Never suppressed.
    pub logrank: SiteLogRank,
    /// The site's own Cox fit (`coxph(Surv ~ group + covariates)` on its rows); `null`
    /// without events or when the model cannot be fitted.
    pub cox: Option<SiteCox>,
    /// Names of the Cox model's terms, the order of every `beta`, `score` and
    /// `information` (an extension).
    pub cox_names: Vec<String>,
    /// Rows of the rounds' model (complete for the covariates) and their events (an
    /// extension).
    pub cox_n: usize,
    pub cox_n_events: usize,
    /// The partial likelihood at each β of the coordinator's rounds: β = 0 first, then
    /// every β of the pooled file's `history` and its `next_beta`.
    pub cox_rounds: Vec<CoxRound>,
    /// Kaplan–Meier counts per time bin, each group's bins merged until every non-zero
    /// count is at least `min_cell`.
    pub km_binned: KmBinned,
    /// The spec's `sites.min_cell` (an extension).
    pub min_cell: usize,
    pub warnings: Vec<Warning>,
    /// SHA-256 (lower-case hex) of this document's canonical JSON without `checksum`
    /// (compact, keys in the order written here): a hand-edited file is refused.
    pub checksum: String,
}

/// A site's log-rank aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteLogRank {
    pub groups: Vec<SiteLogRankGroup>,
    /// Covariance matrix of O − E, groups × groups (row-major nested arrays).
    pub variance: Vec<Vec<f64>>,
}

/// One group of a site's log-rank aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteLogRankGroup {
    pub label: String,
    pub observed: f64,
    pub expected: f64,
    /// Patients of the group at the site.
    pub n: usize,
}

/// A site's own Cox fit, for the meta-analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteCox {
    pub n: usize,
    pub n_events: usize,
    /// As the results' `cox.terms` (an aliased term has `coef` `null`).
    pub terms: Vec<CoxTerm>,
    /// Model-based variance of the coefficients (`vcov(fit)`), terms × terms; `null`
    /// entries for aliased terms.
    pub vcov: Vec<Vec<Option<f64>>>,
    /// Names of terms whose coefficient may be infinite (coxph's warning, or the fit did
    /// not converge): left out of the meta-analysis (an extension).
    pub infinite: Vec<String>,
}

/// The site's partial likelihood at one β (original covariate scale, strata = the spec's
/// strata within the site).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoxRound {
    pub beta: Vec<f64>,
    /// log partial likelihood ℓ(β).
    pub loglik: f64,
    /// Score U(β) = ∂ℓ/∂β.
    pub score: Vec<f64>,
    /// Information I(β) = −∂²ℓ/∂β∂βᵀ.
    pub information: Vec<Vec<f64>>,
}

/// Binned Kaplan–Meier counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KmBinned {
    /// The bin width (the spec's `sites.km_width`).
    pub width: f64,
    pub groups: Vec<KmBinnedGroup>,
}

/// One group's binned counts. Bin k is [edges[k], edges[k+1]); every edge is a multiple
/// of `width`; a patient whose time equals an edge falls in the bin that starts there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KmBinnedGroup {
    pub label: String,
    /// Bin edges (one more than bins); empty when the group is suppressed.
    pub edges: Vec<f64>,
    /// At risk at the start of each bin.
    pub n_risk: Vec<usize>,
    pub n_event: Vec<usize>,
    pub n_censor: Vec<usize>,
    /// `true` when the group's events or censored patients number 1 to `min_cell` − 1 in
    /// all (no bin could show them): no bins are shown (an extension).
    pub suppressed: bool,
}

/// The coordinator's output: `{"sites": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pooled {
    /// Format version (1; an extension).
    pub survlens_pooled: u32,
    /// SurvLens version that wrote it (an extension).
    pub software: String,
    /// The protocol every site ran (an extension).
    pub protocol_sha256: String,
    pub sites: SitesSection,
    pub warnings: Vec<Warning>,
}

/// The pooled analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitesSection {
    pub n_sites: usize,
    /// Site names in the order of the files given.
    pub sites: Vec<String>,
    /// Per-site counts and checksums, in the same order (an extension).
    pub per_site: Vec<SiteCounts>,
    /// The stratified log-rank test (`survdiff(Surv ~ group + strata(site))` on the
    /// pooled rows); `null` without two groups with events.
    pub logrank: Option<SitesLogRank>,
    /// Meta-analysis of each term of the sites' own Cox fits.
    pub meta: Vec<MetaTerm>,
    /// The site-stratified Cox model by rounds (`coxph(Surv ~ group + covariates +
    /// strata(site))` at convergence); `null` without a model term.
    pub cox: Option<SitesCox>,
    /// The pooled life table from the binned counts (labelled a life table, not a
    /// Kaplan–Meier curve).
    pub life_table: LifeTable,
}

/// One site's counts in the pooled document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteCounts {
    pub site: String,
    pub n: usize,
    pub n_events: usize,
    /// The site summary's `checksum`.
    pub checksum: String,
}

/// The pooled stratified log-rank test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitesLogRank {
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    /// O and E summed over sites.
    pub groups: Vec<LogRankGroup>,
    /// The summed covariance matrix of O − E (an extension).
    pub variance: Vec<Vec<f64>>,
}

/// The meta-analysis of one Cox term over the sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaTerm {
    pub name: String,
    /// Fixed effect (inverse variance; `metafor::rma(yi, sei, method = "FE")`); `null`
    /// when no site has the term.
    pub fixed: Option<MetaEstimate>,
    /// Random effects, τ² by REML (`method = "REML"`); `null` with fewer than 2 sites.
    pub random: Option<RandomEstimate>,
    /// Cochran's Q and its test on k − 1 df (an extension); `null` with fewer than 2 sites.
    pub heterogeneity: Option<Heterogeneity>,
    /// Forest-plot rows: every site in file order; `included` false (with a warning) for
    /// a site whose coefficient is infinite or undefined.
    pub forest: Vec<ForestRow>,
}

/// A pooled log hazard ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaEstimate {
    pub hr: f64,
    pub lower: f64,
    pub upper: f64,
    pub p: f64,
    /// log HR and its standard error (an extension).
    pub coef: f64,
    pub se: f64,
}

/// The random-effects estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RandomEstimate {
    pub hr: f64,
    pub lower: f64,
    pub upper: f64,
    pub p: f64,
    pub coef: f64,
    pub se: f64,
    /// Between-site variance τ² (REML).
    pub tau2: f64,
    /// I² in percent (metafor's: 100 τ² / (τ² + s²), s² the typical within-site variance).
    pub i2: f64,
}

/// Cochran's Q.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Heterogeneity {
    pub q: f64,
    pub df: usize,
    pub p: f64,
}

/// One site's row of a forest plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForestRow {
    pub site: String,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    /// In the meta-analysis of this term.
    pub included: bool,
    /// Weights in percent (fixed, random); `null` when not included.
    pub weight_fixed: Option<f64>,
    pub weight_random: Option<f64>,
}

/// The site-stratified Cox model by rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SitesCox {
    pub converged: bool,
    /// Newton iterations taken so far (coxph's `iter` at convergence).
    pub round: usize,
    /// The β at which every site must evaluate next (`survlens site … --beta` this file);
    /// `null` when converged.
    pub next_beta: Option<Vec<f64>>,
    /// Every β evaluated so far, β = 0 first (an extension: what keeps the coordinator
    /// stateless; a site evaluates all of them and `next_beta`).
    pub history: Vec<Vec<f64>>,
    /// Term names, the order of `next_beta` and `history` (an extension).
    pub names: Vec<String>,
    /// When converged: as the results' `cox.terms`.
    pub terms: Option<Vec<CoxTerm>>,
    /// When converged: ℓ(0) and ℓ(β̂).
    pub loglik: Option<CoxLoglik>,
    /// When converged: model-based variance (an extension).
    pub vcov: Option<Vec<Vec<f64>>>,
    pub n: usize,
    pub n_events: usize,
}

/// The pooled life table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifeTable {
    /// Always `"life_table"`: S = Π (1 − d / (n − c/2)) over intervals, not a
    /// Kaplan–Meier curve.
    pub method: String,
    pub width: f64,
    pub groups: Vec<LifeTableGroup>,
}

/// One group's pooled life table on the edges common to every site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifeTableGroup {
    pub label: String,
    pub edges: Vec<f64>,
    pub n_risk: Vec<usize>,
    pub n_event: Vec<usize>,
    pub n_censor: Vec<usize>,
    /// Survival at the end of each interval.
    pub surv: Vec<f64>,
    /// Sites whose counts of this group were suppressed and are not in the table.
    pub sites_left_out: Vec<String>,
}
