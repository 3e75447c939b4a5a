//! Spec and results `emulation`: target-trial emulation by clone–censor–weight
//! (docs/results.md#emulation, docs/methods.md#target-trial-emulation).
//!
//! Every patient used is cloned into the strategy `treat` ("local treatment within
//! grace") and `control` ("no local treatment within grace"); a clone that deviates from
//! its strategy is artificially censored, and the censoring is undone by inverse
//! probability of censoring weights. "Treated" means the patient's group is not the
//! reference group and has a treatment time u: every non-reference group counts as local
//! treatment.

use crate::report::MissingCovariates;
use crate::spec::BootstrapSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Spec `emulation`: `{"grace": 6, "covariates": ["age", "ecog"], "times": [12, 36, 60],
/// "tau": 120, "bootstrap": {"replicates": 500, "seed": 1}}`. Needs `group` and
/// `treatment_time`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmulationSpec {
    /// The grace period G (time units of the spec), ≥ 0: the `treat` strategy is "local
    /// treatment at u ≤ G".
    pub grace: f64,
    /// Covariates of the artificial-censoring models (default: the spec's covariates;
    /// `[]`: none, the weights are then the Nelson–Aalen of censoring).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covariates: Option<Vec<String>>,
    /// Times at which both arms' survival and their difference are reported.
    #[serde(default)]
    pub times: Vec<f64>,
    /// Horizon of the RMST difference (treat − control); without it no RMST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tau: Option<f64>,
    /// Percentile bootstrap of patients (both clones of a patient together).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSpec>,
    /// The form of each clone's predicted probability of remaining uncensored Ŝc(t⁻ | x)
    /// from the Breslow censoring model (an extension): `exponential` (the default, the
    /// contract's definition) or `product_limit`.
    #[serde(default, skip_serializing_if = "CensoringSurvival::is_exponential")]
    pub censoring_survival: CensoringSurvival,
}

/// The form of the predicted probability of remaining uncensored, Ŝc(t⁻ | x), of a clone
/// with covariates x under the arm's censoring model (coefficients β̂, Breslow baseline
/// Λ₀ with jumps dΛ₀(s)); the weight is 1/Ŝc(t⁻ | x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CensoringSurvival {
    /// Ŝc(t⁻ | x) = exp(−Λ₀(t⁻)·exp(xβ̂)) (the Breslow/Aalen form; R's default
    /// `survfit(coxfit, newdata)`, `stype = 2, ctype = 1`). Biased upward in the `treat`
    /// arm when many clones are artificially censored at the single time `grace`
    /// (benches/RESULTS_emulation.md).
    #[default]
    Exponential,
    /// Ŝc(t⁻ | x) = Π_{s < t} (1 − dΛ₀(s)·exp(xβ̂)) (the product-limit form of the same
    /// model; R: `cumprod(1 - diff(c(0, basehaz(fit, centered = FALSE)$hazard)) *
    /// exp(x b))`; not `stype = 1`, which is Kalbfleisch–Prentice and equals it only
    /// without covariates). A clone whose factor 1 − dΛ₀(s)·exp(xβ̂) is ≤ 0 has
    /// probability 0 of remaining uncensored: its weight is undefined and it is left out
    /// of the risk sets after s (`emulation_censoring_probability_zero`).
    ProductLimit,
}

impl CensoringSurvival {
    pub fn is_exponential(&self) -> bool {
        *self == CensoringSurvival::Exponential
    }

    pub fn name(self) -> &'static str {
        match self {
            CensoringSurvival::Exponential => "exponential",
            CensoringSurvival::ProductLimit => "product_limit",
        }
    }
}

/// Results `emulation`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Emulation {
    pub grace: f64,
    /// Clones in the analysis: 2 × `n_patients`.
    pub n_clones: usize,
    /// Clones artificially censored (deviation from their strategy), per arm.
    pub artificially_censored: ArmCounts,
    /// The weighted Kaplan–Meier curve of each arm, `treat` first.
    pub curves: Vec<EmulationCurve>,
    /// Both arms' survival at each `times` entry and treat − control, with the bootstrap
    /// percentile CI of the difference (`null` without bootstrap).
    pub at_times: Vec<EmulationAtTime>,
    /// RMST of treat − control up to τ; `null` when the spec names no τ.
    pub rmst_difference: Option<EmulationRmst>,
    /// Patients used (an extension): rows of `data` whose treatment time fits and that
    /// have every censoring-model covariate.
    pub n_patients: usize,
    /// Deaths per arm counted by the weighted curves (clones not censored before their
    /// death; an extension).
    pub n_events: ArmCounts,
    /// Rows left out for a missing censoring-model covariate (an extension).
    pub missing_covariates: MissingCovariates,
    /// The reference group (no local treatment; an extension).
    pub reference: String,
    /// The covariate columns of the censoring models (an extension).
    pub covariates: Vec<String>,
    /// The artificial-censoring model of each arm (an extension).
    pub censoring_models: Vec<CensoringModel>,
    /// Summary of the interval weights 1/Ŝc(t⁻|x) of the clones at risk at each death
    /// time, per arm (an extension; `null` for an arm without deaths).
    pub weights: ArmWeights,
    /// The bootstrap that made the limits (an extension; `null` without bootstrap).
    pub bootstrap: Option<EmulationBootstrap>,
    /// The form of Ŝc(t⁻ | x) the weights used (an extension; the spec's
    /// `emulation.censoring_survival`).
    pub censoring_survival: CensoringSurvival,
    /// Clones followed beyond the time their product-limit probability of remaining
    /// uncensored reached 0, left out of the risk sets from then on, per arm (an
    /// extension; always 0 with `exponential`).
    pub left_out_zero_probability: ArmCounts,
}

/// A count per arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArmCounts {
    pub treat: usize,
    pub control: usize,
}

/// The strategy of a clone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Arm {
    /// Local treatment within the grace period.
    Treat,
    /// No local treatment within the grace period.
    Control,
}

impl Arm {
    pub const BOTH: [Arm; 2] = [Arm::Treat, Arm::Control];

    pub fn name(self) -> &'static str {
        match self {
            Arm::Treat => "treat",
            Arm::Control => "control",
        }
    }
}

/// One arm's weighted Kaplan–Meier curve: one entry per distinct time of the weighted
/// fit on the split data (death times and the clones' censoring times, as
/// `survfit(Surv(tstart, tstop, event) ~ arm, weights = w)` lists them).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EmulationCurve {
    pub arm: Arm,
    pub time: Vec<f64>,
    pub surv: Vec<f64>,
    /// Bootstrap pointwise percentile band of S(t) at `time` (an extension; `null`
    /// without bootstrap; an entry is `null` where fewer than half the replicates reach
    /// that time).
    pub lower: Option<Vec<Option<f64>>>,
    pub upper: Option<Vec<Option<f64>>>,
}

/// One entry of `at_times`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EmulationAtTime {
    pub time: f64,
    /// S(t) of each arm; `null` past that arm's last time.
    pub treat: Option<f64>,
    pub control: Option<f64>,
    /// treat − control; `null` when either is.
    pub difference: Option<f64>,
    /// Bootstrap percentile CI of the difference (`null` without bootstrap).
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// `true` when `time` is later than either curve's last time ("Nothing reported past
    /// follow-up").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub beyond_follow_up: bool,
}

/// `rmst_difference`: ∫₀^τ S_treat − ∫₀^τ S_control, curves extended flat to τ.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EmulationRmst {
    pub tau: f64,
    pub estimate: f64,
    /// Bootstrap percentile CI (`null` without bootstrap).
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Each arm's RMST (an extension).
    pub treat: f64,
    pub control: f64,
}

/// One arm's model of artificial censoring:
/// `coxph(Surv(time_c, artificially_censored) ~ covariates, ties = "breslow")`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CensoringModel {
    pub arm: Arm,
    /// `fitted`; `no_censoring` (no clone of the arm artificially censored: weights 1);
    /// `failed` (the model could not be fitted: weights 1, with a warning).
    pub status: CensoringModelStatus,
    /// Coefficients of the covariate terms (empty without covariates or a fit).
    pub terms: Vec<CensoringTerm>,
}

/// Status of a censoring model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CensoringModelStatus {
    Fitted,
    NoCensoring,
    Failed,
}

/// One term of a censoring model (named as `cox` terms).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CensoringTerm {
    pub name: String,
    pub coef: f64,
    pub se: Option<f64>,
}

/// Weight summaries per arm.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArmWeights {
    pub treat: Option<WeightSummary>,
    pub control: Option<WeightSummary>,
}

/// Distribution of the interval weights of the clones at risk at the death times.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WeightSummary {
    pub min: f64,
    pub median: f64,
    /// 99th percentile (R's `quantile(w, 0.99)`, type 7).
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

/// The bootstrap of the emulation.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EmulationBootstrap {
    pub replicates: usize,
    pub seed: u64,
    /// Confidence level of the percentile limits (0.95).
    pub conf_level: f64,
}

/// Weight above which `emulation_extreme_weights` is raised.
pub const EXTREME_WEIGHT: f64 = 10.0;

/// Checks of the spec's `emulation` section that its types cannot express.
pub fn validate(spec: &crate::Spec) -> Result<(), crate::SpecError> {
    use crate::SpecError;
    let Some(e) = &spec.emulation else {
        return Ok(());
    };
    if spec.treatment_time.is_none() {
        return Err(SpecError::invalid_zh(
            "emulation",
            "needs a treatment time: map \"treatment_time\" (the time from time zero to local treatment; empty = never treated locally)",
            "需要治疗时间：请映射“treatment_time”（从时间零点到局部治疗的时间；留空表示从未接受局部治疗）",
        ));
    }
    if spec.group.is_none() {
        return Err(SpecError::invalid_zh(
            "emulation",
            "needs the group column: the reference group is the one without local treatment",
            "需要分组列：参照组为未接受局部治疗的组",
        ));
    }
    if !(e.grace.is_finite() && e.grace >= 0.0) {
        return Err(SpecError::invalid_zh(
            "emulation.grace",
            format!(
                "{} is not a grace period; use a time ≥ 0 in the analysis unit (0: treated at time zero only)",
                e.grace
            ),
            format!(
                "{} 不是有效的宽限期；请使用以分析时间单位计的 ≥ 0 的时间（0 表示仅在时间零点治疗）",
                e.grace
            ),
        ));
    }
    if let Some(t) = e.times.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
        return Err(SpecError::invalid_zh(
            "emulation.times",
            format!("{t} is not a time; use times ≥ 0 in the analysis unit"),
            format!("{t} 不是有效的时间；请使用分析时间单位下 ≥ 0 的时间"),
        ));
    }
    if e.times.len() > crate::limits::MAX_KM_TIMES {
        return Err(SpecError::invalid_zh(
            "emulation.times",
            format!(
                "{} times is more than the {} allowed",
                e.times.len(),
                crate::limits::MAX_KM_TIMES
            ),
            format!(
                "{} 个时间超过了允许的 {} 个",
                e.times.len(),
                crate::limits::MAX_KM_TIMES
            ),
        ));
    }
    if let Some(tau) = e.tau {
        if !(tau.is_finite() && tau > 0.0) {
            return Err(SpecError::invalid_zh(
                "emulation.tau",
                format!("{tau} is not a horizon; use a positive time in the analysis unit"),
                format!("{tau} 不是有效的时间上限；请使用分析时间单位下的正数"),
            ));
        }
    }
    if let Some(b) = &e.bootstrap {
        if !(1..=crate::limits::MAX_BOOTSTRAP_REPLICATES).contains(&b.replicates) {
            return Err(SpecError::invalid_zh(
                "emulation.bootstrap.replicates",
                format!(
                    "{} replicates: use 1 to {} (500 to 1000 are usual)",
                    b.replicates,
                    crate::limits::MAX_BOOTSTRAP_REPLICATES
                ),
                format!(
                    "{} 次重抽样：请使用 1 至 {}（通常为 500 至 1000）",
                    b.replicates,
                    crate::limits::MAX_BOOTSTRAP_REPLICATES
                ),
            ));
        }
    }
    Ok(())
}

/// The censoring models' columns that are not yet among `all` join the cohort's
/// covariates (read like covariates; the emulation uses the rows complete for them).
pub fn add_columns(spec: &crate::Spec, all: &mut Vec<crate::mapping::CovariateMap>) {
    let Some(cols) = spec.emulation.as_ref().and_then(|e| e.covariates.as_ref()) else {
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
