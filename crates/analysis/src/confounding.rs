//! The `propensity` and `adjusted` sections (the observational-comparison sections):
//! the propensity model on the data's rows complete for its covariates, and the
//! weighted analyses on those same rows.

use super::adjusted_section::{self, AdjustedSection, AdjustedSpec};
use super::complete_cases::{self, ModelCohort};
use super::propensity_section::{self, PropensityResult, PropensitySection};
use super::report::Skip;
use super::{bootstrap, spec, steps, Spec};
use crate::error::Error;
use crate::units::Plan;

/// The progress callback and the plan of the bootstrap's replicates.
struct Work<'p, 'q> {
    progress: bootstrap::Progress<'p>,
    plan: &'q Plan,
}
use std::borrow::Cow;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_timing as timing;

/// The `propensity` and `adjusted` sections, `None` when not asked (or, with a
/// `no_complete_rows` warning, when no row has every propensity covariate).
pub(super) fn confounding<'c, 's>(
    cohort: &'c Cohort,
    spec: &Spec,
    sorted: &dyn Fn() -> &'s steps::SortedCohort<'c>,
    warnings: &mut Vec<Warning>,
    progress: bootstrap::Progress,
    plan: &Plan,
) -> Result<(Option<PropensitySection>, Option<AdjustedSection>), Error> {
    let Some(ps_spec) = &spec.propensity else {
        return Ok((None, None));
    };
    let spec_columns: Vec<String> = spec.covariates.iter().map(|c| c.column.clone()).collect();
    let columns = propensity_section::model_columns(ps_spec, &spec_columns);
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let model = timing::stage("propensity_rows", || {
        complete_cases::complete_cases(cohort, &names, &spec.all_covariates())
    });
    if complete_cases::no_complete_rows("propensity", &model, warnings) {
        return Ok((None, None));
    }
    let mut ps = timing::stage("propensity", || {
        propensity_section::propensity_section(&model.cohort, ps_spec, &columns, warnings)
    })?;
    ps.section.missing_covariates = model.missing.clone();
    if spec.adjusted.as_ref().is_none_or(|a| a.bootstrap.is_none()) {
        ps.x = Vec::new(); // the n×p design is needed again only by the bootstrap
    }
    let adjusted = spec
        .adjusted
        .as_ref()
        .map(|a| {
            let _stage = timing::enter("adjusted");
            // The weighted analyses use the model's rows: the shared time-sorted data when
            // they are the data's rows, else the model's rows sorted.
            let own_sorted;
            let sorted: &steps::SortedCohort = match &model.cohort {
                Cow::Borrowed(_) => sorted(),
                Cow::Owned(c) => {
                    own_sorted = timing::stage("sort", || steps::SortedCohort::new(c));
                    &own_sorted
                }
            };
            let work = Work { progress, plan };
            adjusted(a, spec, &model, &ps, sorted, warnings, work)
        })
        .transpose()?;
    Ok((Some(ps.section), adjusted))
}

/// The `adjusted` section on the propensity model's rows (`sorted`: those rows in time
/// order), with its rows' counts and the τ-past-follow-up warning.
fn adjusted(
    a: &AdjustedSpec,
    spec: &Spec,
    model: &ModelCohort,
    ps: &PropensityResult,
    sorted: &steps::SortedCohort,
    warnings: &mut Vec<Warning>,
    work: Work,
) -> Result<AdjustedSection, Error> {
    let Work { progress, plan } = work;
    let cohort: &Cohort = &model.cohort;
    let group_column = spec.group.as_ref().map_or("group", |g| g.column.as_str());
    if cohort.weight.is_some() {
        warnings.push(survlens_text::warning(WarningCode::CaseWeightsMultiplied));
    }
    // Everything in the sorted cohort's row order.
    let order = sorted.order();
    let w_sorted: Vec<f64> = order
        .iter()
        .map(|&i| ps.weights[i] * cohort.weight.as_ref().map_or(1.0, |cw| cw[i]))
        .collect();
    let km_spec = spec.km.clone().unwrap_or(spec::KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: vec![],
    });
    let boot = a
        .bootstrap
        .as_ref()
        .map(|b| {
            let x: Vec<f64> = order
                .iter()
                .flat_map(|&i| ps.x[i * ps.p..(i + 1) * ps.p].iter().copied())
                .collect();
            let data = bootstrap::BootstrapData {
                data: sorted,
                x: &x,
                p: ps.p,
                rule: ps.rule,
                case_weight: sorted.weight.as_deref(),
            };
            bootstrap::bootstrap_planned(
                plan,
                &data,
                b.replicates,
                b.seed,
                spec.rmst.as_ref().map(|r| r.tau),
                group_column,
                progress,
            )
        })
        .transpose()?;
    let cluster: Option<Vec<u32>> = cohort
        .cluster
        .as_ref()
        .map(|c| order.iter().map(|&i| c[i]).collect());
    let cox_input = adjusted_section::CoxInput {
        group_column,
        cluster: cluster.as_deref(),
    };
    let mut section = adjusted_section::adjusted_section(
        sorted,
        &w_sorted,
        &km_spec,
        spec.rmst.as_ref(),
        cox_input,
        boot,
        warnings,
    );
    section.missing_covariates = model.missing.clone();
    if let (Some(cr), Some(competing)) = (&spec.competing_risks, &sorted.competing) {
        let outcome = super::competing_section::outcomes(&sorted.event, Some(competing));
        let input = super::competing_section::CifInput {
            time: &sorted.time,
            outcome: &outcome,
            group: &sorted.group,
            labels: &sorted.cohort.group_labels,
            weight: Some(&w_sorted),
        };
        section.cif = Some(super::competing_section::cif_curves(
            &input, &km_spec, &cr.times,
        ));
    }
    steps::warn_rmst_beyond_follow_up("adjusted", &section.km, warnings);
    section.subgroups = spec.subgroups.as_ref().and_then(|sg| {
        let mut weighted = cohort.clone();
        weighted.weight = Some(
            (0..cohort.time.len())
                .map(|i| ps.weights[i] * cohort.weight.as_ref().map_or(1.0, |cw| cw[i]))
                .collect(),
        );
        // A spec error of the columns was raised by the unweighted section first.
        match super::subgroups::subgroups_section(
            &weighted,
            spec,
            sg,
            "adjusted.subgroups",
            warnings,
        ) {
            Ok(Skip::Value(s)) => Some(s),
            _ => None,
        }
    });
    Ok(section)
}
