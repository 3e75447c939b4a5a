//! Delayed entry under R's near-tie rule: rows whose exit the rule makes equal to their
//! entry (e.g. exit 1e-300, entry 0) have no time at risk and are left out.

use super::{time_column, Screened};
use crate::mapping::{ColumnMap, Exclusion, ExclusionReason};
use crate::RawTable;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::counting::timefix_counting_dropping_empty;

/// Lines listed in the warning's context (the exclusions list has them all).
const LINES_SHOWN: usize = 20;

/// Applies the near-tie rule to (entry, exit] of the screened rows; rows it empties
/// leave with reason `entry_not_before_exit` (the exit column, file order kept) and one
/// warning `entry_tied_to_exit` says why.
///
/// # R equivalent
/// `aeqSurv(Surv(entry, exit, event))`, which stops with "an interval has effective
/// length 0" on such rows; R's numbers are those of the data without them.
pub(super) fn timefix_entry(
    table: &RawTable,
    map: &ColumnMap,
    s: &mut Screened,
) -> Option<Warning> {
    let entry = s.entry.as_mut()?;
    let gone = timefix_counting_dropping_empty(entry, &mut s.time);
    if gone.is_empty() {
        return None;
    }
    let column = time_column(map);
    let lines: Vec<u64> = gone.iter().map(|&k| table.line(s.rows[k])).collect();
    let mut keep = vec![true; s.rows.len()];
    for &k in &gone {
        if let Some(slot) = keep.get_mut(k) {
            *slot = false;
        }
    }
    let mut k = keep.iter();
    s.rows.retain(|_| k.next().copied().unwrap_or(true));
    s.excluded.extend(lines.iter().map(|&line| Exclusion {
        line,
        column: column.to_string(),
        reason: ExclusionReason::EntryNotBeforeExit,
    }));
    s.excluded.sort_by_key(|e| e.line);
    Some(warning(column, &lines))
}

fn warning(column: &str, lines: &[u64]) -> Warning {
    let first = lines.first().copied().unwrap_or(0);
    Warning::new(
        WarningCode::EntryTiedToExit,
        format!(
            "{} row(s) have an exit in \"{column}\" that differs from the entry only by \
             rounding (R's near-tie rule makes them equal, first at line {first}), so they \
             have no time at risk; they were left out (R's coxph refuses such data). Check \
             the entry and exit on those lines.",
            lines.len()
        ),
    )
    .with("column", column)
    .with("n", lines.len())
    .with(
        "lines",
        lines
            .iter()
            .take(LINES_SHOWN)
            .copied()
            .collect::<Vec<u64>>(),
    )
}
