//! Multiple imputation of missing covariates by chained equations (fully conditional
//! specification), with the outcome entering every imputation model as the event
//! indicator and the Nelson–Aalen cumulative hazard (White & Royston 2009).
//!
//! # Method
//! m independent chains; each starts from random draws of the observed values and runs
//! `iterations` cycles over the incomplete columns (left to right); in a cycle each
//! column is imputed from all other columns (current values, categorical ones as
//! indicators), the event indicator and the cumulative hazard H(t_i)
//! ([`nelson_aalen_at_own_times`]):
//! * numeric column — predictive mean matching ([`pmm`]: Bayesian linear-model draw,
//!   matching type 1, 5 donors; imputes only observed values);
//! * categorical column with two observed levels — logistic regression with a
//!   parameter draw ([`categorical`], mice.impute.logreg);
//! * more levels — multinomial logistic regression with a parameter draw from the
//!   asymptotic normal of the MLE ([`categorical`]; mice.impute.polyreg imputes from
//!   the MLE without a draw: see that module).
//!
//! Both logistic models are fitted on mice's augmented data, which keeps them finite
//! under perfect separation. The result is the m completed sets of the covariate
//! columns; time, event and group are never imputed (the caller passes only the
//! covariates).
//!
//! # Cost
//! Per imputed numeric column and cycle: the design O(n·q), the least-squares fit on the
//! observed rows O(n·q²) + O(q³), and predictive mean matching O(n log n) (donors
//! sorted once, a binary search per missing row); categorical columns O(n·q²·L²) per
//! Newton iteration. Total O(m · iterations · Σ_columns (n·q² + n log n)): linear in n
//! up to the sort. The design's columns that are never imputed (complete covariates,
//! event, H) are rebuilt each cycle, and XᵀX is refactored each cycle because the other
//! columns' imputed cells change it; caching the fixed block is left to do (the bench at
//! 10⁵ rows, benches/RESULTS.md, shows the constant is far above this count and needs a
//! profile).
//!
//! # Randomness and reproducibility
//! Set s (0-based) runs on its own [`SplitMix64`] stream, seeded with the (s + 1)-th
//! output of `SplitMix64(seed)`: the sets are independent chains, the same seed gives
//! the same bytes on every platform (all arithmetic IEEE or [`crate::math`]), and the
//! result does not depend on how (or on how many threads) the caller runs them: set s
//! alone is [`impute_one_set`]. R's random streams are not reproduced, so agreement with
//! mice is statistical (docs/methods.md), not numerical.
//!
//! # References
//! * van Buuren, S. & Groothuis-Oudshoorn, K. (2011). mice: Multivariate imputation by
//!   chained equations in R. *Journal of Statistical Software* 45(3), 1–67.
//! * White, I. R. & Royston, P. (2009). Imputing missing covariate values for the Cox
//!   model. *Statistics in Medicine* 28, 1982–1998.
//! * White, I. R., Royston, P. & Wood, A. M. (2011). Multiple imputation using chained
//!   equations: issues and guidance for practice. *Statistics in Medicine* 30, 377–399.
//!
//! # R equivalent
//! ```r
//! data$H <- mice::nelsonaalen(data, time, status)
//! pred <- make.predictorMatrix(data); pred[, "time"] <- 0   # time enters through H
//! imp <- mice(data, m = m, maxit = iterations, seed = seed, predictorMatrix = pred,
//!             method = c("pmm", "logreg", "polyreg")[…])      # mice's defaults by type
//! ```

mod categorical;
mod chain;
mod design;
pub mod draws;
mod nelson_aalen;
mod pmm;

pub use nelson_aalen::nelson_aalen_at_own_times;
pub use pmm::{DONORS, RIDGE};

use crate::rng::SplitMix64;

/// The code of a missing categorical value.
pub const MISSING_CODE: u32 = u32::MAX;

/// One covariate column to impute or to use as a predictor.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// Numeric values; NaN = missing.
    Numeric(Vec<f64>),
    /// Level codes 0..n_levels (level 0 is the reference of the indicators);
    /// [`MISSING_CODE`] (`u32::MAX`) = missing.
    Categorical { codes: Vec<u32>, n_levels: usize },
}

impl ColumnValues {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::Numeric(v) => v.len(),
            ColumnValues::Categorical { codes, .. } => codes.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of missing entries.
    pub fn n_missing(&self) -> usize {
        match self {
            ColumnValues::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            ColumnValues::Categorical { codes, .. } => {
                codes.iter().filter(|&&c| c == MISSING_CODE).count()
            }
        }
    }
}

/// Settings of the chained equations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainedOptions {
    /// Number of imputed sets (mice's `m`).
    pub m: usize,
    /// Cycles over the incomplete columns per set (mice's `maxit`).
    pub iterations: usize,
    /// Seed of the random streams.
    pub seed: u64,
}

/// The caller's progress callback asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// The seed of set s's stream: the (s + 1)-th output of `SplitMix64(seed)`.
pub fn set_seed(seed: u64, set: usize) -> u64 {
    let mut master = SplitMix64(seed);
    let mut out = master.next_u64();
    for _ in 0..set {
        out = master.next_u64();
    }
    out
}

/// Checks the shapes every entry point relies on.
fn check_shapes(columns: &[ColumnValues], event: &[f64], cumulative_hazard: &[f64]) {
    let n = event.len();
    assert_eq!(
        cumulative_hazard.len(),
        n,
        "cumulative hazard and event lengths differ"
    );
    for (j, column) in columns.iter().enumerate() {
        assert_eq!(
            column.len(),
            n,
            "column {j} has {} rows, the event {n}",
            column.len()
        );
        if let ColumnValues::Categorical { codes, n_levels } = column {
            assert!(
                codes
                    .iter()
                    .all(|&c| c == MISSING_CODE || (c as usize) < *n_levels),
                "column {j} has a code outside 0..{n_levels}"
            );
        }
    }
}

/// The completed columns of set `set` (0-based) of [`impute_chained`] with the same
/// arguments: the same bytes as `impute_chained(…)?[set]`, computed alone (for a caller
/// that runs the sets in parallel). `progress(done, iterations)` after each cycle;
/// returning false cancels.
///
/// # Panics
/// When a column, the event and the cumulative hazard differ in length, or a level code
/// is outside 0..n_levels (and not [`MISSING_CODE`]): the caller's contract.
pub fn impute_one_set(
    columns: &[ColumnValues],
    event: &[f64],
    cumulative_hazard: &[f64],
    opts: &ChainedOptions,
    set: usize,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<ColumnValues>, Cancelled> {
    check_shapes(columns, event, cumulative_hazard);
    let patterns: Vec<chain::Pattern> = columns.iter().map(chain::Pattern::of).collect();
    let mut rng = SplitMix64(set_seed(opts.seed, set));
    let mut current = chain::start(columns, &patterns, &mut rng);
    for done in 1..=opts.iterations {
        chain::cycle(&mut current, &patterns, event, cumulative_hazard, &mut rng);
        if !progress(done, opts.iterations) {
            return Err(Cancelled);
        }
    }
    Ok(current)
}

/// m completed copies of `columns` by chained equations: `result[set][column]`, no
/// missing value left, observed values unchanged. `event` (0/1) and
/// `cumulative_hazard` ([`nelson_aalen_at_own_times`]) are predictors in every model.
/// `progress(done, total)` is called after each cycle of each set (total = m ×
/// iterations); returning false stops and gives [`Cancelled`].
///
/// See the module docs for the method, sources and the R equivalent.
///
/// # Panics
/// As [`impute_one_set`].
pub fn impute_chained(
    columns: &[ColumnValues],
    event: &[f64],
    cumulative_hazard: &[f64],
    opts: &ChainedOptions,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<Vec<ColumnValues>>, Cancelled> {
    let total = opts.m * opts.iterations;
    let mut sets = Vec::with_capacity(opts.m);
    for set in 0..opts.m {
        let before = set * opts.iterations;
        let mut report = |done: usize, _: usize| progress(before + done, total);
        sets.push(impute_one_set(
            columns,
            event,
            cumulative_hazard,
            opts,
            set,
            &mut report,
        )?);
    }
    Ok(sets)
}
