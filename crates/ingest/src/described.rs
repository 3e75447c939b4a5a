//! Covariates of a baseline table: read over a given set of rows with missing cells
//! allowed (docs/results.md#table1: a missing covariate does not leave the row out; it
//! counts in that covariate's `missing`).
//!
//! Type detection, reference and level order follow the cohort's rules
//! ([`super::levels::covariate`]) applied to the non-missing cells of these rows:
//! numeric if every non-missing value parses (decimal commas only with `;`);
//! categorical reference = the given one, else the most frequent level (ties: first
//! seen); levels: reference first, then order of first appearance.

use super::cohort::unknown_column;
use super::mapping::{CovariateMap, CovariateValues};
use super::{levels, IngestError, RawTable};

/// One covariate over the described rows.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribedCovariate {
    pub column: String,
    /// `present[i]`: whether row i (of the rows passed in) has a non-missing value.
    pub present: Vec<bool>,
    /// The values of the present rows only, in row order.
    pub values: CovariateValues,
}

/// Reads `covariates` over the table rows starting at file `lines` (a cohort's
/// [`super::Cohort::line`]), cells matching a `missing` token (trimmed) marked absent.
///
/// Errors: an unknown column; a cell of a numeric covariate that is not a number; a
/// `reference` that is not among the levels.
pub fn read_described_covariates(
    table: &RawTable,
    lines: &[u64],
    covariates: &[CovariateMap],
    missing: &[String],
) -> Result<Vec<DescribedCovariate>, IngestError> {
    let missing = super::missing::MissingTokens::new(missing);
    // Lines are increasing in file order, so each maps to its row by binary search.
    let all_lines = table.lines();
    let rows: Vec<usize> = lines
        .iter()
        .map(|l| all_lines.partition_point(|x| x < l))
        .collect();
    covariates
        .iter()
        .map(|spec| {
            let col = table
                .column_index(spec.column.trim())
                .ok_or_else(|| unknown_column(table, &spec.column))?;
            let cells: Vec<&str> = rows.iter().map(|&r| table.cell(col, r).trim()).collect();
            let present: Vec<bool> = cells.iter().map(|c| !missing.is_missing(c)).collect();
            let kept: Vec<&str> = cells
                .iter()
                .zip(&present)
                .filter(|(_, &p)| p)
                .map(|(c, _)| *c)
                .collect();
            let kept_lines: Vec<u64> = lines
                .iter()
                .zip(&present)
                .filter(|(_, &p)| p)
                .map(|(l, _)| *l)
                .collect();
            let cov = levels::covariate(
                kept.iter().copied(),
                &kept_lines,
                spec,
                table.decimal_comma(),
                &missing,
            )?;
            Ok(DescribedCovariate {
                column: cov.column,
                present,
                values: cov.values,
            })
        })
        .collect()
}
