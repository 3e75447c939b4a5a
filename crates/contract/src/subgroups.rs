//! Spec and results `subgroups`: the group's hazard ratios within the levels of chosen
//! columns, and the test of the group × column interaction (docs/results.md#subgroups).

use crate::cox::CoxTerm;
use crate::report::MissingCovariates;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Spec `subgroups`: `{"columns": [{"column": "age", "cut": [60]}, {"column": "sex"}],
/// "adjust": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubgroupsSpec {
    /// The columns whose levels define the subgroups (never the group column).
    pub columns: Vec<SubgroupColumn>,
    /// `true`: the spec's covariates, minus the subgroup column, enter every model.
    #[serde(default)]
    pub adjust: bool,
}

/// One subgroup column: categorical (its levels), numeric without `cut` (one level per
/// value) or numeric with increasing cut points c1 < c2 … (levels "≤c1", "c1–c2", ">c2":
/// x ≤ c1, c1 < x ≤ c2, x > c2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubgroupColumn {
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut: Option<Vec<f64>>,
}

/// Results `subgroups` (and `adjusted.subgroups`, in the weighted population).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubgroupsSection {
    /// The overall row first, then one row per level of every column (spec order).
    pub rows: Vec<SubgroupRow>,
    /// One test per column (spec order).
    pub interaction: Vec<InteractionTest>,
    /// Per column, the rows left out of that column's rows (and its interaction test)
    /// because the column is missing there; columns missing nowhere are absent.
    pub missing_subgroup: BTreeMap<String, usize>,
    /// Rows of the data left out of the overall model for a missing covariate (with
    /// `adjust`; as `cox.missing_covariates`).
    pub missing_covariates: MissingCovariates,
}

/// One row of the forest: a level of a column, or the overall row (`column` null,
/// `level` "overall").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubgroupRow {
    pub column: Option<String>,
    pub level: String,
    /// Rows and events of the level's model.
    pub n: usize,
    pub events: usize,
    /// Per group (analysis order), its rows and events in the level.
    pub by_group: Vec<SubgroupCount>,
    /// The group terms of `coxph(Surv ~ group [+ covariates], subset = level)` (as
    /// `cox.terms`); `null` when a group has no event in the level (warning
    /// `subgroup_no_events`) or the model cannot be fitted.
    pub terms: Option<Vec<CoxTerm>>,
}

/// One group's rows and events within a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubgroupCount {
    pub group: String,
    pub n: usize,
    pub events: usize,
}

/// The group × column interaction test of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InteractionTest {
    pub column: String,
    /// `"lr"`: `anova(coxph(~ group + V + covs), coxph(~ group * V + covs))`;
    /// `"wald_robust"` (weights or cluster): the robust Wald test of the interaction
    /// coefficients of the second model.
    pub test: String,
    /// `null` when there is no estimable interaction coefficient (df 0) or no fit.
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

/// The spec's checks of `subgroups`: a group to compare, at least one column, no column
/// twice, never the group column itself (its levels would hold one group each), and
/// finite, strictly increasing cut points.
pub fn validate(spec: &crate::Spec) -> Result<(), crate::SpecError> {
    use crate::SpecError;
    let Some(sg) = &spec.subgroups else {
        return Ok(());
    };
    let Some(group) = &spec.group else {
        return Err(SpecError::invalid_zh(
            "subgroups",
            "compares the groups within subgroups; map the \"group\" column first",
            "亚组分析是在各亚组内比较各组；请先映射“group”分组列",
        ));
    };
    if sg.columns.is_empty() {
        return Err(SpecError::invalid_zh(
            "subgroups.columns",
            "is empty; name at least one column, e.g. [{\"column\": \"age\", \"cut\": [60]}]",
            "为空；请至少指定一列，例如 [{\"column\": \"age\", \"cut\": [60]}]",
        ));
    }
    for (i, c) in sg.columns.iter().enumerate() {
        let field = format!("subgroups.columns[{i}]");
        if c.column.trim() == group.column.trim() {
            return Err(SpecError::invalid_zh(
                &field,
                format!(
                    "\"{}\" is the group column: within each of its levels there is one group only, so no hazard ratio exists. Choose another column (age, sex, stage …)",
                    c.column
                ),
                format!(
                    "“{}”是分组列：其每个水平内只有一个组，无法计算风险比。请选择其他列（年龄、性别、分期等）",
                    c.column
                ),
            ));
        }
        if sg.columns[..i]
            .iter()
            .any(|d| d.column.trim() == c.column.trim())
        {
            return Err(SpecError::invalid_zh(
                &field,
                format!("\"{}\" is named twice; name each column once", c.column),
                format!("“{}”被指定了两次；每列只指定一次", c.column),
            ));
        }
        let cut = c.cut.as_deref().unwrap_or_default();
        if c.cut.as_ref().is_some_and(Vec::is_empty)
            || cut.iter().any(|v| !v.is_finite())
            || cut.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(SpecError::invalid_zh(
                &format!("{field}.cut"),
                "needs one or more finite cut points in increasing order, e.g. [60] or [50, 70]; leave \"cut\" out for one level per value",
                "需要一个或多个按递增顺序排列的有限分割点，例如 [60] 或 [50, 70]；若每个取值作为一个水平，请省略 \"cut\"",
            ));
        }
    }
    Ok(())
}

/// Adds the subgroup columns that are not yet read (`all`: the spec's covariates, then
/// the propensity model's) after them: a column with cut points is read as numbers, the
/// others as ingest detects them.
pub fn add_columns(spec: &crate::Spec, all: &mut Vec<crate::mapping::CovariateMap>) {
    let Some(sg) = &spec.subgroups else {
        return;
    };
    for c in &sg.columns {
        if !all.iter().any(|m| m.column == c.column) {
            all.push(crate::mapping::CovariateMap {
                column: c.column.clone(),
                kind: c
                    .cut
                    .as_ref()
                    .map(|_| crate::mapping::CovariateKind::Numeric),
                reference: None,
            });
        }
    }
}
