//! Spec and results of `follow_up` (median follow-up by reverse Kaplan–Meier) and
//! `conditional` (survival given survival to s), docs/results.md#follow_up and
//! docs/results.md#conditional.

use crate::report::{AtTime, QuantileEstimate};
use crate::spec::SpecError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `follow_up`: `{}` (no options; the limits use the spec's `km` conf_type and level,
/// default log 0.95).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpSpec {}

/// `conditional`: `{"given": [12, 24], "times": [12, 36, 60]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionalSpec {
    /// The times s the patients are known to be alive at (≥ 0, no repeats, at most
    /// `MAX_LANDMARK_TIMES`; any order, reported ascending).
    pub given: Vec<f64>,
    /// Times since s at which S(s + t | alive at s) is read (≥ 0; shifted clock).
    #[serde(default)]
    pub times: Vec<f64>,
}

impl ConditionalSpec {
    /// `given` and `times` are finite, non-negative and few; `given` has no repeats.
    pub fn validate(&self) -> Result<(), SpecError> {
        if self.given.is_empty() {
            return Err(SpecError::invalid_zh(
                "conditional.given",
                "is empty; give the times since time zero at which patients are known to be alive, e.g. \"given\": [12, 24]",
                "为空；请给出已知患者仍存活的时间（自时间零点起），例如 \"given\": [12, 24]",
            ));
        }
        // Each given reruns every group's curve (as a landmark does): its own, smaller limit.
        for (field, values, limit) in [
            (
                "conditional.given",
                &self.given,
                crate::limits::MAX_LANDMARK_TIMES,
            ),
            (
                "conditional.times",
                &self.times,
                crate::limits::MAX_KM_TIMES,
            ),
        ] {
            if values.len() > limit {
                return Err(SpecError::invalid_zh(
                    field,
                    format!(
                        "{} times asked; at most {limit} are allowed (a few such as 12, 24 are usual)",
                        values.len(),
                    ),
                    format!("请求了 {} 个时间；最多允许 {limit} 个（通常为 12、24 等少数几个）", values.len()),
                ));
            }
            if let Some(t) = values.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
                return Err(SpecError::invalid_zh(
                    field,
                    format!("{t} is not a time; use finite numbers ≥ 0 in the analysis unit"),
                    format!("{t} 不是有效的时间；请使用分析时间单位下 ≥ 0 的有限数值"),
                ));
            }
        }
        let mut given = self.given.clone();
        given.sort_by(f64::total_cmp);
        if let Some(w) = given.windows(2).find(|w| w[0] == w[1]) {
            return Err(SpecError::invalid_zh(
                "conditional.given",
                format!("{} is given twice; list each time once", w[0]),
                format!("{} 出现了两次；每个时间只列一次", w[0]),
            ));
        }
        Ok(())
    }
}

/// One entry of results `follow_up`: the reverse Kaplan–Meier of one group ("all" first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FollowUpEntry {
    /// "all" (every patient), then each group in analysis order.
    pub group: String,
    /// Rows of the group.
    pub n: usize,
    /// Median follow-up with its limits (conf_type and level of `km`), as print.survfit
    /// on `survfit(Surv(time, status == 0) ~ group)`; `null` where not reached.
    pub median: QuantileEstimate,
    /// Quartiles of the follow-up, p = 0.25 and 0.75 (`quantile(fit, c(0.25, 0.75))`).
    pub quantiles: Vec<FollowUpQuantile>,
}

/// A quantile of the follow-up time (no limits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FollowUpQuantile {
    pub p: f64,
    /// `null` where the reverse curve does not reach 1 − p.
    pub estimate: Option<f64>,
}

/// One entry of results `conditional`: every group's survival given alive at `given`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionalResult {
    pub given: f64,
    /// One curve per group (analysis order), on the rows with time > given.
    pub curves: Vec<ConditionalCurve>,
}

/// The survival curve of one group since `given` (time shifted by −given):
/// `survfit(Surv(time − s, event) ~ group, subset = time > s)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionalCurve {
    pub group: String,
    /// Rows with time > given (0: nothing is estimated, every value null).
    pub n: usize,
    /// Events of interest among them.
    pub events: usize,
    /// The step curve on the shifted clock, every field as `km.curves[]` (empty arrays
    /// when `n` is 0): the times since `given` of the survfit above, `fit[k]$time`.
    pub time: Vec<f64>,
    /// `fit[k]$n.risk`: rows at risk at each time (weighted with case weights).
    pub n_risk: Vec<f64>,
    /// `fit[k]$n.event`.
    pub n_event: Vec<f64>,
    /// `fit[k]$n.censor`.
    pub n_censor: Vec<f64>,
    /// `fit[k]$surv`: S(given + time | alive at given).
    pub surv: Vec<f64>,
    /// Standard error of `surv` (Greenwood), `fit[k]$std.err * fit[k]$surv`.
    pub std_err: Vec<Option<f64>>,
    /// Pointwise limits of `surv` (`km`'s conf_type and level), `fit[k]$lower`, `$upper`.
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    /// Median survival since `given`, as `km.curves[].median`.
    pub median: QuantileEstimate,
    /// S(given + t | alive at given) at the spec's `times` (t on the shifted clock), as
    /// `km.curves[].at_times`.
    pub at_times: Vec<AtTime>,
}
