//! The reading rule table, case by case, in both languages.

use super::*;

fn est(hr: f64, lower: f64, upper: f64, p: f64) -> Estimate {
    Estimate {
        hr: Some(hr),
        lower: Some(lower),
        upper: Some(upper),
        p: Some(p),
        reliable: true,
    }
}

/// (case, estimate, class, English must contain, Chinese must contain).
type EffectCase = (
    &'static str,
    Estimate,
    Effect,
    Vec<&'static str>,
    Vec<&'static str>,
);

fn effect_cases() -> Vec<EffectCase> {
    let unreliable = Estimate {
        hr: Some(3.1e-9),
        lower: Some(0.0),
        upper: None, // an infinite upper limit is null in the results
        p: Some(0.99),
        reliable: false,
    };
    vec![
        (
            "HR 1.00, p 0.99",
            est(1.0, 0.70, 1.43, 0.99),
            Effect::NoEvidence,
            vec![
                "no evidence of a difference between IM+HR and IM",
                "HR 1.00",
                "95% CI 0.70 to 1.43",
                "p = 0.99",
            ],
            vec![
                "无证据表明 IM+HR 与 IM 之间存在差异",
                "HR 1.00",
                "95% CI 0.70 至 1.43",
                "p = 0.99",
            ],
        ),
        (
            "HR 0.31, CI excluding 1",
            est(0.31, 0.20, 0.48, 2e-7),
            Effect::Lower,
            vec![
                "a lower hazard in IM+HR than in IM",
                "HR 0.31",
                "95% CI 0.20 to 0.48",
                "p < 0.001",
            ],
            vec!["IM+HR 的风险低于 IM", "HR 0.31", "95% CI 0.20 至 0.48"],
        ),
        (
            "HR 2.50, CI above 1",
            est(2.5, 1.2, 5.2, 0.014),
            Effect::Higher,
            vec![
                "a higher hazard in IM+HR than in IM",
                "HR 2.50",
                "p = 0.014",
            ],
            vec!["IM+HR 的风险高于 IM"],
        ),
        (
            "upper limit exactly 1",
            est(0.7, 0.49, 1.0, 0.05),
            Effect::NoEvidence,
            vec!["no evidence of a difference", "95% CI 0.49 to 1.00"],
            vec!["无证据表明"],
        ),
        (
            "upper limit just below 1 (prints 0.9996, not 1.00)",
            est(0.7, 0.49, 0.9996, 0.0498),
            Effect::Lower,
            vec!["a lower hazard", "95% CI 0.49 to 0.9996"],
            vec!["风险低于", "0.9996"],
        ),
        (
            "lower limit just above 1",
            est(1.43, 1.0004, 2.04, 0.0499),
            Effect::Higher,
            vec!["a higher hazard", "95% CI 1.0004 to 2.04"],
            vec!["风险高于", "1.0004"],
        ),
        (
            "null estimate",
            Estimate::default(),
            Effect::NotEstimable,
            vec!["cannot be read", "HR not estimable"],
            vec!["无法解读", "HR 无法估计"],
        ),
        (
            "infinite coefficient",
            unreliable,
            Effect::NotEstimable,
            vec!["cannot be read", "95% CI not estimable", "may be infinite"],
            vec!["无法解读", "无穷大"],
        ),
        (
            "estimate without its limits",
            Estimate {
                hr: Some(0.5),
                reliable: true,
                ..Default::default()
            },
            Effect::NotEstimable,
            vec!["cannot be read", "HR 0.50", "95% CI not estimable"],
            vec!["无法解读"],
        ),
    ]
}

#[test]
fn rule_1_classifies_and_words_each_estimate() {
    for (case, e, class, en_has, zh_has) in effect_cases() {
        assert_eq!(effect(&e), class, "{case}");
        let en = effect_text(&e, "IM+HR", "IM", Lang::En);
        let zh = effect_text(&e, "IM+HR", "IM", Lang::Zh);
        for w in en_has {
            assert!(en.contains(w), "{case}: {w:?} not in {en:?}");
        }
        for w in zh_has {
            assert!(zh.contains(w), "{case}: {w:?} not in {zh:?}");
        }
        // Never "no difference"; a benefit or harm only when the CI excludes 1.
        assert!(!en.contains("no difference"), "{case}: {en}");
        let claims = en.contains("lower hazard") || en.contains("higher hazard");
        assert_eq!(
            claims,
            matches!(class, Effect::Lower | Effect::Higher),
            "{case}: {en}"
        );
        let zh_claims = zh.contains("风险低于") || zh.contains("风险高于");
        assert_eq!(claims, zh_claims, "{case}: {zh}");
    }
}

/// (case, naive, time-dependent, verdict, English words, Chinese words).
#[test]
fn rule_2_gives_the_immortal_time_verdict() {
    let cases = [
        (
            "Stanford: a naive benefit gone once time-dependent",
            est(0.27, 0.17, 0.43, 1e-8),
            est(1.14, 0.70, 1.85, 0.6),
            Verdict::ExplainsPart,
            "explains at least part of the apparent benefit",
            "至少有一部分来自永恒时间",
        ),
        (
            "a naive benefit that shrinks but remains",
            est(0.40, 0.25, 0.64, 1e-4),
            est(0.60, 0.40, 0.90, 0.01),
            Verdict::ExplainsPart,
            "(from 0.40 to 0.60)",
            "由 0.40 变为 0.60",
        ),
        (
            "HR 1.00 p 0.99: nothing to explain",
            est(1.0, 0.70, 1.43, 0.99),
            est(1.05, 0.73, 1.50, 0.8),
            Verdict::NoApparentBenefit,
            "no apparent benefit",
            "无需用永恒时间来解释",
        ),
        (
            "borderline naive CI (upper = 1)",
            est(0.7, 0.49, 1.0, 0.05),
            est(0.9, 0.6, 1.3, 0.5),
            Verdict::NoApparentBenefit,
            "no apparent benefit",
            "未显示",
        ),
        (
            "little change (< 10%)",
            est(0.50, 0.30, 0.80, 0.004),
            est(0.53, 0.32, 0.86, 0.01),
            Verdict::ChangesLittle,
            "differ by less than 10%",
            "相差不到 10%",
        ),
        (
            "further from 1",
            est(0.50, 0.30, 0.80, 0.004),
            est(0.40, 0.22, 0.72, 0.002),
            Verdict::NotExplained,
            "does not explain the naive estimate",
            "不能用永恒时间解释",
        ),
        (
            "a naive harm",
            est(1.8, 1.2, 2.7, 0.004),
            est(2.2, 1.4, 3.4, 0.001),
            Verdict::NaiveHigher,
            "does not explain a higher hazard",
            "较高的风险",
        ),
        (
            "naive not estimable",
            Estimate::default(),
            est(1.0, 0.5, 2.0, 0.9),
            Verdict::NotComparable,
            "cannot be compared",
            "无法比较",
        ),
        (
            "time-dependent coefficient may be infinite",
            est(0.3, 0.2, 0.5, 1e-5),
            Estimate {
                reliable: false,
                ..est(1e-9, 1e-12, 1e3, 0.99)
            },
            Verdict::NotComparable,
            "cannot be compared",
            "无法比较",
        ),
    ];
    for (case, naive, free, verdict, en_has, zh_has) in cases {
        assert_eq!(immortal_verdict(&naive, &free), verdict, "{case}");
        let en = verdict_text(&naive, &free, "IM+HR", Lang::En);
        let zh = verdict_text(&naive, &free, "IM+HR", Lang::Zh);
        assert!(en.contains(en_has), "{case}: {en}");
        assert!(zh.contains(zh_has), "{case}: {zh}");
        // "Part of the apparent benefit is immortal time" only for a naive CI below 1
        // that moves materially towards 1.
        let says_part = en.contains("apparent benefit.");
        assert_eq!(says_part, verdict == Verdict::ExplainsPart, "{case}: {en}");
        assert!(!en.contains("no difference"), "{case}: {en}");
    }
}

/// Every combination of classes and shifts meets a row of the table (no reading falls
/// through to a default).
#[test]
fn rule_2_table_covers_every_combination() {
    use Effect::*;
    let effects = [NotEstimable, Lower, Higher, NoEvidence];
    for n in effects {
        for f in effects {
            let shifts: &[Option<Shift>] = if n == NotEstimable || f == NotEstimable {
                &[None]
            } else {
                &[
                    Some(Shift::TowardsOne),
                    Some(Shift::Little),
                    Some(Shift::AwayFromOne),
                ]
            };
            for &s in shifts {
                let hit = IMMORTAL_RULES.iter().any(|r| rule_matches(r, n, f, s));
                assert!(hit, "no rule for naive {n:?}, free {f:?}, shift {s:?}");
            }
        }
    }
    for (v, en, zh) in VERDICT_TEXT {
        assert!(!en.is_empty() && !zh.is_empty(), "{v:?}");
    }
    assert_eq!(EFFECT_TEXT.len(), 4);
}

#[test]
fn shift_is_measured_on_the_ratio_scale() {
    // 0.50 -> 0.549: ratio 1.098 < 1.1, little; 0.50 -> 0.551: towards 1.
    assert_eq!(shift(0.5, 0.549), Shift::Little);
    assert_eq!(shift(0.5, 0.551), Shift::TowardsOne);
    // Crossing 1 is still towards 1 from a benefit.
    assert_eq!(shift(0.5, 1.6), Shift::TowardsOne);
    assert_eq!(shift(0.5, 0.46), Shift::Little);
    assert_eq!(shift(0.5, 0.4), Shift::AwayFromOne);
}

#[test]
fn model_labels_say_adjusted_or_unadjusted() {
    let cov = vec!["age".to_string(), "sex".to_string()];
    assert_eq!(
        model_label(Model::Naive, &cov, "", Lang::En),
        "Naive Cox (group at time zero), adjusted for age, sex"
    );
    assert_eq!(
        model_label(Model::Naive, &[], "", Lang::En),
        "Naive Cox (group at time zero), unadjusted"
    );
    assert_eq!(
        model_label(Model::Landmark(6.0), &cov, "months", Lang::En),
        "Landmark at 6 months, Cox, adjusted for age, sex"
    );
    assert_eq!(
        model_label(Model::TimeDependent, &[], "", Lang::Zh),
        "时依协变量 Cox 模型（自治疗起计入治疗组），未校正"
    );
    assert_eq!(
        model_label(Model::Landmark(0.5), &cov, "个月", Lang::Zh),
        "0.5 个月里程碑分析 Cox 模型，校正 age、sex"
    );
}

#[test]
fn ratios_near_one_show_their_side_of_one() {
    let r = |x: f64| super::super::numbers::ratio(Some(x));
    assert_eq!(r(0.31), "0.31");
    assert_eq!(r(1.0), "1.00");
    assert_eq!(r(0.9996), "0.9996");
    assert_eq!(r(1.004), "1.004");
    assert_eq!(r(0.99999), "1.0000");
}
