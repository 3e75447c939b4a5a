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

/// Levels of one categorical covariate in a Cox or propensity model: as many as the
/// coefficients allow ([`MAX_MODEL_COEFFICIENTS`]; R's `coxph` fits a 500-level factor,
/// and so does SurvLens, tests/analysis/cox_many_levels.rs). Memory is the information
/// matrix, (coefficients)² doubles: 8 MB at 1000; time grows as rows × coefficients².
pub const MAX_MODEL_LEVELS: usize = 1_000;

/// Coefficients of one model: Cox (covariate terms + groups − 1), or the multinomial
/// propensity model ((groups − 1) × (terms + 1)).
pub const MAX_MODEL_COEFFICIENTS: usize = 1_000;

/// Levels of one subgroup column (`subgroups`): each level is a Cox model, and the
/// interaction model has (groups − 1) × (levels − 1) more coefficients; a numeric
/// column with many values needs cut points.
pub const MAX_SUBGROUP_LEVELS: usize = 50;

/// Bootstrap replicates of `adjusted.bootstrap` (1000 is usual).
pub const MAX_BOOTSTRAP_REPLICATES: usize = 100_000;

/// Imputed sets of `imputation.m` (each set reruns every pooled model; 20 to 100 are
/// usual).
pub const MAX_IMPUTED_SETS: usize = 500;

/// Cycles of the chained equations (`imputation.iterations`; 10 to 20 are usual).
pub const MAX_IMPUTATION_ITERATIONS: usize = 1_000;

/// Controls per treated patient (`matching.ratio`; 1 to 4 are usual).
pub const MAX_MATCHING_RATIO: usize = 100;

/// `sites.min_cell`: the smallest count a site's tables show (5 or 10 are usual).
pub const MAX_MIN_CELL: usize = 1_000;

/// Site summaries one `survlens pool` reads.
pub const MAX_SITES: usize = 1_000;

/// Size of one site summary file (bytes) `survlens pool` reads: aggregates only, so a
/// larger file is not a site summary.
pub const MAX_SITE_SUMMARY_BYTES: usize = 64 * 1024 * 1024;

/// Rounds of the pooled Cox model (coxph's iter.max is 20; step halving adds a few).
pub const MAX_COX_ROUNDS: usize = 100;

/// Bins of one group's binned Kaplan–Meier counts (max time / km_width).
pub const MAX_KM_BINS: usize = 100_000;

/// Entries of `km.times`.
pub const MAX_KM_TIMES: usize = 1_000;

/// Entries of `landmark.times`: each landmark reruns every asked analysis on its data
/// (3, 6, 12 months are usual).
pub const MAX_LANDMARK_TIMES: usize = 100;

/// Size of a data file the page reads (the browser holds the file, a copy in the
/// WebAssembly memory and the parsed columns at once). The CLI has no such limit. The
/// page enforces it before reading the file (`www/ui/limits.js` has the same number).
pub const MAX_PAGE_FILE_BYTES: u64 = 1 << 30;
