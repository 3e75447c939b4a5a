//! The report's tables, read from the results document (docs/results.md) as JSON
//! values, so a section added to the contract needs only one more builder in [`TABLES`].

use super::html::{ci, count, num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, Texts};
use super::tables_confounding as confounding;
use super::tables_more as more;
use serde_json::Value;

/// A builder: the tables of one section (none when the section is absent).
pub type TableFn = fn(&Value, &Texts) -> Vec<Table>;

/// Every table of the report, in page order. Add a section's builder here.
pub const TABLES: &[TableFn] = &[
    data_tables,
    table1_table,
    km_tables,
    logrank_tables,
    rmst_tables,
    cox_tables,
    more::cox_univariable_table,
    more::ps_model_table,
    confounding::propensity_tables,
    more::adjusted_km_tables,
    confounding::adjusted_tables,
    more::bootstrap_tables,
    confounding::sensitivity_table,
    more::landmark_tables,
    more::time_dependent_tables,
    more::immortal_comparison_table,
];

pub(crate) fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

pub(crate) fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

pub(crate) fn level_header(t: &Texts, level: Option<f64>) -> String {
    let pct = num(Some(level.unwrap_or(0.95) * 100.0), 0);
    fill(t.c_ci, &[("level", &pct)])
}

fn data_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let mut groups = Table::new("groups", t.t_groups, &[t.c_group, t.c_n, t.c_events]);
    for g in arr(&r["groups"]) {
        let label = s(&g["label"]);
        let label = if label == "all" && arr(&r["groups"]).len() == 1 {
            t.all_patients.to_string()
        } else {
            label
        };
        groups.row(vec![label, s(&g["n"]), s(&g["events"])]);
    }
    let mut out = vec![groups];
    if let Some(reasons) = r["data"]["excluded_by_reason"].as_object() {
        if !reasons.is_empty() {
            let mut ex = Table::new("exclusions", t.t_exclusions, &[t.c_reason, t.c_n]);
            for (k, v) in reasons {
                ex.row(vec![super::i18n::reason_name(k, t), s(v)]);
            }
            out.push(ex);
        }
    }
    out
}

fn table1_table(r: &Value, t: &Texts) -> Vec<Table> {
    let t1 = &r["table1"];
    if t1.is_null() {
        return vec![];
    }
    let groups: Vec<String> = arr(&t1["groups"])
        .iter()
        .map(|g| format!("{} (n = {})", s(&g["label"]), s(&g["n"])))
        .collect();
    let mut headers: Vec<&str> = vec![t.c_covariate];
    headers.extend(groups.iter().map(String::as_str));
    headers.extend([t.c_overall, t.c_p, "SMD"]);
    let mut tab = Table::new("table1", t.t_table1, &headers);
    for row in arr(&t1["rows"]) {
        let smd = num(f(&row["max_abs_smd"]), 2);
        let p = p_cell(f(&row["test"]["p"]));
        if row["type"] == "numeric" {
            let cell = |d: &Value| format!("{} ({})", num(f(&d["mean"]), 1), num(f(&d["sd"]), 1));
            let mut cells = vec![format!("{}{}", s(&row["covariate"]), t.mean_sd)];
            cells.extend(arr(&row["by_group"]).iter().map(cell));
            cells.extend([cell(&row["overall"]), p, smd]);
            tab.row(cells);
        } else {
            let mut head = vec![format!("{}{}", s(&row["covariate"]), t.n_percent)];
            head.extend(groups.iter().map(|_| String::new()));
            head.extend([String::new(), p, smd]);
            tab.row(head);
            for level in arr(&row["levels"]) {
                let cell = |d: &Value| format!("{} ({})", s(&d["n"]), num(f(&d["percent"]), 1));
                let mut cells = vec![format!("   {}", s(&level["level"]))];
                cells.extend(arr(&level["by_group"]).iter().map(cell));
                cells.extend([cell(&level["overall"]), String::new(), String::new()]);
                tab.row(cells);
            }
        }
    }
    vec![tab]
}

fn km_tables(r: &Value, t: &Texts) -> Vec<Table> {
    km_section_tables(&r["km"], ["km", "at_times"], [t.t_km, t.t_at_times], t)
}

/// The median table and the survival-at-times table (when asked) of a Kaplan–Meier
/// section `km` (the main one, the weighted one, a landmark's ...), with these ids and
/// captions.
pub(crate) fn km_section_tables(
    km: &Value,
    ids: [&'static str; 2],
    captions: [&str; 2],
    t: &Texts,
) -> Vec<Table> {
    if km.is_null() {
        return vec![];
    }
    let ci_h = level_header(t, f(&km["conf_level"]));
    let mut med = Table::new(ids[0], captions[0], &[t.c_group, t.c_median, &ci_h]);
    let mut at = Table::new(
        ids[1],
        captions[1],
        &[t.c_group, t.c_time, t.c_at_risk, t.c_survival, &ci_h],
    );
    for c in arr(&km["curves"]) {
        let m = &c["median"];
        let est = match f(&m["estimate"]) {
            Some(v) => num(Some(v), 1),
            None => t.not_reached.to_string(),
        };
        med.row(vec![
            s(&c["group"]),
            est,
            ci(f(&m["lower"]), f(&m["upper"]), 1, t),
        ]);
        for a in arr(&c["at_times"]) {
            if a["beyond_follow_up"] == true {
                // Nothing is estimated past the curve's last observed time.
                at.row(vec![
                    s(&c["group"]),
                    num(f(&a["time"]), 1),
                    count(0.0),
                    t.beyond_follow_up.to_string(),
                    t.beyond_follow_up.to_string(),
                ]);
                continue;
            }
            at.row(vec![
                s(&c["group"]),
                num(f(&a["time"]), 1),
                count(f(&a["n_risk"]).unwrap_or(0.0)),
                num(f(&a["surv"]), 3),
                ci(f(&a["lower"]), f(&a["upper"]), 3, t),
            ]);
        }
    }
    if at.rows.is_empty() {
        vec![med]
    } else {
        vec![med, at]
    }
}

fn logrank_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let lr = &r["logrank"];
    if lr.is_null() {
        return vec![];
    }
    let mut main = Table::new(
        "logrank",
        t.t_logrank,
        &[t.c_group, t.c_observed, t.c_expected],
    );
    for g in arr(&lr["groups"]) {
        main.row(vec![
            s(&g["label"]),
            num(f(&g["observed"]), 1),
            num(f(&g["expected"]), 1),
        ]);
    }
    main.row(vec![
        format!(
            "{} = {}, {} = {}",
            t.c_chisq,
            num(f(&lr["chisq"]), 2),
            t.c_df,
            s(&lr["df"])
        ),
        String::new(),
        p_text(f(&lr["p"])),
    ]);
    let mut out = vec![main];
    let pairs = arr(&lr["pairwise"]);
    if !pairs.is_empty() {
        let mut pw = Table::new(
            "pairwise",
            t.t_pairwise,
            &[t.c_comparison, t.c_chisq, t.c_p, t.c_p_adjusted],
        );
        for p in pairs {
            pw.row(vec![
                format!("{} {} {}", s(&p["a"]), t.versus, s(&p["b"])),
                num(f(&p["chisq"]), 2),
                p_cell(f(&p["p"])),
                p_cell(f(&p["p_adjusted"])),
            ]);
        }
        out.push(pw);
    }
    out
}

pub(crate) fn rmst_diff_table(
    id: &'static str,
    caption: &str,
    diffs: &[Value],
    t: &Texts,
) -> Table {
    let mut d = Table::new(
        id,
        caption,
        &[
            t.c_comparison,
            t.c_difference,
            &level_header(t, None),
            t.c_p,
        ],
    );
    for x in diffs {
        d.row(vec![
            format!("{} − {}", s(&x["a"]), s(&x["b"])),
            num(f(&x["estimate"]), 2),
            ci(f(&x["lower"]), f(&x["upper"]), 2, t),
            p_cell(f(&x["p"])),
        ]);
    }
    d
}

fn rmst_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let mut out = Vec::new();
    let curves = arr(&r["km"]["curves"]);
    if curves.iter().any(|c| !c["rmst"].is_null()) {
        let mut tab = Table::new("rmst", t.t_rmst, &["τ", t.c_group, t.c_rmst, t.c_se]);
        for c in curves.iter().filter(|c| !c["rmst"].is_null()) {
            let m = &c["rmst"];
            tab.row(vec![
                num(f(&m["tau"]), 1),
                s(&c["group"]),
                num(f(&m["estimate"]), 2),
                num(f(&m["se"]), 2),
            ]);
        }
        out.push(tab);
    }
    let diffs = arr(&r["rmst_difference"]);
    if !diffs.is_empty() {
        out.push(rmst_diff_table("rmst_difference", t.t_rmst_diff, diffs, t));
    }
    out
}

pub(crate) fn cox_terms_table(
    id: &'static str,
    caption: &str,
    terms: &[Value],
    t: &Texts,
) -> Table {
    let mut tab = Table::new(
        id,
        caption,
        &[t.c_term, t.c_hr, &level_header(t, None), t.c_p],
    );
    for x in terms {
        tab.row(vec![
            s(&x["name"]),
            ratio(f(&x["hr"])),
            ratio_ci(f(&x["lower"]), f(&x["upper"]), t),
            p_cell(f(&x["p"])),
        ]);
    }
    tab
}

fn cox_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let cox = &r["cox"];
    if cox.is_null() {
        return vec![];
    }
    let title = super::i18n::with_adjustment(t.t_cox, r, t);
    let caption = super::model_rows::caption(&title, cox, t);
    let mut out = vec![cox_terms_table("cox", &caption, arr(&cox["terms"]), t)];
    let mut tests = Table::new(
        "cox_tests",
        t.t_cox_tests,
        &[t.c_test, t.c_chisq, t.c_df, t.c_p],
    );
    for (key, label) in [
        ("lr", t.test_lr),
        ("wald", t.test_wald),
        ("score", t.test_score),
    ] {
        let x = &cox["tests"][key];
        tests.row(vec![
            label.to_string(),
            num(f(&x["chisq"]), 2),
            s(&x["df"]),
            p_cell(f(&x["p"])),
        ]);
    }
    if let Some(c) = f(&cox["concordance"]["estimate"]) {
        tests.row(vec![
            t.concordance.into(),
            num(Some(c), 3),
            String::new(),
            format!("SE {}", num(f(&cox["concordance"]["se"]), 3)),
        ]);
    }
    out.push(tests);
    let ph = &cox["ph_test"];
    if !ph.is_null() {
        let mut tab = Table::new("ph_test", t.t_ph, &[t.c_term, t.c_chisq, t.c_df, t.c_p]);
        for x in arr(&ph["terms"])
            .iter()
            .chain(std::iter::once(&ph["global"]))
        {
            let name = if x["name"].is_null() {
                t.global.to_string()
            } else {
                s(&x["name"])
            };
            tab.row(vec![
                name,
                num(f(&x["chisq"]), 2),
                s(&x["df"]),
                p_cell(f(&x["p"])),
            ]);
        }
        out.push(tab);
    }
    out
}
