//! Chinese versions of the plain-language readings the core writes in English into
//! the results (extensions of the contract): the proportional-hazards readings of
//! `cox.ph_test` and the immortal-time explanation of `immortal_time`. They are
//! rebuilt from the same structured numbers of the results document, with the rules
//! of `analysis::cox_ph` (term and global readings) and `analysis::immortal::comparison`
//! (`explain`), so the page can switch language without running the analysis again.

use crate::analysis::cox_ph::{not_readable, p_text, UNRELIABLE_GLOBAL};
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
                    format!("无证据表明 {column} 违反比例风险假定（{}）。", p_text(p))
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
                        p_text(p)
                    )
                }
                Some(p) => format!(
                    "{column} 对风险的效应随随访时间而变化（{}）：其风险比只是平均值；请查看其残差图，或按其分层。",
                    p_text(p)
                ),
            };
            Value::String(reading)
        })
        .collect();
    let global = match f(&ph["global"]["p"]) {
        _ if unreliable => "整体比例风险假定检验无法解读：Cox 模型未收敛或某个系数可能为无穷大（R 的 cox.zph 对此类模型会报错停止），不提供任何方向的证据；请简化模型（减少协变量、合并稀疏水平）并查看警告。".to_string(),
        None => "整体比例风险假定检验无法计算。".to_string(),
        Some(p) if p >= ALPHA => format!("整体上无证据表明违反比例风险假定（{}）。", p_text(p)),
        Some(p) => format!(
            "整体上风险不成比例（{}）：请查看上方是哪些变量，并将其风险比理解为随访期间的平均值。",
            p_text(p)
        ),
    };
    json!({ "terms": texts, "global": global })
}

fn hr_text(t: &Value) -> String {
    match (f(&t["hr"]), f(&t["lower"]), f(&t["upper"])) {
        (Some(h), Some(l), Some(u)) => format!("HR {h:.2}（95% CI {l:.2}–{u:.2}）"),
        (Some(h), _, _) => format!("HR {h:.2}"),
        _ => "无法估计".to_string(),
    }
}

fn significant(t: &Value) -> bool {
    matches!((f(&t["lower"]), f(&t["upper"])), (Some(l), Some(u)) if u < 1.0 || l > 1.0)
}

/// The immortal-time explanation in Chinese (paragraphs), or null without one.
pub fn immortal_explanation_zh(report: &Value) -> Value {
    let cmp = &report["immortal_time"];
    let (Some(treated), Some(analyses)) = (cmp["treated"].as_array(), cmp["analyses"].as_array())
    else {
        return Value::Null;
    };
    let reference = s(&cmp["reference"]);
    let unit = match report["spec"]["time"]["unit"].as_str() {
        Some("days") => "天",
        Some("weeks") => "周",
        Some("years") => "年",
        Some(_) => "个月",
        None => "",
    };
    let delays: Vec<String> = treated
        .iter()
        .filter_map(|d| {
            Some(format!(
                "{}：中位 {:.1} {unit}",
                s(&d["group"]),
                f(&d["median"])?
            ))
        })
        .collect();
    let mut out = vec![format!(
        "局部治疗开始于时间零点之后（{}）。在此之前，患者必须存活才能接受治疗：简单比较把这段等待时间计为治疗时间（永恒时间），而在治疗前死亡的患者被计入 {reference} 组。这会使治疗看起来比实际更有效。",
        delays.join("；")
    )];
    let naive = analyses.first();
    let td = analyses.iter().find(|a| a["analysis"] == "time_dependent");
    for (j, d) in treated.iter().enumerate() {
        let group = s(&d["group"]);
        let parts: Vec<String> = analyses
            .iter()
            .filter_map(|a| {
                let t = a["terms"].get(j)?;
                let name = match (a["analysis"].as_str(), f(&a["landmark"])) {
                    (Some("landmark"), Some(l)) => format!("{l} {unit}里程碑分析"),
                    (Some("time_dependent"), _) => "时依协变量分析".to_string(),
                    _ => "简单比较".to_string(),
                };
                Some(format!("{name}：{}", hr_text(t)))
            })
            .collect();
        out.push(format!("{group} vs {reference} — {}。", parts.join("；")));
        let nh = naive
            .and_then(|a| a["terms"].get(j))
            .and_then(|t| f(&t["hr"]));
        let tdt = td.and_then(|a| a["terms"].get(j));
        if let (Some(nh), Some(t)) = (nh, tdt) {
            if let Some(th) = f(&t["hr"]) {
                out.push(if (nh / th - 1.0).abs() < 0.05 {
                    format!("{group} 的简单比较与时依分析风险比接近（{nh:.2} 与 {th:.2}）：在这样的治疗延迟下，永恒时间对估计影响很小。")
                } else if nh < th {
                    format!("{group} 的简单比较风险比（{nh:.2}）低于时依分析风险比（{th:.2}）：表面上的获益有一部分来自永恒时间。")
                } else {
                    format!("{group} 的时依分析风险比（{th:.2}）不高于简单比较风险比（{nh:.2}）：此处的差异不能用永恒时间解释。")
                });
                let naive_sig = naive
                    .and_then(|a| a["terms"].get(j))
                    .is_some_and(significant);
                if naive_sig && !significant(t) {
                    out.push(format!("正确计入治疗前的时间后，{group} 与 {reference} 之间的差异不再具有统计学意义（其 95% CI 包含 1）。"));
                }
            }
        }
    }
    out.push("应报告时依协变量分析的估计（每例患者在接受局部治疗前均计入参照组）或里程碑分析的估计（里程碑时点存活的患者，按届时已接受的治疗分组），而不是简单比较的估计。".to_string());
    Value::Array(out.into_iter().map(Value::String).collect())
}
