//! SurvLens imputes (spec `m`, `iterations`, `seed`): the data's covariates completed
//! by chained equations ([`survlens_stats::imputation::impute_one_set`]), one cohort per
//! set, made when that set is analysed (one completed copy of the data in memory at a
//! time; set k is the same as `impute_chained(…)[k]`). Time, event and group are never
//! imputed; the event indicator and the Nelson–Aalen cumulative hazard at each row's
//! time are predictors of every model (White & Royston 2009). Every covariate column of
//! the data (the spec's, the propensity model's, subgroup columns) is imputed; each
//! completed set keeps the data's rows, levels and survival data.

use crate::error::Error;
use std::collections::BTreeMap;
use survlens_contract::imputation::ImputationSpec;
use survlens_ingest::{Cohort, Covariate, CovariateValues};
use survlens_stats::imputation::{self, ChainedOptions, ColumnValues};

/// The chained equations of one analysis.
pub(super) struct Chain<'a> {
    data: &'a Cohort,
    columns: Vec<ColumnValues>,
    event: Vec<f64>,
    hazard: Vec<f64>,
    pub opts: ChainedOptions,
}

impl<'a> Chain<'a> {
    pub fn new(data: &'a Cohort, imp: &ImputationSpec) -> Self {
        let event: Vec<f64> = data.event.iter().map(|&e| f64::from(u8::from(e))).collect();
        Chain {
            data,
            columns: data.covariates.iter().map(column_values).collect(),
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
        self.data
            .covariates
            .iter()
            .zip(&self.columns)
            .filter(|(_, c)| c.n_missing() > 0)
            .map(|(cov, c)| (cov.column.clone(), c.n_missing()))
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
        Ok(completed_cohort(self.data, completed))
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
