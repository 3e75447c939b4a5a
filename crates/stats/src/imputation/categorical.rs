//! Logistic (two levels) and multinomial (more levels) imputation of a categorical
//! column, with mice's augmented rows against perfect prediction.
//!
//! # Formula
//! Classes are the levels observed in the column (a level never observed is never
//! imputed; one observed level is imputed everywhere, as mice.impute.polyreg does).
//! With k classes and the design X (intercept first, p = q − 1 predictors, see
//! [`super::design`]), the baseline-category logit model is fitted by Newton–Raphson
//! ([`crate::logistic::fit_weighted`]) on the observed rows plus mice's augmented
//! rows (`mice:::augment`, White, Daniel & Royston 2010): for each predictor j and
//! each class, two rows with every predictor at its mean except j at mean_j ± sd_j/2
//! (clamped to [min_j, max_j]; means, sds and ranges over all n rows), labelled with
//! that class; the 2·p·k augmented rows carry weight (p + 1)/(2·p·k) each, so p + 1
//! in total. They keep the maximum likelihood finite under perfect separation, at the
//! cost of a shrinkage of order (p + 1)/n_obs.
//!
//! Parameter draw: β* ~ N(β̂, I(β̂)⁻¹), the asymptotic normal of the (weighted) MLE; then
//! for each row to impute, π*_c = softmax(xᵀβ*_c) and the class is the number of
//! cumulative π* below a uniform u.
//!
//! Two levels: this is mice.impute.logreg exactly in distribution (mice also draws
//! β* = β̂ + t(chol(cov.unscaled)) z from the augmented quasi-binomial fit).
//! More levels: mice.impute.polyreg fits `nnet::multinom` on the augmented data and
//! imputes from the fitted probabilities at β̂, without a parameter draw (an "improper"
//! imputation that understates between-imputation variance). SurvLens draws β* from the
//! asymptotic normal of the multinomial MLE, the usual proper approximation (White,
//! Royston & Wood 2011, §3.3; Stata's `mi impute mlogit`); the fitted probabilities at
//! β̂ are the same model.
//!
//! # References
//! * van Buuren, S. & Groothuis-Oudshoorn, K. (2011). mice. *JSS* 45(3), §3.
//! * White, I. R., Daniel, R. & Royston, P. (2010). Avoiding bias due to perfect
//!   prediction in multiple imputation of incomplete categorical variables.
//!   *Computational Statistics & Data Analysis* 54, 2267–2275.
//! * White, I. R., Royston, P. & Wood, A. M. (2011). Multiple imputation using chained
//!   equations: issues and guidance for practice. *Statistics in Medicine* 30, 377–399.
//!
//! # R equivalent
//! `mice(data, method = "logreg")` for a two-level factor, `method = "polyreg"` for an
//! unordered factor with more levels (mice's defaults).

use super::design::Design;
use super::draws;
use crate::logistic::{self, LogisticOptions};
use crate::math;
use crate::rng::SplitMix64;

/// Imputed level codes for the rows `missing` (in their order).
pub(super) fn impute(
    d: &Design,
    codes: &[u32],
    n_levels: usize,
    observed: &[usize],
    missing: &[usize],
    rng: &mut SplitMix64,
) -> Vec<u32> {
    // Levels present among the observed values, in code order: the classes.
    let mut present = vec![false; n_levels];
    for &i in observed {
        present[codes[i] as usize] = true;
    }
    let levels: Vec<u32> = (0..n_levels as u32)
        .filter(|&c| present[c as usize])
        .collect();
    if levels.len() <= 1 {
        return vec![levels.first().copied().unwrap_or(0); missing.len()];
    }
    let mut class_of = vec![u32::MAX; n_levels];
    for (c, &level) in levels.iter().enumerate() {
        class_of[level as usize] = c as u32;
    }
    let k = levels.len();
    let q = d.q;
    let (aug_x, aug_class) = augmented_rows(d, k);
    let n_aug = aug_class.len();
    let mut x = Vec::with_capacity((observed.len() + n_aug) * q);
    let mut class = Vec::with_capacity(observed.len() + n_aug);
    for &i in observed {
        x.extend_from_slice(d.row(i));
        class.push(class_of[codes[i] as usize]);
    }
    x.extend_from_slice(&aug_x);
    class.extend_from_slice(&aug_class);
    let mut weights = vec![1.0; observed.len()];
    if n_aug > 0 {
        weights.resize(observed.len() + n_aug, q as f64 / n_aug as f64);
    }
    let beta = match logistic::fit_weighted(&x, q, &class, k, &weights, &LogisticOptions::default())
    {
        Ok((fit, cov)) if fit.coef.iter().all(|b| b.is_finite()) => {
            let draw = draws::multivariate_normal(rng, &fit.coef, &cov, 1.0);
            if draw.iter().all(|b| b.is_finite()) {
                draw
            } else {
                fit.coef
            }
        }
        // Never reached with augmented rows; the intercept-only proportions otherwise.
        _ => intercepts_only(&class[..observed.len()], k, q),
    };
    let mut probs = vec![0.0; k];
    missing
        .iter()
        .map(|&i| {
            softmax(d.row(i), &beta, q, &mut probs);
            levels[draws::class_from(rng, &probs)]
        })
        .collect()
}

/// mice's augmented rows (`mice:::augment`): row-major (2·p·k)×q with the intercept,
/// and their classes. None when there is no predictor.
fn augmented_rows(d: &Design, k: usize) -> (Vec<f64>, Vec<u32>) {
    let q = d.q;
    let p = q - 1;
    let n = d.x.len() / q;
    if p == 0 || n < 2 {
        return (Vec::new(), Vec::new());
    }
    let mut mean = vec![0.0; p];
    let mut min = vec![f64::INFINITY; p];
    let mut max = vec![f64::NEG_INFINITY; p];
    for i in 0..n {
        for (j, &v) in d.row(i)[1..].iter().enumerate() {
            mean[j] += v;
            min[j] = min[j].min(v);
            max[j] = max[j].max(v);
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    let mut var = vec![0.0; p];
    for i in 0..n {
        for (j, &v) in d.row(i)[1..].iter().enumerate() {
            var[j] += (v - mean[j]) * (v - mean[j]);
        }
    }
    let sd: Vec<f64> = var.iter().map(|v| (v / (n as f64 - 1.0)).sqrt()).collect();
    let mut x = Vec::with_capacity(2 * p * k * q);
    let mut class = Vec::with_capacity(2 * p * k);
    for j in 0..p {
        for c in 0..k {
            for half in [0.5, -0.5] {
                x.push(1.0);
                for l in 0..p {
                    let v = if l == j {
                        mean[l] + half * sd[l]
                    } else {
                        mean[l]
                    };
                    x.push(v.clamp(min[l], max[l]));
                }
                class.push(c as u32);
            }
        }
    }
    (x, class)
}

/// Fills π_c = exp(η_c) / Σ exp(η_d), η_0 = 0, η_c = xᵀβ_c (β class-major).
fn softmax(row: &[f64], beta: &[f64], q: usize, probs: &mut [f64]) {
    let k = probs.len();
    probs[0] = 0.0;
    for c in 1..k {
        probs[c] = row
            .iter()
            .zip(&beta[(c - 1) * q..c * q])
            .map(|(a, b)| a * b)
            .sum();
    }
    let top = probs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for v in probs.iter_mut() {
        *v = math::exp(*v - top);
        total += *v;
    }
    for v in probs.iter_mut() {
        *v /= total;
    }
}

/// Coefficients with log(n_c/n_0) intercepts and zero slopes (class-major).
fn intercepts_only(class: &[u32], k: usize, q: usize) -> Vec<f64> {
    let mut counts = vec![0.0_f64; k];
    for &c in class {
        counts[c as usize] += 1.0;
    }
    let mut beta = vec![0.0; (k - 1) * q];
    for c in 1..k {
        beta[(c - 1) * q] = math::ln(counts[c].max(0.5) / counts[0].max(0.5));
    }
    beta
}
