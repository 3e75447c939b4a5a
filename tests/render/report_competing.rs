//! The report's competing-risks part (issue 18), from the committed reference cases
//! cr_mgus2 (progression vs death, sex, age and hgb) and cr_adjusted (IPTW, weighted
//! curves): the cumulative incidence figure, the tables of the CIF at the asked times,
//! Gray's test, the Fine–Gray and cause-specific models hold the Report's numbers as the
//! one formatter writes them, in English and Chinese; the methods cite Aalen–Johansen,
//! Gray, Fine & Gray and Prentice et al.; the km_with_competing_risks warning is listed.

use serde_json::Value;
use std::path::PathBuf;
use survlens::messages::numbers::{count, fixed, fixed_ci, p_cell, p_sentence, ratio, ratio_ci};
use survlens::messages::{i18n::texts, Lang};
use survlens::report_html::{analyze_to_html, ReportOptions};

/// (data, spec text) of reference case `case`.
fn case(case: &str) -> (Vec<u8>, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(case);
    let data = std::fs::read(dir.join("data.csv")).unwrap();
    (
        data,
        std::fs::read_to_string(dir.join("spec.json")).unwrap(),
    )
}

/// The report page in `lang` and the Report as JSON.
fn html_and_report(name: &str, lang: Lang) -> (String, Value) {
    let (data, spec) = case(name);
    let opts = ReportOptions {
        lang,
        data_name: "data.csv".into(),
        ..Default::default()
    };
    let html = analyze_to_html(&data, &spec, &opts).unwrap();
    let report = survlens::Analysis::from_json(&spec).run(&data).unwrap();
    (html, serde_json::to_value(&report).unwrap())
}

/// HTML text escaping, as the report escapes every cell.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A table row of these cells, escaped.
fn row(cells: &[String]) -> String {
    let tds: String = cells
        .iter()
        .map(|c| format!("<td>{}</td>", esc(c)))
        .collect();
    format!("<tr>{tds}</tr>")
}

/// The HTML of the element that starts with `open`.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("{open} missing"));
    let end = start + html[start..].find(close).unwrap();
    &html[start..end]
}

fn table<'a>(html: &'a str, id: &str) -> &'a str {
    element(html, &format!("<table id=\"{id}\">"), "</table>")
}

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn cause(v: &Value, lang: Lang) -> String {
    let t = texts(lang);
    match v.as_str().unwrap() {
        "event" => t.cause_event.into(),
        _ => t.cause_competing.into(),
    }
}

/// Every asked time of every curve is a row: group, cause, time, at risk, incidence, CI.
fn assert_cif_rows(html: &str, id: &str, curves: &Value, lang: Lang) {
    let tab = table(html, id);
    let t = texts(lang);
    let mut rows = 0;
    for c in curves.as_array().unwrap() {
        for a in c["at_times"].as_array().unwrap() {
            let beyond = a["beyond_follow_up"].as_bool().unwrap_or(false);
            let (est, lim) = if beyond {
                (
                    t.beyond_follow_up.to_string(),
                    t.beyond_follow_up.to_string(),
                )
            } else {
                (
                    fixed(f(&a["estimate"]), 3),
                    fixed_ci(f(&a["lower"]), f(&a["upper"]), 3, lang),
                )
            };
            let want = row(&[
                c["group"].as_str().unwrap().into(),
                cause(&c["cause"], lang),
                fixed(f(&a["time"]), 1),
                count(a["n_risk"].as_f64().unwrap()),
                est,
                lim,
            ]);
            assert!(tab.contains(&want), "{id}: {want} not in\n{tab}");
            rows += 1;
        }
    }
    assert_eq!(
        tab.matches("<tr><td>").count(),
        rows,
        "{id}: one row per curve and time"
    );
}

fn assert_terms(tab: &str, terms: &Value, lang: Lang) {
    for x in terms.as_array().unwrap() {
        let want = row(&[
            x["name"].as_str().unwrap().into(),
            ratio(f(&x["hr"])),
            ratio_ci(f(&x["lower"]), f(&x["upper"]), lang),
            p_cell(f(&x["p"])),
        ]);
        assert!(tab.contains(&want), "{want} not in\n{tab}");
    }
}

#[test]
fn the_competing_risks_part_holds_the_reports_numbers_in_both_languages() {
    for lang in Lang::ALL {
        let (html, r) = html_and_report("cr_mgus2", lang);
        let cr = &r["competing_risks"];
        assert_cif_rows(&html, "cif_at_times", &cr["cif"], lang);

        let gray = table(&html, "gray");
        for g in cr["gray"].as_array().unwrap() {
            let want = row(&[
                cause(&g["cause"], lang),
                fixed(f(&g["chisq"]), 2),
                g["df"].to_string(),
                p_cell(f(&g["p"])),
            ]);
            assert!(gray.contains(&want), "{want} not in\n{gray}");
        }
        let fg = table(&html, "fine_gray");
        assert!(fg.contains(&format!("n = {}", cr["fine_gray"]["n"])));
        assert!(fg.contains(&esc(texts(lang).c_shr)));
        assert_terms(fg, &cr["fine_gray"]["terms"], lang);
        let models = cr["cause_specific"].as_array().unwrap();
        assert_eq!(models.len(), 2);
        for m in models {
            let id = format!("cause_specific_{}", m["cause"].as_str().unwrap());
            assert_terms(table(&html, &id), &m["terms"], lang);
        }

        // The figure: its curves and Gray's p of the event of interest as formatted.
        let fig = element(&html, "<figure id=\"figure-cif\">", "</figure>");
        assert!(fig.contains("<svg") && fig.contains("<polyline"));
        let p = cr["gray"][0]["p"].as_f64();
        assert_eq!(cr["gray"][0]["cause"], "event");
        assert!(fig.contains(&p_sentence(p)), "Gray p {}", p_sentence(p));
        assert!(fig.contains(&esc(texts(lang).fig_cif)));

        // The warning, in the report's language.
        let warnings = element(&html, "<table id=\"warnings-table\">", "</table>");
        let w = r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["code"] == "km_with_competing_risks")
            .expect("the Report warns");
        assert!(warnings.contains("<td>km_with_competing_risks</td>"));
        if lang == Lang::En {
            assert!(warnings.contains(&esc(w["message"].as_str().unwrap())));
        } else {
            assert!(warnings.contains("1 − Kaplan–Meier 并非事件发生的概率"));
        }
    }
}

#[test]
fn the_methods_cite_the_competing_risks_methods_that_ran() {
    let (html, _) = html_and_report("cr_mgus2", Lang::En);
    for author in [
        "Aalen OO, Johansen S.",
        "Gray RJ.",
        "Fine JP, Gray RJ.",
        "Prentice RL,",
    ] {
        assert!(html.contains(author), "{author} not cited");
    }
    let methods = element(&html, "<section id=\"methods\">", "</section>");
    assert!(methods.contains("Aalen–Johansen estimator ["));
    assert!(methods.contains("Gray&#39;s test [") || methods.contains("Gray's test ["));
    assert!(methods.contains("Fine–Gray regression ["));
    assert!(methods.contains("60, 120 and 480"), "the asked times");
    // Without competing_risks in the spec none of them.
    let (data, spec) = case("cr_mgus2");
    let mut spec: Value = serde_json::from_str(&spec).unwrap();
    spec.as_object_mut().unwrap().remove("competing_risks");
    let html = analyze_to_html(&data, &spec.to_string(), &ReportOptions::default()).unwrap();
    assert!(!html.contains("Aalen OO") && !html.contains("figure-cif"));
    assert!(!html.contains("<table id=\"gray\">"));
}

#[test]
fn the_weighted_curves_have_their_figure_and_table() {
    for lang in Lang::ALL {
        let (html, r) = html_and_report("cr_adjusted", lang);
        assert_cif_rows(&html, "adjusted_cif_at_times", &r["adjusted"]["cif"], lang);
        let fig = element(&html, "<figure id=\"figure-adjusted-cif\">", "</figure>");
        assert!(fig.contains("<svg") && fig.contains(&esc(texts(lang).fig_cif_adjusted)));
        // No Gray's test with weights in the figure.
        assert!(!fig.contains(survlens::plot::words::words(lang).gray_test));
        assert!(html.contains("Austin PC. Variance"));
    }
}
