//! Imported imputed sets (spec `imputation.imputed`): a file that stacks the original
//! data and m imputed copies of it, each row marked by the number of its set in one
//! column — mice's long format, `complete(imp, "long", include = TRUE)`, whose `.imp`
//! is 0 for the original data (with its missing values) and 1…m for the imputed sets.
//!
//! The cohort is built over every row of the file as usual; this module reads the set
//! column, assigns each row of the cohort (and each left-out row) to its set, and checks
//! that every set holds the same survival data: the same rows left out, and the same
//! time, entry, event, group, stratum, weight and cluster in the same order. Only the
//! covariates may differ between sets (they are what was imputed).
//!
//! # R equivalent
//! `long <- complete(imp, action = "long", include = TRUE)`; `split(long, long$.imp)`.

use super::cohort::{read_number, unknown_column};
use super::mapping::Cohort;
use super::missing::MissingTokens;
use super::text::trim;
use super::{IngestError, RawTable};

/// The rows of one set.
#[derive(Debug, Clone, PartialEq)]
pub struct ImputedSet {
    /// The set's number in the file (0 = the original data).
    pub number: u32,
    /// The cohort's rows of this set, in file order.
    pub rows: Vec<usize>,
    /// Indices into [`Cohort::excluded`] of this set's left-out rows.
    pub excluded: Vec<usize>,
    /// Rows of the file in this set (used and left out).
    pub n_rows: usize,
}

/// Every set of the file, by ascending number.
#[derive(Debug, Clone, PartialEq)]
pub struct ImputedSets {
    /// The column that numbers the sets.
    pub column: String,
    pub sets: Vec<ImputedSet>,
}

impl ImputedSets {
    /// The original data (set 0), if the file has it.
    pub fn original(&self) -> Option<&ImputedSet> {
        self.sets.first().filter(|s| s.number == 0)
    }

    /// The imputed sets (numbers ≥ 1).
    pub fn imputed(&self) -> &[ImputedSet] {
        match self.original() {
            Some(_) => &self.sets[1..],
            None => &self.sets,
        }
    }
}

/// Reads the set column `column` of every row of `table` (a whole number ≥ 0; a missing
/// or other value is an error naming its line), assigns the rows of `cohort` (built
/// from that table) to their sets, and checks that every set has the same survival data
/// as the first one.
pub fn imputed_sets(
    table: &RawTable,
    cohort: &Cohort,
    column: &str,
    missing: &[String],
) -> Result<ImputedSets, IngestError> {
    let col = table
        .column_index(column.trim())
        .ok_or_else(|| unknown_column(table, column))?;
    let missing = MissingTokens::new(missing);
    let bad = |line: u64, value: &str| IngestError::BadImputedSetNumber {
        column: column.to_string(),
        line,
        value: value.to_string(),
    };
    let mut number_of_row: Vec<u32> = Vec::with_capacity(table.n_rows());
    for r in 0..table.n_rows() {
        let line = table.line(r);
        let cell = trim(table.cell(col, r));
        if missing.is_missing(cell) {
            return Err(bad(line, cell));
        }
        let v =
            read_number(cell, column, line, table.decimal_comma()).map_err(|_| bad(line, cell))?;
        if v < 0.0 || v.fract() != 0.0 || v > f64::from(u32::MAX - 1) {
            return Err(bad(line, cell));
        }
        number_of_row.push(v as u32);
    }
    let mut numbers: Vec<u32> = number_of_row.clone();
    numbers.sort_unstable();
    numbers.dedup();
    let index_of = |n: u32| numbers.binary_search(&n).unwrap_or(0);
    let mut sets: Vec<ImputedSet> = numbers
        .iter()
        .map(|&number| ImputedSet {
            number,
            rows: Vec::new(),
            excluded: Vec::new(),
            n_rows: 0,
        })
        .collect();
    for &n in &number_of_row {
        sets[index_of(n)].n_rows += 1;
    }
    // Lines are increasing in file order: each maps to its table row by binary search.
    let lines = table.lines();
    let set_of_line = |line: u64| {
        let r = lines.partition_point(|x| *x < line);
        number_of_row.get(r).map_or(0, |&n| index_of(n))
    };
    for (i, &line) in cohort.line.iter().enumerate() {
        sets[set_of_line(line)].rows.push(i);
    }
    for (i, e) in cohort.excluded.iter().enumerate() {
        sets[set_of_line(e.line)].excluded.push(i);
    }
    let out = ImputedSets {
        column: column.to_string(),
        sets,
    };
    if out.imputed().is_empty() {
        return Err(IngestError::NoImputedSets {
            column: column.to_string(),
        });
    }
    check_same_data(cohort, &out)?;
    Ok(out)
}

/// Every set has the first set's survival data, row by row.
fn check_same_data(cohort: &Cohort, sets: &ImputedSets) -> Result<(), IngestError> {
    let Some((first, others)) = sets.sets.split_first() else {
        return Ok(());
    };
    for set in others {
        if let Some(line) = first_difference(cohort, first, set) {
            return Err(IngestError::ImputedSetsDiffer {
                column: sets.column.clone(),
                set: set.number,
                first_set: first.number,
                line,
            });
        }
    }
    Ok(())
}

/// The file line (in `b`) of the first row where `b`'s survival data differ from `a`'s.
fn first_difference(cohort: &Cohort, a: &ImputedSet, b: &ImputedSet) -> Option<u64> {
    let same = |i: usize, j: usize| {
        let eq_f =
            |v: &Option<Vec<f64>>| v.as_ref().is_none_or(|v| v[i].to_bits() == v[j].to_bits());
        cohort.time[i].to_bits() == cohort.time[j].to_bits()
            && eq_f(&cohort.entry)
            && eq_f(&cohort.weight)
            && cohort.event[i] == cohort.event[j]
            && cohort.competing.as_ref().is_none_or(|c| c[i] == c[j])
            && cohort.group[i] == cohort.group[j]
            && cohort.stratum[i] == cohort.stratum[j]
            && cohort.cluster.as_ref().is_none_or(|c| c[i] == c[j])
    };
    let last_line = |s: &ImputedSet| s.rows.last().map(|&i| cohort.line[i]);
    for (k, &j) in b.rows.iter().enumerate() {
        match a.rows.get(k) {
            Some(&i) if same(i, j) => {}
            _ => return Some(cohort.line[j]),
        }
    }
    if a.rows.len() > b.rows.len() {
        // `b` lacks rows `a` has: its last row (or its first left-out row) marks where.
        return last_line(b)
            .or_else(|| b.excluded.first().map(|&e| cohort.excluded[e].line))
            .or(Some(1));
    }
    // The same used rows: the same rows must be left out too.
    if a.excluded.len() != b.excluded.len()
        || a.excluded
            .iter()
            .zip(&b.excluded)
            .any(|(&x, &y)| cohort.excluded[x].reason != cohort.excluded[y].reason)
    {
        let k = a
            .excluded
            .iter()
            .zip(&b.excluded)
            .position(|(&x, &y)| cohort.excluded[x].reason != cohort.excluded[y].reason)
            .unwrap_or(a.excluded.len().min(b.excluded.len()));
        return b
            .excluded
            .get(k)
            .map(|&e| cohort.excluded[e].line)
            .or_else(|| last_line(b))
            .or(Some(1));
    }
    None
}
