//! Tables and methods sentences of the `subgroups` section and `adjusted.subgroups`
//! (docs/results.md#subgroups): one line per group term of every level (the overall
//! row first) with events/n per group, and the interaction test of every column.
//! Numbers as every table: crates/text numbers.rs through `html`.

use super::cite::{Citations, Work};
use super::html::{num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, join_list, Texts};
use super::tables::level_header;
use survlens_contract::report::Skip;
use survlens_contract::subgroups::{SubgroupRow, SubgroupsSection};
use survlens_contract::{Report, Spec};

/// `subgroups` and `adjusted.subgroups`: the estimates and the interaction tests.
pub(crate) fn subgroups_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let mut out = Vec::new();
    if let Skip::Value(s) = &r.subgroups {
        out.extend(section_tables(
            s,
            ("subgroups", "interaction"),
            t.t_subgroups,
            t.t_interaction,
            t,
        ));
    }
    if let Some(s) = r.adjusted.as_ref().and_then(|a| a.subgroups.as_ref()) {
        let ids = ("adjusted_subgroups", "adjusted_interaction");
        out.extend(section_tables(
            s,
            ids,
            t.t_adjusted_subgroups,
            t.t_adjusted_interaction,
            t,
        ));
    }
    out
}

fn section_tables(
    s: &SubgroupsSection,
    (id, id_test): (&'static str, &'static str),
    caption: &str,
    caption_test: &str,
    t: &Texts,
) -> [Table; 2] {
    let ci = level_header(t, None);
    let headers = [t.c_subgroup, t.c_events_n, t.c_term, t.c_hr, &ci, t.c_p];
    let mut tab = Table::new(id, caption, &headers);
    for row in &s.rows {
        let counts: Vec<String> = row
            .by_group
            .iter()
            .map(|g| format!("{} {}/{}", g.group, g.events, g.n))
            .collect();
        let (label, counts) = (row_label(row, t), counts.join("; "));
        match &row.terms {
            Some(terms) => {
                for x in terms {
                    tab.row(vec![
                        label.clone(),
                        counts.clone(),
                        x.name.clone(),
                        ratio(x.hr),
                        ratio_ci(x.lower, x.upper, t),
                        p_cell(x.p),
                    ]);
                }
            }
            None => tab.row(vec![
                label,
                counts,
                t.subgroup_no_estimate.to_string(),
                ratio(None),
                ratio_ci(None, None, t),
                p_cell(None),
            ]),
        }
    }
    let mut tests = Table::new(
        id_test,
        caption_test,
        &[t.c_subgroup, t.c_test, t.c_chisq, t.c_df, t.c_p],
    );
    for x in &s.interaction {
        let test = if x.test == "wald_robust" {
            t.test_wald_robust
        } else {
            t.test_lr
        };
        tests.row(vec![
            x.column.clone(),
            test.to_string(),
            num(x.chisq, 2),
            x.df.to_string(),
            p_cell(x.p),
        ]);
    }
    [tab, tests]
}

/// "All patients", or "column: level".
fn row_label(row: &SubgroupRow, t: &Texts) -> String {
    match &row.column {
        None => t.all_patients.to_string(),
        Some(c) => format!("{c}: {}", row.level),
    }
}

/// The methods sentences of `subgroups` (none when not asked or not computed).
pub(super) fn sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let (Some(sg), Skip::Value(s)) = (&spec.subgroups, &report.subgroups) else {
        return;
    };
    let columns: Vec<String> = sg
        .columns
        .iter()
        .map(|col| {
            let levels: Vec<&str> = s
                .rows
                .iter()
                .filter(|r| r.column.as_deref() == Some(col.column.as_str()))
                .map(|r| r.level.as_str())
                .collect();
            format!("{} ({})", col.column, levels.join(", "))
        })
        .collect();
    let adjustment = if sg.adjust && !spec.covariates.is_empty() {
        let covs: Vec<String> = spec.covariates.iter().map(|x| x.column.clone()).collect();
        fill(t.adjusted_for, &[("covariates", &join_list(&covs, t))])
    } else {
        t.unadjusted.to_string()
    };
    let wald = s.interaction.iter().any(|x| x.test == "wald_robust");
    let test = if wald {
        t.m_subgroups_wald
    } else {
        t.m_subgroups_lr
    };
    let c_cox = c.cite(Work::Cox1972);
    out.push(fill(
        t.m_subgroups,
        &[
            ("columns", &join_list(&columns, t)),
            ("adjustment", &adjustment),
            ("c_cox", &c_cox),
            ("test", test),
        ],
    ));
    if report
        .adjusted
        .as_ref()
        .is_some_and(|a| a.subgroups.is_some())
    {
        out.push(t.m_subgroups_adjusted.to_string());
    }
}

/// The results sentences: each column's interaction test, crude and weighted.
pub(super) fn result_sentences(report: &Report, t: &Texts, out: &mut Vec<String>) {
    let crude = match &report.subgroups {
        Skip::Value(s) => Some(s),
        _ => None,
    };
    let weighted = report.adjusted.as_ref().and_then(|a| a.subgroups.as_ref());
    let sections = [
        (crude, t.r_interaction),
        (weighted, t.r_interaction_adjusted),
    ];
    for (section, template) in sections {
        for x in section.iter().flat_map(|s| &s.interaction) {
            if x.chisq.is_none() {
                continue;
            }
            let test = if x.test == "wald_robust" {
                t.test_wald_robust
            } else {
                t.test_lr
            };
            out.push(fill(
                template,
                &[
                    ("column", &x.column),
                    ("test", test),
                    ("chisq", &num(x.chisq, 2)),
                    ("df", &x.df.to_string()),
                    ("p", &p_text(x.p)),
                ],
            ));
        }
    }
}
