//! The results paragraph: the numbers of the Report in sentences.

use super::html::{count, num, p_text, ratio};
use super::i18n::{fill, join_list, Texts};
use super::tables::{arr, f, s};
use serde_json::Value;

/// Sentences of plain text (escaped when rendered).
///
/// Hazard ratios: the group terms (`<group column>=<level>`) only, or every term when
/// there is no group.
pub fn results(report: &Value, unit: &str, group_column: Option<&str>, t: &Texts) -> Vec<String> {
    let mut out = Vec::new();
    let d = &report["data"];
    out.push(fill(
        t.r_cohort,
        &[
            ("rows", &s(&d["n_rows"])),
            ("used", &s(&d["n_used"])),
            ("events", &s(&d["n_events"])),
        ],
    ));
    if let Some(reasons) = d["excluded_by_reason"].as_object() {
        let total: f64 = reasons.values().filter_map(Value::as_f64).sum();
        if total > 0.0 {
            let parts: Vec<String> = reasons
                .iter()
                .map(|(k, v)| format!("{}: {}", super::i18n::reason_name(k, t), s(v)))
                .collect();
            out.push(fill(
                t.r_excluded,
                &[("n", &count(total)), ("reasons", &parts.join(", "))],
            ));
        }
    }
    km_sentences(report, unit, t, &mut out);
    super::model_rows::sentences(report, t, &mut out);
    let lr = &report["logrank"];
    if !lr.is_null() {
        out.push(fill(
            t.r_logrank,
            &[
                ("chisq", &num(f(&lr["chisq"]), 2)),
                ("df", &s(&lr["df"])),
                ("p", &p_text(f(&lr["p"]))),
            ],
        ));
    } else if report.get("logrank").is_some() {
        out.push(t.r_no_events.to_string());
    }
    rmst_sentences(
        arr(&report["rmst_difference"]),
        t.r_rmst_diff,
        unit,
        &mut out,
    );
    rmst_sentences(
        arr(&report["adjusted"]["rmst_difference"]),
        t.r_rmst_diff_adjusted,
        unit,
        &mut out,
    );
    let prefix = group_column.map(|g| format!("{g}="));
    let adjustment = super::i18n::adjustment(report, t);
    hr_sentences(
        arr(&report["cox"]["terms"]),
        (prefix.as_deref(), &adjustment),
        t.r_hr,
        &mut out,
    );
    hr_sentences(
        arr(&report["adjusted"]["cox"]["terms"]),
        (prefix.as_deref(), ""),
        t.r_hr_adjusted,
        &mut out,
    );
    for e in arr(&report["sensitivity"]["evalues"]) {
        out.push(fill(
            t.r_evalue,
            &[
                ("evalue", &ratio(f(&e["evalue"]))),
                ("evalue_ci", &ratio(f(&e["evalue_ci"]))),
                ("term", &s(&e["name"])),
                ("source", &super::i18n::source_name(&s(&e["source"]), t)),
            ],
        ));
    }
    out
}

fn rmst_sentences(diffs: &[Value], template: &str, unit: &str, out: &mut Vec<String>) {
    for x in diffs {
        out.push(fill(
            template,
            &[
                ("tau", &num(f(&x["tau"]), 0)),
                ("unit", unit),
                ("a", &s(&x["a"])),
                ("b", &s(&x["b"])),
                ("estimate", &num(f(&x["estimate"]), 2)),
                ("lower", &num(f(&x["lower"]), 2)),
                ("upper", &num(f(&x["upper"]), 2)),
                ("p", &p_text(f(&x["p"]))),
            ],
        ));
    }
}

fn km_sentences(report: &Value, unit: &str, t: &Texts, out: &mut Vec<String>) {
    let curves = arr(&report["km"]["curves"]);
    if curves.is_empty() {
        return;
    }
    let level = num(f(&report["km"]["conf_level"]).map(|x| x * 100.0), 0);
    let limit = |x: Option<f64>| x.map_or_else(|| t.not_reached.to_string(), |v| num(Some(v), 1));
    let medians: Vec<String> = curves
        .iter()
        .map(|c| {
            let m = &c["median"];
            let group = s(&c["group"]);
            match f(&m["estimate"]) {
                Some(v) => fill(
                    t.r_median,
                    &[
                        ("median", &num(Some(v), 1)),
                        ("unit", unit),
                        ("lower", &limit(f(&m["lower"]))),
                        ("upper", &limit(f(&m["upper"]))),
                        ("level", &level),
                        ("group", &group),
                    ],
                ),
                None => fill(t.r_median_nr, &[("group", &group)]),
            }
        })
        .collect();
    out.push(fill(
        t.r_medians,
        &[("list", &capitalize(&join_list(&medians, t)))],
    ));
    let n_times = curves.first().map_or(0, |c| arr(&c["at_times"]).len());
    for j in 0..n_times {
        let time = curves.first().and_then(|c| f(&c["at_times"][j]["time"]));
        let values: Vec<String> = curves
            .iter()
            .map(|c| {
                let a = &c["at_times"][j];
                if a["beyond_follow_up"] == true {
                    return fill(t.r_at_time_beyond, &[("group", &s(&c["group"]))]);
                }
                let pct = |k: &str| crate::messages::numbers::percent(f(&a[k]));
                fill(
                    t.r_at_time_value,
                    &[
                        ("surv", &pct("surv")),
                        ("lower", &pct("lower")),
                        ("upper", &pct("upper")),
                        ("level", &level),
                        ("group", &s(&c["group"])),
                    ],
                )
            })
            .collect();
        out.push(fill(
            t.r_at_time,
            &[
                ("time", &num(time, 0)),
                ("unit", unit),
                ("values", &join_list(&values, t)),
            ],
        ));
    }
}

/// One sentence per group term (`prefix`: the group column's `column=`; `adjustment`:
/// what the model is adjusted for, in words, for templates that name it).
fn hr_sentences(
    terms: &[Value],
    (prefix, adjustment): (Option<&str>, &str),
    template: &str,
    out: &mut Vec<String>,
) {
    let wanted =
        |x: &&Value| !x["hr"].is_null() && prefix.is_none_or(|p| s(&x["name"]).starts_with(p));
    for x in terms.iter().filter(wanted) {
        out.push(fill(
            template,
            &[
                ("term", &s(&x["name"])),
                ("hr", &ratio(f(&x["hr"]))),
                ("lower", &ratio(f(&x["lower"]))),
                ("upper", &ratio(f(&x["upper"]))),
                ("p", &p_text(f(&x["p"]))),
                ("adjustment", adjustment),
            ],
        ));
    }
}

/// The first letter in upper case (a no-op for scripts without case).
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
