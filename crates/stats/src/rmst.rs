//! Restricted mean survival time (RMST) of a Kaplan–Meier curve, as R's `survmean`.

use crate::km::KmCurve;

/// RMST up to τ with its Greenwood-type standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RestrictedMean {
    /// The truncation time τ.
    pub tau: f64,
    /// ∫_{t₀}^{τ} Ŝ(u) du + t₀ (R's `rmean`; t₀ = min(0, first time), normally 0).
    pub estimate: f64,
    /// R's `se(rmean)`.
    pub se: f64,
}

/// Restricted mean survival time up to `tau`, the curve extended flat beyond its last
/// time.
///
/// # Formula
/// t₀ = min(0, t_1). Keep the rows with t_k ≤ τ and append τ; the area is the sum of the
/// rectangles r_1 = (t_1 − t₀)·1, r_j = (t_j − t_{j−1})·Ŝ_{j−1}, and (τ − t_last)·Ŝ_last;
/// estimate = t₀ + Σ r. With A_k = Σ of the rectangles after row k (the area from t_k to
/// τ) and h_k = d_k / (n_k (n_k − d_k)) (0 where n_k = d_k; weighted counts; censor rows
/// have d_k = 0): se = √Σ_k A_k² h_k (Klein & Moeschberger 2003, §4.5).
///
/// τ before the first time: R's print/summary refuse ("Truncation point for the mean is
/// < smallest survival"); here survmean's own arithmetic is kept: Ŝ = 1 on [t₀, τ], so
/// estimate = τ and se = 0. An empty curve gives NaN estimate and se.
///
/// # References
/// Klein & Moeschberger (2003) §4.5; Therneau & Grambsch (2000) §2.1.
///
/// # R equivalent
/// `print(survfit(Surv(time, status) ~ 1), rmean = tau)`, i.e.
/// `survival:::survmean(fit, rmean = tau)$matrix[c("rmean", "se(rmean)")]`.
pub fn restricted_mean(curve: &KmCurve, tau: f64) -> RestrictedMean {
    let n = curve.time.len().min(curve.surv.len());
    let n = n.min(curve.n_risk.len()).min(curve.n_event.len());
    if n == 0 {
        return RestrictedMean {
            tau,
            estimate: f64::NAN,
            se: f64::NAN,
        };
    }
    let start = curve.time[0].min(0.0);
    let kept = curve.time[..n].partition_point(|&t| t <= tau);
    // rectangles[0] before the first kept time (height 1), then one per kept row.
    let mut rectangles = Vec::with_capacity(kept + 1);
    let mut previous = (start, 1.0);
    for k in 0..kept {
        rectangles.push((curve.time[k] - previous.0) * previous.1);
        previous = (curve.time[k], curve.surv[k]);
    }
    rectangles.push((tau - previous.0) * previous.1);
    let estimate = rectangles.iter().sum::<f64>() + start;

    // A_k = area after kept row k = rectangles[k + 1 ..]; accumulate from the end.
    let mut area_after = 0.0;
    let mut variance = 0.0;
    for k in (0..kept).rev() {
        area_after += rectangles[k + 1];
        let (n_k, d_k) = (curve.n_risk[k], curve.n_event[k]);
        let h = if n_k - d_k == 0.0 {
            0.0
        } else {
            d_k / (n_k * (n_k - d_k))
        };
        variance += area_after * area_after * h;
    }
    RestrictedMean {
        tau,
        estimate,
        se: variance.sqrt(),
    }
}
