//! Rubin's rules: one scalar estimate pooled over m analyses of multiply imputed data,
//! with the Barnard–Rubin degrees of freedom, as `mice::pool`.
//!
//! # Formulas
//! With estimates Q₁…Q_m and their variances U₁…U_m (squared standard errors):
//! * Q̄ = mean Qₗ; Ū = mean Uₗ (within-imputation variance);
//!   B = Σ(Qₗ − Q̄)²/(m − 1) (between-imputation variance);
//! * T = Ū + (1 + 1/m)·B (total variance), se = √T;
//! * riv = (1 + 1/m)·B/Ū (relative increase in variance due to nonresponse);
//! * λ = (1 + 1/m)·B/T (proportion of the variance due to nonresponse);
//! * Barnard–Rubin df, with ν_com the complete-data degrees of freedom and λ floored at
//!   10⁻⁴ (mice's `barnard.rubin`): ν_old = (m − 1)/λ²,
//!   ν_obs = (ν_com + 1)/(ν_com + 3)·ν_com·(1 − λ), ν = ν_old·ν_obs/(ν_old + ν_obs)
//!   (ν = ν_old when ν_com = ∞);
//! * fmi = (riv + 2/(ν + 3))/(riv + 1) (fraction of missing information);
//! * CI Q̄ ± t_{ν, 1 − α/2}·√T; p = 2·P(t_ν > |Q̄|/√T), with ν floored at 0.001 for
//!   the p-value (as `summary.mipo`).
//!
//! # References
//! * Rubin, D. B. (1987). *Multiple Imputation for Nonresponse in Surveys*. Wiley, §3.1.
//! * Barnard, J. & Rubin, D. B. (1999). Small-sample degrees of freedom with multiple
//!   imputation. *Biometrika* 86, 948–955.
//! * van Buuren, S. (2018). *Flexible Imputation of Missing Data*, 2nd ed., §2.3.
//!
//! # R equivalent
//! `summary(mice::pool(fits), conf.int = TRUE)` (mice 3.15: `pool.fitlist`,
//! `barnard.rubin`, `summary.mipo`, `confint.mipo`); for a scalar with its variance,
//! `mice::pool.scalar(Q, U, n = dfcom + 1, k = 1)` (`n = Inf`: ν_com = ∞).

use super::student_t;

/// One quantity pooled over m ≥ 2 imputed sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pooled {
    /// Number of sets.
    pub m: usize,
    /// Q̄: the mean of the estimates.
    pub estimate: f64,
    /// Ū: the mean within-set variance.
    pub ubar: f64,
    /// B: the between-set variance.
    pub b: f64,
    /// T = Ū + (1 + 1/m)·B.
    pub t: f64,
    /// √T.
    pub se: f64,
    /// The complete-data degrees of freedom used (∞ = large sample).
    pub dfcom: f64,
    /// Barnard–Rubin degrees of freedom.
    pub df: f64,
    /// Relative increase in variance (1 + 1/m)·B/Ū.
    pub riv: f64,
    /// λ = (1 + 1/m)·B/T.
    pub lambda: f64,
    /// Fraction of missing information.
    pub fmi: f64,
    /// Confidence limits Q̄ ± t_{ν}·√T at `level`.
    pub lower: f64,
    pub upper: f64,
    /// Two-sided p-value of Q̄ = 0 against t_ν.
    pub p: f64,
}

/// The Barnard–Rubin degrees of freedom of m sets with between-variance `b`, total
/// variance `t` and complete-data df `dfcom` (∞ allowed). λ = (1 + 1/m)·b/t is floored
/// at 10⁻⁴ (so a between-variance of 0 gives a large, finite df).
///
/// # R equivalent
/// `mice:::barnard.rubin(m, b, t, dfcom)`
pub fn barnard_rubin(m: usize, b: f64, t: f64, dfcom: f64) -> f64 {
    let m = m as f64;
    let lambda = ((1.0 + 1.0 / m) * b / t).max(1e-4);
    let dfold = (m - 1.0) / (lambda * lambda);
    if dfcom.is_infinite() {
        return dfold;
    }
    let dfobs = (dfcom + 1.0) / (dfcom + 3.0) * dfcom * (1.0 - lambda);
    dfold * dfobs / (dfold + dfobs)
}

/// The mean as R's `mean.default` computes it: the sum over n, then corrected by the
/// mean of the residuals (so m equal values have exactly that value as their mean).
fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m0 = x.iter().sum::<f64>() / n;
    m0 + x.iter().map(|v| v - m0).sum::<f64>() / n
}

/// Pools `estimates` with their `variances` (one per set, same length m ≥ 2, all
/// finite) by Rubin's rules with Barnard–Rubin df for complete-data df `dfcom`
/// (`f64::INFINITY` = large sample) and limits at `level` (e.g. 0.95). `None` when
/// fewer than two sets or a value is not finite.
///
/// # R equivalent
/// `summary(mice::pool(fits, dfcom = dfcom), conf.int = TRUE, conf.level = level)`
pub fn pool(estimates: &[f64], variances: &[f64], dfcom: f64, level: f64) -> Option<Pooled> {
    let m = estimates.len();
    if m < 2
        || variances.len() != m
        || estimates.iter().chain(variances).any(|v| !v.is_finite())
        || dfcom.is_nan()
    {
        return None;
    }
    let mf = m as f64;
    let qbar = mean(estimates);
    let ubar = mean(variances);
    let b = estimates
        .iter()
        .map(|q| (q - qbar) * (q - qbar))
        .sum::<f64>()
        / (mf - 1.0);
    let t = ubar + (1.0 + 1.0 / mf) * b;
    let df = barnard_rubin(m, b, t, dfcom);
    let riv = (1.0 + 1.0 / mf) * b / ubar;
    let lambda = (1.0 + 1.0 / mf) * b / t;
    let fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0);
    let se = t.sqrt();
    let crit = student_t::t_quantile(1.0 - (1.0 - level) / 2.0, df);
    Some(Pooled {
        m,
        estimate: qbar,
        ubar,
        b,
        t,
        se,
        dfcom,
        df,
        riv,
        lambda,
        fmi,
        lower: qbar - crit * se,
        upper: qbar + crit * se,
        p: student_t::t_two_sided_p(qbar / se, df.max(0.001)),
    })
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn hand_computed_rubin_quantities() {
        // Q = 1, 2, 3: Q̄ = 2, B = 1; U = 0.5, 0.5, 0.5: Ū = 0.5; m = 3:
        // T = 0.5 + 4/3 = 11/6, riv = (4/3)/0.5 = 8/3, λ = (4/3)/(11/6) = 8/11.
        let p = pool(&[1.0, 2.0, 3.0], &[0.5, 0.5, 0.5], f64::INFINITY, 0.95).unwrap();
        assert_eq!(p.estimate, 2.0);
        assert_eq!(p.b, 1.0);
        assert_eq!(p.ubar, 0.5);
        assert!(close(p.t, 11.0 / 6.0, 1e-15));
        assert!(close(p.riv, 8.0 / 3.0, 1e-15));
        assert!(close(p.lambda, 8.0 / 11.0, 1e-15));
        // ν_com = ∞: ν = ν_old = (m − 1)/λ² = 2·121/64.
        assert!(close(p.df, 242.0 / 64.0, 1e-15));
        let fmi = (8.0 / 3.0 + 2.0 / (242.0 / 64.0 + 3.0)) / (8.0 / 3.0 + 1.0);
        assert!(close(p.fmi, fmi, 1e-15));
        // Finite ν_com = 10: ν_obs = 11/13·10·(3/11) = 30/13.
        let p10 = pool(&[1.0, 2.0, 3.0], &[0.5, 0.5, 0.5], 10.0, 0.95).unwrap();
        let (old, obs) = (242.0 / 64.0, 30.0 / 13.0);
        assert!(close(p10.df, old * obs / (old + obs), 1e-14));
        // Limits and p against the t distribution with that df.
        let crit = student_t::t_quantile(0.975, p10.df);
        assert!(close(p10.lower, 2.0 - crit * p10.se, 1e-15));
        assert!(close(
            p10.p,
            2.0 * student_t::t_upper_tail(2.0 / p10.se, p10.df),
            1e-15
        ));
    }

    #[test]
    fn no_between_variance_floors_lambda() {
        // Equal estimates: B = 0, riv = λ = 0; the df uses λ = 1e-4: ν_old = (m − 1)·1e8.
        let p = pool(
            &[0.3; 5],
            &[0.04, 0.05, 0.04, 0.05, 0.04],
            f64::INFINITY,
            0.95,
        )
        .unwrap();
        assert_eq!(p.b, 0.0);
        assert_eq!(p.riv, 0.0);
        assert_eq!(p.estimate, 0.3);
        assert!(close(p.df, 4e8, 1e-12));
        assert!(close(p.t, 0.044, 1e-15));
    }

    #[test]
    fn matches_mice_pool_scalar() {
        // R 4.2.2, mice 3.15.0:
        // r <- pool.scalar(c(0.52, 0.61, 0.47, 0.58, 0.55), c(0.010, 0.012, 0.011, 0.009, 0.013), n = 101, k = 1)
        // (dfcom = 100); sprintf("%.17g", c(r$qbar, r$b, r$t, r$df, r$r, r$fmi))
        let q = [0.52, 0.61, 0.47, 0.58, 0.55];
        let u = [0.010, 0.012, 0.011, 0.009, 0.013];
        let p = pool(&q, &u, 100.0, 0.95).unwrap();
        let r = R_POOL_SCALAR;
        assert!(close(p.estimate, r[0], 1e-14));
        assert!(close(p.b, r[1], 1e-12));
        assert!(close(p.t, r[2], 1e-14));
        assert!(close(p.df, r[3], 1e-12));
        assert!(close(p.riv, r[4], 1e-12));
        assert!(close(p.fmi, r[5], 1e-12));
        // qt(0.975, df) and 2 * pt(-abs(qbar / sqrt(t)), df)
        assert!(close(p.upper, r[6], 1e-12));
        assert!(close(p.p, r[7], 1e-10));
    }

    const R_POOL_SCALAR: [f64; 8] = [
        0.54600000000000004,
        0.0029299999999999999,
        0.014515999999999999,
        35.555854887289236,
        0.31963636363636361,
        0.28152388794274397,
        0.79045558627697443,
        6.3597597341232258e-05,
    ];

    #[test]
    fn refuses_what_cannot_be_pooled() {
        assert!(pool(&[1.0], &[0.1], 10.0, 0.95).is_none());
        assert!(pool(&[1.0, f64::NAN], &[0.1, 0.1], 10.0, 0.95).is_none());
        assert!(pool(&[1.0, 2.0], &[0.1], 10.0, 0.95).is_none());
    }

    use proptest::prelude::*;

    fn sets() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, f64)> {
        (2usize..12).prop_flat_map(|m| {
            (
                proptest::collection::vec(-3.0f64..3.0, m),
                proptest::collection::vec(1e-4f64..2.0, m),
                prop_oneof![Just(f64::INFINITY), 1.0f64..500.0],
            )
        })
    }

    proptest! {
        /// Rubin's rules do not depend on the order of the sets; T ≥ Ū; 0 ≤ λ < 1;
        /// the df never exceeds ν_old nor, with a finite ν_com, ν_com; the limits hold
        /// the estimate and widen with the level; fmi is in (0, 1].
        #[test]
        fn pooling_properties((q, u, dfcom) in sets(), shift in 0usize..11) {
            let p = pool(&q, &u, dfcom, 0.95).unwrap();
            let k = shift % q.len();
            let (mut q2, mut u2) = (q.clone(), u.clone());
            q2.rotate_left(k);
            u2.rotate_left(k);
            let r = pool(&q2, &u2, dfcom, 0.95).unwrap();
            prop_assert!(close(r.estimate, p.estimate, 1e-12) || (r.estimate - p.estimate).abs() < 1e-14);
            prop_assert!(close(r.t, p.t, 1e-12));
            prop_assert!(close(r.df, p.df, 1e-9));
            prop_assert!(p.t >= p.ubar);
            prop_assert!(p.lambda >= 0.0 && p.lambda < 1.0);
            let m = q.len() as f64;
            let dfold = (m - 1.0) / p.lambda.max(1e-4).powi(2);
            prop_assert!(p.df <= dfold * (1.0 + 1e-12));
            if dfcom.is_finite() {
                prop_assert!(p.df <= dfcom);
            }
            prop_assert!(p.fmi > 0.0 && p.fmi <= 1.0 + 1e-12);
            prop_assert!(p.lower < p.estimate && p.estimate < p.upper);
            let wide = pool(&q, &u, dfcom, 0.99).unwrap();
            prop_assert!(wide.lower < p.lower && p.upper < wide.upper);
            prop_assert!(p.p > 0.0 && p.p <= 1.0);
        }

        /// m equal sets: B = 0, T = Ū, the estimate is the common value.
        #[test]
        fn equal_sets_have_no_between_variance(x in -5.0f64..5.0, v in 1e-4f64..3.0, m in 2usize..30) {
            let p = pool(&vec![x; m], &vec![v; m], f64::INFINITY, 0.95).unwrap();
            prop_assert_eq!(p.estimate, x);
            prop_assert_eq!(p.b, 0.0);
            prop_assert!(close(p.t, v, 1e-14));
        }
    }
}
