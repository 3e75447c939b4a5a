//! `build_cohort`: resolve columns, screen rows (other group, missing, negative
//! time), then read event, group, covariates, strata, weights and cluster of the
//! used rows, and apply timefix.
//!
//! Rules: CONTRACT.md "Spec" (every key) and "Definitions → Defaults / Input".

use super::dates::{parse_date, Date};
use super::event::{check_lists, code_events};
use super::intern::Interner;
use super::levels;
use super::mapping::{
    Cohort, ColumnMap, DateFormat, Exclusion, ExclusionReason, GroupMap, TimeMap, TimeUnit,
};
use super::missing::MissingTokens;
use super::number::{parse_number, Num};
use super::text::trim;
use super::{IngestError, RawTable};
use crate::stats::surv::timefix;

mod entry_ties;

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
    /// Every used column in the contract's order (time, event, group, covariates,
    /// strata, weights, cluster): the order in which a missing column is reported.
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
    let screened = crate::timing::stage("screen", || screen(table, map, &roles, &missing))?;
    if screened.rows.is_empty() {
        return Err(no_usable_rows(table.n_rows(), &screened.excluded));
    }
    read_used(table, map, &roles, screened)
}

/// Reads event, group, covariates, strata, weights and cluster of the used rows;
/// applies timefix to their times.
fn read_used(
    table: &RawTable,
    map: &ColumnMap,
    roles: &Roles,
    mut screened: Screened,
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
        crate::timing::stage("lines", || rows.iter().map(|&r| table.line(r)).collect());
    let used = UsedCells::new(table, &rows);
    let event = crate::timing::stage("event", || {
        code_events(used.of(roles.event), &line, &map.event)
    })?;
    let mut warnings = table.warnings.clone();
    let (group, group_labels) = match roles.group {
        Some((col, g)) => levels::group(used.of(col), g, &mut warnings)?,
        None => (vec![0; rows.len()], vec!["all".to_string()]),
    };
    let cov_stage = crate::timing::enter("covariates");
    let mut covariates = Vec::with_capacity(map.covariates.len());
    for (spec, &col) in map.covariates.iter().zip(&roles.covariates) {
        covariates.push(levels::covariate(
            used.of(col),
            &line,
            spec,
            table.decimal_comma(),
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
        event,
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

/// The cells of the used rows, column by column.
#[derive(Clone, Copy)]
struct UsedCells<'t> {
    table: &'t RawTable,
    rows: &'t [usize],
}

impl<'t> UsedCells<'t> {
    fn new(table: &'t RawTable, rows: &'t [usize]) -> Self {
        UsedCells { table, rows }
    }

    /// The cells of column `col` (trimmed), one per used row, in row order.
    fn of(&self, col: usize) -> UsedColumn<'t> {
        if self.rows.len() == self.table.n_rows() {
            // Every row is used: the column in one sequential pass.
            UsedColumn::Every(self.table.column_cells(col))
        } else {
            UsedColumn::Some {
                table: self.table,
                col,
                rows: self.rows.iter(),
            }
        }
    }
}

/// The iterator of [`UsedCells::of`].
#[derive(Clone)]
enum UsedColumn<'t> {
    /// Every row of the table is used.
    Every(super::arena::Cells<'t>),
    /// These rows.
    Some {
        table: &'t RawTable,
        col: usize,
        rows: std::slice::Iter<'t, usize>,
    },
}

impl<'t> Iterator for UsedColumn<'t> {
    type Item = &'t str;

    #[inline]
    fn next(&mut self) -> Option<&'t str> {
        match self {
            UsedColumn::Every(cells) => cells.next().map(trim),
            UsedColumn::Some { table, col, rows } => {
                rows.next().map(|&r| trim(table.cell(*col, r)))
            }
        }
    }
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
    let covariates = map
        .covariates
        .iter()
        .map(|c| find(&c.column))
        .collect::<Result<_, _>>()?;
    let strata = map
        .strata
        .iter()
        .map(|s| find(s))
        .collect::<Result<_, _>>()?;
    let weights = map.weights.as_deref().map(&mut find).transpose()?;
    let cluster = map.cluster.as_deref().map(&mut find).transpose()?;
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

/// Decides, row by row in file order, whether a row is used; reads the time of
/// rows not left out for `other_group` or `missing`.
///
/// The group and missing tests are made column by column first (one sequential pass
/// per used column, [`first_missing_column`], [`other_group_rows`]); the row loop then
/// applies the reasons in the contract's order.
fn screen(
    table: &RawTable,
    map: &ColumnMap,
    roles: &Roles,
    missing: &MissingTokens,
) -> Result<Screened, IngestError> {
    let n = table.n_rows();
    let mut out = Screened {
        rows: Vec::with_capacity(n),
        time: Vec::with_capacity(n),
        entry: matches!(roles.time, TimeCols::Entry(..)).then(Vec::new),
        excluded: Vec::new(),
    };
    let other_group = roles
        .group
        .and_then(|(col, g)| other_group_rows(table, col, g, missing));
    let first_missing = first_missing_column(table, &roles.used, missing);
    // A duration is read from its column in one sequential pass beside the rows.
    let mut durations = match roles.time {
        TimeCols::Duration(col) => Some(table.column_cells(col)),
        _ => None,
    };
    for (r, &first_missing) in first_missing.iter().enumerate() {
        let duration = durations.as_mut().and_then(|d| d.next());
        let exclude = |column: &str, reason| Exclusion {
            line: table.line(r),
            column: column.to_string(),
            reason,
        };
        if let (Some(other), Some((_, g))) = (&other_group, roles.group) {
            if other.get(r).copied().unwrap_or(false) {
                out.excluded
                    .push(exclude(&g.column, ExclusionReason::OtherGroup));
                continue;
            }
        }
        if let Some((name, _)) = roles.used.get(first_missing as usize) {
            out.excluded.push(exclude(name, ExclusionReason::Missing));
            continue;
        }
        let t = match (duration, &map.time) {
            (Some(cell), TimeMap::Duration { column }) => {
                read_number(cell, column, table.line(r), table.decimal_comma())?
            }
            _ => read_time(table, map, &roles.time, r)?,
        };
        if t < 0.0 {
            out.excluded
                .push(exclude(time_column(map), ExclusionReason::NegativeTime));
            continue;
        }
        if let (TimeCols::Entry(col, _), TimeMap::Entry { entry, column }) =
            (&roles.time, &map.time)
        {
            let e = read_number(
                table.cell(*col, r),
                entry,
                table.line(r),
                table.decimal_comma(),
            )?;
            if t <= e {
                out.excluded
                    .push(exclude(column, ExclusionReason::EntryNotBeforeExit));
                continue;
            }
            if let Some(v) = out.entry.as_mut() {
                v.push(e);
            }
        }
        out.rows.push(r);
        out.time.push(t);
    }
    Ok(out)
}

/// For each row, the position in `used` of the first column whose cell is missing;
/// `u32::MAX` (no such position) when none is.
fn first_missing_column(
    table: &RawTable,
    used: &[(&str, usize)],
    missing: &MissingTokens,
) -> Vec<u32> {
    let mut first = vec![u32::MAX; table.n_rows()];
    // Last column first, each overwriting: the first missing column is written last.
    for (k, &(_, col)) in used.iter().enumerate().rev() {
        for (slot, cell) in first.iter_mut().zip(table.column_bytes(col)) {
            if missing.is_missing_bytes(cell) {
                *slot = k as u32;
            }
        }
    }
    first
}

/// Which rows hold a (non-missing) group value outside the requested levels; `None`
/// when no row does. Decided once per distinct value.
fn other_group_rows(
    table: &RawTable,
    col: usize,
    g: &GroupMap,
    missing: &MissingTokens,
) -> Option<Vec<bool>> {
    // Without `levels` every group value is a group.
    g.levels.as_ref()?;
    let (distinct, codes) = Interner::of(table.column_cells(col).map(trim));
    let other: Vec<bool> = distinct
        .values
        .iter()
        .map(|v| !missing.is_missing(v) && !levels::in_levels(v, g))
        .collect();
    if !other.contains(&true) {
        return None;
    }
    Some(
        codes
            .iter()
            .map(|&c| other.get(c as usize).copied().unwrap_or(false))
            .collect(),
    )
}

/// The column named for a negative time: the duration, or the end date.
fn time_column(map: &ColumnMap) -> &str {
    match &map.time {
        TimeMap::Duration { column } | TimeMap::Entry { column, .. } => column,
        TimeMap::Dates { end, .. } => end,
    }
}

/// Follow-up time of row `r` in the analysis unit (dates: days / unit days).
fn read_time(
    table: &RawTable,
    map: &ColumnMap,
    cols: &TimeCols,
    r: usize,
) -> Result<f64, IngestError> {
    match (cols, &map.time) {
        (TimeCols::Duration(col), TimeMap::Duration { column })
        | (TimeCols::Entry(_, col), TimeMap::Entry { column, .. }) => read_number(
            table.cell(*col, r),
            column,
            table.line(r),
            table.decimal_comma(),
        ),
        (
            TimeCols::Dates {
                start,
                end,
                unit,
                format,
            },
            TimeMap::Dates {
                start: s_name,
                end: e_name,
                ..
            },
        ) => {
            let s = read_date_cell(table.cell(*start, r), s_name, table.line(r), *format)?;
            let e = read_date_cell(table.cell(*end, r), e_name, table.line(r), *format)?;
            Ok((e - s) as f64 / unit.days())
        }
        // `resolve` builds `cols` from `map.time`, so the kinds always agree.
        _ => Ok(f64::NAN),
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
