//! SurvLens imputes (spec `m`, `iterations`, `seed`): the data's covariates completed
//! by chained equations ([`survlens_stats::imputation::impute_one_set`]), one cohort per
//! set, made when that set is analysed (one completed copy of the data in memory at a
//! time; set k is the same as `impute_chained(…)[k]`). Time, event and group are never
//! imputed; the event indicator and the Nelson–Aalen cumulative hazard at each row's
//! time are predictors of every model (White & Royston 2009). Every covariate column of
//! the data (the spec's, the propensity model's, subgroup columns) with a missing and an
//! observed value is imputed; each completed set keeps the data's rows, levels and
//! survival data.
//!
//! Predictors of each imputation model: the other covariates (current values), the group
//! and the strata when there are several (the analysis models condition on them, so the
//! imputation model must too: left out, the imputations would weaken the group–covariate
//! association), a competing-event indicator (with `competing_values`), the event
//! indicator of interest and H(t). A covariate missing in every row has nothing to be
//! imputed from: it is neither imputed nor a predictor, and stays missing (each model
//! leaves its rows out, as without imputation). Case weights and delayed entry do not
//! enter the imputation models (H ignores entry).
//!
//! # R equivalent
//! ```r
//! d$H <- mice::nelsonaalen(d, time, status)
//! pred <- make.predictorMatrix(d); pred[, "time"] <- 0    # group, strata, covariates, status, H
//! imp <- mice(d, m = m, maxit = iterations, seed = seed, predictorMatrix = pred)
//! # default methods: pmm (numeric), logreg (2 levels), polyreg (more levels)
//! ```

use crate::error::Error;
use std::collections::BTreeMap;
use survlens_contract::imputation::ImputationSpec;
use survlens_ingest::{Cohort, Covariate, CovariateValues};
use survlens_stats::imputation::{self, ChainedOptions, ColumnValues};

/// The chained equations of one analysis.
pub(super) struct Chain<'a> {
    data: &'a Cohort,
    /// The imputer's columns: covariates with an observed value, then group, strata,
    /// competing-event indicator (predictors only, complete).
    columns: Vec<ColumnValues>,
    /// The covariate (index into `data.covariates`) of each of the first columns.
    covariate_columns: Vec<usize>,
    event: Vec<f64>,
    hazard: Vec<f64>,
    pub opts: ChainedOptions,
}

impl<'a> Chain<'a> {
    pub fn new(data: &'a Cohort, imp: &ImputationSpec) -> Self {
        let event: Vec<f64> = data.event.iter().map(|&e| f64::from(u8::from(e))).collect();
        let n = data.time.len();
        // The covariates (all-missing ones left out), then the predictors never imputed.
        let mut columns: Vec<ColumnValues> = Vec::new();
        let mut covariate_columns = Vec::new();
        for (k, cov) in data.covariates.iter().enumerate() {
            if has_observed(cov, n) {
                covariate_columns.push(k);
                columns.push(column_values(cov));
            }
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
        Chain {
            data,
            columns,
            covariate_columns,
            hazard: imputation::nelson_aalen_at_own_times(&data.time, &event),
            event,
            opts: ChainedOptions {
                m: imp.m_or_default(),
                iterations: imp.iterations_or_default(),
                seed: imp.seed_or_default(),
            },
        }
    }

    /// Per covariate column with a missing value, how many rows SurvLens imputes.
    pub fn n_imputed(&self) -> BTreeMap<String, usize> {
        self.covariate_columns
            .iter()
            .zip(&self.columns)
            .filter(|(_, c)| c.n_missing() > 0)
            .map(|(&k, c)| (self.data.covariates[k].column.clone(), c.n_missing()))
            .collect()
    }

    /// Completed set `set` (0-based); `progress(cycle)` after each cycle.
    pub fn set(&self, set: usize, progress: &mut dyn FnMut(usize)) -> Result<Cohort, Error> {
        let mut report = |done: usize, _: usize| {
            progress(done);
            true // cancel = the page stops the worker
        };
        let completed = imputation::impute_one_set(
            &self.columns,
            &self.event,
            &self.hazard,
            &self.opts,
            set,
            &mut report,
        )
        .map_err(|_| Error::Internal("the imputation was cancelled".to_string()))?;
        Ok(completed_cohort(
            self.data,
            &self.covariate_columns,
            completed,
        ))
    }
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

/// Whether covariate `cov` has an observed value among the `n` rows (it can be imputed,
/// or is complete).
pub(super) fn has_observed(cov: &Covariate, n: usize) -> bool {
    (0..n).any(|i| !cov.is_missing(i))
}

/// `data` with its covariates `covariates` (indices) replaced by the first columns of
/// one completed set (same columns, same levels).
fn completed_cohort(data: &Cohort, covariates: &[usize], set: Vec<ColumnValues>) -> Cohort {
    let mut c = data.clone();
    c.excluded = Vec::new();
    c.warnings = Vec::new();
    for (&k, values) in covariates.iter().zip(set) {
        let cov = &mut c.covariates[k];
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
