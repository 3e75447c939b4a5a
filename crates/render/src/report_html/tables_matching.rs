//! The report's parts for `matching` (propensity-score matching, docs/results.md#matching):
//! the methods sentences (the settings, the matched analyses and the MatchIt call that
//! does the same in R), the flow sentences of the results, and the tables — patients
//! matched per comparison, balance before and after, log-rank tests stratified by
//! matched set, clustered Cox hazard ratios and RMST differences of the matched
//! samples. Words: `survlens_text::matching_words`; the figures: `figures.rs`.

use super::cite::{Citations, Work};
use super::html::{num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, join_list, Texts};
use super::methods::{fmt_num, unit_name};
use super::tables::{cox_terms_table, rmst_diff_table};
use survlens_contract::cox::CoxTerm;
use survlens_contract::matching::{MatchOrder, MatchedComparison, MatchingSpec};
use survlens_contract::report::{RmstDifference, Skip};
use survlens_contract::{Report, Spec};
use survlens_text::matching_words::{matching_words, MatchingWords};

/// The comparisons of the report (none when matching was not asked or had no groups).
fn comparisons(r: &Report) -> &[MatchedComparison] {
    match &r.matching {
        Skip::Value(v) => v,
        _ => &[],
    }
}

/// The covariates of the matching model: the section's own, else the spec's.
pub(crate) fn covariates(spec: &Spec, m: &MatchingSpec) -> Vec<String> {
    m.covariates
        .clone()
        .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect())
}

/// An SMD cell: 3 decimals, marked when |SMD| > 0.1.
fn smd_cell(x: Option<f64>, w: &MatchingWords) -> String {
    let text = num(x, 3);
    match x {
        Some(v) if v.abs() > 0.1 => format!("{text} {}", w.imbalanced_mark),
        _ => text,
    }
}

/// Every table of the matching section, in page order.
pub(crate) fn matching_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let list = comparisons(r);
    if list.is_empty() {
        return vec![];
    }
    let w = matching_words(t.lang);
    let mut flow = Table::new(
        "matching",
        w.t_flow,
        &[
            t.c_comparison,
            t.c_group,
            w.c_in_model,
            w.c_matched,
            w.c_unmatched,
            w.c_caliper_width,
        ],
    );
    let mut balance = Table::new(
        "matching_balance",
        w.t_balance,
        &[t.c_comparison, t.c_covariate, t.c_smd_before, t.c_smd_after],
    );
    let mut logrank = Table::new(
        "matching_logrank",
        w.t_logrank,
        &[t.c_comparison, t.c_chisq, t.c_df, t.c_p, w.c_test],
    );
    let mut terms: Vec<CoxTerm> = Vec::new();
    let mut diffs: Vec<RmstDifference> = Vec::new();
    for c in list {
        let label = format!("{} {} {}", c.a, t.versus, c.b);
        let caliper = c.caliper_width.map_or("—".to_string(), |x| num(Some(x), 3));
        for (group, m, u) in [
            (&c.a, c.n_matched.a, c.n_unmatched.a),
            (&c.b, c.n_matched.b, c.n_unmatched.b),
        ] {
            flow.row(vec![
                label.clone(),
                group.clone(),
                (m + u).to_string(),
                m.to_string(),
                u.to_string(),
                caliper.clone(),
            ]);
        }
        for b in &c.balance {
            balance.row(vec![
                label.clone(),
                b.term.clone(),
                smd_cell(b.smd_before, w),
                smd_cell(b.smd_after, w),
            ]);
        }
        if let Some(lr) = &c.logrank {
            logrank.row(vec![
                label.clone(),
                num(Some(lr.chisq), 2),
                lr.df.to_string(),
                p_cell(Some(lr.p)),
                if lr.stratified {
                    w.test_stratified
                } else {
                    w.test_plain
                }
                .to_string(),
            ]);
        }
        if let Some(cox) = &c.cox {
            terms.extend(cox.terms.iter().cloned());
        }
        diffs.extend(c.rmst_difference.iter().flatten().cloned());
    }
    let mut out = vec![flow, balance];
    if !logrank.rows.is_empty() {
        out.push(logrank);
    }
    if !terms.is_empty() {
        out.push(cox_terms_table("matching_cox", w.t_cox, &terms, t));
    }
    if !diffs.is_empty() {
        out.push(rmst_diff_table(
            "matching_rmst_difference",
            w.t_rmst,
            &diffs,
            t,
        ));
    }
    out
}

/// A column as an R formula term: as it is when it is a syntactic name, else
/// backquoted.
fn r_name(c: &str) -> String {
    let mut chars = c.chars();
    let syntactic = chars
        .next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '.')
        && c.chars()
            .all(|x| x.is_ascii_alphanumeric() || x == '.' || x == '_');
    if syntactic {
        c.to_string()
    } else {
        crate::rscript::term(c)
    }
}

/// The MatchIt call of one comparison as the methods paragraph and the R script write
/// it: `treat` is 1 in the treated group, the data the rows of the two groups.
pub(crate) fn matchit_call(covariates: &[String], m: &MatchingSpec) -> String {
    let formula = if covariates.is_empty() {
        "1".to_string()
    } else {
        covariates
            .iter()
            .map(|c| r_name(c))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let caliper = m.caliper.map_or("NULL".to_string(), |c| {
        format!("{}, std.caliper = TRUE", fmt_num(c))
    });
    format!(
        "MatchIt::matchit(treat ~ {formula}, data = d_ab, method = \"nearest\", distance = \"glm\", link = \"linear.logit\", caliper = {caliper}, ratio = {}, replace = {}, m.order = \"{}\")",
        m.ratio,
        if m.replace { "TRUE" } else { "FALSE" },
        m.order.name()
    )
}

/// The methods sentences of `matching`, when asked with a group.
pub(crate) fn methods_sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let (Some(m), Some(_)) = (&spec.matching, &spec.group) else {
        return;
    };
    let w = matching_words(t.lang);
    let covs = covariates(spec, m);
    let reference = report
        .groups
        .first()
        .map(|g| g.label.clone())
        .unwrap_or_default();
    let caliper = match m.caliper {
        Some(x) => fill(w.caliper_sd, &[("width", &fmt_num(x))]),
        None => w.no_caliper.to_string(),
    };
    let order = match m.order {
        MatchOrder::Largest => w.order_largest,
        MatchOrder::Smallest => w.order_smallest,
        MatchOrder::Data => w.order_data,
    };
    let austin = c.cite(Work::Austin2011);
    let ho = c.cite(Work::HoImaiKingStuart2011);
    out.push(fill(
        w.m_matching,
        &[
            ("reference", &reference),
            ("covariates", &join_list(&covs, t)),
            ("ratio", &m.ratio.to_string()),
            ("caliper", &caliper),
            (
                "replace",
                if m.replace {
                    w.with_replacement
                } else {
                    w.without_replacement
                },
            ),
            ("order", order),
            ("c_austin", &austin),
            ("c_ho", &ho),
        ],
    ));
    let rmst = match &spec.rmst {
        Some(r) => fill(
            w.m_rmst,
            &[("tau", &fmt_num(r.tau)), ("unit", unit_name(spec, t))],
        ),
        None => String::new(),
    };
    let analyses = if m.replace {
        w.m_analyses_replace
    } else {
        w.m_analyses
    };
    out.push(fill(analyses, &[("rmst", &rmst)]));
    out.push(fill(w.m_r, &[("call", &matchit_call(&covs, m))]));
    if m.caliper.is_some_and(|x| x < 1.0) {
        out.push(w.m_r_caliper_note.to_string());
    }
}

/// The results sentences: per comparison its flow and its matched hazard ratio.
pub(crate) fn result_sentences(report: &Report, t: &Texts, out: &mut Vec<String>) {
    let w = matching_words(t.lang);
    for c in comparisons(report) {
        let template = if c.caliper_width.is_some() {
            w.r_flow_caliper
        } else {
            w.r_flow
        };
        out.push(fill(
            template,
            &[
                ("a", &c.a),
                ("b", &c.b),
                ("n_a", &(c.n_matched.a + c.n_unmatched.a).to_string()),
                ("matched_a", &c.n_matched.a.to_string()),
                ("unmatched_a", &c.n_unmatched.a.to_string()),
                ("n_b", &(c.n_matched.b + c.n_unmatched.b).to_string()),
                ("matched_b", &c.n_matched.b.to_string()),
            ],
        ));
        for x in c.cox.iter().flat_map(|cox| &cox.terms) {
            if x.hr.is_none() {
                continue;
            }
            out.push(fill(
                w.r_hr,
                &[
                    ("a", &c.a),
                    ("b", &c.b),
                    ("hr", &ratio(x.hr)),
                    ("ci", &ratio_ci(x.lower, x.upper, t)),
                    ("p", &p_text(x.p)),
                ],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_terms_are_backquoted_only_when_r_needs_it() {
        assert_eq!(r_name("age"), "age");
        assert_eq!(r_name("kit.exon_2"), "kit.exon_2");
        assert_eq!(r_name("tumour size"), "`tumour size`");
        assert_eq!(r_name("2nd_line"), "`2nd_line`");
        assert_eq!(r_name("a`b"), "`a\\`b`");
        let m = MatchingSpec {
            caliper: None,
            replace: true,
            order: MatchOrder::Data,
            ratio: 3,
            ..Default::default()
        };
        assert_eq!(
            matchit_call(&["age".into(), "ECOG PS".into()], &m),
            "MatchIt::matchit(treat ~ age + `ECOG PS`, data = d_ab, method = \"nearest\", distance = \"glm\", link = \"linear.logit\", caliper = NULL, ratio = 3, replace = TRUE, m.order = \"data\")"
        );
    }
}
