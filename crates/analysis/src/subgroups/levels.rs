//! The levels of a subgroup column and the level of every row.
//!
//! - Numeric with cut points c1 < … < cm: m + 1 levels "≤c1", "c1–c2", …, ">cm"
//!   (x ≤ c1, c1 < x ≤ c2, …, x > cm), every level listed even when it holds no row.
//! - Numeric without cut points: one level per distinct value, ascending, labelled by
//!   the value ([`survlens_text::numbers::label_value`], as are the cut points).
//! - Categorical: its levels in the order the covariate was read (the reference —
//!   the spec's, else the most frequent — first, then order of appearance), those
//!   without a row of the data left out.
//!
//! A row whose value is missing has no level.
//!
//! # R equivalent
//! `cut(x, c(-Inf, cut, Inf), right = TRUE)`; `factor(x)` (numeric, no cut);
//! `factor(x, levels = <the covariate's levels>)`.

use survlens_ingest::{Covariate, CovariateValues};
use survlens_text::numbers::label_value;

/// The levels of one column over the cohort's rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Levels {
    pub labels: Vec<String>,
    /// Level index of each cohort row (`None`: the value is missing).
    pub of_row: Vec<Option<usize>>,
}

impl Levels {
    /// Rows whose value is missing.
    pub fn n_missing(&self) -> usize {
        self.of_row.iter().filter(|l| l.is_none()).count()
    }
}

/// The levels of `cov`, cut at `cut` when given; `Err` names the trouble (in English and
/// Chinese) when cut points are given for a column read as categories.
pub(crate) fn levels(cov: &Covariate, cut: Option<&[f64]>) -> Result<Levels, (String, String)> {
    match (&cov.values, cut) {
        (CovariateValues::Numeric(x), Some(cut)) => Ok(cut_levels(x, cut)),
        (CovariateValues::Numeric(x), None) => Ok(value_levels(x)),
        (CovariateValues::Categorical { codes, levels }, None) => {
            Ok(category_levels(codes, levels))
        }
        (CovariateValues::Categorical { .. }, Some(_)) => Err((
            format!(
                "\"{}\" is read as categories (the spec's covariates give it the categorical type), so it cannot be cut at numbers; leave out \"cut\" or make the covariate numeric",
                cov.column
            ),
            format!(
                "“{}”按分类变量读取（设定的协变量把它设为分类类型），因此不能按数值分割；请去掉 \"cut\"，或把该协变量设为数值型",
                cov.column
            ),
        )),
    }
}

/// The labels "≤c1", "c1–c2", …, ">cm".
pub(crate) fn cut_labels(cut: &[f64]) -> Vec<String> {
    let v: Vec<String> = cut.iter().map(|&c| label_value(c)).collect();
    let mut labels = Vec::with_capacity(v.len() + 1);
    if let Some(first) = v.first() {
        labels.push(format!("≤{first}"));
    }
    labels.extend(v.windows(2).map(|w| format!("{}–{}", w[0], w[1])));
    if let Some(last) = v.last() {
        labels.push(format!(">{last}"));
    }
    labels
}

fn cut_levels(x: &[f64], cut: &[f64]) -> Levels {
    let of_row = x
        .iter()
        .map(|&v| (!v.is_nan()).then(|| cut.iter().filter(|&&c| v > c).count()))
        .collect();
    Levels {
        labels: cut_labels(cut),
        of_row,
    }
}

fn value_levels(x: &[f64]) -> Levels {
    let mut values: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let of_row = x
        .iter()
        .map(|v| {
            (!v.is_nan())
                .then(|| values.binary_search_by(|p| p.total_cmp(v)).ok())
                .flatten()
        })
        .collect();
    Levels {
        labels: values.iter().map(|&v| label_value(v)).collect(),
        of_row,
    }
}

fn category_levels(codes: &[u32], levels: &[String]) -> Levels {
    let mut present = vec![false; levels.len()];
    for &c in codes {
        if let Some(p) = present.get_mut(c as usize) {
            *p = true;
        }
    }
    // New index of each present level, in the covariate's order.
    let mut index = vec![None; levels.len()];
    let mut labels = Vec::new();
    for (i, label) in levels.iter().enumerate().filter(|&(i, _)| present[i]) {
        index[i] = Some(labels.len());
        labels.push(label.clone());
    }
    let of_row = codes
        .iter()
        .map(|&c| index.get(c as usize).copied().flatten())
        .collect();
    Levels { labels, of_row }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(x: &[f64]) -> Covariate {
        Covariate {
            column: "age".into(),
            values: CovariateValues::Numeric(x.to_vec()),
            n_missing: None,
        }
    }

    #[test]
    fn cut_points_close_the_lower_level() {
        let l = levels(
            &numeric(&[50.0, 60.0, 60.5, f64::NAN, 71.0]),
            Some(&[60.0, 70.0]),
        )
        .unwrap_or_else(|e| panic!("{}", e.0));
        assert_eq!(l.labels, ["≤60", "60–70", ">70"]);
        assert_eq!(l.of_row, [Some(0), Some(0), Some(1), None, Some(2)]);
        assert_eq!(l.n_missing(), 1);
    }

    #[test]
    fn one_level_per_value_ascending() {
        let l = levels(&numeric(&[2.0, 0.0, 1.0, 2.0, 0.5]), None)
            .unwrap_or_else(|e| panic!("{}", e.0));
        assert_eq!(l.labels, ["0", "0.5", "1", "2"]);
        assert_eq!(l.of_row, [Some(3), Some(0), Some(2), Some(3), Some(1)]);
    }

    #[test]
    fn categories_keep_their_order_and_drop_absent_levels() {
        let cov = Covariate {
            column: "sex".into(),
            values: CovariateValues::Categorical {
                codes: vec![2, 0, survlens_ingest::MISSING_CODE, 2],
                levels: vec!["M".into(), "X".into(), "F".into()],
            },
            n_missing: None,
        };
        let l = levels(&cov, None).unwrap_or_else(|e| panic!("{}", e.0));
        assert_eq!(l.labels, ["M", "F"]);
        assert_eq!(l.of_row, [Some(1), Some(0), None, Some(1)]);
        assert!(levels(&cov, Some(&[1.0])).is_err());
    }
}
