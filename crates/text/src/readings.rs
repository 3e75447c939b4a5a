//! Chinese versions of the plain-language readings the core writes in English into
//! the results (extensions of the contract): the proportional-hazards readings of
//! `cox.ph_test` and the immortal-time explanation of `immortal_time`. They follow the
//! verdicts the analysis decided (`PhVerdict` on each test, decided by `crate::ph_reading::verdict`; the
//! comparison block's `reliable` flags, read by the reading rule table `super::rules`
//! and `super::immortal_reading`), so the page can switch language without running the
//! analysis again.

use super::immortal_reading;
use crate::i18n::Lang;
use crate::numbers::p_sentence;
use survlens_contract::cox::{PhTest, PhVerdict};
use survlens_contract::immortal::Comparison;

/// The proportional-hazards readings in Chinese: one per term, and the global one.
#[derive(Debug, Clone, PartialEq)]
pub struct PhReadingsZh {
    pub terms: Vec<String>,
    pub global: String,
}

/// The readings of `ph` in Chinese. `labels`: the report's group labels, reference
/// first; `rmst`: whether the report has an RMST comparison to point to.
pub fn ph_readings_zh(ph: &PhTest, labels: &[&str], rmst: bool) -> PhReadingsZh {
    const UNREADABLE: &str = "Cox 模型未收敛或某个系数可能为无穷大";
    const SINGULAR: &str = "该检验的信息矩阵在数值上奇异，统计量为负值或不是数值（R 的 cox.zph 在此报错 \
                            “system is exactly singular”或“computationally singular”，或给出同样无法使用的值）。这是检验本身的数值局限，\
                            并非 Cox 模型的问题（模型已收敛），不提供任何方向的证据";
    let terms = ph
        .terms
        .iter()
        .map(|t| {
            let column = &t.name;
            match t.verdict {
                PhVerdict::NotReadable => format!(
                    "{column} 的比例风险假定检验无法解读：{UNREADABLE}（请查看警告），其统计量不提供任何方向的证据。"
                ),
                PhVerdict::Singular => format!("{column} 的比例风险假定检验无法解读：{SINGULAR}。"),
                PhVerdict::NotComputed => format!("{column} 的比例风险假定检验无法计算。"),
                PhVerdict::NoEvidence { p } => {
                    format!("无证据表明 {column} 违反比例风险假定（{}）。", p_sentence(Some(p)))
                }
                PhVerdict::NotProportional { p, group: true } if !labels.is_empty() => {
                    let next = if rmst {
                        "请参阅 RMST 比较"
                    } else {
                        "请改为比较 Kaplan–Meier 曲线或限制平均生存时间（RMST）"
                    };
                    format!(
                        "{} 与 {} 的风险不成比例（{}）：风险比是随随访时间变化之效应的平均值；{next}。",
                        labels[1..].join("、"),
                        labels[0],
                        p_sentence(Some(p))
                    )
                }
                PhVerdict::NotProportional { p, .. } => format!(
                    "{column} 对风险的效应随随访时间而变化（{}）：其风险比只是平均值；请查看其残差图，或按其分层。",
                    p_sentence(Some(p))
                ),
            }
        })
        .collect();
    let global = match ph.verdict {
        PhVerdict::NotReadable => format!("整体比例风险假定检验无法解读：{UNREADABLE}，检验是在并非模型最大值的估计处进行的（R 的 cox.zph 对此类模型仍会给出数值，或因奇异系统报错停止），不提供任何方向的证据；请简化模型（减少协变量、合并稀疏水平）并查看警告。"),
        PhVerdict::Singular => format!("整体比例风险假定检验无法解读：{SINGULAR}；请参阅各变量的单项检验，并考虑去掉在风险集中几乎不变的协变量。"),
        PhVerdict::NotComputed => "整体比例风险假定检验无法计算。".to_string(),
        PhVerdict::NoEvidence { p } => format!("整体上无证据表明违反比例风险假定（{}）。", p_sentence(Some(p))),
        PhVerdict::NotProportional { p, .. } => format!(
            "整体上风险不成比例（{}）：请查看上方是哪些变量，并将其风险比理解为随访期间的平均值。",
            p_sentence(Some(p))
        ),
    };
    PhReadingsZh { terms, global }
}

/// The immortal-time explanation in Chinese (paragraphs) and the Chinese labels of its
/// rows (`(english, chinese)`): the same rules as the English
/// (`super::immortal_reading`).
pub fn immortal_zh(cmp: &Comparison) -> (Vec<String>, Vec<(String, String)>) {
    let labels = cmp
        .analyses
        .iter()
        .map(|a| {
            (
                a.label.clone(),
                immortal_reading::analysis_label(a, cmp, Lang::Zh),
            )
        })
        .collect();
    (immortal_reading::explain(cmp, Lang::Zh), labels)
}
