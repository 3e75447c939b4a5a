//! Median (print.survfit) and quantiles (quantile.survfit) of a Kaplan–Meier curve.

use super::{KmCurve, KmLimits};

/// √ε, the tolerance of both R rules (`sqrt(.Machine$double.eps)`).
const TOL: f64 = 1.490_116_119_384_765_6e-8;

/// A quantile of the survival time and its confidence limits; `None` where not reached.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QuantileCi {
    /// The estimate.
    pub estimate: Option<f64>,
    /// Lower limit (from the lower confidence curve).
    pub lower: Option<f64>,
    /// Upper limit (from the upper confidence curve).
    pub upper: Option<f64>,
}

/// Median survival time with its confidence limits, as print.survfit.
///
/// # Formula
/// Keep the rows with Ŝ < 0.5 + √ε (rows where the value is missing are skipped); none →
/// not reached. If the first kept Ŝ is within √ε of 0.5 and a later kept Ŝ is smaller,
/// the median is the mean of the first kept time and the time of the first smaller
/// value; otherwise the first kept time. The limits apply the same rule to the lower and
/// upper curves (Brookmeyer & Crowley 1982). A curve ending flat at exactly 0.5 gives the
/// flat's start (quantile.survfit gives the midpoint to the last time instead).
///
/// # References
/// Brookmeyer, R. & Crowley, J. (1982). A confidence interval for the median survival
/// time. *Biometrics* 38, 29–41. Therneau & Grambsch (2000) §2.1.
///
/// # R equivalent
/// `summary(fit)$table[c("median", "0.95LCL", "0.95UCL")]` computed on the fit itself as
/// `print(fit)` does (`survival:::survmean`, helper `minmin`).
pub fn median(curve: &KmCurve, limits: &KmLimits) -> QuantileCi {
    let surv: Vec<Option<f64>> = curve.surv.iter().map(|&s| Some(s)).collect();
    QuantileCi {
        estimate: first_below_half(&curve.time, &surv),
        lower: first_below_half(&curve.time, &limits.lower),
        upper: first_below_half(&curve.time, &limits.upper),
    }
}

/// R's `minmin(y, x)` of survmean.
fn first_below_half(time: &[f64], y: &[Option<f64>]) -> Option<f64> {
    let kept: Vec<(f64, f64)> = time
        .iter()
        .zip(y)
        .filter_map(|(&t, v)| v.filter(|v| !v.is_nan() && *v < 0.5 + TOL).map(|v| (t, v)))
        .collect();
    let &(x1, y1) = kept.first()?;
    if (y1 - 0.5).abs() < TOL {
        if let Some(&(x2, _)) = kept.iter().find(|&&(_, v)| v < y1) {
            return Some((x1 + x2) / 2.0);
        }
    }
    Some(x1)
}

/// The p-quantile of the survival time (the time where Ŝ reaches 1 − p), with limits.
///
/// Same as `quantiles(curve, limits, &[p])[0]`; see [`quantiles`].
///
/// # R equivalent
/// `quantile(fit, probs = p)` → `quantile`, `lower`, `upper`.
pub fn quantile(curve: &KmCurve, limits: &KmLimits, p: f64) -> QuantileCi {
    quantiles(curve, limits, &[p]).pop().unwrap_or_default()
}

/// Quantiles of the survival time for several probabilities at once, as quantile.survfit.
///
/// # Formula
/// On the points (0, 0), (t_k, 1 − Ŝ_k), dropping points whose value repeats an earlier
/// one (and missing values), with x_max = the curve's last time and tolerance τ = √ε:
/// i₁ = the point with the smallest F ≥ p − τ, i₂ = the one with the smallest F ≥ p + τ;
/// quantile = (x_{i₁} + x_{i₂})/2, i.e. the first time Ŝ ≤ 1 − p, or the midpoint of a
/// flat at 1 − p and the next drop. If the last point's F is within τ of p (the curve
/// ends on a flat at 1 − p), quantile = (x_{i₁} + x_max)/2. If max F < min(probs) every
/// quantile is missing (R's check, which is why the answer for a p just above the end of
/// the curve can depend on the other probabilities asked). p = 0 gives 0. The lower
/// (upper) limit uses 1 − lower (1 − upper) in place of 1 − Ŝ.
///
/// # R equivalent
/// `quantile(fit, probs = ps)` (`survival:::findq`), e.g. `probs = c(0.25, 0.5, 0.75)`.
pub fn quantiles(curve: &KmCurve, limits: &KmLimits, ps: &[f64]) -> Vec<QuantileCi> {
    let surv: Vec<Option<f64>> = curve.surv.iter().map(|&s| Some(s)).collect();
    let est = find_quantiles(&curve.time, &surv, ps);
    let lower = find_quantiles(&curve.time, &limits.lower, ps);
    let upper = find_quantiles(&curve.time, &limits.upper, ps);
    est.into_iter()
        .zip(lower)
        .zip(upper)
        .map(|((estimate, lower), upper)| QuantileCi {
            estimate,
            lower,
            upper,
        })
        .collect()
}

/// R's `findq(c(0, time), c(0, 1 - s), p, tol)`.
fn find_quantiles(time: &[f64], s: &[Option<f64>], ps: &[f64]) -> Vec<Option<f64>> {
    let n = time.len().min(s.len());
    let mut x = Vec::with_capacity(n + 1);
    let mut y: Vec<Option<f64>> = Vec::with_capacity(n + 1);
    x.push(0.0);
    y.push(Some(0.0));
    for k in 0..n {
        x.push(time[k]);
        y.push(s[k].filter(|v| !v.is_nan()).map(|v| 1.0 - v));
    }
    let x_max = x[x.len() - 1];
    let max_y = y.iter().flatten().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let min_p = ps.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    if max_y < min_p {
        return vec![None; ps.len()];
    }
    // duplicated(y): later repeats of a value, missing included, are dropped.
    let mut points: Vec<(f64, Option<f64>)> = Vec::with_capacity(x.len());
    let mut seen = std::collections::HashSet::new();
    let mut seen_missing = false;
    for (&xi, &yi) in x.iter().zip(&y) {
        let first = match yi {
            // +0.0 normalises -0.0, which R's duplicated() treats as equal to 0.
            Some(v) => seen.insert((v + 0.0).to_bits()),
            None => !std::mem::replace(&mut seen_missing, true),
        };
        if first {
            points.push((xi, yi));
        }
    }
    let last_y = points.last().and_then(|&(_, v)| v);
    // approx() drops missing pairs and sorts by the abscissa F.
    let mut present: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|&(xi, v)| v.map(|v| (v, xi)))
        .collect();
    present.sort_by(|a, b| a.0.total_cmp(&b.0));
    ps.iter()
        .map(|&p| one_quantile(&present, last_y, x_max, p))
        .collect()
}

/// One probability of [`find_quantiles`]; `present` = (F, x) sorted by F.
fn one_quantile(present: &[(f64, f64)], last_y: Option<f64>, x_max: f64, p: f64) -> Option<f64> {
    if p.is_nan() {
        return None;
    }
    if p == 0.0 {
        return present.first().map(|_| 0.0);
    }
    let i1 = step_right(present, TOL, p);
    if let Some(last) = last_y {
        if (p - last).abs() < TOL {
            return i1.map(|x1| (x1 + x_max) / 2.0);
        }
    }
    let i2 = step_right(present, -TOL, p);
    Some((i1? + i2?) / 2.0)
}

/// `approx(F + shift, x, v, method = "constant", f = 1)` with rule 1: the x of the
/// smallest F + shift ≥ v; `None` when v lies outside [min, max] of F + shift.
fn step_right(present: &[(f64, f64)], shift: f64, v: f64) -> Option<f64> {
    let (first, last) = (present.first()?, present.last()?);
    if v < first.0 + shift || v > last.0 + shift {
        return None;
    }
    present
        .iter()
        .find(|&&(f, _)| f + shift >= v)
        .map(|&(_, x)| x)
}
