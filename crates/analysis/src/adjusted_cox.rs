//! `adjusted.cox`: the weighted Cox model of the group alone, with the robust
//! (sandwich) variance, in the propensity-weighted population.
//!
//! # Formula
//! The partial likelihood of `stats::cox` with case weights w (propensity weights ×
//! case weights) and the group's dummies against the reference as the only covariates;
//! the variance is the robust DᵀD of the weighted dfbeta residuals, each row its own
//! cluster unless the spec names a cluster. CI = exp(β ± z₀.₉₇₅·robust_se), z and p from
//! robust_se.
//!
//! # References
//! Austin, P. C. (2016). Variance estimation when using inverse probability of treatment
//! weighting (IPTW) with survival analysis. *Stat. Med.* 35, 5642–5655.
//! Lin, D. Y. & Wei, L. J. (1989). *JASA* 84, 1074–1078.
//!
//! # R equivalent
//! `coxph(Surv(time, status) ~ g, weights = w, robust = TRUE, ties = "efron")`
//! (`cluster = id` when the spec has a cluster); rows with w = 0 are left out first, as
//! coxph refuses them.

use super::cox_section::{self, Design};
use std::borrow::Cow;
pub use survlens_contract::adjusted::AdjustedCox;
use survlens_stats::cox::{self, CoxData, CoxFit, CoxOptions};

/// The rows of one weighted group-only Cox fit (any order).
pub struct GroupCoxData<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    pub group: &'a [u32],
    pub weight: &'a [f64],
    pub cluster: Option<&'a [u32]>,
    pub n_groups: usize,
}

/// Column-major dummies of groups 1..k over the n rows `row(0..n)` (those with
/// positive weight).
fn dummies(group: &[u32], n: usize, row: &dyn Fn(usize) -> usize, k: usize) -> Vec<f64> {
    let mut x = Vec::with_capacity(n * k.saturating_sub(1));
    for level in 1..k as u32 {
        x.extend((0..n).map(|i| f64::from(u8::from(group[row(i)] == level))));
    }
    x
}

/// Fits the weighted group-only Cox model (`robust`: sandwich variance); `None` when
/// there is no event or no fit exists (zero weights are left out first).
pub fn fit_group_cox(d: &GroupCoxData, robust: bool) -> Option<CoxFit> {
    let positive = |i: usize| d.weight[i] > 0.0 && d.weight[i].is_finite();
    // Usually every weight is positive: the rows are then used as they are (no copies).
    let keep: Option<Vec<usize>> = (!(0..d.time.len()).all(positive))
        .then(|| (0..d.time.len()).filter(|&i| positive(i)).collect());
    let rows = |i: usize| keep.as_ref().map_or(i, |k| k[i]);
    let n = keep.as_ref().map_or(d.time.len(), Vec::len);
    if d.n_groups < 2 || !(0..n).any(|i| d.event[rows(i)]) {
        return None;
    }
    let x = dummies(d.group, n, &rows, d.n_groups);
    fn pick<'a, T: Clone>(v: &'a [T], keep: &Option<Vec<usize>>) -> Cow<'a, [T]> {
        match keep {
            Some(k) => Cow::Owned(k.iter().map(|&i| v[i].clone()).collect()),
            None => Cow::Borrowed(v),
        }
    }
    let time = pick(d.time, &keep);
    let event = pick(d.event, &keep);
    let weight = pick(d.weight, &keep);
    let cluster = d.cluster.map(|c| pick(c, &keep));
    let data = CoxData {
        time: &time,
        event: &event,
        x: &x,
        p: d.n_groups - 1,
        weight: Some(&weight),
        stratum: None,
        cluster: cluster.as_deref(),
    };
    let opts = CoxOptions {
        robust,
        ..CoxOptions::default()
    };
    cox::fit(&data, &opts).ok()
}

/// The `adjusted.cox` section: terms named `<group column>=<level>`, CI and p from
/// the robust SE.
pub fn adjusted_cox(
    d: &GroupCoxData,
    group_column: &str,
    labels: &[String],
) -> Option<AdjustedCox> {
    let fit = fit_group_cox(d, true)?;
    let names: Vec<String> = labels
        .iter()
        .skip(1)
        .map(|l| format!("{group_column}={l}"))
        .collect();
    let design = Design {
        x: Vec::new(),
        term_of: vec![0; names.len()],
        names,
        term_names: vec![group_column.to_string()],
    };
    Some(AdjustedCox {
        terms: cox_section::terms(&fit, &design.names),
    })
}
