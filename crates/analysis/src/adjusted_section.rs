//! The `adjusted` section: comparisons in the weighted (pseudo-)population: weighted
//! Kaplan–Meier curves with the infinitesimal-jackknife variance, weighted RMST and
//! their differences, and the weighted Cox model of the group ([`super::adjusted_cox`]).

use super::adjusted_cox::{adjusted_cox, GroupCoxData};
use super::bootstrap::BootstrapSection;
use super::report::{KmSection, Rmst};
use super::spec::{KmSpec, RmstSpec};
use super::steps::{curve_report, rmst_differences, SortedCohort};
pub use survlens_contract::adjusted::AdjustedSection;
pub use survlens_contract::spec::{AdjustedSpec, BootstrapSpec};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::{km, rmst};

/// Weighted curves per group: weights `w` (the propensity weights, times the case
/// weights when the spec has them), in the sorted cohort's row order.
///
/// # R equivalent
/// `fit <- survfit(Surv(time, status) ~ g, weights = w, robust = TRUE, id = row,
/// conf.type = , conf.int = )`; per curve `std.err` (the IJ SE of S), `lower`, `upper`,
/// median / quantiles / `summary(times =)` on it (no `extend`: later times are null with
/// `beyond_follow_up`);
/// RMST: `print(fit, rmean = tau)` estimate, se `sqrt(sum(residuals(fit_g, times = tau,
/// type = "rmst", weighted = TRUE)^2))`; differences a − b with 95% Wald CI; Cox as
/// [`super::adjusted_cox`].
pub fn adjusted_section(
    data: &SortedCohort,
    w: &[f64],
    km_spec: &KmSpec,
    rmst_spec: Option<&RmstSpec>,
    cox_input: CoxInput,
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
    let cox = adjusted_cox(
        &GroupCoxData {
            time: &data.time,
            event: &data.event,
            group: &data.group,
            weight: w,
            cluster: cox_input.cluster,
            n_groups: data.n_groups(),
        },
        cox_input.group_column,
        &data.cohort.group_labels,
    );
    if cox.is_none() {
        warnings.push(
            survlens_text::warning(WarningCode::AdjustedCoxFailed).with("section", "adjusted.cox"),
        );
    }
    AdjustedSection {
        cif: None,
        n: data.time.len(),
        n_events: data.event.iter().filter(|&&e| e).count(),
        missing_covariates: Default::default(),
        km,
        cox,
        rmst_difference,
        bootstrap,
        subgroups: None,
        notes: Vec::new(),
    }
}

/// What the adjusted Cox model needs beyond the sorted cohort.
pub struct CoxInput<'a> {
    /// The spec's group column (terms are `<column>=<level>`).
    pub group_column: &'a str,
    /// The spec's cluster codes in sorted order; `None`: each row its own cluster.
    pub cluster: Option<&'a [u32]>,
}
