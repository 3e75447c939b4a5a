//! The cohort: the validated analysis dataset that a table and the spec's column mapping
//! (`survlens_contract::mapping`: `time`, `event`, `group`, `covariates`, `strata`,
//! `weights`, `cluster`, `missing`) give.

use super::{IngestError, RawTable};
pub use survlens_contract::mapping::{
    default_missing_tokens, ColumnMap, CovariateKind, CovariateMap, DateFormat, EventMap,
    Exclusion, ExclusionReason, GroupMap, TimeMap, TimeUnit,
};
use survlens_contract::warning::Warning;

/// A covariate's values over the used rows.
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateValues {
    Numeric(Vec<f64>),
    /// `codes[i]` indexes `levels`; `levels[reference]` is the reference level;
    /// levels in order: reference first, then order of first appearance in used rows.
    Categorical {
        codes: Vec<u32>,
        levels: Vec<String>,
    },
}

/// A covariate column of the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    pub column: String,
    pub values: CovariateValues,
    /// Rows whose value is missing, counted when the values (and a categorical's
    /// levels) were read from these very rows; `None` after the rows were subset (then
    /// a model counts them itself and recomputes the levels on its rows).
    pub n_missing: Option<usize>,
}

/// The code of a missing cell of a categorical covariate.
pub const MISSING_CODE: u32 = u32::MAX;

impl Covariate {
    /// Whether row `i`'s value is missing (NaN, or [`MISSING_CODE`]).
    pub fn is_missing(&self, i: usize) -> bool {
        match &self.values {
            CovariateValues::Numeric(v) => v.get(i).is_none_or(|x| x.is_nan()),
            CovariateValues::Categorical { codes, .. } => {
                codes.get(i).is_none_or(|&c| c == MISSING_CODE)
            }
        }
    }

    /// Whether any row's value is missing (a fold without early exit: the compiler
    /// vectorizes it, and a column with no missing value is read to its end anyway).
    pub fn any_missing(&self) -> bool {
        match &self.values {
            CovariateValues::Numeric(v) => v.iter().fold(false, |a, x| a | x.is_nan()),
            CovariateValues::Categorical { codes, .. } => {
                codes.iter().fold(false, |a, &c| a | (c == MISSING_CODE))
            }
        }
    }
}

/// The validated analysis dataset: used rows only, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    /// Data rows in the file (header excluded).
    pub n_rows: usize,
    /// File line of each used row (header = line 1).
    pub line: Vec<u64>,
    /// Follow-up time in the analysis unit, after R's near-tie rule (timefix).
    pub time: Vec<f64>,
    /// Delayed entry (`time.entry`): the entry time of each row on the clock of `time`
    /// (start of (entry, exit]); time-fixed together with `time`. `None` without entry.
    pub entry: Option<Vec<f64>>,
    /// The event of interest happened (a competing event is `false` here: the
    /// cause-specific coding every two-state analysis uses).
    pub event: Vec<bool>,
    /// A competing event happened (`None` without `event.competing_values`).
    pub competing: Option<Vec<bool>>,
    /// Index into `group_labels` (all 0 and label "all" without a group).
    pub group: Vec<u32>,
    /// Group labels in analysis order, reference first; then the spec's `levels` in
    /// their order, or (without `levels`) order of first appearance in the used rows.
    pub group_labels: Vec<String>,
    /// Index into `strata_labels` (all 0, one label "all", without strata). Labels join
    /// the strata columns' `name=value` with ", " as R's `strata()` does
    /// (`center=A, sex=F`), in order of first appearance in the used rows.
    pub stratum: Vec<u32>,
    pub strata_labels: Vec<String>,
    pub weight: Option<Vec<f64>>,
    pub cluster: Option<Vec<u32>>,
    pub covariates: Vec<Covariate>,
    /// Left-out rows in file order, one entry each (first reason by the contract's order).
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<Warning>,
}

/// Validate the mapped columns and build the cohort: the survival data's rows.
///
/// Rules (docs/spec.md#defaults-and-input-rules): rows with a missing
/// token in the time, event, group, strata, weights or cluster column (not in a
/// covariate: a missing covariate is kept as missing, NaN or [`MISSING_CODE`], and each
/// model leaves its own incomplete rows out), rows of groups not in `levels` and rows with a negative
/// follow-up are left out and listed in [`Cohort::excluded`] (first reason in the
/// order `other_group`, `missing`, `negative_time`); cells of the remaining rows that
/// cannot be read are errors naming column and line. Times get R's near-tie rule
/// ([`survlens_stats::surv::timefix`]). The table's warnings are carried into
/// [`Cohort::warnings`].
pub fn build_cohort(table: &RawTable, map: &ColumnMap) -> Result<Cohort, IngestError> {
    super::cohort::build(table, map)
}
