//! Results `competing_risks`: cumulative incidence per group and cause, Gray's test,
//! the Fine–Gray model and cause-specific Cox models (docs/results.md#competing_risks).

use crate::cox::CoxTerm;
use crate::report::MissingCovariates;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which of the two causes a curve, test or model is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The event of interest (`event.values`).
    Event,
    /// The competing event (`event.competing_values`).
    Competing,
}

impl Cause {
    /// Both causes, event of interest first (the order of every list in the section).
    pub const BOTH: [Cause; 2] = [Cause::Event, Cause::Competing];

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Event => "event",
            Cause::Competing => "competing",
        }
    }
}

/// Results `competing_risks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompetingRisksSection {
    /// Confidence-interval type and level of the curves (the spec's `km` ones).
    pub conf_type: String,
    pub conf_level: f64,
    /// One curve per group (analysis order) and cause (event, then competing).
    pub cif: Vec<CifCurve>,
    /// Gray's test per cause (event, then competing); `null` without two groups or with
    /// case weights (absent when the spec sets `gray: false`).
    #[serde(skip_serializing_if = "crate::report::Skip::skip", default)]
    pub gray: crate::report::Skip<Vec<GrayTest>>,
    /// The Fine–Gray model of the event of interest; `null` when it cannot be fitted
    /// (no design column, no event, case weights: a warning says which).
    #[serde(skip_serializing_if = "crate::report::Skip::skip", default)]
    pub fine_gray: crate::report::Skip<FineGrayModel>,
    /// Cause-specific Cox models, event then competing.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cause_specific: Option<Vec<CauseSpecificModel>>,
}

/// One cumulative incidence curve: the Aalen–Johansen estimate of one cause in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CifCurve {
    pub group: String,
    pub cause: Cause,
    /// Every distinct observed time of the group.
    pub time: Vec<f64>,
    /// Still at risk (neither event yet) just before each time.
    pub n_risk: Vec<f64>,
    /// Events of this cause at each time.
    pub n_event: Vec<f64>,
    /// Cumulative incidence of this cause.
    pub estimate: Vec<f64>,
    /// Its standard error (infinitesimal jackknife).
    pub std_err: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    /// The curve at the spec's `competing_risks.times`.
    pub at_times: Vec<CifAt>,
}

/// A cumulative incidence curve at one requested time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CifAt {
    pub time: f64,
    pub n_risk: f64,
    /// `null` (with `std_err`, `lower`, `upper`) past the curve's last observed time.
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The time is later than the curve's last observed time (`n_risk` 0).
    #[serde(default)]
    pub beyond_follow_up: bool,
}

/// Gray's test that a cause's cumulative incidence is the same in every group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GrayTest {
    pub cause: Cause,
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
}

/// The Fine–Gray subdistribution hazards model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FineGrayModel {
    pub cause: Cause,
    /// Rows in the model (complete for its covariates) and their events of this cause.
    pub n: usize,
    pub n_events: usize,
    pub converged: bool,
    pub iterations: usize,
    /// Rows of the data left out for a missing covariate.
    pub missing_covariates: MissingCovariates,
    /// As `cox.terms`; `hr` is the subdistribution hazard ratio, `se` the sandwich
    /// standard error, `robust_se` null.
    pub terms: Vec<CoxTerm>,
}

/// A cause-specific Cox model (the other cause censors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CauseSpecificModel {
    pub cause: Cause,
    pub n: usize,
    pub n_events: usize,
    pub converged: bool,
    pub missing_covariates: MissingCovariates,
    pub terms: Vec<CoxTerm>,
}
