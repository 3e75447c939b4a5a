//! The report's multiple imputation (issue 21): the methods name the imputation model
//! (PMM, logistic / multinomial regression, event indicator and Nelson–Aalen), m,
//! iterations and seed — or, for imported sets, that the file's m sets were pooled —
//! and Rubin's rules with Barnard–Rubin df; the pooled tables carry the Report's numbers
//! through the one formatter; the observed vs imputed figure is drawn from
//! `imputation.diagnostics`; STROBE 12c says where missing data are handled; both
//! languages. Also the page's figure registry entry `imputation_diagnostics`.

use std::collections::BTreeMap;
use survlens::contract::imputation::ImputationDiagnostic;
use survlens::messages::numbers::{fixed, p_cell, ratio};
use survlens::report_html::{render, Lang, ReportOptions};

use crate::report_full::table;

fn case(name: &str) -> (Vec<u8>, survlens::Spec) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    let data = std::fs::read(dir.join("data.csv")).unwrap();
    let spec = survlens::Spec::from_json(&std::fs::read_to_string(dir.join("spec.json")).unwrap())
        .unwrap();
    (data, spec)
}

fn html(report: &survlens::Report, spec: &survlens::Spec, data: &[u8], lang: Lang) -> String {
    let opts = ReportOptions {
        data_name: "data.csv".into(),
        lang,
        include_patient_data: false,
    };
    render(report, spec, data, &opts).unwrap()
}

fn strobe_12c(html: &str) -> &str {
    let t = table(html, "strobe-table");
    let at = t.find("<td>12c</td>").expect("item 12c");
    &t[at..at + t[at..].find("</tr>").unwrap()]
}

#[test]
fn imported_sets_report_says_the_files_sets_were_pooled_with_the_pooled_tables() {
    let (data, spec) = case("imp_lung_adjusted");
    let report = survlens::Analysis::new(&spec).run(&data).unwrap();
    let imp = report.imputation.as_ref().expect("imputation");
    let en = html(&report, &spec, &data, Lang::En);
    let m = imp.m.to_string();
    assert!(en.contains(&format!(
        "The data file held {m} imputed data sets (stacked, numbered by the column .imp"
    )));
    assert!(en.contains("pooled by Rubin&#39;s rules") || en.contains("pooled by Rubin's rules"));
    assert!(en.contains("degrees of freedom of Barnard and Rubin"));
    assert!(
        !en.contains("predictive mean matching"),
        "SurvLens imputed nothing"
    );
    // The pooled Cox table: every term's HR, p, df and FMI through the one formatter.
    let cox = table(&en, "imputation_cox");
    for t in &imp.cox.as_ref().unwrap().terms {
        for cell in [ratio(t.hr), p_cell(t.p), fixed(t.df, 1), fixed(t.fmi, 3)] {
            assert!(
                cox.contains(&format!("<td>{cell}</td>")),
                "{} {cell}",
                t.name
            );
        }
    }
    let rmst = table(&en, "imputation_rmst");
    for d in imp.rmst_difference.as_ref().unwrap() {
        assert!(rmst.contains(&format!("<td>{}</td>", fixed(Some(d.estimate), 2))));
    }
    // The confounding step pooled too.
    table(&en, "imputation_adjusted_cox");
    // The complete-case Cox stays beside it.
    table(&en, "cox");
    assert!(strobe_12c(&en).contains("multiple imputation, 5 sets"));
    // References: Rubin 1987 and Barnard & Rubin 1999.
    assert!(en.contains("Rubin DB. Multiple Imputation for Nonresponse in Surveys"));
    assert!(en.contains("Barnard J, Rubin DB. Small-sample degrees of freedom"));
    // No imputed values of SurvLens's own: no figure.
    assert!(!en.contains("figure-imputation"));
    let zh = html(&report, &spec, &data, Lang::Zh);
    assert!(zh.contains(&format!("数据文件包含 {m} 个插补数据集")));
    assert!(zh.contains("Barnard 与 Rubin"));
    assert!(table(&zh, "imputation_cox").contains("缺失信息比例"));
    assert!(strobe_12c(&zh).contains("多重插补，5 个数据集"));
}

/// A report as SurvLens's own imputation writes it: n_imputed, iterations, seed and the
/// diagnostics (values made up here: the report only shows them).
fn imputed_by_survlens() -> (Vec<u8>, survlens::Spec, survlens::Report) {
    let (data, spec) = case("imp_pbc_two_groups");
    let mut report = survlens::Analysis::new(&spec).run(&data).unwrap();
    let mut spec = spec;
    spec.imputation = Some(survlens::contract::imputation::ImputationSpec {
        m: Some(5),
        iterations: Some(12),
        seed: Some(2024),
        imputed: None,
    });
    let imp = report.imputation.as_mut().unwrap();
    imp.iterations = Some(12);
    imp.seed = Some(2024);
    imp.n_imputed = Some(BTreeMap::from([("chol".into(), 28), ("copper".into(), 2)]));
    imp.diagnostics = Some(vec![
        ImputationDiagnostic {
            column: "chol".into(),
            kind: "numeric".into(),
            observed: Some(vec![261.0, 302.0, 176.0, 244.0]),
            imputed: Some((0..5).map(|k| vec![250.0 + k as f64, 300.0]).collect()),
            levels: None,
            observed_counts: None,
            imputed_counts: None,
        },
        ImputationDiagnostic {
            column: "stage".into(),
            kind: "categorical".into(),
            observed: None,
            imputed: None,
            levels: Some(vec!["1".into(), "2".into(), "3".into()]),
            observed_counts: Some(vec![10, 20, 30]),
            imputed_counts: Some(vec![1, 2, 7]),
        },
    ]);
    (data, spec, report)
}

#[test]
fn survlens_imputation_report_names_the_model_m_iterations_seed_and_draws_the_figure() {
    let (data, spec, report) = imputed_by_survlens();
    let en = html(&report, &spec, &data, Lang::En);
    for part in [
        "Missing covariate values (chol and copper) were imputed by multiple imputation by chained equations",
        "predictive mean matching for numeric covariates, logistic regression for two-level and multinomial logistic regression for other categorical covariates",
        "the group (trt), the event indicator and the Nelson–Aalen estimate of the cumulative hazard",
        "5 imputed data sets were created, each after 12 iterations of the chained equations, with random seed 2024",
        "van Buuren S, Groothuis-Oudshoorn K. mice",
        "White IR, Royston P. Imputing missing covariate values for the Cox model",
    ] {
        assert!(en.contains(part), "{part}");
    }
    let n = table(&en, "imputation_n");
    assert!(
        n.contains("<td>chol</td><td>28</td>") || (n.contains("chol") && n.contains("<td>28</td>"))
    );
    // The figure, with its caption, drawn from the diagnostics.
    let at = en
        .find("<figure id=\"figure-imputation\">")
        .expect("figure");
    let fig = &en[at..at + en[at..].find("</figure>").unwrap()];
    for part in [
        "chol (2 imputed)",
        "stage (10 imputed values, all sets)",
        "Observed",
        "Set 5",
        "Observed and imputed values of each imputed covariate",
    ] {
        assert!(fig.contains(part), "{part}");
    }
    let zh = html(&report, &spec, &data, Lang::Zh);
    assert!(zh.contains("采用链式方程多重插补"));
    assert!(zh.contains("随机种子 2024"));
    let at = zh
        .find("<figure id=\"figure-imputation\">")
        .expect("figure zh");
    let fig = &zh[at..at + zh[at..].find("</figure>").unwrap()];
    for part in ["观测值", "数据集 5", "每个插补协变量的观测值与插补值"] {
        assert!(fig.contains(part), "{part}");
    }
}

#[test]
fn the_page_figure_is_the_reports_figure() {
    use survlens::plot::registry::{figure_kind, Options};
    use survlens::plot::FigureOptions;
    let (_, _, report) = imputed_by_survlens();
    let whole = serde_json::to_value(&report).unwrap();
    let kind = figure_kind("imputation_diagnostics").unwrap();
    let picked: serde_json::Value = kind
        .sections
        .iter()
        .map(|k| (k.to_string(), whole[*k].clone()))
        .collect::<serde_json::Map<_, _>>()
        .into();
    let fig = kind
        .read(
            serde_json::from_value(picked).unwrap(),
            Options::Figure(FigureOptions::default()),
        )
        .unwrap();
    let h = fig.height(720.0);
    let diagnostics: Vec<survlens::plot::Diagnostic> = report
        .imputation
        .as_ref()
        .unwrap()
        .diagnostics
        .as_ref()
        .unwrap()
        .iter()
        .map(survlens::plot::Diagnostic::of)
        .collect();
    let o = FigureOptions::default();
    assert_eq!(
        h,
        survlens::plot::imputation_figure_height(&diagnostics, &o).round()
    );
    assert_eq!(
        fig.svg(720, h as u32).unwrap(),
        survlens::plot::render_imputation_svg(&diagnostics, &o, 720).unwrap()
    );
    // Without diagnostics (imported sets): the error names what to add to the spec.
    let err = kind
        .read(
            serde_json::from_str(r#"{"imputation": {"m": 5}}"#).unwrap(),
            Options::Figure(FigureOptions::default()),
        )
        .err()
        .unwrap();
    assert_eq!(err.kind, "no_imputation_diagnostics");
    assert!(err.message.contains("to the spec"));
}
