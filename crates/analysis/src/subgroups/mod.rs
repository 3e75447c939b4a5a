//! The `subgroups` section (and `adjusted.subgroups`): the group's hazard ratios within
//! the levels of chosen columns, and the group × column interaction test
//! (docs/methods.md#subgroups).
//!
//! Rows: the overall row (the data's rows, complete for the spec's covariates with
//! `adjust`), then for every column its levels ([`levels`]), each over the rows of that
//! level complete for the covariates minus the column. A row missing the column is left
//! out of that column's rows only (`missing_subgroup` counts them). A level in which a
//! group has no event (or no row) has `terms` null and a warning `subgroup_no_events`.
//! Variance: robust when the spec asks (`cox.robust`) or there are weights or a
//! cluster; the interaction test is then the robust Wald test, else the LR test.
//!
//! # Cost
//! Per column: one Cox model per level (their rows partition the column's rows) and the
//! two models of the interaction test on the column's rows, each O(n log n) for its
//! time order and O(n·p²) per Newton iteration: O(C·(n log n + n·p²·iterations)) for C
//! columns, linear in n (R fits the same models, so the gap is the per-model constant).
//!
//! # R equivalent
//! `coxph(Surv(time, status) ~ g [+ covs - V], data, subset = V == level, ties,
//! weights, robust)`; `anova(coxph(~ g + V + covs), coxph(~ g * V + covs))` on the
//! rows with V (and covs); robust: `b <- coef(fit)[ix]; b %*% solve(vcov(fit)[ix, ix], b)`.

pub(crate) mod levels;
mod models;

use crate::error::Error;
use crate::report::Skip;
use crate::spec::{Spec, SpecError, TiesName};
use models::{Fitting, ModelRows};
use std::collections::BTreeMap;
use survlens_contract::subgroups::{
    InteractionTest, SubgroupColumn, SubgroupRow, SubgroupsSection, SubgroupsSpec,
};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::cox::Ties;

/// The subgroups section on `cohort` (the data's rows, or the propensity model's rows
/// with their weights for `adjusted.subgroups`); `section` names it in warnings.
pub fn subgroups_section(
    cohort: &Cohort,
    spec: &Spec,
    sg: &SubgroupsSpec,
    section: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Skip<SubgroupsSection>, Error> {
    if cohort.group_labels.len() < 2 {
        warnings.push(survlens_text::warning(WarningCode::SubgroupNeedsGroups));
        return Ok(Skip::Null);
    }
    let cox = spec.cox.as_ref();
    let fitting = Fitting {
        spec,
        ties: match cox.map(|c| c.ties).unwrap_or_default() {
            TiesName::Efron => Ties::Efron,
            TiesName::Breslow => Ties::Breslow,
        },
        robust: cox.is_some_and(|c| c.robust) || weighted(cohort),
    };
    let covariates: Vec<&str> = if sg.adjust {
        spec.covariates.iter().map(|c| c.column.as_str()).collect()
    } else {
        Vec::new()
    };
    let missing = crate::complete_cases::complete_cases(cohort, &covariates, &spec.covariates);
    let mut out = SubgroupsSection {
        rows: Vec::new(),
        interaction: Vec::new(),
        missing_subgroup: BTreeMap::new(),
        missing_covariates: missing.missing,
    };
    let ctx = Context {
        cohort,
        fitting: &fitting,
        section,
    };
    let all = complete_rows(cohort, &covariates, |_| true);
    out.rows
        .push(ctx.row(&all, None, "overall", &covariates, warnings));
    for (i, c) in sg.columns.iter().enumerate() {
        let lv = column_levels(cohort, i, c)?;
        if lv.n_missing() > 0 {
            out.missing_subgroup
                .insert(c.column.clone(), lv.n_missing());
        }
        let others: Vec<&str> = covariates
            .iter()
            .copied()
            .filter(|&v| v != c.column)
            .collect();
        let test = ctx.column(&c.column, &lv, &others, &mut out.rows, warnings);
        out.interaction.push(test);
    }
    Ok(Skip::Value(out))
}

/// The levels of the `i`-th subgroup column `c`: a spec error for cut points on
/// categories, a limit error for too many levels.
fn column_levels(cohort: &Cohort, i: usize, c: &SubgroupColumn) -> Result<levels::Levels, Error> {
    let cov = cohort
        .covariates
        .iter()
        .find(|v| v.column == c.column)
        .ok_or_else(|| Error::Internal(format!("subgroup column {} not read", c.column)))?;
    let lv = levels::levels(cov, c.cut.as_deref()).map_err(|(en, zh)| {
        SpecError::invalid_zh(&format!("subgroups.columns[{i}].cut"), en, zh)
    })?;
    let limit = survlens_contract::limits::MAX_SUBGROUP_LEVELS;
    if lv.labels.len() > limit {
        return Err(crate::limits::too_many(
            &c.column,
            lv.labels.len(),
            limit,
            "subgroup analysis (give cut points for a numeric column)",
        ));
    }
    Ok(lv)
}

/// Weights or a cluster: robust variance and the robust Wald interaction test.
fn weighted(cohort: &Cohort) -> bool {
    cohort.weight.is_some() || cohort.cluster.is_some()
}

/// The rows of `cohort` that `keep` and that have every covariate named `covariates`.
fn complete_rows(cohort: &Cohort, covariates: &[&str], keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let model: Vec<&survlens_ingest::Covariate> = cohort
        .covariates
        .iter()
        .filter(|c| covariates.contains(&c.column.as_str()))
        .collect();
    (0..cohort.time.len())
        .filter(|&r| keep(r) && model.iter().all(|c| !c.is_missing(r)))
        .collect()
}

/// What every row of one section shares.
struct Context<'a> {
    cohort: &'a Cohort,
    fitting: &'a Fitting<'a>,
    section: &'a str,
}

impl Context<'_> {
    /// The rows of one column's levels (pushed to `out`) and its interaction test, on
    /// the rows with the column and the covariates `others`.
    fn column(
        &self,
        column: &str,
        lv: &levels::Levels,
        others: &[&str],
        out: &mut Vec<SubgroupRow>,
        warnings: &mut Vec<Warning>,
    ) -> InteractionTest {
        let rows = complete_rows(self.cohort, others, |r| lv.of_row[r].is_some());
        for (l, label) in lv.labels.iter().enumerate() {
            let in_level: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| lv.of_row[r] == Some(l))
                .collect();
            out.push(self.row(&in_level, Some(column), label, others, warnings));
        }
        let level: Vec<usize> = rows.iter().filter_map(|&r| lv.of_row[r]).collect();
        let model = ModelRows::new(self.cohort, &rows, others, self.fitting.spec);
        let robust_test = weighted(self.cohort);
        models::interaction(model, &level, &lv.labels, column, self.fitting, robust_test)
            .unwrap_or_else(|reason| {
                warnings.push(self.failed(column, None, &reason));
                models::untested(column, robust_test, 0)
            })
    }

    /// One row: counts per group, and the group terms unless a group has no event.
    fn row(
        &self,
        rows: &[usize],
        column: Option<&str>,
        level: &str,
        covariates: &[&str],
        warnings: &mut Vec<Warning>,
    ) -> SubgroupRow {
        let model = ModelRows::new(self.cohort, rows, covariates, self.fitting.spec);
        let by_group = model.counts();
        let without: Vec<&str> = by_group
            .iter()
            .filter(|g| g.events == 0)
            .map(|g| g.group.as_str())
            .collect();
        let terms = if without.is_empty() {
            model
                .group_terms(self.fitting)
                .map_err(|reason| {
                    warnings.push(self.failed(column.unwrap_or("overall"), Some(level), &reason))
                })
                .ok()
        } else {
            let mut context = vec![
                ("section", self.section.into()),
                ("level", level.into()),
                ("groups", without.clone().into()),
            ];
            if let Some(c) = column {
                context.push(("column", c.into()));
            }
            warnings.push(survlens_text::warning_with(
                WarningCode::SubgroupNoEvents,
                context,
            ));
            None
        };
        SubgroupRow {
            column: column.map(str::to_string),
            level: level.to_string(),
            n: by_group.iter().map(|g| g.n).sum(),
            events: by_group.iter().map(|g| g.events).sum(),
            by_group,
            terms,
        }
    }

    /// The warning of a model that could not be fitted (`level` `None`: the interaction).
    fn failed(&self, column: &str, level: Option<&str>, reason: &str) -> Warning {
        let mut context = vec![
            ("section", self.section.into()),
            ("column", column.into()),
            ("reason", reason.into()),
        ];
        if let Some(l) = level {
            context.push(("level", l.into()));
        }
        survlens_text::warning_with(WarningCode::SubgroupModelFailed, context)
    }
}
