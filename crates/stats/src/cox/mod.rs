//! Cox proportional-hazards regression, as survival's `coxph` (right-censored data).
//!
//! * [`fit`] — Efron or Breslow partial likelihood, strata, case weights, Newton–Raphson
//!   with step halving, model-based and robust (sandwich, clustered) variance, the
//!   likelihood-ratio, Wald and score tests, aliased (collinear) columns and the
//!   "coefficient may be infinite" check.
//! * [`concordance()`] — Harrell's C with its infinitesimal-jackknife standard error.
//! * [`zph()`] — the proportional-hazards score test of `cox.zph` (survival ≥ 3.0) and the
//!   scaled Schoenfeld residuals; [`zph_counting`] on (start, stop] fits.
//!
//! # Formula
//! h(t | x) = h₀ₛ(t) exp(xβ) within stratum s; β maximizes the log partial likelihood
//! (the sums: module `riskset`). Covariates are centred by their weighted means and
//! scaled by Σw / Σw|x − m| for the iterations (columns with values in {−1, 0, 1} are
//! left alone), and the results are transformed back.
//!
//! # References
//! Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34, 187–220.
//! Breslow, N. (1974). *Biometrics* 30, 89–99. Efron, B. (1977). *JASA* 72, 557–565.
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*. Springer.
//! Lin, D. Y. & Wei, L. J. (1989). The robust inference for the Cox proportional hazards
//! model. *JASA* 84, 1074–1078.
//!
//! # R equivalent
//! `coxph(Surv(time, event) ~ x + strata(s), weights = w, ties = "efron",
//!  robust = FALSE, cluster = id)` in survival 3.5-3 (`coxph.fit` + C `coxfit6`).

pub mod baseline;
pub mod concordance;
mod contrast;
mod efron;
mod gram;
mod newton;
pub(crate) mod riskset;
pub mod rounds;
mod sorted;
mod variance;
pub mod zph;
mod zph_pass;
mod zph_scaled;
mod zph_transform;

pub use concordance::{concordance, concordance_in_order, Concordance};
pub use contrast::wald_contrast;
pub use rounds::{newton_rounds, partial_likelihood_at, PartialLikelihood, Rounds, RoundsFit};
use sorted::{is_identity, SortedX};
use std::borrow::Cow;
pub use zph::{zph, zph_counting, zph_with, ZphOptions, ZphResult, ZphTerm, ZphTransform};

use crate::linalg::{cholesky2, TOLER_CHOL};
use crate::math;
use std::fmt;

/// Handling of tied event times (`coxph(ties = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// Efron's approximation (R's default, `ties = "efron"`).
    #[default]
    Efron,
    /// Breslow's approximation (`ties = "breslow"`).
    Breslow,
}

/// Fitting options; each field mirrors an argument of `coxph` / `coxph.control`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    /// `ties`.
    pub ties: Ties,
    /// `coxph.control(eps = 1e-9)`: relative change in the log likelihood for convergence.
    pub eps: f64,
    /// `coxph.control(iter.max = 20)`.
    pub iter_max: usize,
    /// `coxph.control(toler.chol = .Machine$double.eps^0.75)`.
    pub toler_chol: f64,
    /// `coxph.control(toler.inf = sqrt(eps))`: threshold of the infinite-coefficient check.
    pub toler_inf: f64,
    /// `robust = TRUE`: sandwich variance (grouped by the cluster when there is one).
    pub robust: bool,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            eps: 1e-9,
            iter_max: 20,
            toler_chol: TOLER_CHOL,
            toler_inf: 1e-9_f64.sqrt(),
            robust: false,
        }
    }
}

/// The data of a fit. All slices have n entries (`x` has n·p, column-major). Rows may
/// come in any order; the fit sorts by stratum and time itself. Times must already be
/// time-fixed (R's `aeqSurv`): ties are exact `==`.
#[derive(Debug, Clone, Copy)]
pub struct CoxData<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// n×p covariate matrix, column-major (column j = `x[j*n .. (j+1)*n]`).
    pub x: &'a [f64],
    pub p: usize,
    /// Case weights (> 0); `None` = all 1 (`weights`).
    pub weight: Option<&'a [f64]>,
    /// Stratum codes (`strata()`); `None` = one stratum.
    pub stratum: Option<&'a [u32]>,
    /// Cluster codes (`cluster`); used only by the robust variance.
    pub cluster: Option<&'a [u32]>,
}

impl CoxData<'_> {
    /// Number of rows.
    pub fn n(&self) -> usize {
        self.time.len()
    }
}

/// Why no fit exists (R stops with an error in the same places).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CoxError {
    /// A slice does not have the expected length.
    LengthMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// A weight is not a finite number > 0 (R: "Invalid weights, must be >0").
    InvalidWeight { row: usize, value: f64 },
    /// A time or covariate value is NaN or infinite (R: "data contains an infinite predictor").
    NotFinite { row: usize, what: &'static str },
    /// No rows.
    NoRows,
    /// A (start, stop] row with stop ≤ start after the near-tie rule: no time at risk
    /// (R: "Stop time must be > start time", or aeqSurv's "an interval has effective
    /// length 0"). The analysis leaves such rows out before fitting.
    EmptyInterval { row: usize },
}

impl fmt::Display for CoxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoxError::LengthMismatch {
                what,
                expected,
                found,
            } => {
                write!(
                    f,
                    "Cox data: {what} has {found} values, {expected} expected"
                )
            }
            CoxError::InvalidWeight { row, value } => {
                write!(
                    f,
                    "Cox model: weight {value} of row {row} is not a positive number"
                )
            }
            CoxError::NotFinite { row, what } => {
                write!(f, "Cox model: {what} of row {row} is not finite")
            }
            CoxError::NoRows => write!(f, "Cox model: no rows to fit"),
            CoxError::EmptyInterval { row } => write!(
                f,
                "Cox model: row {row} has an exit not after its entry (after R's near-tie rule)"
            ),
        }
    }
}

impl std::error::Error for CoxError {}

/// A chi-square test: statistic, degrees of freedom, upper-tail p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChisqTest {
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
}

impl ChisqTest {
    pub(crate) fn new(chisq: f64, df: usize) -> Self {
        let p = if df == 0 {
            f64::NAN
        } else {
            crate::dist::chisq_upper_tail(chisq, df as f64)
        };
        ChisqTest { chisq, df, p }
    }
}

/// A fitted Cox model. Vectors indexed by covariate column; matrices row-major p×p.
/// Per-row vectors are in the caller's row order.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxFit {
    /// `coef(fit)`: `None` for an aliased (redundant, collinear) column.
    pub coef: Vec<Option<f64>>,
    /// The coefficient vector as iterated (aliased columns hold their iterate, usually 0).
    pub beta: Vec<f64>,
    /// Model-based variance (`fit$var`, or `fit$naive.var` when robust); aliased rows and
    /// columns are 0.
    pub var: Vec<f64>,
    /// Robust sandwich variance DᵀD (`fit$var` when robust), if asked.
    pub robust_var: Option<Vec<f64>>,
    /// ℓ(β = 0) (`fit$loglik[1]`).
    pub loglik_init: f64,
    /// ℓ(β̂) (`fit$loglik[2]`).
    pub loglik: f64,
    /// Score U(β̂) on the original scale.
    pub score: Vec<f64>,
    /// Likelihood-ratio test 2(ℓ(β̂) − ℓ(0)), df = number of non-aliased coefficients.
    pub lr_test: ChisqTest,
    /// Score (log-rank) test U₀ᵀI₀⁻U₀ (`fit$score`).
    pub score_test: ChisqTest,
    /// Wald test b̂ᵀV⁻b̂ with V the robust variance when robust (`fit$wald.test`).
    pub wald_test: ChisqTest,
    /// Robust score test (`fit$rscore`), when robust.
    pub robust_score_test: Option<ChisqTest>,
    /// Newton–Raphson iterations (`fit$iter`; iter_max + 1 when not converged).
    pub iterations: usize,
    pub converged: bool,
    /// Columns flagged "Loglik converged before variable j; coefficient may be infinite".
    pub infinite: Vec<bool>,
    /// Out of iterations with max lp > 500 or a non-finite step: "one or more
    /// coefficients may be infinite".
    pub maybe_infinite: bool,
    /// Weighted column means used for centring (`fit$means`; 0 for {−1,0,1} columns).
    pub means: Vec<f64>,
    /// `fit$linear.predictors`: x_iβ − Σ β_j m_j.
    pub linear_predictors: Vec<f64>,
    /// Number of rows and of event rows (unweighted, `fit$n`, `fit$nevent`).
    pub n: usize,
    pub n_events: usize,
    /// The fit's sort of the rows: by (stratum, time) ascending, stable (`order[k]` =
    /// row of sorted position k). Shared with [`concordance::concordance_in_order`] and
    /// [`zph()`], which need the same order, so an analysis sorts once.
    pub order: Vec<usize>,
}

impl CoxFit {
    /// Standard errors from the model-based variance (`None` for aliased columns).
    pub fn se(&self) -> Vec<Option<f64>> {
        se_of(&self.coef, &self.var)
    }

    /// Standard errors from the robust variance, when it was computed.
    pub fn robust_se(&self) -> Option<Vec<Option<f64>>> {
        self.robust_var.as_ref().map(|v| se_of(&self.coef, v))
    }
}

fn se_of(coef: &[Option<f64>], var: &[f64]) -> Vec<Option<f64>> {
    let p = coef.len();
    coef.iter()
        .enumerate()
        .map(|(j, c)| c.map(|_| var.get(j * p + j).copied().unwrap_or(f64::NAN).sqrt()))
        .collect()
}

/// Check lengths and values (the covariates unless `x_finite`: known finite); return
/// the weights (1 when absent).
fn check<'a>(data: &CoxData<'a>, x_finite: bool) -> Result<Cow<'a, [f64]>, CoxError> {
    let n = data.n();
    let len = |what, found| {
        if found == n {
            Ok(())
        } else {
            Err(CoxError::LengthMismatch {
                what,
                expected: n,
                found,
            })
        }
    };
    len("event", data.event.len())?;
    let xlen = n.saturating_mul(data.p);
    if data.x.len() != xlen {
        return Err(CoxError::LengthMismatch {
            what: "x",
            expected: xlen,
            found: data.x.len(),
        });
    }
    if let Some(w) = data.weight {
        len("weight", w.len())?;
    }
    if let Some(s) = data.stratum {
        len("stratum", s.len())?;
    }
    if let Some(c) = data.cluster {
        len("cluster", c.len())?;
    }
    if n == 0 {
        return Err(CoxError::NoRows);
    }
    if let Some(row) = data.time.iter().position(|t| !t.is_finite()) {
        return Err(CoxError::NotFinite { row, what: "time" });
    }
    debug_assert!(!x_finite || data.x.iter().all(|v| v.is_finite()));
    let not_finite = if x_finite {
        None
    } else {
        data.x.iter().position(|v| !v.is_finite())
    };
    if let Some(idx) = not_finite {
        return Err(CoxError::NotFinite {
            row: idx % n,
            what: "a covariate",
        });
    }
    match data.weight {
        Some(w) => match w.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            Some(row) => Err(CoxError::InvalidWeight { row, value: w[row] }),
            None => Ok(Cow::Borrowed(w)),
        },
        // No weights: all 1, nothing to check.
        None => Ok(Cow::Owned(vec![1.0; n])),
    }
}

/// Sort by (stratum, time), stable; centre and scale as `coxfit6`. Nothing is copied
/// for rows that already come sorted (the Cox section's): the covariates are read
/// centred on the fly and the times and weights are borrowed.
pub(crate) fn prepare<'a>(
    data: &CoxData<'a>,
    weight: &'a [f64],
    scale_cols: bool,
) -> riskset::Prepared<'a> {
    let (n, p) = (data.n(), data.p);
    let stratum_of = |i: usize| data.stratum.map_or(0, |s| s[i]);
    let order = crate::order::fit_order(data.time, data.event, data.stratum);
    let sorted = is_identity(&order);
    let pick = |v: &'a [f64]| -> Cow<'a, [f64]> {
        if sorted {
            Cow::Borrowed(v)
        } else {
            Cow::Owned(order.iter().map(|&i| v[i]).collect())
        }
    };
    let time = pick(data.time);
    let w = pick(weight);
    let event: Vec<bool> = order.iter().map(|&i| data.event[i]).collect();
    let stratum: Vec<u32> = order.iter().map(|&i| stratum_of(i)).collect();
    let all: Vec<usize> = (0..p).collect();
    let mut xs = SortedX::new(data.x, n, &all, &order);
    let (means, scale) = xs.centre_scale(&w, scale_cols);
    riskset::Prepared {
        n,
        p,
        order,
        time,
        event,
        weight: w,
        stratum,
        x: xs,
        means,
        scale,
        start: None,
    }
}

/// Fit the Cox model.
///
/// Never panics on data: p = 0 gives the null model (ℓ only, no terms); no events gives
/// ℓ = 0, zero score and every coefficient aliased (the caller reports `no_events`).
///
/// # R equivalent
/// `coxph(Surv(time, event) ~ x1 + … + strata(stratum), weights = weight, ties = ,
///  robust = , cluster = cluster)`.
pub fn fit(data: &CoxData, opts: &CoxOptions) -> Result<CoxFit, CoxError> {
    fit_impl(data, None, opts, false)
}

/// [`fit`] for a caller that has already found every covariate value finite (the Cox
/// section checks its design as it writes it): the scan of the n×p matrix that `fit`
/// makes to report a non-finite value (96 MB at a million rows and 12 columns) is
/// skipped. Lengths, times and weights are checked as in [`fit`].
pub fn fit_finite_x(data: &CoxData, opts: &CoxOptions) -> Result<CoxFit, CoxError> {
    fit_impl(data, None, opts, true)
}

/// Fit the Cox model to counting-process (start, stop] rows: `data.time` holds the stops,
/// `start` the entries (start < stop). Risk set at t: start < t ≤ stop, in the stratum.
///
/// Differences from [`fit`], as survival's `agreg.fit`: `means` are the UNWEIGHTED column
/// means (so `linear_predictors` differ by a constant from a right-censored fit of the
/// same data when weights are used); convergence also needs no step halving in progress
/// and an unchanged Cholesky rank; out of iterations, `iterations` = iter_max and the
/// variance is a proper inverse; the infinite-coefficient flag is
/// |U V|_j > toler.inf·(1 + |β_j|).
///
/// # References
/// Andersen, P. K. & Gill, R. D. (1982). *Ann. Statist.* 10, 1100–1120.
/// Therneau & Grambsch (2000), §3.7.
///
/// # R equivalent
/// `coxph(Surv(start, stop, event) ~ x + strata(s), weights = w, ties = , robust = ,
///  cluster = id)` (survival 3.5-3 `agreg.fit`, C `agfit4`, `agscore2`).
pub fn fit_counting(data: &CoxData, start: &[f64], opts: &CoxOptions) -> Result<CoxFit, CoxError> {
    if start.len() != data.n() {
        return Err(CoxError::LengthMismatch {
            what: "start",
            expected: data.n(),
            found: start.len(),
        });
    }
    if let Some(row) = start.iter().position(|t| !t.is_finite()) {
        return Err(CoxError::NotFinite {
            row,
            what: "start time",
        });
    }
    // An empty interval would leave the risk set before entering it (agfit4 assumes
    // start < stop; R checks it in Surv() and aeqSurv()).
    if let Some(row) = (0..data.n()).find(|&i| data.time.get(i).is_some_and(|&t| t <= start[i])) {
        return Err(CoxError::EmptyInterval { row });
    }
    fit_impl(data, Some(start), opts, false)
}

fn fit_impl(
    data: &CoxData,
    start: Option<&[f64]>,
    opts: &CoxOptions,
    x_finite: bool,
) -> Result<CoxFit, CoxError> {
    let weight = check(data, x_finite)?;
    let (n, p) = (data.n(), data.p);
    let prepare_stage = survlens_timing::enter("prepare");
    let mut prep = prepare(data, &weight, true);
    drop(prepare_stage);
    if let Some(st) = start {
        let sorted: Vec<f64> = prep.order.iter().map(|&i| st[i]).collect();
        prep.start = Some(riskset::Entry::new(sorted, &prep.stratum));
    }
    let counting = start.is_some();
    // agreg.fit reports unweighted column means (0 for {-1, 0, 1} columns).
    let means: Vec<f64> = if counting {
        (0..p)
            .map(|j| {
                let col = &data.x[j * n..(j + 1) * n];
                if sorted::is_unit_valued(col) {
                    0.0
                } else {
                    col.iter().sum::<f64>() / n as f64
                }
            })
            .collect()
    } else {
        prep.means.clone()
    };
    // No covariates: the null model (R's coxph.null), no iterations.
    let iter_max = if p == 0 { 0 } else { opts.iter_max };
    let nw = survlens_timing::stage("newton", || {
        newton::iterate(&prep, opts.ties, iter_max, opts.eps, opts.toler_chol)
    });
    let converged = nw.flag != 1000;
    // Linear predictors, caller's row order.
    let offset: f64 = nw.beta.iter().zip(&means).map(|(b, m)| b * m).sum();
    let linear_predictors: Vec<f64> = (0..n)
        .map(|i| (0..p).map(|j| data.x[j * n + i] * nw.beta[j]).sum::<f64>() - offset)
        .collect();
    // Aliased columns and the infinite-coefficient check (coxph.fit).
    let which_sing: Vec<bool> = (0..p)
        .map(|j| (counting || nw.flag < p as i64) && nw.var[j * p + j] == 0.0)
        .collect();
    let step: Vec<f64> = (0..p)
        .map(|j| {
            (0..p)
                .map(|i| nw.u[i] * nw.var[i * p + j])
                .sum::<f64>()
                .abs()
        })
        .collect();
    let mut infinite = vec![false; p];
    let mut maybe_infinite = false;
    if iter_max > 1 {
        if converged && counting {
            for j in 0..p {
                infinite[j] =
                    !nw.u[j].is_finite() || step[j] > opts.toler_inf * (1.0 + nw.beta[j].abs());
            }
        } else if converged {
            for j in 0..p {
                infinite[j] = !nw.u[j].is_finite()
                    || (step[j] > opts.eps && step[j] > opts.toler_inf * nw.beta[j].abs());
            }
        } else if !counting {
            let max_lp = linear_predictors
                .iter()
                .fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            maybe_infinite = max_lp > 500.0 || step.iter().any(|v| !v.is_finite());
        }
    }
    let coef: Vec<Option<f64>> = (0..p)
        .map(|j| {
            if iter_max > 0 && which_sing[j] {
                None
            } else {
                Some(nw.beta[j])
            }
        })
        .collect();
    let df = coef.iter().filter(|c| c.is_some()).count();
    let robust = if opts.robust && df > 0 {
        Some(variance::robust(
            &prep,
            data,
            &weight,
            &nw,
            &linear_predictors,
            opts,
        ))
    } else {
        None
    };
    let var_for_wald = robust.as_ref().map_or(&nw.var, |r| &r.var);
    let wald = wald_statistic(&coef, var_for_wald, opts.toler_chol);
    let n_events = data.event.iter().filter(|&&e| e).count();
    Ok(CoxFit {
        lr_test: ChisqTest::new(2.0 * (nw.loglik - nw.loglik_init), df),
        score_test: ChisqTest::new(nw.score_test, df),
        wald_test: ChisqTest::new(wald, df),
        robust_score_test: robust.as_ref().map(|r| ChisqTest::new(r.rscore, df)),
        robust_var: robust.map(|r| r.var),
        coef,
        beta: nw.beta,
        var: nw.var,
        loglik_init: nw.loglik_init,
        loglik: nw.loglik,
        score: nw.u,
        iterations: nw.iterations,
        converged,
        infinite,
        maybe_infinite,
        means,
        linear_predictors,
        n,
        n_events,
        order: prep.order,
    })
}

/// b̂ᵀV⁻b̂ over the non-aliased coefficients, generalized Cholesky solve (`coxph.wtest`).
fn wald_statistic(coef: &[Option<f64>], var: &[f64], toler: f64) -> f64 {
    let all: Vec<usize> = (0..coef.len()).collect();
    wald_statistic_of(coef, var, &all, toler)
}

/// The Wald test of the coefficients `columns` of `fit` (the non-aliased ones among
/// them): b̂ᵀV⁻b̂ with V their block of the robust variance when the fit has one, else
/// of the model-based one; df = the number of non-aliased columns.
///
/// # R equivalent
/// `i <- columns; b <- coef(fit)[i]; drop(b %*% solve(vcov(fit)[i, i], b))`
/// (`vcov` is the robust variance of a robust fit), `pchisq(., df, lower.tail = FALSE)`.
pub fn wald_test_of(fit: &CoxFit, columns: &[usize]) -> ChisqTest {
    let var = fit.robust_var.as_ref().unwrap_or(&fit.var);
    let df = columns
        .iter()
        .filter(|&&j| fit.coef.get(j).is_some_and(Option::is_some))
        .count();
    let chisq = wald_statistic_of(&fit.coef, var, columns, CoxOptions::default().toler_chol);
    ChisqTest::new(chisq, df)
}

/// b̂ᵀV⁻b̂ over the non-aliased coefficients among `columns`.
fn wald_statistic_of(coef: &[Option<f64>], var: &[f64], columns: &[usize], toler: f64) -> f64 {
    let p = coef.len();
    let keep: Vec<usize> = columns
        .iter()
        .copied()
        .filter(|&j| coef.get(j).is_some_and(Option::is_some))
        .collect();
    let k = keep.len();
    let b: Vec<f64> = keep.iter().map(|&j| coef[j].unwrap_or(0.0)).collect();
    let mut v = vec![0.0; k * k];
    for (a, &i) in keep.iter().enumerate() {
        for (c, &j) in keep.iter().enumerate() {
            v[a * k + c] = var[i * p + j];
        }
    }
    quad_form_solve(&v, k, &b, toler)
}

/// bᵀA⁻b with survival's generalized Cholesky (redundant components dropped).
pub(crate) fn quad_form_solve(a: &[f64], k: usize, b: &[f64], toler: f64) -> f64 {
    let chol = cholesky2(a, k, toler);
    let s = chol.solve(b);
    b.iter().zip(&s).map(|(x, y)| x * y).sum()
}

/// exp of the linear predictors, shifted as `coxph.fit` does when one would overflow.
pub(crate) fn risk_scores(lp: &[f64]) -> Vec<f64> {
    const LOG_XMAX: f64 = 709.782_712_893_384;
    let max = lp.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let shift = if max > LOG_XMAX {
        LOG_XMAX - (1.0 + max)
    } else {
        0.0
    };
    lp.iter().map(|&v| math::exp(v + shift)).collect()
}
