//! SurvLens imputes (spec `m`, `iterations`, `seed`): the data's covariates completed
//! by chained equations ([`survlens_stats::imputation::impute_chained`]), one cohort per
//! set, and the observed-vs-imputed diagnostics.
//!
//! * Imputed: every covariate of the data with a missing value and at least one
//!   observed value (a covariate missing in every row stays missing: nothing to impute
//!   it from, and each model leaves those rows out as before).
//! * Predictors of every imputation model: all other covariates (current values), the
//!   group and the strata (when there are several; never imputed), a competing-event
//!   indicator (with `competing_values`), the event indicator of interest and the
//!   Nelson–Aalen cumulative hazard H(t) at each row's time (White & Royston 2009;
//!   mice's `nelsonaalen`). Time, event, group and strata are never imputed. Case
//!   weights and delayed entry do not enter the imputation models (H ignores entry).
//!
//! # R equivalent
//! ```r
//! d$H <- mice::nelsonaalen(d, time, status)
//! pred <- make.predictorMatrix(d); pred[, "time"] <- 0
//! imp <- mice(d, m = m, maxit = iterations, seed = seed, predictorMatrix = pred)
//! # default methods: pmm (numeric), logreg (2 levels), polyreg (more levels)
//! ```

use super::ImputedData;
use crate::bootstrap::Progress;
use crate::error::Error;
use std::collections::BTreeMap;
use survlens_contract::imputation::{ImputationDiagnostic, ImputationSpec};
use survlens_ingest::{Cohort, CovariateValues, MISSING_CODE};
use survlens_stats::imputation::{
    impute_chained, nelson_aalen_at_own_times, ChainedOptions, ColumnValues,
};

/// The m completed cohorts of `data`. `progress(done, total)` after each cycle of each
/// set, with total = m·iterations + m (the section then reports each analysed set).
pub(super) fn impute(
    data: &Cohort,
    imp: &ImputationSpec,
    progress: Progress,
) -> Result<ImputedData, Error> {
    let m = imp.m_or_default();
    let iterations = imp.iterations_or_default();
    let seed = imp.seed_or_default();
    let n = data.time.len();
    // The covariates to impute (index into data.covariates) and every model's columns.
    let imputed: Vec<usize> = data
        .covariates
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let missing = (0..n).filter(|&i| c.is_missing(i)).count();
            missing > 0 && missing < n
        })
        .map(|(k, _)| k)
        .collect();
    let mut columns: Vec<ColumnValues> = Vec::new();
    let mut column_of = vec![None; data.covariates.len()];
    for (k, cov) in data.covariates.iter().enumerate() {
        // A covariate missing everywhere is no predictor either.
        if (0..n).all(|i| cov.is_missing(i)) {
            continue;
        }
        column_of[k] = Some(columns.len());
        columns.push(match &cov.values {
            CovariateValues::Numeric(v) => ColumnValues::Numeric(v.clone()),
            CovariateValues::Categorical { codes, levels } => ColumnValues::Categorical {
                codes: codes.clone(),
                n_levels: levels.len(),
            },
        });
    }
    if data.group_labels.len() > 1 {
        columns.push(ColumnValues::Categorical {
            codes: data.group.clone(),
            n_levels: data.group_labels.len(),
        });
    }
    if data.strata_labels.len() > 1 {
        columns.push(ColumnValues::Categorical {
            codes: data.stratum.clone(),
            n_levels: data.strata_labels.len(),
        });
    }
    if let Some(competing) = &data.competing {
        columns.push(ColumnValues::Numeric(
            competing.iter().map(|&c| f64::from(u8::from(c))).collect(),
        ));
    }
    let event: Vec<f64> = data.event.iter().map(|&e| f64::from(u8::from(e))).collect();
    let hazard = nelson_aalen_at_own_times(&data.time, &event);
    let opts = ChainedOptions {
        m,
        iterations,
        seed,
    };
    let total = m * iterations + m;
    let completed = impute_chained(&columns, &event, &hazard, &opts, &mut |done, _| {
        progress(done, total);
        true
    })
    .expect("the section's progress never cancels");
    let sets: Vec<Cohort> = completed
        .iter()
        .map(|set| {
            let mut cohort = data.clone();
            for &k in &imputed {
                let Some(j) = column_of[k] else { continue };
                let cov = &mut cohort.covariates[k];
                match (&mut cov.values, &set[j]) {
                    (CovariateValues::Numeric(v), ColumnValues::Numeric(done)) => {
                        v.clone_from(done)
                    }
                    (
                        CovariateValues::Categorical { codes, .. },
                        ColumnValues::Categorical { codes: done, .. },
                    ) => codes.clone_from(done),
                    _ => unreachable!("the imputation keeps each column's kind"),
                }
                cov.n_missing = Some(0);
            }
            cohort
        })
        .collect();
    let n_imputed: BTreeMap<String, usize> = imputed
        .iter()
        .map(|&k| {
            let cov = &data.covariates[k];
            (
                cov.column.clone(),
                (0..n).filter(|&i| cov.is_missing(i)).count(),
            )
        })
        .collect();
    let diagnostics = imputed
        .iter()
        .map(|&k| diagnostic(data, k, &sets))
        .collect();
    Ok(ImputedData {
        numbers: (1..=m as u32).collect(),
        sets,
        iterations: Some(iterations),
        seed: Some(seed),
        n_imputed: Some(n_imputed),
        diagnostics: Some(diagnostics),
    })
}

/// Observed vs imputed values of covariate `k`: numeric, the observed values and each
/// set's imputed values (rows missing it, in file order); categorical, the counts per
/// level, imputed ones summed over the sets.
fn diagnostic(data: &Cohort, k: usize, sets: &[Cohort]) -> ImputationDiagnostic {
    let cov = &data.covariates[k];
    let n = data.time.len();
    let missing: Vec<usize> = (0..n).filter(|&i| cov.is_missing(i)).collect();
    match &cov.values {
        CovariateValues::Numeric(v) => ImputationDiagnostic {
            column: cov.column.clone(),
            kind: "numeric".into(),
            observed: Some(v.iter().copied().filter(|x| !x.is_nan()).collect()),
            imputed: Some(
                sets.iter()
                    .map(|s| match &s.covariates[k].values {
                        CovariateValues::Numeric(done) => {
                            missing.iter().map(|&i| done[i]).collect()
                        }
                        CovariateValues::Categorical { .. } => Vec::new(),
                    })
                    .collect(),
            ),
            levels: None,
            observed_counts: None,
            imputed_counts: None,
        },
        CovariateValues::Categorical { codes, levels } => {
            let mut observed = vec![0usize; levels.len()];
            for &c in codes.iter().filter(|&&c| c != MISSING_CODE) {
                observed[c as usize] += 1;
            }
            let mut imputed = vec![0usize; levels.len()];
            for s in sets {
                if let CovariateValues::Categorical { codes: done, .. } = &s.covariates[k].values {
                    for &i in &missing {
                        imputed[done[i] as usize] += 1;
                    }
                }
            }
            ImputationDiagnostic {
                column: cov.column.clone(),
                kind: "categorical".into(),
                observed: None,
                imputed: None,
                levels: Some(levels.clone()),
                observed_counts: Some(observed),
                imputed_counts: Some(imputed),
            }
        }
    }
}
