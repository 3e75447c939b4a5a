//! Distribution functions for p-values and confidence limits.
//!
//! Upper tails are computed directly (regularized upper incomplete gamma, erfc), never as
//! 1 − CDF, so tiny p-values keep their relative accuracy (METHODS.md §10).

use statrs::function::erf::{erfc, erfc_inv};
use statrs::function::gamma::gamma_ur;

/// P(X > x) for X ~ χ²(df). Returns 1 for x <= 0 and NaN for df <= 0 or non-finite input.
///
/// # R equivalent
/// `pchisq(x, df, lower.tail = FALSE)`
pub fn chisq_upper_tail(x: f64, df: f64) -> f64 {
    if !(df > 0.0) || x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    if x == f64::INFINITY {
        return 0.0;
    }
    gamma_ur(df / 2.0, x / 2.0)
}

/// P(Z > z) for a standard normal Z.
///
/// # R equivalent
/// `pnorm(z, lower.tail = FALSE)`
pub fn normal_upper_tail(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// Two-sided normal p-value 2·P(Z > |z|).
///
/// # R equivalent
/// `2 * pnorm(-abs(z))`
pub fn normal_two_sided_p(z: f64) -> f64 {
    2.0 * normal_upper_tail(z.abs())
}

/// The standard normal quantile Φ⁻¹(p), p in (0, 1).
///
/// # R equivalent
/// `qnorm(p)`
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return if p == 0.0 {
            f64::NEG_INFINITY
        } else if p == 1.0 {
            f64::INFINITY
        } else {
            f64::NAN
        };
    }
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
}

/// The two-sided critical value z = Φ⁻¹(1 − (1 − level)/2) of a confidence level.
pub fn z_for_level(level: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - level) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn matches_r_reference_values() {
        // qnorm(0.975) = 1.959963984540054
        assert!(rel(z_for_level(0.95), 1.959963984540054) < 1e-14);
        // qnorm(0.95) = 1.644853626951472
        assert!(rel(z_for_level(0.90), 1.644853626951472) < 1e-14);
        // pchisq(3.84, 1, lower.tail=FALSE) = 0.050043521248705224
        assert!(rel(chisq_upper_tail(3.84, 1.0), 0.050043521248705224) < 1e-12);
        // pchisq(200, 2, lower.tail=FALSE) = 3.720075976020836e-44
        assert!(rel(chisq_upper_tail(200.0, 2.0), 3.720075976020836e-44) < 1e-10);
        // pchisq(7.5, 3, lower.tail=FALSE) = 0.057558451972636406
        assert!(rel(chisq_upper_tail(7.5, 3.0), 0.057558451972636406) < 1e-10);
        // 2*pnorm(-9) = 2.257176811907681e-19
        assert!(rel(normal_two_sided_p(9.0), 2.257176811907681e-19) < 1e-10);
        assert_eq!(chisq_upper_tail(0.0, 2.0), 1.0);
        assert!(chisq_upper_tail(1.0, 0.0).is_nan());
    }
}
