//! Tables of the observational-comparison sections: propensity weights and balance,
//! the weighted comparisons, E-values.

use super::html::{num, ratio, Table};
use super::i18n::Texts;
use super::tables::{cox_terms_table, rmst_diff_table};
use survlens_contract::{Report, Spec};

pub(crate) fn propensity_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(ps) = &r.propensity else {
        return vec![];
    };
    let mut w = Table::new(
        "weights",
        t.t_weights,
        &[
            t.c_group, t.c_n, t.c_min, t.c_max, t.c_mean, t.c_sum, t.c_ess,
        ],
    );
    for g in &ps.weights_summary {
        w.row(vec![
            g.group.clone(),
            g.n.to_string(),
            num(Some(g.min), 2),
            num(Some(g.max), 2),
            num(Some(g.mean), 2),
            num(Some(g.sum), 1),
            num(Some(g.ess), 1),
        ]);
    }
    let mut b = Table::new(
        "balance",
        t.t_balance,
        &[t.c_covariate, t.c_comparison, t.c_smd_before, t.c_smd_after],
    );
    for term in &ps.balance {
        for p in &term.pairs {
            b.row(vec![
                term.term.clone(),
                format!("{} {} {}", p.a, t.versus, p.b),
                num(p.smd_before, 3),
                num(p.smd_after, 3),
            ]);
        }
    }
    vec![w, b]
}

pub(crate) fn adjusted_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(adj) = &r.adjusted else {
        return vec![];
    };
    let mut out = Vec::new();
    if let Some(cox) = &adj.cox {
        out.push(cox_terms_table(
            "adjusted_cox",
            &super::model_rows::caption(t.t_adjusted_cox, adj, t),
            &cox.terms,
            t,
        ));
    }
    let diffs = adj.rmst_difference.as_deref().unwrap_or_default();
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

pub(crate) fn sensitivity_table(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let ev = r.sensitivity.as_ref().map_or(&[][..], |s| &s.evalues);
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
            super::i18n::source_name(&e.source, t),
            e.name.clone(),
            ratio(Some(e.hr)),
            ratio(e.evalue),
            ratio(e.evalue_ci),
        ]);
    }
    vec![tab]
}
