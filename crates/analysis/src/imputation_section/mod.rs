//! The `imputation` section (docs/results.md#imputation): the Cox model, the RMST
//! differences and the confounding step (propensity model refitted, then the adjusted
//! Cox model and RMST differences) run on every imputed set, then pooled by Rubin's
//! rules with Barnard–Rubin degrees of freedom ([`survlens_stats::pooling`]).
//!
//! One job per module:
//! * [`imported`]: a file that stacks imputed sets (spec `imputed`) → the data of the
//!   other sections (set 0) and one cohort per imputed set;
//! * [`chained`]: SurvLens imputes (spec `m`, `iterations`, `seed`) → one cohort per set;
//! * [`references`]: the spec each set is analysed with (categorical references fixed
//!   over the sets, only what is pooled);
//! * [`per_set`]: the estimates and variances of one set, from the existing sections;
//! * [`pool`]: Rubin's rules over the sets, into the contract's types.
//!
//! # R equivalent
//! ```r
//! fits <- with(imp, coxph(Surv(time, status) ~ group + covariates))   # or lapply over the sets
//! summary(pool(fits), conf.int = TRUE)          # dfcom = events − coefficients (mice's coxph rule)
//! pool.scalar(rmst_diff, rmst_se^2)             # RMST differences: dfcom = ∞
//! ```

mod chained;
mod imported;
mod per_set;
mod pool;
mod references;

pub(crate) use imported::split_imported;

use crate::bootstrap::Progress;
use crate::error::Error;
use crate::spec::Spec;
use std::collections::BTreeMap;
use survlens_contract::imputation::{ImputationDiagnostic, ImputationSection};
use survlens_contract::warning::Warning;
use survlens_ingest::Cohort;
use survlens_timing as timing;

/// The imputed sets to analyse: one cohort each, with the same survival data as the
/// data of the other sections and the covariates completed.
#[derive(Debug, Clone)]
pub(crate) struct ImputedData {
    pub sets: Vec<Cohort>,
    /// The number of each set (the file's, or 1…m).
    pub numbers: Vec<u32>,
    /// Chained equations only.
    pub iterations: Option<usize>,
    pub seed: Option<u64>,
    pub n_imputed: Option<BTreeMap<String, usize>>,
    /// Observed vs imputed values per imputed column (chained equations only).
    pub diagnostics: Option<Vec<ImputationDiagnostic>>,
}

/// The section, `None` when the spec does not ask for it. `data` is the cohort of the
/// other sections; `imported` the sets read from the file (spec `imputed`), else the
/// sets are imputed here. `progress(done, total)` after each imputation cycle and each
/// analysed set.
pub(crate) fn imputation_section(
    data: &Cohort,
    imported: Option<ImputedData>,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
    progress: Progress,
) -> Result<Option<ImputationSection>, Error> {
    let Some(imp) = &spec.imputation else {
        return Ok(None);
    };
    let _stage = timing::enter("imputation");
    let imputed = match (imported, &imp.imputed) {
        (Some(sets), _) => sets,
        (None, Some(_)) => {
            return Err(Error::Spec(crate::SpecError::invalid(
                "imputation.imputed",
                "names a column of imputed sets, which only a data file has (the analysis was given a cohort); run it on the file",
            )))
        }
        (None, None) => chained::impute(data, imp, progress)?,
    };
    let set_spec = references::per_set_spec(data, spec);
    let m = imputed.sets.len();
    let offset = imputed.iterations.map_or(0, |it| it * m);
    let total = offset + m;
    let mut results = Vec::with_capacity(m);
    for (k, set) in imputed.sets.iter().enumerate() {
        results.push(timing::stage("set", || per_set::analyse(set, &set_spec)));
        progress(offset + k + 1, total);
    }
    let pooled = pool::pool_sets(&results, &imputed.numbers, &set_spec, warnings);
    Ok(Some(ImputationSection {
        m,
        iterations: imputed.iterations,
        seed: imputed.seed,
        n_imputed: imputed.n_imputed,
        n: imputed.sets.first().map_or(0, |c| c.time.len()),
        cox: pooled.cox,
        rmst_difference: pooled.rmst_difference,
        adjusted: pooled.adjusted,
        diagnostics: imputed.diagnostics,
    }))
}
