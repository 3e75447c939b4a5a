//! The Breslow estimate of a Cox model's cumulative baseline hazard.
//!
//! # Formula
//! With risk scores r_j = exp(x_jβ) (any centring: the caller uses the same one to
//! predict), at each distinct event time s: dΛ₀(s) = d(s) / Σ_{j: t_j ≥ s} w_j r_j
//! (d(s) the weighted number of events at s), Λ₀(t) = Σ_{s ≤ t} dΛ₀(s), and the
//! predicted survival of a row with score r is Ŝ(t | x) = exp(−Λ₀(t)·r). With every
//! r_j = 1 this is the Nelson–Aalen estimator.
//!
//! # References
//! Breslow, N. (1972). Discussion of Cox (1972). *JRSS B* 34, 216–217.
//! Therneau & Grambsch (2000), §10.2.
//!
//! # R equivalent
//! `survfit(fit, newdata)` of a `coxph(..., ties = "breslow")` fit (its default `ctype =
//! 1` for Breslow ties), i.e. `basehaz(fit, centered = FALSE)` at x = 0 when r_j =
//! exp(x_jβ) uncentred.

/// Λ₀ as a step function: its jumps at the distinct event times.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BaselineHazard {
    /// Distinct event times, ascending.
    pub time: Vec<f64>,
    /// Λ₀ at each of `time` (after its jump).
    pub cumhaz: Vec<f64>,
}

impl BaselineHazard {
    /// Λ₀(t⁻): the sum of the jumps strictly before `t`.
    pub fn before(&self, t: f64) -> f64 {
        let k = self.time.partition_point(|&s| s < t);
        if k == 0 {
            0.0
        } else {
            self.cumhaz[k - 1]
        }
    }

    /// Λ₀(t): the sum of the jumps at or before `t`.
    pub fn at(&self, t: f64) -> f64 {
        let k = self.time.partition_point(|&s| s <= t);
        if k == 0 {
            0.0
        } else {
            self.cumhaz[k - 1]
        }
    }
}

/// The Breslow cumulative baseline hazard of rows (`time`, `event`) with risk scores
/// `risk` (r_j = exp(x_jβ)) and case weights `weight` (`None`: 1). Times are compared
/// with `==` (time-fixed by the caller). O(n log n).
pub fn breslow(
    time: &[f64],
    event: &[bool],
    risk: &[f64],
    weight: Option<&[f64]>,
) -> BaselineHazard {
    let n = time.len().min(event.len()).min(risk.len());
    let w = |i: usize| weight.map_or(1.0, |w| w[i]);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| time[b].total_cmp(&time[a])); // descending
    let mut out = BaselineHazard::default();
    let mut at_risk = 0.0;
    let mut k = 0;
    // Sweep from the latest time down, accumulating the risk set; jumps collected in
    // descending order, then reversed and summed.
    let mut jumps: Vec<(f64, f64)> = Vec::new();
    while k < n {
        let t = time[order[k]];
        let mut d = 0.0;
        while k < n && time[order[k]] == t {
            let i = order[k];
            at_risk += w(i) * risk[i];
            if event[i] {
                d += w(i);
            }
            k += 1;
        }
        if d > 0.0 {
            jumps.push((t, d / at_risk));
        }
    }
    let mut cum = 0.0;
    for (t, dh) in jumps.into_iter().rev() {
        cum += dh;
        out.time.push(t);
        out.cumhaz.push(cum);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelson_aalen_without_covariates() {
        // times 1,2,2,3,4 events 1,1,0,1,0: dΛ(1) = 1/5, dΛ(2) = 1/4, dΛ(3) = 1/2.
        let h = breslow(
            &[2.0, 1.0, 2.0, 3.0, 4.0],
            &[true, true, false, true, false],
            &[1.0; 5],
            None,
        );
        assert_eq!(h.time, vec![1.0, 2.0, 3.0]);
        let want = [0.2, 0.45, 0.95];
        for (a, b) in h.cumhaz.iter().zip(want) {
            assert!((a - b).abs() < 1e-15);
        }
        assert_eq!(h.before(2.0), 0.2);
        assert_eq!(h.at(2.0), 0.45);
        assert_eq!(h.before(1.0), 0.0);
        assert_eq!(h.at(10.0), 0.95);
    }
}
