//! SurvLens imputes (spec `m`, `iterations`, `seed`): the data's covariates completed
//! by chained equations ([`survlens_stats::imputation::impute_chained`]), one cohort per
//! set. Time, event and group are never imputed; the event indicator and the
//! Nelson–Aalen cumulative hazard at each row's time are predictors of every model
//! (White & Royston 2009). Every covariate column of the data (the spec's, the
//! propensity model's, subgroup columns) is imputed; each completed set keeps the
//! data's rows, levels and survival data.

use super::ImputedData;
use crate::bootstrap::Progress;
use crate::error::Error;
use crate::spec::Spec;
use std::collections::BTreeMap;
use survlens_contract::imputation::ImputationSpec;
use survlens_ingest::{Cohort, Covariate, CovariateValues};
use survlens_stats::imputation::{self, ChainedOptions, ColumnValues};

/// The m completed cohorts of `data`; `progress(done, total)` after every cycle of every
/// set, `total` counting the m analyses that follow.
pub(super) fn impute(
    data: &Cohort,
    _spec: &Spec,
    imp: &ImputationSpec,
    progress: Progress,
) -> Result<ImputedData, Error> {
    let opts = ChainedOptions {
        m: imp.m_or_default(),
        iterations: imp.iterations_or_default(),
        seed: imp.seed_or_default(),
    };
    let columns: Vec<ColumnValues> = data.covariates.iter().map(column_values).collect();
    let event: Vec<f64> = data.event.iter().map(|&e| f64::from(u8::from(e))).collect();
    let hazard = imputation::nelson_aalen_at_own_times(&data.time, &event);
    let m = opts.m;
    let mut report = |done: usize, total: usize| {
        progress(done, total + m);
        true // cancel = the page stops the worker
    };
    let completed = imputation::impute_chained(&columns, &event, &hazard, &opts, &mut report)
        .map_err(|_| Error::Internal("the imputation was cancelled".to_string()))?;
    let n_imputed: BTreeMap<String, usize> = data
        .covariates
        .iter()
        .zip(&columns)
        .filter(|(_, c)| c.n_missing() > 0)
        .map(|(cov, c)| (cov.column.clone(), c.n_missing()))
        .collect();
    let sets: Vec<Cohort> = completed
        .into_iter()
        .map(|set| completed_cohort(data, set))
        .collect();
    Ok(ImputedData {
        diagnostics: Some(super::diagnostics::diagnostics(data, &sets)),
        sets,
        numbers: (1..=m as u32).collect(),
        iterations: Some(opts.iterations),
        seed: Some(opts.seed),
        n_imputed: Some(n_imputed),
    })
}

/// A covariate as the imputer reads it (NaN / `MISSING_CODE` = missing; level codes as
/// the cohort's).
fn column_values(cov: &Covariate) -> ColumnValues {
    match &cov.values {
        CovariateValues::Numeric(v) => ColumnValues::Numeric(v.clone()),
        CovariateValues::Categorical { codes, levels } => ColumnValues::Categorical {
            codes: codes.clone(),
            n_levels: levels.len(),
        },
    }
}

/// `data` with its covariates replaced by one completed set (same columns, same levels).
fn completed_cohort(data: &Cohort, set: Vec<ColumnValues>) -> Cohort {
    let mut c = data.clone();
    c.excluded = Vec::new();
    c.warnings = Vec::new();
    for (cov, values) in c.covariates.iter_mut().zip(set) {
        cov.values = match values {
            ColumnValues::Numeric(v) => CovariateValues::Numeric(v),
            ColumnValues::Categorical { codes, .. } => CovariateValues::Categorical {
                codes,
                levels: match &cov.values {
                    CovariateValues::Categorical { levels, .. } => levels.clone(),
                    CovariateValues::Numeric(_) => Vec::new(),
                },
            },
        };
        // Levels as read from the data's rows, not these: each model relevels.
        cov.n_missing = None;
    }
    c
}
