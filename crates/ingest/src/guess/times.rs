//! Suggested Kaplan–Meier times and RMST τ from the follow-up of the mapped data.
//!
//! Rule: round times of the unit — months 1, 3, 6, 12, 24, 36, 60, 120, 180, 240;
//! years ½, 1, 2, 3, 5, 10, 15, 20; days 30, 90, 180, 365, 730, 1095, 1825, 3650, …;
//! weeks 4, 13, 26, 52, 104, 156, 260, 520 — keeping the (at most four) largest that
//! are not later than the shortest group's last follow-up, i.e. the largest time
//! every curve reaches (a survival probability past a curve's last time does not
//! exist: R's `summary(fit, times)` leaves such times out). τ is the largest of
//! them, so every group's RMST is computed within its own follow-up (R:
//! `survival:::survmean(fit, rmean = tau)`, `print(fit, rmean = tau)`).

use super::units::{unit_from_magnitude, unit_from_name};
use crate::mapping::default_missing_tokens;
use crate::{build_cohort, Cohort, ColumnMap, EventMap, IngestError, RawTable, TimeMap, TimeUnit};
use serde::Serialize;

/// At most this many KM times are suggested.
const MAX_TIMES: usize = 4;

/// The suggestion: `{"times": [..], "tau": x|null, "max_follow_up": y|null}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedTimes {
    /// Round times in the unit, increasing.
    pub times: Vec<f64>,
    /// The largest of `times` (`null` when none fits).
    pub tau: Option<f64>,
    /// The largest time every curve reaches: the shortest group's last follow-up
    /// (`null` without rows).
    pub max_follow_up: Option<f64>,
}

/// The round times of a unit, increasing.
fn ladder(unit: TimeUnit) -> &'static [f64] {
    match unit {
        TimeUnit::Days => &[
            30.0, 90.0, 180.0, 365.0, 730.0, 1095.0, 1825.0, 3650.0, 5475.0, 7300.0,
        ],
        TimeUnit::Weeks => &[4.0, 13.0, 26.0, 52.0, 104.0, 156.0, 260.0, 520.0],
        TimeUnit::Months => &[1.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0, 180.0, 240.0],
        TimeUnit::Years => &[0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0],
    }
}

/// The suggestion for follow-up times grouped as `group` (any codes; one group when
/// all equal), in `unit`.
pub fn suggest_times(time: &[f64], group: &[u32], unit: TimeUnit) -> SuggestedTimes {
    let mut last: Vec<(u32, f64)> = Vec::new();
    for (i, &t) in time.iter().enumerate() {
        let g = group.get(i).copied().unwrap_or(0);
        match last.iter_mut().find(|(k, _)| *k == g) {
            Some((_, m)) => *m = m.max(t),
            None => last.push((g, t)),
        }
    }
    let bound = last.iter().map(|&(_, m)| m).reduce(f64::min);
    let fits: Vec<f64> = match bound {
        Some(b) => ladder(unit).iter().copied().filter(|&x| x <= b).collect(),
        None => Vec::new(),
    };
    let times = fits[fits.len().saturating_sub(MAX_TIMES)..].to_vec();
    SuggestedTimes {
        tau: times.last().copied(),
        times,
        max_follow_up: bound,
    }
}

/// [`suggest_times`] over a cohort's rows and groups.
pub fn suggest_times_for(cohort: &Cohort, unit: TimeUnit) -> SuggestedTimes {
    suggest_times(&cohort.time, &cohort.group, unit)
}

/// The suggestion on the rows of `map`'s time and group (its event only needs to
/// be readable: the follow-up does not depend on which values are events, so any
/// coding — even one still to be chosen — will do; covariates, strata and weights
/// do not restrict the rows here). The unit: two dates' `unit`; a duration's from its
/// name, else from its largest value.
pub fn suggest_times_for_map(
    table: &RawTable,
    map: &ColumnMap,
) -> Result<SuggestedTimes, IngestError> {
    let only = ColumnMap {
        time: map.time.clone(),
        event: EventMap {
            column: map.event.column.clone(),
            values: Some(Vec::new()),
            censored_values: None,
            competing_values: None,
        },
        group: map.group.clone(),
        covariates: Vec::new(),
        strata: Vec::new(),
        weights: None,
        cluster: None,
        missing: if map.missing.is_empty() {
            default_missing_tokens()
        } else {
            map.missing.clone()
        },
    };
    let cohort = build_cohort(table, &only)?;
    let unit = match &map.time {
        TimeMap::Dates { unit, .. } => *unit,
        TimeMap::Duration { column } | TimeMap::Entry { column, .. } => unit_from_name(column)
            .unwrap_or_else(|| {
                unit_from_magnitude(cohort.time.iter().copied().fold(0.0, f64::max))
            }),
    };
    Ok(suggest_times_for(&cohort, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_times_within_the_shortest_groups_follow_up() {
        // Group 0 followed to 120.4 months, group 1 to 98.6: nothing after 98.6.
        let s = suggest_times(&[5.0, 120.4, 3.0, 98.6], &[0, 0, 1, 1], TimeUnit::Months);
        assert_eq!(s.times, vec![12.0, 24.0, 36.0, 60.0]);
        assert_eq!(s.tau, Some(60.0));
        assert_eq!(s.max_follow_up, Some(98.6));
        let d = suggest_times(&[10.0, 1200.0], &[0, 0], TimeUnit::Days);
        assert_eq!(
            d.times,
            vec![90.0, 180.0, 365.0, 730.0, 1095.0][1..].to_vec()
        );
        let y = suggest_times(&[0.2, 8.1], &[], TimeUnit::Years);
        assert_eq!(y.times, vec![1.0, 2.0, 3.0, 5.0]);
        // A time exactly at the bound is reached.
        let w = suggest_times(&[52.0], &[0], TimeUnit::Weeks);
        assert_eq!(w.times, vec![4.0, 13.0, 26.0, 52.0]);
    }

    #[test]
    fn nothing_fits_short_or_empty_follow_up() {
        let s = suggest_times(&[0.5, 0.7], &[0, 1], TimeUnit::Months);
        assert!(s.times.is_empty());
        assert_eq!((s.tau, s.max_follow_up), (None, Some(0.5)));
        let e = suggest_times(&[], &[], TimeUnit::Months);
        assert_eq!((e.tau, e.max_follow_up), (None, None));
    }
}
