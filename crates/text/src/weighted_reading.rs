//! The reading of a weighted (propensity-score) hazard ratio, the `adjusted_hr` note,
//! by the reading rule table ([`super::rules`], rule 1), in both languages: the English
//! note is written when the analysis runs; the Chinese is rebuilt from the note's
//! context (`term`, `reference`, `hr`, `lower`, `upper`, `p`, and the unweighted
//! model's `crude_hr`, `crude_lower`, `crude_upper`, `crude_p`, `crude_adjusted_for`).

use super::rules::{effect_text, estimate_text, Estimate};
use super::Context;
use crate::i18n::Lang;
use serde_json::Value;

/// The unweighted Cox model's estimate of the same term and what that model is
/// adjusted for.
pub struct Crude<'a> {
    pub estimate: Estimate,
    pub adjusted_for: &'a [String],
}

/// The note: the weighted HR read by rule 1, then the unweighted model's HR named
/// with its adjustment.
pub fn adjusted_hr_text(
    level: &str,
    reference: &str,
    weighted: &Estimate,
    crude: Option<&Crude>,
    lang: Lang,
) -> String {
    let reading = effect_text(weighted, level, reference, lang);
    let mut out = match lang {
        Lang::En => format!(
            "After propensity-score weighting (weighted Cox model of the group, robust standard error): {reading}."
        ),
        Lang::Zh => format!("倾向评分加权后（仅含分组的加权 Cox 模型，稳健标准误）：{reading}。"),
    };
    if let Some(c) = crude {
        let est = estimate_text(&c.estimate, lang);
        let covs = c.adjusted_for;
        out.push_str(&match (lang, covs.is_empty()) {
            (Lang::En, true) => {
                format!(" Without weighting, the unadjusted Cox model gives {est}.")
            }
            (Lang::En, false) => format!(
                " Without weighting, the Cox model adjusted for {} gives {est}.",
                covs.join(", ")
            ),
            (Lang::Zh, true) => format!("未加权、未校正的 Cox 模型为 {est}。"),
            (Lang::Zh, false) => format!("未加权、校正 {} 的 Cox 模型为 {est}。", covs.join("、")),
        });
    }
    out
}

/// The note in `lang` from its context (`None` when the context lacks the estimate).
pub fn from_context(context: &Context, lang: Lang) -> Option<String> {
    let num = |k: &str| context.get(k).and_then(Value::as_f64);
    let text = |k: &str| context.get(k).and_then(Value::as_str);
    let weighted = Estimate {
        hr: Some(num("hr")?),
        lower: num("lower"),
        upper: num("upper"),
        p: num("p"),
        reliable: true,
    };
    let term = text("term")?;
    let level = term.split_once('=').map_or(term, |(_, l)| l);
    let covs: Vec<String> = context
        .get("crude_adjusted_for")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let crude = num("crude_hr").map(|hr| Crude {
        estimate: Estimate {
            hr: Some(hr),
            lower: num("crude_lower"),
            upper: num("crude_upper"),
            p: num("crude_p"),
            reliable: true,
        },
        adjusted_for: &covs,
    });
    Some(adjusted_hr_text(
        level,
        text("reference")?,
        &weighted,
        crude.as_ref(),
        lang,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(v: Value) -> Context {
        v.as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect()
    }

    /// The demo's "0.31" note: a benefit is stated only because the CI excludes 1; the
    /// unweighted model says what it is adjusted for; both languages.
    #[test]
    fn weighted_hr_is_read_by_the_rules() {
        let c = ctx(
            serde_json::json!({"term": "treatment=IM+HR", "reference": "IM", "hr": 0.31,
            "lower": 0.18, "upper": 0.53, "p": 2e-5, "crude_hr": 0.23, "crude_lower": 0.08,
            "crude_upper": 0.69, "crude_p": 0.0087, "crude_adjusted_for": ["age", "sex"]}),
        );
        let en = from_context(&c, Lang::En).expect("en");
        assert!(
            en.contains(
                "a lower hazard in IM+HR than in IM (HR 0.31, 95% CI 0.18 to 0.53, p < 0.001)"
            ),
            "{en}"
        );
        assert!(
            en.contains("the Cox model adjusted for age, sex gives HR 0.23"),
            "{en}"
        );
        let zh = from_context(&c, Lang::Zh).expect("zh");
        assert!(
            zh.contains("IM+HR 的风险低于 IM") && zh.contains("校正 age、sex"),
            "{zh}"
        );
        // The same weighted HR with a CI containing 1: no claim, never "no difference".
        let wide = ctx(
            serde_json::json!({"term": "treatment=IM+HR", "reference": "IM", "hr": 0.31,
            "lower": 0.08, "upper": 1.2, "p": 0.09}),
        );
        let en = from_context(&wide, Lang::En).expect("en");
        assert!(
            en.contains(
                "no evidence of a difference between IM+HR and IM (HR 0.31, 95% CI 0.08 to 1.20"
            ),
            "{en}"
        );
        assert!(
            !en.contains("lower hazard")
                && !en.contains("no difference")
                && !en.contains("Without weighting"),
            "{en}"
        );
        let zh = from_context(&wide, Lang::Zh).expect("zh");
        assert!(
            zh.contains("无证据表明") && !zh.contains("风险低于"),
            "{zh}"
        );
        // Unadjusted crude model.
        let plain = ctx(
            serde_json::json!({"term": "g=b", "reference": "a", "hr": 1.0, "lower": 0.7,
            "upper": 1.43, "p": 0.99, "crude_hr": 1.02, "crude_lower": 0.7, "crude_upper": 1.5}),
        );
        let en = from_context(&plain, Lang::En).expect("en");
        assert!(
            en.contains("the unadjusted Cox model gives HR 1.02"),
            "{en}"
        );
        assert!(from_context(&ctx(serde_json::json!({"term": "x"})), Lang::En).is_none());
    }
}
