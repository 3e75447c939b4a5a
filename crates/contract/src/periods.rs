//! Results `cox.periods` and `cox.periods_test`: the group's hazard ratios within periods
//! of follow-up (a step-function time-varying effect), and the test against one constant
//! effect (docs/results.md#coxperiods).

use crate::cox::CoxTerm;
use crate::spec::SpecError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One period (from, to] of follow-up and the group terms within it.
///
/// # R equivalent
/// `s <- survSplit(Surv(time, event) ~ ., data, cut = periods, episode = "tgroup")`;
/// `coxph(Surv(tstart, time, event) ~ group:strata(tgroup) + covariates, s)` with the
/// reference as the group factor's last level: the coefficients
/// `"<k>:strata(tgroup)tgroup=<j>"` of every non-reference level k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoxPeriod {
    pub from: f64,
    /// `null` for the last period (open to the end of follow-up).
    pub to: Option<f64>,
    /// The group terms as `cox.terms` (named `"<group column>=<level>"`); every number
    /// `null` for a period where a group has no rows (as R's `NA`).
    pub terms: Vec<CoxTerm>,
}

/// The test of one constant group effect against the period-specific effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PeriodsTest {
    #[serde(deserialize_with = "crate::cox::null_as_nan")]
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    /// Extension: `"lr"`, the likelihood-ratio test `anova(coxph(~ group + covariates),
    /// coxph(~ group:strata(tgroup) + covariates))` on the split rows; `"wald_robust"`
    /// with a robust variance (`robust` or a cluster, where R's `anova` refuses): the
    /// Wald test of β(k, j) − β(k, last) = 0 for every group k and earlier period j with
    /// the robust variance.
    pub test: String,
}

/// The cut points of `cox.periods`: finite, > 0 and strictly increasing.
pub fn validate_cuts(cuts: &[f64]) -> Result<(), SpecError> {
    let field = "cox.periods";
    if let Some(t) = cuts.iter().find(|t| !(t.is_finite() && **t > 0.0)) {
        return Err(SpecError::invalid_zh(
            field,
            format!("{t} is not a cut point; use times greater than 0 (e.g. [12, 60])"),
            format!("{t} 不是有效的分割点；请使用大于 0 的时间（例如 [12, 60]）"),
        ));
    }
    if let Some(w) = cuts.windows(2).find(|w| w[1] <= w[0]) {
        return Err(SpecError::invalid_zh(
            field,
            format!(
                "the cut points must increase ({} then {}); list each once, smallest first (e.g. [12, 60])",
                w[0], w[1]
            ),
            format!("分割点必须递增（{} 之后是 {}）；每个只列一次，从小到大（例如 [12, 60]）", w[0], w[1]),
        ));
    }
    if cuts.len() > crate::limits::MAX_KM_TIMES {
        return Err(SpecError::invalid_zh(
            field,
            format!(
                "{} cut points; at most {} are allowed (two or three are usual)",
                cuts.len(),
                crate::limits::MAX_KM_TIMES
            ),
            format!(
                "{} 个分割点；最多允许 {} 个（通常为两三个）",
                cuts.len(),
                crate::limits::MAX_KM_TIMES
            ),
        ));
    }
    Ok(())
}
