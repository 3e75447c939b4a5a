//! Tables of the `competing_risks` section (docs/results.md#competing_risks): the
//! cumulative incidence at the asked times per group and cause (and the weighted one of
//! `adjusted.cif`), Gray's test per cause, the Fine–Gray model and the cause-specific
//! Cox models. Numbers as every table: crates/text numbers.rs through `html`.

use super::html::{ci, count, num, p_cell, Table};
use super::i18n::{fill, Texts};
use super::tables::{level_header, terms_table};
use survlens_contract::competing::{Cause, CifCurve};
use survlens_contract::report::Skip;
use survlens_contract::{Report, Spec};

/// The name of a cause in the report's language.
pub(crate) fn cause_name(cause: Cause, t: &Texts) -> &'static str {
    match cause {
        Cause::Event => t.cause_event,
        Cause::Competing => t.cause_competing,
    }
}

/// `competing_risks`: the cumulative incidence table, Gray's test, Fine–Gray and the
/// cause-specific models.
pub(crate) fn competing_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(cr) = &r.competing_risks else {
        return vec![];
    };
    let mut out: Vec<Table> = cif_at_times_table("cif_at_times", t.t_cif_at_times, &cr.cif, t)
        .into_iter()
        .collect();
    if let Skip::Value(tests) = &cr.gray {
        let mut tab = Table::new("gray", t.t_gray, &[t.c_cause, t.c_chisq, t.c_df, t.c_p]);
        for g in tests {
            tab.row(vec![
                cause_name(g.cause, t).to_string(),
                num(Some(g.chisq), 2),
                g.df.to_string(),
                p_cell(Some(g.p)),
            ]);
        }
        out.push(tab);
    }
    if let Skip::Value(fg) = &cr.fine_gray {
        let caption = super::model_rows::caption(t.t_fine_gray, fg, t);
        out.push(terms_table("fine_gray", &caption, t.c_shr, &fg.terms, t));
    }
    for m in cr.cause_specific.iter().flatten() {
        let (id, cause) = match m.cause {
            Cause::Event => ("cause_specific_event", t.cause_event),
            Cause::Competing => ("cause_specific_competing", t.cause_competing),
        };
        let title = fill(t.t_cause_specific, &[("cause", cause)]);
        let caption = super::model_rows::caption(&title, m, t);
        out.push(terms_table(id, &caption, t.c_hr, &m.terms, t));
    }
    out
}

/// `adjusted.cif`: the weighted cumulative incidence at the asked times.
pub(crate) fn adjusted_cif_table(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(cif) = r.adjusted.as_ref().and_then(|a| a.cif.as_ref()) else {
        return vec![];
    };
    let id = "adjusted_cif_at_times";
    cif_at_times_table(id, t.t_adjusted_cif_at_times, cif, t)
        .into_iter()
        .collect()
}

/// Per curve (group, cause) and asked time: at risk, cumulative incidence and its
/// pointwise CI, as `summary(survfit(...), times)`; `None` when no time was asked.
fn cif_at_times_table(
    id: &'static str,
    caption: &str,
    curves: &[CifCurve],
    t: &Texts,
) -> Option<Table> {
    let ci_h = level_header(t, None);
    let headers = [t.c_group, t.c_cause, t.c_time, t.c_at_risk, t.c_incidence, &ci_h];
    let mut tab = Table::new(id, caption, &headers);
    for c in curves {
        for a in &c.at_times {
            let (estimate, limits) = if a.beyond_follow_up {
                // Nothing is estimated past the curve's last observed time.
                let words = t.beyond_follow_up.to_string();
                (words.clone(), words)
            } else {
                (num(a.estimate, 3), ci(a.lower, a.upper, 3, t))
            };
            tab.row(vec![
                c.group.clone(),
                cause_name(c.cause, t).to_string(),
                num(Some(a.time), 1),
                count(a.n_risk),
                estimate,
                limits,
            ]);
        }
    }
    (!tab.rows.is_empty()).then_some(tab)
}
