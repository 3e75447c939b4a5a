//! Spec and results `matching`: greedy nearest-neighbour propensity-score matching of
//! every non-reference group against the reference group, and the analyses of each
//! matched sample that respect its pairs (docs/results.md#matching).

use crate::adjusted::AdjustedCox;
use crate::report::{KmSection, MissingCovariates, RmstDifference};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Spec `matching`: `{"covariates": ["age", "sex"], "ratio": 1, "caliper": 0.2,
/// "replace": false, "order": "largest"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchingSpec {
    /// Columns of the logistic propensity model of each comparison (default: the
    /// spec's covariates); read like `propensity.covariates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covariates: Option<Vec<String>>,
    /// k controls per treated patient (1:k), k ≥ 1.
    #[serde(default = "default_ratio")]
    pub ratio: usize,
    /// Caliper in standard deviations of the linear score (logit of the PS) over the
    /// rows of the comparison; `null`: none. ≥ 0.
    #[serde(default)]
    pub caliper: Option<f64>,
    /// Matching with replacement: a control may serve several treated patients.
    #[serde(default)]
    pub replace: bool,
    /// The order in which treated patients choose their controls.
    #[serde(default)]
    pub order: MatchOrder,
}

fn default_ratio() -> usize {
    1
}

impl Default for MatchingSpec {
    fn default() -> Self {
        MatchingSpec {
            covariates: None,
            ratio: 1,
            caliper: None,
            replace: false,
            order: MatchOrder::Largest,
        }
    }
}

/// `matching.order` (MatchIt's `m.order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchOrder {
    /// Largest linear score first.
    #[default]
    Largest,
    /// Smallest linear score first.
    Smallest,
    /// File order.
    Data,
}

impl MatchOrder {
    pub fn name(self) -> &'static str {
        match self {
            MatchOrder::Largest => "largest",
            MatchOrder::Smallest => "smallest",
            MatchOrder::Data => "data",
        }
    }
}

/// Results `matching`: one comparison per non-reference group (group order), `a` that
/// group (the treated, `treat = 1`), `b` the reference group.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MatchedComparison {
    pub a: String,
    pub b: String,
    /// Rows of a and b in the propensity model (complete for its covariates), and
    /// their events (an extension).
    pub n: usize,
    pub n_events: usize,
    /// Rows of a and b left out for a missing matching covariate (an extension).
    pub missing_covariates: MissingCovariates,
    /// Caliper width on the linear-score scale: caliper × SD of the linear score over
    /// the model's rows; `null` without a caliper (an extension).
    pub caliper_width: Option<f64>,
    /// Rows with matching weight > 0, per arm.
    pub n_matched: ArmCounts,
    /// Rows with weight 0, per arm.
    pub n_unmatched: ArmCounts,
    /// Matched treated rows in file order (the rows of MatchIt's `match.matrix`): the
    /// file line of the treated patient and of its controls in the order chosen (round
    /// 1 first; with replacement by distance, ties in file order).
    pub pairs: Vec<MatchedSet>,
    /// SMD before (all model rows) and after (matched rows, matching weights) for
    /// every covariate and every level of a categorical covariate (design order).
    pub balance: Vec<MatchedBalance>,
    /// Kaplan–Meier of the matched rows, weighted by the matching weights.
    pub km: KmSection,
    /// `survdiff(Surv ~ group + strata(subclass))` on the matched rows (without
    /// replacement); with replacement the unstratified test. `null` without events.
    pub logrank: Option<MatchedLogRank>,
    /// `coxph(Surv ~ group, weights, robust = TRUE, cluster = subclass)` (with
    /// replacement: clustered by patient). `null` without events.
    pub cox: Option<AdjustedCox>,
    /// a − b of the matched curves' RMST at the `rmst` section's τ (an extension;
    /// present when the spec asks for `rmst`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<RmstDifference>>,
    /// Every model row's line, arm, linear score and matching weight (an extension:
    /// the propensity-score distributions of matched and unmatched patients).
    pub per_row: MatchedRows,
}

/// Rows of one comparison's arms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArmCounts {
    pub a: usize,
    pub b: usize,
}

/// One matched treated patient and its controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedSet {
    pub a_line: usize,
    pub b_lines: Vec<usize>,
}

/// Balance of one covariate term (a numeric column, or `column=level`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedBalance {
    pub term: String,
    pub smd_before: Option<f64>,
    pub smd_after: Option<f64>,
}

/// The matched log-rank test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedLogRank {
    pub chisq: f64,
    pub df: usize,
    pub p: f64,
    /// `true`: stratified by matched set (`strata(subclass)`); `false` with
    /// replacement (an extension).
    pub stratified: bool,
}

/// Per-row columns of one comparison, in model-row order (file order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedRows {
    pub line: Vec<usize>,
    /// `true` for a row of arm a (the treated).
    pub treated: Vec<bool>,
    /// Linear score: the logit of the propensity score.
    pub linear_score: Vec<f64>,
    /// Matching weight (0: unmatched).
    pub weight: Vec<f64>,
}

/// Checks of the spec's `matching` section that its types cannot express.
pub fn validate(spec: &crate::Spec) -> Result<(), crate::SpecError> {
    use crate::SpecError;
    let Some(m) = &spec.matching else {
        return Ok(());
    };
    if spec.group.is_none() {
        return Err(SpecError::invalid_zh(
            "matching",
            "matches patients of each group to the reference group; map the \"group\" column first",
            "匹配是将各组患者与参照组患者配对；请先映射“group”分组列",
        ));
    }
    if m.ratio == 0 {
        return Err(SpecError::invalid_zh(
            "matching.ratio",
            "is 0; use 1 for 1:1 matching, 2 for two controls per treated patient, …",
            "为 0；1:1 匹配请用 1，每例治疗患者配两例对照请用 2，依此类推",
        ));
    }
    if m.ratio > crate::limits::MAX_MATCHING_RATIO {
        return Err(SpecError::invalid_zh(
            "matching.ratio",
            format!(
                "{} controls per treated patient is more than the {} allowed; 1 to 4 are usual",
                m.ratio,
                crate::limits::MAX_MATCHING_RATIO
            ),
            format!(
                "每例治疗患者 {} 例对照，超过允许的 {} 例；通常为 1 至 4 例",
                m.ratio,
                crate::limits::MAX_MATCHING_RATIO
            ),
        ));
    }
    if let Some(c) = m.caliper {
        if !(c.is_finite() && c >= 0.0) {
            return Err(SpecError::invalid_zh(
                "matching.caliper",
                format!("{c} is not a caliper; use a width ≥ 0 in standard deviations of the logit of the propensity score, such as 0.2, or null for none"),
                format!("{c} 不是有效的卡钳值；请使用 ≥ 0 的宽度（以倾向性评分 logit 的标准差为单位，如 0.2），不设卡钳请用 null"),
            ));
        }
    }
    let covariates = m
        .covariates
        .as_ref()
        .map(|c| c.len())
        .unwrap_or(spec.covariates.len());
    if covariates == 0 {
        return Err(SpecError::invalid_zh(
            "matching.covariates",
            "is empty: the propensity score needs covariates; name them here or in \"covariates\"",
            "为空：倾向性评分需要协变量；请在此处或“covariates”中列出",
        ));
    }
    Ok(())
}

/// The matching model's columns that are not yet among `all` join the cohort's
/// covariates (read like covariates; each comparison uses the rows complete for its own
/// columns).
pub fn add_columns(spec: &crate::Spec, all: &mut Vec<crate::mapping::CovariateMap>) {
    let Some(cols) = spec.matching.as_ref().and_then(|m| m.covariates.as_ref()) else {
        return;
    };
    for c in cols {
        if !all.iter().any(|m| m.column.trim() == c.trim()) {
            all.push(crate::mapping::CovariateMap {
                column: c.clone(),
                kind: None,
                reference: None,
            });
        }
    }
}
