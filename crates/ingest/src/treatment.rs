//! The local-treatment time of each used row (the "Immortal time" rules): from a
//! duration column on the follow-up clock, or from a date column together with the
//! start date of the follow-up time.
//!
//! An empty (missing) cell means "never treated locally". A treatment time that does
//! not fit the row does not stop the analysis: the row is left out of the immortal-time
//! sections only (landmark, time-dependent), with one of three reasons —
//!
//! | row | reason |
//! |---|---|
//! | treated group, no treatment time | `missing_treatment_time` |
//! | reference group, a treatment time | `treatment_time_in_reference` |
//! | u < 0 or u ≥ the row's follow-up time | `treatment_time_out_of_range` |
//!
//! A cell that is not a number (or not a date) is still an input error naming the
//! column and line: it is a typing error to correct, not a patient to leave out.

use super::cohort::{read_date_cell, read_number, unknown_column};
use super::mapping::{Cohort, DateFormat, TimeUnit};
use super::{IngestError, RawTable};
use std::collections::HashMap;

/// Where the treatment time is read.
#[derive(Debug, Clone, PartialEq)]
pub enum TreatmentSource {
    /// A duration column in the analysis unit, from time zero.
    Duration { column: String },
    /// A date column; u = (date − start date) in `unit`.
    Date {
        column: String,
        start: String,
        unit: TimeUnit,
        format: DateFormat,
    },
}

impl TreatmentSource {
    /// The column holding the treatment time or date.
    pub fn column(&self) -> &str {
        match self {
            TreatmentSource::Duration { column } | TreatmentSource::Date { column, .. } => column,
        }
    }
}

/// Why a row's treatment time does not fit it (the row leaves the immortal-time
/// sections only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Misfit {
    /// A row of a treated group without a treatment time.
    MissingTreatmentTime,
    /// A reference-group row (no local treatment) with a treatment time.
    TreatmentTimeInReference,
    /// u < 0 or u ≥ the row's follow-up time.
    TreatmentTimeOutOfRange,
}

impl Misfit {
    /// Every reason, in the order of the results' `excluded_by_reason`.
    pub const ALL: [Misfit; 3] = [
        Misfit::MissingTreatmentTime,
        Misfit::TreatmentTimeInReference,
        Misfit::TreatmentTimeOutOfRange,
    ];

    /// The stable snake_case reason of the results.
    pub fn code(self) -> &'static str {
        match self {
            Misfit::MissingTreatmentTime => "missing_treatment_time",
            Misfit::TreatmentTimeInReference => "treatment_time_in_reference",
            Misfit::TreatmentTimeOutOfRange => "treatment_time_out_of_range",
        }
    }
}

/// One row whose treatment time does not fit.
#[derive(Debug, Clone, PartialEq)]
pub struct MisfitRow {
    /// Index of the row in the cohort.
    pub row: usize,
    /// Its line in the file (header = line 1).
    pub line: u64,
    pub reason: Misfit,
}

/// The treatment times of the cohort's rows and the rows they do not fit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TreatmentTimes {
    /// u per cohort row (`None` = never treated locally, or a misfit row).
    pub u: Vec<Option<f64>>,
    /// Rows left out of the immortal-time sections, in cohort order.
    pub misfits: Vec<MisfitRow>,
}

impl TreatmentTimes {
    /// Every row fits: `u` as given (for callers that built the times themselves).
    pub fn fitting(u: Vec<Option<f64>>) -> Self {
        TreatmentTimes {
            u,
            misfits: Vec::new(),
        }
    }
}

/// The reason a treatment time `u` (None = empty cell) does not fit a row, if any.
pub fn misfit(u: Option<f64>, treated: bool, follow_up: f64) -> Option<Misfit> {
    match (u, treated) {
        (None, true) => Some(Misfit::MissingTreatmentTime),
        (None, false) => None,
        (Some(_), false) => Some(Misfit::TreatmentTimeInReference),
        (Some(u), true) if u < 0.0 || u >= follow_up => Some(Misfit::TreatmentTimeOutOfRange),
        (Some(_), true) => None,
    }
}

/// u per used row of `cohort`, checked against the group (`reference` = the untreated
/// group's code) and the follow-up time: rows that do not fit are listed, not fatal.
pub fn treatment_times(
    table: &RawTable,
    cohort: &Cohort,
    source: &TreatmentSource,
    missing: &[String],
    reference: u32,
) -> Result<TreatmentTimes, IngestError> {
    let col = table
        .column_index(source.column().trim())
        .ok_or_else(|| unknown_column(table, source.column()))?;
    let start_col = match source {
        TreatmentSource::Date { start, .. } => Some(
            table
                .column_index(start.trim())
                .ok_or_else(|| unknown_column(table, start))?,
        ),
        TreatmentSource::Duration { .. } => None,
    };
    let row_of: HashMap<u64, usize> = (0..table.n_rows()).map(|r| (table.line(r), r)).collect();
    let missing = super::missing::MissingTokens::new(missing);
    let mut out = TreatmentTimes::default();
    out.u.reserve(cohort.time.len());
    for (i, &line) in cohort.line.iter().enumerate() {
        let Some(&r) = row_of.get(&line) else {
            out.u.push(None);
            continue;
        };
        let cell = table.cell(col, r).trim();
        let u = if missing.is_missing(cell) {
            None
        } else {
            Some(match (source, start_col) {
                (
                    TreatmentSource::Date {
                        unit,
                        format,
                        start,
                        ..
                    },
                    Some(sc),
                ) => {
                    let d = read_date_cell(cell, source.column(), line, *format)?;
                    let s = read_date_cell(table.cell(sc, r), start, line, *format)?;
                    (d - s) as f64 / unit.days()
                }
                _ => read_number(cell, source.column(), line, table.decimal_comma())?,
            })
        };
        let treated = cohort.group.get(i).is_some_and(|&g| g != reference);
        match misfit(u, treated, cohort.time[i]) {
            Some(reason) => {
                out.misfits.push(MisfitRow {
                    row: i,
                    line,
                    reason,
                });
                out.u.push(None);
            }
            None => out.u.push(u),
        }
    }
    Ok(out)
}
