//! The contract's `cox` section: design matrix from the cohort, the fit, concordance,
//! the PH test, and warnings for the trouble R warns about.
//!
//! Design columns ([`super::cox_design`]): the group's dummies `"<group column>=<level>"`
//! against the reference first, then the covariates in spec order (numeric: the column
//! name; categorical: `"column=level"` for each non-reference level).
//!
//! # R equivalent
//! `fit <- coxph(Surv(time, status) ~ g + x1 + f1 + strata(s), data, weights = w,
//!  ties = "efron", robust = FALSE, cluster = id)`; `concordance(fit)`; `cox.zph(fit,
//! transform = "km")`.

use super::complete_cases::{self, MissingCovariates};
use super::cox_rows::{has_events, positive_weight_rows, SortedRows};
use super::report::Skip;
use super::spec::{CoxSpec, Spec, TiesName};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::cox::{self, CoxData, CoxFit, CoxOptions, Ties};
use survlens_stats::{dist, math};

pub use super::cox_ph::{PhTerm, PhTest};

pub use super::cox_design::{design, design_in, Design};
pub use survlens_contract::cox::{CoxConcordance, CoxLoglik, CoxSection, CoxTerm, CoxTests, Test};

/// The `cox` section, or `null` with a warning when no model can be fitted: the model
/// on the rows complete for the spec's covariates ([`complete_cases`]).
pub fn cox_section(
    cohort: &Cohort,
    spec: &Spec,
    cox_spec: &CoxSpec,
    warnings: &mut Vec<Warning>,
) -> Skip<CoxSection> {
    let model = survlens_timing::stage("rows", || {
        complete_cases::complete_cases(
            cohort,
            &complete_cases::column_names(&spec.covariates),
            &spec.covariates,
        )
    });
    if complete_cases::no_complete_rows("cox", &model, warnings) {
        return Skip::Null;
    }
    let mut section = cox_on_rows(&model.cohort, spec, cox_spec, warnings);
    if let Skip::Value(s) = &mut section {
        s.missing_covariates = model.missing;
    }
    section
}

/// The `cox` section on rows that have every covariate: the rows to fit, their one
/// sort, the fit, then what is read from it (PH test, univariable models, concordance).
fn cox_on_rows(
    cohort: &Cohort,
    spec: &Spec,
    cox_spec: &CoxSpec,
    warnings: &mut Vec<Warning>,
) -> Skip<CoxSection> {
    let keep = positive_weight_rows(cohort, warnings);
    if !has_events(cohort, keep.as_deref(), warnings) {
        return Skip::Null;
    }
    let (model, design, x_finite) = SortedRows::new(cohort, spec, keep);
    let ties = ties(cox_spec.ties);
    let opts = CoxOptions {
        ties,
        robust: cox_spec.robust || model.cluster.is_some(),
        ..CoxOptions::default()
    };
    let data = model.data(&design);
    let Some(fit) = fit_model(&data, model.entry.as_deref(), x_finite, &opts, warnings) else {
        return Skip::Null;
    };
    fit_warnings(&fit, &design, &data, opts.robust, warnings);
    let ctx = reading_context(cohort, spec);
    let ph_test = ph_test(cox_spec, &model, &data, &fit, &design, &ctx, warnings);
    let univariable = cox_spec
        .univariable
        .then(|| super::cox_univariable::univariable(&data, &opts, &design, warnings));
    let terms = terms(&fit, &design.names);
    let periods = cox_spec
        .periods
        .as_ref()
        .and_then(|cuts| super::cox_periods::periods(cohort, spec, cuts, &opts, warnings));
    let (periods, periods_test) = periods.unzip();
    // The concordance needs the linear predictors only: the n×p design is freed first.
    drop(design);
    let conc = model.concordance(&fit);
    Skip::Value(CoxSection {
        n: fit.n,
        n_events: fit.n_events,
        ties: match ties {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
        .to_string(),
        terms,
        loglik: CoxLoglik {
            null: fit.loglik_init,
            fit: fit.loglik,
        },
        tests: CoxTests::of(&fit),
        concordance: conc.estimate.is_finite().then_some(CoxConcordance {
            estimate: conc.estimate,
            se: conc.std_err,
        }),
        iterations: fit.iterations,
        converged: fit.converged,
        ph_test,
        missing_covariates: MissingCovariates::default(),
        univariable,
        periods,
        periods_test,
    })
}

/// The fit: counting-process with delayed entry (R's agreg.fit), else coxph's; `None`
/// with a `cox_failed` warning when no estimate exists.
pub(crate) fn fit_model(
    data: &CoxData,
    entry: Option<&[f64]>,
    x_finite: bool,
    opts: &CoxOptions,
    warnings: &mut Vec<Warning>,
) -> Option<CoxFit> {
    let _stage = survlens_timing::enter("fit");
    let fitted = match entry {
        Some(start) => cox::fit_counting(data, start, opts),
        None if x_finite => cox::fit_finite_x(data, opts),
        None => cox::fit(data, opts),
    };
    match fitted {
        Ok(f) => Some(f),
        Err(e) => {
            warnings.push(Warning::new(
                WarningCode::CoxFailed,
                format!("{e}; the Cox model was not fitted."),
            ));
            None
        }
    }
}

/// The PH test when asked, on right-censored or (start, stop] rows alike (`cox.zph`
/// supports both); not without an estimated coefficient, where R's `cox.zph` stops
/// ("there are no score residuals for a Null model"): a `ph_test_not_available` warning
/// says so.
fn ph_test(
    cox_spec: &CoxSpec,
    model: &SortedRows,
    data: &CoxData,
    fit: &CoxFit,
    design: &Design,
    ctx: &super::cox_ph::ReadingContext,
    warnings: &mut Vec<Warning>,
) -> Option<PhTest> {
    let ph = cox_spec.ph_test?;
    if !fit.coef.iter().any(Option::is_some) {
        warnings.push(survlens_text::warning(WarningCode::PhTestNotAvailable));
        return None;
    }
    let ties = ties(cox_spec.ties);
    let entry = model.entry.as_deref();
    Some(super::cox_ph::ph_section(
        data, entry, fit, ties, ph, design, ctx,
    ))
}

/// What the PH test's readings need to know about the spec: the group column and its
/// reference label, and whether there is an RMST comparison to point to.
fn reading_context<'a>(cohort: &'a Cohort, spec: &'a Spec) -> super::cox_ph::ReadingContext<'a> {
    super::cox_ph::ReadingContext {
        group: spec
            .group
            .as_ref()
            .zip(cohort.group_labels.first())
            .map(|(g, r)| (g.column.as_str(), r.as_str())),
        rmst: spec.rmst.is_some() && cohort.group_labels.len() > 1,
    }
}

/// The stats core's tie method of the spec's name.
fn ties(name: TiesName) -> Ties {
    match name {
        TiesName::Efron => Ties::Efron,
        TiesName::Breslow => Ties::Breslow,
    }
}

/// The terms of `fit`, named `names` (one per design column).
pub(crate) fn terms(fit: &CoxFit, names: &[String]) -> Vec<CoxTerm> {
    let se = fit.se();
    let robust_se = fit.robust_se();
    names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let rse = robust_se.as_ref().map(|r| r[j]);
            wald_term(name, fit.coef[j], se[j], rse)
        })
        .collect()
}

/// One term from its coefficient and standard errors: HR = exp(coef), Wald 95% CI
/// exp(coef ± z·se) and p = P(χ²₁ > (coef/se)²), with the robust SE in place of the
/// model-based one when there is a robust variance (`robust_se` is `Some`, even
/// `Some(None)` for an aliased column).
///
/// # R equivalent
/// `summary(coxph(...))$coefficients` and `$conf.int`.
pub(crate) fn wald_term(
    name: &str,
    coef: Option<f64>,
    se: Option<f64>,
    robust_se: Option<Option<f64>>,
) -> CoxTerm {
    let z = dist::z_for_level(0.95);
    let rse = robust_se.flatten();
    let used = if robust_se.is_some() { rse } else { se };
    let (hr, lower, upper, zv, p) = match (coef, used) {
        (Some(b), Some(s)) => {
            let zv = b / s;
            (
                Some(math::exp(b)),
                Some(math::exp(b - z * s)),
                Some(math::exp(b + z * s)),
                Some(zv),
                Some(dist::chisq_upper_tail(zv * zv, 1.0)),
            )
        }
        (Some(b), None) => (Some(math::exp(b)), None, None, None, None),
        _ => (None, None, None, None, None),
    };
    CoxTerm {
        name: name.to_string(),
        coef,
        se,
        robust_se: rse,
        hr,
        lower,
        upper,
        z: zv,
        p,
    }
}

fn fit_warnings(
    fit: &CoxFit,
    design: &Design,
    data: &CoxData,
    robust: bool,
    warnings: &mut Vec<Warning>,
) {
    let n = data.n();
    for (j, name) in design.names.iter().enumerate() {
        let col = &design.x[j * n..(j + 1) * n];
        if col.iter().all(|v| *v == col[0]) {
            warnings.push(survlens_text::warning_with(
                WarningCode::ConstantCovariate,
                [("term", name.as_str().into())],
            ));
        }
    }
    if !fit.converged {
        warnings.push(survlens_text::warning(WarningCode::CoxNotConverged));
        if fit.maybe_infinite {
            warnings.push(survlens_text::warning(WarningCode::CoxInfiniteCoef));
        }
    }
    for (j, name) in design.names.iter().enumerate() {
        if fit.infinite[j] {
            warnings.push(survlens_text::warning_with(
                WarningCode::CoxInfiniteCoef,
                [("term", name.as_str().into())],
            ));
        }
        if fit.coef[j].is_none() {
            warnings.push(survlens_text::warning_with(
                WarningCode::CoxAliased,
                [("term", name.as_str().into())],
            ));
        }
    }
    if !robust
        && data
            .weight
            .is_some_and(|w| w.iter().any(|v| v.fract() != 0.0))
    {
        warnings.push(survlens_text::warning(
            WarningCode::NonintWeightsWithoutRobust,
        ));
    }
}
