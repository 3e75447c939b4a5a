//! `build_cohort`: resolve columns, screen rows (other group, missing, negative
//! time), then read event, group, covariates, strata, weights and cluster of the
//! used rows, and apply timefix.
//!
//! Rules: docs/spec.md (every key, the defaults, the input rules).

use super::dates::{parse_date, Date};
use super::event::{check_lists, code_events};
use super::levels;
use super::mapping::{
    Cohort, ColumnMap, DateFormat, Exclusion, ExclusionReason, GroupMap, TimeMap, TimeUnit,
};
use super::missing::MissingTokens;
use super::number::{parse_number, Num};
use super::text::trim;
use super::{IngestError, RawTable};
use survlens_stats::surv::timefix;

mod entry_ties;
mod screen;
mod used;

use screen::{screen, time_column};
use used::UsedCells;

/// How the time is read.
enum TimeCols {
    Duration(usize),
    /// Entry column, exit column.
    Entry(usize, usize),
    Dates {
        start: usize,
        end: usize,
        unit: TimeUnit,
        format: DateFormat,
    },
}

/// Column indices of every role, resolved against the table.
pub(crate) struct Roles<'m> {
    time: TimeCols,
    pub event: usize,
    pub group: Option<(usize, &'m GroupMap)>,
    pub covariates: Vec<usize>,
    pub strata: Vec<usize>,
    pub weights: Option<usize>,
    pub cluster: Option<usize>,
    /// Every column that defines the survival data, in the contract's order (time,
    /// event, group, strata, weights, cluster): the order in which a missing column is
    /// reported. Covariates are not among them: a missing covariate leaves the row out
    /// of the models that use it only (`survlens_analysis::complete_cases`).
    used: Vec<(&'m str, usize)>,
}

/// The result of screening: the used rows (table row indices), their times, and
/// every left-out row.
struct Screened {
    rows: Vec<usize>,
    time: Vec<f64>,
    /// Entry times (delayed entry only).
    entry: Option<Vec<f64>>,
    excluded: Vec<Exclusion>,
}

/// See [`super::build_cohort`].
pub(crate) fn build(table: &RawTable, map: &ColumnMap) -> Result<Cohort, IngestError> {
    let roles = resolve(table, map)?;
    check_lists(&map.event)?;
    let missing = MissingTokens::new(&map.missing);
    let screened = survlens_timing::stage("screen", || screen(table, map, &roles, &missing))?;
    if screened.rows.is_empty() {
        return Err(no_usable_rows(table.n_rows(), &screened.excluded));
    }
    read_used(table, map, &roles, screened, &missing)
}

/// Reads event, group, covariates, strata, weights and cluster of the used rows;
/// applies timefix to their times.
fn read_used(
    table: &RawTable,
    map: &ColumnMap,
    roles: &Roles,
    mut screened: Screened,
    missing: &MissingTokens,
) -> Result<Cohort, IngestError> {
    let tied = entry_ties::timefix_entry(table, map, &mut screened);
    if screened.rows.is_empty() {
        return Err(no_usable_rows(table.n_rows(), &screened.excluded));
    }
    let Screened {
        rows,
        mut time,
        entry,
        excluded,
    } = screened;
    let line: Vec<u64> =
        survlens_timing::stage("lines", || rows.iter().map(|&r| table.line(r)).collect());
    let used = UsedCells::new(table, &rows);
    let coded = survlens_timing::stage("event", || {
        code_events(used.of(roles.event), &line, &map.event)
    })?;
    let mut warnings = table.warnings.clone();
    let (group, group_labels) = match roles.group {
        Some((col, g)) => levels::group(used.of(col), g, &mut warnings)?,
        None => (vec![0; rows.len()], vec!["all".to_string()]),
    };
    let cov_stage = survlens_timing::enter("covariates");
    let mut covariates = Vec::with_capacity(map.covariates.len());
    for (spec, &col) in map.covariates.iter().zip(&roles.covariates) {
        covariates.push(levels::covariate(
            used.of(col),
            &line,
            spec,
            table.decimal_comma(),
            missing,
        )?);
    }
    drop(cov_stage);
    let cells =
        |col: usize| -> Vec<&str> { rows.iter().map(|&r| trim(table.cell(col, r))).collect() };
    let strata_cells: Vec<Vec<&str>> = roles.strata.iter().map(|&c| cells(c)).collect();
    let (stratum, strata_labels) = levels::strata(&strata_cells, &map.strata, rows.len());
    let weight = match (roles.weights, &map.weights) {
        (Some(col), Some(name)) => Some(levels::weights(
            used.of(col),
            &line,
            name,
            table.decimal_comma(),
        )?),
        _ => None,
    };
    let cluster = roles.cluster.map(|col| levels::cluster(used.of(col)));
    warnings.extend(tied);
    if entry.is_none() {
        timefix(&mut time);
    }
    Ok(Cohort {
        n_rows: table.n_rows(),
        line,
        time,
        entry,
        event: coded.event,
        competing: coded.competing,
        group,
        group_labels,
        stratum,
        strata_labels,
        weight,
        cluster,
        covariates,
        excluded,
        warnings,
    })
}

/// Finds every named column; unknown names are errors with a case-insensitive suggestion.
fn resolve<'m>(table: &RawTable, map: &'m ColumnMap) -> Result<Roles<'m>, IngestError> {
    let mut used: Vec<(&'m str, usize)> = Vec::new();
    let mut find = |name: &'m str| -> Result<usize, IngestError> {
        let idx = table
            .column_index(name.trim())
            .ok_or_else(|| unknown_column(table, name))?;
        used.push((name, idx));
        Ok(idx)
    };
    let time = match &map.time {
        TimeMap::Duration { column } => TimeCols::Duration(find(column)?),
        TimeMap::Entry { entry, column } => {
            let e = find(entry)?;
            TimeCols::Entry(e, find(column)?)
        }
        TimeMap::Dates {
            start,
            end,
            unit,
            date_format,
        } => TimeCols::Dates {
            start: find(start)?,
            end: find(end)?,
            unit: *unit,
            format: *date_format,
        },
    };
    let event = find(&map.event.column)?;
    let group = match &map.group {
        Some(g) => {
            if g.levels.as_ref().is_some_and(|l| l.is_empty()) {
                return Err(IngestError::EmptyLevels {
                    column: g.column.clone(),
                });
            }
            Some((find(&g.column)?, g))
        }
        None => None,
    };
    let covariates: Vec<usize> = map
        .covariates
        .iter()
        .map(|c| find(&c.column))
        .collect::<Result<_, _>>()?;
    // Time (one or two columns), event and group come before the covariates.
    let first_covariate = match time {
        TimeCols::Duration(_) => 1,
        TimeCols::Entry(..) | TimeCols::Dates { .. } => 2,
    } + 1
        + usize::from(group.is_some());
    let strata = map
        .strata
        .iter()
        .map(|s| find(s))
        .collect::<Result<_, _>>()?;
    let weights = map.weights.as_deref().map(&mut find).transpose()?;
    let cluster = map.cluster.as_deref().map(&mut find).transpose()?;
    // Covariates do not define the survival data: not screened for missing cells.
    used.drain(first_covariate..first_covariate + covariates.len());
    Ok(Roles {
        time,
        event,
        group,
        covariates,
        strata,
        weights,
        cluster,
        used,
    })
}

pub(crate) fn unknown_column(table: &RawTable, name: &str) -> IngestError {
    let wanted = name.trim().to_lowercase();
    let suggestion = table
        .headers
        .iter()
        .find(|h| h.to_lowercase() == wanted)
        .cloned();
    IngestError::UnknownColumn {
        column: name.to_string(),
        available: table.headers.clone(),
        suggestion,
    }
}

/// A finite number, or `NotNumeric` / `NumberOverflow` naming column and line.
pub(crate) fn read_number(
    cell: &str,
    column: &str,
    line: u64,
    comma: bool,
) -> Result<f64, IngestError> {
    let err = |overflow: bool| {
        let (column, value) = (column.to_string(), cell.trim().to_string());
        if overflow {
            IngestError::NumberOverflow {
                column,
                line,
                value,
            }
        } else {
            IngestError::NotNumeric {
                column,
                line,
                value,
            }
        }
    };
    match parse_number(cell, comma) {
        Num::Value(v) => Ok(v),
        Num::NotNumber => Err(err(false)),
        Num::Overflow => Err(err(true)),
    }
}

pub(crate) fn read_date_cell(
    cell: &str,
    column: &str,
    line: u64,
    format: DateFormat,
) -> Result<i64, IngestError> {
    let parts = || {
        (
            column.to_string(),
            cell.trim().to_string(),
            format.describe().to_string(),
        )
    };
    match parse_date(cell, format) {
        Date::Days(d) => Ok(d),
        Date::BadForm => {
            let (column, value, format) = parts();
            Err(IngestError::BadDate {
                column,
                line,
                value,
                format,
            })
        }
        Date::Impossible => {
            let (column, value, format) = parts();
            Err(IngestError::ImpossibleDate {
                column,
                line,
                value,
                format,
            })
        }
    }
}

fn no_usable_rows(n_rows: usize, excluded: &[Exclusion]) -> IngestError {
    let count = |reason| excluded.iter().filter(|e| e.reason == reason).count();
    IngestError::NoUsableRows {
        n_rows,
        missing: count(ExclusionReason::Missing),
        other_group: count(ExclusionReason::OtherGroup),
        negative_time: count(ExclusionReason::NegativeTime)
            + count(ExclusionReason::EntryNotBeforeExit),
    }
}
