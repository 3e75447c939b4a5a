//! The Wald test of linear contrasts of a Cox model's coefficients.
//!
//! # Formula
//! With d = Cβ̂ (one row of C per contrast) and V the variance of β̂ (model-based or
//! robust): X² = dᵀ (C V Cᵀ)⁻ d on rank(C V Cᵀ) degrees of freedom, the inverse taken
//! by survival's generalized Cholesky (redundant contrasts dropped, as `coxph.wtest`).
//!
//! # R equivalent
//! `d <- C %*% coef(fit); t(d) %*% solve(C %*% vcov(fit) %*% t(C), d)`.

use super::{quad_form_solve, ChisqTest};
use crate::linalg::{cholesky2, TOLER_CHOL};

/// Wald test of `contrasts` (each a vector of length p, row of C) at the fit's
/// coefficients `coef` with the row-major p×p variance `var`. A contrast that involves
/// an aliased coefficient (`None`) is left out.
pub fn wald_contrast(coef: &[Option<f64>], var: &[f64], contrasts: &[Vec<f64>]) -> ChisqTest {
    let p = coef.len();
    let rows: Vec<&Vec<f64>> = contrasts
        .iter()
        .filter(|c| c.iter().zip(coef).all(|(w, b)| *w == 0.0 || b.is_some()))
        .collect();
    let k = rows.len();
    let b: Vec<f64> = coef.iter().map(|c| c.unwrap_or(0.0)).collect();
    let d: Vec<f64> = rows
        .iter()
        .map(|c| c.iter().zip(&b).map(|(w, x)| w * x).sum())
        .collect();
    let mut m = vec![0.0; k * k];
    for (a, ca) in rows.iter().enumerate() {
        for (c, cc) in rows.iter().enumerate() {
            let mut s = 0.0;
            for i in 0..p {
                for j in 0..p {
                    s += ca[i] * var[i * p + j] * cc[j];
                }
            }
            m[a * k + c] = s;
        }
    }
    let rank = cholesky2(&m, k, TOLER_CHOL).rank();
    ChisqTest::new(quad_form_solve(&m, k, &d, TOLER_CHOL), rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One contrast b1 − b2 with V = diag(1, 4): X² = (b1 − b2)² / 5 (hand calculation).
    #[test]
    fn one_contrast_by_hand() {
        let t = wald_contrast(
            &[Some(1.0), Some(-1.0)],
            &[1.0, 0.0, 0.0, 4.0],
            &[vec![1.0, -1.0]],
        );
        assert!((t.chisq - 4.0 / 5.0).abs() < 1e-14);
        assert_eq!(t.df, 1);
    }

    /// A contrast on an aliased coefficient is left out: no contrast, df 0.
    #[test]
    fn aliased_contrast_left_out() {
        let t = wald_contrast(
            &[Some(1.0), None],
            &[1.0, 0.0, 0.0, 0.0],
            &[vec![1.0, -1.0]],
        );
        assert_eq!(t.df, 0);
        assert_eq!(t.chisq, 0.0);
    }
}
