//! Column mapping: which columns hold time, event, group, covariates, strata, weights,
//! and how to read them. The mapping types deserialize from the contract's spec keys
//! (`time`, `event`, `group`, `covariates`, `strata`, `weights`, `cluster`, `missing`).

use super::{IngestError, RawTable};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};

/// The spec's `time`: a duration column, or two date columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum TimeMap {
    /// `{"entry": "months_to_referral", "column": "os_months"}` — delayed entry: the
    /// row is at risk over (entry, exit], both on the same clock (left truncation).
    Entry { entry: String, column: String },
    /// `{"column": "os_months"}` — follow-up already a duration in the analysis unit.
    Duration { column: String },
    /// `{"start": ..., "end": ..., "unit": "months", "date_format": "auto"}`.
    Dates {
        start: String,
        end: String,
        #[serde(default)]
        unit: TimeUnit,
        #[serde(default)]
        date_format: DateFormat,
    },
}

/// Unit of a time computed from two dates. months = days / 30.4375, years = days / 365.25.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Days,
    Weeks,
    #[default]
    Months,
    Years,
}

impl TimeUnit {
    /// The spec's name of the unit.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }

    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 30.4375,
            TimeUnit::Years => 365.25,
        }
    }
}

/// Date formats of the contract. `auto` accepts ISO `YYYY-MM-DD` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateFormat {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "%Y-%m-%d")]
    Ymd,
    #[serde(rename = "%d/%m/%Y")]
    DmySlash,
    #[serde(rename = "%m/%d/%Y")]
    MdySlash,
    #[serde(rename = "%d.%m.%Y")]
    DmyDot,
    /// `2020/03/31`: the year first with slashes, as Chinese and Japanese systems (and
    /// Excel in those locales) write dates. An extension of the contract's list.
    #[serde(rename = "%Y/%m/%d")]
    YmdSlash,
    /// `31-03-2020`: day first with dashes. An extension of the contract's list.
    #[serde(rename = "%d-%m-%Y")]
    DmyDash,
    /// `03-31-2020`: month first with dashes. An extension of the contract's list.
    #[serde(rename = "%m-%d-%Y")]
    MdyDash,
}

/// The spec's `event`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMap {
    pub column: String,
    /// Tokens meaning the event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Tokens meaning censored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub censored_values: Option<Vec<String>>,
}

/// The spec's `group`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupMap {
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Raw value → group label, applied first.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub recode: std::collections::BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
}

/// Numeric or categorical covariate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CovariateKind {
    Numeric,
    Categorical,
}

/// One entry of the spec's `covariates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovariateMap {
    pub column: String,
    /// Detected when absent: numeric if every non-missing value parses.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<CovariateKind>,
    /// Categorical reference level (default: most frequent, ties first seen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Everything ingest needs to turn a table into a cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    pub time: TimeMap,
    pub event: EventMap,
    pub group: Option<GroupMap>,
    pub covariates: Vec<CovariateMap>,
    pub strata: Vec<String>,
    pub weights: Option<String>,
    pub cluster: Option<String>,
    /// Tokens read as missing (trimmed, exact match).
    pub missing: Vec<String>,
}

/// Default missing tokens of the contract.
pub fn default_missing_tokens() -> Vec<String> {
    ["", "NA", "N/A", "NaN", ".", "null"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Why a row was left out. Serialized as the contract's `reason` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// Group value not among the requested levels.
    OtherGroup,
    /// A used column is missing.
    Missing,
    /// Follow-up time < 0 (or end date before start date).
    NegativeTime,
    /// Delayed entry: the exit is not after the entry.
    EntryNotBeforeExit,
}

impl ExclusionReason {
    /// The contract's `reason` string (as serialized).
    pub fn code(self) -> &'static str {
        match self {
            ExclusionReason::OtherGroup => "other_group",
            ExclusionReason::Missing => "missing",
            ExclusionReason::NegativeTime => "negative_time",
            ExclusionReason::EntryNotBeforeExit => "entry_not_before_exit",
        }
    }
}

/// One left-out row: its file line (header = 1), the column at fault, the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    pub line: u64,
    pub column: String,
    pub reason: ExclusionReason,
}

/// A covariate's values over the used rows.
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateValues {
    Numeric(Vec<f64>),
    /// `codes[i]` indexes `levels`; `levels[reference]` is the reference level;
    /// levels in order: reference first, then order of first appearance in used rows.
    Categorical {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

/// A covariate column of the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    pub column: String,
    pub values: CovariateValues,
    /// Rows whose value is missing, counted when the values (and a categorical's
    /// levels) were read from these very rows; `None` after the rows were subset (then
    /// a model counts them itself and recomputes the levels on its rows).
    pub n_missing: Option<usize>,
}

/// The code of a missing cell of a categorical covariate.
pub const MISSING_CODE: u32 = u32::MAX;

impl Covariate {
    /// Whether row `i`'s value is missing (NaN, or [`MISSING_CODE`]).
    pub fn is_missing(&self, i: usize) -> bool {
        match &self.values {
            CovariateValues::Numeric(v) => v.get(i).is_none_or(|x| x.is_nan()),
            CovariateValues::Categorical { codes, .. } => {
                codes.get(i).is_none_or(|&c| c == MISSING_CODE)
            }
        }
    }

    /// Whether any row's value is missing (a fold without early exit: the compiler
    /// vectorizes it, and a column with no missing value is read to its end anyway).
    pub fn any_missing(&self) -> bool {
        match &self.values {
            CovariateValues::Numeric(v) => v.iter().fold(false, |a, x| a | x.is_nan()),
            CovariateValues::Categorical { codes, .. } => {
                codes.iter().fold(false, |a, &c| a | (c == MISSING_CODE))
            }
        }
    }
}

/// The validated analysis dataset: used rows only, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    /// Data rows in the file (header excluded).
    pub n_rows: usize,
    /// File line of each used row (header = line 1).
    pub line: Vec<u64>,
    /// Follow-up time in the analysis unit, after R's near-tie rule (timefix).
    pub time: Vec<f64>,
    /// Delayed entry (`time.entry`): the entry time of each row on the clock of `time`
    /// (start of (entry, exit]); time-fixed together with `time`. `None` without entry.
    pub entry: Option<Vec<f64>>,
    pub event: Vec<bool>,
    /// Index into `group_labels` (all 0 and label "all" without a group).
    pub group: Vec<u32>,
    /// Group labels in analysis order, reference first; then the spec's `levels` in
    /// their order, or (without `levels`) order of first appearance in the used rows.
    pub group_labels: Vec<String>,
    /// Index into `strata_labels` (all 0, one label "all", without strata). Labels join
    /// the strata columns' `name=value` with ", " as R's `strata()` does
    /// (`center=A, sex=F`), in order of first appearance in the used rows.
    pub stratum: Vec<u32>,
    pub strata_labels: Vec<String>,
    pub weight: Option<Vec<f64>>,
    pub cluster: Option<Vec<u32>>,
    pub covariates: Vec<Covariate>,
    /// Left-out rows in file order, one entry each (first reason by the contract's order).
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<Warning>,
}

/// Validate the mapped columns and build the cohort: the survival data's rows.
///
/// Rules (docs/spec.md#defaults-and-input-rules): rows with a missing
/// token in the time, event, group, strata, weights or cluster column (not in a
/// covariate: a missing covariate is kept as missing, NaN or [`MISSING_CODE`], and each
/// model leaves its own incomplete rows out), rows of groups not in `levels` and rows with a negative
/// follow-up are left out and listed in [`Cohort::excluded`] (first reason in the
/// order `other_group`, `missing`, `negative_time`); cells of the remaining rows that
/// cannot be read are errors naming column and line. Times get R's near-tie rule
/// ([`crate::stats::surv::timefix`]). The table's warnings are carried into
/// [`Cohort::warnings`].
pub fn build_cohort(table: &RawTable, map: &ColumnMap) -> Result<Cohort, IngestError> {
    super::cohort::build(table, map)
}

#[cfg(test)]
mod tests {
    use super::ExclusionReason;

    /// `code()` is the serialized `reason` string (the report's tables name rows by it).
    #[test]
    fn exclusion_reason_codes_are_the_contract_strings() {
        for r in [
            ExclusionReason::OtherGroup,
            ExclusionReason::Missing,
            ExclusionReason::NegativeTime,
            ExclusionReason::EntryNotBeforeExit,
        ] {
            assert_eq!(serde_json::to_value(r).ok(), Some(r.code().into()));
        }
    }
}
