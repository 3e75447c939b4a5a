//! Counting-process survival data: rows (start, stop] with an event flag at stop, as R's
//! `Surv(start, stop, event)`. Used for delayed entry (left truncation) and for
//! time-dependent covariates (a patient split into several intervals).
//!
//! # Formula
//! A row is at risk at time t iff start < t ≤ stop (entry at t is not at risk at t; exit
//! at t is). The weighted number at risk at t is n(t) = Σ w_i 1{start_i < t ≤ stop_i}.
//!
//! # References
//! Andersen, P. K. & Gill, R. D. (1982). Cox's regression model for counting processes:
//! a large sample study. *Ann. Statist.* 10, 1100–1120.
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §3.7 and §5.
//!
//! # R equivalent
//! `Surv(start, stop, event)`; `survival:::aeqSurv` on it pools start and stop times.

use super::surv::timefix;

/// Counting-process rows. Slices have one entry per row (weight, stratum and id
/// optional); rows may come in any order.
#[derive(Debug, Clone, Copy)]
pub struct CountingData<'a> {
    /// Start of each interval (entry), exclusive.
    pub start: &'a [f64],
    /// End of each interval (exit), inclusive: the event, when there is one, is at stop.
    pub stop: &'a [f64],
    pub event: &'a [bool],
    /// Case weights; `None` = all 1.
    pub weight: Option<&'a [f64]>,
    /// Stratum codes; `None` = one stratum.
    pub stratum: Option<&'a [u32]>,
    /// Patient (cluster) codes: rows of one patient share a code.
    pub id: Option<&'a [u32]>,
}

impl CountingData<'_> {
    /// Number of rows.
    pub fn n(&self) -> usize {
        self.stop.len()
    }
}

/// R's near-tie rule on (start, stop] data: start and stop times are pooled, so an
/// entry and an exit that differ only by rounding become the same time.
///
/// # R equivalent
/// `survival:::aeqSurv(Surv(start, stop, event))`.
pub fn timefix_counting(start: &mut [f64], stop: &mut [f64]) {
    let n = start.len();
    let mut pooled: Vec<f64> = start.iter().chain(stop.iter()).copied().collect();
    timefix(&mut pooled);
    start.copy_from_slice(&pooled[..n]);
    stop.copy_from_slice(&pooled[n..]);
}

/// Weighted number at risk at t: Σ w_i over rows with start_i < t ≤ stop_i.
pub fn at_risk(start: &[f64], stop: &[f64], weight: Option<&[f64]>, t: f64) -> f64 {
    (0..start.len().min(stop.len()))
        .filter(|&i| start[i] < t && t <= stop[i])
        .map(|i| weight.and_then(|w| w.get(i)).copied().unwrap_or(1.0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_risk_excludes_entry_includes_exit() {
        let start = [0.0, 2.0, 5.0];
        let stop = [2.0, 6.0, 9.0];
        assert_eq!(at_risk(&start, &stop, None, 2.0), 1.0);
        assert_eq!(at_risk(&start, &stop, None, 5.0), 1.0);
        assert_eq!(at_risk(&start, &stop, None, 5.5), 2.0);
        assert_eq!(at_risk(&start, &stop, Some(&[1.0, 2.0, 3.0]), 6.0), 5.0);
    }

    #[test]
    fn pooled_timefix_ties_entry_to_exit() {
        let mut start = vec![0.0, 3.0 + 1e-12];
        let mut stop = vec![3.0, 5.0];
        timefix_counting(&mut start, &mut stop);
        assert_eq!(start[1], 3.0);
    }
}
