//! `imputation.diagnostics` (when SurvLens imputed): per imputed column, the observed
//! values beside the imputed ones, for the figure that compares their distributions
//! (van Buuren 2018 §6.6: imputations should be plausible next to the observed data).
//!
//! Numeric column: `observed` = the observed values in file order, `imputed` = one array
//! per set with the values imputed for the rows missing the column (file order).
//! Categorical column: `levels` (as the data reads them), `observed_counts` per level and
//! `imputed_counts` per level summed over the sets.
//!
//! # R equivalent
//! `imp$data[[x]][!is.na(imp$data[[x]])]` and `imp$imp[[x]]` (one column per set);
//! `table(...)` for a factor; `mice::densityplot(imp)` / `stripplot(imp)` draw them.

use survlens_contract::imputation::ImputationDiagnostic;
use survlens_ingest::{Cohort, CovariateValues, MISSING_CODE};

/// The diagnostics being collected, one completed set at a time.
pub(super) struct Diagnostics {
    /// (covariate index, rows missing it, the diagnostic so far).
    columns: Vec<(usize, Vec<usize>, ImputationDiagnostic)>,
}

/// Adds the level counts of `codes` to `into`.
fn count(codes: impl Iterator<Item = u32>, into: &mut [usize]) {
    for c in codes.filter(|&c| c != MISSING_CODE) {
        if let Some(slot) = into.get_mut(c as usize) {
            *slot += 1;
        }
    }
}

impl Diagnostics {
    /// The observed side of every column of `data` that SurvLens imputes (a missing and
    /// an observed value).
    pub fn new(data: &Cohort) -> Self {
        let columns = data
            .covariates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.any_missing() && super::chained::has_observed(c, data.time.len()))
            .map(|(j, cov)| {
                let missing: Vec<usize> = (0..data.time.len())
                    .filter(|&i| cov.is_missing(i))
                    .collect();
                let mut d = ImputationDiagnostic {
                    column: cov.column.clone(),
                    kind: String::new(),
                    observed: None,
                    imputed: None,
                    levels: None,
                    observed_counts: None,
                    imputed_counts: None,
                };
                match &cov.values {
                    CovariateValues::Numeric(v) => {
                        d.kind = "numeric".to_string();
                        d.observed = Some(v.iter().copied().filter(|x| !x.is_nan()).collect());
                        d.imputed = Some(Vec::new());
                    }
                    CovariateValues::Categorical { codes, levels } => {
                        d.kind = "categorical".to_string();
                        let mut observed = vec![0; levels.len()];
                        count(codes.iter().copied(), &mut observed);
                        d.levels = Some(levels.clone());
                        d.observed_counts = Some(observed);
                        d.imputed_counts = Some(vec![0; levels.len()]);
                    }
                }
                (j, missing, d)
            })
            .collect();
        Diagnostics { columns }
    }

    /// Adds the imputed values of one completed set (same rows and levels as the data).
    pub fn add(&mut self, set: &Cohort) {
        for (j, missing, d) in &mut self.columns {
            match &set.covariates[*j].values {
                CovariateValues::Numeric(w) => {
                    if let Some(imputed) = d.imputed.as_mut() {
                        imputed.push(missing.iter().map(|&i| w[i]).collect());
                    }
                }
                CovariateValues::Categorical { codes, .. } => {
                    if let Some(counts) = d.imputed_counts.as_mut() {
                        count(missing.iter().map(|&i| codes[i]), counts);
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Vec<ImputationDiagnostic> {
        self.columns.into_iter().map(|(_, _, d)| d).collect()
    }
}
