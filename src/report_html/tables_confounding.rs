//! Tables of the observational-comparison sections: propensity weights and balance,
//! the weighted comparisons, E-values.

use super::html::{num, ratio, Table};
use super::i18n::Texts;
use super::tables::{arr, cox_terms_table, f, rmst_diff_table, s};
use serde_json::Value;

pub(crate) fn propensity_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let ps = &r["propensity"];
    if ps.is_null() {
        return vec![];
    }
    let mut w = Table::new(
        "weights",
        t.t_weights,
        &[
            t.c_group, t.c_n, t.c_min, t.c_max, t.c_mean, t.c_sum, t.c_ess,
        ],
    );
    for g in arr(&ps["weights_summary"]) {
        w.row(vec![
            s(&g["group"]),
            s(&g["n"]),
            num(f(&g["min"]), 2),
            num(f(&g["max"]), 2),
            num(f(&g["mean"]), 2),
            num(f(&g["sum"]), 1),
            num(f(&g["ess"]), 1),
        ]);
    }
    let mut b = Table::new(
        "balance",
        t.t_balance,
        &[t.c_covariate, t.c_comparison, t.c_smd_before, t.c_smd_after],
    );
    for term in arr(&ps["balance"]) {
        for p in arr(&term["pairs"]) {
            b.row(vec![
                s(&term["term"]),
                format!("{} {} {}", s(&p["a"]), t.versus, s(&p["b"])),
                num(f(&p["smd_before"]), 3),
                num(f(&p["smd_after"]), 3),
            ]);
        }
    }
    vec![w, b]
}

pub(crate) fn adjusted_tables(r: &Value, t: &Texts) -> Vec<Table> {
    let adj = &r["adjusted"];
    if adj.is_null() {
        return vec![];
    }
    let mut out = Vec::new();
    if !adj["cox"].is_null() {
        out.push(cox_terms_table(
            "adjusted_cox",
            &super::model_rows::caption(t.t_adjusted_cox, adj, t),
            arr(&adj["cox"]["terms"]),
            t,
        ));
    }
    let diffs = arr(&adj["rmst_difference"]);
    if !diffs.is_empty() {
        out.push(rmst_diff_table(
            "adjusted_rmst_difference",
            t.t_adjusted_rmst,
            diffs,
            t,
        ));
    }
    out
}

pub(crate) fn sensitivity_table(r: &Value, t: &Texts) -> Vec<Table> {
    let ev = arr(&r["sensitivity"]["evalues"]);
    if ev.is_empty() {
        return vec![];
    }
    let mut tab = Table::new(
        "evalues",
        t.t_evalues,
        &[t.c_source, t.c_term, t.c_hr, t.c_evalue, t.c_evalue_ci],
    );
    for e in ev {
        tab.row(vec![
            super::i18n::source_name(&s(&e["source"]), t),
            s(&e["name"]),
            ratio(f(&e["hr"])),
            ratio(f(&e["evalue"])),
            ratio(f(&e["evalue_ci"])),
        ]);
    }
    vec![tab]
}
