//! The spec's column mapping: which columns hold time, event, group, covariates, strata,
//! weights, and how to read them (docs/spec.md). Ingest reads a table with these.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The spec's `time`: a duration column, or two date columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventMap {
    pub column: String,
    /// Tokens meaning the event happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Tokens meaning censored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub censored_values: Option<Vec<String>>,
    /// Tokens meaning a competing event (one that stops the event of interest from ever
    /// being seen). Read first; the other tokens follow `values` / `censored_values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competing_values: Option<Vec<String>>,
}

/// The spec's `group`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CovariateKind {
    Numeric,
    Categorical,
}

/// One entry of the spec's `covariates`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Exclusion {
    pub line: u64,
    pub column: String,
    pub reason: ExclusionReason,
}

impl DateFormat {
    /// The spec's name of the format (`auto` is named as the ISO order it reads).
    pub fn spec_name(self) -> &'static str {
        match self {
            DateFormat::Auto | DateFormat::Ymd => "%Y-%m-%d",
            DateFormat::DmySlash => "%d/%m/%Y",
            DateFormat::MdySlash => "%m/%d/%Y",
            DateFormat::DmyDot => "%d.%m.%Y",
            DateFormat::YmdSlash => "%Y/%m/%d",
            DateFormat::DmyDash => "%d-%m-%Y",
            DateFormat::MdyDash => "%m-%d-%Y",
        }
    }

    /// How the format is described to a user, e.g. `DD/MM/YYYY (%d/%m/%Y)`.
    pub fn describe(self) -> &'static str {
        match self {
            DateFormat::Auto => {
                "YYYY-MM-DD (auto reads ISO dates only; name other orders in date_format)"
            }
            DateFormat::Ymd => "YYYY-MM-DD (%Y-%m-%d)",
            DateFormat::DmySlash => "DD/MM/YYYY (%d/%m/%Y)",
            DateFormat::MdySlash => "MM/DD/YYYY (%m/%d/%Y)",
            DateFormat::DmyDot => "DD.MM.YYYY (%d.%m.%Y)",
            DateFormat::YmdSlash => "YYYY/MM/DD (%Y/%m/%d)",
            DateFormat::DmyDash => "DD-MM-YYYY (%d-%m-%Y)",
            DateFormat::MdyDash => "MM-DD-YYYY (%m-%d-%Y)",
        }
    }
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
