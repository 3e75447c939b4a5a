//! Tables of the sections beyond the first report: the univariable Cox models, the
//! propensity model, the weighted Kaplan–Meier curves, the bootstrap, and the
//! immortal-time analyses (landmarks, time-dependent Cox, the side-by-side comparison).

use super::html::{ci, num, p_cell, ratio, ratio_ci, Table};
use super::i18n::{fill, Texts};
use super::methods::fmt_num;
use super::tables::{cox_terms_table, estimated, km_section_tables, level_header, ph_table};
use survlens_contract::report::Skip;
use survlens_contract::{Report, Spec};

/// `cox.univariable`: one row per term of each one-column model.
pub(crate) fn cox_univariable_table(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let fits = match &r.cox {
        Skip::Value(cox) => cox.univariable.as_deref().unwrap_or_default(),
        _ => &[],
    };
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
        for x in &fit.terms {
            tab.row(vec![
                fit.column.clone(),
                x.name.clone(),
                fit.n.to_string(),
                fit.n_events.to_string(),
                ratio(x.hr),
                ratio_ci(x.lower, x.upper, t),
                p_cell(x.p),
            ]);
        }
    }
    vec![tab]
}

/// `propensity.coefficients`: the fitted propensity model.
pub(crate) fn ps_model_table(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(ps) = r.propensity.as_ref().filter(|p| !p.coefficients.is_empty()) else {
        return vec![];
    };
    let caption = super::model_rows::caption(t.t_ps_model, ps, t);
    let mut tab = Table::new(
        "ps_model",
        &caption,
        &[t.c_group, t.c_term, t.c_coef, t.c_se],
    );
    for c in &ps.coefficients {
        tab.row(vec![
            c.group.clone(),
            c.term.clone(),
            num(Some(c.coef), 4),
            num(c.se, 4),
        ]);
    }
    vec![tab]
}

/// `adjusted.km`: weighted medians and survival at the asked times.
pub(crate) fn adjusted_km_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(adj) = &r.adjusted else {
        return vec![];
    };
    km_section_tables(
        Some(&adj.km),
        ["adjusted_km", "adjusted_at_times"],
        [
            &super::model_rows::caption(t.t_adjusted_km, adj, t),
            t.t_adjusted_at_times,
        ],
        t,
    )
}

/// `adjusted.bootstrap`: bootstrap SE and percentile CI of each HR and RMST difference.
pub(crate) fn bootstrap_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(b) = r.adjusted.as_ref().and_then(|a| a.bootstrap.as_ref()) else {
        return vec![];
    };
    let caption = fill(
        t.t_bootstrap,
        &[
            ("replicates", &b.replicates.to_string()),
            ("used", &b.replicates_used.to_string()),
            ("seed", &b.seed.to_string()),
        ],
    );
    let mut tab = Table::new(
        "bootstrap",
        &caption,
        &[t.c_term, t.c_se, &level_header(t, None)],
    );
    for x in &b.cox {
        tab.row(vec![
            fill(t.bootstrap_log_hr, &[("term", &x.name)]),
            num(x.se, 4),
            ratio_ci(x.lower, x.upper, t),
        ]);
    }
    for x in &b.rmst_difference {
        tab.row(vec![
            fill(t.bootstrap_rmst, &[("a", &x.a), ("b", &x.b)]),
            num(x.se, 4),
            ci(x.lower, x.upper, 2, t),
        ]);
    }
    vec![tab]
}

/// `landmark[]`: patients at each landmark, medians, log-rank and Cox group terms.
pub(crate) fn landmark_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let list = r.landmark.as_deref().unwrap_or_default();
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
        let time = fmt_num(lm.time);
        let curves = lm.km.as_ref().map_or(&[][..], |km| &km.curves);
        for g in &lm.groups {
            let m = curves
                .iter()
                .find(|c| c.group == g.label)
                .map(|c| &c.median);
            let median = match estimated(m.and_then(|m| m.estimate)) {
                Some(v) => num(Some(v), 1),
                None if curves.is_empty() => String::new(),
                None => t.not_reached.to_string(),
            };
            tab.row(vec![
                time.clone(),
                g.label.clone(),
                g.n.to_string(),
                g.events.to_string(),
                median,
                ci(m.and_then(|m| m.lower), m.and_then(|m| m.upper), 1, t),
            ]);
        }
        let moved: Vec<String> = lm
            .reassigned
            .iter()
            .map(|x| format!("{} {} → {}", x.n, x.from, x.to))
            .collect();
        let lr = match &lm.logrank {
            Skip::Value(lr) => Some(lr),
            _ => None,
        };
        tests.row(vec![
            time,
            lm.n.to_string(),
            lm.left_out_before.to_string(),
            moved.join("; "),
            num(lr.map(|x| x.chisq), 2),
            p_cell(lr.map(|x| x.p)),
        ]);
    }
    vec![tab, tests]
}

/// `time_dependent`: the Cox model with treatment as a time-dependent covariate and
/// the Simon–Makuch medians.
pub(crate) fn time_dependent_tables(r: &Report, spec: &Spec, t: &Texts) -> Vec<Table> {
    let Some(td) = &r.time_dependent else {
        return vec![];
    };
    let mut out = Vec::new();
    if let Skip::Value(cox) = &td.cox {
        out.push(cox_terms_table(
            "time_dependent_cox",
            &super::model_rows::caption(
                &super::i18n::with_adjustment(t.t_time_dependent_cox, spec, t),
                cox,
                t,
            ),
            &cox.terms,
            t,
        ));
        if let Some(ph) = &cox.ph_test {
            out.push(ph_table(
                "time_dependent_ph_test",
                t.t_ph_time_dependent,
                ph,
                t,
            ));
        }
    }
    out.extend(km_section_tables(
        Some(&td.km),
        ["simon_makuch", "simon_makuch_at_times"],
        [t.t_simon_makuch, t.t_simon_makuch_at_times],
        t,
    ));
    out
}

/// `immortal_time`: the naive, landmark and time-dependent group HRs side by side.
pub(crate) fn immortal_comparison_table(r: &Report, spec: &Spec, t: &Texts) -> Vec<Table> {
    let list = r.immortal_time.as_ref().map_or(&[][..], |c| &c.analyses);
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
    let count = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    for a in list {
        let name = match a.analysis.as_str() {
            "naive" => t.analysis_naive.to_string(),
            "landmark" => fill(
                t.analysis_landmark,
                &[("time", &fmt_num(a.landmark.unwrap_or(f64::NAN)))],
            ),
            "time_dependent" => t.analysis_time_dependent.to_string(),
            other => other.to_string(),
        };
        let name = super::i18n::with_adjustment(&name, spec, t);
        for x in &a.terms {
            tab.row(vec![
                name.clone(),
                count(a.n),
                count(a.n_events),
                x.group.clone(),
                ratio(x.hr),
                ratio_ci(x.lower, x.upper, t),
                p_cell(x.p),
            ]);
        }
    }
    vec![tab]
}
