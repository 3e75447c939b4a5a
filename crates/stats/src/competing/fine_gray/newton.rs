//! Newton–Raphson with step halving to the maximum-likelihood solution of the Fine–Gray
//! partial likelihood.
//!
//! # Formula
//! From β = 0: β ← β + s·I(β)⁻¹U(β), s = 1, ½, ¼, … (at most 30 halvings) until ℓ is
//! finite and not below the current ℓ by more than rounding (10⁻¹²·|ℓ|). Stop when
//! max_j |U_j| < 1e-9 (converged), or when the score has reached its rounding floor:
//! the Newton decrement UᵀI⁻¹U is below 10ε·|ℓ| (no representable gain in ℓ is left)
//! and |U| has not halved over the last two iterations (Newton's quadratic convergence
//! has stopped: what is left of U is rounding, which grows with n and with the size of
//! the covariate values; at 10⁶ rows and a covariate in the ten thousands it is about
//! 1e-8). Both are reported as converged. Out of iterations ([`MAX_ITERATIONS`]), a
//! failed halving or a singular information: not converged.
//!
//! The information is scaled to unit diagonal before the generalized Cholesky, so its
//! pivot tolerance (survival's `toler.chol`) does not depend on the covariates' units.
//!
//! # R equivalent
//! crr's own loop (Newton with Armijo backtracking, stop at `gtol` relative to ℓ) runs
//! with `gtol = 1e-12, maxiter = 100` in the R reference and is continued by plain
//! Newton steps (tests/r/make_fine_gray.R).

use super::pass::{evaluate, Pass};
use super::prepare::Prepared;
use crate::linalg::{cholesky2, TOLER_CHOL};

/// Stop when every |U_j(β)| is below this (the contract's "score below 1e-9").
pub const SCORE_TOLERANCE: f64 = 1e-9;
/// Newton–Raphson iterations at most (the R reference runs crr with `maxiter = 100`).
pub const MAX_ITERATIONS: usize = 100;
/// Step halvings at most within one iteration (crr: 20).
const MAX_HALVINGS: usize = 30;

/// The information scaled to unit diagonal (so the pivot tolerance does not depend on
/// the units of the covariates) and √diag; `None` when a diagonal entry is not > 0.
fn unit_diagonal(info: &[f64], p: usize) -> Result<(Vec<f64>, Vec<f64>), usize> {
    let sd: Vec<f64> = (0..p).map(|j| info[j * p + j].sqrt()).collect();
    if let Some(j) = sd.iter().position(|s| !(s.is_finite() && *s > 0.0)) {
        return Err(j);
    }
    let scaled = (0..p * p)
        .map(|k| info[k] / (sd[k / p] * sd[k % p]))
        .collect();
    Ok((scaled, sd))
}

/// The first column the generalized Cholesky of the (unit-diagonal) information finds
/// redundant, if any.
pub(super) fn aliased_column(info: &[f64], p: usize) -> Option<usize> {
    match unit_diagonal(info, p) {
        Err(j) => Some(j),
        Ok((scaled, _)) => {
            let chol = cholesky2(&scaled, p, TOLER_CHOL);
            (0..p).find(|&j| chol.is_redundant(j))
        }
    }
}

/// I⁻¹U, or `None` when I is not positive definite.
fn newton_step(info: &[f64], score: &[f64], p: usize) -> Option<Vec<f64>> {
    let (scaled, sd) = unit_diagonal(info, p).ok()?;
    let chol = cholesky2(&scaled, p, TOLER_CHOL);
    if chol.rank() < p {
        return None;
    }
    let u: Vec<f64> = score.iter().zip(&sd).map(|(u, s)| u / s).collect();
    let step = chol.solve(&u);
    Some(step.iter().zip(&sd).map(|(v, s)| v / s).collect())
}

/// The inverse of I, through the unit-diagonal scaling (zeros if I is singular).
pub(super) fn inverse(info: &[f64], p: usize) -> Vec<f64> {
    match unit_diagonal(info, p) {
        Ok((scaled, sd)) => {
            let inv = cholesky2(&scaled, p, TOLER_CHOL).inverse();
            (0..p * p)
                .map(|k| inv[k] / (sd[k / p] * sd[k % p]))
                .collect()
        }
        Err(_) => vec![f64::NAN; p * p],
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |a, b| a.max(b.abs()))
}

/// Newton–Raphson with step halving from β = 0 (whose evaluation is `start`), as the
/// module doc says: (β̂, iterations, converged).
pub(super) fn newton(prep: &Prepared, start: Pass) -> (Vec<f64>, usize, bool) {
    let p = prep.p;
    let mut beta = vec![0.0; p];
    let mut cur = start;
    let mut iterations = 0;
    let mut stalled = 0;
    loop {
        let size = max_abs(&cur.score);
        if size < SCORE_TOLERANCE {
            return (beta, iterations, true);
        }
        if iterations == MAX_ITERATIONS {
            return (beta, iterations, false);
        }
        let Some(step) = newton_step(&cur.info, &cur.score, p) else {
            return (beta, iterations, false);
        };
        let decrement: f64 = step.iter().zip(&cur.score).map(|(s, u)| s * u).sum();
        if stalled >= 2 && decrement <= 10.0 * f64::EPSILON * cur.loglik.abs().max(1.0) {
            return (beta, iterations, true);
        }
        iterations += 1;
        match halving(prep, &beta, &step, cur.loglik) {
            Some((b, ev)) => {
                stalled = if max_abs(&ev.score) >= 0.5 * size {
                    stalled + 1
                } else {
                    0
                };
                beta = b;
                cur = ev;
            }
            None => return (beta, iterations, false),
        }
    }
}

/// β + s·step for the first s = 1, ½, ¼, … whose ℓ is finite and not below `loglik`
/// by more than rounding; `None` after [`MAX_HALVINGS`] halvings.
fn halving(prep: &Prepared, beta: &[f64], step: &[f64], loglik: f64) -> Option<(Vec<f64>, Pass)> {
    let floor = loglik - 1e-12 * loglik.abs().max(1.0);
    let mut scale = 1.0;
    for _ in 0..=MAX_HALVINGS {
        let cand: Vec<f64> = beta.iter().zip(step).map(|(b, s)| b + scale * s).collect();
        let ev = evaluate(prep, &cand, false);
        let finite = ev.loglik.is_finite() && ev.score.iter().all(|v| v.is_finite());
        if finite && ev.loglik >= floor {
            return Some((cand, ev));
        }
        scale *= 0.5;
    }
    None
}

/// coxph's check, "coefficient may be infinite": at β̂ the Newton step I⁻¹U of column j
/// is still larger than 1e-9 and than √1e-9·|β̂_j| (survival's `eps` and `toler.inf`).
/// For a monotone likelihood (no event of the cause in one level of a dummy) the step
/// stays near 1 while U and I vanish together, however small U gets; for a finite
/// coefficient it is of the order of U/I. A column whose information vanished is
/// flagged too.
pub(super) fn may_be_infinite(info: &[f64], score: &[f64], beta: &[f64]) -> Vec<bool> {
    const EPS: f64 = 1e-9;
    let p = beta.len();
    let toler_inf = EPS.sqrt();
    match unit_diagonal(info, p) {
        // not (d > 0): a NaN diagonal is also a term that cannot be estimated
        Err(_) => (0..p)
            .map(|j| info[j * p + j].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
            .collect(),
        Ok((scaled, sd)) => {
            let chol = cholesky2(&scaled, p, TOLER_CHOL);
            let u: Vec<f64> = score.iter().zip(&sd).map(|(u, s)| u / s).collect();
            let step = chol.solve(&u);
            (0..p)
                .map(|j| {
                    let s = (step[j] / sd[j]).abs();
                    !s.is_finite() || (s > EPS && s > toler_inf * beta[j].abs())
                })
                .collect()
        }
    }
}
