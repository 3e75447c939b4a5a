//! Tables of the sections beyond the first report: the univariable Cox models, the
//! propensity model, the weighted Kaplan–Meier curves, the bootstrap, and the
//! immortal-time analyses (landmarks, time-dependent Cox, the side-by-side comparison).

use super::html::{ci, num, p_cell, ratio, ratio_ci, Table};
use super::i18n::{fill, Texts};
use super::methods::fmt_num;
use super::tables::{arr, cox_terms_table, f, km_section_tables, level_header, s};
use serde_json::Value;

/// `cox.univariable`: one row per term of each one-column model.
pub(crate) fn cox_univariable_table(r: &Value, t: &Texts) -> Vec<Table> {
    let fits = arr(&r["cox"]["univariable"]);
    if fits.is_empty() {
        return vec![];
    }
    let mut tab = Table::new(
        "cox_univariable",
        t.t_cox_univariable,
        &[
            t.c_covariate,
            t.c_term,
            t.c_n,
            t.c_events,
            t.c_hr,
            &level_header(t, None),
            t.c_p,
        ],
    );
    for fit in fits {
        for x in arr(&fit["terms"]) {
            tab.row(vec![
                s(&fit["column"]),
                s(&x["name"]),
                s(&fit["n"]),
                s(&fit["n_events"]),
                ratio(f(&x["hr"])),
                ratio_ci(f(&x["lower"]), f(&x["upper"]), t),
                p_cell(f(&x["p"])),
            ]);
        }
    }
    vec![tab]
}

/// `propensity.coefficients`: the fitted propensity model.
pub(crate) fn ps_model_table(r: &Value, t: &Texts) -> Vec<Table> {
    let coefs = arr(&r["propensity"]["coefficients"]);
    if coefs.is_empty() {
        return vec![];
    }
    let caption = super::model_rows::caption(t.t_ps_model, &r["propensity"], t);
    let mut tab = Table::new(
        "ps_model",
        &caption,
        &[t.c_group, t.c_term, t.c_coef, t.c_se],
    );
    for c in coefs {
        tab.row(vec![
            s(&c["group"]),
            s(&c["term"]),
            num(f(&c["coef"]), 4),
            num(f(&c["se"]), 4),
        ]);
    }
    vec![tab]
}

/// `adjusted.km`: weighted medians and survival at the asked times.
pub(crate) fn adjusted_km_tables(r: &Value, t: &Texts) -> Vec<Table> {
    km_section_tables(
        &r["adjusted"]["km"],
        ["adjusted_km", "adjusted_at_times"],
        [
            &super::model_rows::caption(t.t_adjusted_km, &r["adjusted"], t),
            t.t_adjusted_at_times,
        ],
        t,
    )
}

/// `adjusted.bootstrap`: bootstrap SE and percentile CI of each HR and RMST difference.
pub(crate) fn bootstrap_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let b = &r["adjusted"]["bootstrap"];
    if b.is_null() {
        return vec![];
    }
    let caption = fill(
        t.t_bootstrap,
        &[
            ("replicates", &s(&b["replicates"])),
            ("used", &s(&b["replicates_used"])),
            ("seed", &s(&b["seed"])),
        ],
    );
    let mut tab = Table::new(
        "bootstrap",
        &caption,
        &[t.c_term, t.c_se, &level_header(t, None)],
    );
    for x in arr(&b["cox"]) {
        tab.row(vec![
            fill(t.bootstrap_log_hr, &[("term", &s(&x["name"]))]),
            num(f(&x["se"]), 4),
            ratio_ci(f(&x["lower"]), f(&x["upper"]), t),
        ]);
    }
    for x in arr(&b["rmst_difference"]) {
        tab.row(vec![
            fill(t.bootstrap_rmst, &[("a", &s(&x["a"])), ("b", &s(&x["b"]))]),
            num(f(&x["se"]), 4),
            ci(f(&x["lower"]), f(&x["upper"]), 2, t),
        ]);
    }
    vec![tab]
}

/// `landmark[]`: patients at each landmark, medians, log-rank and Cox group terms.
pub(crate) fn landmark_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let list = arr(&r["landmark"]);
    if list.is_empty() {
        return vec![];
    }
    let mut tab = Table::new(
        "landmark",
        t.t_landmark,
        &[
            t.c_landmark,
            t.c_group,
            t.c_n,
            t.c_events,
            t.c_median,
            &level_header(t, None),
        ],
    );
    let mut tests = Table::new(
        "landmark_tests",
        t.t_landmark_tests,
        &[
            t.c_landmark,
            t.c_n,
            t.c_left_out_before,
            t.c_reassigned,
            t.c_chisq,
            t.c_p,
        ],
    );
    for lm in list {
        let time = fmt_num(f(&lm["time"]).unwrap_or(f64::NAN));
        let curves = arr(&lm["km"]["curves"]);
        for g in arr(&lm["groups"]) {
            let m = curves
                .iter()
                .find(|c| c["group"] == g["label"])
                .map_or(&Value::Null, |c| &c["median"]);
            let median = match f(&m["estimate"]) {
                Some(v) => num(Some(v), 1),
                None if curves.is_empty() => String::new(),
                None => t.not_reached.to_string(),
            };
            tab.row(vec![
                time.clone(),
                s(&g["label"]),
                s(&g["n"]),
                s(&g["events"]),
                median,
                ci(f(&m["lower"]), f(&m["upper"]), 1, t),
            ]);
        }
        let moved: Vec<String> = arr(&lm["reassigned"])
            .iter()
            .map(|x| format!("{} {} → {}", s(&x["n"]), s(&x["from"]), s(&x["to"])))
            .collect();
        tests.row(vec![
            time,
            s(&lm["n"]),
            s(&lm["left_out_before"]),
            moved.join("; "),
            num(f(&lm["logrank"]["chisq"]), 2),
            p_cell(f(&lm["logrank"]["p"])),
        ]);
    }
    vec![tab, tests]
}

/// `time_dependent`: the Cox model with treatment as a time-dependent covariate and
/// the Simon–Makuch medians.
pub(crate) fn time_dependent_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let td = &r["time_dependent"];
    if td.is_null() {
        return vec![];
    }
    let mut out = Vec::new();
    if !td["cox"].is_null() {
        out.push(cox_terms_table(
            "time_dependent_cox",
            &super::model_rows::caption(
                &super::i18n::with_adjustment(t.t_time_dependent_cox, r, t),
                &td["cox"],
                t,
            ),
            arr(&td["cox"]["terms"]),
            t,
        ));
    }
    out.extend(km_section_tables(
        &td["km"],
        ["simon_makuch", "simon_makuch_at_times"],
        [t.t_simon_makuch, t.t_simon_makuch_at_times],
        t,
    ));
    out
}

/// `immortal_time`: the naive, landmark and time-dependent group HRs side by side.
pub(crate) fn immortal_comparison_table(r: &Value, t: &Texts) -> Vec<Table> {
    let list = arr(&r["immortal_time"]["analyses"]);
    if list.is_empty() {
        return vec![];
    }
    let mut tab = Table::new(
        "immortal_comparison",
        t.t_immortal,
        &[
            t.c_analysis,
            t.c_n,
            t.c_events,
            t.c_group,
            t.c_hr,
            &level_header(t, None),
            t.c_p,
        ],
    );
    for a in list {
        let name = match s(&a["analysis"]).as_str() {
            "naive" => t.analysis_naive.to_string(),
            "landmark" => fill(
                t.analysis_landmark,
                &[("time", &fmt_num(f(&a["landmark"]).unwrap_or(f64::NAN)))],
            ),
            "time_dependent" => t.analysis_time_dependent.to_string(),
            other => other.to_string(),
        };
        let name = super::i18n::with_adjustment(&name, r, t);
        for x in arr(&a["terms"]) {
            tab.row(vec![
                name.clone(),
                s(&a["n"]),
                s(&a["n_events"]),
                s(&x["group"]),
                ratio(f(&x["hr"])),
                ratio_ci(f(&x["lower"]), f(&x["upper"]), t),
                p_cell(f(&x["p"])),
            ]);
        }
    }
    vec![tab]
}
