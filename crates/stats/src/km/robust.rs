//! Infinitesimal-jackknife (robust) variance of a weighted Kaplan–Meier curve and of its
//! restricted mean, each row its own cluster, in O(n + m) per curve (no n×m matrix).
//!
//! # Formula (docs/methods.md)
//! At the curve's distinct times t_k, with weighted n_k, d_k, let a_k = d_k/(n_k(n_k − d_k))
//! and b_k = 1/(n_k − d_k) where S steps (d_k > 0, n_k > d_k), else 0, and
//! A(t) = Σ_{t_k ≤ t} a_k. The influence of row i (time y_i, event δ_i) on Ŝ(t) is
//! ∂Ŝ(t)/∂w_i = Ŝ(t)·[A(min(t, y_i)) − δ_i 1{y_i ≤ t} b(y_i)] (Xie & Liu 2005; Therneau's
//! `survfitkm`). The robust variance V(t) = Σ_i (w_i ∂Ŝ(t)/∂w_i)² splits into the rows
//! still at risk after t, each contributing w_i² A(t)², and the rows ended by t, whose
//! term c_i = A(y_i) − δ_i b(y_i) (= A(y_i−) − 1/n for an event) no longer changes:
//! V(t_k) = Ŝ_k² [A_k² Σ_{y_i > t_k} w_i² + Σ_{y_i ≤ t_k} w_i² c_i²] — one forward pass.
//!
//! RMST(τ) = ∫₀^τ Ŝ: with Area_k = ∫_{t_k}^τ Ŝ and P(t) = Σ_{t_k ≤ t} Area_k a_k, the
//! influence is r_i = P(min(τ, y_i)) − δ_i 1{y_i ≤ τ} Area(y_i) b(y_i) (up to sign) and
//! V = Σ_i w_i² r_i².
//!
//! # References
//! * Xie, J. & Liu, C. (2005). Adjusted Kaplan–Meier estimator and log-rank test with
//!   inverse probability of treatment weighting for survival data. *Stat. Med.* 24,
//!   3089–3110.
//! * Therneau, T. M. & Grambsch, P. M. (2000), §2.2 and §7.2 (infinitesimal jackknife);
//!   survival's `src/survfitkm.c` and `R/residuals.survfit.R`.
//!
//! # R equivalent
//! `fit <- survfit(Surv(time, status) ~ 1, weights = w, robust = TRUE, id = seq_along(time))`:
//! `fit$std.err` (already the SE of S, `logse = FALSE`);
//! RMST: `sqrt(sum(residuals(fit, times = tau, type = "rmst", weighted = TRUE)^2))`.

use super::KmCurve;

/// Per curve row: (a_k, b_k) where S steps, else (0, 0).
fn increments(curve: &KmCurve) -> Vec<(f64, f64)> {
    curve
        .n_risk
        .iter()
        .zip(&curve.n_event)
        .map(|(&n, &d)| {
            if d > 0.0 && n > d {
                (d / (n * (n - d)), 1.0 / (n - d))
            } else {
                (0.0, 0.0)
            }
        })
        .collect()
}

/// Curve row of each data row (rows whose time is not a curve time get `None`).
fn row_index(curve: &KmCurve, time: &[f64]) -> Vec<Option<usize>> {
    time.iter()
        .map(|t| {
            let k = curve.time.partition_point(|c| c < t);
            (k < curve.time.len() && curve.time[k] == *t).then_some(k)
        })
        .collect()
}

/// IJ standard error of Ŝ(t_k) at every row of `curve`, which must be
/// `kaplan_meier(time, event, Some(weight))` of the same rows (any row order).
/// 0 where Ŝ = 0 (as R). See the module docs.
pub fn ij_se_surv(curve: &KmCurve, time: &[f64], event: &[bool], weight: &[f64]) -> Vec<f64> {
    let m = curve.len();
    let inc = increments(curve);
    let mut cum_a = Vec::with_capacity(m);
    let mut acc = 0.0;
    for &(a, _) in &inc {
        acc += a;
        cum_a.push(acc);
    }
    // Per curve row: Σ w² of the rows ending there, and Σ w² c² of them.
    let mut w2_end = vec![0.0; m];
    let mut c2_end = vec![0.0; m];
    for ((k, &d), &w) in row_index(curve, time).into_iter().zip(event).zip(weight) {
        let Some(k) = k else { continue };
        let before = if k == 0 { 0.0 } else { cum_a[k - 1] };
        let (n_k, d_k) = (curve.n_risk[k], curve.n_event[k]);
        let c = if d && d_k > 0.0 && n_k > d_k {
            before - 1.0 / n_k
        } else if d && d_k > 0.0 {
            before
        } else {
            cum_a[k]
        };
        w2_end[k] += w * w;
        c2_end[k] += w * w * c * c;
    }
    let mut w2_after: f64 = w2_end.iter().sum();
    let mut ended = 0.0;
    let mut se = Vec::with_capacity(m);
    let mut previous = 0.0;
    for k in 0..m {
        w2_after -= w2_end[k];
        ended += c2_end[k];
        // V changes only where S steps; elsewhere carry the value forward exactly (as R,
        // whose influence values do not move there), so equal values stay bit-equal
        // for quantile.survfit's duplicate rule.
        if curve.n_event[k] > 0.0 {
            let s = curve.surv[k];
            let v = cum_a[k] * cum_a[k] * w2_after.max(0.0) + ended;
            previous = (s * s * v).sqrt();
        }
        se.push(previous);
    }
    se
}

/// IJ standard error of RMST(τ) = ∫₀^τ Ŝ (curve extended flat past its last time).
/// See the module docs.
pub fn ij_se_rmst(curve: &KmCurve, time: &[f64], event: &[bool], weight: &[f64], tau: f64) -> f64 {
    let m = curve.len();
    let kept = curve.time.partition_point(|&t| t <= tau);
    // Area_k = ∫_{t_k}^τ Ŝ for kept rows, accumulated from the end.
    let mut area = vec![0.0; m];
    let mut acc = 0.0;
    for k in (0..kept).rev() {
        let next = if k + 1 < kept { curve.time[k + 1] } else { tau };
        acc += (next - curve.time[k]) * curve.surv[k];
        area[k] = acc;
    }
    let inc = increments(curve);
    let mut cum_p = vec![0.0; m];
    let mut p_acc = 0.0;
    for k in 0..kept {
        p_acc += area[k] * inc[k].0;
        cum_p[k] = p_acc;
    }
    let p_tau = p_acc;
    let mut var = 0.0;
    for ((k, &d), &w) in row_index(curve, time).into_iter().zip(event).zip(weight) {
        let Some(k) = k else { continue };
        let r = if k >= kept {
            p_tau
        } else {
            let (n_k, d_k) = (curve.n_risk[k], curve.n_event[k]);
            let before = if k == 0 { 0.0 } else { cum_p[k - 1] };
            if d && d_k > 0.0 && n_k > d_k {
                before - area[k] / n_k
            } else if d && d_k > 0.0 {
                before
            } else {
                cum_p[k]
            }
        };
        var += w * w * r * r;
    }
    var.sqrt()
}

/// The curve with its `se_log_surv` replaced by the IJ one (SE of S divided by S, as
/// survfit_confint's "s = std.err/S" for robust fits; 0 where the SE is 0, +∞ where
/// Ŝ = 0), so [`super::confidence_limits`], medians and `survival_at` give R's robust
/// limits unchanged.
pub fn with_robust_se(curve: &KmCurve, se_surv: &[f64]) -> KmCurve {
    let mut out = curve.clone();
    out.se_log_surv = curve
        .surv
        .iter()
        .zip(se_surv)
        .map(|(&s, &se)| {
            if se == 0.0 {
                0.0
            } else if s > 0.0 {
                se / s
            } else {
                f64::INFINITY
            }
        })
        .collect();
    out
}
