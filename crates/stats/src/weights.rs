//! Propensity-score weights (IPTW): ATE (plain or stabilized), ATT (focal group), ATO
//! (generalized overlap weights), truncation, and per-group summaries.
//!
//! # Formula
//! With e_c(x_i) the fitted probability of group c and g_i the group of row i:
//! * ATE: w_i = 1/e_{g_i}(x_i); stabilized: w_i = P(g_i)/e_{g_i}(x_i), P(g) = n_g/n;
//! * ATT with focal group f: w_i = e_f(x_i)/e_{g_i}(x_i) (1 in the focal group);
//! * ATO (Li & Li 2019): w_i = (1/e_{g_i}(x_i)) / Σ_c 1/e_c(x_i) (for two groups the
//!   overlap weight 1 − e_{g_i}).
//!
//! Truncation at probabilities (a, b): weights below the type-7 quantile Q(a) of the
//! pooled weights of all rows are set to Q(a), above Q(b) to Q(b) (after stabilization);
//! ATT focal-group weights stay 1.
//!
//! # References
//! * Rosenbaum, P. R. & Rubin, D. B. (1983). *Biometrika* 70, 41–55.
//! * Austin, P. C. (2011). An introduction to propensity score methods for reducing the
//!   effects of confounding in observational studies. *Multivariate Behav. Res.* 46, 399–424.
//! * Austin, P. C. & Stuart, E. A. (2015). Moving towards best practice when using IPTW.
//!   *Stat. Med.* 34, 3661–3679.
//! * Li, F. & Li, F. (2019). Propensity score weighting for causal inference with
//!   multiple treatments. *Ann. Appl. Stat.* 13, 2389–2415.
//! * Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages (type 7).
//!
//! # R equivalent
//! `e <- fitted(multinom(g ~ x))` (or `cbind(1 − p, p)` of a binomial glm);
//! ATE `1/e[cbind(i, g)]`, stabilized `prop.table(table(g))[g]/e[cbind(i, g)]`,
//! ATT `e[, f]/e[cbind(i, g)]`, ATO `(1/e[cbind(i, g)])/rowSums(1/e)`;
//! truncation `q <- quantile(w, c(a, b), type = 7); pmin(pmax(w, q[1]), q[2])`
//! (WeightIt's `trim(..., lower = TRUE)` does the same).

/// Which population the weights target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimand {
    /// Average treatment effect in the whole population.
    Ate,
    /// Average treatment effect in the treated: the population of the focal group.
    Att { focal: usize },
    /// Average treatment effect in the overlap population (generalized overlap weights).
    Ato,
}

/// Weights of every row. `ps` is row-major n×k (row i holds e_0..e_{k−1}), `group` the
/// group index of each row. Stabilization applies to ATE only.
pub fn propensity_weights(
    ps: &[f64],
    group: &[u32],
    k: usize,
    estimand: Estimand,
    stabilize: bool,
) -> Vec<f64> {
    let n = group.len();
    let mut share = vec![0.0; k];
    for &g in group {
        share[g as usize] += 1.0;
    }
    for s in share.iter_mut() {
        *s /= n as f64;
    }
    ps.chunks_exact(k)
        .zip(group)
        .map(|(e, &g)| {
            let own = e[g as usize];
            match estimand {
                Estimand::Ate if stabilize => share[g as usize] / own,
                Estimand::Ate => 1.0 / own,
                Estimand::Att { focal } if focal == g as usize => 1.0,
                Estimand::Att { focal } => e[focal] / own,
                Estimand::Ato => (1.0 / own) / e.iter().map(|v| 1.0 / v).sum::<f64>(),
            }
        })
        .collect()
}

/// R's `quantile(x, p, type = 7)` of values already sorted ascending (NaN for none).
///
/// # Formula
/// h = (n − 1)p; Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋) (0-based).
pub fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor();
    let j = (lo as usize).min(n - 1);
    let frac = h - lo;
    if j + 1 >= n || frac == 0.0 {
        sorted[j]
    } else {
        sorted[j] + frac * (sorted[j + 1] - sorted[j])
    }
}

/// Truncates `weights` in place at the type-7 quantiles (probabilities `low`, `high`) of
/// all of them; rows with `exempt[i]` (ATT focal group) keep their weight but count in
/// the quantiles. Returns the limits (weight values).
pub fn truncate(weights: &mut [f64], exempt: &[bool], low: f64, high: f64) -> (f64, f64) {
    let mut sorted: Vec<f64> = weights.to_vec();
    sorted.sort_by(f64::total_cmp);
    let lo = quantile_type7(&sorted, low);
    let hi = quantile_type7(&sorted, high);
    for (i, w) in weights.iter_mut().enumerate() {
        if !exempt.get(i).copied().unwrap_or(false) {
            *w = w.max(lo).min(hi);
        }
    }
    (lo, hi)
}

/// Summary of one group's weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightSummary {
    pub n: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub sum: f64,
    /// Kish's effective sample size (Σw)²/Σw².
    pub ess: f64,
}

/// Per-group summaries (group order); an empty group has n = 0 and NaN statistics.
///
/// # R equivalent
/// `tapply(w, g, function(v) c(length(v), min(v), max(v), mean(v), sum(v),
/// sum(v)^2/sum(v^2)))`.
pub fn summarize(weights: &[f64], group: &[u32], k: usize) -> Vec<WeightSummary> {
    (0..k)
        .map(|g| {
            let v: Vec<f64> = weights
                .iter()
                .zip(group)
                .filter(|(_, &gi)| gi as usize == g)
                .map(|(w, _)| *w)
                .collect();
            let sum: f64 = v.iter().sum();
            let sum2: f64 = v.iter().map(|w| w * w).sum();
            let n = v.len();
            let (min, max) = if n == 0 {
                (f64::NAN, f64::NAN)
            } else {
                (
                    v.iter().copied().fold(f64::INFINITY, f64::min),
                    v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                )
            };
            WeightSummary {
                n,
                min,
                max,
                mean: sum / n as f64,
                sum,
                ess: sum * sum / sum2,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_match_r() {
        // quantile(c(1, 2, 4, 8), c(0, .1, .5, .99, 1), type = 7) = 1 1.3 3 7.88 8
        let x = [1.0, 2.0, 4.0, 8.0];
        let want = [1.0, 1.3, 3.0, 7.88, 8.0];
        for (p, w) in [0.0, 0.1, 0.5, 0.99, 1.0].iter().zip(want) {
            assert!((quantile_type7(&x, *p) - w).abs() < 1e-12);
        }
        assert!(quantile_type7(&[], 0.5).is_nan());
        assert_eq!(quantile_type7(&[3.0], 0.7), 3.0);
    }

    #[test]
    fn every_estimand_on_two_rows() {
        let ps = [0.8, 0.2, 0.25, 0.75];
        let g = [0, 1];
        let ate = propensity_weights(&ps, &g, 2, Estimand::Ate, false);
        assert_eq!(ate, vec![1.25, 1.0 / 0.75]);
        let st = propensity_weights(&ps, &g, 2, Estimand::Ate, true);
        assert_eq!(st, vec![0.5 / 0.8, 0.5 / 0.75]);
        let att = propensity_weights(&ps, &g, 2, Estimand::Att { focal: 1 }, false);
        assert_eq!(att, vec![0.2 / 0.8, 1.0]);
        // Two groups: overlap weights are 1 − e_g.
        let ato = propensity_weights(&ps, &g, 2, Estimand::Ato, false);
        assert!((ato[0] - 0.2).abs() < 1e-15 && (ato[1] - 0.25).abs() < 1e-15);
    }

    #[test]
    fn truncation_spares_exempt_rows_and_summary_is_kish() {
        let mut w = vec![1.0, 2.0, 3.0, 100.0, 0.01];
        let (lo, hi) = truncate(&mut w, &[false, false, false, false, true], 0.25, 0.75);
        assert_eq!((lo, hi), (1.0, 3.0));
        assert_eq!(w, vec![1.0, 2.0, 3.0, 3.0, 0.01]);
        let s = summarize(&[1.0, 3.0, 2.0], &[0, 0, 1], 3);
        assert_eq!(s[0].n, 2);
        assert_eq!(s[0].ess, 16.0 / 10.0);
        assert_eq!(s[1].ess, 1.0);
        assert_eq!(s[2].n, 0);
    }
}
