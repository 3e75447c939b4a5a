//! The immortal-time explanation (`immortal_time.explanation` and its Chinese), written
//! from the comparison block by the reading rule table ([`super::rules`]): one function
//! for both languages, so the page's language switch shows the same reading.

use super::rules::{effect_text, model_label, verdict_text, Estimate, Model};
use crate::i18n::Lang;
use survlens_contract::immortal::{Analysis, Comparison, GroupHr};

/// The unit's word in `lang` ("" for a duration column without a unit).
fn unit_word(unit: Option<&str>, lang: Lang) -> &'static str {
    match (unit, lang) {
        (None, _) => "",
        (Some("days"), Lang::En) => "days",
        (Some("weeks"), Lang::En) => "weeks",
        (Some("years"), Lang::En) => "years",
        (Some(_), Lang::En) => "months",
        (Some("days"), Lang::Zh) => "天",
        (Some("weeks"), Lang::Zh) => "周",
        (Some("years"), Lang::Zh) => "年",
        (Some(_), Lang::Zh) => "个月",
    }
}

/// The label of one analysis row, saying whether and for what it is adjusted.
pub fn analysis_label(a: &Analysis, cmp: &Comparison, lang: Lang) -> String {
    let model = match (a.analysis.as_str(), a.landmark) {
        ("landmark", Some(l)) => Model::Landmark(l),
        ("time_dependent", _) => Model::TimeDependent,
        _ => Model::Naive,
    };
    model_label(
        model,
        &cmp.adjusted_for,
        unit_word(cmp.unit.as_deref(), lang),
        lang,
    )
}

fn estimate(t: Option<&GroupHr>) -> Estimate {
    t.map_or_else(Estimate::default, |t| Estimate {
        hr: t.hr,
        lower: t.lower,
        upper: t.upper,
        p: t.p,
        reliable: t.reliable,
    })
}

fn delays_paragraph(cmp: &Comparison, lang: Lang) -> String {
    let unit = unit_word(cmp.unit.as_deref(), lang);
    let delays: Vec<String> = cmp
        .treated
        .iter()
        .filter_map(|d| {
            let m = super::numbers::time(Some(d.median?));
            Some(match lang {
                Lang::En if unit.is_empty() => {
                    format!("{} a median of {m} after time zero", d.group)
                }
                Lang::En => format!("{} a median of {m} {unit} after time zero", d.group),
                Lang::Zh => format!("{}：中位 {m} {unit}", d.group),
            })
        })
        .collect();
    let reference = &cmp.reference;
    match lang {
        Lang::En => format!(
            "Local treatment began later than time zero ({}). Until then a treated patient had to survive to be \
             treated: in the naive comparison that waiting time counts as treated time (immortal time), and a \
             patient who died before treatment counts in {reference}. This can make the treatment look better \
             than it is; the time-dependent and landmark analyses do not count that time as treated.",
            delays.join("; ")
        ),
        Lang::Zh => format!(
            "局部治疗开始于时间零点之后（{}）。在此之前，患者必须存活才能接受治疗：简单比较把这段等待时间计为治疗时间（永恒时间），而在治疗前死亡的患者被计入 {reference} 组。这可能使治疗看起来比实际更有效；时依协变量分析和里程碑分析不把这段时间计为治疗时间。",
            delays.join("；")
        ),
    }
}

fn left_out_paragraph(cmp: &Comparison, lang: Lang) -> Option<String> {
    let n = cmp.left_out;
    if n == 0 {
        return None;
    }
    let used = cmp.n;
    Some(match lang {
        Lang::En => format!(
            "{n} patient(s) whose treatment time does not fit their group or follow-up were left out of this \
             comparison (see the warnings). The naive row here uses the same {used} patients as the landmark and \
             time-dependent rows, so it can differ from the Cox model of all patients."
        ),
        Lang::Zh => format!(
            "有 {n} 例患者的治疗时间与其分组或随访时间不符，已从本比较中排除（见警告）。此处的简单比较与里程碑分析、时依分析使用相同的 {used} 例患者，因此可能与全部患者的 Cox 模型结果不同。"
        ),
    })
}

/// The explanation's paragraphs in `lang`.
pub fn explain(cmp: &Comparison, lang: Lang) -> Vec<String> {
    let mut out = vec![delays_paragraph(cmp, lang)];
    out.extend(left_out_paragraph(cmp, lang));
    let naive = cmp.analyses.first();
    let td = cmp.analyses.iter().find(|a| a.analysis == "time_dependent");
    let reference = cmp.reference.as_str();
    for (j, d) in cmp.treated.iter().enumerate() {
        let sentences: Vec<String> = cmp
            .analyses
            .iter()
            .filter_map(|a| {
                let t = a.terms.get(j)?;
                let label = analysis_label(a, cmp, lang);
                let reading = effect_text(&estimate(Some(t)), &d.group, reference, lang);
                Some(match lang {
                    Lang::En => format!("{label}: {reading}."),
                    Lang::Zh => format!("{label}：{reading}。"),
                })
            })
            .collect();
        out.push(sentences.join(if lang == Lang::En { " " } else { "" }));
        if let (Some(n), Some(t)) = (naive, td) {
            let (ne, te) = (estimate(n.terms.get(j)), estimate(t.terms.get(j)));
            out.push(verdict_text(&ne, &te, &d.group, lang));
        }
    }
    out.push(match lang {
        Lang::En => "Report the time-dependent estimate (every patient counts in the reference group until local \
                     treatment) or a landmark estimate (patients alive at the landmark, grouped by the treatment \
                     received by then), not the naive one."
            .to_string(),
        Lang::Zh => "应报告时依协变量分析的估计（每例患者在接受局部治疗前均计入参照组）或里程碑分析的估计（里程碑时点存活的患者，按届时已接受的治疗分组），而不是简单比较的估计。".to_string(),
    });
    out
}
