//! What the page's missing-data panel shows before an analysis: for every covariate
//! column the spec names, how many rows of the survival data miss it, overall and per
//! group, and how many rows are complete for all of them (the complete-case n of a
//! model with every covariate). Counted by the core's own readers (the rows of `data`
//! as the analysis builds them: usable time, event and group; a covariate's missing
//! tokens as the spec's `missing` says), never by the page.
//!
//! With imported imputed sets (`imputation.imputed`, mice's long format) only the rows
//! of the original data (set number 0) are counted.
//!
//! # R equivalent
//! `colSums(is.na(d[, covariates]))`, `table(d$group[is.na(d$x)])` per column, and
//! `sum(complete.cases(d[, covariates]))`, on the analysed rows `d`.

use crate::ingest::{self, CovariateValues};
use serde::Serialize;

/// `{"n", "groups", "group_n", "columns", "complete_cases", "complete_by_group",
/// "imputed_sets"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missingness {
    /// Rows of the survival data (the data's `n_used`).
    pub n: usize,
    /// Group labels in analysis order (`["all"]` without a group).
    pub groups: Vec<String>,
    /// Rows per group.
    pub group_n: Vec<usize>,
    /// One entry per covariate column, in the spec's order.
    pub columns: Vec<ColumnMissing>,
    /// Rows complete for every covariate.
    pub complete_cases: usize,
    /// The same per group.
    pub complete_by_group: Vec<usize>,
    /// Imported sets: how many imputed sets (set numbers other than 0) the file holds;
    /// `null` without `imputation.imputed`.
    pub imputed_sets: Option<usize>,
}

/// Missing values of one covariate column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnMissing {
    pub column: String,
    /// "numeric" or "categorical" (as the analysis reads it).
    pub kind: &'static str,
    /// Rows missing it.
    pub missing: usize,
    /// Rows missing it, per group (the order of `groups`).
    pub by_group: Vec<usize>,
}

/// The missingness of the covariates of `spec_json` in the file `data`.
pub fn missingness(data: &[u8], spec_json: &str) -> Result<Missingness, crate::Error> {
    let spec = crate::Spec::from_json(spec_json)?;
    spec.validate()?;
    let map = spec.column_map()?;
    let table = ingest::read_table_sheet(data, spec.sheet.as_deref())?;
    let cohort = ingest::build_cohort(&table, &map)?;
    let imputed = spec.imputation.as_ref().and_then(|i| i.imputed.as_deref());
    // The rows counted: every row of the data, or set 0 of imported sets.
    let (rows, imputed_sets): (Vec<usize>, Option<usize>) = match imputed {
        Some(name) => {
            let col = table.column_index(name.trim()).ok_or_else(|| {
                crate::Error::Spec(crate::analysis::SpecError::invalid_zh(
                    "imputation.imputed",
                    format!("names \"{name}\", which is not a column of the file"),
                    format!("指定的“{name}”不是文件中的列"),
                ))
            })?;
            let set_of = |i: usize| {
                let row = (cohort.line[i] as usize).saturating_sub(2);
                table.cell(col, row).trim().to_string()
            };
            let mut numbers: Vec<String> = Vec::new();
            let mut rows = Vec::new();
            for i in 0..cohort.time.len() {
                let s = set_of(i);
                if s.parse::<f64>().ok() == Some(0.0) {
                    rows.push(i);
                } else if !numbers.contains(&s) {
                    numbers.push(s);
                }
            }
            (rows, Some(numbers.len()))
        }
        None => ((0..cohort.time.len()).collect(), None),
    };
    Ok(count(&cohort, &rows, imputed_sets))
}

/// The counts over `rows` of `cohort`.
fn count(cohort: &ingest::Cohort, rows: &[usize], imputed_sets: Option<usize>) -> Missingness {
    let k = cohort.group_labels.len().max(1);
    let mut group_n = vec![0; k];
    let mut complete_by_group = vec![0; k];
    let mut columns: Vec<ColumnMissing> = cohort
        .covariates
        .iter()
        .map(|c| ColumnMissing {
            column: c.column.clone(),
            kind: match c.values {
                CovariateValues::Numeric(_) => "numeric",
                CovariateValues::Categorical { .. } => "categorical",
            },
            missing: 0,
            by_group: vec![0; k],
        })
        .collect();
    for &i in rows {
        let g = (cohort.group[i] as usize).min(k - 1);
        group_n[g] += 1;
        let mut complete = true;
        for (c, out) in cohort.covariates.iter().zip(&mut columns) {
            if c.is_missing(i) {
                out.missing += 1;
                out.by_group[g] += 1;
                complete = false;
            }
        }
        if complete {
            complete_by_group[g] += 1;
        }
    }
    Missingness {
        n: rows.len(),
        groups: cohort.group_labels.clone(),
        group_n,
        columns,
        complete_cases: complete_by_group.iter().sum(),
        complete_by_group,
        imputed_sets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "time,status,arm,age,ecog\n\
        5,1,A,60,0\n\
        6,0,A,,1\n\
        7,1,B,55,\n\
        8,1,B,,\n\
        ,1,B,50,1\n\
        9,0,C,70,2\n";

    #[test]
    fn counts_missing_values_per_column_and_group_on_the_data_rows() {
        let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
            "group": {"column": "arm"}, "covariates": [{"column": "age"}, {"column": "ecog", "type": "categorical"}]}"#;
        let m = missingness(CSV.as_bytes(), spec).unwrap();
        // The row without a time is not in the data.
        assert_eq!(m.n, 5);
        assert_eq!(m.groups, vec!["A", "B", "C"]);
        assert_eq!(m.group_n, vec![2, 2, 1]);
        assert_eq!(m.columns[0].column, "age");
        assert_eq!(m.columns[0].kind, "numeric");
        assert_eq!(m.columns[0].missing, 2);
        assert_eq!(m.columns[0].by_group, vec![1, 1, 0]);
        assert_eq!(m.columns[1].kind, "categorical");
        assert_eq!(m.columns[1].missing, 2);
        assert_eq!(m.columns[1].by_group, vec![0, 2, 0]);
        // Complete: lines 2 and 7 (a row missing both counts once).
        assert_eq!(m.complete_cases, 2);
        assert_eq!(m.complete_by_group, vec![1, 0, 1]);
        assert_eq!(m.imputed_sets, None);
    }

    #[test]
    fn the_complete_case_n_is_the_n_of_the_cox_model() {
        let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
            "group": {"column": "arm"}, "covariates": [{"column": "age"}, {"column": "ecog", "type": "categorical"}],
            "cox": {}}"#;
        let m = missingness(CSV.as_bytes(), spec).unwrap();
        let report = crate::Analysis::from_json(spec)
            .run(CSV.as_bytes())
            .unwrap();
        let cox = match &report.cox {
            crate::contract::report::Skip::Value(c) => c,
            _ => panic!("no cox"),
        };
        assert_eq!(cox.n, m.complete_cases);
    }

    #[test]
    fn imported_sets_count_the_original_rows_only() {
        let csv = ".imp,.id,time,status,age\n0,1,5,1,60\n0,2,6,0,\n0,3,7,1,\n1,1,5,1,60\n1,2,6,0,61\n1,3,7,1,62\n2,1,5,1,60\n2,2,6,0,59\n2,3,7,1,58\n";
        let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
            "covariates": [{"column": "age"}], "imputation": {"imputed": ".imp"}}"#;
        let m = missingness(csv.as_bytes(), spec).unwrap();
        assert_eq!(m.n, 3);
        assert_eq!(m.columns[0].missing, 2);
        assert_eq!(m.complete_cases, 1);
        assert_eq!(m.imputed_sets, Some(2));
        assert_eq!(m.groups, vec!["all"]);
    }
}
