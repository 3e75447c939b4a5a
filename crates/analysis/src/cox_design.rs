//! The Cox model's design matrix from the cohort: the group's dummies
//! `"<group column>=<level>"` against the reference first, then the covariates in spec
//! order (numeric: the column name; categorical: `"column=level"` for each non-reference
//! level), column-major, rows in the model's order.
//!
//! # R equivalent
//! `model.matrix(~ g + x1 + f1, data)[, -1]` with treatment contrasts (the reference
//! level first), rows in `order(strata, time)`.

use super::spec::Spec;
use survlens_ingest::{Cohort, CovariateValues};
use survlens_stats::order::Rows;

/// The design matrix (column-major) and its naming.
pub struct Design {
    pub x: Vec<f64>,
    pub names: Vec<String>,
    /// Term (spec column) of each design column.
    pub term_of: Vec<usize>,
    pub term_names: Vec<String>,
}

/// Build the design matrix over the cohort rows `rows` (in that order).
pub fn design(cohort: &Cohort, spec: &Spec, rows: &[usize]) -> Design {
    design_in(cohort, spec, Rows::Gather(rows))
}

/// Build the design matrix over the model rows `rows`, each column written straight
/// into its place (scattered or gathered, see [`Rows`]); factor dummies are made from
/// the codes as they are read, without a copy of the codes in row order.
pub fn design_in(cohort: &Cohort, spec: &Spec, rows: Rows) -> Design {
    design_checked(cohort, spec, rows).0
}

/// [`design_in`], and whether every value of the design is finite, found as the
/// values are written (a dummy is 0 or 1; a numeric covariate is checked as it is
/// read) so the fit need not scan the n×p matrix again.
pub(crate) fn design_checked(cohort: &Cohort, spec: &Spec, rows: Rows) -> (Design, bool) {
    let n = rows.len();
    // Allocated once at its final size: grown by doubling, a million-row design would
    // briefly hold the old and the new buffer (1.5–2× its size) and keep a slack.
    let mut x = vec![0.0; n * design_width(cohort, spec)];
    let mut columns = x.chunks_exact_mut(n.max(1));
    let mut next = || columns.next().unwrap_or_default();
    let mut finite = true;
    let mut d = Design {
        x: Vec::new(),
        names: Vec::new(),
        term_of: Vec::new(),
        term_names: Vec::new(),
    };
    if let Some(g) = spec
        .group
        .as_ref()
        .filter(|_| cohort.group_labels.len() > 1)
    {
        d.term_names.push(g.column.clone());
        for (level, label) in cohort.group_labels.iter().enumerate().skip(1) {
            rows.fill(&cohort.group, next(), |c| dummy(c, level));
            d.name(format!("{}={}", g.column, label));
        }
    }
    // The spec's covariates only: the cohort may append propensity-only columns after them.
    for cov in cohort.covariates.iter().take(spec.covariates.len()) {
        match &cov.values {
            CovariateValues::Numeric(v) => {
                d.term_names.push(cov.column.clone());
                rows.fill(v, next(), |value| {
                    finite &= value.is_finite();
                    value
                });
                d.name(cov.column.clone());
            }
            CovariateValues::Categorical { codes, levels } if levels.len() > 1 => {
                d.term_names.push(cov.column.clone());
                for (level, label) in levels.iter().enumerate().skip(1) {
                    rows.fill(codes, next(), |c| dummy(c, level));
                    d.name(format!("{}={}", cov.column, label));
                }
            }
            CovariateValues::Categorical { .. } => {}
        }
    }
    d.x = x;
    (d, finite)
}

impl Design {
    /// Name the next column, of the last term.
    fn name(&mut self, name: String) {
        self.names.push(name);
        self.term_of.push(self.term_names.len().saturating_sub(1));
    }
}

/// The 0/1 value of the dummy of `level` for code `c`.
#[inline]
fn dummy(c: u32, level: usize) -> f64 {
    f64::from(u8::from(c as usize == level))
}

/// Number of columns of [`design`]: the group's dummies, then one per numeric
/// covariate and one per non-reference level of a categorical one.
fn design_width(cohort: &Cohort, spec: &Spec) -> usize {
    let groups = match &spec.group {
        Some(_) if cohort.group_labels.len() > 1 => cohort.group_labels.len() - 1,
        _ => 0,
    };
    let covariates: usize = cohort
        .covariates
        .iter()
        .take(spec.covariates.len())
        .map(|cov| match &cov.values {
            CovariateValues::Numeric(_) => 1,
            CovariateValues::Categorical { levels, .. } => levels.len().saturating_sub(1),
        })
        .sum();
    groups + covariates
}
