//! The contract's `competing_risks` section (docs/results.md#competing_risks): cumulative
//! incidence per group and cause, Gray's test per cause, the Fine–Gray model of the event
//! of interest and a cause-specific Cox model per cause.
//!
//! Which rows: the curves and Gray's test use every row of the data (as KM and the
//! log-rank test); the two models use the rows complete for the spec's covariates (as
//! `cox`). Strata change Gray's test only; the curves and Fine–Gray have none, and the
//! cause-specific models are `coxph` without `strata()` (the contract's call).
//!
//! # R equivalent
//! ```r
//! d$status <- factor(status, c(censored, event, competing))   # 0, 1, 2
//! fit <- survfit(Surv(time, status) ~ g, data = d, conf.type = , conf.int = )
//! summary(fit, times = times)
//! cmprsk::cuminc(d$time, as.integer(d$status) - 1, d$g, strata = s, cencode = 0)$Tests
//! cmprsk::crr(d$time, status, cov1 = model.matrix(~ g + x, d)[, -1], failcode = 1,
//!             cencode = 0, gtol = 1e-12, maxiter = 1000)
//! coxph(Surv(time, status == 1) ~ g + x, d); coxph(Surv(time, status == 2) ~ g + x, d)
//! ```

use super::complete_cases;
use super::cox_section;
use super::report::Skip;
use super::spec::{CoxSpec, KmSpec, Spec};
use super::steps::SortedCohort;
use survlens_contract::competing::{
    Cause, CauseSpecificModel, CifAt, CifCurve, CompetingRisksSection, FineGrayModel, GrayTest,
};
use survlens_contract::spec::CompetingRisksSpec;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::competing::aalen_johansen::{self, CumulativeIncidence};
use survlens_stats::competing::fine_gray::{self, FineGrayData};
use survlens_stats::competing::gray;
use survlens_stats::competing::limits;
use survlens_stats::competing::Outcome;
use survlens_stats::ConfType;

/// The outcome of each row: event of interest, competing event or censored.
pub fn outcomes(event: &[bool], competing: Option<&[bool]>) -> Vec<Outcome> {
    match competing {
        Some(c) => event
            .iter()
            .zip(c)
            .map(|(&e, &c)| Outcome::from_flags(e, c))
            .collect(),
        None => event
            .iter()
            .map(|&e| Outcome::from_flags(e, false))
            .collect(),
    }
}

/// The stats core's outcome of a cause.
pub(crate) fn outcome_of(cause: Cause) -> Outcome {
    match cause {
        Cause::Event => Outcome::Event,
        Cause::Competing => Outcome::Competing,
    }
}

/// The section, on the time-sorted data (`None` without competing values).
pub fn competing_risks_section(
    sorted: &SortedCohort,
    spec: &Spec,
    cr: &CompetingRisksSpec,
    warnings: &mut Vec<Warning>,
) -> Option<CompetingRisksSection> {
    let competing = sorted.competing.as_deref()?;
    let outcome = outcomes(&sorted.event, Some(competing));
    let km = km_options(spec);
    let cif_stage = survlens_timing::enter("cif");
    let cif = cif_curves(
        &CifInput {
            time: &sorted.time,
            outcome: &outcome,
            group: &sorted.group,
            labels: &sorted.cohort.group_labels,
            weight: sorted.weight.as_deref(),
        },
        &km,
        &cr.times,
    );
    drop(cif_stage);
    let weighted = sorted.weight.is_some();
    if weighted && (cr.gray || cr.fine_gray) {
        warnings.push(survlens_text::warning(
            WarningCode::CompetingRisksWithCaseWeights,
        ));
    }
    let gray = if !cr.gray {
        Skip::NotAsked
    } else if weighted {
        Skip::Null
    } else {
        survlens_timing::stage("gray", || gray_tests(sorted, &outcome, spec, warnings))
    };
    let cohort = sorted.cohort;
    let fine_gray = if !cr.fine_gray {
        Skip::NotAsked
    } else if weighted {
        Skip::Null
    } else {
        survlens_timing::stage("fine_gray", || fine_gray_model(cohort, spec, warnings))
    };
    let cause_specific = cr.cause_specific.then(|| {
        survlens_timing::stage("cause_specific", || {
            cause_specific_models(cohort, spec, warnings)
        })
    });
    Some(CompetingRisksSection {
        conf_type: km.conf_type.name().to_string(),
        conf_level: km.conf_level,
        cif,
        gray,
        fine_gray,
        cause_specific,
    })
}

/// The spec's `km` options (log, 0.95 without `km`): the curves' limits.
fn km_options(spec: &Spec) -> KmSpec {
    spec.km.clone().unwrap_or(KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: Vec::new(),
    })
}

/// What the curves are made of: rows (any order) with their outcome, group and weight.
pub struct CifInput<'a> {
    pub time: &'a [f64],
    pub outcome: &'a [Outcome],
    pub group: &'a [u32],
    pub labels: &'a [String],
    pub weight: Option<&'a [f64]>,
}

/// One curve per group (in label order) and cause (event, then competing).
///
/// # R equivalent
/// `survfit(Surv(time, factor(status, 0:2)) ~ g, weights = w, conf.type, conf.int)` (with
/// weights the infinitesimal-jackknife variance of `robust = TRUE`); `summary(fit, times)`.
pub fn cif_curves(input: &CifInput, km: &KmSpec, times: &[f64]) -> Vec<CifCurve> {
    let conf_type = km.conf_type.conf_type();
    let mut out = Vec::with_capacity(2 * input.labels.len());
    for (g, label) in input.labels.iter().enumerate() {
        let rows: Vec<usize> = (0..input.time.len())
            .filter(|&i| input.group[i] == g as u32)
            .collect();
        let time: Vec<f64> = rows.iter().map(|&i| input.time[i]).collect();
        let outcome: Vec<Outcome> = rows.iter().map(|&i| input.outcome[i]).collect();
        let weight: Option<Vec<f64>> = input.weight.map(|w| rows.iter().map(|&i| w[i]).collect());
        let ci = aalen_johansen::cumulative_incidence(&time, &outcome, weight.as_deref());
        for cause in Cause::BOTH {
            out.push(cif_curve(
                label,
                cause,
                &ci,
                conf_type,
                km.conf_level,
                times,
            ));
        }
    }
    out
}

/// One cause's curve of a group with its limits and its values at `times`.
fn cif_curve(
    label: &str,
    cause: Cause,
    ci: &CumulativeIncidence,
    conf_type: ConfType,
    level: f64,
    times: &[f64],
) -> CifCurve {
    let c = match cause {
        Cause::Event => &ci.event,
        Cause::Competing => &ci.competing,
    };
    let (lower, upper) = limits::cif_limits(&c.estimate, &c.std_err, conf_type, level);
    let at_times = limits::incidence_at(&ci.time, c, &lower, &upper, times)
        .into_iter()
        .map(|a| CifAt {
            time: a.time,
            n_risk: if a.beyond_follow_up {
                0.0
            } else {
                n_risk_at(ci, a.time)
            },
            estimate: a.estimate,
            std_err: a.std_err,
            lower: a.lower,
            upper: a.upper,
            beyond_follow_up: a.beyond_follow_up,
        })
        .collect();
    CifCurve {
        group: label.to_string(),
        cause,
        time: ci.time.clone(),
        n_risk: ci.n_risk.clone(),
        n_event: c.n_event.clone(),
        estimate: c.estimate.clone(),
        std_err: c
            .std_err
            .iter()
            .map(|&s| s.is_finite().then_some(s))
            .collect(),
        lower,
        upper,
        at_times,
    }
}

/// Those still at risk at `t`: the `n_risk` of the first curve time ≥ t (as
/// `summary(fit, times)`); 0 past the last time.
fn n_risk_at(ci: &CumulativeIncidence, t: f64) -> f64 {
    let k = ci.time.partition_point(|&x| x < t);
    ci.n_risk.get(k).copied().unwrap_or(0.0)
}

/// Gray's test per cause, stratified by the spec's strata; `null` with one group.
///
/// # R equivalent
/// `cmprsk::cuminc(time, status, g, strata = s, rho = 0, cencode = 0)$Tests`.
fn gray_tests(
    sorted: &SortedCohort,
    outcome: &[Outcome],
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> Skip<Vec<GrayTest>> {
    let n_groups = sorted.n_groups();
    if n_groups < 2 {
        warnings.push(survlens_text::warning(WarningCode::GrayNeedsGroups));
        return Skip::Null;
    }
    let stratum = (!spec.strata.is_empty()).then_some(sorted.stratum.as_slice());
    let tests = Cause::BOTH
        .iter()
        .filter_map(|&cause| {
            gray::gray_test(
                &sorted.time,
                outcome,
                &sorted.group,
                n_groups,
                stratum,
                outcome_of(cause),
            )
            .map(|t| GrayTest {
                cause,
                chisq: t.chisq,
                df: t.df,
                p: t.p,
            })
        })
        .collect();
    Skip::Value(tests)
}

/// The Fine–Gray model of the event of interest on the Cox design (group dummies and
/// covariates), rows complete for the covariates; `null` with a warning when it cannot
/// be fitted.
fn fine_gray_model(
    cohort: &Cohort,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> Skip<FineGrayModel> {
    let model = complete_cases::complete_cases(
        cohort,
        &complete_cases::column_names(&spec.covariates),
        &spec.covariates,
    );
    if complete_cases::no_complete_rows("competing_risks.fine_gray", &model, warnings) {
        return Skip::Null;
    }
    let rows = &model.cohort;
    let all: Vec<usize> = (0..rows.time.len()).collect();
    let design = cox_section::design(rows, spec, &all);
    let failed = |reason: String, warnings: &mut Vec<Warning>| {
        warnings.push(survlens_text::warning_with(
            WarningCode::FineGrayFailed,
            [("reason", reason.into())],
        ));
        Skip::Null
    };
    if design.names.is_empty() {
        return failed(
            "the model has no group and no covariate to estimate".to_string(),
            warnings,
        );
    }
    let outcome = outcomes(&rows.event, rows.competing.as_deref());
    let data = FineGrayData {
        time: &rows.time,
        outcome: &outcome,
        x: &design.x,
        p: design.names.len(),
    };
    let fit = match fine_gray::fine_gray(&data, Outcome::Event) {
        Ok(fit) => fit,
        Err(e) => return failed(e.to_string(), warnings),
    };
    if !fit.converged {
        warnings.push(survlens_text::warning(WarningCode::FineGrayNotConverged));
    }
    Skip::Value(FineGrayModel {
        cause: Cause::Event,
        n: fit.n,
        n_events: fit.n_events,
        converged: fit.converged,
        iterations: fit.iterations,
        missing_covariates: model.missing,
        terms: fine_gray_terms(&fit, &design.names),
    })
}

/// Terms as `cox.terms`: sHR = exp(coef), Wald CI and p with crr's sandwich SE.
///
/// # R equivalent
/// `summary(crr(...))$coef` (`exp(coef)`, `se(coef)`, `z`, `p-value`) and
/// `exp(coef ± qnorm(0.975) · se)`.
fn fine_gray_terms(
    fit: &fine_gray::FineGrayFit,
    names: &[String],
) -> Vec<survlens_contract::cox::CoxTerm> {
    let p = names.len();
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let coef = fit.coef.get(j).copied();
            let var = fit.var.get(j * p + j).copied();
            let se = var.filter(|v| v.is_finite() && *v >= 0.0).map(f64::sqrt);
            super::cox_section::wald_term(name, coef, se, None)
        })
        .collect()
}

/// A cause-specific Cox model per cause: `coxph(Surv(time, status == k) ~ design)` on
/// the rows complete for the covariates, ties and robust variance as `cox`, no strata.
fn cause_specific_models(
    cohort: &Cohort,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> Vec<CauseSpecificModel> {
    let cox_spec = spec.cox.clone().map_or_else(CoxSpec::default, |c| CoxSpec {
        ph_test: None,
        univariable: false,
        periods: None,
        ..c
    });
    let Some(competing) = cohort.competing.as_ref() else {
        return Vec::new();
    };
    Cause::BOTH
        .iter()
        .map(|&cause| {
            let mut c = cohort.clone();
            if cause == Cause::Competing {
                c.event = competing.clone();
                c.competing = Some(cohort.event.clone());
            }
            c.stratum = vec![0; c.time.len()];
            c.strata_labels = vec!["all".to_string()];
            let before = warnings.len();
            let section = cox_section::cox_section(&c, spec, &cox_spec, warnings);
            let label = format!("competing_risks.cause_specific.{}", cause.as_str());
            for w in warnings.iter_mut().skip(before) {
                w.context
                    .insert("section".to_string(), label.clone().into());
            }
            match section {
                Skip::Value(s) => CauseSpecificModel {
                    cause,
                    n: s.n,
                    n_events: s.n_events,
                    converged: s.converged,
                    missing_covariates: s.missing_covariates,
                    terms: s.terms,
                },
                _ => {
                    warnings.push(survlens_text::warning_with(
                        WarningCode::CauseSpecificFailed,
                        [("cause", cause.as_str().into())],
                    ));
                    CauseSpecificModel {
                        cause,
                        n: 0,
                        n_events: 0,
                        converged: false,
                        missing_covariates: Default::default(),
                        terms: Vec::new(),
                    }
                }
            }
        })
        .collect()
}

/// The `km_with_competing_risks` warning, when the data have competing values.
pub fn km_warning(cohort: &Cohort) -> Option<Warning> {
    let n = cohort.competing.as_ref()?.iter().filter(|&&c| c).count();
    Some(survlens_text::warning_with(
        WarningCode::KmWithCompetingRisks,
        [("n_competing", n.into())],
    ))
}
