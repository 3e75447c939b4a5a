//! The reading rule table: every sentence SurvLens writes that interprets a hazard
//! ratio (the immortal-time explanation, the weighted hazard-ratio notes) is chosen by
//! these rules, in English and Simplified Chinese, and always gives the estimate with
//! its 95% CI (and p where known). A benefit or a harm is never stated unless the CI
//! excludes 1; "no difference" is never written.
//!
//! # 1. What one estimate shows ([`effect`], data: [`EFFECT_TEXT`])
//!
//! | condition (the first that holds) | class | reading |
//! |---|---|---|
//! | HR or a limit missing, not finite or ≤ 0; the model did not converge; the coefficient may be infinite | `NotEstimable` | "… cannot be read (HR not estimable)" |
//! | upper limit < 1 | `Lower` | "a lower hazard in A than in B (HR, 95% CI, p)" |
//! | lower limit > 1 | `Higher` | "a higher hazard in A than in B (HR, 95% CI, p)" |
//! | otherwise: the CI contains 1 (a limit equal to 1 included) | `NoEvidence` | "no evidence of a difference between A and B (HR, 95% CI, p)" |
//!
//! A limit printed as 1.00 that is not exactly 1 is printed with more decimals (up to
//! 4) so that the reader sees on which side of 1 it lies.
//!
//! # 2. Immortal time: the naive estimate against the immortal-time-free one
//! ([`immortal_verdict`], data: [`IMMORTAL_RULES`], [`VERDICT_TEXT`])
//!
//! The immortal-time-free estimate is the time-dependent Cox model's. Its shift from the
//! naive estimate is *towards 1* when ln HR moves from ln HR_naive in the direction of 0
//! (it may cross 1), *away from 1* in the other direction; it is *material* when the two
//! hazard ratios differ by a factor of at least [`MATERIAL_RATIO`] (10%).
//!
//! | naive | immortal-time-free | shift | verdict |
//! |---|---|---|---|
//! | `NotEstimable` | any | any | `NotComparable`: no reading of the change |
//! | any | `NotEstimable` | any | `NotComparable` |
//! | `Lower` | any | towards 1, material | `ExplainsPart`: "immortal time explains at least part of the apparent benefit" |
//! | `Lower` | any | not material | `ChangesLittle`: "changes the estimate little" |
//! | `Lower` | any | away from 1, material | `NotExplained`: "immortal time does not explain the naive estimate" |
//! | `Higher` | any | any | `NaiveHigher`: immortal time cannot explain a higher hazard |
//! | `NoEvidence` | any | any | `NoApparentBenefit`: no apparent benefit to explain |
//!
//! Each treated group's reading is: the naive estimate's sentence (rule 1), the
//! immortal-time-free estimate's sentence (rule 1), then the verdict (rule 2). Every
//! estimate is named by its model, adjusted or not ([`model_label`]).
//!
//! # 3. Where the rules are applied
//!
//! | sentence | where | rules |
//! |---|---|---|
//! | `immortal_time.explanation` | `super::immortal_reading` | 1 and 2 |
//! | `adjusted.notes` code `adjusted_hr` | `super::weighted_reading` | 1; the unweighted model named with its adjustment |
//! | `sensitivity.notes` code `evalue` | `analysis::notes::evalue_notes` | "explain away" only when the CI excludes 1, else "no evidence of an association" |
//! | `cox.ph_test` readings | `analysis::cox_ph` | not about the HR: "no evidence that … violates" for p ≥ 0.05 |

use crate::i18n::{fill, Lang};
use crate::numbers::{interval, p_sentence, ratio};
use survlens_stats::math::ln;

/// Two hazard ratios differing by less than this factor are "little" changed.
pub const MATERIAL_RATIO: f64 = 1.1;

/// One hazard ratio as the readings see it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Estimate {
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub p: Option<f64>,
    /// False when the model did not converge or the coefficient may be infinite.
    pub reliable: bool,
}

/// What one estimate shows (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    NotEstimable,
    Lower,
    Higher,
    NoEvidence,
}

/// How the immortal-time-free estimate moved from the naive one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    TowardsOne,
    Little,
    AwayFromOne,
}

/// The immortal-time verdict (rule 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    NotComparable,
    ExplainsPart,
    ChangesLittle,
    NotExplained,
    NaiveHigher,
    NoApparentBenefit,
}

/// Rule 1 as data: the class and its sentence (`{a}`, `{b}`: the groups; `{est}`: the
/// estimate with CI and p), English then Chinese.
pub static EFFECT_TEXT: &[(Effect, &str, &str)] = &[
    (
        Effect::NotEstimable,
        "the hazard ratio of {a} against {b} cannot be read ({est})",
        "{a} 相对于 {b} 的风险比无法解读（{est}）",
    ),
    (
        Effect::Lower,
        "a lower hazard in {a} than in {b} ({est})",
        "{a} 的风险低于 {b}（{est}）",
    ),
    (
        Effect::Higher,
        "a higher hazard in {a} than in {b} ({est})",
        "{a} 的风险高于 {b}（{est}）",
    ),
    (
        Effect::NoEvidence,
        "no evidence of a difference between {a} and {b} ({est}; the CI includes 1)",
        "无证据表明 {a} 与 {b} 之间存在差异（{est}；CI 包含 1）",
    ),
];

/// One row of rule 2: (naive, immortal-time-free, shift) → verdict; `None` matches any.
pub type ImmortalRule = (Option<Effect>, Option<Effect>, Option<Shift>, Verdict);

/// Rule 2 as data; the first matching row wins.
pub static IMMORTAL_RULES: &[ImmortalRule] = &[
    (
        Some(Effect::NotEstimable),
        None,
        None,
        Verdict::NotComparable,
    ),
    (
        None,
        Some(Effect::NotEstimable),
        None,
        Verdict::NotComparable,
    ),
    (
        Some(Effect::Lower),
        None,
        Some(Shift::TowardsOne),
        Verdict::ExplainsPart,
    ),
    (
        Some(Effect::Lower),
        None,
        Some(Shift::Little),
        Verdict::ChangesLittle,
    ),
    (
        Some(Effect::Lower),
        None,
        Some(Shift::AwayFromOne),
        Verdict::NotExplained,
    ),
    (Some(Effect::Higher), None, None, Verdict::NaiveHigher),
    (
        Some(Effect::NoEvidence),
        None,
        None,
        Verdict::NoApparentBenefit,
    ),
];

/// The verdicts' sentences (`{a}`: the treated group; `{naive}`, `{free}`: the two
/// hazard ratios), English then Chinese.
pub static VERDICT_TEXT: &[(Verdict, &str, &str)] = &[
    (
        Verdict::NotComparable,
        "The naive and time-dependent estimates of {a} cannot be compared, because one of them cannot be read.",
        "{a} 的简单比较估计与时依分析估计无法比较，因为其中之一无法解读。",
    ),
    (
        Verdict::ExplainsPart,
        "Counting the time before treatment correctly moves the hazard ratio of {a} towards 1 (from {naive} to {free}): immortal time explains at least part of the apparent benefit.",
        "正确计入治疗前的时间后，{a} 的风险比向 1 移动（由 {naive} 变为 {free}）：表面上的获益至少有一部分来自永恒时间。",
    ),
    (
        Verdict::ChangesLittle,
        "The naive and time-dependent hazard ratios of {a} differ by less than 10% ({naive} and {free}): with these treatment delays immortal time changes the estimate little.",
        "{a} 的简单比较与时依分析风险比相差不到 10%（{naive} 与 {free}）：在这样的治疗延迟下，永恒时间对估计影响很小。",
    ),
    (
        Verdict::NotExplained,
        "The time-dependent hazard ratio of {a} is further from 1 than the naive one ({free} against {naive}): immortal time does not explain the naive estimate.",
        "{a} 的时依分析风险比比简单比较风险比更远离 1（{free} 对 {naive}）：简单比较的估计不能用永恒时间解释。",
    ),
    (
        Verdict::NaiveHigher,
        "Immortal time can only make {a} look better, so it does not explain a higher hazard in {a}.",
        "永恒时间只会使 {a} 显得更好，因此不能解释 {a} 较高的风险。",
    ),
    (
        Verdict::NoApparentBenefit,
        "The naive comparison shows no apparent benefit of {a}, so there is none for immortal time to explain.",
        "简单比较未显示 {a} 有表面上的获益，因此无需用永恒时间来解释。",
    ),
];

/// Rule 1.
pub fn effect(e: &Estimate) -> Effect {
    let positive = |v: Option<f64>| v.filter(|x| x.is_finite() && *x > 0.0);
    match (positive(e.hr), positive(e.lower), positive(e.upper)) {
        (Some(_), Some(l), Some(u)) if e.reliable => {
            if u < 1.0 {
                Effect::Lower
            } else if l > 1.0 {
                Effect::Higher
            } else {
                Effect::NoEvidence
            }
        }
        _ => Effect::NotEstimable,
    }
}

/// The shift of `free` from `naive` (both finite and positive).
pub fn shift(naive: f64, free: f64) -> Shift {
    let step = ln(free) - ln(naive);
    if step.abs() < ln(MATERIAL_RATIO) {
        return Shift::Little;
    }
    // Towards 1: the step has the opposite sign of ln HR_naive (towards ln 1 = 0).
    if step * ln(naive) < 0.0 {
        Shift::TowardsOne
    } else {
        Shift::AwayFromOne
    }
}

/// Rule 2.
pub fn immortal_verdict(naive: &Estimate, free: &Estimate) -> Verdict {
    let (n, f) = (effect(naive), effect(free));
    let s = match (naive.hr, free.hr) {
        (Some(a), Some(b)) if n != Effect::NotEstimable && f != Effect::NotEstimable => {
            Some(shift(a, b))
        }
        _ => None,
    };
    IMMORTAL_RULES
        .iter()
        .find(|r| rule_matches(r, n, f, s))
        .map_or(Verdict::NotComparable, |r| r.3)
}

/// Whether a row of [`IMMORTAL_RULES`] applies (`None` in the row matches anything).
pub fn rule_matches(
    rule: &ImmortalRule,
    naive: Effect,
    free: Effect,
    shift: Option<Shift>,
) -> bool {
    rule.0.is_none_or(|x| x == naive)
        && rule.1.is_none_or(|x| x == free)
        && rule.2.is_none_or(|x| Some(x) == shift)
}

fn pick<K: PartialEq + Copy>(
    table: &[(K, &'static str, &'static str)],
    k: K,
    lang: Lang,
) -> &'static str {
    table.iter().find(|r| r.0 == k).map_or("", |r| match lang {
        Lang::En => r.1,
        Lang::Zh => r.2,
    })
}

/// "HR 0.31, 95% CI 0.20 to 0.48, p < 0.001" (the parts that exist).
pub fn estimate_text(e: &Estimate, lang: Lang) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "，",
    };
    let Some(hr) = e.hr.filter(|h| h.is_finite()) else {
        return match lang {
            Lang::En => "HR not estimable".to_string(),
            Lang::Zh => "HR 无法估计".to_string(),
        };
    };
    let mut parts = vec![format!("HR {}", ratio(Some(hr)))];
    match (
        e.lower.filter(|v| v.is_finite()),
        e.upper.filter(|v| v.is_finite()),
    ) {
        (Some(l), Some(u)) => parts.push(format!(
            "95% CI {}",
            interval(&ratio(Some(l)), &ratio(Some(u)), lang)
        )),
        _ => parts.push(match lang {
            Lang::En => "95% CI not estimable".to_string(),
            Lang::Zh => "95% CI 无法估计".to_string(),
        }),
    }
    if let Some(p) = e.p.filter(|p| p.is_finite()) {
        parts.push(p_sentence(Some(p)));
    }
    if !e.reliable {
        parts.push(match lang {
            Lang::En => "the model did not converge or the coefficient may be infinite".to_string(),
            Lang::Zh => "模型未收敛或系数可能为无穷大".to_string(),
        });
    }
    parts.join(sep)
}

/// Rule 1's sentence for `a` against `b` (no capital, no final stop).
pub fn effect_text(e: &Estimate, a: &str, b: &str, lang: Lang) -> String {
    fill(
        pick(EFFECT_TEXT, effect(e), lang),
        &[("a", a), ("b", b), ("est", &estimate_text(e, lang))],
    )
}

/// Rule 2's sentence for treated group `a`.
pub fn verdict_text(naive: &Estimate, free: &Estimate, a: &str, lang: Lang) -> String {
    let hr = |e: &Estimate| ratio(e.hr);
    fill(
        pick(VERDICT_TEXT, immortal_verdict(naive, free), lang),
        &[("a", a), ("naive", &hr(naive)), ("free", &hr(free))],
    )
}

/// The kinds of model an estimate comes from, for [`model_label`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// Cox on the group at time zero (open to immortal-time bias).
    Naive,
    /// Cox at a landmark (time in the analysis unit).
    Landmark(f64),
    /// Cox with the group as a time-dependent covariate.
    TimeDependent,
}

/// The name of an estimate's model, saying whether and for what it is adjusted:
/// "Naive Cox (group at time zero), adjusted for age, sex" / "…, unadjusted".
/// `unit`: the time unit's word in `lang` ("" when unknown).
pub fn model_label(model: Model, adjusted_for: &[String], unit: &str, lang: Lang) -> String {
    let num = |l: f64| format!("{l}");
    let base = match (model, lang) {
        (Model::Naive, Lang::En) => "Naive Cox (group at time zero)".to_string(),
        (Model::Naive, Lang::Zh) => "简单比较 Cox 模型（按时间零点的分组）".to_string(),
        (Model::Landmark(l), Lang::En) if unit.is_empty() => format!("Landmark at {}, Cox", num(l)),
        (Model::Landmark(l), Lang::En) => format!("Landmark at {} {unit}, Cox", num(l)),
        (Model::Landmark(l), Lang::Zh) => format!("{} {unit}里程碑分析 Cox 模型", num(l)),
        (Model::TimeDependent, Lang::En) => {
            "Time-dependent Cox (group from treatment on)".to_string()
        }
        (Model::TimeDependent, Lang::Zh) => "时依协变量 Cox 模型（自治疗起计入治疗组）".to_string(),
    };
    let adjustment = match (adjusted_for.is_empty(), lang) {
        (true, Lang::En) => ", unadjusted".to_string(),
        (true, Lang::Zh) => "，未校正".to_string(),
        (false, Lang::En) => format!(", adjusted for {}", adjusted_for.join(", ")),
        (false, Lang::Zh) => format!("，校正 {}", adjusted_for.join("、")),
    };
    base + &adjustment
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
