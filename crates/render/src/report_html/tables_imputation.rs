//! The report's parts for `imputation` (docs/results.md#imputation): the methods
//! sentences (the imputation model, m, iterations, seed — or the imported sets — and
//! Rubin's rules with Barnard–Rubin degrees of freedom), the pooled tables beside the
//! complete-case ones, the results sentence of the pooled group terms, the observed vs
//! imputed figure and STROBE item 12c. Words: `survlens_text::imputation_words`;
//! numbers as every table (crates/text numbers.rs through `html`).

use super::cite::{Citations, Work};
use super::figures::{Figure, FigureInput, WIDTH};
use super::html::{ci, num, p_cell, p_text, ratio, ratio_ci, Table};
use super::i18n::{fill, join_list, Texts};
use super::tables::level_header;
use crate::plot::{self, FigureOptions, PlotError};
use survlens_contract::imputation::{ImputationSection, PooledRmstDifference, PooledTerm};
use survlens_contract::{Report, Spec};
use survlens_text::imputation_words::{imputation_words, ImputationWords};

/// The methods sentences of the section (none without it).
pub(crate) fn methods_sentences(
    spec: &Spec,
    report: &Report,
    t: &Texts,
    c: &mut Citations,
    out: &mut Vec<String>,
) {
    let (Some(imp), Some(asked)) = (&report.imputation, &spec.imputation) else {
        return;
    };
    let w = imputation_words(t.lang);
    let m = imp.m.to_string();
    match (&asked.imputed, &imp.n_imputed) {
        (Some(column), _) => out.push(fill(w.m_imported, &[("m", &m), ("column", column)])),
        (None, Some(n_imputed)) if n_imputed.values().any(|&n| n > 0) => {
            let vanbuuren = c.cite(Work::VanBuurenGroothuisOudshoorn2011);
            let white = c.cite(Work::WhiteRoyston2009);
            let columns: Vec<String> = n_imputed
                .iter()
                .filter(|(_, &n)| n > 0)
                .map(|(k, _)| k.clone())
                .collect();
            let group = spec.group.as_ref().map_or(String::new(), |g| {
                fill(w.m_chained_group, &[("name", &g.column)])
            });
            out.push(fill(
                w.m_chained,
                &[
                    ("columns", &join_list(&columns, t)),
                    ("c_vanbuuren", &vanbuuren),
                    ("c_white", &white),
                    ("group", &group),
                    ("m", &m),
                    (
                        "iterations",
                        &imp.iterations
                            .unwrap_or(asked.iterations_or_default())
                            .to_string(),
                    ),
                    (
                        "seed",
                        &imp.seed.unwrap_or(asked.seed_or_default()).to_string(),
                    ),
                ],
            ));
        }
        (None, _) => out.push(fill(w.m_nothing_missing, &[("m", &m)])),
    }
    let mut models: Vec<String> = Vec::new();
    if imp.cox.is_some() {
        models.push(w.model_cox.into());
    }
    if imp.rmst_difference.as_ref().is_some_and(|d| !d.is_empty()) {
        models.push(w.model_rmst.into());
    }
    if imp.adjusted.is_some() {
        models.push(w.model_adjusted.into());
    }
    if !models.is_empty() {
        let rubin = c.cite(Work::Rubin1987);
        let barnard = c.cite(Work::BarnardRubin1999);
        out.push(fill(
            w.m_rubin,
            &[
                ("models", &join_list(&models, t)),
                ("c_rubin", &rubin),
                ("c_barnard", &barnard),
            ],
        ));
        out.push(w.m_complete_case.to_string());
    }
}

/// The pooled tables: values imputed per column, Cox, RMST differences, the weighted
/// comparisons.
pub(crate) fn imputation_tables(r: &Report, _: &Spec, t: &Texts) -> Vec<Table> {
    let Some(imp) = &r.imputation else {
        return vec![];
    };
    let w = imputation_words(t.lang);
    let m = imp.m.to_string();
    let mut out = Vec::new();
    if let Some(n_imputed) = &imp.n_imputed {
        let mut tab = Table::new(
            "imputation_n",
            w.t_imputed,
            &[t.c_column, w.c_n_imputed, w.c_percent_imputed],
        );
        for (column, &n) in n_imputed {
            let pct = (imp.n > 0).then(|| 100.0 * n as f64 / imp.n as f64);
            tab.row(vec![column.clone(), n.to_string(), num(pct, 1)]);
        }
        out.push(tab);
    }
    if let Some(cox) = &imp.cox {
        out.push(pooled_terms_table(
            "imputation_cox",
            &fill(w.t_cox, &[("m", &m)]),
            &cox.terms,
            t,
            w,
        ));
    }
    if let Some(d) = imp.rmst_difference.as_ref().filter(|d| !d.is_empty()) {
        out.push(pooled_rmst_table(
            "imputation_rmst",
            &fill(w.t_rmst, &[("m", &m)]),
            d,
            t,
            w,
        ));
    }
    if let Some(adj) = &imp.adjusted {
        if let Some(cox) = &adj.cox {
            out.push(pooled_terms_table(
                "imputation_adjusted_cox",
                &fill(w.t_adjusted_cox, &[("m", &m)]),
                &cox.terms,
                t,
                w,
            ));
        }
        if let Some(d) = adj.rmst_difference.as_ref().filter(|d| !d.is_empty()) {
            out.push(pooled_rmst_table(
                "imputation_adjusted_rmst",
                &fill(w.t_adjusted_rmst, &[("m", &m)]),
                d,
                t,
                w,
            ));
        }
    }
    out
}

fn pooled_terms_table(
    id: &'static str,
    caption: &str,
    terms: &[PooledTerm],
    t: &Texts,
    w: &ImputationWords,
) -> Table {
    let mut tab = Table::new(
        id,
        caption,
        &[
            t.c_term,
            t.c_hr,
            &level_header(t, None),
            t.c_p,
            w.c_df,
            w.c_fmi,
        ],
    );
    for x in terms {
        tab.row(vec![
            x.name.clone(),
            ratio(x.hr),
            ratio_ci(x.lower, x.upper, t),
            p_cell(x.p),
            df_cell(x.df),
            num(x.fmi, 3),
        ]);
    }
    tab
}

fn pooled_rmst_table(
    id: &'static str,
    caption: &str,
    diffs: &[PooledRmstDifference],
    t: &Texts,
    w: &ImputationWords,
) -> Table {
    let mut tab = Table::new(
        id,
        caption,
        &[
            t.c_comparison,
            w.c_tau,
            w.c_difference,
            &level_header(t, None),
            t.c_p,
            w.c_df,
            w.c_fmi,
        ],
    );
    for x in diffs {
        tab.row(vec![
            format!("{} − {}", x.a, x.b),
            super::methods::fmt_num(x.tau),
            num(Some(x.estimate), 2),
            ci(Some(x.lower), Some(x.upper), 2, t),
            p_cell(Some(x.p)),
            df_cell(x.df),
            num(x.fmi, 3),
        ]);
    }
    tab
}

/// Degrees of freedom as shown: beyond 10⁵ they are the large-sample limit (no
/// imputation variance, B = 0, or an infinite complete-data df), written ∞.
fn df_cell(df: Option<f64>) -> String {
    match df {
        Some(d) if d > 1e5 => "∞".to_string(),
        d => num(d, 1),
    }
}

/// The results sentences of the pooled group terms of the Cox model.
pub(crate) fn results_sentences(r: &Report, spec: &Spec, t: &Texts) -> Vec<String> {
    let (Some(imp), Some(g)) = (&r.imputation, &spec.group) else {
        return vec![];
    };
    let w = imputation_words(t.lang);
    let prefix = format!("{}=", g.column);
    imp.cox
        .iter()
        .flat_map(|c| &c.terms)
        .filter(|x| x.name.starts_with(&prefix) && x.hr.is_some())
        .map(|x| {
            fill(
                w.r_pooled_hr,
                &[
                    ("m", &imp.m.to_string()),
                    ("term", &x.name),
                    ("hr", &ratio(x.hr)),
                    ("ci", &ratio_ci(x.lower, x.upper, t)),
                    ("p", &p_text(x.p)),
                    ("fmi", &num(x.fmi.map(|f| 100.0 * f), 0)),
                ],
            )
        })
        .collect()
}

/// STROBE item 12c with multiple imputation: where the report documents it.
pub(crate) fn strobe_12c(imp: &ImputationSection, t: &Texts) -> String {
    fill(
        imputation_words(t.lang).s_missing_imputed,
        &[("m", &imp.m.to_string())],
    )
}

/// The observed vs imputed figure (when SurvLens imputed).
pub(crate) fn imputation_figure(input: &FigureInput) -> Vec<Result<Figure, PlotError>> {
    let Some(d) = input
        .report
        .imputation
        .as_ref()
        .and_then(|i| i.diagnostics.as_ref())
        .filter(|d| !d.is_empty())
    else {
        return vec![];
    };
    let diagnostics: Vec<plot::Diagnostic> = d.iter().map(plot::Diagnostic::of).collect();
    let o = FigureOptions {
        lang: input.lang,
        ..FigureOptions::default()
    };
    vec![
        plot::render_imputation_svg(&diagnostics, &o, WIDTH as u32).map(|svg| Figure {
            id: "figure-imputation".into(),
            caption: input.texts.fig_imputation.to_string(),
            svg,
        }),
    ]
}
