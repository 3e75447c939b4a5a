//! Spec and results `imputation`: multiple imputation of missing covariates by chained
//! equations (or imputed sets read from the file), every model refitted on each set and
//! pooled by Rubin's rules (docs/results.md#imputation).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Spec `imputation`: `{"m": 20, "iterations": 10, "seed": 1}` (SurvLens imputes), or
/// `{"imputed": ".imp"}` (the file stacks m imputed sets marked by that column, mice's
/// long format). The two forms exclude each other.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImputationSpec {
    /// Number of imputed sets (default 20); ≥ 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub m: Option<usize>,
    /// Cycles of the chained equations (default 10); ≥ 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// Seed of the random numbers (default 1): the same seed gives the same sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The column of the file that numbers the imputed sets (mice's `.imp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imputed: Option<String>,
}

impl ImputationSpec {
    pub const DEFAULT_M: usize = 20;
    pub const DEFAULT_ITERATIONS: usize = 10;
    pub const DEFAULT_SEED: u64 = 1;

    pub fn m_or_default(&self) -> usize {
        self.m.unwrap_or(Self::DEFAULT_M)
    }

    pub fn iterations_or_default(&self) -> usize {
        self.iterations.unwrap_or(Self::DEFAULT_ITERATIONS)
    }

    pub fn seed_or_default(&self) -> u64 {
        self.seed.unwrap_or(Self::DEFAULT_SEED)
    }
}

/// Checks of the spec's `imputation` section that its types cannot express.
pub fn validate(spec: &crate::Spec) -> Result<(), crate::SpecError> {
    use crate::SpecError;
    let Some(imp) = &spec.imputation else {
        return Ok(());
    };
    if imp.imputed.is_some() && (imp.m.is_some() || imp.iterations.is_some() || imp.seed.is_some())
    {
        return Err(SpecError::invalid_zh(
            "imputation",
            "names both a column of imputed sets (\"imputed\") and settings to impute (m, iterations, seed); keep one: the sets in the file, or SurvLens imputes",
            "同时给出了插补数据集编号列（“imputed”）和插补设置（m、iterations、seed）；请只保留一种：使用文件中的插补数据集，或由 SurvLens 插补",
        ));
    }
    if let Some(m) = imp.m {
        if m > crate::limits::MAX_IMPUTED_SETS {
            return Err(SpecError::invalid_zh(
                "imputation.m",
                format!(
                    "{m} sets is more than the {} allowed; 20 to 100 sets are usual",
                    crate::limits::MAX_IMPUTED_SETS
                ),
                format!(
                    "{m} 套插补数据超过允许的 {} 套；通常为 20 至 100 套",
                    crate::limits::MAX_IMPUTED_SETS
                ),
            ));
        }
        if m < 2 {
            return Err(SpecError::invalid_zh(
                "imputation.m",
                format!("{m} set cannot show the uncertainty of imputation; use at least 2 (20 is usual)"),
                format!("{m} 套插补数据无法体现插补的不确定性；请至少使用 2 套（通常为 20 套）"),
            ));
        }
    }
    if let Some(n) = imp
        .iterations
        .filter(|&n| n > crate::limits::MAX_IMPUTATION_ITERATIONS)
    {
        return Err(SpecError::invalid_zh(
            "imputation.iterations",
            format!(
                "{n} cycles is more than the {} allowed; 10 to 20 are usual",
                crate::limits::MAX_IMPUTATION_ITERATIONS
            ),
            format!(
                "{n} 轮迭代超过允许的 {} 轮；通常为 10 至 20 轮",
                crate::limits::MAX_IMPUTATION_ITERATIONS
            ),
        ));
    }
    if imp.iterations == Some(0) {
        return Err(SpecError::invalid_zh(
            "imputation.iterations",
            "is 0; use at least 1 cycle (10 is usual)",
            "为 0；请至少迭代 1 轮（通常为 10 轮）",
        ));
    }
    if let Some(column) = &imp.imputed {
        if column.trim().is_empty() {
            return Err(SpecError::invalid_zh(
                "imputation.imputed",
                "is empty; name the column that numbers the imputed sets, e.g. \".imp\"",
                "为空；请指定编号插补数据集的列，例如 \".imp\"",
            ));
        }
        let column = column.trim();
        let analysed = spec
            .all_covariates()
            .iter()
            .any(|c| c.column.trim() == column)
            || spec.event.column.trim() == column
            || spec
                .group
                .as_ref()
                .is_some_and(|g| g.column.trim() == column)
            || spec.strata.iter().any(|s| s.trim() == column);
        if analysed {
            return Err(SpecError::invalid_zh(
                "imputation.imputed",
                format!("names \"{column}\", a column the analysis also uses; the column of imputed set numbers only tells the sets apart (it is not a covariate, the event, the group or a stratum)"),
                format!("指定的是“{column}”，而分析也使用了该列；插补数据集编号列只用于区分各数据集（它不是协变量、事件、分组或分层变量）"),
            ));
        }
    }
    Ok(())
}

/// Results `imputation`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ImputationSection {
    /// Number of imputed sets analysed.
    pub m: usize,
    /// Cycles and seed of the chained equations (`null` with imported sets; an
    /// extension).
    pub iterations: Option<usize>,
    pub seed: Option<u64>,
    /// Per covariate column, the values SurvLens imputed (rows missing it); present
    /// only when SurvLens imputed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_imputed: Option<BTreeMap<String, usize>>,
    /// Rows of every set (an extension).
    pub n: usize,
    /// Pooled Cox model (terms as `cox.terms` plus Rubin's-rules quantities); `null`
    /// when the spec has no `cox` or no set could be fitted.
    pub cox: Option<PooledCox>,
    /// Pooled RMST differences (present when the spec has `rmst` and groups).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<PooledRmstDifference>>,
    /// The confounding step refitted within every set and pooled (present when the
    /// spec has `propensity` + `adjusted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<PooledAdjusted>,
    /// Observed and imputed values per imputed column, for the diagnostic figure (an
    /// extension; present only when SurvLens imputed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<ImputationDiagnostic>>,
}

/// Pooled Cox terms.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PooledCox {
    pub terms: Vec<PooledTerm>,
}

/// One term pooled by Rubin's rules, as `summary(mice::pool(fits), conf.int = TRUE)`:
/// coef = mean of the m estimates (log HR), se = √T with T = Ū + (1 + 1/m) B, df by
/// Barnard–Rubin with complete-data df = events − coefficients, CI and p from the t
/// distribution with that df.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PooledTerm {
    pub name: String,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub p: Option<f64>,
    /// Barnard–Rubin degrees of freedom of the pooled estimate.
    pub df: Option<f64>,
    /// The complete-data degrees of freedom the df is built on: events − coefficients
    /// of the first set's fit, as `mice::pool` for `coxph` (an extension).
    pub dfcom: Option<f64>,
    /// Fraction of missing information (mice's `fmi`).
    pub fmi: Option<f64>,
    /// Relative increase in variance (mice's `riv`).
    pub riv: Option<f64>,
    /// Within-, between- and total variance Ū, B, T (an extension).
    pub ubar: Option<f64>,
    pub b: Option<f64>,
    pub t: Option<f64>,
}

/// One pooled RMST difference a − b.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PooledRmstDifference {
    pub a: String,
    pub b: String,
    pub tau: f64,
    pub estimate: f64,
    pub se: f64,
    pub lower: f64,
    pub upper: f64,
    pub p: f64,
    /// Barnard–Rubin degrees of freedom.
    pub df: Option<f64>,
    /// The complete-data degrees of freedom: `null` = infinite (large sample), as
    /// `mice::pool.scalar(Q, U)` with its default `n = Inf`: an RMST difference is a
    /// normal-theory estimate with no residual df (an extension).
    pub dfcom: Option<f64>,
    pub fmi: Option<f64>,
    pub riv: Option<f64>,
}

/// The adjusted comparisons pooled over the sets.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PooledAdjusted {
    /// Pooled `adjusted.cox` terms (robust variance within each set).
    pub cox: Option<PooledCox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_difference: Option<Vec<PooledRmstDifference>>,
}

/// Observed vs imputed values of one column (numeric: the values; categorical: counts
/// per level).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ImputationDiagnostic {
    pub column: String,
    /// "numeric" or "categorical".
    pub kind: String,
    /// Numeric: the observed values (file order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<Vec<f64>>,
    /// Numeric: the imputed values, set by set (m arrays, rows missing the column in
    /// file order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imputed: Option<Vec<Vec<f64>>>,
    /// Categorical: levels, observed counts, imputed counts summed over the sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_counts: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imputed_counts: Option<Vec<usize>>,
}
