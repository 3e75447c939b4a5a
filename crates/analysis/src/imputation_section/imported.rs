//! Imported imputed sets (spec `imputed`): the stacked file's cohort split into the
//! data of the other sections and one cohort per imputed set.
//!
//! The original data (set 0, with its missing values) is the data of every other
//! section, exactly as if the file held set 0 alone: its rows, its left-out rows, its
//! covariate levels. Without set 0 the other sections run on the first imputed set, with
//! a warning `imputation_no_original_set`. The set column itself is never a covariate.

use crate::complete_cases::{as_read, pick_rows};
use crate::spec::Spec;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::imputed_sets::{ImputedSet, ImputedSets as FileSets};
use survlens_ingest::Cohort;

/// The imputed sets of a file: the cohort of every row, and each set's rows in it.
#[derive(Debug, Clone)]
pub(crate) struct ImportedSets {
    stack: Cohort,
    rows: Vec<Vec<usize>>,
    /// The file's number of each set.
    pub numbers: Vec<u32>,
}

impl ImportedSets {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The cohort of set k (0-based among the imputed sets), made on demand.
    pub fn set(&self, k: usize) -> Cohort {
        pick_rows(&self.stack, &self.rows[k])
    }
}

/// The data of the other sections and the imputed sets of `cohort` (built over every
/// row of the file).
pub(crate) fn split_imported(
    cohort: Cohort,
    sets: &FileSets,
    spec: &Spec,
) -> (Cohort, ImportedSets) {
    let imputed = sets.imputed();
    let (main_set, warning) = match sets.original() {
        Some(original) => (original, None),
        None => (
            &imputed[0],
            Some(survlens_text::warning_with(
                WarningCode::ImputationNoOriginalSet,
                [("column", sets.column.as_str().into())],
            )),
        ),
    };
    let mut main = set_cohort(&cohort, main_set, spec);
    main.warnings = cohort.warnings.clone();
    main.warnings.extend(warning);
    let data = ImportedSets {
        rows: imputed.iter().map(|s| s.rows.clone()).collect(),
        numbers: imputed.iter().map(|s| s.number).collect(),
        stack: cohort,
    };
    (main, data)
}

/// The cohort of one set, with its own left-out rows and file rows, covariates as read
/// from its rows.
fn set_cohort(cohort: &Cohort, set: &ImputedSet, spec: &Spec) -> Cohort {
    let mut c = pick_rows(cohort, &set.rows);
    c.n_rows = set.n_rows;
    c.excluded = set
        .excluded
        .iter()
        .map(|&e| cohort.excluded[e].clone())
        .collect();
    as_read(&mut c, &spec.all_covariates());
    c
}
