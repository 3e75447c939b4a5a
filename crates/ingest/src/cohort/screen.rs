//! Screening (docs/spec.md#input-rules): which rows are used, and why each
//! other row is left out — `other_group`, `missing`, `negative_time`,
//! `entry_not_before_exit`, the first that applies, in this order.

use super::{read_date_cell, read_number, Roles, Screened, TimeCols};
use crate::intern::Interner;
use crate::levels;
use crate::mapping::{ColumnMap, Exclusion, ExclusionReason, GroupMap, TimeMap};
use crate::missing::MissingTokens;
use crate::text::trim;
use crate::{IngestError, RawTable};

/// Decides, row by row in file order, whether a row is used; reads the time of
/// rows not left out for `other_group` or `missing`.
///
/// The group and missing tests are made column by column first (one sequential pass
/// per used column, [`first_missing_column`], [`other_group_rows`]); the row loop then
/// applies the reasons in the contract's order.
pub(super) fn screen(
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
    for (r, &first_missing) in first_missing.iter().enumerate() {
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
        let t = read_time(table, map, &roles.time, r)?;
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
pub(super) fn time_column(map: &ColumnMap) -> &str {
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
