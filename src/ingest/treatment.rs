//! The local-treatment time of each used row (CONTRACT.md "Immortal time"): from a
//! duration column on the follow-up clock, or from a date column together with the
//! start date of the follow-up time.
//!
//! Validation: an empty (missing) cell means "never treated locally"; a reference-group
//! row with a time, a treated row without one, u < 0 or u ≥ the row's follow-up time are
//! input errors naming the column and the file line.

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
    fn column(&self) -> &str {
        match self {
            TreatmentSource::Duration { column } | TreatmentSource::Date { column, .. } => column,
        }
    }
}

/// u per used row of `cohort` (`None` = never treated locally), validated against the
/// group (`reference` = the untreated group's code) and the follow-up time.
pub fn treatment_times(
    table: &RawTable,
    cohort: &Cohort,
    source: &TreatmentSource,
    missing: &[String],
    reference: u32,
) -> Result<Vec<Option<f64>>, IngestError> {
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
    let is_missing = |cell: &str| missing.is_missing(cell);
    let mut out = Vec::with_capacity(cohort.time.len());
    for (i, &line) in cohort.line.iter().enumerate() {
        let Some(&r) = row_of.get(&line) else {
            out.push(None);
            continue;
        };
        let cell = table.cell(col, r).trim();
        let bad = |problem: &str| IngestError::BadTreatmentTime {
            column: source.column().to_string(),
            line,
            value: cell.to_string(),
            problem: problem.to_string(),
        };
        let treated = cohort.group.get(i).is_some_and(|&g| g != reference);
        if is_missing(cell) {
            if treated {
                return Err(bad("is missing for a patient of a treated group"));
            }
            out.push(None);
            continue;
        }
        if !treated {
            return Err(bad(
                "is given for a patient of the reference group, which has no local treatment",
            ));
        }
        let u = match (source, start_col) {
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
        };
        if u < 0.0 {
            return Err(bad("is before time zero"));
        }
        if u >= cohort.time[i] {
            return Err(bad(&format!(
                "is not before the end of follow-up ({}); a treatment must begin during follow-up",
                cohort.time[i]
            )));
        }
        out.push(Some(u));
    }
    Ok(out)
}
