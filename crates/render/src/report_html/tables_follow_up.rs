//! The report's parts for `follow_up` and `conditional` (docs/results.md#follow_up,
//! docs/results.md#conditional): the median follow-up table and results sentence, the
//! conditional survival tables, and the methods sentences with their citations. Words:
//! `survlens_text::follow_up_words`; numbers as every table (crates/text numbers.rs
//! through `html`).

use super::cite::{Citations, Work};
use super::html::{ci, count, num, Table};
use super::i18n::{fill, join_list, Texts};
use super::methods::{fmt_num, unit_name};
use super::tables::{estimated, level_header};
use survlens_contract::follow_up::FollowUpEntry;
use survlens_contract::{Report, Spec};
use survlens_text::follow_up_words::{follow_up_words, FollowUpWords};

/// The confidence level of both sections: the spec's `km` one (default 0.95).
fn conf_level(spec: &Spec) -> f64 {
    spec.km.as_ref().map_or(0.95, |k| k.conf_level)
}

/// A median (1 decimal) or the "not reached" words.
fn median_cell(x: Option<f64>, t: &Texts) -> String {
    estimated(x).map_or_else(|| t.not_reached.to_string(), |v| num(Some(v), 1))
}

/// The group's name in a table ("all" reads as every patient).
fn group_name(group: &str, t: &Texts) -> String {
    if group == "all" {
        t.all_patients.to_string()
    } else {
        group.to_string()
    }
}

/// The interquartile range of a follow-up entry, as an interval.
fn iqr(e: &FollowUpEntry, t: &Texts) -> String {
    let q = |p: f64| {
        e.quantiles
            .iter()
            .find(|q| q.p == p)
            .and_then(|q| q.estimate)
    };
    ci(q(0.25), q(0.75), 1, t)
}

/// `follow_up` and `conditional` tables.
pub(crate) fn follow_up_tables(r: &Report, spec: &Spec, t: &Texts) -> Vec<Table> {
    let w = follow_up_words(t.lang);
    let ci_h = level_header(t, Some(conf_level(spec)));
    let mut out = Vec::new();
    if let Some(entries) = &r.follow_up {
        let headers = [t.c_group, t.c_n, w.c_median_follow_up, &ci_h, w.c_iqr];
        let mut tab = Table::new("follow_up", w.t_follow_up, &headers);
        for e in entries {
            tab.row(vec![
                group_name(&e.group, t),
                e.n.to_string(),
                median_cell(e.median.estimate, t),
                ci(e.median.lower, e.median.upper, 1, t),
                iqr(e, t),
            ]);
        }
        out.push(tab);
    }
    if let Some(results) = &r.conditional {
        out.extend(conditional_tables(results, &ci_h, w, t));
    }
    out
}

/// Medians since each given time, and survival at the asked times since it.
fn conditional_tables(
    results: &[survlens_contract::follow_up::ConditionalResult],
    ci_h: &str,
    w: &FollowUpWords,
    t: &Texts,
) -> Vec<Table> {
    let headers = [w.c_given, t.c_group, t.c_n, w.c_median_since, ci_h];
    let mut medians = Table::new("conditional", w.t_conditional, &headers);
    let headers = [
        w.c_given,
        t.c_group,
        w.c_time_since,
        t.c_at_risk,
        t.c_survival,
        ci_h,
    ];
    let mut at = Table::new("conditional_at_times", w.t_conditional_at_times, &headers);
    for res in results {
        for c in &res.curves {
            let given = num(Some(res.given), 1);
            let m = &c.median;
            medians.row(vec![
                given.clone(),
                group_name(&c.group, t),
                c.n.to_string(),
                median_cell(m.estimate, t),
                ci(m.lower, m.upper, 1, t),
            ]);
            for a in &c.at_times {
                let (n_risk, surv, limits) = if a.beyond_follow_up {
                    let words = t.beyond_follow_up.to_string();
                    (count(0.0), words.clone(), words)
                } else {
                    (count(a.n_risk), num(a.surv, 3), ci(a.lower, a.upper, 3, t))
                };
                at.row(vec![
                    given.clone(),
                    group_name(&c.group, t),
                    num(Some(a.time), 1),
                    n_risk,
                    surv,
                    limits,
                ]);
            }
        }
    }
    if at.rows.is_empty() {
        vec![medians]
    } else {
        vec![medians, at]
    }
}

/// The results sentence of the overall median follow-up (the entry "all").
pub(crate) fn follow_up_sentence(
    report: &Report,
    spec: &Spec,
    unit: &str,
    t: &Texts,
) -> Option<String> {
    let all = report.follow_up.as_ref()?.first()?;
    let w = follow_up_words(t.lang);
    let Some(median) = estimated(all.median.estimate) else {
        return Some(w.r_follow_up_nr.to_string());
    };
    Some(fill(
        w.r_follow_up,
        &[
            ("median", &num(Some(median), 1)),
            ("unit", unit),
            ("level", &num(Some(conf_level(spec) * 100.0), 0)),
            ("ci", &ci(all.median.lower, all.median.upper, 1, t)),
            ("iqr", &iqr(all, t)),
        ],
    ))
}

/// The methods sentences of `follow_up` and `conditional`, when asked.
pub(super) fn methods_sentences(spec: &Spec, t: &Texts, c: &mut Citations, out: &mut Vec<String>) {
    let w = follow_up_words(t.lang);
    if spec.follow_up.is_some() {
        let c_schemper = c.cite(Work::SchemperSmith1996);
        out.push(fill(w.m_follow_up, &[("c_schemper", &c_schemper)]));
    }
    let Some(cond) = &spec.conditional else {
        return;
    };
    let unit = unit_name(spec, t);
    let list = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        join_list(&v.iter().map(|x| fmt_num(*x)).collect::<Vec<_>>(), t)
    };
    let c_km = c.cite(Work::KaplanMeier1958);
    out.push(fill(
        w.m_conditional,
        &[
            ("given", &list(&cond.given)),
            ("unit", unit),
            ("c_km", &c_km),
        ],
    ));
    if !cond.times.is_empty() {
        out.push(fill(
            w.m_conditional_times,
            &[("times", &list(&cond.times)), ("unit", unit)],
        ));
    }
}
