//! Group, covariate, strata, weight and cluster columns of the used rows.
//!
//! Rules (docs/spec.md#defaults-and-input-rules):
//! * group: `recode` first; `levels` restricts (screening) and orders; default levels
//!   are every value, reference first, then order of first appearance in the used
//!   rows; the default reference is the first level; a reference outside the levels
//!   is an error listing them.
//! * covariates: numeric if every non-missing value parses (a given `reference`
//!   implies categorical); a categorical reference defaults to the most frequent level
//!   (ties: first to appear); levels: reference first, then order of appearance. A
//!   missing cell is kept as missing ([`MISSING_CODE`], NaN): each model leaves its own
//!   incomplete rows out (`survlens_analysis::complete_cases`).
//! * strata: labels as R's `strata()`, `center=A, sex=F`, order of first appearance.
//! * weights: numbers ≥ 0. cluster: any token, coded in order of first appearance.

use super::cohort::read_number;
use super::intern::{put_first, FxHashMap, Interner};
use super::mapping::{
    Covariate, CovariateKind, CovariateMap, CovariateValues, GroupMap, MISSING_CODE,
};
use super::missing::MissingTokens;
use super::number::{parse_number, Num};
use super::IngestError;
use std::collections::HashMap;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;

/// The group label of a trimmed cell after `recode`.
fn recoded<'a>(value: &'a str, g: &'a GroupMap) -> &'a str {
    g.recode.get(value).map_or(value, |s| s.trim())
}

/// Whether a (non-missing, trimmed) group cell belongs to the requested levels.
pub(crate) fn in_levels(value: &str, g: &GroupMap) -> bool {
    let label = recoded(value, g);
    g.levels
        .as_ref()
        .is_none_or(|l| l.iter().any(|x| super::text::same(x.trim(), label)))
}

/// Group codes of the used rows and the labels, reference first.
pub(crate) fn group<'a>(
    cells: impl Iterator<Item = &'a str>,
    g: &'a GroupMap,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<u32>, Vec<String>), IngestError> {
    let labels_of_rows = cells.map(|v| recoded(v, g));
    let (seen, mut codes) = Interner::of(labels_of_rows);
    let order: Vec<&str> = match &g.levels {
        Some(levels) => {
            let mut order: Vec<&str> = Vec::with_capacity(levels.len());
            for l in levels.iter().map(|l| l.trim()) {
                if !order.contains(&l) {
                    order.push(l);
                }
            }
            order
        }
        None => seen.values.clone(),
    };
    let reference = match g.reference.as_deref().map(str::trim) {
        Some(r) if order.contains(&r) => r,
        Some(r) => {
            return Err(IngestError::UnknownReference {
                column: g.column.clone(),
                value: r.to_string(),
                levels: order.iter().map(|s| s.to_string()).collect(),
            })
        }
        None => order.first().copied().unwrap_or("all"),
    };
    let mut labels: Vec<String> = vec![reference.to_string()];
    labels.extend(
        order
            .iter()
            .filter(|&&l| l != reference)
            .map(|l| l.to_string()),
    );
    let position: HashMap<&str, u32> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect();
    // Seen code → final code; screening left out every row whose label is not a level.
    let remap: Vec<u32> = seen
        .values
        .iter()
        .map(|v| position.get(v).copied().unwrap_or(0))
        .collect();
    for c in codes.iter_mut() {
        *c = remap.get(*c as usize).copied().unwrap_or(0);
    }
    for label in labels.iter().filter(|l| seen.get(l).is_none()) {
        warnings.push(
            Warning::new(WarningCode::EmptyGroup,
                format!("The group \"{label}\" of column \"{}\" has no usable rows; check the spelling in the spec's levels.", g.column),
            )
            .with("column", g.column.clone())
            .with("group", label.clone()),
        );
    }
    Ok((codes, labels))
}

/// One covariate over the used rows (`cells` trimmed, `lines` their file lines; the
/// cells are read twice when the type is detected and the column is categorical). A
/// missing cell is NaN (numeric) or [`MISSING_CODE`] (categorical).
pub(crate) fn covariate<'a>(
    cells: impl Iterator<Item = &'a str> + Clone,
    lines: &[u64],
    spec: &CovariateMap,
    comma: bool,
    missing: &MissingTokens,
) -> Result<Covariate, IngestError> {
    let numeric = |(v, k): (Vec<f64>, usize)| (CovariateValues::Numeric(v), k);
    let (values, n_missing) = match (spec.kind, &spec.reference) {
        (Some(CovariateKind::Numeric), _) => numeric(numbers(cells, lines, spec, comma, missing)?),
        (Some(CovariateKind::Categorical), _) | (None, Some(_)) => {
            categorical(cells, spec, missing)?
        }
        (None, None) => match detect_numeric(cells.clone(), lines, spec, comma, missing)? {
            Some(v) => numeric(v),
            None => categorical(cells, spec, missing)?,
        },
    };
    Ok(Covariate {
        column: spec.column.clone(),
        values,
        n_missing: Some(n_missing),
    })
}

/// Every cell as a number (missing: NaN) and how many were missing, or the first error
/// naming column and line.
fn numbers<'a>(
    cells: impl Iterator<Item = &'a str>,
    lines: &[u64],
    spec: &CovariateMap,
    comma: bool,
    missing: &MissingTokens,
) -> Result<(Vec<f64>, usize), IngestError> {
    let mut n_missing = 0;
    let values = cells
        .zip(lines)
        .map(|(c, &line)| {
            // First: a missing token may read as a number ("-99"); the test rejects most
            // numbers by their first byte.
            if missing.is_missing(c) {
                n_missing += 1;
                Ok(f64::NAN)
            } else {
                read_number(c, &spec.column, line, comma)
            }
        })
        .collect::<Result<Vec<f64>, _>>()?;
    Ok((values, n_missing))
}

/// Type detection and reading in one parse per cell: `None` (categorical) as soon as a
/// non-missing cell is not a number; numeric otherwise (missing cells NaN), where a
/// number beyond the range of a double is an error (the first such cell, as
/// [`numbers`] would report it).
fn detect_numeric<'a>(
    cells: impl Iterator<Item = &'a str> + Clone,
    lines: &[u64],
    spec: &CovariateMap,
    comma: bool,
    missing: &MissingTokens,
) -> Result<Option<(Vec<f64>, usize)>, IngestError> {
    let mut values = Vec::with_capacity(lines.len());
    let mut overflow: Option<usize> = None;
    let mut n_missing = 0;
    for (i, c) in cells.clone().enumerate() {
        if missing.is_missing(c) {
            values.push(f64::NAN);
            n_missing += 1;
            continue;
        }
        match parse_number(c, comma) {
            Num::Value(v) => values.push(v),
            Num::NotNumber => return Ok(None),
            Num::Overflow => {
                overflow.get_or_insert(i);
                values.push(f64::NAN);
            }
        }
    }
    match overflow {
        Some(i) => {
            let line = lines.get(i).copied().unwrap_or(0);
            let cell = cells.clone().nth(i).unwrap_or("");
            read_number(cell, &spec.column, line, comma).map(|_| None)
        }
        None => Ok(Some((values, n_missing))),
    }
}

/// The codes and levels, and how many cells were missing.
fn categorical<'a>(
    cells: impl Iterator<Item = &'a str>,
    spec: &CovariateMap,
    missing: &MissingTokens,
) -> Result<(CovariateValues, usize), IngestError> {
    let (seen, mut codes) = Interner::of(cells);
    let is_level: Vec<bool> = seen.values.iter().map(|v| !missing.is_missing(v)).collect();
    let levels_seen: Vec<&str> = seen
        .values
        .iter()
        .zip(&is_level)
        .filter(|(_, &l)| l)
        .map(|(v, _)| *v)
        .collect();
    let n_missing: usize = seen
        .counts
        .iter()
        .zip(&is_level)
        .filter(|(_, &l)| !l)
        .map(|(k, _)| *k)
        .sum();
    let reference = match spec.reference.as_deref().map(str::trim) {
        Some(r) => seen
            .get(r)
            .filter(|&c| is_level.get(c as usize).copied().unwrap_or(false))
            .ok_or_else(|| IngestError::UnknownReference {
                column: spec.column.clone(),
                value: r.to_string(),
                levels: levels_seen.iter().map(|s| s.to_string()).collect(),
            })?,
        None => most_frequent_level(&seen.counts, &is_level),
    };
    if levels_seen.is_empty() {
        codes.iter_mut().for_each(|c| *c = MISSING_CODE);
        let values = CovariateValues::Categorical {
            codes,
            levels: Vec::new(),
        };
        return Ok((values, n_missing));
    }
    if is_level.iter().all(|&l| l) {
        let levels = put_first(&mut codes, &seen.values, reference);
        return Ok((CovariateValues::Categorical { codes, levels }, n_missing));
    }
    // Missing tokens are not levels: the reference first, then the other levels in
    // order of appearance; a missing cell gets MISSING_CODE.
    let mut remap = vec![MISSING_CODE; seen.values.len()];
    let mut levels = vec![seen.values[reference as usize].to_string()];
    remap[reference as usize] = 0;
    for (i, v) in seen.values.iter().enumerate() {
        if is_level[i] && i != reference as usize {
            remap[i] = levels.len() as u32;
            levels.push(v.to_string());
        }
    }
    for c in codes.iter_mut() {
        *c = remap.get(*c as usize).copied().unwrap_or(MISSING_CODE);
    }
    Ok((CovariateValues::Categorical { codes, levels }, n_missing))
}

/// Index of the largest count among the levels (`is_level`); ties go to the first.
/// With no level at all (every cell missing), 0.
pub(crate) fn most_frequent_level(counts: &[usize], is_level: &[bool]) -> u32 {
    let mut best: Option<usize> = None;
    for (i, &c) in counts.iter().enumerate() {
        if is_level.get(i).copied().unwrap_or(true)
            && best.is_none_or(|b| c > counts.get(b).copied().unwrap_or(0))
        {
            best = Some(i);
        }
    }
    best.unwrap_or(0) as u32
}

/// Stratum codes and labels (`name=value, name=value`); one stratum "all" without strata.
pub(crate) fn strata(cells: &[Vec<&str>], names: &[String], n: usize) -> (Vec<u32>, Vec<String>) {
    if cells.is_empty() {
        return (vec![0; n], vec!["all".to_string()]);
    }
    let per_column: Vec<(Interner, Vec<u32>)> = cells
        .iter()
        .map(|col| Interner::of(col.iter().copied()))
        .collect();
    let mut index: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
    let mut labels = Vec::new();
    let mut key: Vec<u32> = Vec::with_capacity(cells.len());
    let mut codes = Vec::with_capacity(n);
    for row in 0..n {
        key.clear();
        key.extend(
            per_column
                .iter()
                .map(|(_, c)| c.get(row).copied().unwrap_or(0)),
        );
        if let Some(&code) = index.get(key.as_slice()) {
            codes.push(code);
            continue;
        }
        let code = labels.len() as u32;
        let parts: Vec<String> = names
            .iter()
            .zip(&per_column)
            .zip(&key)
            .map(|((name, (it, _)), &k)| {
                format!("{name}={}", it.values.get(k as usize).unwrap_or(&""))
            })
            .collect();
        labels.push(parts.join(", "));
        index.insert(key.clone(), code);
        codes.push(code);
    }
    (codes, labels)
}

/// Case weights: numbers ≥ 0.
pub(crate) fn weights<'a>(
    cells: impl Iterator<Item = &'a str>,
    lines: &[u64],
    column: &str,
    comma: bool,
) -> Result<Vec<f64>, IngestError> {
    cells
        .zip(lines)
        .map(|(c, &line)| {
            let w = read_number(c, column, line, comma)?;
            if w < 0.0 {
                return Err(IngestError::NegativeWeight {
                    column: column.to_string(),
                    line,
                    value: c.to_string(),
                });
            }
            Ok(w)
        })
        .collect()
}

/// Cluster codes in order of first appearance.
pub(crate) fn cluster<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<u32> {
    Interner::of(cells).1
}
