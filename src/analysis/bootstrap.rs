//! `adjusted.bootstrap`: nonparametric bootstrap of the adjusted comparisons, the
//! propensity model refitted in every replicate (Austin 2016).
//!
//! # Method
//! Each replicate draws n rows with replacement (SplitMix64 seeded by `seed`, so the
//! same spec gives the same bytes on every platform), refits the propensity model,
//! recomputes the weights with the same estimand, stabilization and truncation, and
//! the weighted Kaplan–Meier RMST(τ) of every group. Replicates in which a group is
//! empty, or the model gives a non-finite weight, are skipped (counted in
//! `replicates_used`). se = SD (n − 1) of the replicate differences; CI = type-7
//! quantiles at 2.5% and 97.5% (percentile interval).
//!
//! # References
//! * Austin, P. C. (2016). Variance estimation when using inverse probability of treatment
//!   weighting (IPTW) with survival analysis. *Stat. Med.* 35, 5642–5655.
//! * Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, §13.3.
//!
//! # R equivalent
//! `boot::boot(d, function(d, i) { refit PS on d[i, ]; weights; rmst_a − rmst_b },
//! R = replicates)`, `sd(t)`, `quantile(t, c(.025, .975), type = 7)` (R's random numbers
//! differ, so only the method, not the draws, is comparable).

use super::propensity_section::{fit_weights, WeightRule};
use super::steps::SortedCohort;
use crate::stats::{km, rmst, weights};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapDifference {
    pub a: String,
    pub b: String,
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Results `adjusted.bootstrap`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapSection {
    pub replicates: usize,
    pub seed: u64,
    /// Replicates that gave a value (an extension).
    pub replicates_used: usize,
    // TODO(cox): `cox` percentile CIs of the HR once stats::cox exists.
    pub rmst_difference: Vec<BootstrapDifference>,
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, platform-independent.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index in 0..n (multiply-shift; bias < n/2⁶⁴).
    fn index(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// Bootstrap inputs in the sorted cohort's row order.
pub struct BootstrapData<'a> {
    pub data: &'a SortedCohort<'a>,
    /// Row-major design of the propensity model, sorted order.
    pub x: &'a [f64],
    pub p: usize,
    pub rule: WeightRule,
    /// Case weights (sorted order), multiplied into the propensity weights.
    pub case_weight: Option<&'a [f64]>,
}

/// RMST differences (each group − reference) of one replicate, or `None` if it fails.
fn replicate(b: &BootstrapData, rows: &[usize], tau: f64) -> Option<Vec<f64>> {
    let k = b.data.n_groups();
    let group: Vec<u32> = rows.iter().map(|&i| b.data.group[i]).collect();
    let mut seen = vec![false; k];
    for &g in &group {
        seen[g as usize] = true;
    }
    if seen.iter().any(|s| !s) {
        return None;
    }
    let x: Vec<f64> = rows
        .iter()
        .flat_map(|&i| b.x[i * b.p..(i + 1) * b.p].iter().copied())
        .collect();
    let w = fit_weights(&x, b.p, &group, k, &b.rule).ok()?.weights;
    if w.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let rm: Vec<f64> = (0..k as u32)
        .map(|g| {
            let sel: Vec<usize> = (0..rows.len()).filter(|&j| group[j] == g).collect();
            let t: Vec<f64> = sel.iter().map(|&j| b.data.time[rows[j]]).collect();
            let e: Vec<bool> = sel.iter().map(|&j| b.data.event[rows[j]]).collect();
            let wg: Vec<f64> = sel
                .iter()
                .map(|&j| w[j] * b.case_weight.map_or(1.0, |c| c[rows[j]]))
                .collect();
            rmst::restricted_mean(&km::kaplan_meier(&t, &e, Some(&wg)), tau).estimate
        })
        .collect();
    Some(rm[1..].iter().map(|r| r - rm[0]).collect())
}

/// Runs `replicates` bootstrap replicates of the adjusted RMST differences at `tau`
/// (`None`: no RMST asked, only the counts are reported).
pub fn bootstrap(
    b: &BootstrapData,
    replicates: usize,
    seed: u64,
    tau: Option<f64>,
) -> BootstrapSection {
    let n = b.data.time.len();
    let k = b.data.n_groups();
    let labels = &b.data.cohort.group_labels;
    let mut rng = SplitMix64(seed);
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); k.saturating_sub(1)];
    let mut used = 0;
    if let Some(tau) = tau {
        for _ in 0..replicates {
            let rows: Vec<usize> = (0..n).map(|_| rng.index(n)).collect();
            if let Some(diffs) = replicate(b, &rows, tau) {
                used += 1;
                for (d, v) in draws.iter_mut().zip(diffs) {
                    d.push(v);
                }
            }
        }
    }
    let rmst_difference = if tau.is_some() {
        draws
            .iter_mut()
            .enumerate()
            .map(|(j, d)| summarize(d, &labels[j + 1], &labels[0]))
            .collect()
    } else {
        Vec::new()
    };
    BootstrapSection {
        replicates,
        seed,
        replicates_used: used,
        rmst_difference,
    }
}

fn summarize(d: &mut [f64], a: &str, b: &str) -> BootstrapDifference {
    let m = d.len();
    let (se, lower, upper) = if m < 2 {
        (None, None, None)
    } else {
        let mean = d.iter().sum::<f64>() / m as f64;
        let var = d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (m - 1) as f64;
        d.sort_by(f64::total_cmp);
        (
            Some(var.sqrt()),
            Some(weights::quantile_type7(d, 0.025)),
            Some(weights::quantile_type7(d, 0.975)),
        )
    };
    BootstrapDifference {
        a: a.to_string(),
        b: b.to_string(),
        se,
        lower,
        upper,
    }
}
