//! The suggested mapping (`survlens guess DATA`, the page's first guess): from a whole
//! [`RawTable`] to the spec a user would most likely want, with per field whether the
//! evidence is strong, and notes saying what was guessed and what to check.
//!
//! Output (serialised as the contract's "Suggested mapping"):
//! `{"spec": {...}, "confidence": {"time": "high"|"low", "event": …, "group": …},
//!   "notes": [{"code", "message", "context"}], "time_unit": "days"}` — `time_unit`
//! is an extension: the unit of the follow-up, which a duration `time` cannot carry.
//! The spec runs as it is through `survlens analyze` (unless the event coding needs a
//! choice: then `event` has no values and the analysis asks).
//!
//! Evidence comes from names ([`names`]: English, Chinese, German) and from values
//! ([`columns`], read with ingest's own missing tokens, numbers and dates). The rules
//! are in [`time`] (follow-up and unit, [`units`]) and [`outcome`] (event, group,
//! covariates). Why it is careful: a guess that is wrong without a word (an age or a
//! patient identifier taken as the follow-up) gives a wrong analysis that looks
//! right; a low confidence makes the page stop and ask.

pub mod columns;
mod names;
mod outcome;
mod time;
pub mod times;
mod units;

use survlens_contract::warning_code::WarningCode;
pub use times::{suggest_times, suggest_times_for, suggest_times_for_map, SuggestedTimes};

use super::mapping::{
    default_missing_tokens, ColumnMap, CovariateMap, EventMap, GroupMap, TimeMap, TimeUnit,
};
use super::RawTable;
use columns::Column;
use names::{AGE, IDENTIFIER};
use serde::Serialize;
use survlens_contract::warning::Warning;

/// Strong or weak evidence for one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Low,
}

impl Confidence {
    fn of(high: bool) -> Self {
        if high {
            Confidence::High
        } else {
            Confidence::Low
        }
    }
}

/// Per field confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Confidences {
    pub time: Confidence,
    pub event: Confidence,
    pub group: Confidence,
}

/// `km` of the suggested spec: the suggested times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmTimes {
    pub times: Vec<f64>,
}

/// `rmst` of the suggested spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RmstTau {
    pub tau: f64,
}

/// The suggested spec: the contract's keys, with the mapping types of ingest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedSpec {
    pub time: TimeMap,
    pub event: EventMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupMap>,
    pub covariates: Vec<CovariateMap>,
    pub km: KmTimes,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logrank: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst: Option<RmstTau>,
}

/// The contract's "Suggested mapping".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedMapping {
    pub spec: SuggestedSpec,
    pub confidence: Confidences,
    pub notes: Vec<Warning>,
    /// Extension: the unit of the follow-up (of `spec.time.unit` for two dates).
    pub time_unit: TimeUnit,
}

/// What a column is, whatever it is chosen for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Roles {
    /// Identifies patients: named so (id, MRN, 住院号…) with distinct values, or
    /// distinct whole numbers increasing down the file (not named as a time), or
    /// distinct codes.
    pub identifier: bool,
    /// Holds ages: named so (age, 年龄, Alter) with values between 0 and 120.
    pub age: bool,
}

fn roles(c: &Column) -> Roles {
    let near_unique = c.present >= 10 && 10 * c.n_distinct >= 9 * c.present;
    // A follow-up column of a file sorted by time also increases: its name decides.
    let counting = c
        .numbers
        .is_some_and(|n| n.integers && n.unique && n.increasing)
        && c.all_distinct()
        && !names::TIME.matches(&c.name);
    let codes = c.is_text() && c.all_distinct();
    Roles {
        identifier: (IDENTIFIER.matches(&c.name) && near_unique) || counting || codes,
        age: AGE.matches(&c.name) && c.numbers.is_some_and(|n| n.min >= 0.0 && n.max <= 120.0),
    }
}

/// The suggested mapping of a table (see the module comment).
pub fn suggest_mapping(table: &RawTable) -> SuggestedMapping {
    let cols = columns::describe(table);
    let roles: Vec<Roles> = cols.iter().map(roles).collect();
    let time = time::choose(table, &cols, &roles);
    let mut taken = time.columns.clone();
    let event = outcome::choose_event(&cols, &roles, &taken);
    taken.extend(event.index);
    let group = outcome::choose_group(&cols, &roles, &taken);
    taken.extend(group.index);
    let covariates = outcome::choose_covariates(&cols, &roles, &taken);
    let mut notes = time.notes;
    notes.extend(event.notes);
    notes.extend(group.notes);
    let mut spec = SuggestedSpec {
        time: time.map,
        event: event.map,
        logrank: group.map.as_ref().map(|_| serde_json::Map::new()),
        group: group.map,
        covariates,
        km: KmTimes { times: Vec::new() },
        rmst: None,
    };
    match times_of(table, &spec) {
        Some(s) => {
            spec.rmst = s.tau.map(|tau| RmstTau { tau });
            spec.km.times = s.times;
        }
        None => notes.push(Warning::new(WarningCode::TimesNotSuggested, "No KM times or τ are suggested: the columns above could not be read as a follow-up. Check the mapping.")),
    }
    SuggestedMapping {
        spec,
        confidence: Confidences {
            time: Confidence::of(time.high),
            event: Confidence::of(event.high),
            group: Confidence::of(group.high),
        },
        notes,
        time_unit: time.unit,
    }
}

/// The suggested mapping of a file's bytes (CSV/TSV, or the sheet of a workbook),
/// read as the analysis reads them: `survlens guess DATA [--sheet NAME]`.
pub fn suggest_mapping_bytes(
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<SuggestedMapping, super::IngestError> {
    Ok(suggest_mapping(&super::read_table_sheet(bytes, sheet)?))
}

/// The suggested times on the rows of the suggestion (the unit is found as the
/// guess found it: from the duration's name, else from its largest value).
fn times_of(table: &RawTable, spec: &SuggestedSpec) -> Option<SuggestedTimes> {
    let map = ColumnMap {
        time: spec.time.clone(),
        event: spec.event.clone(),
        group: spec.group.clone(),
        covariates: Vec::new(),
        strata: Vec::new(),
        weights: None,
        cluster: None,
        missing: default_missing_tokens(),
    };
    times::suggest_times_for_map(table, &map).ok()
}

#[cfg(test)]
mod tests;
