//! The `emulation` section: target-trial emulation by clone–censor–weight
//! (docs/methods.md#target-trial-emulation-clonecensorweight; the statistics:
//! [`survlens_stats::emulation`]).
//!
//! Rows: the data's rows whose treatment time fits (the immortal-time rules: a
//! reference-group row without a treatment time is never treated; a non-reference row
//! has 0 ≤ u < t), then those complete for the censoring-model covariates (reported as
//! `missing_covariates`). Every non-reference group counts as local treatment at its u.
//! The section reads time, event, group, treatment time and covariates only: the spec's
//! strata, case weights, cluster and delayed entry do not enter it.

use crate::bootstrap::Progress;
use crate::complete_cases;
use crate::error::Error;
use crate::immortal::misfits;
use crate::propensity_section;
use crate::report::Skip;
use crate::units::{Plan, Section};
use crate::Spec;
use std::collections::HashMap;
use survlens_contract::emulation::{
    Arm, ArmCounts, ArmWeights, CensoringModel, CensoringModelStatus, CensoringSurvival,
    CensoringTerm, Emulation, EmulationAtTime, EmulationBootstrap, EmulationCurve, EmulationRmst,
    EmulationSpec, WeightSummary, EXTREME_WEIGHT,
};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::treatment::TreatmentTimes;
use survlens_ingest::Cohort;
use survlens_stats::emulation::{self as emu, bootstrap, ModelStatus, Patients};

/// The section, `Skip::Null` (with a warning) when no patient can be used.
pub fn emulation_section(
    cohort: &Cohort,
    spec: &Spec,
    e: &EmulationSpec,
    treatment: Option<&TreatmentTimes>,
    warnings: &mut Vec<Warning>,
    progress: Progress,
    plan: &Plan,
) -> Result<Skip<Emulation>, Error> {
    let Some(times) = treatment else {
        return Err(survlens_contract::SpecError::invalid_zh(
            "emulation",
            "needs a treatment time: map \"treatment_time\" (the time from time zero to local treatment; empty = never treated locally)",
            "需要治疗时间：请映射 \"treatment_time\"（从时间零点到局部治疗的时间；空 = 从未接受局部治疗）",
        )
        .into());
    };
    let (fitting, u) = misfits::fitting(cohort, times);
    let columns: Vec<String> = e
        .covariates
        .clone()
        .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect());
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let model = complete_cases::complete_cases(&fitting, &names, &spec.all_covariates());
    let rows: &Cohort = &model.cohort;
    // The treatment time of each model row, found by its file line.
    let u: Vec<Option<f64>> = if rows.time.len() == fitting.time.len() {
        u
    } else {
        let by_line: HashMap<u64, Option<f64>> = fitting
            .line
            .iter()
            .copied()
            .zip(u.iter().copied())
            .collect();
        rows.line
            .iter()
            .map(|l| by_line.get(l).copied().flatten())
            .collect()
    };
    if rows.time.is_empty() {
        warnings.push(survlens_text::warning(WarningCode::EmulationNoPatients));
        return Ok(Skip::Null);
    }
    let d = propensity_section::design(rows, &columns, "emulation.covariates")?;
    let n = rows.time.len();
    let p = d.p - 1; // without the intercept
    let mut x = vec![0.0; n * p];
    for (i, row) in d.x.chunks_exact(d.p).enumerate() {
        for j in 0..p {
            x[j * n + i] = row[j + 1];
        }
    }
    let patients = Patients {
        time: &rows.time,
        event: &rows.event,
        treatment: &u,
        x: &x,
        p,
    };
    let form = match e.censoring_survival {
        CensoringSurvival::Exponential => emu::CensoringSurvival::Exponential,
        CensoringSurvival::ProductLimit => emu::CensoringSurvival::ProductLimit,
    };
    let est = emu::estimate(&patients, e.grace, form, true);
    let boot = match &e.bootstrap {
        Some(b) => {
            let req = bootstrap::Request {
                replicates: b.replicates,
                seed: b.seed,
                censoring_survival: form,
                times: &e.times,
                tau: e.tau,
                curve_times: [&est.arms[0].curve.time, &est.arms[1].curve.time],
            };
            let units = plan.units(
                Section::EmulationBootstrap,
                b.replicates,
                progress,
                &mut |r| Some(bootstrap::replicate(&patients, e.grace, &req, r)),
            )?;
            let units: Vec<Vec<Option<f64>>> = units.into_iter().flatten().collect();
            Some(bootstrap::limits_of(&req, &units))
        }
        None => None,
    };
    let terms = &d.terms[1..];
    let arm_of = |a: usize| Arm::BOTH[a];
    let mut curves = Vec::new();
    let mut models = Vec::new();
    let mut weight_summaries = Vec::new();
    for (a, arm) in est.arms.iter().enumerate() {
        let band = boot.as_ref().map(|b| &b.band[a]);
        curves.push(EmulationCurve {
            arm: arm_of(a),
            time: arm.curve.time.clone(),
            surv: arm.curve.surv.clone(),
            lower: band.map(|b| b.iter().map(|l| l.0).collect()),
            upper: band.map(|b| b.iter().map(|l| l.1).collect()),
        });
        models.push(censoring_model(arm_of(a), &arm.model, terms, warnings));
        if arm.curve.left_out_zero_probability > 0 {
            warnings.push(survlens_text::warning_with(
                WarningCode::EmulationCensoringProbabilityZero,
                [
                    ("arm", arm_of(a).name().into()),
                    ("n", arm.curve.left_out_zero_probability.into()),
                ],
            ));
        }
        let summary = emu::summarize_weights(&arm.curve.weights).map(|s| WeightSummary {
            min: s.min,
            median: s.median,
            p99: s.p99,
            max: s.max,
            mean: s.mean,
        });
        if let Some(s) = summary.as_ref().filter(|s| s.max > EXTREME_WEIGHT) {
            warnings.push(survlens_text::warning_with(
                WarningCode::EmulationExtremeWeights,
                [
                    ("arm", arm_of(a).name().into()),
                    ("max_weight", s.max.into()),
                    ("threshold", EXTREME_WEIGHT.into()),
                ],
            ));
        }
        weight_summaries.push(summary);
    }
    let at_times = e
        .times
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let treat = emu::surv_at(&est.arms[0].curve, t);
            let control = emu::surv_at(&est.arms[1].curve, t);
            let difference = treat.zip(control).map(|(a, b)| a - b);
            let limits = boot
                .as_ref()
                .map(|b| b.at_times[k])
                .filter(|_| difference.is_some())
                .unwrap_or((None, None));
            EmulationAtTime {
                time: t,
                treat,
                control,
                difference,
                lower: limits.0,
                upper: limits.1,
                beyond_follow_up: difference.is_none(),
            }
        })
        .collect();
    let rmst_difference = e.tau.map(|tau| {
        let treat = emu::rmst(&est.arms[0].curve, tau);
        let control = emu::rmst(&est.arms[1].curve, tau);
        let limits = boot
            .as_ref()
            .and_then(|b| b.rmst_difference)
            .unwrap_or((None, None));
        EmulationRmst {
            tau,
            estimate: treat - control,
            lower: limits.0,
            upper: limits.1,
            treat,
            control,
        }
    });
    let [w_treat, w_control]: [Option<WeightSummary>; 2] =
        weight_summaries.try_into().unwrap_or([None, None]);
    Ok(Skip::Value(Emulation {
        grace: e.grace,
        n_clones: 2 * n,
        artificially_censored: ArmCounts {
            treat: est.arms[0].artificially_censored,
            control: est.arms[1].artificially_censored,
        },
        curves,
        at_times,
        rmst_difference,
        n_patients: n,
        n_events: ArmCounts {
            treat: est.arms[0].curve.n_events,
            control: est.arms[1].curve.n_events,
        },
        missing_covariates: model.missing.clone(),
        reference: rows.group_labels.first().cloned().unwrap_or_default(),
        covariates: columns.clone(),
        censoring_models: models,
        weights: ArmWeights {
            treat: w_treat,
            control: w_control,
        },
        bootstrap: e.bootstrap.as_ref().map(|b| EmulationBootstrap {
            replicates: b.replicates,
            seed: b.seed,
            conf_level: 0.95,
        }),
        censoring_survival: e.censoring_survival,
        left_out_zero_probability: ArmCounts {
            treat: est.arms[0].curve.left_out_zero_probability,
            control: est.arms[1].curve.left_out_zero_probability,
        },
    }))
}

/// The results entry of one arm's censoring model (and its warning when it failed).
fn censoring_model(
    arm: Arm,
    m: &emu::CensoringModel,
    terms: &[String],
    warnings: &mut Vec<Warning>,
) -> CensoringModel {
    let status = match &m.status {
        ModelStatus::Fitted => CensoringModelStatus::Fitted,
        ModelStatus::NoCensoring => CensoringModelStatus::NoCensoring,
        ModelStatus::Failed(reason) => {
            warnings.push(survlens_text::warning_with(
                WarningCode::EmulationCensoringModelFailed,
                [
                    ("arm", arm.name().into()),
                    ("reason", reason.as_str().into()),
                ],
            ));
            CensoringModelStatus::Failed
        }
    };
    let terms = m
        .coef
        .iter()
        .zip(&m.se)
        .zip(terms)
        .filter_map(|((c, se), name)| {
            c.map(|coef| CensoringTerm {
                name: name.clone(),
                coef,
                se: *se,
            })
        })
        .collect();
    CensoringModel { arm, status, terms }
}
