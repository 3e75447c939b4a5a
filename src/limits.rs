//! Resource limits: every input that could make an analysis run out of memory or time
//! is refused with a typed error before the work starts (README "Limits").
//!
//! Each limit is far above what a clinical cohort needs and far below what would stop
//! the page: a Cox or propensity model's information matrix has (coefficients)² cells,
//! and a wrongly chosen column (a patient identifier as a category) must give a clear
//! message, not a frozen tab.

/// Columns in a file's header (Excel's own maximum).
pub const MAX_COLUMNS: usize = 16_384;

/// Groups compared (`group` after recoding and `levels`): KM curves, log-rank
/// (a groups × groups variance matrix), pairwise tests.
pub const MAX_GROUPS: usize = 100;

/// Levels of one categorical covariate in a Cox or propensity model.
pub const MAX_MODEL_LEVELS: usize = 200;

/// Coefficients of one model: Cox (covariate terms + groups − 1), or the multinomial
/// propensity model ((groups − 1) × (terms + 1)).
pub const MAX_MODEL_COEFFICIENTS: usize = 1_000;

/// Bootstrap replicates of `adjusted.bootstrap` (1000 is usual).
pub const MAX_BOOTSTRAP_REPLICATES: usize = 100_000;

/// Entries of `km.times`.
pub const MAX_KM_TIMES: usize = 1_000;

/// Entries of `landmark.times`: each landmark reruns every asked analysis on its data
/// (3, 6, 12 months are usual).
pub const MAX_LANDMARK_TIMES: usize = 100;

/// Size of a data file the page reads (the browser holds the file, a copy in the
/// WebAssembly memory and the parsed columns at once). The CLI has no such limit. The
/// page enforces it before reading the file (`www/ui/limits.js` has the same number).
pub const MAX_PAGE_FILE_BYTES: u64 = 1 << 30;

use crate::analysis::{Spec, SpecError};
use crate::error::Error;
use crate::ingest::{Cohort, CovariateValues, IngestError};

/// Refuse a cohort the spec's analyses cannot handle within the limits above: too many
/// groups, a model covariate with too many levels, a model with too many coefficients.
pub fn check_cohort(cohort: &Cohort, spec: &Spec) -> Result<(), Error> {
    let k = cohort.group_labels.len();
    if let Some(g) = spec.group.as_ref().filter(|_| k > MAX_GROUPS) {
        return Err(too_many(&g.column, k, MAX_GROUPS, "comparison of groups"));
    }
    let terms = |columns: &[String], analysis: &str| -> Result<usize, Error> {
        let mut n = 0;
        for c in cohort
            .covariates
            .iter()
            .filter(|c| columns.contains(&c.column))
        {
            n += match &c.values {
                CovariateValues::Numeric(_) => 1,
                CovariateValues::Categorical { levels, .. } if levels.len() > MAX_MODEL_LEVELS => {
                    return Err(too_many(
                        &c.column,
                        levels.len(),
                        MAX_MODEL_LEVELS,
                        analysis,
                    ));
                }
                CovariateValues::Categorical { levels, .. } => levels.len().saturating_sub(1),
            };
        }
        Ok(n)
    };
    let spec_columns: Vec<String> = spec.covariates.iter().map(|c| c.column.clone()).collect();
    if spec.cox.is_some() {
        let p = terms(&spec_columns, "Cox model")? + k.saturating_sub(1);
        coefficients("cox", p)?;
    }
    if let Some(ps) = &spec.propensity {
        let columns = ps.covariates.clone().unwrap_or(spec_columns);
        let p = (terms(&columns, "propensity model")? + 1).saturating_mul(k.saturating_sub(1));
        coefficients("propensity", p)?;
    }
    Ok(())
}

fn too_many(column: &str, found: usize, limit: usize, analysis: &str) -> Error {
    Error::Ingest(IngestError::TooManyLevels {
        column: column.to_string(),
        found,
        limit,
        analysis: analysis.to_string(),
    })
}

fn coefficients(field: &str, p: usize) -> Result<(), Error> {
    if p <= MAX_MODEL_COEFFICIENTS {
        return Ok(());
    }
    Err(Error::Spec(SpecError::Invalid {
        field: field.to_string(),
        message: format!(
            "the model would have {p} coefficients; at most {MAX_MODEL_COEFFICIENTS} are \
             allowed; use fewer covariates or categories with fewer levels"
        ),
    }))
}
