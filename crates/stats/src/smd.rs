//! Standardized mean differences (SMD) between groups, with the contract's denominator:
//! the one home of the pooled SD, the pairs and the SMD itself (Table 1 and the balance
//! tables of [`super::balance`] call them).
//!
//! # Formula
//! smd(a, b) = (mean_a − mean_b) / s, s = √(mean over all k groups of var_g), var_g the
//! unweighted within-group variance with denominator n_g − 1 (also for the 0/1
//! indicator of a categorical level). The same s serves before and after weighting
//! (docs/methods.md#standardized-mean-difference).
//!
//! Undefined values are `None`, as R's arithmetic gives `NA`/`NaN`/`Inf`: s is undefined
//! when a group has fewer than two values (its variance is `NA`), and an SMD is
//! undefined when s is 0 (a covariate constant within every group).
//!
//! # References
//! Austin (2009), *Balance diagnostics for comparing the distribution of baseline
//! covariates between treatment groups in propensity-score matched samples*, Stat Med
//! 28, 3083–3107; Yang & Dalton (2012), SAS GF 335-2012 (the multi-group form).

use super::describe;

/// The pairs of groups (a, b) with a later than b, ordered by b then a.
///
/// # Examples
/// Three groups give (1, 0), (2, 0), (2, 1).
pub fn pairs(k: usize) -> Vec<(usize, usize)> {
    (0..k)
        .flat_map(|b| (b + 1..k).map(move |a| (a, b)))
        .collect()
}

/// The pooled standard deviation of the SMDs: the one definition, used by Table 1
/// ([`pooled_sd`], [`pooled_sd_indicator`]) and the balance tables
/// ([`super::balance::smd_pairs`]).
///
/// # Formula
/// s = √((1/k) Σ_g var_g) over the k groups' within-group variances (divisor n_g − 1);
/// `None` when a variance is undefined (a group with fewer than two values) or there is
/// no group. A variance given as NaN gives NaN, as R's arithmetic does.
///
/// # References
/// Austin (2009), Stat Med 28, 3083–3107 (two groups); Yang & Dalton (2012), SAS GF
/// 335-2012 (the mean of k variances).
///
/// # R equivalent
/// `sqrt(mean(tapply(x, g, var)))`
pub fn pooled_sd_of(variances: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (mut sum, mut k) = (0.0, 0usize);
    for v in variances {
        sum += v?;
        k += 1;
    }
    (k > 0).then(|| (sum / k as f64).sqrt())
}

/// [`pooled_sd_of`] the groups' values ([`describe::variance`] of each).
///
/// # R equivalent
/// `sqrt(mean(tapply(x, g, var)))`
pub fn pooled_sd(groups: &[&[f64]]) -> Option<f64> {
    pooled_sd_of(groups.iter().map(|g| describe::variance(g)))
}

/// [`pooled_sd_of`] the 0/1 indicator of one level: `counts[g]` of the level among
/// `n[g]` values.
///
/// # Formula
/// var_g = c_g (n_g − c_g) / (n_g (n_g − 1)), the n − 1 variance of a 0/1 vector.
///
/// # R equivalent
/// `sqrt(mean(tapply(x == level, g, var)))`
pub fn pooled_sd_indicator(counts: &[usize], n: &[usize]) -> Option<f64> {
    if counts.len() != n.len() {
        return None;
    }
    pooled_sd_of(counts.iter().zip(n).map(|(&c, &m)| {
        let (c, m) = (c as f64, m as f64);
        (m >= 2.0).then(|| c * (m - c) / (m * (m - 1.0)))
    }))
}

/// (mean_a − mean_b) / s; `None` when an input is missing, s is 0 or the result is
/// not finite.
///
/// # R equivalent
/// `(mean(x[g == a]) - mean(x[g == b])) / s`
pub fn smd(mean_a: Option<f64>, mean_b: Option<f64>, s: Option<f64>) -> Option<f64> {
    let (ma, mb, s) = (mean_a?, mean_b?, s?);
    if s <= 0.0 {
        return None;
    }
    let v = (ma - mb) / s;
    v.is_finite().then_some(v)
}

/// The largest |SMD| among the defined ones; `None` when none is defined.
///
/// # R equivalent
/// `max(abs(smd), na.rm = TRUE)` (with `NA` for an all-`NA` vector instead of `-Inf`)
pub fn max_abs(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    values
        .into_iter()
        .flatten()
        .map(f64::abs)
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.max(v)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_order_is_b_then_a() {
        assert_eq!(pairs(3), vec![(1, 0), (2, 0), (2, 1)]);
        assert!(pairs(1).is_empty());
    }

    #[test]
    fn hand_computed_smd() {
        // a = (1, 2, 3): mean 2, var 1; b = (2, 4, 6, 8): mean 5, var 20/3.
        // s = sqrt((1 + 20/3) / 2) = sqrt(23/6).
        let (a, b) = ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0, 8.0]);
        let s = pooled_sd(&[&a, &b]);
        assert!((s.unwrap_or(0.0) - (23.0f64 / 6.0).sqrt()).abs() < 1e-15);
        let d = smd(Some(5.0), Some(2.0), s).unwrap_or(0.0);
        assert!((d - 3.0 / (23.0f64 / 6.0).sqrt()).abs() < 1e-15);
        assert!(pooled_sd(&[&a, &[1.0]]).is_none());
        assert!(smd(Some(1.0), Some(1.0), Some(0.0)).is_none());
    }

    #[test]
    fn indicator_variance_equals_vector_variance() {
        // Group 1: 2 of 5 are the level; group 2: 3 of 4.
        let g1 = [1.0, 0.0, 1.0, 0.0, 0.0];
        let g2 = [1.0, 1.0, 0.0, 1.0];
        let by_vectors = pooled_sd(&[&g1, &g2]).unwrap_or(0.0);
        let by_counts = pooled_sd_indicator(&[2, 3], &[5, 4]).unwrap_or(1.0);
        assert!((by_vectors - by_counts).abs() < 1e-15);
        assert!(pooled_sd_indicator(&[1, 1], &[1, 4]).is_none());
    }

    #[test]
    fn max_abs_skips_undefined() {
        assert_eq!(max_abs([Some(-0.3), None, Some(0.2)]), Some(0.3));
        assert_eq!(max_abs([None, None]), None);
    }
}
