//! The report carries every figure and every table of the analysis, and cites each
//! method exactly when it ran: the demo cohort with every section (table1, KM, log-rank,
//! RMST, Cox with univariable models and PH residuals, propensity, adjusted with
//! bootstrap, E-values, landmarks, time-dependent treatment), and smaller specs.

use std::path::PathBuf;
use survlens::messages::numbers::ratio;
use survlens::report_html::{analyze_to_html, ReportOptions};

pub(crate) fn demo_data() -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    std::fs::read(dir.join("gist_liver_mets_demo.csv")).unwrap()
}

pub(crate) fn demo_spec() -> serde_json::Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    serde_json::from_str(&std::fs::read_to_string(dir.join("demo_spec.json")).unwrap()).unwrap()
}

/// The demo spec with every section.
fn full_spec() -> serde_json::Value {
    let mut spec = demo_spec();
    spec["table1"] = serde_json::json!({});
    spec["propensity"] = serde_json::json!({});
    spec["adjusted"] = serde_json::json!({"bootstrap": {"replicates": 20, "seed": 7}});
    spec["sensitivity"] = serde_json::json!({});
    spec["matching"] = serde_json::json!({"caliper": 0.2});
    spec
}

fn opts() -> ReportOptions {
    ReportOptions {
        data_name: "demo.csv".into(),
        ..Default::default()
    }
}

fn html_and_report(spec: &serde_json::Value) -> (String, serde_json::Value) {
    let data = demo_data();
    let html = analyze_to_html(&data, &spec.to_string(), &opts()).unwrap();
    let report = survlens::Analysis::from_json(&spec.to_string())
        .run(&data)
        .unwrap();
    (html, serde_json::to_value(&report).unwrap())
}

/// The HTML of `<table id="id">`.
pub(crate) fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("table {id} missing"));
    let end = start + html[start..].find("</table>").unwrap();
    &html[start..end]
}

/// The references listed, in order.
fn references(html: &str) -> Vec<String> {
    let Some(start) = html.find("<ol class=\"refs\">") else {
        return vec![];
    };
    let end = start + html[start..].find("</ol>").unwrap();
    html[start..end]
        .split("<li>")
        .skip(1)
        .map(|li| li.trim().to_string())
        .collect()
}

#[test]
fn every_figure_is_inline_svg_numbered_in_order() {
    let (html, _) = html_and_report(&full_spec());
    let ids = [
        "figure-km",
        "figure-conditional",
        "figure-loglog",
        "figure-forest",
        "figure-subgroups",
        "figure-schoenfeld",
        "figure-love",
        "figure-overlap",
        "figure-adjusted-km",
        "figure-adjusted-forest",
        "figure-adjusted-subgroups",
        "figure-matching-balance-1",
        "figure-matching-scores-1",
        "figure-matching-km-1",
        "figure-matching-balance-2",
        "figure-matching-scores-2",
        "figure-matching-km-2",
        "figure-landmark-1",
        "figure-landmark-2",
        "figure-simon-makuch",
    ];
    let mut at = 0;
    for (i, id) in ids.iter().enumerate() {
        let pos = html[at..]
            .find(&format!("<figure id=\"{id}\">"))
            .unwrap_or_else(|| panic!("{id} missing or out of order"));
        at += pos;
        let end = at + html[at..].find("</figure>").unwrap();
        let fig = &html[at..end];
        assert!(fig.contains("<svg"), "{id}: no inline SVG");
        assert!(fig.contains("<polyline") || fig.contains("<path") || fig.contains("<rect"));
        assert!(
            fig.contains(&format!("<figcaption>Figure {}. ", i + 1)),
            "{id}: caption number"
        );
    }
    assert_eq!(html.matches("<figure ").count(), ids.len());
    // Landmark captions name their landmark.
    assert!(html.contains("from the landmark at 6 months"));
    assert!(html.contains("from the landmark at 12 months"));
}

#[test]
fn figures_follow_the_sections_present() {
    let mut spec = demo_spec();
    for key in [
        "cox",
        "subgroups",
        "treatment_time",
        "landmark",
        "time_dependent",
        "conditional",
    ] {
        spec.as_object_mut().unwrap().remove(key);
    }
    let (html, _) = html_and_report(&spec);
    assert_eq!(
        html.matches("<figure ").count(),
        2,
        "KM and log(-log S) only"
    );
    assert!(html.contains("<figcaption>Figure 2. "));
    // Schoenfeld plot only when the residuals are asked.
    let mut spec = demo_spec();
    spec["cox"] = serde_json::json!({"ph_test": {}});
    let (html, _) = html_and_report(&spec);
    assert!(html.contains("id=\"figure-forest\""));
    assert!(!html.contains("id=\"figure-schoenfeld\""));
}

#[test]
fn every_section_has_its_table_with_the_reports_numbers() {
    let (html, r) = html_and_report(&full_spec());
    // A hazard ratio as the report prints it (the number rule, unit-tested in
    // messages::numbers: 2 decimals, more when it would print as 1.00).
    let hr = |v: &serde_json::Value| ratio(v.as_f64());
    for id in [
        "groups",
        "table1",
        "km",
        "at_times",
        "logrank",
        "pairwise",
        "rmst",
        "rmst_difference",
        "cox",
        "cox_tests",
        "ph_test",
        "evalues",
        "weights",
        "balance",
        "adjusted_cox",
        "adjusted_rmst_difference",
    ] {
        table(&html, id);
    }
    let uni = table(&html, "cox_univariable");
    for fit in r["cox"]["univariable"].as_array().unwrap() {
        for t in fit["terms"].as_array().unwrap() {
            assert!(uni.contains(&hr(&t["hr"])), "univariable {}", t["name"]);
        }
    }
    let ps = table(&html, "ps_model");
    for c in r["propensity"]["coefficients"].as_array().unwrap() {
        assert!(ps.contains(&format!("{:.4}", c["coef"].as_f64().unwrap())));
    }
    let adj_km = table(&html, "adjusted_km");
    for c in r["adjusted"]["km"]["curves"].as_array().unwrap() {
        if let Some(m) = c["median"]["estimate"].as_f64() {
            assert!(adj_km.contains(&format!("{m:.1}")));
        }
    }
    table(&html, "adjusted_at_times");
    let boot = table(&html, "bootstrap");
    for b in r["adjusted"]["bootstrap"]["cox"].as_array().unwrap() {
        assert!(boot.contains(&format!("{:.4}", b["se"].as_f64().unwrap())));
    }
    let lm = table(&html, "landmark_tests");
    for l in r["landmark"].as_array().unwrap() {
        assert!(lm.contains(&format!("<td>{}</td>", l["n"])));
        assert!(lm.contains(&format!("<td>{}</td>", l["left_out_before"])));
    }
    table(&html, "landmark");
    let td = table(&html, "time_dependent_cox");
    for t in r["time_dependent"]["cox"]["terms"].as_array().unwrap() {
        assert!(td.contains(&hr(&t["hr"])));
    }
    // The test of proportional hazards on the (start, stop] rows, as the Cox model's.
    let ph = &r["time_dependent"]["cox"]["ph_test"];
    let td_ph = table(&html, "time_dependent_ph_test");
    for t in ph["terms"].as_array().unwrap() {
        assert!(td_ph.contains(&format!("<td>{}</td>", t["name"].as_str().unwrap())));
        assert!(td_ph.contains(&format!("<td>{:.2}</td>", t["chisq"].as_f64().unwrap())));
    }
    assert!(td_ph.contains(&format!(
        "<td>{:.2}</td>",
        ph["global"]["chisq"].as_f64().unwrap()
    )));
    table(&html, "simon_makuch");
    // Matching: the flow, balance, log-rank, Cox and RMST tables hold each comparison's numbers.
    let comparisons = r["matching"].as_array().unwrap();
    assert_eq!(comparisons.len(), 2);
    let flow = table(&html, "matching");
    let balance = table(&html, "matching_balance");
    let logrank = table(&html, "matching_logrank");
    let cox = table(&html, "matching_cox");
    let rmst = table(&html, "matching_rmst_difference");
    for c in comparisons {
        let (ma, ua) = (&c["n_matched"]["a"], &c["n_unmatched"]["a"]);
        let na = ma.as_u64().unwrap() + ua.as_u64().unwrap();
        assert!(flow.contains(&format!(
            "<td>{}</td><td>{na}</td><td>{ma}</td><td>{ua}</td>",
            c["a"].as_str().unwrap()
        )));
        for b in c["balance"].as_array().unwrap() {
            assert!(balance.contains(&format!("<td>{}</td>", b["term"].as_str().unwrap())));
        }
        let lr = &c["logrank"];
        assert!(logrank.contains(&format!("{:.2}", lr["chisq"].as_f64().unwrap())));
        for t in c["cox"]["terms"].as_array().unwrap() {
            assert!(cox.contains(&hr(&t["hr"])), "{}", t["name"]);
        }
        for d in c["rmst_difference"].as_array().unwrap() {
            assert!(rmst.contains(&format!("{:.2}", d["estimate"].as_f64().unwrap())));
        }
    }
    let cmp = table(&html, "immortal_comparison");
    let analyses = r["immortal_time"]["analyses"].as_array().unwrap();
    assert_eq!(analyses.len(), 4, "naive, two landmarks, time-dependent");
    for a in analyses {
        for t in a["terms"].as_array().unwrap() {
            assert!(
                cmp.contains(&hr(&t["hr"])),
                "{} {}",
                a["analysis"],
                t["group"]
            );
        }
    }
}

#[test]
fn methods_cite_exactly_the_methods_that_ran() {
    let (html, _) = html_and_report(&full_spec());
    let expected = [
        ("Kaplan EL", "1958"),
        ("Greenwood M", "1926"),
        ("Schemper M", "1996"),
        ("Mantel N", "1966"),
        ("Holm S", "1979"),
        ("Royston P", "2013"),
        ("Cox DR", "1972"),
        ("Efron B", "1977"),
        ("Grambsch PM", "1994"),
        ("Anderson JR", "1983"),
        ("Simon R", "1984"),
        ("Austin PC, Stuart EA", "2015"),
        ("Austin PC.", "2016"),
        ("Austin PC.", "2011"),
        ("Ho DE, Imai K, King G, Stuart EA", "2011"),
        ("VanderWeele TJ", "2017"),
    ];
    let refs = references(&html);
    assert_eq!(refs.len(), expected.len(), "{refs:?}");
    for (r, (author, year)) in refs.iter().zip(expected) {
        assert!(
            r.starts_with(author) && r.contains(year),
            "{r} is not {author} {year}"
        );
    }
    assert!(html.contains("Austin PC, Stuart EA."));
    assert!(html.contains("landmark [10]"));
    assert!(html.contains("Simon–Makuch survival curves [11]"));
    assert!(html.contains("on the linear propensity score (the logit of a logistic regression of the group on age, sex, ecog, n_liver_lesions, extrahepatic, tumour_size_cm, mitotic_index and kit_exon, fitted on the patients of the two groups) [14]"));

    // Kaplan–Meier alone: Kaplan & Meier, Greenwood; nothing else.
    let mut km_only = demo_spec();
    for key in [
        "logrank",
        "rmst",
        "cox",
        "subgroups",
        "follow_up",
        "conditional",
        "treatment_time",
        "landmark",
        "time_dependent",
    ] {
        km_only.as_object_mut().unwrap().remove(key);
    }
    let (html, _) = html_and_report(&km_only);
    assert_eq!(references(&html).len(), 2);

    // Overlap weights: Li, Morgan & Zaslavsky with two groups, Li & Li with three.
    let mut ato = km_only.clone();
    ato["propensity"] = serde_json::json!({"estimand": "ATO"});
    let (html, _) = html_and_report(&ato);
    assert!(html.contains("Li F, Li F."));
    assert!(!html.contains("Li F, Morgan KL"));
    assert!(
        !html.contains("Austin PC. Variance"),
        "no weighted survival analysis asked"
    );
    ato["group"]["levels"] = serde_json::json!(["IM", "IM+HR"]);
    let (html, _) = html_and_report(&ato);
    assert!(html.contains("Li F, Morgan KL, Zaslavsky AM."));
    assert!(!html.contains("Li F, Li F."));
}
