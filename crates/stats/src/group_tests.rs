//! Tests of "no difference between groups" for a baseline table: one-way ANOVA,
//! Kruskal–Wallis, Pearson's chi-square and Fisher's exact test.
//!
//! Groups without observations are dropped first, as R does (`factor(g)` in
//! `kruskal.test`; an empty level has no column in `lm`'s rank; `table(droplevels())`).
//! A test that R cannot compute (one group left, no residual degrees of freedom, all
//! values tied) is `None`, R's `NA` or error.

use super::dist::{chisq_upper_tail, f_upper_tail};
use super::math;

/// An F test: statistic, degrees of freedom (df1, df2) and upper-tail p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FTest {
    pub statistic: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// A chi-square test: statistic, degrees of freedom and upper-tail p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChisqTest {
    pub statistic: f64,
    pub df: usize,
    pub p: f64,
}

/// One-way analysis of variance of `groups` (one slice of values per group).
///
/// # Formula
/// F = [Σ_g n_g (m_g − m)² / (k − 1)] / [Σ_g Σ_i (x_gi − m_g)² / (n − k)] over the k
/// non-empty groups, p = P(F(k − 1, n − k) > F). `None` when k < 2, n = k, or the
/// within-group sum of squares is 0 (R reports an "essentially perfect fit").
///
/// # References
/// Fisher (1925), *Statistical Methods for Research Workers*, ch. VII.
///
/// # R equivalent
/// `anova(lm(x ~ g))` (the `g` row: `F value`, `Df`, residual `Df`, `Pr(>F)`), the same
/// as `summary(aov(x ~ g))`.
pub fn one_way_anova(groups: &[&[f64]]) -> Option<FTest> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = groups.len();
    let n: usize = groups.iter().map(|g| g.len()).sum();
    if k < 2 || n <= k {
        return None;
    }
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let grand = super::describe::mean(&all)?;
    let mut between = 0.0;
    let mut within = 0.0;
    for g in &groups {
        let m = super::describe::mean(g)?;
        between += g.len() as f64 * (m - grand) * (m - grand);
        within += g.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
    }
    if within <= 0.0 {
        return None;
    }
    let (df1, df2) = (k - 1, n - k);
    let statistic = (between / df1 as f64) / (within / df2 as f64);
    Some(FTest {
        statistic,
        df1,
        df2,
        p: f_upper_tail(statistic, df1 as f64, df2 as f64),
    })
}

/// Ranks 1..=n of `x` with ties given their average rank, and the tie-run lengths.
fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut ties = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let value = x[order[start]];
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == value {
            end += 1;
        }
        // Positions start+1 ..= end share the rank (start + 1 + end) / 2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        ties.push(end - start);
        start = end;
    }
    (ranks, ties)
}

/// Kruskal–Wallis rank-sum test of `groups` (one slice of values per group).
///
/// # Formula
/// With mid-ranks r over all n values, R_g the rank sum of group g and t_j the sizes of
/// the tie runs: H = [12 / (n(n + 1)) Σ_g R_g² / n_g − 3(n + 1)] / [1 − Σ(t_j³ − t_j) /
/// (n³ − n)], df = k − 1 over the k non-empty groups, p = P(χ²_df > H). `None` when
/// k < 2 or all values are tied (R: NaN statistic).
///
/// # References
/// Kruskal & Wallis (1952), *Use of ranks in one-criterion variance analysis*, JASA 47,
/// 583–621.
///
/// # R equivalent
/// `kruskal.test(x, g)`
pub fn kruskal_wallis(groups: &[&[f64]]) -> Option<ChisqTest> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    let k = groups.len();
    if k < 2 {
        return None;
    }
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let n = all.len() as f64;
    let (ranks, ties) = average_ranks(&all);
    let mut sum = 0.0;
    let mut offset = 0;
    for g in &groups {
        let r: f64 = ranks.get(offset..offset + g.len())?.iter().sum();
        sum += r * r / g.len() as f64;
        offset += g.len();
    }
    let tie_sum: f64 = ties
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum();
    let correction = 1.0 - tie_sum / (n * n * n - n);
    let statistic = (12.0 * sum / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / correction;
    if !statistic.is_finite() {
        return None;
    }
    let df = k - 1;
    Some(ChisqTest {
        statistic,
        df,
        p: chisq_upper_tail(statistic, df as f64),
    })
}

/// Removes all-zero rows and columns of a contingency table (rows of equal length).
pub fn drop_empty(table: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let ncol = table.first().map_or(0, Vec::len);
    let keep_col: Vec<bool> = (0..ncol)
        .map(|j| table.iter().any(|r| r.get(j).copied().unwrap_or(0.0) > 0.0))
        .collect();
    table
        .iter()
        .filter(|r| r.iter().any(|&v| v > 0.0))
        .map(|r| {
            r.iter()
                .zip(&keep_col)
                .filter(|(_, &k)| k)
                .map(|(&v, _)| v)
                .collect()
        })
        .collect()
}

/// Expected counts E_ij = (row sum_i)(column sum_j) / n of a contingency table.
pub fn expected_counts(table: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let ncol = table.first().map_or(0, Vec::len);
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<f64> = (0..ncol)
        .map(|j| table.iter().map(|r| r.get(j).copied().unwrap_or(0.0)).sum())
        .collect();
    let n: f64 = rows.iter().sum();
    rows.iter()
        .map(|ri| cols.iter().map(|cj| ri * cj / n).collect())
        .collect()
}

/// Pearson's chi-square test of independence, without continuity correction, on a
/// table whose empty rows and columns have been removed ([`drop_empty`]).
///
/// # Formula
/// X² = Σ (O_ij − E_ij)² / E_ij, E_ij = r_i c_j / n, df = (R − 1)(C − 1),
/// p = P(χ²_df > X²). `None` for fewer than two rows or columns (R would switch to a
/// goodness-of-fit test there).
///
/// # References
/// Pearson (1900), Phil. Mag. 50, 157–175; Agresti (2013), *Categorical Data
/// Analysis*, 3rd ed., §3.2.
///
/// # R equivalent
/// `chisq.test(table(droplevels(x), droplevels(g)), correct = FALSE)`
pub fn pearson_chisq(table: &[Vec<f64>]) -> Option<ChisqTest> {
    let r = table.len();
    let c = table.first().map_or(0, Vec::len);
    if r < 2 || c < 2 {
        return None;
    }
    let expected = expected_counts(table);
    let statistic: f64 = table
        .iter()
        .zip(&expected)
        .flat_map(|(o, e)| o.iter().zip(e))
        .map(|(o, e)| (o - e) * (o - e) / e)
        .sum();
    let df = (r - 1) * (c - 1);
    Some(ChisqTest {
        statistic,
        df,
        p: chisq_upper_tail(statistic, df as f64),
    })
}

/// ln C(n, k).
fn ln_choose(n: f64, k: f64) -> f64 {
    math::ln_gamma(n + 1.0) - math::ln_gamma(k + 1.0) - math::ln_gamma(n - k + 1.0)
}

/// Fisher's exact test, two-sided, of the 2×2 table `[[a, b], [c, d]]`.
///
/// # Formula
/// Conditional on the margins, x = a is hypergeometric: P(x) ∝ C(m, x) C(n, k − x) with
/// m = a + c, n = b + d, k = a + b, x from max(0, k − n) to min(k, m). The p-value is the
/// sum of the probabilities not larger than the observed one, with R's relative
/// tolerance: Σ P(x') over P(x') ≤ P(a)·(1 + 10⁻⁷).
///
/// # References
/// Fisher (1935), *The logic of inductive inference*, J. R. Stat. Soc. 98, 39–82;
/// Agresti (2013), §3.5.
///
/// # R equivalent
/// `fisher.test(matrix(c(a, c, b, d), 2))$p.value`
pub fn fisher_exact_2x2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (m, n, k) = (a + c, b + d, a + b);
    let lo = k.saturating_sub(n);
    let hi = k.min(m);
    let log_d: Vec<f64> = (lo..=hi)
        .map(|x| ln_choose(m as f64, x as f64) + ln_choose(n as f64, (k - x) as f64))
        .collect();
    let max = log_d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let dens: Vec<f64> = log_d.iter().map(|l| math::exp(l - max)).collect();
    let total: f64 = dens.iter().sum();
    let observed = dens.get((a - lo) as usize).copied().unwrap_or(0.0) / total;
    let cutoff = observed * (1.0 + 1e-7);
    let p: f64 = dens
        .iter()
        .map(|v| v / total)
        .filter(|&v| v <= cutoff)
        .sum();
    p.min(1.0)
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    const A: [f64; 3] = [1.2, 3.4, 2.2];
    const B: [f64; 3] = [5.1, 4.4, 3.3];
    const C: [f64; 4] = [6.0, 2.9, 4.4, 5.5];

    #[test]
    fn anova_matches_r() {
        // anova(lm(x ~ g)): F = 3.9305479452054777 on 2 and 7 df, p = 0.071724117354623279
        let t = one_way_anova(&[&A, &[], &B, &C]).expect("three groups");
        assert!(rel(t.statistic, 3.9305479452054777) < 1e-12);
        assert_eq!((t.df1, t.df2), (2, 7));
        assert!(rel(t.p, 0.071724117354623279) < 1e-10);
        assert!(one_way_anova(&[&A]).is_none());
        assert!(one_way_anova(&[&[1.0], &[2.0]]).is_none());
        assert!(one_way_anova(&[&[1.0, 1.0], &[2.0, 2.0]]).is_none());
    }

    #[test]
    fn kruskal_matches_r() {
        // kruskal.test(x, g): 3.9489329268292654, df 2, p 0.13883536623317028 (4.4 tied)
        let t = kruskal_wallis(&[&A, &B, &[], &C]).expect("three groups");
        assert!(rel(t.statistic, 3.9489329268292654) < 1e-12);
        assert_eq!(t.df, 2);
        assert!(rel(t.p, 0.13883536623317028) < 1e-10);
        assert!(kruskal_wallis(&[&[1.0, 1.0], &[1.0]]).is_none());
        assert!(kruskal_wallis(&[&A, &[]]).is_none());
    }

    #[test]
    fn ranks_average_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(t, vec![1, 1, 3]);
    }

    #[test]
    fn chisq_matches_r() {
        // chisq.test(matrix(c(12, 5, 7, 9, 3, 14), 2), correct = FALSE)
        let tab = vec![vec![12.0, 7.0, 3.0], vec![5.0, 9.0, 14.0]];
        let t = pearson_chisq(&tab).expect("2 x 3");
        assert!(rel(t.statistic, 9.6692370129870131) < 1e-12);
        assert_eq!(t.df, 2);
        assert!(rel(t.p, 0.007949720513300871) < 1e-10);
        let with_empty = vec![
            vec![12.0, 0.0, 7.0, 3.0],
            vec![0.0, 0.0, 0.0, 0.0],
            vec![5.0, 0.0, 9.0, 14.0],
        ];
        assert_eq!(drop_empty(&with_empty), tab);
        assert!(pearson_chisq(&[vec![3.0, 4.0]]).is_none());
    }

    #[test]
    fn fisher_matches_r() {
        // fisher.test(matrix(c(a, c, b, d), 2))$p.value
        let r = [
            ((3, 1, 1, 3), 0.48571428571428582),
            ((10, 3, 2, 15), 0.00053672411914343734),
            ((0, 7, 5, 2), 0.020979020979020969),
            ((2, 2, 2, 2), 1.0),
            ((50, 20, 1, 40), 5.2826132718260766e-14),
        ];
        for ((a, b, c, d), p) in r {
            let got = fisher_exact_2x2(a, b, c, d);
            assert!(rel(got, p) < 1e-9, "{a} {b} {c} {d}: {got} vs {p}");
            // The two-sided p does not depend on the orientation of the table.
            assert!(rel(fisher_exact_2x2(a, c, b, d), p) < 1e-9);
        }
    }
}
