//! The `adjusted` section: comparisons in the weighted (pseudo-)population: weighted
//! Kaplan–Meier curves with the infinitesimal-jackknife variance, weighted RMST and
//! their differences. Adjusted Cox waits for `stats::cox` (see [`cox_hook`]).

use super::bootstrap::BootstrapSection;
use super::report::{KmSection, Rmst, RmstDifference};
use super::spec::{KmSpec, RmstSpec};
use super::steps::{curve_report, rmst_differences, SortedCohort};
use crate::stats::{km, rmst};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};

/// `adjusted.bootstrap`: `{"replicates": 1000, "seed": 1}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapSpec {
    pub replicates: usize,
    #[serde(default)]
    pub seed: u64,
}

/// Spec `adjusted`: `{}` or `{"bootstrap": {...}}`. Needs `propensity`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustedSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSpec>,
}

/// Results `adjusted`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustedSection {
    pub km: KmSection,
    // TODO(cox): `cox` — coxph(Surv(time, event) ~ group, weights = w, robust = TRUE)
    // terms with robust_se (CI and p from it); see `cox_hook`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<RmstDifference>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSection>,
}

/// Weighted curves per group: weights `w` (the propensity weights, times the case
/// weights when the spec has them), in the sorted cohort's row order.
///
/// # R equivalent
/// `fit <- survfit(Surv(time, status) ~ g, weights = w, robust = TRUE, id = row,
/// conf.type = , conf.int = )`; per curve `std.err` (the IJ SE of S), `lower`, `upper`,
/// median / quantiles / `summary(times =, extend = TRUE)` on it;
/// RMST: `print(fit, rmean = tau)` estimate, se `sqrt(sum(residuals(fit_g, times = tau,
/// type = "rmst", weighted = TRUE)^2))`; differences a − b with 95% Wald CI.
pub fn adjusted_section(
    data: &SortedCohort,
    w: &[f64],
    km_spec: &KmSpec,
    rmst_spec: Option<&RmstSpec>,
    bootstrap: Option<BootstrapSection>,
    warnings: &mut Vec<Warning>,
) -> AdjustedSection {
    let curves = (0..data.n_groups())
        .map(|g| {
            let idx: Vec<usize> = (0..data.time.len())
                .filter(|&i| data.group[i] == g as u32)
                .collect();
            let time: Vec<f64> = idx.iter().map(|&i| data.time[i]).collect();
            let event: Vec<bool> = idx.iter().map(|&i| data.event[i]).collect();
            let wg: Vec<f64> = idx.iter().map(|&i| w[i]).collect();
            let curve = km::kaplan_meier(&time, &event, Some(&wg));
            let se = km::robust::ij_se_surv(&curve, &time, &event, &wg);
            let robust = km::robust::with_robust_se(&curve, &se);
            let label = data.cohort.group_labels[g].clone();
            let mut report = curve_report(label, &robust, km_spec, None);
            report.rmst = rmst_spec.map(|r| Rmst {
                tau: r.tau,
                estimate: rmst::restricted_mean(&curve, r.tau).estimate,
                se: km::robust::ij_se_rmst(&curve, &time, &event, &wg, r.tau),
            });
            report
        })
        .collect();
    let km = KmSection {
        conf_type: km_spec.conf_type.name().to_string(),
        conf_level: km_spec.conf_level,
        curves,
    };
    let rmst_difference = rmst_spec.map(|_| rmst_differences(&km));
    cox_hook(warnings);
    AdjustedSection {
        km,
        rmst_difference,
        bootstrap,
    }
}

/// Hook for the weighted Cox model of the group. Until `stats::cox` lands it only
/// records that `adjusted.cox` is left out.
///
/// TODO(cox): fit `stats::cox::fit` on (time, event, group indicators) with
/// `weight = w` (drop zero weights, as coxph refuses them) and `robust = true`, each row
/// its own cluster (or the spec's cluster); report terms named `<group column>=<level>`
/// with `se`, `robust_se`, and CI/z/p from `robust_se`; then feed those terms to the
/// `sensitivity` section (source "adjusted.cox").
fn cox_hook(warnings: &mut Vec<Warning>) {
    warnings.push(
        Warning::new(
            "not_implemented",
            "The weighted (adjusted) Cox model is not available in this version; the adjusted \
             Kaplan–Meier curves and RMST differences ran.",
        )
        .with("section", "adjusted.cox"),
    );
}
