//! The random draws of the imputation models, all from [`SplitMix64`] with the crate's
//! bit-identical elementary functions ([`crate::math`]), so a seed gives the same bytes
//! native and wasm: standard normal (Marsaglia's polar method), χ² (twice a gamma
//! variate, Marsaglia & Tsang), a multivariate normal around a fitted β, a uniform
//! index, a class from its probabilities.
//!
//! # References
//! * Marsaglia, G. & Bray, T. A. (1964). A convenient method for generating normal
//!   variables. *SIAM Review* 6, 260–264.
//! * Marsaglia, G. & Tsang, W. W. (2000). A simple method for generating gamma variables.
//!   *ACM Transactions on Mathematical Software* 26, 363–372.
//!
//! # R equivalent
//! `rnorm(1)`, `rchisq(1, df)`, `beta + t(chol(v)) %*% rnorm(p)`, `sample(n, 1)`: the same
//! distributions, not R's streams (R's Mersenne-Twister and inversion are not reproduced).

use crate::linalg::{cholesky2, TOLER_CHOL};
use crate::math;
use crate::rng::SplitMix64;

/// A standard normal variate: polar method, u, v uniform on (−1, 1), s = u² + v² accepted
/// when 0 < s < 1, z = u·√(−2 ln s / s) (the second variate of the pair is not kept, so
/// every call consumes a whole number of accepted pairs and streams stay simple).
pub fn normal(rng: &mut SplitMix64) -> f64 {
    loop {
        let u = 2.0 * rng.uniform() - 1.0;
        let v = 2.0 * rng.uniform() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * math::ln(s) / s).sqrt();
        }
    }
}

/// A Gamma(shape, 1) variate, shape > 0: Marsaglia–Tsang (d = a − 1/3, c = 1/√(9d);
/// x normal, v = (1 + c·x)³; accept when ln u < x²/2 + d − d·v + d·ln v, return d·v);
/// shape < 1 by Gamma(a) = Gamma(a + 1)·U^{1/a}.
pub fn gamma(rng: &mut SplitMix64, shape: f64) -> f64 {
    if shape < 1.0 {
        let g = gamma(rng, shape + 1.0);
        return g * math::pow(rng.uniform(), 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let t = 1.0 + c * x;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = rng.uniform();
        if math::ln(u) < 0.5 * x * x + d - d * v + d * math::ln(v) {
            return d * v;
        }
    }
}

/// A χ² variate with `df` > 0 degrees of freedom: 2·Gamma(df/2) (R: `rchisq(1, df)`).
pub fn chi_square(rng: &mut SplitMix64, df: f64) -> f64 {
    2.0 * gamma(rng, 0.5 * df)
}

/// β + L·z with z standard normal and L the square-root factor of the covariance `cov`
/// (q×q row-major; generalized LDLᵀ, so a singular covariance draws nothing in its null
/// directions), each component of L·z multiplied by `scale`. mice:
/// `beta + t(chol(sym(v))) %*% rnorm(ncol(x)) * sigma`.
pub fn multivariate_normal(
    rng: &mut SplitMix64,
    beta: &[f64],
    cov: &[f64],
    scale: f64,
) -> Vec<f64> {
    let q = beta.len();
    let z: Vec<f64> = (0..q).map(|_| normal(rng)).collect();
    let step = cholesky2(cov, q, TOLER_CHOL).sqrt_factor_times(&z);
    beta.iter().zip(&step).map(|(b, s)| b + scale * s).collect()
}

/// A class drawn from its probabilities: the number of cumulative probabilities below a
/// uniform u (mice.impute.polyreg: `1 + sum(u > cumsum(post))`), capped at the last class.
pub fn class_from(rng: &mut SplitMix64, probs: &[f64]) -> usize {
    let u = rng.uniform();
    let mut cumulative = 0.0;
    for (c, p) in probs.iter().enumerate() {
        cumulative += p;
        if u <= cumulative {
            return c;
        }
    }
    probs.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_var(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn normal_has_mean_0_and_variance_1() {
        let mut rng = SplitMix64(11);
        let xs: Vec<f64> = (0..200_000).map(|_| normal(&mut rng)).collect();
        let (mean, var) = mean_var(&xs);
        // SE of the mean 0.0022, of the variance ~0.0032.
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.015, "{var}");
        let below = xs.iter().filter(|&&x| x < -1.959_963_984_540_054).count() as f64;
        assert!((below / 200_000.0 - 0.025).abs() < 0.002);
    }

    #[test]
    fn chi_square_has_mean_df_and_variance_2df() {
        for df in [1.0, 3.0, 40.0, 0.6] {
            let mut rng = SplitMix64(5);
            let xs: Vec<f64> = (0..100_000).map(|_| chi_square(&mut rng, df)).collect();
            let (mean, var) = mean_var(&xs);
            assert!(xs.iter().all(|&x| x > 0.0));
            assert!(
                (mean - df).abs() < 0.03 * df.max(1.0),
                "df {df}: mean {mean}"
            );
            assert!(
                (var - 2.0 * df).abs() < 0.08 * 2.0 * df.max(1.0),
                "df {df}: var {var}"
            );
        }
    }

    #[test]
    fn class_frequencies_follow_probabilities() {
        let mut rng = SplitMix64(3);
        let probs = [0.2, 0.5, 0.3];
        let mut counts = [0usize; 3];
        for _ in 0..100_000 {
            counts[class_from(&mut rng, &probs)] += 1;
        }
        for (c, p) in counts.iter().zip(probs) {
            assert!((*c as f64 / 100_000.0 - p).abs() < 0.006);
        }
    }

    #[test]
    fn multivariate_normal_has_the_covariance() {
        let cov = [2.0, 0.6, 0.6, 0.5];
        let mut rng = SplitMix64(9);
        let n = 100_000;
        let draws: Vec<Vec<f64>> = (0..n)
            .map(|_| multivariate_normal(&mut rng, &[1.0, -1.0], &cov, 1.0))
            .collect();
        let a: Vec<f64> = draws.iter().map(|d| d[0]).collect();
        let b: Vec<f64> = draws.iter().map(|d| d[1]).collect();
        let (ma, va) = mean_var(&a);
        let (mb, vb) = mean_var(&b);
        let cab = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - ma) * (y - mb))
            .sum::<f64>()
            / (n as f64 - 1.0);
        assert!((ma - 1.0).abs() < 0.02 && (mb + 1.0).abs() < 0.01);
        assert!((va - 2.0).abs() < 0.05 && (vb - 0.5).abs() < 0.015 && (cab - 0.6).abs() < 0.02);
        // A singular covariance draws nothing in its null direction.
        let mut rng = SplitMix64(1);
        let d = multivariate_normal(&mut rng, &[0.0, 0.0], &[1.0, 0.0, 0.0, 0.0], 1.0);
        assert_eq!(d[1], 0.0);
    }
}
