//! Newton–Raphson with step halving, exactly as survival's `coxfit6`.
//!
//! # Formula
//! Iteration 0 evaluates ℓ₀, U₀, I₀ at β = 0 and the score test U₀ᵀI₀⁻U₀ (generalized
//! Cholesky solve). Candidate β₁ = β₀ + I₀⁻U₀. Each iteration k = 1…iter_max evaluates
//! the candidate, factors I and then
//! 1. converges if everything is finite and |1 − ℓ_best/ℓ_new| ≤ eps: β̂ = the candidate,
//!    var = I(β̂)⁻¹;
//! 2. else, if something is non-finite or ℓ_new < ℓ_best, halves: with h consecutive
//!    failures, candidate ← (candidate + h·β_good)/(h + 1);
//! 3. else accepts: β_good = candidate, candidate = β_good + I⁻¹U.
//!
//! Out of iterations (iter_max > 1): ℓ, U, I are recomputed at β_good and var is
//! diag(1/diag I) — survival 3.5-3 inverts the unfactored matrix there (docs/methods.md).
//!
//! # References
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §3.3.
//!
//! # R equivalent
//! C `coxfit6` called by `survival:::coxph.fit` (survival 3.5-3).

use super::riskset::{evaluate, Prepared};
use super::Ties;
use crate::linalg::{cholesky2, Cholesky2};

/// Outcome of the iterations, on the ORIGINAL covariate scale.
#[derive(Debug, Clone)]
pub(crate) struct Newton {
    pub beta: Vec<f64>,
    /// Score at the final β (U(β̂); at β_good when out of iterations).
    pub u: Vec<f64>,
    /// Model-based variance, row-major p×p.
    pub var: Vec<f64>,
    pub loglik_init: f64,
    pub loglik: f64,
    pub score_test: f64,
    pub iterations: usize,
    /// R's `flag`: the Cholesky rank, −2 when converged while halving, 1000 when out of
    /// iterations.
    pub flag: i64,
}

pub(crate) fn iterate(d: &Prepared, ties: Ties, iter_max: usize, eps: f64, toler: f64) -> Newton {
    let p = d.p;
    let mut beta = vec![0.0; p];
    let e0 = evaluate(d, &beta, ties);
    let loglik_init = e0.loglik;
    let chol = cholesky2(&e0.imat, p, toler);
    let step = chol.solve(&e0.u);
    let score_test: f64 = e0.u.iter().zip(&step).map(|(a, b)| a * b).sum();
    let mut flag = chol.rank() as i64;
    let rank0 = flag;
    if iter_max == 0 || !loglik_init.is_finite() {
        return finish(
            d,
            beta,
            e0.u,
            &chol,
            loglik_init,
            loglik_init,
            score_test,
            0,
            flag,
        );
    }
    let mut best = loglik_init;
    let mut newbeta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut halving = 0usize;
    let mut last_chol = chol;
    let mut last_u = e0.u;
    for iter in 1..=iter_max {
        let e = evaluate(d, &newbeta, ties);
        let chol = cholesky2(&e.imat, p, toler);
        flag = chol.rank() as i64;
        let mut notfinite = e.u.iter().any(|v| !v.is_finite())
            || e.imat.iter().any(|v| !v.is_finite())
            || !e.loglik.is_finite();
        // agfit4 also fails on a change of the Cholesky rank and never converges while
        // halving.
        let counting = d.start.is_some();
        if counting {
            notfinite = notfinite || chol.rank() as i64 != rank0;
        }
        if !notfinite && (!counting || halving == 0) && (1.0 - best / e.loglik).abs() <= eps {
            if halving > 0 {
                flag = -2;
            }
            return finish(
                d,
                newbeta,
                e.u,
                &chol,
                loglik_init,
                e.loglik,
                score_test,
                iter,
                flag,
            );
        }
        if counting && iter == iter_max {
            return out_of_iterations_ag(
                d,
                ties,
                toler,
                &beta,
                newbeta,
                e,
                chol,
                (loglik_init, best, score_test),
                (eps, iter_max),
            );
        }
        next_beta(
            (&mut beta, &mut newbeta),
            (&mut halving, &mut best),
            notfinite,
            e.loglik,
            || chol.solve(&e.u),
        );
        last_chol = chol;
        last_u = e.u;
    }
    // Out of iterations.
    if iter_max > 1 {
        let e = evaluate(d, &beta, ties);
        let var_scaled: Vec<f64> = (0..p * p)
            .map(|idx| {
                let (i, j) = (idx / p, idx % p);
                let v = e.imat[i * p + i];
                if i == j && v > 0.0 {
                    1.0 / v
                } else {
                    0.0
                }
            })
            .collect();
        return rescale(
            d,
            beta,
            e.u,
            var_scaled,
            loglik_init,
            e.loglik,
            score_test,
            iter_max + 1,
            1000,
        );
    }
    finish(
        d,
        beta,
        last_u,
        &last_chol,
        loglik_init,
        best,
        score_test,
        iter_max + 1,
        1000,
    )
}

/// The next candidate β of `coxfit6` after an evaluation at the candidate that did not
/// converge: when it `failed` (something not finite) or ℓ_new < ℓ_best, step halving
/// (h consecutive failures: candidate ← (candidate + h·β_good)/(h + 1)); else accept
/// (β_good = candidate, ℓ_best = ℓ_new, candidate = β_good + I⁻¹U, the Newton step
/// `step()` solved from the candidate's information). Shared by [`iterate`] and the
/// rounds over several holders ([`super::rounds::newton_rounds`]). Returns whether the
/// candidate was accepted.
pub(crate) fn next_beta(
    (good, candidate): (&mut [f64], &mut [f64]),
    (halving, best): (&mut usize, &mut f64),
    failed: bool,
    loglik: f64,
    step: impl FnOnce() -> Vec<f64>,
) -> bool {
    if failed || loglik < *best {
        *halving += 1;
        let h = *halving as f64;
        for (nb, b) in candidate.iter_mut().zip(good.iter()) {
            *nb = (*nb + h * b) / (h + 1.0);
        }
        false
    } else {
        *halving = 0;
        *best = loglik;
        let step = step();
        good.copy_from_slice(candidate);
        for (nb, s) in candidate.iter_mut().zip(&step) {
            *nb += s;
        }
        true
    }
}

/// agfit4 out of iterations: keep the last try unless it was worse than the best by
/// more than eps (relative); then go back to the last good β and refactor. The variance
/// is a proper inverse; `iter` = iter_max.
#[allow(clippy::too_many_arguments)]
fn out_of_iterations_ag(
    d: &Prepared,
    ties: Ties,
    toler: f64,
    good: &[f64],
    tried: Vec<f64>,
    e: super::riskset::Eval,
    chol: Cholesky2,
    (loglik_init, best, score_test): (f64, f64, f64),
    (eps, iterations): (f64, usize),
) -> Newton {
    let iter_max_flag = 1000;
    if (e.loglik - best) / best.abs() < -eps {
        let e2 = evaluate(d, good, ties);
        let chol2 = cholesky2(&e2.imat, d.p, toler);
        return finish(
            d,
            good.to_vec(),
            e2.u,
            &chol2,
            loglik_init,
            e2.loglik,
            score_test,
            iterations,
            iter_max_flag,
        );
    }
    finish(
        d,
        tried,
        e.u,
        &chol,
        loglik_init,
        e.loglik,
        score_test,
        iterations,
        iter_max_flag,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    d: &Prepared,
    beta: Vec<f64>,
    u: Vec<f64>,
    chol: &Cholesky2,
    loglik_init: f64,
    loglik: f64,
    score_test: f64,
    iterations: usize,
    flag: i64,
) -> Newton {
    let var = chol.inverse();
    rescale(
        d,
        beta,
        u,
        var,
        loglik_init,
        loglik,
        score_test,
        iterations,
        flag,
    )
}

/// Back to the original covariate scale: β·s, U/s, V_ij·s_i·s_j.
#[allow(clippy::too_many_arguments)]
fn rescale(
    d: &Prepared,
    mut beta: Vec<f64>,
    mut u: Vec<f64>,
    mut var: Vec<f64>,
    loglik_init: f64,
    loglik: f64,
    score_test: f64,
    iterations: usize,
    flag: i64,
) -> Newton {
    let p = d.p;
    for i in 0..p {
        let si = d.scale[i];
        beta[i] *= si;
        u[i] /= si;
        for j in 0..p {
            var[i * p + j] *= si * d.scale[j];
        }
    }
    Newton {
        beta,
        u,
        var,
        loglik_init,
        loglik,
        score_test,
        iterations,
        flag,
    }
}
