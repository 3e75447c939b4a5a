//! The subgroup forest plot (crates/render/src/plot/subgroup_forest.rs) from the Reports
//! of the `sub_*` reference cases, through the page's figure registry: every level and
//! column heading, events/n per group, the HR (CI) text of every estimate, the
//! interaction p of every column, the comparison lines with three groups, the text of
//! a level without an estimate, the weighted figure, both languages.

use serde_json::Value;
use survlens::messages::figure_words::words;
use survlens::messages::numbers::p_cell;
use survlens::messages::Lang;
use survlens::plot::registry::{figure_kind, Options};
use survlens::plot::FigureOptions;

fn report(case: &str) -> Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(case);
    let data = std::fs::read(dir.join("data.csv")).expect("data");
    let spec = std::fs::read_to_string(dir.join("spec.json")).expect("spec");
    let r = survlens::Analysis::from_json(&spec)
        .run(&data)
        .expect("analysis");
    serde_json::to_value(&r).expect("serializes")
}

/// (height, SVG) of figure `name` 720 px wide in `lang`.
fn figure(name: &str, r: &Value, lang: Lang) -> (f64, String) {
    let o = FigureOptions {
        lang,
        ..FigureOptions::default()
    };
    let fig = figure_kind(name)
        .expect("registered")
        .read(
            serde_json::from_value(r.clone()).expect("report"),
            Options::Figure(o),
        )
        .expect("figure");
    let h = fig.height(720.0);
    (h, fig.svg(720, h as u32).expect("svg"))
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every number and word the figure of `section` must show.
fn assert_shows_section(svg: &str, section: &Value, lang: Lang) {
    let w = words(lang);
    let has = |s: &str| svg.contains(&escaped(s));
    for head in [w.subgroup, w.hr_ci, w.events_of_n, w.overall] {
        assert!(has(head), "{head}");
    }
    let rows = section["rows"].as_array().expect("rows");
    let groups: Vec<&str> = rows[0]["by_group"]
        .as_array()
        .expect("by_group")
        .iter()
        .map(|g| g["group"].as_str().expect("group"))
        .collect();
    for row in rows {
        if let Some(c) = row["column"].as_str() {
            assert!(has(c), "column {c}");
            assert!(
                has(row["level"].as_str().expect("level")),
                "level {}",
                row["level"]
            );
        }
        for g in row["by_group"].as_array().expect("by_group") {
            assert!(has(&format!("{}/{}", g["events"], g["n"])), "{g}");
        }
        match row["terms"].as_array() {
            Some(terms) => {
                for t in terms {
                    let term: survlens::analysis::cox_section::CoxTerm =
                        serde_json::from_value(t.clone()).expect("term");
                    assert!(has(&survlens::plot::forest::hr_text(&term, lang)), "{t}");
                }
                if terms.len() > 1 {
                    let vs = w
                        .versus
                        .replace("{group}", groups[2])
                        .replace("{reference}", groups[0]);
                    assert!(has(&vs), "{vs}");
                }
            }
            None => assert!(has(w.no_estimate)),
        }
    }
    for t in section["interaction"].as_array().expect("interaction") {
        let p = w.p_interaction.replace("{p}", &p_cell(t["p"].as_f64()));
        assert!(has(&p), "{p}");
    }
}

#[test]
fn the_forest_shows_every_level_count_estimate_and_interaction_p() {
    let r = report("sub_demo_adjusted");
    for lang in Lang::ALL {
        let (h, svg) = figure("subgroups", &r, lang);
        assert!(svg.starts_with("<svg") && h > 300.0);
        assert_shows_section(&svg, &r["subgroups"], lang);
        let (_, weighted) = figure("subgroups_adjusted", &r, lang);
        assert_shows_section(&weighted, &r["adjusted"]["subgroups"], lang);
        assert_ne!(
            svg, weighted,
            "the weighted figure draws the weighted numbers"
        );
    }
    // One line per row of text: 3 groups give the overall row and each level a line
    // per comparison (3 + 2 columns × (heading + 2 levels × 3) = 17 lines); sub_no_events
    // has 2 groups (1 + 2 columns × (heading + 3 levels) = 9 lines).
    let (h17, _) = figure("subgroups", &r, Lang::En);
    let (h9, _) = figure("subgroups", &report("sub_no_events"), Lang::En);
    let line = FigureOptions::default().font_size * 2.0;
    assert!((h17 - h9 - 8.0 * line).abs() <= 1.0, "{h17} {h9}");
}

#[test]
fn a_level_without_estimate_says_so_and_two_groups_have_no_comparison_lines() {
    let r = report("sub_no_events");
    for lang in Lang::ALL {
        let (_, svg) = figure("subgroups", &r, lang);
        assert_shows_section(&svg, &r["subgroups"], lang);
        assert!(svg.contains(&escaped(words(lang).no_estimate)));
        let vs = words(lang)
            .versus
            .replace("{group}", "B")
            .replace("{reference}", "A");
        assert!(!svg.contains(&vs));
    }
}

#[test]
fn a_missing_section_names_what_to_add_to_the_spec() {
    for (name, kind) in [
        ("subgroups", "no_subgroups"),
        ("subgroups_adjusted", "no_adjusted_subgroups"),
    ] {
        let err = figure_kind(name)
            .expect("registered")
            .read(
                serde_json::from_str("{}").expect("json"),
                Options::Figure(FigureOptions::default()),
            )
            .err()
            .expect("an error");
        assert_eq!(err.kind, kind);
        assert!(err.message.contains("to the spec"), "{}", err.message);
    }
    // Only the sections the registry lists are needed.
    let r = report("sub_lung");
    let picked = serde_json::json!({"subgroups": r["subgroups"]});
    assert_eq!(
        figure("subgroups", &picked, Lang::En),
        figure("subgroups", &r, Lang::En)
    );
}

/// The HTML report of a spec with subgroups and the weighted population: both forest
/// plots, both estimate and interaction tables (every HR as the formatter prints it),
/// and the methods sentence naming the columns and the interaction test, in both
/// languages.
#[test]
fn the_report_has_the_figures_tables_and_methods_of_subgroups() {
    use survlens::report_html::{analyze_to_html, ReportOptions};
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/sub_demo_adjusted");
    let data = std::fs::read(dir.join("data.csv")).expect("data");
    let spec = std::fs::read_to_string(dir.join("spec.json")).expect("spec");
    let r = report("sub_demo_adjusted");
    for (lang, code, interaction_word) in [
        (Lang::En, "en", "likelihood-ratio"),
        (Lang::Zh, "zh", "似然比"),
    ] {
        let opts = ReportOptions {
            data_name: "data.csv".into(),
            lang,
            ..Default::default()
        };
        let html = analyze_to_html(&data, &spec, &opts).expect("report");
        for id in [
            "<figure id=\"figure-subgroups\">",
            "<figure id=\"figure-adjusted-subgroups\">",
            "<table id=\"subgroups\">",
            "<table id=\"interaction\">",
            "<table id=\"adjusted_subgroups\">",
            "<table id=\"adjusted_interaction\">",
        ] {
            assert!(html.contains(id), "{code}: {id}");
        }
        for row in r["subgroups"]["rows"].as_array().expect("rows") {
            for t in row["terms"].as_array().expect("terms") {
                let hr = survlens::messages::numbers::ratio(t["hr"].as_f64());
                assert!(html.contains(&format!("<td>{hr}</td>")), "{code}: {hr}");
            }
        }
        assert!(
            html.contains(interaction_word),
            "{code}: the methods name the test"
        );
        assert!(
            html.contains("age (≤60, &gt;60)"),
            "{code}: the methods name the levels"
        );
    }
}
