//! Complete cases per model: the rows of the survival data whose covariates of one
//! model are all present, as R's `na.omit` does for each model.
//!
//! The survival data (`data`: usable time, event, group, strata, weights, cluster,
//! entry) is what `km`, `logrank`, `rmst` and `table1` use. A model with covariates
//! (`cox`, `propensity` and what builds on it, the Cox models of the landmark and
//! time-dependent sections) uses the rows of the data complete for its own covariates
//! and reports how many it left out: `missing_covariates` = `{"n": rows, "by_column":
//! {column: rows missing it}}` (a row missing two covariates counts once in `n` and
//! once under each column; rows are counted by file line, so the intervals of one
//! patient in the time-dependent data count once).
//!
//! A categorical covariate of the model takes its default reference from the model's
//! rows: the most frequent level there (ties: the first to appear), levels in order of
//! first appearance after it; a level absent from the model's rows is dropped.
//!
//! # R equivalent
//! `d <- na.omit(data[, c("time", "status", "group", covariates)])` before each model
//! (`coxph(..., na.action = na.omit)`), with each factor built on `d`
//! (`factor(x, levels = c(ref, setdiff(unique(x), ref)))`).

use std::borrow::Cow;
pub use survlens_contract::report::MissingCovariates;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::{Cohort, Covariate, CovariateMap, CovariateValues};

/// The rows one model uses.
pub struct ModelCohort<'c> {
    /// The data itself when no row misses a covariate of the model (no copy), else
    /// its complete rows.
    pub cohort: Cow<'c, Cohort>,
    pub missing: MissingCovariates,
}

/// The rows of `cohort` complete for the covariates named `columns`; `specs` give
/// each covariate's requested reference (the spec's covariate list).
pub fn complete_cases<'c>(
    cohort: &'c Cohort,
    columns: &[&str],
    specs: &[CovariateMap],
) -> ModelCohort<'c> {
    let model: Vec<&Covariate> = cohort
        .covariates
        .iter()
        .filter(|c| columns.contains(&c.column.as_str()))
        .collect();
    let reference_of = |column: &str| {
        specs
            .iter()
            .find(|s| s.column == column)
            .and_then(|s| s.reference.as_deref())
            .map(str::trim)
    };
    // No copy when every row is complete and each factor's levels are already those of
    // these rows (always so for the data itself; a landmark's rows may differ).
    let releveled = |c: &&Covariate| match &c.values {
        CovariateValues::Categorical { codes, levels } => {
            let order = level_order(codes, levels, reference_of(&c.column));
            order.len() != levels.len() || order.iter().enumerate().any(|(i, &o)| o as usize != i)
        }
        CovariateValues::Numeric(_) => false,
    };
    // Read from these rows at ingest with nothing missing: the data itself, no scan.
    let as_read = model.iter().all(|c| c.n_missing == Some(0));
    if as_read || (!model.iter().any(|c| c.any_missing()) && !model.iter().any(releveled)) {
        return ModelCohort {
            cohort: Cow::Borrowed(cohort),
            missing: MissingCovariates::default(),
        };
    }
    let (rows, missing) = complete_rows(cohort, &model);
    let mut sub = pick_rows(cohort, &rows);
    for cov in sub
        .covariates
        .iter_mut()
        .filter(|c| columns.contains(&c.column.as_str()))
    {
        relevel(&mut cov.values, reference_of(&cov.column));
    }
    ModelCohort {
        cohort: Cow::Owned(sub),
        missing,
    }
}

/// The rows complete for the covariates `model`, and what the others miss.
fn complete_rows(cohort: &Cohort, model: &[&Covariate]) -> (Vec<usize>, MissingCovariates) {
    let n = cohort.time.len();
    let line = |i: usize| cohort.line.get(i).copied().unwrap_or(i as u64);
    let mut missing = MissingCovariates::default();
    let mut keep = vec![true; n];
    for cov in model {
        let mut lines: Vec<u64> = Vec::new();
        for (i, k) in keep.iter_mut().enumerate() {
            if cov.is_missing(i) {
                lines.push(line(i));
                *k = false;
            }
        }
        if !lines.is_empty() {
            missing
                .by_column
                .insert(cov.column.clone(), distinct_count(lines));
        }
    }
    let rows: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    missing.n = distinct_count((0..n).filter(|&i| !keep[i]).map(line).collect());
    (rows, missing)
}

/// The number of distinct file lines: rows of the data (the time-dependent data
/// splits a patient's row into intervals that keep its line).
fn distinct_count(mut lines: Vec<u64>) -> usize {
    lines.sort_unstable();
    lines.dedup();
    lines.len()
}

/// The names of the spec's covariates (the columns of the `cox` models).
pub fn column_names(specs: &[CovariateMap]) -> Vec<&str> {
    specs.iter().map(|c| c.column.as_str()).collect()
}

/// A warning and `true` when the model has no row left.
pub fn no_complete_rows(section: &str, model: &ModelCohort, warnings: &mut Vec<Warning>) -> bool {
    if !model.cohort.time.is_empty() {
        return false;
    }
    let columns: Vec<&str> = model.missing.by_column.keys().map(String::as_str).collect();
    warnings.push(survlens_text::warning_with(
        WarningCode::NoCompleteRows,
        [("section", section.into()), ("columns", columns.into())],
    ));
    true
}

/// The cohort restricted to `rows` (in that order); covariate levels as they are,
/// no exclusions or warnings (those belong to the whole data).
pub fn pick_rows(cohort: &Cohort, rows: &[usize]) -> Cohort {
    let pick_f = |v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let pick_u = |v: &[u32]| rows.iter().map(|&i| v[i]).collect::<Vec<u32>>();
    Cohort {
        n_rows: cohort.n_rows,
        line: rows.iter().map(|&i| cohort.line[i]).collect(),
        time: pick_f(&cohort.time),
        entry: cohort.entry.as_deref().map(pick_f),
        event: rows.iter().map(|&i| cohort.event[i]).collect(),
        competing: cohort
            .competing
            .as_deref()
            .map(|c| rows.iter().map(|&i| c[i]).collect()),
        group: pick_u(&cohort.group),
        group_labels: cohort.group_labels.clone(),
        stratum: pick_u(&cohort.stratum),
        strata_labels: cohort.strata_labels.clone(),
        weight: cohort.weight.as_deref().map(pick_f),
        cluster: cohort.cluster.as_deref().map(pick_u),
        covariates: cohort
            .covariates
            .iter()
            .map(|cov| Covariate {
                column: cov.column.clone(),
                n_missing: None,
                values: match &cov.values {
                    CovariateValues::Numeric(v) => CovariateValues::Numeric(pick_f(v)),
                    CovariateValues::Categorical { codes, levels } => {
                        CovariateValues::Categorical {
                            codes: pick_u(codes),
                            levels: levels.clone(),
                        }
                    }
                },
            })
            .collect(),
        excluded: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The covariates of `cohort` as ingest reads them from its own rows, for a cohort
/// picked out of a larger file (the original data of a file of imputed sets): each
/// categorical covariate releveled on these rows (its reference in `specs`, else the
/// most frequent level, first; then order of first appearance; absent levels dropped),
/// and every `n_missing` counted.
pub fn as_read(cohort: &mut Cohort, specs: &[CovariateMap]) {
    for cov in cohort.covariates.iter_mut() {
        let reference = specs
            .iter()
            .find(|s| s.column == cov.column)
            .and_then(|s| s.reference.as_deref())
            .map(str::trim);
        relevel(&mut cov.values, reference);
        let n = match &cov.values {
            CovariateValues::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            CovariateValues::Categorical { codes, .. } => codes
                .iter()
                .filter(|&&c| c == survlens_ingest::MISSING_CODE)
                .count(),
        };
        cov.n_missing = Some(n);
    }
}

/// The levels of a categorical covariate on its (complete) rows, as indices into
/// `levels`: `reference` (when given and present) or the most frequent level first (ties:
/// the first to appear), then the others in order of first appearance; absent levels
/// left out.
fn level_order(codes: &[u32], levels: &[String], reference: Option<&str>) -> Vec<u32> {
    if levels.is_empty() {
        return Vec::new();
    }
    let mut counts = vec![0usize; levels.len()];
    for &c in codes {
        if let Some(slot) = counts.get_mut(c as usize) {
            *slot += 1;
        }
    }
    // Order of first appearance: read only until every present level has appeared.
    let present = counts.iter().filter(|&&k| k > 0).count();
    let mut seen = vec![false; levels.len()];
    let mut appearance: Vec<u32> = Vec::with_capacity(present);
    for &c in codes {
        if appearance.len() == present {
            break;
        }
        if let Some(s) = seen.get_mut(c as usize).filter(|s| !**s) {
            *s = true;
            appearance.push(c);
        }
    }
    let given = reference.and_then(|r| levels.iter().position(|l| l == r));
    let first = given.map(|g| g as u32).unwrap_or_else(|| {
        let mut best = appearance.first().copied().unwrap_or(0);
        for &c in &appearance {
            if counts.get(c as usize) > counts.get(best as usize) {
                best = c;
            }
        }
        best
    });
    let mut order = vec![first];
    order.extend(appearance.iter().copied().filter(|&c| c != first));
    order
}

/// Recodes a categorical covariate to [`level_order`] on its rows.
fn relevel(values: &mut CovariateValues, reference: Option<&str>) {
    let CovariateValues::Categorical { codes, levels } = values else {
        return;
    };
    let order = level_order(codes, levels, reference);
    let mut remap = vec![survlens_ingest::MISSING_CODE; levels.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(slot) = remap.get_mut(old as usize) {
            *slot = new as u32;
        }
    }
    for c in codes.iter_mut() {
        *c = remap
            .get(*c as usize)
            .copied()
            .unwrap_or(survlens_ingest::MISSING_CODE);
    }
    *levels = order
        .iter()
        .filter_map(|&c| levels.get(c as usize).cloned())
        .collect();
}

#[cfg(test)]
mod tests;
