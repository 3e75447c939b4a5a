//! The results paragraph: the numbers of the Report in sentences.

use super::html::{count, num, p_text, ratio};
use super::i18n::{fill, join_list, Texts};
use super::tables::estimated;
use survlens_contract::cox::CoxTerm;
use survlens_contract::report::{AtTime, KmSection, RmstDifference, Skip};
use survlens_contract::{Report, Spec};

/// Sentences of plain text (escaped when rendered).
///
/// Hazard ratios: the group terms (`<group column>=<level>`) only, or every term when
/// there is no group.
pub fn results(report: &Report, spec: &Spec, unit: &str, t: &Texts) -> Vec<String> {
    let mut out = Vec::new();
    let d = &report.data;
    out.push(fill(
        t.r_cohort,
        &[
            ("rows", &d.n_rows.to_string()),
            ("used", &d.n_used.to_string()),
            ("events", &d.n_events.to_string()),
        ],
    ));
    let total: usize = d.excluded_by_reason.values().sum();
    if total > 0 {
        let parts: Vec<String> = d
            .excluded_by_reason
            .iter()
            .map(|(k, n)| format!("{}: {n}", super::i18n::reason_name(k, t)))
            .collect();
        out.push(fill(
            t.r_excluded,
            &[("n", &count(total as f64)), ("reasons", &parts.join(", "))],
        ));
    }
    if let Some(km) = &report.km {
        km_sentences(km, unit, t, &mut out);
    }
    out.extend(super::tables_follow_up::follow_up_sentence(
        report, spec, unit, t,
    ));
    super::model_rows::sentences(report, t, &mut out);
    out.extend(super::tables_periods::periods_sentence(report, t));
    match &report.logrank {
        Skip::Value(lr) => out.push(fill(
            t.r_logrank,
            &[
                ("chisq", &num(Some(lr.chisq), 2)),
                ("df", &lr.df.to_string()),
                ("p", &p_text(Some(lr.p))),
            ],
        )),
        Skip::Null => out.push(t.r_no_events.to_string()),
        Skip::NotAsked => {}
    }
    let adjusted = report.adjusted.as_ref();
    rmst_sentences(
        report.rmst_difference.as_deref().unwrap_or_default(),
        t.r_rmst_diff,
        unit,
        &mut out,
    );
    rmst_sentences(
        adjusted
            .and_then(|a| a.rmst_difference.as_deref())
            .unwrap_or_default(),
        t.r_rmst_diff_adjusted,
        unit,
        &mut out,
    );
    let prefix = spec.group.as_ref().map(|g| format!("{}=", g.column));
    let adjustment = super::i18n::adjustment(spec, t);
    let cox_terms = match &report.cox {
        Skip::Value(cox) => &cox.terms[..],
        _ => &[],
    };
    hr_sentences(
        cox_terms,
        (prefix.as_deref(), &adjustment),
        t.r_hr,
        &mut out,
    );
    hr_sentences(
        adjusted
            .and_then(|a| a.cox.as_ref())
            .map_or(&[][..], |c| &c.terms),
        (prefix.as_deref(), ""),
        t.r_hr_adjusted,
        &mut out,
    );
    out.extend(super::tables_imputation::results_sentences(report, spec, t));
    super::tables_matching::result_sentences(report, t, &mut out);
    super::tables_emulation::result_sentences(report, spec, t, &mut out);
    competing_sentences(report, prefix.as_deref(), t, &mut out);
    super::tables_subgroups::result_sentences(report, t, &mut out);
    for e in report.sensitivity.iter().flat_map(|s| &s.evalues) {
        out.push(fill(
            t.r_evalue,
            &[
                ("evalue", &ratio(e.evalue)),
                ("evalue_ci", &ratio(e.evalue_ci)),
                ("term", &e.name),
                ("source", &super::i18n::source_name(&e.source, t)),
            ],
        ));
    }
    out
}

/// Gray's test per cause and the Fine–Gray subdistribution HRs of the group terms.
fn competing_sentences(report: &Report, prefix: Option<&str>, t: &Texts, out: &mut Vec<String>) {
    let Some(cr) = &report.competing_risks else {
        return;
    };
    if let Skip::Value(tests) = &cr.gray {
        for g in tests {
            out.push(fill(
                t.r_gray,
                &[
                    ("cause", super::tables_competing::cause_name(g.cause, t)),
                    ("chisq", &num(Some(g.chisq), 2)),
                    ("df", &g.df.to_string()),
                    ("p", &p_text(Some(g.p))),
                ],
            ));
        }
    }
    if let Skip::Value(fg) = &cr.fine_gray {
        hr_sentences(&fg.terms, (prefix, ""), t.r_shr, out);
    }
}

fn rmst_sentences(diffs: &[RmstDifference], template: &str, unit: &str, out: &mut Vec<String>) {
    for x in diffs {
        out.push(fill(
            template,
            &[
                ("tau", &num(Some(x.tau), 0)),
                ("unit", unit),
                ("a", &x.a),
                ("b", &x.b),
                ("estimate", &num(Some(x.estimate), 2)),
                ("lower", &num(Some(x.lower), 2)),
                ("upper", &num(Some(x.upper), 2)),
                ("p", &p_text(Some(x.p))),
            ],
        ));
    }
}

fn km_sentences(km: &KmSection, unit: &str, t: &Texts, out: &mut Vec<String>) {
    let curves = &km.curves;
    if curves.is_empty() {
        return;
    }
    let level = num(Some(km.conf_level * 100.0), 0);
    let limit = |x: Option<f64>| {
        estimated(x).map_or_else(|| t.not_reached.to_string(), |v| num(Some(v), 1))
    };
    let medians: Vec<String> = curves
        .iter()
        .map(|c| {
            let m = &c.median;
            match estimated(m.estimate) {
                Some(v) => fill(
                    t.r_median,
                    &[
                        ("median", &num(Some(v), 1)),
                        ("unit", unit),
                        ("lower", &limit(m.lower)),
                        ("upper", &limit(m.upper)),
                        ("level", &level),
                        ("group", &c.group),
                    ],
                ),
                None => fill(t.r_median_nr, &[("group", &c.group)]),
            }
        })
        .collect();
    out.push(fill(
        t.r_medians,
        &[("list", &capitalize(&join_list(&medians, t)))],
    ));
    let n_times = curves.first().map_or(0, |c| c.at_times.len());
    for j in 0..n_times {
        let time = curves
            .first()
            .and_then(|c| c.at_times.get(j))
            .map(|a| a.time);
        let values: Vec<String> = curves
            .iter()
            .map(|c| {
                let a = c.at_times.get(j);
                if a.is_some_and(|a| a.beyond_follow_up) {
                    return fill(t.r_at_time_beyond, &[("group", &c.group)]);
                }
                let pct =
                    |x: fn(&AtTime) -> Option<f64>| survlens_text::numbers::percent(a.and_then(x));
                fill(
                    t.r_at_time_value,
                    &[
                        ("surv", &pct(|a| a.surv)),
                        ("lower", &pct(|a| a.lower)),
                        ("upper", &pct(|a| a.upper)),
                        ("level", &level),
                        ("group", &c.group),
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
    terms: &[CoxTerm],
    (prefix, adjustment): (Option<&str>, &str),
    template: &str,
    out: &mut Vec<String>,
) {
    let wanted =
        |x: &&CoxTerm| estimated(x.hr).is_some() && prefix.is_none_or(|p| x.name.starts_with(p));
    for x in terms.iter().filter(wanted) {
        out.push(fill(
            template,
            &[
                ("term", &x.name),
                ("hr", &ratio(x.hr)),
                ("lower", &ratio(x.lower)),
                ("upper", &ratio(x.upper)),
                ("p", &p_text(x.p)),
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
