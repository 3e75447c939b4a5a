//! The analyses of one matched sample (the rows with a matching weight > 0), as R runs
//! them on `matched <- match.data(m)`:
//!
//! * **KM** per arm (reference first), weighted by the matching weights:
//!   `survfit(Surv(time, status) ~ g, data = matched, weights = weights, conf.type,
//!   conf.int)`. As survfit does by default, the variance is the infinitesimal
//!   jackknife (each row its own cluster) when some weight is not an integer, else
//!   Greenwood's with the weights as case weights (1:k matching with full sets: every
//!   weight 1). Conf type and level from `km` (default log, 0.95).
//! * **RMST** at the `rmst` τ: `print(fit, rmean = tau)`'s estimate; its SE by the same
//!   variance as the curve: `sqrt(sum(residuals(fit_g, times = tau, type = "rmst",
//!   weighted = TRUE)^2))` with IJ curves (as `adjusted`), survmean's formula with
//!   Greenwood curves. `rmst_difference`: a − b, se = √(se_a² + se_b²), 95% Wald.
//! * **Log-rank**: without replacement stratified by matched set,
//!   `survdiff(Surv(time, status) ~ g + strata(subclass), data = matched)`; with
//!   replacement the unstratified `survdiff(Surv(time, status) ~ g, data = matched)`
//!   (no weights: survdiff has none; the pairs are not strata when a control serves
//!   several sets).
//! * **Cox**: `coxph(Surv(time, status) ~ g, data = matched, weights = weights, robust =
//!   TRUE, cluster = subclass)` (Efron ties); with replacement clustered by patient
//!   (the spec's `cluster`, else each row its own cluster). CI, z and p from the robust SE.
//!
//! With the spec's case weights, the KM and Cox weights are matching weight × case weight.
//!
//! # References
//! * Austin, P. C. (2014). The use of propensity score methods with survival or
//!   time-to-event outcomes: reporting measures of effect similar to those used in
//!   randomized experiments. *Stat. Med.* 33, 1242–1258 (stratified log-rank and
//!   cluster-robust Cox in matched samples).
//! * Austin, P. C. & Stuart, E. A. (2015). *Stat. Med.* 34, 3661–3679.
//! * MatchIt vignette "Estimating Effects After Matching" (Greifer), survival outcomes.

use crate::adjusted_cox::{adjusted_cox, GroupCoxData};
use crate::report::{KmSection, Rmst, RmstDifference};
use crate::spec::KmSpec;
use crate::steps::{curve_report, rmst_differences, warn_rmst_beyond_follow_up};
use crate::Spec;
use survlens_contract::adjusted::AdjustedCox;
use survlens_contract::matching::MatchedLogRank;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::{km, logrank, rmst};
use survlens_timing as timing;

/// What the matched analyses need of one comparison.
pub(super) struct MatchedInput<'a> {
    /// The comparison's model rows (group 0 = b, 1 = a).
    pub rows: &'a Cohort,
    /// Matching weight of every model row.
    pub weight: &'a [f64],
    /// Matched set of every model row (without replacement).
    pub subclass: Option<&'a [Option<u32>]>,
    pub group_column: &'a str,
    pub a: &'a str,
    pub b: &'a str,
}

/// The analyses' results.
pub(super) struct MatchedAnalyses {
    pub km: KmSection,
    pub logrank: Option<MatchedLogRank>,
    pub cox: Option<AdjustedCox>,
    pub rmst_difference: Option<Vec<RmstDifference>>,
}

/// The `km` settings of the matched curves: the spec's, else log 0.95 without times.
pub(super) fn km_spec(spec: &Spec) -> KmSpec {
    spec.km.clone().unwrap_or(KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: vec![],
    })
}

/// The matched rows in ascending time order (stable).
struct MatchedRows {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<u32>,
    weight: Vec<f64>,
    subclass: Option<Vec<u32>>,
    cluster: Option<Vec<u32>>,
}

fn matched_rows(input: &MatchedInput) -> MatchedRows {
    let rows = input.rows;
    let mut idx: Vec<usize> = (0..rows.time.len())
        .filter(|&i| input.weight[i] > 0.0)
        .collect();
    idx.sort_by(|&i, &j| rows.time[i].total_cmp(&rows.time[j]));
    let case = |i: usize| rows.weight.as_ref().map_or(1.0, |w| w[i]);
    MatchedRows {
        time: idx.iter().map(|&i| rows.time[i]).collect(),
        event: idx.iter().map(|&i| rows.event[i]).collect(),
        group: idx.iter().map(|&i| rows.group[i]).collect(),
        weight: idx.iter().map(|&i| input.weight[i] * case(i)).collect(),
        subclass: input
            .subclass
            .map(|s| idx.iter().map(|&i| s[i].unwrap_or(u32::MAX)).collect()),
        cluster: rows
            .cluster
            .as_ref()
            .map(|c| idx.iter().map(|&i| c[i]).collect()),
    }
}

/// KM, log-rank, Cox and RMST differences of the matched sample (module docs).
pub(super) fn analyses(
    input: &MatchedInput,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> MatchedAnalyses {
    let m = matched_rows(input);
    let km_spec = km_spec(spec);
    let rmst_spec = spec.rmst.as_ref().filter(|_| input.rows.entry.is_none());
    // survfit's default: the robust (IJ) variance when a weight is not an integer.
    let robust = m.weight.iter().any(|w| w.floor() != *w);
    let labels = [input.b, input.a];
    let km_stage = timing::enter("km");
    let curves = (0..2u32)
        .map(|g| {
            let idx: Vec<usize> = (0..m.time.len()).filter(|&i| m.group[i] == g).collect();
            let time: Vec<f64> = idx.iter().map(|&i| m.time[i]).collect();
            let event: Vec<bool> = idx.iter().map(|&i| m.event[i]).collect();
            let w: Vec<f64> = idx.iter().map(|&i| m.weight[i]).collect();
            let curve = km::kaplan_meier(&time, &event, Some(&w));
            let shown = if robust {
                km::robust::with_robust_se(
                    &curve,
                    &km::robust::ij_se_surv(&curve, &time, &event, &w),
                )
            } else {
                curve.clone()
            };
            let mut report = curve_report(labels[g as usize].to_string(), &shown, &km_spec, None);
            report.rmst = rmst_spec.map(|r| {
                let mean = rmst::restricted_mean(&curve, r.tau);
                Rmst {
                    tau: mean.tau,
                    estimate: mean.estimate,
                    se: if robust {
                        km::robust::ij_se_rmst(&curve, &time, &event, &w, r.tau)
                    } else {
                        mean.se
                    },
                }
            });
            report
        })
        .collect();
    let km = KmSection {
        conf_type: km_spec.conf_type.name().to_string(),
        conf_level: km_spec.conf_level,
        curves,
    };
    if rmst_spec.is_some() {
        warn_rmst_beyond_follow_up("matching", &km, warnings);
    }
    let rmst_difference = rmst_spec.map(|_| rmst_differences(&km));
    drop(km_stage);
    let context = || {
        [
            ("section", "matching".into()),
            ("a", input.a.into()),
            ("b", input.b.into()),
        ]
    };
    if !m.event.iter().any(|&e| e) {
        warnings.push(survlens_text::warning_with(
            WarningCode::NoEvents,
            context(),
        ));
        return MatchedAnalyses {
            km,
            logrank: None,
            cox: None,
            rmst_difference,
        };
    }
    let logrank = timing::stage("logrank", || matched_logrank(&m));
    if logrank.is_none() {
        warnings.push(survlens_text::warning_with(
            WarningCode::LogrankSingular,
            context(),
        ));
    }
    let cluster = match &m.subclass {
        Some(s) => Some(s.as_slice()),
        None => m.cluster.as_deref(),
    };
    let cox = timing::stage("cox", || {
        adjusted_cox(
            &GroupCoxData {
                time: &m.time,
                event: &m.event,
                group: &m.group,
                weight: &m.weight,
                cluster,
                n_groups: 2,
            },
            input.group_column,
            &[input.b.to_string(), input.a.to_string()],
        )
    });
    if cox.is_none() {
        warnings.push(survlens_text::warning_with(
            WarningCode::AdjustedCoxFailed,
            context(),
        ));
    }
    MatchedAnalyses {
        km,
        logrank,
        cox,
        rmst_difference,
    }
}

/// The log-rank test of the matched rows (sorted by time): stratified by matched set
/// without replacement, unstratified with; `None` when its variance is singular.
fn matched_logrank(m: &MatchedRows) -> Option<MatchedLogRank> {
    let (stratum, n_strata, stratified) = match &m.subclass {
        Some(s) => {
            let n = s.iter().map(|&k| k as usize + 1).max().unwrap_or(1);
            (s.clone(), n, true)
        }
        None => (vec![0; m.time.len()], 1, false),
    };
    let test = logrank::survdiff(&m.time, &m.event, &m.group, 2, &stratum, n_strata, 0.0);
    (!test.singular).then_some(MatchedLogRank {
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        stratified,
    })
}
