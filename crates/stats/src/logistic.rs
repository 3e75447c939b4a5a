//! Binary and multinomial (baseline-category) logistic regression by Newton–Raphson:
//! the propensity-score model of docs/spec.md#propensity.
//!
//! # Formula
//! Classes c = 0..k−1, class 0 the reference. With design row x_i (intercept included)
//! and coefficients β_c (β_0 = 0): η_ic = x_iᵀβ_c, π_ic = exp(η_ic) / Σ_d exp(η_id).
//! Log-likelihood ℓ = Σ_i log π_{i,y_i}; score U_c = Σ_i x_i (1{y_i = c} − π_ic);
//! information I_{(c,j),(d,l)} = Σ_i x_ij x_il π_ic (δ_cd − π_id) for c, d ≥ 1.
//! Newton step Δ = I⁻¹U (generalized Cholesky, aliased columns get 0), halved while ℓ
//! decreases; stop when max |Δ| < `tol` (1e-10) or after `max_iter` (50) iterations.
//! Standard errors: √diag(I⁻¹) at the solution. k = 2 is ordinary logistic regression.
//! Cost per iteration O(n·p²·(k−1)²) (the information), memory O(n·k + p²k²).
//!
//! # References
//! * Rosenbaum, P. R. & Rubin, D. B. (1983). The central role of the propensity score in
//!   observational studies for causal effects. *Biometrika* 70, 41–55.
//! * McCullagh, P. & Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed., §4.4, §6.4.
//! * Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., §8.1 (baseline-category logits).
//!
//! # R equivalent
//! Two classes: `glm(g ~ x, family = binomial, control = glm.control(epsilon = 1e-14,
//! maxit = 100))` → `coef`, `sqrt(diag(vcov(fit)))`. More: `nnet::multinom(g ~ x,
//! reltol = 1e-16, abstol = 1e-300, maxit = 10000)` agrees to ~1e-7 only (BFGS); the
//! reference fixtures use an R Newton–Raphson written in `tests/r/make_reference_propensity.R`,
//! cross-checked against multinom.

use crate::lanes::{axpy, Lanes, F2};
use crate::linalg::{cholesky2, TOLER_CHOL};
use crate::math;

/// Fitted probabilities below this are a positivity problem (docs/methods.md#propensity-score-and-weights).
pub const POSITIVITY_LIMIT: f64 = 1e-8;

/// Newton–Raphson settings (docs/methods.md#propensity-score-and-weights: step tolerance 1e-10, at most 50 iterations).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticOptions {
    /// Convergence when the largest absolute Newton step is below this.
    pub tol: f64,
    /// Maximum number of Newton iterations.
    pub max_iter: usize,
}

impl Default for LogisticOptions {
    fn default() -> Self {
        LogisticOptions {
            tol: 1e-10,
            max_iter: 50,
        }
    }
}

/// Why no fit exists.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LogisticError {
    /// Fewer than two classes, or slices of the wrong length.
    BadShape { message: String },
}

impl std::fmt::Display for LogisticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogisticError::BadShape { message } => write!(f, "logistic model: {message}"),
        }
    }
}

impl std::error::Error for LogisticError {}

/// A fitted (multinomial) logistic model.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticFit {
    /// Number of classes k.
    pub k: usize,
    /// Number of design columns p (intercept included).
    pub p: usize,
    /// Coefficients, class-major: `coef[(c − 1)·p + j]` for class c = 1..k−1.
    pub coef: Vec<f64>,
    /// Standard errors (same layout); `None` for an aliased column.
    pub se: Vec<Option<f64>>,
    /// Fitted probabilities, row-major n×k (`fitted[i·k + c]`).
    pub fitted: Vec<f64>,
    /// Log-likelihood at the solution.
    pub loglik: f64,
    /// Newton iterations done.
    pub iterations: usize,
    /// True when the step tolerance was met.
    pub converged: bool,
    /// Smallest fitted probability of any class for any row.
    pub min_fitted: f64,
}

impl LogisticFit {
    /// Coefficient j of class c (c ≥ 1).
    pub fn coef_of(&self, c: usize, j: usize) -> f64 {
        self.coef[(c - 1) * self.p + j]
    }

    /// True when some fitted probability is below [`POSITIVITY_LIMIT`].
    pub fn positivity_problem(&self) -> bool {
        self.min_fitted < POSITIVITY_LIMIT
    }
}

/// Fit the baseline-category logit model of `class` (0..k−1, 0 = reference) on the
/// row-major n×p design `x` (include an intercept column yourself).
///
/// Starts at the intercept-only solution when column 0 is constant 1 (log n_c/n_0),
/// else at 0. Separation never stops the fit: the separating coefficients grow, and
/// either the iteration limit ends it (`converged` false) or the information becomes so
/// flat in their direction that the generalized Cholesky treats those columns as
/// aliased (step 0, SE `None`) and the other steps converge (`converged` true, e.g. an
/// empty group × level cell). Either way `min_fitted` reveals the fitted 0/1
/// probabilities ([`LogisticFit::positivity_problem`], the `positivity` warning).
///
/// See the module docs for formula, references and the R equivalent.
pub fn fit(
    x: &[f64],
    p: usize,
    class: &[u32],
    k: usize,
    opts: &LogisticOptions,
) -> Result<LogisticFit, LogisticError> {
    fit_with_weights(x, p, class, k, None, opts).map(|(fit, _)| fit)
}

/// [`fit`] with case weights w_i > 0 (ℓ = Σ_i w_i log π_{i,y_i}, score and information
/// weighted likewise; R: `glm(..., weights = w)`, whose `cov.unscaled` is the
/// covariance returned here), also returning the covariance matrix I⁻¹ at the solution
/// (row-major q×q, q = (k − 1)·p, class-major as `coef`; rows and columns of aliased
/// parameters are 0). Weights all 1 give the same bits as [`fit`]. Used by the
/// imputation models ([`crate::imputation`]), whose augmented rows carry small weights.
pub fn fit_weighted(
    x: &[f64],
    p: usize,
    class: &[u32],
    k: usize,
    weights: &[f64],
    opts: &LogisticOptions,
) -> Result<(LogisticFit, Vec<f64>), LogisticError> {
    if weights.len() != class.len() || weights.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(LogisticError::BadShape {
            message: format!(
                "{} weights for {} rows (each must be positive and finite)",
                weights.len(),
                class.len()
            ),
        });
    }
    fit_with_weights(x, p, class, k, Some(weights), opts)
}

fn fit_with_weights(
    x: &[f64],
    p: usize,
    class: &[u32],
    k: usize,
    weights: Option<&[f64]>,
    opts: &LogisticOptions,
) -> Result<(LogisticFit, Vec<f64>), LogisticError> {
    let n = class.len();
    if k < 2 || p == 0 || x.len() != n * p || class.iter().any(|&c| c as usize >= k) {
        return Err(LogisticError::BadShape {
            message: format!("{n} rows, {p} columns, {k} classes, {} values", x.len()),
        });
    }
    let q = (k - 1) * p;
    let mut beta = start_values(x, p, class, k, weights);
    let mut probs = vec![0.0; n * k];
    let mut loglik = probabilities(x, p, k, class, weights, &beta, &mut probs);
    let mut iterations = 0;
    let mut converged = false;
    // The information of the last iteration, kept when the fit converges: its β differs
    // from the solution by less than `tol`, so it serves for the standard errors
    // (relative change ~tol) without one more O(n·p²k²) pass.
    let mut last_info: Option<Vec<f64>> = None;
    while iterations < opts.max_iter {
        iterations += 1;
        let (score, info) = score_information(x, p, k, class, weights, &probs);
        let step = cholesky2(&info, q, TOLER_CHOL).solve(&score);
        if step.iter().any(|s| !s.is_finite()) {
            break;
        }
        let mut scale = 1.0;
        let mut trial = vec![0.0; q];
        let mut trial_probs = vec![0.0; n * k];
        let mut accepted = false;
        for _ in 0..30 {
            for ((t, b), s) in trial.iter_mut().zip(&beta).zip(&step) {
                *t = b + scale * s;
            }
            let ll = probabilities(x, p, k, class, weights, &trial, &mut trial_probs);
            if ll.is_finite() && ll >= loglik - 1e-12 * loglik.abs() {
                loglik = ll;
                accepted = true;
                break;
            }
            scale *= 0.5;
        }
        if !accepted {
            break;
        }
        let largest = step.iter().fold(0.0_f64, |m, s| m.max((scale * s).abs()));
        std::mem::swap(&mut beta, &mut trial);
        std::mem::swap(&mut probs, &mut trial_probs);
        if largest < opts.tol {
            converged = true;
            last_info = Some(info);
            break;
        }
    }
    let info = match last_info {
        Some(info) => info,
        None => score_information(x, p, k, class, weights, &probs).1,
    };
    let chol = cholesky2(&info, q, TOLER_CHOL);
    let inv = chol.inverse();
    let se = (0..q)
        .map(|j| {
            let v = inv[j * q + j];
            (!chol.is_redundant(j) && v > 0.0).then(|| v.sqrt())
        })
        .collect();
    let min_fitted = probs.iter().copied().fold(f64::INFINITY, f64::min);
    Ok((
        LogisticFit {
            k,
            p,
            coef: beta,
            se,
            fitted: probs,
            loglik,
            iterations,
            converged,
            min_fitted,
        },
        inv,
    ))
}

/// Intercepts log(n_c / n_0) when column 0 is the intercept and every class occurs;
/// everything else 0.
/// Weighted: log(Σ_{y_i = c} w_i / Σ_{y_i = 0} w_i).
fn start_values(x: &[f64], p: usize, class: &[u32], k: usize, weights: Option<&[f64]>) -> Vec<f64> {
    let mut beta = vec![0.0; (k - 1) * p];
    let n = class.len();
    let intercept = (0..n).all(|i| x[i * p] == 1.0);
    let mut counts = vec![0usize; k];
    let mut totals = vec![0.0; k];
    for (i, &c) in class.iter().enumerate() {
        counts[c as usize] += 1;
        totals[c as usize] += weights.map_or(1.0, |w| w[i]);
    }
    if intercept && counts.iter().all(|&m| m > 0) {
        for c in 1..k {
            beta[(c - 1) * p] = match weights {
                None => math::ln(counts[c] as f64 / counts[0] as f64),
                Some(_) => math::ln(totals[c] / totals[0]),
            };
        }
    }
    beta
}

/// Fills the row-major n×k fitted probabilities; returns the log-likelihood.
fn probabilities(
    x: &[f64],
    p: usize,
    k: usize,
    class: &[u32],
    weights: Option<&[f64]>,
    beta: &[f64],
    probs: &mut [f64],
) -> f64 {
    let mut loglik = 0.0;
    let mut eta = vec![0.0; k];
    for (i, (row, pr)) in x.chunks_exact(p).zip(probs.chunks_exact_mut(k)).enumerate() {
        eta[0] = 0.0;
        for c in 1..k {
            let b = &beta[(c - 1) * p..c * p];
            eta[c] = row.iter().zip(b).map(|(a, b)| a * b).sum();
        }
        let top = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut total = 0.0;
        for c in 0..k {
            // exp(0) = 1 exactly: the largest class needs no call.
            let d = eta[c] - top;
            pr[c] = if d == 0.0 { 1.0 } else { math::exp(d) };
            total += pr[c];
        }
        for v in pr.iter_mut() {
            *v /= total;
        }
        let y = class[i] as usize;
        let term = eta[y] - top - math::ln(total);
        loglik += match weights {
            None => term,
            Some(w) => w[i] * term,
        };
    }
    loglik
}

/// Score vector and (row-major, full) information matrix of the (k−1)·p parameters.
///
/// The block (c, d) of the information is the weighted Gram matrix Σ_i v_icd x_i x_iᵀ
/// (v_icc = π_ic(1 − π_ic), v_icd = −π_ic π_id), symmetric in its own indices: per row
/// the packed upper triangle of x_i x_iᵀ is formed once and added, scaled, into one
/// packed accumulator per block pair (contiguous, so the loop vectorizes); the blocks
/// are unpacked into the q×q matrix at the end. O(n·p²·k²/2) per call, no allocation
/// per row. The additions are element-wise y += a·x over two lanes ([`axpy`]: f64x2 in
/// the SIMD wasm build), a multiply then an add per element as the scalar loop: every
/// build gives the same bits.
fn score_information(
    x: &[f64],
    p: usize,
    k: usize,
    class: &[u32],
    weights: Option<&[f64]>,
    probs: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    score_information_with::<F2>(x, p, k, class, weights, probs)
}

/// [`score_information`] over the lanes `L` (tests run the scalar [`crate::lanes::Pair`]).
fn score_information_with<L: Lanes>(
    x: &[f64],
    p: usize,
    k: usize,
    class: &[u32],
    weights: Option<&[f64]>,
    probs: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let q = (k - 1) * p;
    let tri = p * (p + 1) / 2;
    let pairs: Vec<(usize, usize)> = (1..k).flat_map(|c| (c..k).map(move |d| (c, d))).collect();
    let mut gram = vec![0.0; pairs.len() * tri];
    let mut outer = vec![0.0; tri];
    let mut score = vec![0.0; q];
    for (i, (row, pr)) in x.chunks_exact(p).zip(probs.chunks_exact(k)).enumerate() {
        let y = class[i] as usize;
        let wi = weights.map_or(1.0, |w| w[i]);
        for c in 1..k {
            let resid = wi * (f64::from(u8::from(y == c)) - pr[c]);
            axpy::<L>(&mut score[(c - 1) * p..c * p], resid, row);
        }
        let mut t = 0;
        for (j, &xj) in row.iter().enumerate() {
            for (o, xl) in outer[t..t + p - j].iter_mut().zip(&row[j..]) {
                *o = xj * xl;
            }
            t += p - j;
        }
        for (g, &(c, d)) in gram.chunks_exact_mut(tri).zip(&pairs) {
            let v = wi
                * if c == d {
                    pr[c] * (1.0 - pr[c])
                } else {
                    -pr[c] * pr[d]
                };
            if v == 0.0 {
                continue;
            }
            axpy::<L>(g, v, &outer);
        }
    }
    let mut info = vec![0.0; q * q];
    for (g, &(c, d)) in gram.chunks_exact(tri).zip(&pairs) {
        let mut t = 0;
        for j in 0..p {
            for l in j..p {
                let v = g[t];
                t += 1;
                let (r1, c1) = ((c - 1) * p + j, (d - 1) * p + l);
                let (r2, c2) = ((c - 1) * p + l, (d - 1) * p + j);
                for (r, s) in [(r1, c1), (c1, r1), (r2, c2), (c2, r2)] {
                    info[r * q + s] = v;
                }
            }
        }
    }
    (score, info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intercept_only_is_the_log_odds() {
        let class = [0, 0, 0, 1, 1, 0, 1, 0];
        let x = vec![1.0; 8];
        let f = fit(&x, 1, &class, 2, &LogisticOptions::default()).unwrap();
        assert!(f.converged);
        assert!((f.coef[0] - math::ln(3.0 / 5.0)).abs() < 1e-14);
        // se = sqrt(1/n0 + 1/n1)
        assert!((f.se[0].unwrap() - (1.0 / 5.0 + 1.0 / 3.0_f64).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn separation_is_not_a_crash() {
        let class = [0, 0, 0, 1, 1, 1];
        let x: Vec<f64> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
            .iter()
            .flat_map(|&v| [1.0, v])
            .collect();
        let f = fit(&x, 2, &class, 2, &LogisticOptions::default()).unwrap();
        assert!(f.positivity_problem());
        assert!(f.coef.iter().all(|c| c.is_finite()));
    }

    /// The scalar-lane score and information (the scalar wasm build's path) equal the
    /// textbook loops within 1e-12, are deterministic, and give the bits of this target's
    /// SIMD lanes (the wasm SIMD build is compared with the scalar one by tests/browser).
    #[test]
    fn scalar_lanes_are_the_reference_loop_and_the_simd_bits() {
        let (n, p, k) = (203, 7, 3);
        let x: Vec<f64> = (0..n * p)
            .map(|t| {
                if t % p == 0 {
                    1.0
                } else {
                    ((t * 7919) % 1013) as f64 / 101.0 - 4.9
                }
            })
            .collect();
        let class: Vec<u32> = (0..n).map(|i| ((i * 31) % 7 % 3) as u32).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 9) as f64 / 4.0).collect();
        let mut probs = vec![0.0; n * k];
        let beta: Vec<f64> = (0..(k - 1) * p).map(|j| (j as f64 - 6.0) / 20.0).collect();
        probabilities(&x, p, k, &class, Some(&w), &beta, &mut probs);
        let args = (&x[..], p, k, &class[..], Some(&w[..]), &probs[..]);
        let run = |simd: bool| {
            let (x, p, k, c, w, pr) = args;
            let (u, i) = if simd {
                score_information_with::<F2>(x, p, k, c, w, pr)
            } else {
                score_information_with::<crate::lanes::Pair>(x, p, k, c, w, pr)
            };
            u.into_iter().chain(i).map(f64::to_bits).collect::<Vec<_>>()
        };
        let pair = run(false);
        assert_eq!(pair, run(false));
        assert_eq!(pair, run(true), "SIMD and scalar lanes differ");
        let q = (k - 1) * p;
        let got: Vec<f64> = pair.iter().map(|&b| f64::from_bits(b)).collect();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        for c in 1..k {
            for j in 0..p {
                let want: f64 = (0..n)
                    .map(|i| {
                        let y = f64::from(u8::from(class[i] as usize == c));
                        w[i] * x[i * p + j] * (y - probs[i * k + c])
                    })
                    .sum();
                assert!(close(got[(c - 1) * p + j], want), "U[{c},{j}]");
            }
        }
        for c in 1..k {
            for d in 1..k {
                for j in 0..p {
                    for l in 0..p {
                        let want: f64 = (0..n)
                            .map(|i| {
                                let (pc, pd) = (probs[i * k + c], probs[i * k + d]);
                                let v = if c == d { pc * (1.0 - pc) } else { -pc * pd };
                                w[i] * v * x[i * p + j] * x[i * p + l]
                            })
                            .sum();
                        let a = got[q + ((c - 1) * p + j) * q + (d - 1) * p + l];
                        assert!(close(a, want), "I[{c},{j};{d},{l}] {a} {want}");
                    }
                }
            }
        }
    }

    #[test]
    fn bad_shape_is_an_error() {
        assert!(fit(&[1.0], 1, &[0], 1, &LogisticOptions::default()).is_err());
        assert!(fit(&[1.0, 1.0], 1, &[0, 3], 2, &LogisticOptions::default()).is_err());
    }
}

#[cfg(test)]
mod weighted_tests {
    use super::*;

    fn data() -> (Vec<f64>, Vec<u32>) {
        let xs = [
            0.3, 1.2, -0.7, 2.2, 0.1, -1.5, 0.9, 1.7, -0.2, 0.6, -1.1, 1.4,
        ];
        let class = vec![0, 1, 0, 2, 1, 0, 2, 2, 0, 1, 0, 1];
        (xs.iter().flat_map(|&v| [1.0, v]).collect(), class)
    }

    #[test]
    fn unit_weights_give_the_same_bits() {
        let (x, class) = data();
        let plain = fit(&x, 2, &class, 3, &LogisticOptions::default()).unwrap();
        let (weighted, cov) =
            fit_weighted(&x, 2, &class, 3, &[1.0; 12], &LogisticOptions::default()).unwrap();
        assert_eq!(plain, weighted);
        for j in 0..4 {
            assert_eq!(cov[j * 4 + j].sqrt(), plain.se[j].unwrap());
        }
    }

    #[test]
    fn integer_weights_equal_repeated_rows() {
        let (x, class) = data();
        let w: Vec<f64> = (0..12).map(|i| f64::from(1 + i % 3)).collect();
        let (weighted, cov) =
            fit_weighted(&x, 2, &class, 3, &w, &LogisticOptions::default()).unwrap();
        let mut xr = Vec::new();
        let mut cr = Vec::new();
        for i in 0..12 {
            for _ in 0..(1 + i % 3) {
                xr.extend_from_slice(&x[2 * i..2 * i + 2]);
                cr.push(class[i]);
            }
        }
        let repeated = fit(&xr, 2, &cr, 3, &LogisticOptions::default()).unwrap();
        for j in 0..4 {
            assert!((weighted.coef[j] - repeated.coef[j]).abs() < 1e-9);
            assert!((cov[j * 4 + j].sqrt() - repeated.se[j].unwrap()).abs() < 1e-9);
        }
        assert!((weighted.loglik - repeated.loglik).abs() < 1e-9);
    }

    #[test]
    fn bad_weights_are_an_error() {
        let (x, class) = data();
        assert!(fit_weighted(&x, 2, &class, 3, &[1.0; 11], &LogisticOptions::default()).is_err());
        let mut w = vec![1.0; 12];
        w[3] = 0.0;
        assert!(fit_weighted(&x, 2, &class, 3, &w, &LogisticOptions::default()).is_err());
    }
}
