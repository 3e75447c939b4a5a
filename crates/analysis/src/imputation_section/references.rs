//! The spec every imputed set is analysed with.
//!
//! * A categorical covariate's reference is fixed over the sets, so that every set
//!   estimates the same terms: the spec's reference, else the one the complete-case
//!   `cox` model of the data uses (its most frequent level in the data's rows complete
//!   for the Cox covariates). In R: `factor(x, levels = c(reference, …))` once, before
//!   `mice`, so every completed set has the same factor.
//! * Only what is pooled runs: the Cox model without its PH test, univariable models
//!   and periods; the adjusted analyses without their bootstrap; no subgroups,
//!   competing-risks curves, table 1, immortal-time or sensitivity sections. (The
//!   propensity model's own reference levels do not matter: its fitted probabilities,
//!   hence the weights, are the same for any reference.)

use crate::complete_cases::{column_names, complete_cases};
use crate::spec::Spec;
use survlens_ingest::{Cohort, CovariateValues};

/// `spec` with fixed references and only the pooled analyses (see the module docs).
pub(super) fn per_set_spec(data: &Cohort, spec: &Spec) -> Spec {
    let mut s = spec.clone();
    let model = complete_cases(data, &column_names(&spec.covariates), &spec.covariates);
    for cov in s.covariates.iter_mut().filter(|c| c.reference.is_none()) {
        let levels = model
            .cohort
            .covariates
            .iter()
            .find(|c| c.column == cov.column)
            .and_then(|c| match &c.values {
                CovariateValues::Categorical { levels, .. } => levels.first().cloned(),
                CovariateValues::Numeric(_) => None,
            });
        cov.reference = levels;
    }
    if let Some(cox) = s.cox.as_mut() {
        cox.ph_test = None;
        cox.univariable = false;
        cox.periods = None;
    }
    if let Some(adjusted) = s.adjusted.as_mut() {
        adjusted.bootstrap = None;
    }
    s.subgroups = None;
    s.competing_risks = None;
    s.table1 = None;
    s.sensitivity = None;
    s.follow_up = None;
    s.conditional = None;
    s.matching = None;
    s.treatment_time = None;
    s.landmark = None;
    s.time_dependent = None;
    s
}
