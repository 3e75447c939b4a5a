//! Results of the immortal-time sections: `landmark`, `time_dependent`, `immortal_time`, `treatment_time` (docs/results.md).

use crate::cox::CoxSection;
use crate::report::{KmSection, LogRankSection, Skip};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One entry of `reassigned`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Reassigned {
    pub from: String,
    pub to: String,
    pub n: usize,
}

/// One entry of `landmark`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LandmarkResult {
    pub time: f64,
    pub n: usize,
    pub left_out_before: usize,
    pub reassigned: Vec<Reassigned>,
    /// Groups per label with their n at the landmark (after reassignment).
    pub groups: Vec<super::report::GroupCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<KmSection>,
    #[serde(skip_serializing_if = "Skip::skip")]
    pub logrank: Skip<LogRankSection>,
    #[serde(skip_serializing_if = "Skip::skip")]
    pub cox: Skip<CoxSection>,
}

/// `time_dependent`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TimeDependentSection {
    pub n_intervals: usize,
    pub cox: Skip<CoxSection>,
    pub km: KmSection,
}

/// `immortal_time` of the Report (an extension of the contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    pub reference: String,
    /// The covariates every model of the block is adjusted for (empty: unadjusted).
    #[serde(default)]
    pub adjusted_for: Vec<String>,
    /// The time unit of two-date times ("months"); `null` for a duration column.
    #[serde(default)]
    pub unit: Option<String>,
    /// Patients left out of the block for a treatment time that does not fit.
    #[serde(default)]
    pub left_out: usize,
    /// Patients in the block's data (the rows whose treatment time fits).
    #[serde(default)]
    pub n: usize,
    /// Treatment delays per treated group (u over its patients).
    pub treated: Vec<Delay>,
    /// Naive first, then each landmark, then time-dependent.
    pub analyses: Vec<Analysis>,
    /// Paragraphs for a clinician.
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Delay {
    pub group: String,
    pub n: usize,
    pub median: Option<f64>,
    pub max: Option<f64>,
}

/// One analysis: its group terms (each group against the reference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Analysis {
    /// "naive" | "landmark" | "time_dependent".
    pub analysis: String,
    /// The row's name for the page: the model, adjusted for what or unadjusted
    /// ("Naive Cox (group at time zero), adjusted for age, sex").
    #[serde(default)]
    pub label: String,
    pub landmark: Option<f64>,
    pub n: Option<usize>,
    pub n_events: Option<usize>,
    pub terms: Vec<GroupHr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GroupHr {
    pub group: String,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub p: Option<f64>,
    /// False when the model did not converge or this coefficient may be infinite (its
    /// HR is then not read).
    #[serde(default = "yes")]
    pub reliable: bool,
}

fn yes() -> bool {
    true
}

/// One left-out row of `treatment_time.excluded`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MisfitEntry {
    pub line: u64,
    pub reason: &'static str,
}

/// `treatment_time` of the results: the rows left out of the immortal-time sections.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TreatmentTimeSection {
    pub excluded: Vec<MisfitEntry>,
    /// Non-zero counts only (as `data.excluded_by_reason`).
    pub excluded_by_reason: BTreeMap<String, usize>,
}
