//! The resource limits (`survlens_contract::limits`) checked on a cohort before the work
//! starts: a typed error instead of a frozen page.

use super::{Spec, SpecError};
use crate::error::Error;
use survlens_contract::limits::*;
use survlens_ingest::{Cohort, CovariateValues, IngestError};

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

pub(crate) fn too_many(column: &str, found: usize, limit: usize, analysis: &str) -> Error {
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
    Err(Error::Spec(SpecError::invalid_zh(
        field,
        format!(
            "the model would have {p} coefficients; at most {MAX_MODEL_COEFFICIENTS} are \
             allowed; use fewer covariates or categories with fewer levels"
        ),
        format!(
            "该模型将有 {p} 个系数，最多允许 {MAX_MODEL_COEFFICIENTS} 个；请减少协变量，或使用水平更少的分类变量"
        ),
    )))
}
