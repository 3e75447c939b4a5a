//! Inverse-variance meta-analysis of k estimates (e.g. the sites' log hazard ratios):
//! fixed effect, random effects with τ² by restricted maximum likelihood, Cochran's Q, I².
//!
//! # Formula
//! Estimates y_i with sampling variances v_i, w_i = 1/v_i.
//! * Fixed effect: μ̂ = Σw y / Σw, se = (Σw)^{-1/2}; Q = Σ w (y − μ̂)², df = k − 1.
//! * Random effects: w*_i = 1/(v_i + τ²), μ̂ = Σw* y / Σw*, se = (Σw*)^{-1/2}; τ² maximises
//!   the restricted likelihood, by Fisher scoring as metafor does:
//!   τ² ← τ² + (yᵀPPy − tr P) / tr(PP), P = W − W11ᵀW / 1ᵀW1, W = diag(w*), the step
//!   halved while it would make τ² negative; iterated until the change is below 1e-14
//!   (metafor's default threshold 1e-5 stops earlier; compare with `threshold = 1e-12`).
//! * I² = 100 τ² / (τ² + s²), s² = (k − 1) Σw / ((Σw)² − Σw²) (Higgins & Thompson's
//!   typical within-study variance, as metafor).
//! * Wald tests and intervals use the normal distribution (metafor's default test = "z").
//!
//! # References
//! DerSimonian, R. & Laird, N. (1986). *Controlled Clinical Trials* 7, 177–188.
//! Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in
//! the random-effects model. *J. Educ. Behav. Stat.* 30, 261–293.
//! Higgins, J. P. T. & Thompson, S. G. (2002). *Stat. Med.* 21, 1539–1558.
//!
//! # R equivalent
//! `metafor::rma(yi, sei = se, method = "FE")` and
//! `rma(yi, sei = se, method = "REML", control = list(threshold = 1e-12, maxiter = 1000))`:
//! `b`, `se`, `zval`, `pval`, `ci.lb`, `ci.ub`, `tau2`, `I2`, `QE`, `QEp`, `weights(fit)`.

use crate::dist::{chisq_upper_tail, normal_two_sided_p, z_for_level};

/// A pooled estimate on the estimate's scale (log HR for hazard ratios).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pooled {
    pub estimate: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub z: f64,
    pub p: f64,
}

/// The meta-analysis of k ≥ 1 estimates.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaAnalysis {
    pub fixed: Pooled,
    /// `None` when k < 2.
    pub random: Option<Pooled>,
    /// τ² (REML; 0 when k < 2).
    pub tau2: f64,
    /// I² in percent (0 when k < 2).
    pub i2: f64,
    /// Cochran's Q, df = k − 1, its upper-tail p (NaN when k < 2).
    pub q: f64,
    pub q_df: usize,
    pub q_p: f64,
    /// Weights in percent, fixed and random (each sums to 100).
    pub weight_fixed: Vec<f64>,
    pub weight_random: Vec<f64>,
    /// Fisher-scoring iterations of τ².
    pub iterations: usize,
}

/// Why no meta-analysis exists.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaError {
    /// No estimate.
    Empty,
    /// `yi` and `se` differ in length.
    LengthMismatch,
    /// An estimate or standard error that is not finite, or a standard error ≤ 0.
    NotFinite { index: usize },
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaError::Empty => write!(f, "meta-analysis: no estimate"),
            MetaError::LengthMismatch => write!(f, "meta-analysis: estimates and standard errors differ in number"),
            MetaError::NotFinite { index } => write!(
                f,
                "meta-analysis: estimate {index} or its standard error is not a finite positive number"
            ),
        }
    }
}

impl std::error::Error for MetaError {}

const MAX_ITER: usize = 1_000;
const THRESHOLD: f64 = 1e-14;

/// Fixed- and random-effects (REML) meta-analysis of `yi` with standard errors `se`,
/// intervals at `conf_level`.
pub fn meta_analysis(yi: &[f64], se: &[f64], conf_level: f64) -> Result<MetaAnalysis, MetaError> {
    if yi.len() != se.len() {
        return Err(MetaError::LengthMismatch);
    }
    if yi.is_empty() {
        return Err(MetaError::Empty);
    }
    if let Some(index) =
        (0..yi.len()).find(|&i| !(yi[i].is_finite() && se[i].is_finite() && se[i] > 0.0))
    {
        return Err(MetaError::NotFinite { index });
    }
    let k = yi.len();
    let v: Vec<f64> = se.iter().map(|s| s * s).collect();
    let z = z_for_level(conf_level);
    let w: Vec<f64> = v.iter().map(|vi| 1.0 / vi).collect();
    let fixed = weighted(yi, &w, z);
    let sw: f64 = w.iter().sum();
    let weight_fixed: Vec<f64> = w.iter().map(|wi| 100.0 * wi / sw).collect();
    if k < 2 {
        return Ok(MetaAnalysis {
            fixed,
            random: None,
            tau2: 0.0,
            i2: 0.0,
            q: 0.0,
            q_df: 0,
            q_p: f64::NAN,
            weight_fixed: weight_fixed.clone(),
            weight_random: weight_fixed,
            iterations: 0,
        });
    }
    let q: f64 = yi
        .iter()
        .zip(&w)
        .map(|(y, wi)| wi * (y - fixed.estimate).powi(2))
        .sum();
    let q_df = k - 1;
    let (tau2, iterations) = reml_tau2(yi, &v);
    let ws: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + tau2)).collect();
    let random = weighted(yi, &ws, z);
    let sws: f64 = ws.iter().sum();
    let sw2: f64 = w.iter().map(|x| x * x).sum();
    let s2 = (k as f64 - 1.0) * sw / (sw * sw - sw2);
    Ok(MetaAnalysis {
        fixed,
        random: Some(random),
        tau2,
        i2: 100.0 * tau2 / (tau2 + s2),
        q,
        q_df,
        q_p: chisq_upper_tail(q, q_df as f64),
        weight_fixed,
        weight_random: ws.iter().map(|wi| 100.0 * wi / sws).collect(),
        iterations,
    })
}

/// Σw y / Σw with its normal-theory interval and test.
fn weighted(yi: &[f64], w: &[f64], z: f64) -> Pooled {
    let sw: f64 = w.iter().sum();
    let estimate = yi.iter().zip(w).map(|(y, wi)| y * wi).sum::<f64>() / sw;
    let se = (1.0 / sw).sqrt();
    let zval = estimate / se;
    Pooled {
        estimate,
        se,
        lower: estimate - z * se,
        upper: estimate + z * se,
        z: zval,
        p: normal_two_sided_p(zval),
    }
}

/// τ² by REML, Fisher scoring from the Hedges (HE) start max(0, var(y) − mean(v)) as
/// metafor's `rma.uni`; the step halved while τ² would become negative.
fn reml_tau2(yi: &[f64], v: &[f64]) -> (f64, usize) {
    let k = yi.len() as f64;
    let mean_y = yi.iter().sum::<f64>() / k;
    let var_y = yi.iter().map(|y| (y - mean_y).powi(2)).sum::<f64>() / (k - 1.0);
    let mean_v = v.iter().sum::<f64>() / k;
    let mut tau2 = (var_y - mean_v).max(0.0);
    for iter in 1..=MAX_ITER {
        let w: Vec<f64> = v.iter().map(|vi| 1.0 / (vi + tau2)).collect();
        let sw: f64 = w.iter().sum();
        // P = W − w wᵀ / sw; Py, tr P, tr PP, yᵀPPy without forming P.
        let mu = yi.iter().zip(&w).map(|(y, wi)| y * wi).sum::<f64>() / sw;
        let py: Vec<f64> = yi.iter().zip(&w).map(|(y, wi)| wi * (y - mu)).collect();
        let ypp_y: f64 = py.iter().map(|x| x * x).sum();
        let sw2: f64 = w.iter().map(|x| x * x).sum();
        let sw3: f64 = w.iter().map(|x| x * x * x).sum();
        let tr_p = sw - sw2 / sw;
        // tr(PP) = Σw² − 2Σw³/sw + (Σw²)²/sw².
        let tr_pp = sw2 - 2.0 * sw3 / sw + sw2 * sw2 / (sw * sw);
        let mut adj = (ypp_y - tr_p) / tr_pp;
        while tau2 + adj < 0.0 {
            adj /= 2.0;
            if adj.abs() < 1e-300 {
                adj = -tau2;
                break;
            }
        }
        tau2 += adj;
        if adj.abs() <= THRESHOLD {
            return (tau2, iter);
        }
    }
    (tau2, MAX_ITER)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal estimates: no heterogeneity, τ² = 0, I² = 0, random = fixed.
    #[test]
    fn equal_estimates_have_no_heterogeneity() {
        let m = meta_analysis(&[0.3, 0.3, 0.3], &[0.1, 0.2, 0.3], 0.95).unwrap();
        assert_eq!(m.tau2, 0.0);
        assert!(m.q.abs() < 1e-24);
        let r = m.random.unwrap();
        assert!((r.estimate - m.fixed.estimate).abs() < 1e-15);
        assert!((m.weight_fixed.iter().sum::<f64>() - 100.0).abs() < 1e-12);
    }

    /// The REML τ² solves the restricted score equation yᵀPPy = tr P.
    #[test]
    fn reml_tau2_solves_its_score_equation() {
        let y = [-0.9, 0.1, 0.6, -0.2, 1.1];
        let se = [0.2, 0.25, 0.3, 0.15, 0.4];
        let m = meta_analysis(&y, &se, 0.95).unwrap();
        assert!(m.tau2 > 0.0);
        let w: Vec<f64> = se.iter().map(|s| 1.0 / (s * s + m.tau2)).collect();
        let sw: f64 = w.iter().sum();
        let mu = y.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / sw;
        let ypp: f64 = y.iter().zip(&w).map(|(a, b)| (b * (a - mu)).powi(2)).sum();
        let trp = sw - w.iter().map(|x| x * x).sum::<f64>() / sw;
        assert!((ypp - trp).abs() < 1e-10 * trp);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(meta_analysis(&[], &[], 0.95), Err(MetaError::Empty));
        assert_eq!(
            meta_analysis(&[1.0], &[0.0], 0.95),
            Err(MetaError::NotFinite { index: 0 })
        );
    }
}
