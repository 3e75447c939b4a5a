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

/// The diagnostics of every column of `data` with a missing value, read from the
/// completed `sets` (cohorts with the same rows and levels as `data`).
pub(super) fn diagnostics(data: &Cohort, sets: &[Cohort]) -> Vec<ImputationDiagnostic> {
    data.covariates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.any_missing())
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
                    d.imputed = Some(
                        sets.iter()
                            .map(|s| match &s.covariates[j].values {
                                CovariateValues::Numeric(w) => {
                                    missing.iter().map(|&i| w[i]).collect()
                                }
                                CovariateValues::Categorical { .. } => Vec::new(),
                            })
                            .collect(),
                    );
                }
                CovariateValues::Categorical { codes, levels } => {
                    d.kind = "categorical".to_string();
                    let count = |codes: &mut dyn Iterator<Item = u32>, into: &mut Vec<usize>| {
                        for c in codes.filter(|&c| c != MISSING_CODE) {
                            if let Some(slot) = into.get_mut(c as usize) {
                                *slot += 1;
                            }
                        }
                    };
                    let mut observed = vec![0; levels.len()];
                    count(&mut codes.iter().copied(), &mut observed);
                    let mut imputed = vec![0; levels.len()];
                    for s in sets {
                        if let CovariateValues::Categorical { codes: w, .. } =
                            &s.covariates[j].values
                        {
                            count(&mut missing.iter().map(|&i| w[i]), &mut imputed);
                        }
                    }
                    d.levels = Some(levels.clone());
                    d.observed_counts = Some(observed);
                    d.imputed_counts = Some(imputed);
                }
            }
            d
        })
        .collect()
}
