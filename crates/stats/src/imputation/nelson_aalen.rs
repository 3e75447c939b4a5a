//! The Nelson–Aalen cumulative hazard at each patient's own time, the survival
//! predictor of the imputation models (White & Royston 2009).
//!
//! # Formula
//! At each distinct time t with n(t) patients at risk (time ≥ t) and d(t) events, the
//! hazard increment of survival's `basehaz` for the null Cox model with Efron's ties
//! (coxph's default, mice's `nelsonaalen`) is Σ_{k=0}^{d−1} 1 / (n(t) − k), which is the
//! Nelson–Aalen d/n(t) when d ≤ 1; H(t) is the sum of the increments at times ≤ t, and
//! patient i receives H(t_i) (events at t_i included).
//!
//! # References
//! * White, I. R. & Royston, P. (2009). Imputing missing covariate values for the Cox
//!   model. *Statistics in Medicine* 28, 1982–1998.
//! * Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §3.2 (Efron's
//!   correction of the hazard for tied deaths).
//!
//! # R equivalent
//! `mice::nelsonaalen(data, time, status)` =
//! `basehaz(coxph(Surv(time, status) ~ 1))$hazard[match(time, …$time)]`. Times are
//! compared exactly: pass times after `surv::timefix` as coxph would see them.

/// H(t_i) for every patient, in input order; `event[i] != 0` is an event. Input need
/// not be sorted. Panics when the two slices differ in length.
pub fn nelson_aalen_at_own_times(time: &[f64], event: &[f64]) -> Vec<f64> {
    assert_eq!(time.len(), event.len(), "time and event lengths differ");
    let n = time.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    let mut hazard = vec![0.0; n];
    let mut cumulative = 0.0;
    let mut start = 0;
    while start < n {
        let t = time[order[start]];
        let mut end = start;
        while end < n && time[order[end]] == t {
            end += 1;
        }
        let at_risk = (n - start) as f64;
        let deaths = order[start..end]
            .iter()
            .filter(|&&i| event[i] != 0.0)
            .count();
        for k in 0..deaths {
            cumulative += 1.0 / (at_risk - k as f64);
        }
        for &i in &order[start..end] {
            hazard[i] = cumulative;
        }
        start = end;
    }
    hazard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_mice_nelsonaalen_with_ties() {
        // R (mice 3.15): d <- data.frame(t = c(1,2,2,2,3,4,4,5,6,6),
        //   s = c(1,1,1,0,0,1,1,1,0,1)); nelsonaalen(d, t, s)
        let t = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0];
        let s = [1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0];
        let h = nelson_aalen_at_own_times(&t, &s);
        let at2 = 0.1 + 1.0 / 9.0 + 1.0 / 8.0;
        let at4 = at2 + 1.0 / 5.0 + 1.0 / 4.0;
        let at5 = at4 + 1.0 / 3.0;
        let at6 = at5 + 1.0 / 2.0;
        let want = [0.1, at2, at2, at2, at2, at4, at4, at5, at6, at6];
        for (a, b) in h.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        }
        assert!((at6 - 1.619_444_444_444_444_4).abs() < 1e-12);
    }

    #[test]
    fn input_order_does_not_matter() {
        let t = [5.0, 1.0, 3.0, 3.0];
        let s = [1.0, 0.0, 1.0, 1.0];
        let h = nelson_aalen_at_own_times(&t, &s);
        assert_eq!(h[1], 0.0);
        assert!((h[2] - (1.0 / 3.0 + 1.0 / 2.0)).abs() < 1e-15);
        assert!((h[0] - (1.0 / 3.0 + 1.0 / 2.0 + 1.0)).abs() < 1e-15);
    }
}
