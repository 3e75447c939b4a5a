//! The Cox models of the subgroups section, fitted by the `cox` section's engine: a
//! model's rows as a cohort of their own (the covariates of the model only, factors
//! releveled on those rows as [`complete_cases`] does), its design by
//! [`super::super::cox_design`], sorted and fitted as the `cox` section fits
//! ([`SortedRows`], [`cox_section::fit_model`]).
//!
//! # R equivalent
//! `coxph(Surv(time, status) ~ g + covs [+ strata(s)], data = m, subset = level, ties,
//! weights, robust, cluster)`; for the interaction,
//! `anova(coxph(~ g + V + covs), coxph(~ g * V + covs))` or, robust, the Wald test of
//! the `g:V` coefficients with `vcov(fit)`.

use crate::complete_cases;
use crate::cox_rows::{positive_weight_rows, SortedRows};
use crate::cox_section;
use crate::spec::Spec;
use survlens_contract::cox::CoxTerm;
use survlens_contract::mapping::CovariateMap;
use survlens_contract::subgroups::{InteractionTest, SubgroupCount};
use survlens_ingest::{Cohort, Covariate, CovariateValues};
use survlens_stats::cox::{self, CoxFit, CoxOptions, Ties};

/// How every model of one section is fitted.
pub(crate) struct Fitting<'a> {
    /// The spec: group, strata and the covariates' requested references.
    pub spec: &'a Spec,
    pub ties: Ties,
    /// Robust (sandwich) variance of the level models (always with a cluster).
    pub robust: bool,
}

/// One model's rows: the cohort of those rows and the spec whose covariates are the
/// model's, in the same order.
pub(crate) struct ModelRows {
    pub cohort: Cohort,
    pub spec: Spec,
}

impl ModelRows {
    /// The cohort's `rows` with the covariates named `covariates` (each present on
    /// every row of `rows`), categorical ones releveled on these rows.
    pub fn new(cohort: &Cohort, rows: &[usize], covariates: &[&str], spec: &Spec) -> Self {
        let picked = complete_cases::pick_rows(cohort, rows);
        let maps = spec.all_covariates();
        // The rows are complete already: complete_cases only relevels (a copy when it
        // must, else the picked rows themselves).
        let releveled = match complete_cases::complete_cases(&picked, covariates, &maps).cohort {
            std::borrow::Cow::Owned(c) => Some(c),
            std::borrow::Cow::Borrowed(_) => None,
        };
        let mut model = releveled.unwrap_or(picked);
        let mut all = std::mem::take(&mut model.covariates);
        model.covariates = covariates
            .iter()
            .filter_map(|name| {
                let i = all.iter().position(|c| c.column == *name)?;
                Some(all.swap_remove(i))
            })
            .collect();
        let mut spec = spec.clone();
        spec.covariates = model
            .covariates
            .iter()
            .map(|c| map_of(&maps, &c.column))
            .collect();
        ModelRows {
            cohort: model,
            spec,
        }
    }

    /// Appends a covariate (after the model's own).
    pub fn push(&mut self, column: String, values: CovariateValues) {
        self.spec.covariates.push(CovariateMap {
            column: column.clone(),
            kind: None,
            reference: None,
        });
        self.cohort.covariates.push(Covariate {
            column,
            values,
            n_missing: None,
        });
    }

    /// Rows and events per group (analysis order).
    pub fn counts(&self) -> Vec<SubgroupCount> {
        let c = &self.cohort;
        let mut out: Vec<SubgroupCount> = c
            .group_labels
            .iter()
            .map(|g| SubgroupCount {
                group: g.clone(),
                n: 0,
                events: 0,
            })
            .collect();
        for (&g, &e) in c.group.iter().zip(&c.event) {
            if let Some(slot) = out.get_mut(g as usize) {
                slot.n += 1;
                slot.events += usize::from(e);
            }
        }
        out
    }

    /// The fit and its design column names; `Err` with the reason when none exists.
    pub fn fit(&self, fitting: &Fitting, robust: bool) -> Result<(CoxFit, Vec<String>), String> {
        let mut scratch = Vec::new();
        let keep = positive_weight_rows(&self.cohort, &mut scratch);
        let (model, design, x_finite) = SortedRows::new(&self.cohort, &self.spec, keep);
        let opts = CoxOptions {
            ties: fitting.ties,
            robust: robust || model.cluster.is_some(),
            ..CoxOptions::default()
        };
        let data = model.data(&design);
        let fit =
            cox_section::fit_model(&data, model.entry.as_deref(), x_finite, &opts, &mut scratch);
        match fit {
            Some(fit) => Ok((fit, design.names)),
            None => Err(scratch
                .pop()
                .map(|w| w.message)
                .unwrap_or_else(|| "no estimate".to_string())),
        }
    }

    /// The group terms (as `cox.terms`) of the model.
    pub fn group_terms(&self, fitting: &Fitting) -> Result<Vec<CoxTerm>, String> {
        let (fit, names) = self.fit(fitting, fitting.robust)?;
        let k = self.cohort.group_labels.len().saturating_sub(1);
        let mut terms = cox_section::terms(&fit, &names);
        terms.truncate(k);
        Ok(terms)
    }
}

/// The spec's map of `column` (its type and reference), or a plain one.
fn map_of(maps: &[CovariateMap], column: &str) -> CovariateMap {
    maps.iter()
        .find(|m| m.column == column)
        .cloned()
        .unwrap_or(CovariateMap {
            column: column.to_string(),
            kind: None,
            reference: None,
        })
}

/// The test of `column` without a statistic (df `df`: 0 when nothing is estimable).
pub(crate) fn untested(column: &str, robust_test: bool, df: usize) -> InteractionTest {
    InteractionTest {
        column: column.to_string(),
        test: if robust_test { "wald_robust" } else { "lr" }.to_string(),
        chisq: None,
        df,
        p: None,
    }
}

/// The interaction test of `column` on the model rows `rows` (the column's level of
/// each in `level`, indices into `labels`). `robust_test`: the robust Wald test of the
/// interaction coefficients (weights or cluster), else the likelihood-ratio test.
pub(crate) fn interaction(
    mut rows: ModelRows,
    level: &[usize],
    labels: &[String],
    column: &str,
    fitting: &Fitting,
    robust_test: bool,
) -> Result<InteractionTest, String> {
    // The levels present on these rows, in the column's order.
    let mut present: Vec<usize> = level.to_vec();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        return Ok(untested(column, robust_test, 0));
    }
    let codes: Vec<u32> = level
        .iter()
        .map(|l| present.binary_search(l).map_or(0, |i| i as u32))
        .collect();
    let names: Vec<String> = present.iter().map(|&l| labels[l].clone()).collect();
    // V first, then the model's covariates: the design puts covariates in that order.
    rows.cohort.covariates.insert(
        0,
        Covariate {
            column: column.to_string(),
            values: CovariateValues::Categorical {
                codes: codes.clone(),
                levels: names.clone(),
            },
            n_missing: None,
        },
    );
    rows.spec.covariates.insert(0, map_of(&[], column));
    let main = (!robust_test)
        .then(|| rows.fit(fitting, false))
        .transpose()?;
    let n_ix = rows.push_interactions(column, &codes, &names);
    let (full, full_names) = rows.fit(fitting, robust_test)?;
    let p = full_names.len();
    let result = match main {
        None => cox::wald_test_of(&full, &(p - n_ix..p).collect::<Vec<_>>()),
        Some((main, _)) => {
            let chisq = 2.0 * (full.loglik - main.loglik);
            let df = estimated(&full) - estimated(&main);
            let p = survlens_stats::dist::chisq_upper_tail(chisq, df as f64);
            cox::ChisqTest { chisq, df, p }
        }
    };
    if result.df == 0 {
        return Ok(untested(column, robust_test, 0));
    }
    Ok(InteractionTest {
        column: column.to_string(),
        test: untested(column, robust_test, 0).test,
        chisq: Some(result.chisq),
        df: result.df,
        p: Some(result.p),
    })
}

impl ModelRows {
    /// Appends the group × column columns 1{group = k, level = l} (k, l past the
    /// reference), named "group=k:column=l"; returns how many.
    fn push_interactions(&mut self, column: &str, codes: &[u32], names: &[String]) -> usize {
        let group = self
            .spec
            .group
            .as_ref()
            .map_or("group", |g| g.column.as_str())
            .to_string();
        let labels = self.cohort.group_labels.clone();
        for (k, g) in labels.iter().enumerate().skip(1) {
            for (l, name) in names.iter().enumerate().skip(1) {
                let x = self
                    .cohort
                    .group
                    .iter()
                    .zip(codes)
                    .map(|(&gi, &ci)| f64::from(u8::from(gi as usize == k && ci as usize == l)))
                    .collect();
                self.push(
                    format!("{group}={g}:{column}={name}"),
                    CovariateValues::Numeric(x),
                );
            }
        }
        (labels.len() - 1) * (names.len() - 1)
    }
}

/// The number of estimated (non-aliased) coefficients.
fn estimated(fit: &CoxFit) -> usize {
    fit.coef.iter().filter(|c| c.is_some()).count()
}
