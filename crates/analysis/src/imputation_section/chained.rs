//! SurvLens imputes (spec `m`, `iterations`, `seed`): the data's covariates completed
//! by chained equations ([`survlens_stats::imputation::impute_chained`]), one cohort per
//! set. Time, event and group are never imputed; the event indicator and the
//! Nelson–Aalen cumulative hazard at each row's time are predictors of every model
//! (White & Royston 2009).

use super::ImputedData;
use crate::bootstrap::Progress;
use crate::error::Error;
use crate::spec::Spec;
use survlens_contract::imputation::ImputationSpec;
use survlens_ingest::Cohort;

/// The m completed cohorts of `data`.
pub(super) fn impute(
    data: &Cohort,
    spec: &Spec,
    imp: &ImputationSpec,
    progress: Progress,
) -> Result<ImputedData, Error> {
    let _ = (data, spec, imp, progress);
    Err(Error::Spec(crate::SpecError::invalid(
        "imputation",
        "imputation by chained equations is not built yet; impute with R's mice and give the stacked sets with \"imputed\" (complete(imp, \"long\", include = TRUE))",
    )))
}
