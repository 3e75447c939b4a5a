//! Cut points suggested for `cox.periods` (the page offers hazard ratios by period where
//! the proportional-hazards test flags a group term): the tertiles of the observed event
//! times, so that each period holds about a third of the events.
//!
//! # Rule
//! R: `quantile(time[event == 1], c(1, 2) / 3, type = 7)`
//! ([`crate::stats::weights::quantile_type7`]), each rounded to one decimal of the time
//! unit; repeated or non-positive values dropped; none with fewer than 3 events.

use serde::Serialize;

/// `{"cuts": [..], "n_events": n}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedPeriods {
    /// Increasing cut points, in the time unit.
    pub cuts: Vec<f64>,
    /// The events whose times were used.
    pub n_events: usize,
}

/// The tertiles of the times of rows with an event (see the module's rule).
pub fn event_time_tertiles(time: &[f64], event: &[bool]) -> SuggestedPeriods {
    let mut times: Vec<f64> = time
        .iter()
        .zip(event)
        .filter(|&(t, &e)| e && t.is_finite())
        .map(|(&t, _)| t)
        .collect();
    times.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = Vec::new();
    if times.len() >= 3 {
        for p in [1.0 / 3.0, 2.0 / 3.0] {
            let q = (crate::stats::weights::quantile_type7(&times, p) * 10.0).round() / 10.0;
            if q > 0.0 && cuts.last().is_none_or(|&c| q > c) {
                cuts.push(q);
            }
        }
    }
    SuggestedPeriods {
        cuts,
        n_events: times.len(),
    }
}

/// [`event_time_tertiles`] of the file `data` under `spec_json`'s time, event and group
/// (the rows the survival data use; covariates do not restrict them).
pub fn suggest_periods(data: &[u8], spec_json: &str) -> Result<SuggestedPeriods, crate::Error> {
    let spec = crate::analysis::Spec::from_json(spec_json)?;
    let map = spec.column_map()?;
    let table = crate::ingest::read_table_sheet(data, spec.sheet.as_deref())?;
    let cohort = crate::ingest::build_cohort(&table, &map)?;
    Ok(event_time_tertiles(&cohort.time, &cohort.event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tertiles_of_event_times_as_r_type_7() {
        // Event times 1..=10 (censored rows at 100 ignored): R quantile(1:10, c(1,2)/3)
        // = 4, 7 (h = 9p: 3 and 6, 0-based, exact).
        let mut time: Vec<f64> = (1..=10).map(f64::from).collect();
        let mut event = vec![true; 10];
        time.push(100.0);
        event.push(false);
        let s = event_time_tertiles(&time, &event);
        assert_eq!(s.cuts, vec![4.0, 7.0]);
        assert_eq!(s.n_events, 10);
        // 1, 2, 4, 8: h = 1 and 2 → 2, 4 exactly; 1, 2, 3, 5: h = 1 → 2, h = 2 → 3.
        let s = event_time_tertiles(&[1.0, 2.0, 4.0, 8.0], &[true; 4]);
        assert_eq!(s.cuts, vec![2.0, 4.0]);
        // Interpolated: 1, 2, 3, 4, 6 → h = 4/3: 2 + (1/3)(1) = 2.33 → 2.3; h = 8/3: 3 + (2/3)(1) = 3.67 → 3.7.
        let s = event_time_tertiles(&[1.0, 2.0, 3.0, 4.0, 6.0], &[true; 5]);
        assert_eq!(s.cuts, vec![2.3, 3.7]);
    }

    #[test]
    fn too_few_or_tied_events() {
        assert!(event_time_tertiles(&[1.0, 2.0], &[true, true])
            .cuts
            .is_empty());
        assert_eq!(
            event_time_tertiles(&[5.0, 5.0, 5.0], &[true; 3]).cuts,
            vec![5.0]
        );
    }
}
