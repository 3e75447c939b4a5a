//! `adjusted.bootstrap`: nonparametric bootstrap of the adjusted comparisons, the
//! propensity model refitted in every replicate (Austin 2016).
//!
//! # Method
//! Replicate r (0-based) draws n rows with replacement from its own SplitMix64 stream,
//! seeded with `substream_seed(seed, r)` = the (r + 1)-th output of `SplitMix64(seed)`
//! ([`replicate_rows`]; the same derivation as the emulation bootstrap and the imputed
//! sets), so the same spec gives the same bytes on every platform and whatever the
//! number of workers that share the replicates ([`crate::units`]). Each replicate refits the propensity model,
//! recomputes the weights with the same estimand, stabilization and truncation, the
//! weighted Kaplan–Meier RMST(τ) of every group and the weighted Cox model of the group
//! (coxph, efron, no robust variance needed). Replicates in which a group is empty, the
//! model gives a non-finite weight, or the Cox model has no estimate (no event, not
//! converged, an aliased group, a coefficient that may be infinite because a group has
//! no event in the replicate) are skipped (counted in `replicates_used`).
//! RMST differences: se = SD (n − 1) of the replicate differences, CI = type-7 quantiles
//! at 2.5% and 97.5% (percentile interval). Cox: se = SD of the replicate log HRs, CI =
//! the type-7 2.5% and 97.5% quantiles of the replicate HRs.
//!
//! # References
//! * Austin, P. C. (2016). Variance estimation when using inverse probability of treatment
//!   weighting (IPTW) with survival analysis. *Stat. Med.* 35, 5642–5655.
//! * Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, §13.3.
//!
//! # R equivalent
//! `boot::boot(d, function(d, i) { refit PS on d[i, ]; weights; c(rmst_a − rmst_b,
//! coef(coxph(Surv(time, status) ~ g, weights = w))) }, R = replicates)`, `sd(t)`,
//! `quantile(t, c(.025, .975), type = 7)` (`exp(t)` for the HR) (R's random numbers
//! differ, so only the method, not the draws, is comparable).

use super::adjusted_cox::{fit_group_cox, GroupCoxData};
use super::propensity_section::{fit_weights, WeightRule};
use super::steps::SortedCohort;
use crate::units::{Plan, Section, Unit};
pub use survlens_contract::adjusted::{BootstrapDifference, BootstrapHr, BootstrapSection};
use survlens_stats::rng::{substream_seed, SplitMix64};
use survlens_stats::{km, math, rmst, weights};

/// Progress of a long computation: `(done, total)` replicates. Called every few
/// replicates; the wasm shell posts it to the page.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

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

/// One replicate's statistics: RMST differences (each group − reference; empty without
/// τ) and the Cox log hazard ratios of the groups against the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateStats {
    pub rmst_difference: Vec<f64>,
    pub log_hr: Vec<f64>,
}

/// The statistics of the replicate made of `rows` (indices into the sorted cohort,
/// repeats allowed), or `None` if it fails.
pub fn replicate(b: &BootstrapData, rows: &[usize], tau: Option<f64>) -> Option<ReplicateStats> {
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
    let w: Vec<f64> = fit_weights(&x, b.p, &group, k, &b.rule)
        .ok()?
        .weights
        .iter()
        .zip(rows)
        .map(|(w, &i)| w * b.case_weight.map_or(1.0, |c| c[i]))
        .collect();
    if w.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let time: Vec<f64> = rows.iter().map(|&i| b.data.time[i]).collect();
    let event: Vec<bool> = rows.iter().map(|&i| b.data.event[i]).collect();
    let fit = fit_group_cox(
        &GroupCoxData {
            time: &time,
            event: &event,
            group: &group,
            weight: &w,
            cluster: None,
            n_groups: k,
        },
        false,
    )?;
    // A group without events in the replicate has an infinite log HR (monotone
    // likelihood): no estimate, as for an empty group.
    if !fit.converged || fit.maybe_infinite || fit.infinite.iter().any(|&f| f) {
        return None;
    }
    let log_hr = fit.coef.iter().copied().collect::<Option<Vec<f64>>>()?;
    let rmst_difference = match tau {
        Some(tau) => {
            let rm: Vec<f64> = (0..k as u32)
                .map(|g| {
                    let sel: Vec<usize> = (0..rows.len()).filter(|&j| group[j] == g).collect();
                    let t: Vec<f64> = sel.iter().map(|&j| time[j]).collect();
                    let e: Vec<bool> = sel.iter().map(|&j| event[j]).collect();
                    let wg: Vec<f64> = sel.iter().map(|&j| w[j]).collect();
                    rmst::restricted_mean(&km::kaplan_meier(&t, &e, Some(&wg)), tau).estimate
                })
                .collect();
            rm[1..].iter().map(|r| r - rm[0]).collect()
        }
        None => Vec::new(),
    };
    Some(ReplicateStats {
        rmst_difference,
        log_hr,
    })
}

/// The rows of replicate `r` (0-based): n indices drawn with replacement from
/// `SplitMix64(substream_seed(seed, r))`, the replicate's own stream (the (r + 1)-th
/// output of `SplitMix64(seed)`, as the emulation bootstrap and the imputed sets), so
/// that its draws depend on (seed, r) only, not on the replicates run before it.
pub fn replicate_rows(n: usize, seed: u64, r: usize) -> Vec<usize> {
    let mut rng = SplitMix64(substream_seed(seed, r));
    (0..n).map(|_| rng.index(n)).collect()
}

/// Replicate `r` as a work unit ([`crate::units`]): `None` when it fails, else its RMST
/// differences then its log hazard ratios.
pub fn replicate_unit(b: &BootstrapData, seed: u64, r: usize, tau: Option<f64>) -> Unit {
    let rows = replicate_rows(b.data.time.len(), seed, r);
    replicate(b, &rows, tau).map(|st| {
        st.rmst_difference
            .into_iter()
            .chain(st.log_hr)
            .map(Some)
            .collect()
    })
}

/// Runs `replicates` bootstrap replicates of the adjusted comparisons: the Cox hazard
/// ratios of the group and, with `tau`, the RMST differences at τ. `group_column` names
/// the Cox terms. `progress` is called with (done, total) every 1% of the replicates.
pub fn bootstrap(
    b: &BootstrapData,
    replicates: usize,
    seed: u64,
    tau: Option<f64>,
    group_column: &str,
    progress: Progress,
) -> BootstrapSection {
    bootstrap_planned(&Plan::All, b, replicates, seed, tau, group_column, progress)
        .expect("every unit runs here")
}

/// [`bootstrap`] with its replicates run or read as `plan` says (the page's worker
/// pool); an error when `plan`'s partials do not cover every replicate.
pub fn bootstrap_planned(
    plan: &Plan,
    b: &BootstrapData,
    replicates: usize,
    seed: u64,
    tau: Option<f64>,
    group_column: &str,
    progress: Progress,
) -> Result<BootstrapSection, crate::Error> {
    let units = plan.units(Section::AdjustedBootstrap, replicates, progress, &mut |r| {
        replicate_unit(b, seed, r, tau)
    })?;
    Ok(summarize_units(
        b,
        &units,
        replicates,
        seed,
        tau,
        group_column,
    ))
}

/// The bootstrap section of the replicates' units (index order; see [`replicate_unit`]):
/// the summary the CLI and the page's worker pool share.
pub fn summarize_units(
    b: &BootstrapData,
    units: &[Unit],
    replicates: usize,
    seed: u64,
    tau: Option<f64>,
    group_column: &str,
) -> BootstrapSection {
    let k = b.data.n_groups();
    let labels = &b.data.cohort.group_labels;
    let m = k.saturating_sub(1);
    let n_rmst = if tau.is_some() { m } else { 0 };
    let mut rmst_draws: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); m];
    let mut hr_draws: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); m];
    let mut used = 0;
    for values in units.iter().flatten() {
        used += 1;
        let mut values = values.iter().map(|v| v.unwrap_or(f64::NAN));
        for d in rmst_draws.iter_mut().take(n_rmst) {
            d.push(values.next().unwrap_or(f64::NAN));
        }
        for d in &mut hr_draws {
            d.push(values.next().unwrap_or(f64::NAN));
        }
    }
    let rmst_difference = if tau.is_some() {
        rmst_draws
            .iter_mut()
            .enumerate()
            .map(|(j, d)| summarize(d, &labels[j + 1], &labels[0]))
            .collect()
    } else {
        Vec::new()
    };
    let cox = hr_draws
        .iter_mut()
        .enumerate()
        .map(|(j, d)| summarize_hr(d, &format!("{group_column}={}", labels[j + 1])))
        .collect();
    BootstrapSection {
        replicates,
        seed,
        replicates_used: used,
        cox,
        rmst_difference,
    }
}

/// SD (n − 1) and the type-7 2.5% / 97.5% quantiles of `d` (sorted in place).
fn sd_and_percentiles(d: &mut [f64]) -> (Option<f64>, Option<f64>, Option<f64>) {
    let m = d.len();
    if m < 2 {
        return (None, None, None);
    }
    let mean = d.iter().sum::<f64>() / m as f64;
    let var = d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (m - 1) as f64;
    d.sort_by(f64::total_cmp);
    (
        Some(var.sqrt()),
        Some(weights::quantile_type7(d, 0.025)),
        Some(weights::quantile_type7(d, 0.975)),
    )
}

fn summarize_hr(log_hr: &mut [f64], name: &str) -> BootstrapHr {
    let (se, _, _) = sd_and_percentiles(log_hr);
    let mut hr: Vec<f64> = log_hr.iter().map(|&b| math::exp(b)).collect();
    let (_, lower, upper) = sd_and_percentiles(&mut hr);
    BootstrapHr {
        name: name.to_string(),
        se,
        lower,
        upper,
    }
}

fn summarize(d: &mut [f64], a: &str, b: &str) -> BootstrapDifference {
    let (se, lower, upper) = sd_and_percentiles(d);
    BootstrapDifference {
        a: a.to_string(),
        b: b.to_string(),
        se,
        lower,
        upper,
    }
}
