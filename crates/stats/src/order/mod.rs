//! The one sort of SurvLens: every estimator that walks rows in time order gets its order
//! here.
//!
//! One order, three refinements of it, all stable (equal keys keep their row order) and
//! all comparing times by [`f64::total_cmp`] (−NaN < −∞ < … < −0 < +0 < … < +∞ < NaN)
//! through the integer key [`total_order_key`]:
//!
//! * [`time_order`]: rows by (stratum, time) — by time alone without strata. Kaplan–Meier,
//!   the log-rank test, concordance and the PH test read it.
//! * [`risk_order`]: the same, with the deaths first within a tied time of a stratum: the
//!   order the Cox fit's Newton iterations read fastest. [`fit_order`] keeps rows that
//!   already come in (stratum, time) order as they are.
//! * [`TimeOrder`] (module `by_time`): the time order in O(n) (a counting sort over the
//!   distinct times, or an LSD radix sort), with the sorted times and the means to put
//!   other columns in that order; the analysis's time-sorted cohort is built on it.
//! * [`ModelRows`] (module `model_rows`): [`risk_order`] of the rows a Cox model keeps,
//!   computed on the counting sort's positions, with [`Rows`] to scatter or gather every
//!   column of the cohort into it.
//!
//! Each refinement is tested to give exactly the order of the plain stable comparison
//! sort of its key (the tests of this module, tests/stats/time_order.rs, tests/stats/shared_order.rs,
//! tests/analysis/cox_rows.rs).
//!
//! # References
//! Knuth, D. E. (1998). *The Art of Computer Programming*, vol. 3, 2nd ed., §5.2
//! (distribution counting) and §5.2.5 (radix sorting).
//!
//! # R equivalent
//! `order(time)`, `order(strata, time)` and `order(strata, time, -status)` (R's `order` is
//! stable; the last is how `coxph.fit` sorts its rows).

mod by_time;
mod model_rows;

pub use by_time::{Placement, TimeOrder};
pub use model_rows::{ModelRows, Rows};

/// An integer that orders as [`f64::total_cmp`] orders the doubles (−NaN < −∞ < … <
/// −0 < +0 < … < +∞ < NaN): the sign-magnitude bits turned into two's complement.
#[inline]
pub fn total_order_key(t: f64) -> i64 {
    let b = t.to_bits() as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// Rows sorted by (stratum, time) ascending, stable; without strata (or with a stratum
/// slice shorter than `time`), by time alone.
///
/// Rows that already come in order give the identity, found in one pass. By time alone
/// the sort is [`TimeOrder`]'s O(n) one; with strata a comparison sort of (stratum, time
/// key, row).
///
/// # R equivalent
/// `order(strata, time)`; `order(time)` without strata.
pub fn time_order(time: &[f64], stratum: Option<&[u32]>) -> Vec<usize> {
    let stratum = stratum.filter(|s| s.len() >= time.len());
    if is_sorted(time, stratum) {
        // The Cox section's rows come sorted: their stable sort is the identity, found
        // in one pass instead of a sort of a million keys.
        return (0..time.len()).collect();
    }
    match stratum {
        Some(s) => {
            // (stratum, time key, row), unstable: the row breaks ties, so it is stable.
            let mut keyed: Vec<(u32, i64, usize)> = time
                .iter()
                .zip(s)
                .enumerate()
                .map(|(i, (&t, &st))| (st, total_order_key(t), i))
                .collect();
            keyed.sort_unstable();
            // Collected in place (the triples' buffer is reused): give back the rest.
            let mut order: Vec<usize> = keyed.into_iter().map(|(_, _, i)| i).collect();
            order.shrink_to_fit();
            order
        }
        None => TimeOrder::order_only(time),
    }
}

/// The order of a Cox fit's rows: rows that already come in (stratum, time) order are
/// kept as they are (the identity: nothing is copied, whatever the order within tied
/// times), others are sorted by [`risk_order`]. Concordance and zph given no order
/// recompute this one, so they see the rows as the fit did.
pub fn fit_order(time: &[f64], event: &[bool], stratum: Option<&[u32]>) -> Vec<usize> {
    let stratum = stratum.filter(|s| s.len() >= time.len());
    if is_sorted(time, stratum) {
        return (0..time.len()).collect();
    }
    risk_order(time, event, stratum)
}

/// [`time_order`] with, within each tied time of a stratum, the deaths first (each
/// part in its input order): the order the Newton evaluations read fastest (two runs of
/// equal status per time, see `stats::cox::riskset`). Still a (stratum, time) order; the
/// rows of a Cox model are exchangeable within a time, so only the rounding of the sums
/// depends on it. The Cox section sorts its rows by it ([`ModelRows`]).
///
/// # R equivalent
/// `order(strata, time, -status)`
pub fn risk_order(time: &[f64], event: &[bool], stratum: Option<&[u32]>) -> Vec<usize> {
    let mut order = time_order(time, stratum);
    if event.len() != time.len() {
        return order;
    }
    let stratum = stratum.filter(|s| s.len() >= time.len());
    let mut censored = Vec::new();
    let mut lo = 0;
    while lo < order.len() {
        let first = order[lo];
        // Ties as the sort sees them (−0 and +0 are different times there).
        let key = |i: usize| total_order_key(time[i]);
        let (t, s) = (key(first), stratum.map_or(0, |s| s[first]));
        let mut hi = lo + 1;
        // Whether a death follows a censored row within the tie (then partition).
        let (mut seen_censored, mut misplaced) = (!event[first], false);
        while hi < order.len() {
            let i = order[hi];
            if key(i) != t || stratum.is_some_and(|st| st[i] != s) {
                break;
            }
            misplaced |= seen_censored & event[i];
            seen_censored |= !event[i];
            hi += 1;
        }
        if misplaced {
            deaths_first_in(&mut order[lo..hi], event, &mut censored);
        }
        lo = hi;
    }
    order
}

/// The rows of one tie, deaths first, each part in its order (`censored`: scratch).
fn deaths_first_in(tie: &mut [usize], event: &[bool], censored: &mut Vec<usize>) {
    censored.clear();
    censored.extend(tie.iter().copied().filter(|&i| !event[i]));
    let mut k = 0;
    for idx in 0..tie.len() {
        if event[tie[idx]] {
            tie[k] = tie[idx];
            k += 1;
        }
    }
    tie[k..].copy_from_slice(censored);
}

/// Whether the rows are already in (stratum, time) order (times by `f64::total_cmp`).
fn is_sorted(time: &[f64], stratum: Option<&[u32]>) -> bool {
    let key = |k: usize| (stratum.map_or(0, |s| s[k]), total_order_key(time[k]));
    (1..time.len()).all(|k| key(k - 1) <= key(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_key_orders_as_total_cmp() {
        let v = [
            f64::NAN,
            -f64::NAN,
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            2.5,
            1e300,
            f64::INFINITY,
        ];
        for a in v {
            for b in v {
                assert_eq!(
                    total_order_key(a).cmp(&total_order_key(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn time_order_is_the_stable_sort() {
        let t: [f64; 8] = [3.0, 1.0, 3.0, -0.0, 0.0, 1.0, 2.0, 1.0];
        let mut want: Vec<usize> = (0..t.len()).collect();
        want.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
        assert_eq!(time_order(&t, None), want);
        assert_eq!(time_order(&t, None), vec![3, 4, 1, 5, 7, 6, 0, 2]);
        // Strata first: rows 0, 2 (stratum 0) then the rest of stratum 1 by time.
        let s = [0, 1, 0, 1, 1, 1, 1, 1];
        assert_eq!(time_order(&t, Some(&s)), vec![0, 2, 3, 4, 1, 5, 7, 6]);
    }

    #[test]
    fn risk_order_puts_the_deaths_first_within_a_tie() {
        // Time 1 is tied in rows 1, 5, 7; row 5 is the only death: it moves first.
        let t: [f64; 8] = [3.0, 1.0, 3.0, -0.0, 0.0, 1.0, 2.0, 1.0];
        let e = [false, false, true, false, false, true, false, false];
        assert_eq!(risk_order(&t, &e, None), vec![3, 4, 5, 1, 7, 6, 2, 0]);
        // Already in (stratum, time) order: the fit keeps the rows as they are.
        let sorted = [1.0, 1.0, 2.0];
        let identity = vec![0, 1, 2];
        assert_eq!(fit_order(&sorted, &[false, true, true], None), identity);
        assert_eq!(risk_order(&sorted, &[false, true, true], None), [1, 0, 2]);
    }
}
