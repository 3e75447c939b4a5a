//! Kaplan–Meier on counting-process (start, stop] data: delayed entry (left truncation)
//! and split rows (Simon–Makuch curves of a time-dependent group).

use super::{greenwood, KmCurve};

/// Kaplan–Meier estimate with Greenwood variance on (start, stop] rows.
///
/// Times must be time-fixed with start and stop pooled
/// ([`crate::counting::timefix_counting`]); rows in any order; `weight` ≥ 0;
/// rows with stop ≤ start are ignored.
///
/// # Formula
/// Rows of the curve are the distinct stop times t_k. n_k = Σ w_i 1{start_i < t_k ≤
/// stop_i}; d_k = Σ w over event rows with stop = t_k; n.censor_k = Σ w over non-event
/// rows with stop = t_k — every row end counts, so a patient whose interval is split
/// (a switch of group) shows as censored at the split in the curve it leaves (R without
/// `id`). Ŝ and the Greenwood sum as [`super::kaplan_meier`]: Ŝ_k = Ŝ_{k−1}(1 − d_k/n_k)
/// where an event row with positive weight exists, G_k = Σ d/(n(n − d)).
///
/// # References
/// Simon, R. & Makuch, R. W. (1984). A non-parametric graphical representation of the
/// relationship between survival and the occurrence of an event. *Stat. Med.* 3, 35–44.
/// Klein & Moeschberger (2003), §4.6 (left truncation).
///
/// # R equivalent
/// `survfit(Surv(start, stop, event) ~ 1, weights = w, robust = FALSE)` → `time`,
/// `n.risk`, `n.event`, `n.censor`, `surv`, `std.err`.
pub fn kaplan_meier_counting(
    start: &[f64],
    stop: &[f64],
    event: &[bool],
    weight: Option<&[f64]>,
) -> KmCurve {
    let mut n = start.len().min(stop.len()).min(event.len());
    if let Some(w) = weight {
        n = n.min(w.len());
    }
    let wt = |i: usize| weight.map_or(1.0, |w| w[i]);
    // Rows with stop ≤ start (R refuses them) have no time at risk: left out, so the
    // backward pass never removes a row it has not added.
    let mut by_stop: Vec<usize> = (0..n).filter(|&i| start[i] < stop[i]).collect();
    by_stop.sort_by(|&a, &b| stop[a].total_cmp(&stop[b]));
    let mut by_start: Vec<usize> = by_stop.clone();
    by_start.sort_by(|&a, &b| start[a].total_cmp(&start[b]));
    let n = by_stop.len();
    // Backward over the distinct stop times: add rows ending at t, remove rows entering
    // at or after t.
    let mut rows: Vec<(f64, f64, f64, f64, usize)> = Vec::new(); // t, n, d, c, e
    let (mut at_risk, mut n_in) = (0.0, 0usize);
    let (mut k, mut s) = (n, n);
    while k > 0 {
        let t = stop[by_stop[k - 1]];
        let (mut d, mut c, mut e) = (0.0, 0.0, 0usize);
        while k > 0 && stop[by_stop[k - 1]] == t {
            let i = by_stop[k - 1];
            at_risk += wt(i);
            n_in += 1;
            if event[i] {
                d += wt(i);
                e += 1;
            } else {
                c += wt(i);
            }
            k -= 1;
        }
        while s > 0 && start[by_start[s - 1]] >= t {
            at_risk -= wt(by_start[s - 1]);
            n_in -= 1;
            s -= 1;
        }
        if n_in == 0 {
            at_risk = 0.0;
        }
        rows.push((t, at_risk, d, c, e));
    }
    rows.reverse();
    let mut curve = KmCurve {
        time: rows.iter().map(|r| r.0).collect(),
        n_risk: rows.iter().map(|r| r.1).collect(),
        n_event: rows.iter().map(|r| r.2).collect(),
        n_censor: rows.iter().map(|r| r.3).collect(),
        surv: Vec::new(),
        se_log_surv: Vec::new(),
    };
    let event_rows: Vec<usize> = rows.iter().map(|r| r.4).collect();
    let (surv, se) = greenwood(&curve.n_risk, &curve.n_event, &event_rows);
    curve.surv = surv;
    curve.se_log_surv = se;
    curve
}

#[cfg(test)]
mod tests {
    use super::super::kaplan_meier;
    use super::*;

    #[test]
    fn zero_entry_equals_right_censored_km() {
        let time = [1.0, 2.0, 2.0, 3.0, 5.0, 8.0];
        let event = [true, false, true, true, false, true];
        let start = [0.0; 6];
        let a = kaplan_meier(&time, &event, None);
        let b = kaplan_meier_counting(&start, &time, &event, None);
        assert_eq!(a, b);
    }

    #[test]
    fn delayed_entry_risk_sets() {
        // (0,2] death, (1,4] censored, (3,6] death, (0,6] censored
        let start = [0.0, 1.0, 3.0, 0.0];
        let stop = [2.0, 4.0, 6.0, 6.0];
        let event = [true, false, true, false];
        let c = kaplan_meier_counting(&start, &stop, &event, None);
        assert_eq!(c.time, vec![2.0, 4.0, 6.0]);
        assert_eq!(c.n_risk, vec![3.0, 3.0, 2.0]);
        assert_eq!(c.surv, vec![2.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0]);
    }
}
