//! Results `follow_up` (median follow-up by reverse Kaplan–Meier) and `conditional`
//! (survival given alive at s), docs/methods.md#follow-up-and-conditional-survival.
//!
//! Both are Kaplan–Meier curves of derived data, built by the `km` section's own code
//! ([`steps::km_section`]): same engine, same median, quantile and at-times rules, same
//! case weights (Greenwood, as `km`), same delayed-entry handling.
//!
//! # References
//! * Schemper, M. & Smith, T. L. (1996). A note on quantifying follow-up in studies of
//!   failure time. *Controlled Clinical Trials* 17, 343–346.
//! * Klein, J. P. & Moeschberger, M. L. (2003). *Survival Analysis*, 2nd ed., §4.1
//!   (conditional survival).

use super::immortal::data::restart_entry;
use super::spec::{KmSpec, Spec};
use super::steps::{self, SortedCohort};
use survlens_contract::follow_up::{
    ConditionalCurve, ConditionalResult, ConditionalSpec, FollowUpEntry, FollowUpQuantile,
};
use survlens_contract::report::{AtTime, KmCurveReport};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;

/// The curves' options: the spec's `km` conf_type and level (default log 0.95), `times`.
fn curve_options(spec: &Spec, times: &[f64]) -> KmSpec {
    let (conf_type, conf_level) = spec
        .km
        .as_ref()
        .map_or((Default::default(), 0.95), |k| (k.conf_type, k.conf_level));
    KmSpec {
        conf_type,
        conf_level,
        times: times.to_vec(),
    }
}

/// The survival data of `cohort` only (no covariates, cluster or exclusions): what the
/// derived curves need, cheap to copy.
fn survival_rows(cohort: &Cohort) -> Cohort {
    Cohort {
        n_rows: cohort.n_rows,
        line: cohort.line.clone(),
        time: cohort.time.clone(),
        entry: cohort.entry.clone(),
        event: cohort.event.clone(),
        competing: cohort.competing.clone(),
        group: cohort.group.clone(),
        group_labels: cohort.group_labels.clone(),
        stratum: cohort.stratum.clone(),
        strata_labels: cohort.strata_labels.clone(),
        weight: cohort.weight.clone(),
        ..Cohort::default()
    }
}

/// Median follow-up and quartiles by reverse Kaplan–Meier: "all" first, then each group
/// when the spec has one.
///
/// # Formula
/// The Kaplan–Meier estimate of the censoring distribution (Schemper & Smith 1996): a
/// row is an "event" when it is censored (neither the event of interest nor a competing
/// event: a death of any cause ends follow-up and censors the follow-up time). Median and
/// its limits as print.survfit; quartiles as quantile.survfit, limits not reported.
///
/// # R equivalent
/// `fit <- survfit(Surv(time, status == 0) ~ group, weights = w, conf.type =, conf.int =)`
/// (status 0 censored, 1 event, 2 competing; `Surv(entry, time, status == 0)` with delayed
/// entry); `print(fit)` median and limits, `quantile(fit, c(0.25, 0.75))$quantile`; the
/// entry "all" is the same with `~ 1`.
pub fn follow_up_section(cohort: &Cohort, spec: &Spec) -> Vec<FollowUpEntry> {
    let mut reverse = survival_rows(cohort);
    let competing = cohort.competing.as_deref();
    reverse.event = (0..cohort.event.len())
        .map(|i| !cohort.event[i] && !competing.is_some_and(|c| c[i]))
        .collect();
    let options = curve_options(spec, &[]);
    let mut everybody = reverse.clone();
    everybody.group = vec![0; everybody.time.len()];
    everybody.group_labels = vec!["all".to_string()];
    let mut entries = follow_up_entries(&everybody, &options);
    if spec.group.is_some() {
        entries.extend(follow_up_entries(&reverse, &options));
    }
    entries
}

/// One follow-up entry per group of `reverse` (its event: censored).
fn follow_up_entries(reverse: &Cohort, options: &KmSpec) -> Vec<FollowUpEntry> {
    let km = steps::km_section(&SortedCohort::new(reverse), options, None);
    let n = rows_per_group(reverse);
    km.curves
        .into_iter()
        .zip(n)
        .map(|(c, (n, _))| FollowUpEntry {
            group: c.group,
            n,
            median: c.median,
            quantiles: c
                .quantiles
                .into_iter()
                .map(|q| FollowUpQuantile {
                    p: q.p,
                    estimate: q.estimate,
                })
                .collect(),
        })
        .collect()
}

/// Per group of `cohort`: (rows, rows with the event).
fn rows_per_group(cohort: &Cohort) -> Vec<(usize, usize)> {
    let mut out = vec![(0usize, 0usize); cohort.group_labels.len()];
    for (&g, &e) in cohort.group.iter().zip(&cohort.event) {
        if let Some(slot) = out.get_mut(g as usize) {
            slot.0 += 1;
            slot.1 += usize::from(e);
        }
    }
    out
}

/// Survival given alive at each `given` s (ascending), per group.
///
/// # Formula
/// S(s + t | T > s) = S(s + t)/S(s), estimated by the Kaplan–Meier curve of the rows with
/// time > s on the clock t = time − s (Klein & Moeschberger 2003 §4.1). A competing event
/// censors, as in `km`. With delayed entry a row enters at max(entry − s, 0). The
/// near-tie rule runs again on the shifted times (as `Surv` does). A given with no row
/// beyond it gives empty curves and `conditional_beyond_follow_up`; groups without rows
/// beyond it give empty curves and `conditional_empty_groups`.
///
/// # R equivalent
/// `survfit(Surv(time - s, status) ~ group, data = d, subset = time > s, weights = w,
/// conf.type =, conf.int =)` (with entry `Surv(pmax(entry - s, 0), time - s, status)`);
/// median as print.survfit, `summary(fit, times)` for `at_times`.
pub fn conditional_section(
    cohort: &Cohort,
    spec: &Spec,
    conditional: &ConditionalSpec,
    warnings: &mut Vec<Warning>,
) -> Vec<ConditionalResult> {
    let rows = survival_rows(cohort);
    let options = curve_options(spec, &conditional.times);
    let mut given = conditional.given.clone();
    given.sort_by(f64::total_cmp);
    let mut beyond: Vec<f64> = Vec::new();
    let results = given
        .iter()
        .map(|&s| {
            let result = given_at(&rows, s, &options);
            let empty: Vec<&str> = result
                .curves
                .iter()
                .filter(|c| c.n == 0)
                .map(|c| c.group.as_str())
                .collect();
            if empty.len() == result.curves.len() {
                beyond.push(s);
            } else if !empty.is_empty() {
                warnings.push(survlens_text::warning_with(
                    WarningCode::ConditionalEmptyGroups,
                    [("given", s.into()), ("groups", empty.into())],
                ));
            }
            result
        })
        .collect();
    if !beyond.is_empty() {
        let last_time = cohort
            .time
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        warnings.push(survlens_text::warning_with(
            WarningCode::ConditionalBeyondFollowUp,
            [
                ("given", beyond.into()),
                ("last_time", last_time.max(0.0).into()),
            ],
        ));
    }
    results
}

/// The curves of every group on the rows with time > s, time shifted by −s.
fn given_at(rows: &Cohort, s: f64, options: &KmSpec) -> ConditionalResult {
    let kept: Vec<usize> = (0..rows.time.len()).filter(|&i| rows.time[i] > s).collect();
    let mut after = crate::complete_cases::pick_rows(rows, &kept);
    after.time.iter_mut().for_each(|t| *t -= s);
    restart_entry(&mut after, s);
    let km = steps::km_section(&SortedCohort::new(&after), options, None);
    let curves = km
        .curves
        .into_iter()
        .zip(rows_per_group(&after))
        .map(|(c, (n, events))| conditional_curve(c, n, events, &options.times))
        .collect();
    ConditionalResult { given: s, curves }
}

/// A `km` curve as {group, n, events, the step curve, median, at_times}; a group without rows
/// reports every time as beyond follow-up.
fn conditional_curve(c: KmCurveReport, n: usize, events: usize, times: &[f64]) -> ConditionalCurve {
    let at_times = if c.time.is_empty() {
        let mut sorted: Vec<f64> = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted
            .into_iter()
            .map(|time| AtTime {
                time,
                n_risk: 0.0,
                surv: None,
                std_err: None,
                lower: None,
                upper: None,
                beyond_follow_up: true,
            })
            .collect()
    } else {
        c.at_times
    };
    ConditionalCurve {
        group: c.group,
        n,
        events,
        time: c.time,
        n_risk: c.n_risk,
        n_event: c.n_event,
        n_censor: c.n_censor,
        surv: c.surv,
        std_err: c.std_err,
        lower: c.lower,
        upper: c.upper,
        median: c.median,
        at_times,
    }
}
