//! The results document of docs/results.md. Field order is the JSON order.
//! `None` serializes as `null`; a field that belongs to an analysis not asked for is
//! omitted (`skip_serializing_if`).

use crate::adjusted::{AdjustedSection, SensitivitySection};
use crate::mapping::Exclusion;
use crate::propensity::PropensitySection;
use crate::warning::Warning;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole results document.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// Contract version (1).
    pub version: u32,
    /// SurvLens version that produced it (an extension).
    pub software: String,
    /// The spec that actually ran, defaults filled in (an extension).
    pub spec: serde_json::Value,
    pub data: DataSummary,
    pub groups: Vec<GroupCount>,
    /// Baseline characteristics by group, when the spec asks for `table1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table1: Option<crate::table1::Table1Section>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<KmSection>,
    /// `null` (with warning `no_events`) when asked but impossible.
    #[serde(skip_serializing_if = "Skip::skip")]
    pub logrank: Skip<LogRankSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<RmstDifference>>,
    /// `null` (with warning `no_events`) when asked but impossible.
    #[serde(skip_serializing_if = "Skip::skip")]
    pub cox: Skip<crate::cox::CoxSection>,
    /// Cumulative incidence, Gray's test, Fine–Gray and cause-specific models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competing_risks: Option<crate::competing::CompetingRisksSection>,
    /// Median follow-up by reverse Kaplan–Meier: "all", then each group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<Vec<crate::follow_up::FollowUpEntry>>,
    /// Survival given alive at each `conditional.given`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional: Option<Vec<crate::follow_up::ConditionalResult>>,
    /// Group HRs within subgroups and the interaction tests; `null` (with warning
    /// `subgroup_needs_groups`) without two groups.
    #[serde(skip_serializing_if = "Skip::skip")]
    pub subgroups: Skip<crate::subgroups::SubgroupsSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub propensity: Option<PropensitySection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<AdjustedSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivitySection>,
    /// Propensity-score matching: one comparison per non-reference group; `null` (with
    /// a warning) without two groups.
    #[serde(skip_serializing_if = "Skip::skip")]
    pub matching: Skip<Vec<crate::matching::MatchedComparison>>,
    /// Multiple imputation: Cox, RMST differences and adjusted comparisons pooled over
    /// the imputed sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imputation: Option<crate::imputation::ImputationSection>,
    /// Target-trial emulation by clone–censor–weight; `null` (with a warning) when no
    /// patient can be used.
    #[serde(skip_serializing_if = "Skip::skip")]
    pub emulation: Skip<crate::emulation::Emulation>,
    /// Landmark analyses (docs/methods.md#immortal-time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landmark: Option<Vec<crate::immortal::LandmarkResult>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_dependent: Option<crate::immortal::TimeDependentSection>,
    /// Naive vs landmark vs time-dependent group HRs with an explanation (an extension;
    /// present whenever `treatment_time` is mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub immortal_time: Option<crate::immortal::Comparison>,
    /// Rows left out of the immortal-time sections for a treatment time that does not
    /// fit (present whenever `treatment_time` is mapped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treatment_time: Option<crate::immortal::TreatmentTimeSection>,
    pub warnings: Vec<Warning>,
}

/// A section that is absent (not asked), `null` (asked, impossible) or present.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Skip<T> {
    #[default]
    NotAsked,
    Null,
    Value(T),
}

impl<T> Skip<T> {
    pub fn skip(&self) -> bool {
        matches!(self, Skip::NotAsked)
    }
}

/// Schema: the section's, or `null` (as `Option<T>`; "not asked" omits the key).
impl<T: JsonSchema> JsonSchema for Skip<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Option<T>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T>>::json_schema(generator)
    }
}

/// `null` reads as [`Skip::Null`]; a missing key (with `#[serde(default)]`) as
/// [`Skip::NotAsked`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Skip<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            Some(v) => Skip::Value(v),
            None => Skip::Null,
        })
    }
}

impl<T: Serialize> Serialize for Skip<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Skip::Value(v) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DataSummary {
    pub n_rows: usize,
    pub n_used: usize,
    /// Events of interest.
    pub n_events: usize,
    /// Competing events (present when the spec has `event.competing_values`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_competing: Option<usize>,
    pub excluded: Vec<Exclusion>,
    pub excluded_by_reason: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct GroupCount {
    pub label: String,
    pub n: usize,
    pub events: usize,
    /// Competing events (present when the spec has `event.competing_values`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub competing: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KmSection {
    pub conf_type: String,
    pub conf_level: f64,
    pub curves: Vec<KmCurveReport>,
}

/// One curve: the per-time table as R's survfit, with summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KmCurveReport {
    pub group: String,
    pub time: Vec<f64>,
    pub n_risk: Vec<f64>,
    pub n_event: Vec<f64>,
    pub n_censor: Vec<f64>,
    pub surv: Vec<f64>,
    pub std_err: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    pub median: QuantileEstimate,
    pub quantiles: Vec<QuantileReport>,
    pub at_times: Vec<AtTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst: Option<Rmst>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuantileEstimate {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuantileReport {
    pub p: f64,
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AtTime {
    pub time: f64,
    pub n_risk: f64,
    /// `null` (with `std_err`, `lower`, `upper`) past the curve's last observed time.
    pub surv: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The time is later than the curve's last observed time: nothing is estimated
    /// there (`n_risk` 0).
    #[serde(default)]
    pub beyond_follow_up: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rmst {
    pub tau: f64,
    pub estimate: f64,
    pub se: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogRankSection {
    pub rho: f64,
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    pub groups: Vec<LogRankGroup>,
    pub pairwise: Vec<PairwiseTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LogRankGroup {
    pub label: String,
    pub observed: f64,
    pub expected: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PairwiseTest {
    pub a: String,
    pub b: String,
    pub chisq: f64,
    pub p: f64,
    pub p_adjusted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RmstDifference {
    pub a: String,
    pub b: String,
    pub tau: f64,
    pub estimate: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub p: f64,
}

/// `missing_covariates` of a model section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct MissingCovariates {
    /// Rows of the data left out of the model (missing at least one of its covariates).
    pub n: usize,
    /// Per covariate column with a missing value: the rows missing it.
    pub by_column: BTreeMap<String, usize>,
}
