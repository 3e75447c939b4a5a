//! Chinese versions of the plain-language readings the core writes in English into
//! the results (extensions of the contract): the proportional-hazards readings of
//! `cox.ph_test` and the immortal-time explanation of `immortal_time`. They are
//! rebuilt from the same structured numbers of the results document, with the rules
//! of `analysis::cox_ph` (term and global readings) and of the reading rule table
//! (`super::rules`, `super::immortal_reading`), so the page can switch language without
//! running the analysis again.

use super::immortal_reading;
use super::numbers::p_sentence;
use crate::analysis::cox_ph::{not_readable, UNRELIABLE_GLOBAL};
use crate::analysis::immortal::comparison::Comparison;
use crate::report_html::Lang;
use serde_json::{json, Value};

/// Significance level of the readings (as `analysis::cox_ph`).
const ALPHA: f64 = 0.05;

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn s(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// `{terms: [..], global}` in Chinese, or null without a PH test.
pub fn ph_readings_zh(report: &Value) -> Value {
    let ph = &report["cox"]["ph_test"];
    let Some(terms) = ph["terms"].as_array() else {
        return Value::Null;
    };
    let group = report["spec"]["group"]["column"].as_str();
    let labels: Vec<String> = report["groups"]
        .as_array()
        .map(|g| g.iter().map(|x| s(&x["label"])).collect())
        .unwrap_or_default();
    // The English reading made the call (it knows the fit's infinite-coefficient flags).
    let unreliable = ph["reading"].as_str() == Some(UNRELIABLE_GLOBAL)
        || not_readable(
            report["cox"]["converged"].as_bool().unwrap_or(true),
            f(&ph["global"]["chisq"]).unwrap_or(f64::NAN),
        );
    let rmst = report["rmst_difference"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    let texts: Vec<Value> = terms
        .iter()
        .map(|t| {
            let column = s(&t["name"]);
            if unreliable {
                return Value::String(format!(
                    "{column} 的比例风险假定检验无法解读：Cox 模型未收敛或某个系数可能为无穷大（请查看警告），其统计量不提供任何方向的证据。"
                ));
            }
            let reading = match f(&t["p"]) {
                None => format!("{column} 的比例风险假定检验无法计算。"),
                Some(p) if p >= ALPHA => {
                    format!("无证据表明 {column} 违反比例风险假定（{}）。", p_sentence(Some(p)))
                }
                Some(p) if group == Some(column.as_str()) && !labels.is_empty() => {
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
                Some(p) => format!(
                    "{column} 对风险的效应随随访时间而变化（{}）：其风险比只是平均值；请查看其残差图，或按其分层。",
                    p_sentence(Some(p))
                ),
            };
            Value::String(reading)
        })
        .collect();
    let global = match f(&ph["global"]["p"]) {
        _ if unreliable => "整体比例风险假定检验无法解读：Cox 模型未收敛或某个系数可能为无穷大（R 的 cox.zph 对此类模型会报错停止），不提供任何方向的证据；请简化模型（减少协变量、合并稀疏水平）并查看警告。".to_string(),
        None => "整体比例风险假定检验无法计算。".to_string(),
        Some(p) if p >= ALPHA => format!("整体上无证据表明违反比例风险假定（{}）。", p_sentence(Some(p))),
        Some(p) => format!(
            "整体上风险不成比例（{}）：请查看上方是哪些变量，并将其风险比理解为随访期间的平均值。",
            p_sentence(Some(p))
        ),
    };
    json!({ "terms": texts, "global": global })
}

/// The immortal-time explanation in Chinese (paragraphs) and the Chinese labels of its
/// rows, or nulls without a comparison block: the same rules as the English
/// (`super::immortal_reading`), on the block read back from the results.
pub fn immortal_zh(report: &Value) -> (Value, Vec<(String, String)>) {
    let Ok(cmp) = serde_json::from_value::<Comparison>(report["immortal_time"].clone()) else {
        return (Value::Null, Vec::new());
    };
    let labels = cmp
        .analyses
        .iter()
        .map(|a| {
            (
                a.label.clone(),
                immortal_reading::analysis_label(a, &cmp, Lang::Zh),
            )
        })
        .collect();
    let text = immortal_reading::explain(&cmp, Lang::Zh);
    (
        Value::Array(text.into_iter().map(Value::String).collect()),
        labels,
    )
}
