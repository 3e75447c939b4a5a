//! One chain of the chained equations: start values, then `iterations` cycles over the
//! incomplete columns, each imputed from all the others (fully conditional
//! specification).
//!
//! # Algorithm (mice's `sampler`)
//! 1. Start: every missing entry of a column gets a random draw, with replacement, from
//!    that column's observed values (mice's `mice.impute.sample` in `initialize.imp`);
//!    a column without any observed value starts from standard normal draws (numeric)
//!    or uniformly drawn levels (categorical), as mice does, and is never modelled.
//! 2. Each cycle visits the incomplete columns left to right (mice's
//!    `visitSequence = "roman"`): the column's model is fitted on the rows where it is
//!    observed, with every other column at its current values plus the event
//!    indicator and the cumulative hazard as predictors, and its missing entries are
//!    replaced by new draws ([`super::pmm`] for numeric, [`super::categorical`] for
//!    categorical columns). Observed entries never change.
//!
//! # R equivalent
//! One column of `mice(data, m, maxit = iterations, method = c("pmm", "logreg",
//! "polyreg"))`: the data set `complete(imp, s)`.

use super::{categorical, design, pmm, ColumnValues, MISSING_CODE};
use crate::rng::SplitMix64;

/// Rows where a column is observed and where it is missing.
pub(super) struct Pattern {
    pub observed: Vec<usize>,
    pub missing: Vec<usize>,
}

impl Pattern {
    pub fn of(column: &ColumnValues) -> Pattern {
        let missing_at = |i: usize| match column {
            ColumnValues::Numeric(v) => v[i].is_nan(),
            ColumnValues::Categorical { codes, .. } => codes[i] == MISSING_CODE,
        };
        let (missing, observed): (Vec<usize>, Vec<usize>) =
            (0..column.len()).partition(|&i| missing_at(i));
        Pattern { observed, missing }
    }
}

/// The columns with start values in every missing entry (step 1).
pub(super) fn start(
    columns: &[ColumnValues],
    patterns: &[Pattern],
    rng: &mut SplitMix64,
) -> Vec<ColumnValues> {
    columns
        .iter()
        .zip(patterns)
        .map(|(column, pattern)| {
            let mut current = column.clone();
            let n_obs = pattern.observed.len();
            match &mut current {
                ColumnValues::Numeric(values) => {
                    for &i in &pattern.missing {
                        values[i] = if n_obs == 0 {
                            super::draws::normal(rng)
                        } else {
                            values[pattern.observed[rng.index(n_obs)]]
                        };
                    }
                }
                ColumnValues::Categorical { codes, n_levels } => {
                    for &i in &pattern.missing {
                        codes[i] = if n_obs == 0 {
                            rng.index((*n_levels).max(1)) as u32
                        } else {
                            codes[pattern.observed[rng.index(n_obs)]]
                        };
                    }
                }
            }
            current
        })
        .collect()
}

/// One cycle over the incomplete columns (step 2), in place.
pub(super) fn cycle(
    current: &mut [ColumnValues],
    patterns: &[Pattern],
    event: &[f64],
    cumulative_hazard: &[f64],
    rng: &mut SplitMix64,
) {
    for target in 0..current.len() {
        let pattern = &patterns[target];
        if pattern.missing.is_empty() || pattern.observed.is_empty() {
            continue;
        }
        let d = design::design(current, target, event, cumulative_hazard, &pattern.observed);
        match &mut current[target] {
            ColumnValues::Numeric(values) => {
                let imputed = pmm::impute(&d, values, &pattern.observed, &pattern.missing, rng);
                for (&i, v) in pattern.missing.iter().zip(imputed) {
                    values[i] = v;
                }
            }
            ColumnValues::Categorical { codes, n_levels } => {
                let imputed = categorical::impute(
                    &d,
                    codes,
                    *n_levels,
                    &pattern.observed,
                    &pattern.missing,
                    rng,
                );
                for (&i, c) in pattern.missing.iter().zip(imputed) {
                    codes[i] = c;
                }
            }
        }
    }
}
