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

/// R's near-tie rule on (start, stop] data, leaving out the rows it empties.
///
/// After [`timefix_counting`] an exit within the tolerance of its entry (t = 1e-300
/// from entry 0) equals it: the interval (start, start] has no time at risk, and the
/// risk-set code would remove the row before adding it. R refuses the whole data set
/// ("aeqSurv exception, an interval has effective length 0"); here such rows are left
/// out and the rule is applied again to the raw times of the remaining rows (removing
/// values changes the pooled scale), until no interval is empty. Each pass removes at
/// least one row, so this ends. Returns the positions (ascending) of the rows left out;
/// `start` and `stop` keep the remaining rows, in order, time-fixed.
///
/// # R equivalent
/// `aeqSurv(Surv(start, stop, event))` on the data without the returned rows (which
/// then has no interval of length 0).
pub fn timefix_counting_dropping_empty(start: &mut Vec<f64>, stop: &mut Vec<f64>) -> Vec<usize> {
    let (raw_start, raw_stop) = (start.clone(), stop.clone());
    let mut kept: Vec<usize> = (0..raw_start.len().min(raw_stop.len())).collect();
    loop {
        *start = kept.iter().map(|&i| raw_start[i]).collect();
        *stop = kept.iter().map(|&i| raw_stop[i]).collect();
        timefix_counting(start, stop);
        let empty = |k: &usize| stop[*k] <= start[*k];
        if !(0..kept.len()).any(|k| empty(&k)) {
            break;
        }
        let mut k = 0..kept.len();
        kept.retain(|_| k.next().is_some_and(|k| !empty(&k)));
    }
    let mut is_kept = vec![false; raw_start.len().min(raw_stop.len())];
    kept.iter().for_each(|&i| is_kept[i] = true);
    (0..is_kept.len()).filter(|&i| !is_kept[i]).collect()
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

    #[test]
    fn dropping_empty_leaves_out_intervals_the_tie_rule_empties() {
        let mut start = vec![0.0, 0.0, 1.0, 0.5];
        let mut stop = vec![1e-300, 2.0, 3.0, 5.0];
        let out = timefix_counting_dropping_empty(&mut start, &mut stop);
        assert_eq!(out, vec![0]);
        assert_eq!((start, stop), (vec![0.0, 1.0, 0.5], vec![2.0, 3.0, 5.0]));
        // Nothing to leave out: the same as timefix_counting.
        let (mut s1, mut t1) = (vec![0.0, 3.0 + 1e-12], vec![3.0, 5.0]);
        let (mut s2, mut t2) = (s1.clone(), t1.clone());
        assert!(timefix_counting_dropping_empty(&mut s1, &mut t1).is_empty());
        timefix_counting(&mut s2, &mut t2);
        assert_eq!((s1, t1), (s2, t2));
    }
}
