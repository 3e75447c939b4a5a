//! Covariate balance: standardized mean differences (SMD) between groups, before and
//! after weighting, for the propensity section's balance table.
//!
//! # Formula
//! For a numeric covariate, or the 0/1 indicator of one level of a categorical one:
//! smd(a, b) = (m_a − m_b)/s ([`super::smd::smd`]) with s the pooled SD of the
//! unweighted groups ([`super::smd::pooled_sd_of`], the definition Table 1 uses too).
//! Before weighting m_g is the group mean; after, the weighted mean Σw x/Σw within the
//! group. The same s is used before and after, so a change in SMD is a change in the
//! means alone. Pairs: [`super::smd::pairs`].
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

use super::smd;

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

/// SMDs of `x` for every pair of the k groups, before and (with `weights`) after.
///
/// s is [`smd::pooled_sd_of`] the within-group variances (Σ(x − m_g)²/(n_g − 1) about the
/// group mean m_g = Σx/n_g); each SMD is [`smd::smd`] of the two means and s, for the
/// pairs of [`smd::pairs`].
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
    // NaN for a group of one row: s is then NaN and every SMD undefined.
    let s = smd::pooled_sd_of((0..k).map(|g| Some(ss[g] / (n[g] - 1.0))));
    let wmean: Vec<f64> = (0..k).map(|g| wxsum[g] / wsum[g]).collect();
    smd::pairs(k)
        .into_iter()
        .map(|(a, b)| PairSmd {
            a,
            b,
            before: smd::smd(Some(mean[a]), Some(mean[b]), s),
            after: smd::smd(Some(wmean[a]), Some(wmean[b]), s),
        })
        .collect()
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
    }

    #[test]
    fn the_denominator_is_table_1_pooled_sd() {
        // Three groups: 1, 2, 4 | 0, 5 | 3, 3, 3, 7 (exact in binary, so both means agree).
        let x = [1.0, 0.0, 2.0, 3.0, 5.0, 3.0, 4.0, 3.0, 7.0];
        let g = [0, 1, 0, 2, 1, 2, 0, 2, 2];
        let groups: [&[f64]; 3] = [&[1.0, 2.0, 4.0], &[0.0, 5.0], &[3.0, 3.0, 3.0, 7.0]];
        let s = smd::pooled_sd(&groups);
        let means = [7.0 / 3.0, 2.5, 4.0];
        for p in smd_pairs(&x, &g, 3, None) {
            let want = smd::smd(Some(means[p.a]), Some(means[p.b]), s);
            assert_eq!(p.before, want, "({}, {})", p.a, p.b);
            assert_eq!(p.after, want, "unit weights: ({}, {})", p.a, p.b);
        }
        // One row in a group: no variance, no SMD.
        assert!(smd_pairs(&[1.0, 2.0, 3.0], &[0, 0, 1], 2, None)[0]
            .before
            .is_none());
    }

    #[test]
    fn constant_covariate_has_no_smd() {
        let r = smd_pairs(&[1.0, 1.0, 1.0, 1.0], &[0, 0, 1, 1], 2, None);
        assert_eq!(r[0].before, None);
        assert_eq!(smd::max_abs(r.iter().map(|p| p.before)), None);
    }
}
