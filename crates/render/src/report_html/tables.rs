//! The report's tables, read from the typed results document (docs/results.md) and the
//! spec that ran, so a section added to the contract needs only one more builder in
//! [`TABLES`].

use super::html::{ci, count, num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, Texts};
use super::tables_competing as competing;
use super::tables_confounding as confounding;
use super::tables_more as more;
use super::tables_subgroups as subgroups;
use survlens_contract::cox::{CoxTerm, PhTest};
use survlens_contract::report::{KmSection, RmstDifference, Skip};
use survlens_contract::table1::{CategoricalTest, Table1Row};
use survlens_contract::{Report, Spec};

/// A builder: the tables of one section (none when the section is absent).
pub type TableFn = fn(&Report, &Spec, &Texts) -> Vec<Table>;

/// Every table of the report, in page order. Add a section's builder here.
pub const TABLES: &[TableFn] = &[
    data_tables,
    table1_table,
    km_tables,
    super::tables_follow_up::follow_up_tables,
    logrank_tables,
    rmst_tables,
    cox_tables,
    super::tables_periods::periods_table,
    more::cox_univariable_table,
    competing::competing_tables,
    subgroups::subgroups_tables,
    more::ps_model_table,
    confounding::propensity_tables,
    more::adjusted_km_tables,
    competing::adjusted_cif_table,
    confounding::adjusted_tables,
    more::bootstrap_tables,
    super::tables_imputation::imputation_tables,
    confounding::sensitivity_table,
    super::tables_matching::matching_tables,
    super::tables_emulation::emulation_tables,
    more::landmark_tables,
    more::time_dependent_tables,
    more::immortal_comparison_table,
];

pub(crate) fn level_header(t: &Texts, level: Option<f64>) -> String {
    let pct = num(Some(level.unwrap_or(0.95) * 100.0), 0);
    fill(t.c_ci, &[("level", &pct)])
}

fn data_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let mut groups = Table::new("groups", t.t_groups, &[t.c_group, t.c_n, t.c_events]);
    for g in &r.groups {
        let label = if g.label == "all" && r.groups.len() == 1 {
            t.all_patients.to_string()
        } else {
            g.label.clone()
        };
        groups.row(vec![label, g.n.to_string(), g.events.to_string()]);
    }
    let mut out = vec![groups];
    let reasons = &r.data.excluded_by_reason;
    if !reasons.is_empty() {
        let mut ex = Table::new("exclusions", t.t_exclusions, &[t.c_reason, t.c_n]);
        for (k, n) in reasons {
            ex.row(vec![super::i18n::reason_name(k, t), n.to_string()]);
        }
        out.push(ex);
    }
    out
}

fn table1_table(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(t1) = &r.table1 else {
        return vec![];
    };
    let groups: Vec<String> = t1
        .groups
        .iter()
        .map(|g| format!("{} (n = {})", g.label, g.n))
        .collect();
    let mut headers: Vec<&str> = vec![t.c_covariate];
    headers.extend(groups.iter().map(String::as_str));
    headers.extend([t.c_overall, t.c_p, "SMD"]);
    let mut tab = Table::new("table1", t.t_table1, &headers);
    for row in &t1.rows {
        match row {
            Table1Row::Numeric(row) => {
                let p = p_cell(row.test.as_ref().map(|x| x.p));
                let cell = |mean, sd| format!("{} ({})", num(mean, 1), num(sd, 1));
                let mut cells = vec![format!("{}{}", row.covariate, t.mean_sd)];
                cells.extend(row.by_group.iter().map(|d| cell(d.mean, d.sd)));
                cells.extend([
                    cell(row.overall.mean, row.overall.sd),
                    p,
                    num(row.max_abs_smd, 2),
                ]);
                tab.row(cells);
            }
            Table1Row::Categorical(row) => {
                let p = p_cell(row.test.as_ref().map(|x| match x {
                    CategoricalTest::Chisq { p, .. } | CategoricalTest::Fisher { p } => *p,
                }));
                let mut head = vec![format!("{}{}", row.covariate, t.n_percent)];
                head.extend(groups.iter().map(|_| String::new()));
                head.extend([String::new(), p, num(row.max_abs_smd, 2)]);
                tab.row(head);
                let cell = |n: usize, pct| format!("{n} ({})", num(pct, 1));
                for level in &row.levels {
                    let mut cells = vec![format!("   {}", level.level)];
                    cells.extend(level.by_group.iter().map(|d| cell(d.n, d.percent)));
                    cells.extend([
                        cell(level.overall.n, level.overall.percent),
                        String::new(),
                        String::new(),
                    ]);
                    tab.row(cells);
                }
            }
        }
    }
    vec![tab]
}

fn km_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    km_section_tables(r.km.as_ref(), ["km", "at_times"], [t.t_km, t.t_at_times], t)
}

/// The median table and the survival-at-times table (when asked) of a Kaplan–Meier
/// section `km` (the main one, the weighted one, a landmark's ...), with these ids and
/// captions.
pub(crate) fn km_section_tables(
    km: Option<&KmSection>,
    ids: [&'static str; 2],
    captions: [&str; 2],
    t: &Texts,
) -> Vec<Table> {
    let Some(km) = km else {
        return vec![];
    };
    let ci_h = level_header(t, Some(km.conf_level));
    let mut med = Table::new(ids[0], captions[0], &[t.c_group, t.c_median, &ci_h]);
    let mut at = Table::new(
        ids[1],
        captions[1],
        &[t.c_group, t.c_time, t.c_at_risk, t.c_survival, &ci_h],
    );
    for c in &km.curves {
        let m = &c.median;
        let est = match estimated(m.estimate) {
            Some(v) => num(Some(v), 1),
            None => t.not_reached.to_string(),
        };
        med.row(vec![c.group.clone(), est, ci(m.lower, m.upper, 1, t)]);
        for a in &c.at_times {
            if a.beyond_follow_up {
                // Nothing is estimated past the curve's last observed time.
                at.row(vec![
                    c.group.clone(),
                    num(Some(a.time), 1),
                    count(0.0),
                    t.beyond_follow_up.to_string(),
                    t.beyond_follow_up.to_string(),
                ]);
                continue;
            }
            at.row(vec![
                c.group.clone(),
                num(Some(a.time), 1),
                count(a.n_risk),
                num(a.surv, 3),
                ci(a.lower, a.upper, 3, t),
            ]);
        }
    }
    if at.rows.is_empty() {
        vec![med]
    } else {
        vec![med, at]
    }
}

/// An estimate that exists: `None` for a missing or non-finite value (the results
/// document writes both as `null`).
pub(crate) fn estimated(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

fn logrank_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Skip::Value(lr) = &r.logrank else {
        return vec![];
    };
    let mut main = Table::new(
        "logrank",
        t.t_logrank,
        &[t.c_group, t.c_observed, t.c_expected],
    );
    for g in &lr.groups {
        main.row(vec![
            g.label.clone(),
            num(Some(g.observed), 1),
            num(Some(g.expected), 1),
        ]);
    }
    main.row(vec![
        format!(
            "{} = {}, {} = {}",
            t.c_chisq,
            num(Some(lr.chisq), 2),
            t.c_df,
            lr.df
        ),
        String::new(),
        p_text(Some(lr.p)),
    ]);
    let mut out = vec![main];
    if !lr.pairwise.is_empty() {
        let mut pw = Table::new(
            "pairwise",
            t.t_pairwise,
            &[t.c_comparison, t.c_chisq, t.c_p, t.c_p_adjusted],
        );
        for p in &lr.pairwise {
            pw.row(vec![
                format!("{} {} {}", p.a, t.versus, p.b),
                num(Some(p.chisq), 2),
                p_cell(Some(p.p)),
                p_cell(Some(p.p_adjusted)),
            ]);
        }
        out.push(pw);
    }
    out
}

pub(crate) fn rmst_diff_table(
    id: &'static str,
    caption: &str,
    diffs: &[RmstDifference],
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
            format!("{} − {}", x.a, x.b),
            num(Some(x.estimate), 2),
            ci(Some(x.lower), Some(x.upper), 2, t),
            p_cell(Some(x.p)),
        ]);
    }
    d
}

fn rmst_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let mut out = Vec::new();
    let curves = r.km.as_ref().map_or(&[][..], |km| &km.curves);
    if curves.iter().any(|c| c.rmst.is_some()) {
        let mut tab = Table::new("rmst", t.t_rmst, &["τ", t.c_group, t.c_rmst, t.c_se]);
        for c in curves {
            let Some(m) = &c.rmst else { continue };
            tab.row(vec![
                num(Some(m.tau), 1),
                c.group.clone(),
                num(Some(m.estimate), 2),
                num(Some(m.se), 2),
            ]);
        }
        out.push(tab);
    }
    let diffs = r.rmst_difference.as_deref().unwrap_or_default();
    if !diffs.is_empty() {
        out.push(rmst_diff_table("rmst_difference", t.t_rmst_diff, diffs, t));
    }
    out
}

pub(crate) fn cox_terms_table(
    id: &'static str,
    caption: &str,
    terms: &[CoxTerm],
    t: &Texts,
) -> Table {
    terms_table(id, caption, t.c_hr, terms, t)
}

/// A model's terms: name, ratio (`ratio_header`: hazard ratio, subdistribution HR), its
/// CI and p.
pub(crate) fn terms_table(
    id: &'static str,
    caption: &str,
    ratio_header: &str,
    terms: &[CoxTerm],
    t: &Texts,
) -> Table {
    let mut tab = Table::new(
        id,
        caption,
        &[t.c_term, ratio_header, &level_header(t, None), t.c_p],
    );
    for x in terms {
        tab.row(vec![
            x.name.clone(),
            ratio(x.hr),
            ratio_ci(x.lower, x.upper, t),
            p_cell(x.p),
        ]);
    }
    tab
}

fn cox_tables(r: &Report, spec: &Spec, t: &Texts) -> Vec<Table> {
    let Skip::Value(cox) = &r.cox else {
        return vec![];
    };
    let title = super::i18n::with_adjustment(t.t_cox, spec, t);
    let caption = super::model_rows::caption(&title, cox, t);
    let mut out = vec![cox_terms_table("cox", &caption, &cox.terms, t)];
    let mut tests = Table::new(
        "cox_tests",
        t.t_cox_tests,
        &[t.c_test, t.c_chisq, t.c_df, t.c_p],
    );
    for (x, label) in [
        (&cox.tests.lr, t.test_lr),
        (&cox.tests.wald, t.test_wald),
        (&cox.tests.score, t.test_score),
    ] {
        tests.row(vec![
            label.to_string(),
            num(Some(x.chisq), 2),
            x.df.to_string(),
            p_cell(x.p),
        ]);
    }
    if let Some(c) = cox.concordance.as_ref().filter(|c| c.estimate.is_finite()) {
        tests.row(vec![
            t.concordance.into(),
            num(Some(c.estimate), 3),
            String::new(),
            format!("SE {}", num(Some(c.se), 3)),
        ]);
    }
    out.push(tests);
    if let Some(ph) = &cox.ph_test {
        out.push(ph_table("ph_test", t.t_ph, ph, t));
    }
    out
}

/// The proportional-hazards test table (`cox.zph`): each term, then the global test.
/// The one formatter of the Cox model's test and of the time-dependent model's
/// (`time_dependent.cox.ph_test`).
pub(crate) fn ph_table(id: &'static str, title: &str, ph: &PhTest, t: &Texts) -> Table {
    let mut tab = Table::new(id, title, &[t.c_term, t.c_chisq, t.c_df, t.c_p]);
    for x in &ph.terms {
        tab.row(vec![
            x.name.clone(),
            num(Some(x.chisq), 2),
            x.df.to_string(),
            p_cell(x.p),
        ]);
    }
    tab.row(vec![
        t.global.to_string(),
        num(Some(ph.global.chisq), 2),
        ph.global.df.to_string(),
        p_cell(ph.global.p),
    ]);
    tab
}
