//! The report's parts for `cox.periods` (docs/results.md#cox): the period hazard-ratio
//! table, the results sentence of `cox.periods_test` and the methods sentence. Words:
//! `survlens_text::period_words`.

use super::html::{num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, join_list, Texts};
use super::methods::{fmt_num, unit_name};
use super::tables::level_header;
use survlens_contract::report::Skip;
use survlens_contract::{Report, Spec};
use survlens_text::period_words::period_words;

/// The period hazard-ratio table: one row per period and group term.
pub(crate) fn periods_table(r: &Report, _spec: &Spec, t: &Texts) -> Vec<Table> {
    let Skip::Value(cox) = &r.cox else {
        return vec![];
    };
    let Some(periods) = &cox.periods else {
        return vec![];
    };
    let w = period_words(t.lang);
    let headers = [w.c_period, t.c_term, t.c_hr, &level_header(t, None), t.c_p];
    let mut tab = Table::new("cox_periods", w.t_periods, &headers);
    for p in periods {
        for x in &p.terms {
            tab.row(vec![
                crate::plot::periods::period_label(p, t.lang),
                x.name.clone(),
                ratio(x.hr),
                ratio_ci(x.lower, x.upper, t),
                p_cell(x.p),
            ]);
        }
    }
    vec![tab]
}

/// The results sentence of `cox.periods_test`.
pub(crate) fn periods_sentence(report: &Report, t: &Texts) -> Option<String> {
    let Skip::Value(cox) = &report.cox else {
        return None;
    };
    let test = cox.periods_test.as_ref()?;
    let w = period_words(t.lang);
    if test.df == 0 {
        return Some(w.r_test_none.to_string());
    }
    let template = if test.test == "wald_robust" {
        w.r_test_wald
    } else {
        w.r_test_lr
    };
    Some(fill(
        template,
        &[
            ("chisq", &num(Some(test.chisq), 2)),
            ("df", &test.df.to_string()),
            ("p", &p_text(test.p)),
        ],
    ))
}

/// The methods sentence of `cox.periods`, when asked with at least one cut point.
pub(super) fn methods_sentence(spec: &Spec, t: &Texts, out: &mut Vec<String>) {
    let Some(cox) = &spec.cox else {
        return;
    };
    let Some(cuts) = cox.periods.as_ref().filter(|c| !c.is_empty()) else {
        return;
    };
    let w = period_words(t.lang);
    let robust = cox.robust || spec.cluster.is_some();
    let cuts = join_list(&cuts.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>(), t);
    out.push(fill(
        w.m_periods,
        &[
            ("cuts", &cuts),
            ("unit", unit_name(spec, t)),
            ("test", if robust { w.test_wald } else { w.test_lr }),
        ],
    ));
}
