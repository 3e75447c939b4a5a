//! The G-rho family of k-sample tests (log-rank for ρ = 0), as survival's `survdiff`.
//!
//! # Formula
//! Within each stratum, at each distinct time t with d > 0 deaths, with n at risk
//! (time ≥ t), n_g at risk and d_g deaths in group g:
//!
//! * weight W = Ŝ(t−)^ρ, Ŝ the pooled (all groups), within-stratum, unweighted,
//!   **left-continuous** Kaplan–Meier (its value just before t); W = 1 for ρ = 0;
//! * O_g += W·d_g,  E_g += W·d·n_g/n;
//! * if n > 1: V_gh += W²·d(n − d)/(n(n − 1)) · n_g(δ_gh − n_h/n).
//!
//! O and E are summed over strata (so for ρ ≠ 0 they are W-weighted sums), V is summed.
//! The test keeps the groups with E_g > 0, drops the first of them, and computes
//! χ² = (O − E)ᵀ V⁻¹ (O − E) on the rest with an ordinary solve; df = #(E_g > 0) − 1;
//! p = P(χ²_df > χ²).
//!
//! # References
//! Mantel, N. (1966). Evaluation of survival data and two new rank order statistics
//! arising in its consideration. *Cancer Chemother. Rep.* 50, 163–170.
//! Harrington, D. P. & Fleming, T. R. (1982). A class of rank test procedures for
//! censored survival data. *Biometrika* 69, 553–566.
//!
//! # R equivalent
//! `survdiff(Surv(time, status) ~ group + strata(stratum), rho = rho)`; the arithmetic
//! follows `survival:::survdiff.fit` and C `survdiff2` (survival 3.5-3), including the
//! backward-in-time accumulation order.

use super::dist::chisq_upper_tail;
use super::linalg::{solve, SolveError};

/// Result of [`survdiff`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogRankTest {
    /// Σ_strata Σ_t W·d_g per group (R's `rowSums(fit$obs)`; `fit$obs` unstratified).
    pub observed: Vec<f64>,
    /// Σ_strata Σ_t W·d·n_g/n per group (R's `rowSums(fit$exp)`).
    pub expected: Vec<f64>,
    /// k×k row-major, summed over strata (R's `fit$var`, symmetric).
    pub variance: Vec<f64>,
    /// The test statistic (R's `fit$chisq`). 0 when fewer than two groups have E > 0;
    /// NaN when the reduced variance matrix is singular (see `singular`).
    pub chisq: f64,
    /// #(groups with E > 0) − 1, floored at 0.
    pub df: usize,
    /// `pchisq(chisq, df, lower.tail = FALSE)`: 1 when df = 0 (R prints p = 1 there);
    /// NaN when `singular`.
    pub p: f64,
    /// True when R's `solve()` would stop with an error ("system is exactly/
    /// computationally singular"): the reduced V cannot be inverted, e.g. every death
    /// time has everyone at risk dying (d = n), so V = 0. `chisq` and `p` are then NaN;
    /// the caller should turn this into a warning. R has no result at all here.
    pub singular: bool,
}

/// The G-rho test of `survdiff`.
///
/// Rows must be sorted by `time` ascending overall (ties in any order); strata may
/// interleave in that order. `group[i] < n_groups`, `stratum[i] < n_strata`; rows that
/// break this (or lie beyond the shortest input slice) are ignored rather than causing a
/// panic. Ties are exact (`==`): run the time-fix at ingest first.
///
/// Cost O(n + k²·(distinct death times)) — one counting sort by stratum and one
/// backward pass per stratum, no per-time rescans.
///
/// # R equivalent
/// `survdiff(Surv(time, event) ~ group + strata(stratum), rho = rho)`
/// (with `group` a factor whose levels are 0..n_groups, so empty groups keep their slot).
pub fn survdiff(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    n_groups: usize,
    stratum: &[u32],
    n_strata: usize,
    rho: f64,
) -> LogRankTest {
    let k = n_groups;
    let data = Rows {
        time,
        event,
        group,
        k,
        rho,
    };
    // Per-stratum observed / expected (R's group × stratum matrices), then row sums in
    // stratum order as R's apply(fit$observed, 1, sum).
    let mut totals = Totals {
        observed: vec![0.0; k],
        expected: vec![0.0; k],
        variance: vec![0.0; k * k],
        obs_s: vec![0.0; k],
        exp_s: vec![0.0; k],
    };
    match single_stratum(time, event, group, k, stratum, n_strata) {
        // One stratum holding every row: the rows are read in place.
        Some(m) => totals.add_stratum(&data, |p| p, m),
        None => {
            for rows in &rows_by_stratum(time, event, group, k, stratum, n_strata) {
                totals.add_stratum(&data, |p| rows[p], rows.len());
            }
        }
    }
    let Totals {
        observed,
        expected,
        variance,
        ..
    } = totals;
    LogRankTest::from_sums(observed, expected, variance)
}

impl LogRankTest {
    /// The reduced-variance chi-square test of O, E and V summed over strata (k groups,
    /// V k×k row-major): χ² = (O − E)ᵀ V⁻ (O − E) over the groups with E > 0 but the
    /// first, df and p. Shared by [`survdiff`], the delayed-entry log-rank test and the
    /// test stratified by site from the sites' own sums (summing O, E and V over strata is
    /// what `survdiff(... + strata(site))` does).
    ///
    /// # R equivalent
    /// `survdiff`'s statistic after its C routine: `solve(var[-1, -1], (obs - exp)[-1])`
    /// on the groups with `exp > 0`; p `pchisq(chisq, df, lower.tail = FALSE)`.
    pub fn from_sums(observed: Vec<f64>, expected: Vec<f64>, variance: Vec<f64>) -> Self {
        let k = observed.len();
        let (chisq, df, singular) = test_statistic(&observed, &expected, &variance, k);
        let p = if singular {
            f64::NAN
        } else {
            chisq_upper_tail_df(chisq, df)
        };
        LogRankTest {
            observed,
            expected,
            variance,
            chisq,
            df,
            p,
            singular,
        }
    }
}

/// `pchisq(x, df, lower.tail = FALSE)` including R's df = 0 case (point mass at 0: p = 1
/// for x = 0, which is the only x produced with df = 0).
pub(crate) fn chisq_upper_tail_df(x: f64, df: usize) -> f64 {
    if df == 0 {
        if x > 0.0 {
            0.0
        } else {
            1.0
        }
    } else {
        chisq_upper_tail(x, df as f64)
    }
}

/// Row indices of each stratum, each list in the global (time-ascending) order.
fn rows_by_stratum(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    k: usize,
    stratum: &[u32],
    n_strata: usize,
) -> Vec<Vec<usize>> {
    let n = time
        .len()
        .min(event.len())
        .min(group.len())
        .min(stratum.len());
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for i in 0..n {
        let s = stratum[i] as usize;
        if s < n_strata && (group[i] as usize) < k {
            lists[s].push(i);
        }
    }
    lists
}

/// The number of rows when there is one stratum and every row is valid (then no row
/// lists are needed), else `None`.
fn single_stratum(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    k: usize,
    stratum: &[u32],
    n_strata: usize,
) -> Option<usize> {
    let n = time.len();
    let all_valid = event.len() == n
        && group.len() == n
        && stratum.len() == n
        && group.iter().all(|&g| (g as usize) < k)
        && stratum.iter().all(|&s| s == 0);
    (n_strata == 1 && all_valid).then_some(n)
}

/// The rows of the test (any order; strata are read through row lists).
struct Rows<'a> {
    time: &'a [f64],
    event: &'a [bool],
    group: &'a [u32],
    k: usize,
    rho: f64,
}

/// O, E and V summed over strata, and one stratum's O and E.
struct Totals {
    observed: Vec<f64>,
    expected: Vec<f64>,
    variance: Vec<f64>,
    obs_s: Vec<f64>,
    exp_s: Vec<f64>,
}

impl Totals {
    /// Add the stratum whose rows in ascending time are `rows(p)`, p < m.
    fn add_stratum(&mut self, data: &Rows, rows: impl Fn(usize) -> usize, m: usize) {
        self.obs_s.iter_mut().for_each(|v| *v = 0.0);
        self.exp_s.iter_mut().for_each(|v| *v = 0.0);
        one_stratum(
            data,
            rows,
            m,
            &mut self.obs_s,
            &mut self.exp_s,
            &mut self.variance,
        );
        for g in 0..data.k {
            self.observed[g] += self.obs_s[g];
            self.expected[g] += self.exp_s[g];
        }
    }
}

/// Accumulate one stratum (C `survdiff2`'s loop body): `rows(p)`, p < m, are this
/// stratum's row indices in ascending time.
fn one_stratum(
    data: &Rows,
    rows: impl Fn(usize) -> usize,
    m: usize,
    obs: &mut [f64],
    exp: &mut [f64],
    var: &mut [f64],
) {
    let Rows {
        time,
        event,
        group,
        k,
        rho,
    } = *data;
    // Tie blocks [start, end) in positions of `rows`.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < m {
        let t = time[rows(i)];
        let mut j = i + 1;
        while j < m && time[rows(j)] == t {
            j += 1;
        }
        blocks.push((i, j));
        i = j;
    }
    // Left-continuous pooled KM at each block (only needed for rho != 0).
    let mut weight = vec![1.0; blocks.len()];
    if rho != 0.0 {
        let mut km = 1.0_f64;
        for (b, &(s, e)) in blocks.iter().enumerate() {
            weight[b] = super::math::pow(km, rho);
            let nrisk = (m - s) as f64;
            let deaths = (s..e).filter(|&p| event[rows(p)]).count() as f64;
            km = km * (nrisk - deaths) / nrisk;
        }
    }
    let mut risk = vec![0.0_f64; k];
    for (b, &(s, e)) in blocks.iter().enumerate().rev() {
        let wt = weight[b];
        let mut deaths = 0.0;
        for r in (s..e).map(&rows) {
            let (g, ev) = (group[r] as usize, event[r]);
            // Selects, not branches (the event is unpredictable); adding +0.0 leaves
            // the non-negative sums' bits unchanged.
            risk[g] += 1.0;
            deaths += if ev { 1.0 } else { 0.0 };
            obs[g] += if ev { wt } else { 0.0 };
        }
        if deaths <= 0.0 {
            continue;
        }
        let nrisk = (m - s) as f64;
        for g in 0..k {
            exp[g] += wt * deaths * risk[g] / nrisk;
        }
        if nrisk == 1.0 {
            continue;
        }
        let wt2 = wt * wt;
        for j in 0..k {
            let tmp = wt2 * deaths * risk[j] * (nrisk - deaths) / (nrisk * (nrisk - 1.0));
            var[j * k + j] += tmp;
            for h in 0..k {
                var[j * k + h] -= tmp * risk[h] / nrisk;
            }
        }
    }
}

/// χ², df and the singular flag from summed O, E, V (R's `survdiff` after the fit).
fn test_statistic(o: &[f64], e: &[f64], v: &[f64], k: usize) -> (f64, usize, bool) {
    let kept: Vec<usize> = (0..k).filter(|&g| e[g] > 0.0).collect();
    let df = kept.len().saturating_sub(1);
    if kept.len() < 2 {
        return (0.0, df, false);
    }
    let rest = &kept[1..];
    let r = rest.len();
    let diff: Vec<f64> = rest.iter().map(|&g| o[g] - e[g]).collect();
    let mut vv = vec![0.0; r * r];
    for (a, &ga) in rest.iter().enumerate() {
        for (b, &gb) in rest.iter().enumerate() {
            vv[a * r + b] = v[ga * k + gb];
        }
    }
    match solve(&vv, r, &diff) {
        Ok(x) => (x.iter().zip(&diff).map(|(a, b)| a * b).sum(), df, false),
        Err(SolveError::ExactlySingular { .. })
        | Err(SolveError::ComputationallySingular { .. })
        | Err(SolveError::NotFinite) => (f64::NAN, df, true),
    }
}
