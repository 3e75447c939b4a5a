//! The Fine–Gray proportional subdistribution hazards model, as `cmprsk::crr`, solved to
//! the maximum-likelihood solution (docs/methods.md#finegray-subdistribution-hazards).
//!
//! # Formula
//! The subdistribution hazard of cause k, λ_k(t | x) = −d log(1 − F_k(t | x))/dt, is
//! modelled as λ_k0(t) exp(xβ). A row whose event was the other cause stays in the risk
//! set after its event with the inverse-probability-of-censoring weight
//! w_j(t) = Ĝ(t⁻)/Ĝ(t_j⁻) (Ĝ: Kaplan–Meier of the censoring times). β̂ maximizes
//!
//! ℓ(β) = Σ_{i: cause k} [x_iβ − log Σ_j w_j(t_i) 1{t_j ≥ t_i or other cause} e^{x_jβ}]
//!
//! (Breslow's handling of tied event times, as crr), by Newton–Raphson with step halving
//! from β = 0 until max_j |U_j(β)| < 1e-9. crr's own default stop (`gtol = 1e-6`,
//! relative to ℓ) is looser than the agreement asked of SurvLens; its `maxiter = 10`
//! also. The variance is crr's sandwich I⁻¹ Ω̂ I⁻¹, Ω̂ including the term for the
//! estimated censoring distribution (module `sandwich`).
//!
//! Sums are running sums over the rows in time order: O(n·p²) per iteration (crr's
//! Fortran is O(n²) per iteration and O(n²)–O(n³) for the variance).
//!
//! # References
//! Fine, J. P. & Gray, R. J. (1999). A proportional hazards model for the subdistribution
//! of a competing risk. *JASA* 94, 496–509.
//!
//! # R equivalent
//! `cmprsk::crr(ftime = time, fstatus = status, cov1 = x, failcode = cause, cencode =
//! censored, gtol = 1e-12, maxiter = 100)` (cmprsk 2.2-11), with `time` already time-fixed
//! (`aeqSurv`); `$coef`, `$var`, `$loglik`, `$loglik.null`, `$score`.

mod compensated;
mod newton;
mod pass;
mod prepare;
mod sandwich;

use super::Outcome;
use newton::{aliased_column, inverse, may_be_infinite, newton};
use pass::{evaluate, Pass};
use prepare::Prepared;
use std::fmt;

pub use newton::{MAX_ITERATIONS, SCORE_TOLERANCE};

/// The data of a fit; rows in any order, times already time-fixed (exact ties).
#[derive(Debug, Clone, Copy)]
pub struct FineGrayData<'a> {
    pub time: &'a [f64],
    pub outcome: &'a [Outcome],
    /// n×p covariate matrix, column-major (column j = `x[j*n .. (j+1)*n]`), as
    /// [`crate::cox::CoxData`].
    pub x: &'a [f64],
    pub p: usize,
}

/// A fitted Fine–Gray model. Vectors indexed by covariate column; matrices row-major p×p.
#[derive(Debug, Clone, PartialEq)]
pub struct FineGrayFit {
    /// β̂ (`$coef`): log subdistribution hazard ratios.
    pub coef: Vec<f64>,
    /// crr's sandwich variance (`$var`), row-major p×p.
    pub var: Vec<f64>,
    /// ℓ(β̂) (`$loglik`).
    pub loglik: f64,
    /// ℓ(0) (`$loglik.null`).
    pub loglik_null: f64,
    /// U(β̂) (`$score`).
    pub score: Vec<f64>,
    /// The model-based information I(β̂) (`$inf`), row-major p×p.
    pub information: Vec<f64>,
    /// Newton–Raphson iterations taken (not crr's count: its stop differs).
    pub iterations: usize,
    /// max |U(β̂)| < [`SCORE_TOLERANCE`], or the score at its rounding floor (module
    /// `newton`).
    pub converged: bool,
    /// Per column: the coefficient may be infinite (coxph's check: the Newton step at β̂
    /// is still large, as when a level of a dummy has no event of the cause). crr has no
    /// such check and reports a large coefficient with an se that means nothing.
    pub infinite: Vec<bool>,
    /// Rows (`$n`) and rows with an event of the modelled cause.
    pub n: usize,
    pub n_events: usize,
}

impl FineGrayFit {
    /// Standard errors √diag(var).
    pub fn se(&self) -> Vec<f64> {
        let p = self.coef.len();
        (0..p).map(|j| self.var[j * p + j].sqrt()).collect()
    }
}

/// Why no fit exists.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FineGrayError {
    /// A slice does not have the expected length.
    LengthMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// The cause asked for is `Censored`: a model is fitted for `Event` or `Competing`.
    CensoredIsNotACause,
    /// No row has an event of the modelled cause.
    NoEvents { cause: Outcome },
    /// A time is NaN or infinite (row in the caller's order).
    TimeNotFinite { row: usize },
    /// A covariate value is NaN or infinite (row in the caller's order, column index).
    CovariateNotFinite { row: usize, column: usize },
    /// The information matrix at β = 0 is singular: this covariate column (index) is
    /// constant among the rows at risk, or a combination of earlier columns.
    Singular { column: usize },
}

impl fmt::Display for FineGrayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FineGrayError::LengthMismatch {
                what,
                expected,
                found,
            } => write!(
                f,
                "Fine-Gray data: {what} has {found} values, {expected} expected"
            ),
            FineGrayError::CensoredIsNotACause => {
                write!(
                    f,
                    "Fine-Gray model: the cause must be an event, not censoring"
                )
            }
            FineGrayError::NoEvents { cause } => write!(
                f,
                "Fine-Gray model: no row has the {} as its outcome, so there is nothing to model",
                match cause {
                    Outcome::Competing => "competing event",
                    _ => "event of interest",
                }
            ),
            FineGrayError::TimeNotFinite { row } => {
                write!(f, "Fine-Gray model: the time of row {row} is not finite")
            }
            FineGrayError::CovariateNotFinite { row, column } => write!(
                f,
                "Fine-Gray model: covariate column {column} of row {row} is not finite"
            ),
            FineGrayError::Singular { column } => write!(
                f,
                "Fine-Gray model: covariate column {column} is constant among the patients \
                 at risk or repeats the other columns; remove it or merge its levels"
            ),
        }
    }
}

impl std::error::Error for FineGrayError {}

/// Fit the Fine–Gray model for `cause` (`Event` or `Competing`; the other one is the
/// competing cause, `Censored` rows are censored).
///
/// Never panics on data. p = 0 gives the null model (ℓ only). Not converging within
/// [`MAX_ITERATIONS`] (e.g. a coefficient running to ±∞) is `converged: false` with
/// the last iterate, not an error.
///
/// # R equivalent
/// `crr(time, status, cov1 = x, failcode = cause, cencode = censored, gtol = 1e-12,
///  maxiter = 100)` (module doc).
pub fn fine_gray(data: &FineGrayData, cause: Outcome) -> Result<FineGrayFit, FineGrayError> {
    check(data, cause)?;
    let n_events = data.outcome.iter().filter(|&&o| o == cause).count();
    if n_events == 0 {
        return Err(FineGrayError::NoEvents { cause });
    }
    let p = data.p;
    let prep = Prepared::new(data.time, data.outcome, data.x, p, cause);
    let start = evaluate(&prep, &vec![0.0; p], false);
    if let Some(column) = aliased_column(&start.info, p) {
        return Err(FineGrayError::Singular { column });
    }
    let loglik_null = start.loglik;
    let (beta, iterations, converged) = newton(&prep, start);
    let last = evaluate(&prep, &beta, true);
    let var = variance(&prep, &last);
    let infinite = may_be_infinite(&last.info, &last.score, &beta);
    Ok(FineGrayFit {
        infinite,
        coef: beta,
        var,
        loglik: last.loglik,
        loglik_null,
        score: last.score,
        information: last.info,
        iterations,
        converged,
        n: data.time.len(),
        n_events,
    })
}

fn check(data: &FineGrayData, cause: Outcome) -> Result<(), FineGrayError> {
    let n = data.time.len();
    if cause == Outcome::Censored {
        return Err(FineGrayError::CensoredIsNotACause);
    }
    let mismatch = |what, expected, found| FineGrayError::LengthMismatch {
        what,
        expected,
        found,
    };
    if data.outcome.len() != n {
        return Err(mismatch("outcome", n, data.outcome.len()));
    }
    if data.x.len() != n.saturating_mul(data.p) {
        return Err(mismatch("x", n.saturating_mul(data.p), data.x.len()));
    }
    if let Some(row) = data.time.iter().position(|t| !t.is_finite()) {
        return Err(FineGrayError::TimeNotFinite { row });
    }
    match data.x.iter().position(|v| !v.is_finite()) {
        Some(idx) => Err(FineGrayError::CovariateNotFinite {
            row: idx % n,
            column: idx / n,
        }),
        None => Ok(()),
    }
}

/// crr's sandwich at β̂ (module `sandwich`).
fn variance(prep: &Prepared, last: &Pass) -> Vec<f64> {
    let p = prep.p;
    if p == 0 {
        return Vec::new();
    }
    let Some(times) = last.times.as_ref() else {
        return vec![f64::NAN; p * p];
    };
    let omega = sandwich::score_variance(prep, last, times);
    sandwich::sandwich(&inverse(&last.info, p), &omega, p)
}

#[cfg(test)]
mod tests;
