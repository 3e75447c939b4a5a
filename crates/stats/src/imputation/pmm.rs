//! Predictive mean matching of a numeric column (mice.impute.pmm, matching type 1).
//!
//! # Formula
//! On the rows where y is observed, with design X (intercept first, see
//! [`super::design`]): β̂ = (XᵀX)⁻¹Xᵀy, V = (XᵀX)⁻¹, residual sum of squares RSS,
//! df = max(n_obs − q, 1). A Bayesian draw from the posterior of the normal linear model
//! (mice's `.norm.draw`): σ* = √(RSS / g) with g ~ χ²_df, β* = β̂ + σ*·L z with
//! V = L Lᵀ and z ~ N(0, I). When XᵀX is rank-deficient (collinear predictors) the fit
//! uses XᵀX + diag(κ·diag(XᵀX)), κ = 1e-5, for both β̂ and V (mice's `estimice` ridge
//! fallback; mice keeps the QR coefficients there, a difference of order κ).
//! Matching type 1: predictions ŷ_obs = X_obs β̂ for the donors, ŷ_mis = X_mis β* for
//! the rows to impute; for each of them the 5 donors with the nearest ŷ_obs (ties among
//! donors broken at random) are found and one of them, chosen uniformly, gives its
//! observed y. Only observed values are ever imputed.
//!
//! # References
//! * Little, R. J. A. (1988). Missing-data adjustments in large surveys. *JBES* 6, 287–296.
//! * van Buuren, S. (2018). *Flexible Imputation of Missing Data*, 2nd ed., §3.4
//!   (algorithm 3.3) and §3.2 (algorithm 3.1, `.norm.draw`).
//! * van Buuren, S. & Groothuis-Oudshoorn, K. (2011). mice: Multivariate imputation by
//!   chained equations in R. *J. Statistical Software* 45(3).
//!
//! # R equivalent
//! `mice.impute.pmm(y, ry, x, donors = 5L, matchtype = 1L, ridge = 1e-05)`, the
//! default of `mice(data, method = "pmm")` for numeric columns.

use super::design::Design;
use super::draws;
use crate::linalg::{cholesky2, TOLER_CHOL};
use crate::rng::SplitMix64;

/// Donors among which one is drawn (mice's `donors = 5L`).
pub const DONORS: usize = 5;

/// Ridge of the rank-deficient fallback (mice's `ridge = 1e-05`).
pub const RIDGE: f64 = 1e-5;

/// β̂, its unscaled covariance V = (XᵀX)⁻¹ and the residual sum of squares of the least
/// squares fit of y on the rows `observed`.
fn least_squares(d: &Design, y: &[f64], observed: &[usize]) -> (Vec<f64>, Vec<f64>, f64) {
    let q = d.q;
    let mut xtx = vec![0.0; q * q];
    let mut xty = vec![0.0; q];
    for &i in observed {
        let row = d.row(i);
        for j in 0..q {
            xty[j] += row[j] * y[i];
            for l in j..q {
                xtx[j * q + l] += row[j] * row[l];
            }
        }
    }
    for j in 0..q {
        for l in 0..j {
            xtx[j * q + l] = xtx[l * q + j];
        }
    }
    let mut chol = cholesky2(&xtx, q, TOLER_CHOL);
    if chol.rank() < q {
        let mut ridged = xtx.clone();
        for j in 0..q {
            ridged[j * q + j] += RIDGE * xtx[j * q + j];
        }
        chol = cholesky2(&ridged, q, TOLER_CHOL);
    }
    let beta = chol.solve(&xty);
    let v = chol.inverse();
    let rss = observed
        .iter()
        .map(|&i| {
            let fitted: f64 = d.row(i).iter().zip(&beta).map(|(a, b)| a * b).sum();
            (y[i] - fitted) * (y[i] - fitted)
        })
        .sum();
    (beta, v, rss)
}

/// Imputed values for the rows `missing` (in their order), drawn from the observed
/// `y[observed]` by predictive mean matching.
pub(super) fn impute(
    d: &Design,
    y: &[f64],
    observed: &[usize],
    missing: &[usize],
    rng: &mut SplitMix64,
) -> Vec<f64> {
    let (beta_hat, v, rss) = least_squares(d, y, observed);
    let df = observed.len().saturating_sub(d.q).max(1) as f64;
    let sigma = (rss / draws::chi_square(rng, df)).sqrt();
    let mut beta_star = draws::multivariate_normal(rng, &beta_hat, &v, sigma);
    if beta_star.iter().any(|b| !b.is_finite()) {
        beta_star.clone_from(&beta_hat);
    }
    let predict =
        |i: usize, beta: &[f64]| -> f64 { d.row(i).iter().zip(beta).map(|(a, b)| a * b).sum() };
    let donors_yhat: Vec<f64> = observed.iter().map(|&i| predict(i, &beta_hat)).collect();
    let targets: Vec<f64> = missing.iter().map(|&i| predict(i, &beta_star)).collect();
    let donor_values: Vec<f64> = observed.iter().map(|&i| y[i]).collect();
    match_donors(&donors_yhat, &targets, &donor_values, DONORS, rng)
}

/// For each target prediction, one of the `k` donors with the nearest prediction, chosen
/// uniformly; returns that donor's value (mice's `matchindex(d, t, k)`: donors shuffled
/// so that ties fall at random, sorted, the k nearest found by walking out from the
/// target's place in the sorted donors). Non-finite predictions sort last.
pub(super) fn match_donors(
    donors: &[f64],
    targets: &[f64],
    values: &[f64],
    k: usize,
    rng: &mut SplitMix64,
) -> Vec<f64> {
    let n = donors.len();
    if n == 0 {
        return Vec::new();
    }
    let k = k.clamp(1, n);
    let keys: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| donors[a].total_cmp(&donors[b]).then(keys[a].cmp(&keys[b])));
    let sorted: Vec<f64> = order.iter().map(|&i| donors[i]).collect();
    targets
        .iter()
        .map(|&t| {
            let pick = rng.index(k);
            let mut hi = sorted.partition_point(|&v| v.total_cmp(&t).is_lt());
            let mut lo = hi; // candidates below: sorted[..lo]
            let mut chosen = 0;
            for _ in 0..=pick {
                let take_low = if lo == 0 {
                    false
                } else if hi == n {
                    true
                } else {
                    (t - sorted[lo - 1]).abs() <= (sorted[hi] - t).abs()
                };
                if take_low {
                    lo -= 1;
                    chosen = lo;
                } else {
                    chosen = hi;
                    hi += 1;
                }
            }
            values[order[chosen]]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_donor_when_k_is_1() {
        let donors = [0.0, 1.0, 2.0, 3.0, 10.0];
        let values = [100.0, 101.0, 102.0, 103.0, 110.0];
        let mut rng = SplitMix64(1);
        let got = match_donors(&donors, &[-5.0, 1.2, 2.6, 8.0, 50.0], &values, 1, &mut rng);
        assert_eq!(got, vec![100.0, 101.0, 103.0, 110.0, 110.0]);
    }

    #[test]
    fn k_nearest_donors_are_the_pool() {
        let donors: Vec<f64> = (0..20).map(f64::from).collect();
        let values: Vec<f64> = donors.clone();
        let mut rng = SplitMix64(4);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..2000 {
            let v = match_donors(&donors, &[10.2], &values, 5, &mut rng)[0];
            seen.insert(v as i64);
        }
        // The 5 nearest of 10.2: 8, 9, 10, 11, 12.
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![8, 9, 10, 11, 12]);
    }
}
