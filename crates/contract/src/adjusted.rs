//! Results `adjusted` and `sensitivity`: comparisons in the weighted population, bootstrap, E-values (docs/results.md).

use crate::cox::CoxTerm;
use crate::report::{KmSection, RmstDifference};
use crate::warning::Warning;
use schemars::JsonSchema;
use serde::Serialize;

/// Results `adjusted`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AdjustedSection {
    /// Rows weighted (those of the propensity model) and their events.
    pub n: usize,
    pub n_events: usize,
    /// Rows of the data left out for a missing propensity covariate.
    pub missing_covariates: crate::report::MissingCovariates,
    pub km: KmSection,
    /// Weighted cumulative incidence curves (robust variance), when the spec has
    /// `event.competing_values` and `competing_risks`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cif: Option<Vec<crate::competing::CifCurve>>,
    /// `null` (with a warning) when no model can be fitted (no event).
    pub cox: Option<AdjustedCox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<RmstDifference>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSection>,
    /// `subgroups` in the weighted population (full-cohort weights, robust variance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subgroups: Option<crate::subgroups::SubgroupsSection>,
    /// Plain-language notes on the adjusted HRs beside the crude ones (an extension).
    pub notes: Vec<Warning>,
}

/// Results `adjusted.cox` (terms only, as the contract).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AdjustedCox {
    pub terms: Vec<CoxTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BootstrapDifference {
    pub a: String,
    pub b: String,
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Results `adjusted.bootstrap`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BootstrapSection {
    pub replicates: usize,
    pub seed: u64,
    /// Replicates that gave a value (an extension).
    pub replicates_used: usize,
    /// One entry per group term `<group column>=<level>`: se of the log HR, percentile
    /// CI of the HR.
    pub cox: Vec<BootstrapHr>,
    pub rmst_difference: Vec<BootstrapDifference>,
}

/// `adjusted.bootstrap.cox[]`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BootstrapHr {
    pub name: String,
    /// SD of the replicate log hazard ratios.
    pub se: Option<f64>,
    /// Percentile interval of the hazard ratio.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EValue {
    pub source: String,
    pub name: String,
    pub hr: f64,
    pub evalue: Option<f64>,
    pub evalue_ci: Option<f64>,
}

/// Results `sensitivity`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SensitivitySection {
    pub rare_outcome: bool,
    pub evalues: Vec<EValue>,
    /// Plain-language reading of the E-values (an extension).
    pub notes: Vec<Warning>,
}
