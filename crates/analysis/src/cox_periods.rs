//! `cox.periods`: the group's hazard ratios within periods of follow-up, and the test of
//! one constant effect against them.
//!
//! Follow-up is split at the cut points c₁ < … < c_m into periods (0, c₁], (c₁, c₂], …,
//! (c_m, ∞): each row (entry, time] becomes the pieces it crosses, the event on the
//! last piece (a death at a cut point belongs to the earlier period). On these
//! (start, stop] rows the model has, for every non-reference group k and period j, the
//! column 1{group = k, period = j}, plus the covariates (strata, ties, weights, cluster
//! as the `cox` section); the terms are named as the group terms.
//!
//! The test: with the model-based variance, the likelihood-ratio test against the model
//! with one group effect on the same rows (2(ℓ_periods − ℓ_one), df the difference in
//! estimated coefficients); with a robust variance (`robust` or a cluster, where R's
//! `anova` refuses), the robust Wald test of β(k, j) − β(k, last) = 0. The robust
//! variance groups the pieces of a patient (cluster = patient unless the spec names a
//! cluster).
//!
//! # R equivalent
//! `s <- survSplit(Surv(time, event) ~ ., data, cut = periods, episode = "tgroup")`
//! (with entry: `survSplit(Surv(entry, time, event) ~ ., ...)`);
//! `s$group <- relevel(s$group, ...)` so the reference is the last level;
//! `fit <- coxph(Surv(tstart, time, event) ~ group:strata(tgroup) + covariates, s)`;
//! `anova(coxph(Surv(tstart, time, event) ~ group + covariates, s), fit)`.

use super::cox_rows::{positive_weight_rows, SortedRows};
use super::cox_section::{fit_model, terms};
use super::spec::Spec;
use survlens_contract::periods::{CoxPeriod, PeriodsTest};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::counting::timefix_counting;
use survlens_stats::cox::{self, CoxFit, CoxOptions};
use survlens_text::period_reasons::CoxPeriodsReason;

/// `cox.periods` and `cox.periods_test`, or `None` (with a warning) when the models
/// cannot be fitted.
pub(crate) fn periods(
    cohort: &Cohort,
    spec: &Spec,
    cuts: &[f64],
    opts: &CoxOptions,
    warnings: &mut Vec<Warning>,
) -> Option<(Vec<CoxPeriod>, PeriodsTest)> {
    let k = cohort.group_labels.len();
    if spec.group.is_none() || k < 2 {
        warnings.push(failed(CoxPeriodsReason::NoGroup));
        return None;
    }
    let (split, period) = split(cohort, cuts, opts.robust);
    rows_left_out(cohort, &split, warnings);
    let by_period = by_period(&split, &period, cuts.len() + 1);
    let mut scratch = Vec::new();
    let keep = positive_weight_rows(&split, &mut scratch);
    let fits = fit_on(&split, spec, keep.clone(), opts).and_then(|one| {
        fit_on_periods(&split, &period, cuts.len() + 1, spec, keep, opts).map(|f| (one, f))
    });
    let Some(((one, _), (fit, names))) = fits else {
        warnings.push(failed(CoxPeriodsReason::NoEstimate));
        return None;
    };
    empty_warnings(&by_period, cohort, cuts, warnings);
    let test = if opts.robust {
        robust_test(&fit, k - 1, cuts.len() + 1)
    } else {
        lr_test(&fit, &one)
    };
    let mut out = period_terms(&fit, &names, cohort, spec, cuts);
    let rows_in = |j: usize| by_period[j].iter().map(|c| c.0).sum::<usize>();
    let mut j = 0;
    out.retain(|_| {
        j += 1;
        rows_in(j - 1) > 0
    });
    Some((out, test))
}

/// Rows with no time to split (exit at 0 or at the entry) have no piece in `split`:
/// `cox_period_rows_left_out` says how many, rather than dropping them silently. The
/// pieces keep the cohort's row order, so the rows kept are the runs of equal file lines.
fn rows_left_out(cohort: &Cohort, split: &Cohort, warnings: &mut Vec<Warning>) {
    let kept = split.line.windows(2).filter(|w| w[0] != w[1]).count()
        + usize::from(!split.line.is_empty());
    let n = cohort.line.len().saturating_sub(kept);
    if n > 0 {
        warnings.push(survlens_text::warning_with(
            WarningCode::CoxPeriodRowsLeftOut,
            [("n", n.into())],
        ));
    }
}

/// A `cox_periods_failed` warning with its reason.
fn failed(reason: CoxPeriodsReason) -> Warning {
    survlens_text::warning_with(
        WarningCode::CoxPeriodsFailed,
        [("reason", reason.text(survlens_text::Lang::En).into())],
    )
}

/// Fit the model of the spec (one group effect) on the split rows.
fn fit_on(
    split: &Cohort,
    spec: &Spec,
    keep: Option<Vec<bool>>,
    opts: &CoxOptions,
) -> Option<(CoxFit, Vec<String>)> {
    let (model, design, x_finite) = SortedRows::new(split, spec, keep);
    let data = model.data(&design);
    let mut w = Vec::new();
    let fit = fit_model(&data, model.entry.as_deref(), x_finite, opts, &mut w)?;
    Some((fit, design.names))
}

/// Fit the period model: the group codes replaced by one code per (group, period), the
/// reference keeping code 0 in every period, so the design's group dummies are the
/// columns 1{group = k, period = j} (period-major).
fn fit_on_periods(
    split: &Cohort,
    period: &[u32],
    n_periods: usize,
    spec: &Spec,
    keep: Option<Vec<bool>>,
    opts: &CoxOptions,
) -> Option<(CoxFit, Vec<String>)> {
    let k = split.group_labels.len();
    let mut c = split.clone();
    for (g, &j) in c.group.iter_mut().zip(period) {
        if *g != 0 {
            *g = 1 + j * (k as u32 - 1) + (*g - 1);
        }
    }
    c.group_labels = std::iter::once(split.group_labels[0].clone())
        .chain((0..n_periods).flat_map(|j| {
            split.group_labels[1..]
                .iter()
                .map(move |l| format!("{l} (period {})", j + 1))
        }))
        .collect();
    fit_on(&c, spec, keep, opts)
}

/// Split every row (entry, time] at the cut points it crosses; returns the split cohort
/// ((start, stop] rows, the event on the last piece, near-tie rule applied, empty pieces
/// dropped) and the period index of each piece. With `by_patient` the pieces of a
/// patient share a cluster unless the spec names one.
///
/// # R equivalent
/// `survSplit(Surv(entry, time, event) ~ ., data, cut = cuts, episode = "tgroup")`.
pub(crate) fn split(cohort: &Cohort, cuts: &[f64], by_patient: bool) -> (Cohort, Vec<u32>) {
    let n = cohort.time.len();
    let (mut rows, mut start, mut stop, mut period, mut event) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let mut a = cohort.entry.as_ref().map_or(0.0, |e| e[i]);
        let t = cohort.time[i];
        for &c in cuts {
            if c <= a || c >= t {
                continue;
            }
            rows.push(i);
            start.push(a);
            stop.push(c);
            event.push(false);
            a = c;
        }
        rows.push(i);
        start.push(a);
        stop.push(t);
        event.push(cohort.event[i]);
    }
    for &b in &stop {
        period.push(cuts.partition_point(|c| *c < b) as u32);
    }
    timefix_counting(&mut start, &mut stop);
    super::immortal::data::drop_empty_pieces(
        &mut rows,
        &mut start,
        &mut stop,
        &mut period,
        &mut event,
    );
    let mut c = super::immortal::data::subset(cohort, &rows);
    c.time = stop;
    c.entry = Some(start);
    c.event = event;
    c.competing = None;
    if by_patient && cohort.cluster.is_none() {
        c.cluster = Some(rows.iter().map(|&i| i as u32).collect());
    }
    (c, period)
}

/// Rows and events (weight > 0) per period and group: `[period][group] = (rows, events)`.
fn by_period(split: &Cohort, period: &[u32], n_periods: usize) -> Vec<Vec<(usize, usize)>> {
    let mut t = vec![vec![(0, 0); split.group_labels.len()]; n_periods];
    for i in 0..split.time.len() {
        if split.weight.as_ref().is_some_and(|w| w[i] <= 0.0) {
            continue;
        }
        let cell = &mut t[period[i] as usize][split.group[i] as usize];
        cell.0 += 1;
        cell.1 += usize::from(split.event[i]);
    }
    t
}

/// "(from, to]" of period `j` (the last open: "(from, ∞)").
fn period_label(cuts: &[f64], j: usize) -> String {
    let from = if j == 0 { 0.0 } else { cuts[j - 1] };
    match cuts.get(j) {
        Some(to) => format!("({from}, {to}]"),
        None => format!("({from}, ∞)"),
    }
}

/// A period without any row (a cut after the last follow-up) is left out, as R's
/// `survSplit` gives no such period (`cox_period_dropped`). A warning per period and
/// group without rows (`cox_period_empty`: its terms are
/// null) or without events (`cox_period_no_events`: its HR is 0 or infinite).
fn empty_warnings(
    table: &[Vec<(usize, usize)>],
    cohort: &Cohort,
    cuts: &[f64],
    warnings: &mut Vec<Warning>,
) {
    for (j, groups) in table.iter().enumerate() {
        if groups.iter().all(|c| c.0 == 0) {
            warnings.push(survlens_text::warning_with(
                WarningCode::CoxPeriodDropped,
                [("period", period_label(cuts, j).into())],
            ));
            continue;
        }
        for (g, &(rows, events)) in groups.iter().enumerate() {
            let code = match (rows, events) {
                (0, _) => WarningCode::CoxPeriodEmpty,
                (_, 0) => WarningCode::CoxPeriodNoEvents,
                _ => continue,
            };
            warnings.push(survlens_text::warning_with(
                code,
                [
                    ("group", cohort.group_labels[g].as_str().into()),
                    ("period", period_label(cuts, j).into()),
                ],
            ));
        }
    }
}

/// The group terms of the period fit, one block per period, named as `cox.terms`.
fn period_terms(
    fit: &CoxFit,
    names: &[String],
    cohort: &Cohort,
    spec: &Spec,
    cuts: &[f64],
) -> Vec<CoxPeriod> {
    let k = cohort.group_labels.len() - 1;
    let column = spec.group.as_ref().map_or("", |g| g.column.as_str());
    let all = terms(fit, names);
    (0..=cuts.len())
        .map(|j| CoxPeriod {
            from: if j == 0 { 0.0 } else { cuts[j - 1] },
            to: cuts.get(j).copied(),
            terms: all[j * k..(j + 1) * k]
                .iter()
                .zip(&cohort.group_labels[1..])
                .map(|(t, label)| survlens_contract::cox::CoxTerm {
                    name: format!("{column}={label}"),
                    ..t.clone()
                })
                .collect(),
        })
        .collect()
}

/// 2(ℓ_periods − ℓ_one) on the difference in estimated coefficients (`anova`).
fn lr_test(fit: &CoxFit, one: &CoxFit) -> PeriodsTest {
    let estimated = |f: &CoxFit| f.coef.iter().filter(|c| c.is_some()).count();
    let df = estimated(fit).saturating_sub(estimated(one));
    to_test(2.0 * (fit.loglik - one.loglik), df, "lr")
}

/// The robust Wald test of β(k, j) − β(k, last) = 0 for every non-reference group k
/// (`k_groups` of them) and every earlier period j, "last" the last period in which
/// β(k, ·) is estimated.
fn robust_test(fit: &CoxFit, k_groups: usize, n_periods: usize) -> PeriodsTest {
    let p = fit.coef.len();
    let mut contrasts = Vec::new();
    for g in 0..k_groups {
        let col = |j: usize| j * k_groups + g;
        let estimated: Vec<usize> = (0..n_periods)
            .map(col)
            .filter(|&c| fit.coef[c].is_some())
            .collect();
        if let Some((&last, earlier)) = estimated.split_last() {
            for &c in earlier {
                let mut row = vec![0.0; p];
                row[c] = 1.0;
                row[last] = -1.0;
                contrasts.push(row);
            }
        }
    }
    let var = fit.robust_var.as_ref().unwrap_or(&fit.var);
    let t = cox::wald_contrast(&fit.coef, var, &contrasts);
    to_test(t.chisq, t.df, "wald_robust")
}

fn to_test(chisq: f64, df: usize, test: &str) -> PeriodsTest {
    let p = (df > 0 && chisq.is_finite())
        .then(|| survlens_stats::dist::chisq_upper_tail(chisq.max(0.0), df as f64));
    PeriodsTest {
        chisq,
        df,
        p,
        test: test.to_string(),
    }
}
