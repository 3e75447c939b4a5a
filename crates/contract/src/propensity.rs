//! Results `propensity`: the propensity model, the weights and the balance they give (docs/results.md).

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PsCoefficient {
    pub group: String,
    pub term: String,
    pub coef: f64,
    pub se: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WeightSummaryReport {
    pub group: String,
    pub n: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub sum: f64,
    pub ess: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct BalancePair {
    pub a: String,
    pub b: String,
    pub smd_before: Option<f64>,
    pub smd_after: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct BalanceTerm {
    pub term: String,
    pub pairs: Vec<BalancePair>,
    pub max_abs_smd_before: Option<f64>,
    pub max_abs_smd_after: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct PerRow {
    pub line: Vec<u64>,
    /// The group label of each row (serialized as an array of labels).
    pub group: crate::per_row::GroupColumn,
    pub weight: Vec<f64>,
    /// One row per patient, columns in group order (serialized as an array of arrays).
    pub ps: crate::per_row::PsRows,
}

/// Results `propensity`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PropensitySection {
    /// Rows of the model (the data's rows complete for its covariates) and their events.
    pub n: usize,
    pub n_events: usize,
    /// Rows of the data left out for a missing covariate (the `adjusted` section, the
    /// balance and the bootstrap use the model's rows too).
    pub missing_covariates: crate::report::MissingCovariates,
    pub model: String,
    pub estimand: String,
    pub focal: Option<String>,
    pub stabilized: bool,
    pub truncated_at: Option<[f64; 2]>,
    pub converged: bool,
    pub iterations: usize,
    pub coefficients: Vec<PsCoefficient>,
    pub weights_summary: Vec<WeightSummaryReport>,
    pub balance: Vec<BalanceTerm>,
    /// Plain-language notes on balance and weights (an extension; see `notes`).
    pub notes: Vec<crate::warning::Warning>,
    pub per_row: PerRow,
}
