//! Covariate balance: standardized mean differences (SMD) between groups, before and
//! after weighting, with the contract's fixed denominator.
//!
//! # Formula
//! For a numeric covariate, or the 0/1 indicator of one level of a categorical one:
//! smd(a, b) = (m_a − m_b)/s with s = √(mean over all groups g of var_g), var_g the
//! unweighted within-group variance (divisor n_g − 1, also for indicators). Before
//! weighting m_g is the group mean; after, the weighted mean Σw x/Σw within the group.
//! The same s is used before and after, so a change in SMD is a change in the means
//! alone. Pairs (a, b): a later than b in group order, ordered by b, then a.
//!
//! # References
//! * Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
//!   covariates between treatment groups in propensity-score matched samples.
//!   *Stat. Med.* 28, 3083–3107.
//! * Austin, P. C. (2011). *Multivariate Behav. Res.* 46, 399–424.
//! * Austin, P. C. & Stuart, E. A. (2015). *Stat. Med.* 34, 3661–3679.
//!
//! # R equivalent
//! `s <- sqrt(mean(tapply(x, g, var)))`;
//! before `(mean(x[g == a]) − mean(x[g == b]))/s`;
//! after `(weighted.mean(x[g == a], w[g == a]) − weighted.mean(x[g == b], w[g == b]))/s`.
//! (cobalt's `bal.tab(..., s.d.denom = "pooled")` for two groups uses the same s.)

/// SMD of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSmd {
    /// Later group (index).
    pub a: usize,
    /// Earlier group (index).
    pub b: usize,
    /// Unweighted SMD; `None` when s = 0 or undefined (a group with < 2 rows).
    pub before: Option<f64>,
    /// Weighted SMD (same s); `None` as for `before`, or when a group's weights sum to 0.
    pub after: Option<f64>,
}

/// Every pair (a, b), a later than b, ordered by b then a.
pub fn pairs(k: usize) -> Vec<(usize, usize)> {
    (0..k)
        .flat_map(|b| ((b + 1)..k).map(move |a| (a, b)))
        .collect()
}

/// SMDs of `x` for every pair of the k groups, before and (with `weights`) after.
pub fn smd_pairs(x: &[f64], group: &[u32], k: usize, weights: Option<&[f64]>) -> Vec<PairSmd> {
    let mut n = vec![0.0; k];
    let mut sum = vec![0.0; k];
    let mut wsum = vec![0.0; k];
    let mut wxsum = vec![0.0; k];
    for (i, (&v, &g)) in x.iter().zip(group).enumerate() {
        let g = g as usize;
        n[g] += 1.0;
        sum[g] += v;
        let w = weights.map_or(1.0, |w| w[i]);
        wsum[g] += w;
        wxsum[g] += w * v;
    }
    let mean: Vec<f64> = (0..k).map(|g| sum[g] / n[g]).collect();
    let mut ss = vec![0.0; k];
    for (&v, &g) in x.iter().zip(group) {
        let d = v - mean[g as usize];
        ss[g as usize] += d * d;
    }
    let var_mean = (0..k).map(|g| ss[g] / (n[g] - 1.0)).sum::<f64>() / k as f64;
    let s = var_mean.sqrt();
    let wmean: Vec<f64> = (0..k).map(|g| wxsum[g] / wsum[g]).collect();
    let ratio = |d: f64| {
        let r = d / s;
        (s > 0.0 && r.is_finite()).then_some(r)
    };
    pairs(k)
        .into_iter()
        .map(|(a, b)| PairSmd {
            a,
            b,
            before: ratio(mean[a] - mean[b]),
            after: ratio(wmean[a] - wmean[b]),
        })
        .collect()
}

/// Largest |SMD| among the pairs (`None` if every pair is `None`).
pub fn max_abs(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.flatten().map(f64::abs).reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_smd() {
        // g0: 1, 3 (mean 2, var 2); g1: 2, 6 (mean 4, var 8): s = sqrt(5).
        let x = [1.0, 3.0, 2.0, 6.0];
        let g = [0, 0, 1, 1];
        let w = [3.0, 1.0, 1.0, 1.0]; // weighted mean g0 = 1.5
        let r = smd_pairs(&x, &g, 2, Some(&w));
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].a, r[0].b), (1, 0));
        assert!((r[0].before.unwrap() - 2.0 / 5f64.sqrt()).abs() < 1e-15);
        assert!((r[0].after.unwrap() - 2.5 / 5f64.sqrt()).abs() < 1e-15);
        assert_eq!(pairs(3), vec![(1, 0), (2, 0), (2, 1)]);
    }

    #[test]
    fn constant_covariate_has_no_smd() {
        let r = smd_pairs(&[1.0, 1.0, 1.0, 1.0], &[0, 0, 1, 1], 2, None);
        assert_eq!(r[0].before, None);
        assert_eq!(max_abs(r.iter().map(|p| p.before)), None);
    }
}
