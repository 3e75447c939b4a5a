//! The event column and its coding, the group and its reference, the covariates.
//!
//! * Event: a column with 2–6 values; a status-like name (status, vital, death,
//!   结局, 生存状态, verstorben…) and a recognised two-value coding (0/1, 1/2,
//!   dead/alive, 死亡/存活, 是/否, … — ingest's own detection) give high
//!   confidence, and both `values` and `censored_values` are written so that no
//!   value is censored silently. Three or more values (pbc's 0/1/2): low confidence,
//!   no values chosen, a note `event_coding_needs_choice` with each value's count.
//! * Group: a categorical column with 2–8 levels named as a treatment or group
//!   (treatment, arm, rx, 治疗, 分组, Therapie…), never the identifier, the event or the
//!   time. The reference is the contract's default (first value in the file) unless a
//!   level is named as a control (control, placebo, Obs, 对照…).
//! * Covariates: the remaining clinical-looking columns — numbers, or categories with
//!   at most ten levels — but no identifiers, dates, or free text.

use super::columns::Column;
use super::names::{EVENT, GROUP, IDENTIFIER, REFERENCE_LEVEL};
use super::Roles;
use crate::event::detected_lists;
use crate::{CovariateMap, EventMap, GroupMap};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;

/// Levels a group may have.
const GROUP_LEVELS: std::ops::RangeInclusive<usize> = 2..=8;
/// Covariates suggested at most.
const MAX_COVARIATES: usize = 12;

/// The event part of a suggestion.
pub(crate) struct EventChoice {
    pub map: EventMap,
    pub index: Option<usize>,
    pub high: bool,
    pub notes: Vec<Warning>,
}

fn levels_of(c: &Column) -> Vec<&str> {
    c.levels.iter().map(|(v, _)| v.as_str()).collect()
}

/// Scores a column as the event: name 3, recognised coding 2, nothing: not a candidate.
fn event_score(c: &Column, r: &Roles) -> Option<i32> {
    if r.identifier || r.age || c.is_date() || !(2..=6).contains(&c.n_distinct) {
        return None;
    }
    let named = EVENT.matches(&c.name) && !GROUP.matches(&c.name);
    let coded = c.n_distinct == 2 && detected_lists(&levels_of(c)).is_some();
    let score = 3 * i32::from(named) + 2 * i32::from(coded) - 2 * i32::from(GROUP.matches(&c.name));
    (score > 0 && (named || coded)).then_some(score)
}

/// Chooses the event among the columns not used by the time.
pub(crate) fn choose_event(cols: &[Column], roles: &[Roles], taken: &[usize]) -> EventChoice {
    let best = cols
        .iter()
        .zip(roles)
        .filter(|(c, _)| !taken.contains(&c.index))
        .filter_map(|(c, r)| event_score(c, r).map(|s| (s, c)))
        .max_by_key(|&(s, c)| (s, std::cmp::Reverse(c.index)));
    let Some((_, c)) = best else {
        let note = Warning::new(WarningCode::EventNotFound, "No column looks like the event (a status such as 0/1 or dead/alive). Choose the column that says whether each patient died.");
        return EventChoice {
            map: EventMap {
                column: String::new(),
                values: None,
                censored_values: None,
                competing_values: None,
            },
            index: None,
            high: false,
            notes: vec![note],
        };
    };
    let named = EVENT.matches(&c.name);
    let mut notes = Vec::new();
    let lists = if c.n_distinct == 2 {
        detected_lists(&levels_of(c))
    } else {
        None
    };
    if lists.is_none() {
        notes.push(coding_note(c));
    } else if !named {
        notes.push(Warning::new(WarningCode::EventNotNamed, format!("\"{}\" is taken as the event because its values look like a status; its name does not say so. Check it.", c.name)).with("column", c.name.clone()));
    }
    let high = named && lists.is_some();
    let (values, censored_values) = match lists {
        Some((e, c)) => (Some(e), Some(c)),
        None => (None, None),
    };
    EventChoice {
        map: EventMap {
            column: c.name.clone(),
            values,
            censored_values,
            competing_values: None,
        },
        index: Some(c.index),
        high,
        notes,
    }
}

/// `event_coding_needs_choice`: the values with their counts.
fn coding_note(c: &Column) -> Warning {
    let listed: Vec<String> = c
        .levels
        .iter()
        .map(|(v, n)| format!("\"{v}\" ({n} rows)"))
        .collect();
    let counts: serde_json::Map<String, serde_json::Value> = c
        .levels
        .iter()
        .map(|(v, n)| (v.clone(), serde_json::Value::from(*n)))
        .collect();
    Warning::new(WarningCode::EventCodingNeedsChoice, format!("\"{}\" has the values {}: SurvLens cannot tell which mean the event. Mark the values that mean death (the event) and those that mean censored.", c.name, listed.join(", ")))
        .with("column", c.name.clone())
        .with("values", c.levels.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>())
        .with("counts", serde_json::Value::Object(counts))
}

/// The group part of a suggestion.
pub(crate) struct GroupChoice {
    pub map: Option<GroupMap>,
    pub index: Option<usize>,
    pub high: bool,
    pub notes: Vec<Warning>,
}

fn group_candidate(c: &Column, r: &Roles, taken: &[usize]) -> bool {
    !taken.contains(&c.index)
        && !r.identifier
        && !r.age
        && !c.is_date()
        && GROUP_LEVELS.contains(&c.n_distinct)
        && 2 * c.present >= c.present + c.missing
}

/// Chooses the group among the columns not used by time and event.
pub(crate) fn choose_group(cols: &[Column], roles: &[Roles], taken: &[usize]) -> GroupChoice {
    let candidates: Vec<&Column> = cols
        .iter()
        .zip(roles)
        .filter(|(c, r)| group_candidate(c, r, taken))
        .map(|(c, _)| c)
        .collect();
    if let Some(c) = candidates.iter().find(|c| GROUP.matches(&c.name)) {
        let reference = c
            .levels
            .iter()
            .map(|(v, _)| v)
            .find(|v| REFERENCE_LEVEL.matches(v))
            .cloned();
        let map = GroupMap {
            column: c.name.clone(),
            reference,
            recode: Default::default(),
            levels: None,
        };
        return GroupChoice {
            map: Some(map),
            index: Some(c.index),
            high: true,
            notes: Vec::new(),
        };
    }
    let others: Vec<String> = candidates
        .iter()
        .filter(|c| c.is_text())
        .map(|c| c.name.clone())
        .collect();
    let notes = if others.is_empty() {
        Vec::new()
    } else {
        vec![Warning::new(WarningCode::GroupNotNamed, format!("No column is named as a treatment or group; one curve for everybody is suggested. Columns that could be compared: {}.", others.join(", "))).with("columns", others.clone())]
    };
    GroupChoice {
        map: None,
        index: None,
        high: others.is_empty(),
        notes,
    }
}

/// The remaining clinical-looking columns (see the module comment).
pub(crate) fn choose_covariates(
    cols: &[Column],
    roles: &[Roles],
    taken: &[usize],
) -> Vec<CovariateMap> {
    cols.iter()
        .zip(roles)
        .filter(|(c, r)| {
            let clinical = c.numbers.is_some_and(|n| n.max > n.min)
                || (c.is_text() && (2..=10).contains(&c.n_distinct));
            !taken.contains(&c.index)
                && !r.identifier
                && !IDENTIFIER.matches(&c.name)
                && !c.is_date()
                && clinical
                && 2 * c.present >= c.present + c.missing
        })
        .take(MAX_COVARIATES)
        .map(|(c, _)| CovariateMap {
            column: c.name.clone(),
            kind: None,
            reference: None,
        })
        .collect()
}
