//! Which column (or two date columns) holds the follow-up, in which unit.
//!
//! In order of preference:
//! 1. a numeric column named as a follow-up (`os_months`, 生存时间_天, Überlebenszeit)
//!    whose name also states the unit — high confidence;
//! 2. two date columns, start = diagnosis/entry-like, end = last follow-up/death-like
//!    (names, else the values: the start is the earlier date on most rows; a start
//!    after the end on more than 10% of rows is low confidence). The format
//!    is the one that reads both columns; when every day and month is ≤ 12 both
//!    `%d/%m/%Y` and `%m/%d/%Y` read them: note `date_order_ambiguous`, low confidence;
//! 3. a follow-up-named numeric column without a unit in its name: unit from the
//!    magnitudes, note `time_unit_from_magnitude`, low confidence;
//! 4. any other numeric column that is no identifier, age or coded value — low, note
//!    `time_not_named`; 5. an identifier or an age column — low, note
//!    `time_is_identifier_or_age` (the issue: an ID column became the time on five
//!    files although two date columns were there, and Age gave "median 71.0 months").
//!
//! Whatever path is taken, an identifier or an age column is never the time with high
//! confidence (checked again at the end).

use super::columns::{day_of, Column};
use super::names::{BIRTH_DATE, END_DATE, EVENT, START_DATE, TIME};
use super::units::{unit_from_magnitude, unit_from_name};
use super::Roles;
use crate::{DateFormat, RawTable, TimeMap, TimeUnit};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;

/// The time part of a suggestion.
pub(crate) struct TimeChoice {
    pub map: TimeMap,
    pub unit: TimeUnit,
    pub high: bool,
    pub notes: Vec<Warning>,
    /// Columns used (not covariates, not the group).
    pub columns: Vec<usize>,
}

/// A numeric column that could hold durations: no identifier, age, or coded value.
fn duration_like(c: &Column, r: &Roles) -> bool {
    let coded = c.n_distinct <= 3 || (EVENT.matches(&c.name) && c.n_distinct <= 6);
    c.numbers.is_some_and(|n| n.min >= 0.0) && !coded && !r.identifier && !r.age
}

/// Preference among follow-up-named columns: overall survival and follow-up before
/// progression-free or recurrence times.
fn time_rank(name: &str) -> i32 {
    let n = name.to_lowercase();
    let strong = [
        "os",
        "surv",
        "follow",
        "fu",
        "随访",
        "生存",
        "überleben",
        "ueberleben",
    ];
    let weak = [
        "pfs", "dfs", "efs", "rfs", "ttp", "recur", "progress", "复发", "进展",
    ];
    i32::from(strong.iter().any(|w| n.contains(w)))
        - 2 * i32::from(weak.iter().any(|w| n.contains(w)))
}

/// Chooses the time (see the module comment).
pub(crate) fn choose(table: &RawTable, cols: &[Column], roles: &[Roles]) -> TimeChoice {
    let named: Vec<&Column> = cols
        .iter()
        .zip(roles)
        .filter(|(c, r)| duration_like(c, r) && TIME.matches(&c.name))
        .map(|(c, _)| c)
        .collect();
    let best_named = |with_unit: bool| {
        named
            .iter()
            .filter(|c| unit_from_name(&c.name).is_some() == with_unit)
            .max_by_key(|c| (time_rank(&c.name), std::cmp::Reverse(c.index)))
            .copied()
    };
    let choice = if let Some(c) = best_named(true) {
        duration(
            c,
            unit_from_name(&c.name).unwrap_or_default(),
            true,
            Vec::new(),
        )
    } else if let Some(d) = dates(table, cols) {
        d
    } else if let Some(c) = best_named(false) {
        from_magnitude(c, WarningCode::TimeUnitFromMagnitude)
    } else {
        fallback(cols, roles)
    };
    guard(choice, roles)
}

fn duration(c: &Column, unit: TimeUnit, high: bool, notes: Vec<Warning>) -> TimeChoice {
    TimeChoice {
        map: TimeMap::Duration {
            column: c.name.clone(),
        },
        unit,
        high,
        notes,
        columns: vec![c.index],
    }
}

fn from_magnitude(c: &Column, code: WarningCode) -> TimeChoice {
    let max = c.numbers.map_or(0.0, |n| n.max);
    let unit = unit_from_magnitude(max);
    let message = format!(
        "The name \"{}\" does not say the unit; its largest value, {max}, suggests {}. Check the unit.",
        c.name,
        unit.name()
    );
    let note = Warning::new(code, message)
        .with("column", c.name.clone())
        .with("max", max)
        .with("unit", unit.name());
    duration(c, unit, false, vec![note])
}

/// Steps 4 and 5: a numeric column without a follow-up name, identifiers and ages last.
fn fallback(cols: &[Column], roles: &[Roles]) -> TimeChoice {
    let plain = cols
        .iter()
        .zip(roles)
        .filter(|(c, r)| duration_like(c, r) && c.n_distinct >= 10)
        .max_by_key(|(c, _)| c.n_distinct)
        .map(|(c, _)| c);
    if let Some(c) = plain {
        let mut t = from_magnitude(c, WarningCode::TimeUnitFromMagnitude);
        t.notes.insert(0, Warning::new(WarningCode::TimeNotNamed, format!("No column is named as a follow-up time (time, months, days, survival, follow-up…); \"{}\" is a guess. Choose the follow-up column.", c.name)).with("column", c.name.clone()));
        return t;
    }
    let last_resort = cols
        .iter()
        .find(|c| c.numbers.is_some_and(|n| n.min >= 0.0) && c.n_distinct > 3)
        .or_else(|| cols.first());
    let Some(c) = last_resort else {
        return duration_named("", Vec::new());
    };
    let note = Warning::new(WarningCode::TimeIsIdentifierOrAge, format!("No column looks like a follow-up time or two dates; \"{}\" is only a placeholder (it looks like a patient identifier, an age or a code). Choose the follow-up column.", c.name)).with("column", c.name.clone());
    duration_named(&c.name, vec![note]).with_index(c.index)
}

fn duration_named(name: &str, notes: Vec<Warning>) -> TimeChoice {
    TimeChoice {
        map: TimeMap::Duration {
            column: name.to_string(),
        },
        unit: TimeUnit::Months,
        high: false,
        notes,
        columns: Vec::new(),
    }
}

impl TimeChoice {
    fn with_index(mut self, i: usize) -> Self {
        self.columns = vec![i];
        self
    }
}

/// The invariant of the contract: identifiers and ages are never confidently the time.
fn guard(mut t: TimeChoice, roles: &[Roles]) -> TimeChoice {
    if t.columns
        .iter()
        .any(|&i| roles.get(i).is_some_and(|r| r.identifier || r.age))
    {
        t.high = false;
    }
    t
}

/// Step 2: two date columns (see the module comment); `None` without two of them.
fn dates(table: &RawTable, cols: &[Column]) -> Option<TimeChoice> {
    let candidates: Vec<&Column> = cols
        .iter()
        .filter(|c| c.is_date() && !BIRTH_DATE.matches(&c.name))
        .collect();
    if candidates.len() < 2 {
        return None;
    }
    let start_named = candidates
        .iter()
        .find(|c| START_DATE.matches(&c.name) && !END_DATE.matches(&c.name));
    let end_named = candidates
        .iter()
        .find(|c| END_DATE.matches(&c.name) && Some(c.index) != start_named.map(|s| s.index));
    let (a, b, named) = match (start_named, end_named) {
        (Some(s), Some(e)) => (*s, *e, 2),
        (Some(s), None) => (*s, *candidates.iter().find(|c| c.index != s.index)?, 1),
        (None, Some(e)) => (*candidates.iter().find(|c| c.index != e.index)?, *e, 1),
        (None, None) => (candidates[0], candidates[1], 0),
    };
    let formats: Vec<DateFormat> = a
        .date_formats
        .iter()
        .copied()
        .filter(|f| b.date_formats.contains(f))
        .collect();
    let format = *formats.first()?;
    // Day first and month first both read every value: which one is meant is unknown.
    let alternative = match format {
        DateFormat::DmySlash => Some(DateFormat::MdySlash),
        DateFormat::DmyDash => Some(DateFormat::MdyDash),
        _ => None,
    }
    .filter(|alt| formats.contains(alt));
    let ambiguous = alternative.is_some();
    let in_order = share_in_order(table, a.index, b.index, format);
    let (start, end) = if named == 0 && in_order < 0.5 {
        (b, a)
    } else {
        (a, b)
    };
    let in_order = if named == 0 && in_order < 0.5 {
        1.0 - in_order
    } else {
        in_order
    };
    let mut notes = Vec::new();
    if ambiguous {
        notes.push(Warning::new(WarningCode::DateOrderAmbiguous, format!("Every day and month in \"{}\" and \"{}\" is 12 or less, so 03/04 may be 3 April or 4 March; read as day/month ({}). Check the date order.", start.name, end.name, format.describe()))
            .with("start", start.name.clone()).with("end", end.name.clone())
            .with("chosen", format.spec_name())
            .with("alternative", alternative.map_or("", DateFormat::spec_name)));
    }
    if named < 2 {
        notes.push(Warning::new(WarningCode::DatesChosenByOrder, format!("\"{}\" is taken as the start and \"{}\" as the end of follow-up because the start is the earlier date on {:.0}% of rows; the names do not say. Check both.", start.name, end.name, 100.0 * in_order))
            .with("start", start.name.clone()).with("end", end.name.clone()));
    }
    if in_order < 0.9 {
        notes.push(
            Warning::new(WarningCode::DatesOutOfOrder, format!("\"{}\" is after \"{}\" on {:.0}% of rows: check that they are the start and the end of follow-up.", start.name, end.name, 100.0 * (1.0 - in_order)))
                .with("start", start.name.clone())
                .with("end", end.name.clone()),
        );
    }
    // Names for both and the values agreeing, or one name and the values clearly so.
    let high = !ambiguous && ((named == 2 && in_order >= 0.9) || (named == 1 && in_order >= 0.95));
    Some(TimeChoice {
        map: TimeMap::Dates {
            start: start.name.clone(),
            end: end.name.clone(),
            unit: TimeUnit::Months,
            date_format: format,
        },
        unit: TimeUnit::Months,
        high,
        notes,
        columns: vec![start.index, end.index],
    })
}

/// Share of rows with both dates where `a` is not after `b` (1 when none).
fn share_in_order(table: &RawTable, a: usize, b: usize, format: DateFormat) -> f64 {
    let rows = table.n_rows().min(super::columns::SCAN_ROWS);
    let (mut both, mut ordered) = (0usize, 0usize);
    for r in 0..rows {
        if let (Some(x), Some(y)) = (
            day_of(table.cell(a, r), format),
            day_of(table.cell(b, r), format),
        ) {
            both += 1;
            ordered += usize::from(x <= y);
        }
    }
    if both == 0 {
        1.0
    } else {
        ordered as f64 / both as f64
    }
}
