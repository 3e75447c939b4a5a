//! One function per results section: each takes the time-sorted cohort and a spec
//! section and returns the contract's section.

use super::report::{
    AtTime, KmCurveReport, KmSection, LogRankGroup, LogRankSection, PairwiseTest, QuantileEstimate,
    QuantileReport, Rmst, RmstDifference, Skip,
};
use super::spec::{KmSpec, LogRankSpec, Pairwise, RmstSpec};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::order::TimeOrder;
use survlens_stats::{dist, km, logrank, logrank_entry, padjust, rmst};

/// The cohort's rows in ascending time order: the one sort shared by every analysis.
pub struct SortedCohort<'a> {
    pub cohort: &'a Cohort,
    pub time: Vec<f64>,
    /// Delayed entry / split rows: the start of each (start, stop] row.
    pub entry: Option<Vec<f64>>,
    pub event: Vec<bool>,
    /// Competing events (`None` without `event.competing_values`).
    pub competing: Option<Vec<bool>>,
    pub weight: Option<Vec<f64>>,
    pub group: Vec<u32>,
    pub stratum: Vec<u32>,
    /// The sort: `order()[k]` = cohort row of sorted position k (time ascending,
    /// stable), made on first use.
    sort: TimeOrder,
}

impl<'a> SortedCohort<'a> {
    pub fn new(cohort: &'a Cohort) -> Self {
        let mut sorted = TimeOrder::new(&cohort.time);
        SortedCohort {
            cohort,
            entry: cohort.entry.as_deref().map(|v| sorted.pick(v)),
            event: sorted.pick(&cohort.event),
            competing: cohort.competing.as_deref().map(|v| sorted.pick(v)),
            weight: cohort.weight.as_deref().map(|v| sorted.pick(v)),
            group: sorted.pick(&cohort.group),
            stratum: sorted.pick(&cohort.stratum),
            time: std::mem::take(&mut sorted.time),
            sort: sorted,
        }
    }

    /// `order()[k]` = cohort row of sorted position k (time ascending, stable).
    pub fn order(&self) -> &[usize] {
        self.sort.order()
    }

    pub fn n_groups(&self) -> usize {
        self.cohort.group_labels.len()
    }

    /// Sorted row indices of group `g`.
    fn group_index(&self, g: u32) -> Vec<usize> {
        (0..self.time.len())
            .filter(|&i| self.group[i] == g)
            .collect()
    }

    /// Rows of group `g` (sorted), as (time, event, weight) vectors.
    fn group_rows(&self, g: u32) -> (Vec<f64>, Vec<bool>, Option<Vec<f64>>) {
        let idx = self.group_index(g);
        let time = idx.iter().map(|&i| self.time[i]).collect();
        let event = idx.iter().map(|&i| self.event[i]).collect();
        let weight = self
            .weight
            .as_ref()
            .map(|w| idx.iter().map(|&i| w[i]).collect());
        (time, event, weight)
    }
}

/// Kaplan–Meier curves per group (R's `survfit`), with medians, quartiles, survival at
/// the requested times and, when asked, the restricted mean.
pub fn km_section(data: &SortedCohort, spec: &KmSpec, rmst_spec: Option<&RmstSpec>) -> KmSection {
    let curves = match &data.entry {
        Some(entry) => (0..data.n_groups())
            .map(|g| {
                // (start, stop] rows: no RMST (docs/methods.md#delayed-entry); at_times.n_risk
                // is the (weighted) number with start < t ≤ stop.
                let (time, event, weight) = data.group_rows(g as u32);
                let label = data.cohort.group_labels[g].clone();
                let start: Vec<f64> = data
                    .group_index(g as u32)
                    .iter()
                    .map(|&i| entry[i])
                    .collect();
                let curve = km::kaplan_meier_counting(&start, &time, &event, weight.as_deref());
                let mut report = curve_report(label, &curve, spec, None);
                for a in report.at_times.iter_mut().filter(|a| !a.beyond_follow_up) {
                    a.n_risk =
                        survlens_stats::counting::at_risk(&start, &time, weight.as_deref(), a.time);
                }
                report
            })
            .collect(),
        // Every group's curve in one pass over the sorted rows.
        None => km::kaplan_meier_by_group(
            &data.time,
            &data.event,
            data.weight.as_deref(),
            &data.group,
            data.n_groups(),
        )
        .iter()
        .zip(&data.cohort.group_labels)
        .map(|(curve, label)| curve_report(label.clone(), curve, spec, rmst_spec))
        .collect(),
    };
    KmSection {
        conf_type: spec.conf_type.name().to_string(),
        conf_level: spec.conf_level,
        curves,
    }
}

fn quantile_estimate(q: &km::QuantileCi) -> QuantileEstimate {
    QuantileEstimate {
        estimate: q.estimate,
        lower: q.lower,
        upper: q.upper,
    }
}

pub(super) fn curve_report(
    group: String,
    curve: &km::KmCurve,
    spec: &KmSpec,
    rmst_spec: Option<&RmstSpec>,
) -> KmCurveReport {
    let limits = km::confidence_limits(curve, spec.conf_type.conf_type(), spec.conf_level);
    let median = quantile_estimate(&km::median(curve, &limits));
    // Both quartiles in one call, as `quantile(fit, probs = c(0.25, 0.75))`: R's answer
    // for one probability can depend on the others asked (see km::quantiles).
    const QUARTILES: [f64; 2] = [0.25, 0.75];
    let quantiles = km::quantiles(curve, &limits, &QUARTILES)
        .into_iter()
        .zip(QUARTILES)
        .map(|(q, p)| QuantileReport {
            p,
            estimate: q.estimate,
            lower: q.lower,
            upper: q.upper,
        })
        .collect();
    let at_times = km::survival_at(curve, &limits, &spec.times)
        .into_iter()
        .map(|a| {
            // Nothing is reported past follow-up (R's summary(fit, times) without extend).
            let known = |v: Option<f64>| v.filter(|_| !a.beyond_follow_up);
            AtTime {
                time: a.time,
                n_risk: if a.beyond_follow_up { 0.0 } else { a.n_risk },
                surv: known(Some(a.surv)),
                std_err: known(a.std_err),
                lower: known(a.lower),
                upper: known(a.upper),
                beyond_follow_up: a.beyond_follow_up,
            }
        })
        .collect();
    let rmst = rmst_spec.map(|r| {
        let m = rmst::restricted_mean(curve, r.tau);
        Rmst {
            tau: m.tau,
            estimate: m.estimate,
            se: m.se,
        }
    });
    KmCurveReport {
        group,
        time: curve.time.clone(),
        n_risk: curve.n_risk.clone(),
        n_event: curve.n_event.clone(),
        n_censor: curve.n_censor.clone(),
        surv: curve.surv.clone(),
        std_err: limits.std_err,
        lower: limits.lower,
        upper: limits.upper,
        median,
        quantiles,
        at_times,
        rmst,
    }
}

/// One warning `rmst_tau_beyond_follow_up` when τ is later than the last observed time
/// of some curve of `km` (the RMST is still computed as R does: the curve extended flat
/// to τ). Context: `section`, `groups` (those curves), `max_tau` (the largest τ every
/// curve reaches: the smallest last observed time).
pub fn warn_rmst_beyond_follow_up(section: &str, km: &KmSection, warnings: &mut Vec<Warning>) {
    let last = |c: &KmCurveReport| c.time.last().copied();
    let beyond: Vec<&str> = km
        .curves
        .iter()
        .filter(|c| {
            c.rmst
                .as_ref()
                .is_some_and(|r| last(c).is_some_and(|t| r.tau > t))
        })
        .map(|c| c.group.as_str())
        .collect();
    let Some(tau) = km
        .curves
        .iter()
        .find_map(|c| c.rmst.as_ref().map(|r| r.tau))
    else {
        return;
    };
    if beyond.is_empty() {
        return;
    }
    let max_tau = km
        .curves
        .iter()
        .filter_map(last)
        .fold(f64::INFINITY, f64::min);
    warnings.push(
        Warning::new(WarningCode::RmstTauBeyondFollowUp,
            format!(
                "The restricted mean survival time to {tau} extends the survival curve of {} past its last                  follow-up time as a flat line (as R does); choose a τ of at most {max_tau} so that every                  curve is observed up to τ.",
                beyond.join(", ")
            ),
        )
        .with("section", section)
        .with("groups", beyond)
        .with("max_tau", max_tau),
    );
}

/// RMST of each group minus the reference's: a − b, se = √(se_a² + se_b²), 95% Wald CI,
/// two-sided normal p.
pub fn rmst_differences(km: &KmSection) -> Vec<RmstDifference> {
    let Some((reference, others)) = km.curves.split_first() else {
        return Vec::new();
    };
    let Some(rb) = &reference.rmst else {
        return Vec::new();
    };
    let z = dist::z_for_level(0.95);
    others
        .iter()
        .filter_map(|c| {
            let ra = c.rmst.as_ref()?;
            let estimate = ra.estimate - rb.estimate;
            let se = (ra.se * ra.se + rb.se * rb.se).sqrt();
            Some(RmstDifference {
                a: c.group.clone(),
                b: reference.group.clone(),
                tau: ra.tau,
                estimate,
                se,
                lower: estimate - z * se,
                upper: estimate + z * se,
                p: dist::normal_two_sided_p(estimate / se),
            })
        })
        .collect()
}

/// The overall (stratified) G-rho test and the pairwise tests (R's `survdiff`).
pub fn logrank_section(
    data: &SortedCohort,
    spec: &LogRankSpec,
    warnings: &mut Vec<Warning>,
) -> Skip<LogRankSection> {
    if data.n_groups() < 2 {
        warnings.push(survlens_text::warning(WarningCode::LogrankNeedsGroups));
        return Skip::Null;
    }
    if !data.event.iter().any(|&e| e) {
        warnings.push(Warning::new(
            WarningCode::NoEvents,
            "No patient had the event, so the log-rank test cannot be computed; \
             check the event column and its coding.",
        ));
        return Skip::Null;
    }
    if data.weight.is_some() {
        warnings.push(survlens_text::warning(WarningCode::WeightsIgnored));
    }
    let n_strata = data.cohort.strata_labels.len().max(1);
    let k = data.n_groups();
    if data.entry.is_some() && spec.rho != 0.0 {
        warnings.push(survlens_text::warning(WarningCode::RhoIgnoredWithEntry));
    }
    let test = test_all_rows(data, k, n_strata, spec.rho);
    if test.singular {
        warnings.push(survlens_text::warning(WarningCode::LogrankSingular));
    }
    let groups = (0..k)
        .map(|g| LogRankGroup {
            label: data.cohort.group_labels[g].clone(),
            observed: test.observed[g],
            expected: test.expected[g],
        })
        .collect();
    Skip::Value(LogRankSection {
        rho: spec.rho,
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        groups,
        pairwise: pairwise_tests(data, spec, n_strata),
    })
}

/// The pairs to test: (a, b) with a later than b in group order, ordered by b then a.
fn pairs(k: usize, which: Pairwise) -> Vec<(u32, u32)> {
    match which {
        Pairwise::None => Vec::new(),
        Pairwise::Reference => (1..k as u32).map(|a| (a, 0)).collect(),
        Pairwise::All => (0..k as u32)
            .flat_map(|b| ((b + 1)..k as u32).map(move |a| (a, b)))
            .collect(),
    }
}

fn pairwise_tests(data: &SortedCohort, spec: &LogRankSpec, n_strata: usize) -> Vec<PairwiseTest> {
    let pairs = pairs(data.n_groups(), spec.pairwise);
    let tests: Vec<(u32, u32, logrank::LogRankTest)> = pairs
        .into_iter()
        .map(|(a, b)| {
            let idx: Vec<usize> = (0..data.time.len())
                .filter(|&i| data.group[i] == a || data.group[i] == b)
                .collect();
            (a, b, test_pair(data, &idx, a, n_strata, spec.rho))
        })
        .collect();
    let raw: Vec<f64> = tests.iter().map(|t| t.2.p).collect();
    let adjusted = padjust::adjust(&raw, spec.adjust.method());
    tests
        .into_iter()
        .zip(adjusted)
        .map(|((a, b, t), p_adjusted)| PairwiseTest {
            a: data.cohort.group_labels[a as usize].clone(),
            b: data.cohort.group_labels[b as usize].clone(),
            chisq: t.chisq,
            p: t.p,
            p_adjusted,
        })
        .collect()
}

/// The test on all rows, read in place: `survdiff`, or with (start, stop] rows the
/// exact-ties Cox score test ([`logrank_entry`]).
fn test_all_rows(data: &SortedCohort, k: usize, n_strata: usize, rho: f64) -> logrank::LogRankTest {
    match &data.entry {
        Some(entry) => logrank_entry::logrank_counting(
            entry,
            &data.time,
            &data.event,
            &data.group,
            k,
            &data.stratum,
            n_strata,
        ),
        None => logrank::survdiff(
            &data.time,
            &data.event,
            &data.group,
            k,
            &data.stratum,
            n_strata,
            rho,
        ),
    }
}

/// The two-group test of group `a` against the others among the rows `idx` (a pair of
/// groups), as [`test_all_rows`].
fn test_pair(
    data: &SortedCohort,
    idx: &[usize],
    a: u32,
    n_strata: usize,
    rho: f64,
) -> logrank::LogRankTest {
    let time: Vec<f64> = idx.iter().map(|&i| data.time[i]).collect();
    let event: Vec<bool> = idx.iter().map(|&i| data.event[i]).collect();
    let group: Vec<u32> = idx.iter().map(|&i| u32::from(data.group[i] == a)).collect();
    let stratum: Vec<u32> = idx.iter().map(|&i| data.stratum[i]).collect();
    match &data.entry {
        Some(entry) => {
            let start: Vec<f64> = idx.iter().map(|&i| entry[i]).collect();
            logrank_entry::logrank_counting(&start, &time, &event, &group, 2, &stratum, n_strata)
        }
        None => logrank::survdiff(&time, &event, &group, 2, &stratum, n_strata, rho),
    }
}
