//! The Cox model fitted by rounds over data that stay where they are (several sites):
//! each holder of data gives the log partial likelihood, its score and information at a
//! β ([`partial_likelihood_at`]); a coordinator sums them (strata = holders) and takes
//! coxph's Newton step ([`newton_rounds`]), asking for the next β until convergence.
//!
//! # Formula
//! With strata s (sites, and strata within a site) the partial likelihood is a product
//! over strata, so ℓ(β) = Σ_s ℓ_s(β), U = Σ_s U_s, I = Σ_s I_s. The Newton iteration is
//! that of `coxfit6` (module `newton`): start at β = 0; candidate β₁ = β₀ + I₀⁻U₀
//! (generalized Cholesky solve); each round k evaluates the candidate and
//! 1. converges if everything is finite and |1 − ℓ_best/ℓ_new| ≤ eps (β̂ = the candidate,
//!    var = I(β̂)⁻¹);
//! 2. else, if something is not finite or ℓ_new < ℓ_best, halves: with h consecutive
//!    failures, candidate ← (candidate + h·β_good)/(h + 1);
//! 3. else accepts: β_good = candidate, candidate = β_good + I⁻¹U.
//!
//! Newton's method with these rules is invariant under rescaling the covariates, so the
//! iterates equal coxph's (which iterates on centred, scaled columns) up to rounding.
//!
//! # References
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §3.3 and §3.5
//! (stratified models).
//!
//! # R equivalent
//! `coxph(Surv(time, status) ~ x + strata(site), ties = "efron")` on the stacked rows;
//! `fit$loglik`, `fit$iter`, `coef(fit)`, `vcov(fit)`.

use super::newton::next_beta;
use super::riskset::evaluate;
use super::{check, prepare, CoxData, CoxError, CoxOptions, Ties};
use crate::linalg::cholesky2;

/// ℓ(β), U(β) and I(β) of one holder's rows (its own strata), original covariate scale.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialLikelihood {
    pub loglik: f64,
    pub score: Vec<f64>,
    /// p×p row-major.
    pub information: Vec<f64>,
}

impl PartialLikelihood {
    /// Zero sums of p coefficients (a holder without events).
    pub fn zero(p: usize) -> Self {
        PartialLikelihood {
            loglik: 0.0,
            score: vec![0.0; p],
            information: vec![0.0; p * p],
        }
    }

    /// Adds another holder's sums (strata add).
    pub fn add(&mut self, other: &PartialLikelihood) {
        self.loglik += other.loglik;
        for (a, b) in self.score.iter_mut().zip(&other.score) {
            *a += b;
        }
        for (a, b) in self.information.iter_mut().zip(&other.information) {
            *a += b;
        }
    }
}

/// The log partial likelihood, score and information of `data` at `beta`, original
/// covariate scale. The sums are taken on the centred, scaled columns x* = (x − m)·s of
/// `coxfit6` ([`super::prepare`]) at β* = β / s and transformed back: U = U* / s,
/// I_jk = I*_jk / (s_j s_k). Centring leaves ℓ unchanged (it shifts η by a constant
/// within each risk set).
///
/// # R equivalent
/// `coxph(Surv ~ x + strata(s), init = beta, control = coxph.control(iter.max = 0))`:
/// `fit$loglik[1]`; `colSums(coxph.detail(fit)$score)`-style score; `solve(vcov(fit))`.
pub fn partial_likelihood_at(
    data: &CoxData,
    beta: &[f64],
    ties: Ties,
) -> Result<PartialLikelihood, CoxError> {
    if beta.len() != data.p {
        return Err(CoxError::LengthMismatch {
            what: "beta",
            expected: data.p,
            found: beta.len(),
        });
    }
    let weight = check(data, false)?;
    let prep = prepare(data, &weight, true);
    let p = data.p;
    let scaled: Vec<f64> = beta.iter().zip(&prep.scale).map(|(b, s)| b / s).collect();
    let e = evaluate(&prep, &scaled, ties);
    let mut score = e.u;
    let mut information = e.imat;
    for i in 0..p {
        score[i] /= prep.scale[i];
        for j in 0..p {
            information[i * p + j] /= prep.scale[i] * prep.scale[j];
        }
    }
    Ok(PartialLikelihood {
        loglik: e.loglik,
        score,
        information,
    })
}

/// Where the rounds stand.
#[derive(Debug, Clone, PartialEq)]
pub enum Rounds {
    /// Every holder must evaluate at `beta` next; `round` Newton iterations are done.
    Next { beta: Vec<f64>, round: usize },
    /// The iteration ended (`converged` false when out of iterations: β̂ is then the last
    /// accepted β and var = diag(1 / diag I), as coxfit6).
    Done(RoundsFit),
}

/// The pooled fit.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundsFit {
    pub beta: Vec<f64>,
    /// I(β̂)⁻¹ (generalized inverse: 0 rows/columns for redundant columns), row-major.
    pub var: Vec<f64>,
    pub loglik_init: f64,
    pub loglik: f64,
    /// Score test at β = 0.
    pub score_test: f64,
    /// coxph's `iter`.
    pub iterations: usize,
    pub converged: bool,
    /// The generalized Cholesky's redundant columns at β̂ (aliased).
    pub redundant: Vec<bool>,
}

/// Replays coxph's Newton iteration over the summed partial likelihood of several
/// holders. `at(β)` gives the sums at β when every holder has evaluated there, `None`
/// otherwise: the replay then stops and asks for that β ([`Rounds::Next`]). Since the
/// replay is deterministic, a coordinator that keeps no state re-runs it on the rounds
/// the holders send and finds the same path.
pub fn newton_rounds<F>(p: usize, mut at: F, opts: &CoxOptions) -> Rounds
where
    F: FnMut(&[f64]) -> Option<PartialLikelihood>,
{
    let mut beta = vec![0.0; p];
    let Some(e0) = at(&beta) else {
        return Rounds::Next { beta, round: 0 };
    };
    let toler = opts.toler_chol;
    let chol0 = cholesky2(&e0.information, p, toler);
    let step = chol0.solve(&e0.score);
    let score_test: f64 = e0.score.iter().zip(&step).map(|(a, b)| a * b).sum();
    let loglik_init = e0.loglik;
    if p == 0 || !loglik_init.is_finite() {
        return Rounds::Done(done(beta, &e0, loglik_init, score_test, 0, true, toler));
    }
    let mut best = loglik_init;
    let mut best_eval = e0;
    let mut newbeta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut halving = 0usize;
    for iter in 1..=opts.iter_max {
        let Some(e) = at(&newbeta) else {
            return Rounds::Next {
                beta: newbeta,
                round: iter - 1,
            };
        };
        let chol = cholesky2(&e.information, p, toler);
        let notfinite = e.score.iter().any(|v| !v.is_finite())
            || e.information.iter().any(|v| !v.is_finite())
            || !e.loglik.is_finite();
        if !notfinite && (1.0 - best / e.loglik).abs() <= opts.eps {
            return Rounds::Done(done(
                newbeta,
                &e,
                loglik_init,
                score_test,
                iter,
                true,
                toler,
            ));
        }
        let accepted = next_beta(
            (&mut beta, &mut newbeta),
            (&mut halving, &mut best),
            notfinite,
            e.loglik,
            || chol.solve(&e.score),
        );
        if accepted {
            best_eval = e;
        }
    }
    // Out of iterations: the last accepted β, var = diag(1 / diag I) (coxfit6).
    let mut fit = done(
        beta,
        &best_eval,
        loglik_init,
        score_test,
        opts.iter_max + 1,
        false,
        toler,
    );
    fit.var = (0..p * p)
        .map(|idx| {
            let (i, j) = (idx / p, idx % p);
            let v = best_eval.information[i * p + i];
            if i == j && v > 0.0 {
                1.0 / v
            } else {
                0.0
            }
        })
        .collect();
    Rounds::Done(fit)
}

fn done(
    beta: Vec<f64>,
    e: &PartialLikelihood,
    loglik_init: f64,
    score_test: f64,
    iterations: usize,
    converged: bool,
    toler: f64,
) -> RoundsFit {
    let p = beta.len();
    let chol = cholesky2(&e.information, p, toler);
    RoundsFit {
        var: chol.inverse(),
        redundant: (0..p).map(|j| chol.is_redundant(j)).collect(),
        beta,
        loglik_init,
        loglik: e.loglik,
        score_test,
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::{fit, CoxOptions};

    /// Two strata evaluated apart and summed, replayed round by round, give the fit of the
    /// stacked rows with strata.
    #[test]
    fn rounds_over_two_holders_equal_the_stratified_fit() {
        let time = [
            5.0, 8.0, 3.0, 9.0, 12.0, 4.0, 6.0, 6.0, 10.0, 2.0, 7.0, 11.0,
        ];
        let event = [
            true, false, true, true, false, true, true, true, false, true, true, false,
        ];
        let x1 = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
        let x2 = [1.2, 0.3, 2.2, 0.7, 1.9, 0.1, 1.4, 2.8, 0.5, 1.1, 0.9, 2.0];
        let stratum = [0u32, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let x: Vec<f64> = x1.iter().chain(&x2).copied().collect();
        let whole = CoxData {
            time: &time,
            event: &event,
            x: &x,
            p: 2,
            weight: None,
            stratum: Some(&stratum),
            cluster: None,
        };
        let opts = CoxOptions::default();
        let reference = fit(&whole, &opts).unwrap();
        let part = |lo: usize, hi: usize| -> (Vec<f64>, Vec<bool>, Vec<f64>) {
            let xs: Vec<f64> = x1[lo..hi].iter().chain(&x2[lo..hi]).copied().collect();
            (time[lo..hi].to_vec(), event[lo..hi].to_vec(), xs)
        };
        let holders = [part(0, 6), part(6, 12)];
        let mut asked = 0;
        let result = newton_rounds(
            2,
            |b| {
                asked += 1;
                let mut sum = PartialLikelihood::zero(2);
                for (t, e, xs) in &holders {
                    let d = CoxData {
                        time: t,
                        event: e,
                        x: xs,
                        p: 2,
                        weight: None,
                        stratum: None,
                        cluster: None,
                    };
                    sum.add(&partial_likelihood_at(&d, b, Ties::Efron).unwrap());
                }
                Some(sum)
            },
            &opts,
        );
        let Rounds::Done(f) = result else {
            panic!("not done")
        };
        assert!(f.converged);
        assert_eq!(f.iterations, reference.iterations);
        for j in 0..2 {
            let c = reference.coef[j].unwrap();
            assert!((f.beta[j] - c).abs() <= 1e-9 * c.abs().max(1.0));
            let v = reference.var[j * 2 + j];
            assert!((f.var[j * 2 + j] - v).abs() <= 1e-8 * v);
        }
        assert!((f.loglik - reference.loglik).abs() <= 1e-10 * reference.loglik.abs());
        assert!(
            (f.loglik_init - reference.loglik_init).abs() <= 1e-10 * reference.loglik_init.abs()
        );
        assert!(asked > 2);
    }

    /// A replay that lacks an evaluation asks for it, at the candidate coxph would try.
    #[test]
    fn missing_evaluation_asks_for_the_next_beta() {
        let r = newton_rounds(1, |_| None, &CoxOptions::default());
        assert_eq!(
            r,
            Rounds::Next {
                beta: vec![0.0],
                round: 0
            }
        );
        let r = newton_rounds(
            1,
            |b| {
                (b[0] == 0.0).then(|| PartialLikelihood {
                    loglik: -10.0,
                    score: vec![2.0],
                    information: vec![4.0],
                })
            },
            &CoxOptions::default(),
        );
        assert_eq!(
            r,
            Rounds::Next {
                beta: vec![0.5],
                round: 0
            }
        );
    }
}
