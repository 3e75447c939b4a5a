//! The emulation figures (crates/render/src/plot/emulation.rs) and the report's emulation
//! parts (crates/render/src/report_html/tables_emulation.rs), from the demo cohort's
//! emulated trial (grace 6 months, the demo's covariates, a small seeded bootstrap):
//! through the page's figure registry the two strategy curves with their bands and the
//! flow with the Report's counts, in English and Chinese; in the report the tables of
//! survival and difference with the bootstrap CIs, the RMST difference, the flow and the
//! weights with the Report's numbers, the methods with their three references, the
//! results sentences, both figures, the STROBE rows; and nothing of it without the section.

use serde_json::Value;
use survlens::contract::report::Skip;
use survlens::messages::emulation_words::emulation_words;
use survlens::messages::numbers::fixed;
use survlens::messages::Lang;
use survlens::plot::registry::{figure_kind, FigureReport, Options};
use survlens::plot::{FigureOptions, KmPlotOptions};
use survlens::report_html::{render, ReportOptions};

fn demo_spec(emulation: Option<Value>) -> (Vec<u8>, survlens::Spec) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let data = std::fs::read(dir.join("gist_liver_mets_demo.csv")).unwrap();
    let mut spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo_spec.json")).unwrap())
            .unwrap();
    for key in [
        "cox",
        "landmark",
        "time_dependent",
        "subgroups",
        "follow_up",
        "conditional",
    ] {
        spec.as_object_mut().unwrap().remove(key);
    }
    if let Some(e) = emulation {
        spec["emulation"] = e;
    }
    (data, survlens::Spec::from_json(&spec.to_string()).unwrap())
}

fn emulated() -> (Vec<u8>, survlens::Spec, survlens::Report) {
    let (data, spec) = demo_spec(Some(serde_json::json!({
        "grace": 6, "times": [12, 36, 60, 120], "tau": 120,
        "bootstrap": {"replicates": 30, "seed": 7}
    })));
    let report = survlens::analysis::Analysis::new(&spec).run(&data).unwrap();
    (data, spec, report)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The HTML of `<table id="id">`.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("table {id} missing"));
    let end = start + html[start..].find("</table>").unwrap();
    &html[start..end]
}

#[test]
fn the_page_figures_draw_the_two_strategies_and_the_flow() {
    let (_, _, report) = emulated();
    let Skip::Value(e) = &report.emulation else {
        panic!("no emulation")
    };
    let json = serde_json::to_string(&report).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let w = emulation_words(lang);
        let read = |name: &str, o: Options| {
            let r: FigureReport = serde_json::from_str(&json).unwrap();
            figure_kind(name).unwrap().read(r, o).unwrap()
        };
        let curves = read(
            "emulation_curves",
            Options::Km(KmPlotOptions {
                time_unit: Some("months".into()),
                lang,
                ..Default::default()
            }),
        );
        let h = curves.height(640.0);
        let svg = curves.svg(640, h as u32).unwrap();
        let unit = if lang == Lang::En { "months" } else { "个月" };
        for s in [
            w.arm_treat.replace("{grace}", "6").replace("{unit}", unit),
            w.arm_control
                .replace("{grace}", "6")
                .replace("{unit}", unit),
            w.title_curves.to_string(),
            w.bands.replace("{level}", "95"),
        ] {
            assert!(svg.contains(&esc(&s)), "{lang:?}: {s}");
        }
        let flow = read(
            "emulation_flow",
            Options::Figure(FigureOptions {
                time_unit: Some("months".into()),
                lang,
                ..Default::default()
            }),
        );
        // A phone's width wraps the boxes' English lines: taller than at a desktop's.
        if lang == Lang::En {
            assert!(flow.height(390.0) > flow.height(1000.0));
        }
        assert!(flow.height(390.0) >= flow.height(1000.0));
        let svg = flow.svg(720, flow.height(720.0) as u32).unwrap();
        for s in [
            w.flow_patients.replace("{n}", &e.n_patients.to_string()),
            w.flow_clones.replace("{n}", &e.n_patients.to_string()),
            w.flow_censored
                .replace("{n}", &e.artificially_censored.treat.to_string()),
            w.flow_censored
                .replace("{n}", &e.artificially_censored.control.to_string()),
            w.flow_events.replace("{n}", &e.n_events.treat.to_string()),
            w.flow_events
                .replace("{n}", &e.n_events.control.to_string()),
            w.title_flow.to_string(),
        ] {
            assert!(svg.contains(&esc(&s)), "{lang:?}: {s}");
        }
    }
    // A report without the section: the figures say what to add.
    let r: FigureReport = serde_json::from_str("{}").unwrap();
    let err = figure_kind("emulation_flow")
        .unwrap()
        .read(r, Options::Figure(FigureOptions::default()))
        .err()
        .unwrap();
    assert_eq!(err.kind, "no_emulation");
}

#[test]
fn the_report_has_the_emulated_trials_tables_methods_and_figures() {
    let (data, spec, report) = emulated();
    let Skip::Value(e) = &report.emulation else {
        panic!("no emulation")
    };
    for lang in [Lang::En, Lang::Zh] {
        let w = emulation_words(lang);
        let opts = ReportOptions {
            lang,
            data_name: "demo.csv".into(),
            ..Default::default()
        };
        let html = render(&report, &spec, &data, &opts).unwrap();
        let diff = table(&html, "emulation");
        assert!(diff.contains(&esc(w.t_difference)));
        for a in &e.at_times {
            let ci = survlens::messages::numbers::fixed_ci(a.lower, a.upper, 3, lang);
            assert!(a.lower.is_some(), "a bootstrap CI at {}", a.time);
            let row = format!(
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                fixed(a.treat, 3),
                fixed(a.control, 3),
                fixed(a.difference, 3),
                esc(&ci)
            );
            assert!(diff.contains(&row), "{lang:?} {row}\n{diff}");
        }
        let d = e.rmst_difference.as_ref().unwrap();
        let rmst = table(&html, "emulation_rmst");
        assert!(rmst.contains(&format!(
            "<td>120</td><td>{}</td><td>{}</td><td>{}</td>",
            fixed(Some(d.treat), 2),
            fixed(Some(d.control), 2),
            fixed(Some(d.estimate), 2)
        )));
        let flow = table(&html, "emulation_flow");
        for (censored, events) in [
            (e.artificially_censored.treat, e.n_events.treat),
            (e.artificially_censored.control, e.n_events.control),
        ] {
            let cells = format!(
                "<td>{}</td><td>{censored}</td><td>{events}</td>",
                e.n_patients
            );
            assert!(flow.contains(&cells), "{lang:?} {cells}");
        }
        let weights = table(&html, "emulation_weights");
        for s in [&e.weights.treat, &e.weights.control].into_iter().flatten() {
            assert!(weights.contains(&format!("<td>{}</td>", fixed(Some(s.max), 2))));
        }
        for s in [
            w.fig_emulation_curves,
            w.fig_emulation_flow,
            w.m_caution,
            w.s_target,
        ] {
            assert!(html.contains(&esc(s)), "{lang:?}: {s}");
        }
        assert!(html.contains("id=\"figure-emulation-curves\""));
        assert!(html.contains("id=\"figure-emulation-flow\""));
        for reference in [
            "Hernán MA, Robins JM. Using big data to emulate a target trial",
            "Maringe C, Benitez Majano S",
            "the TARGET statement. BMJ. 2025",
        ] {
            assert!(html.contains(reference), "{reference}");
        }
    }
    let html = render(&report, &spec, &data, &ReportOptions::default()).unwrap();
    for s in [
        "emulating a target trial with the clone–censor–weight method",
        "bootstrap percentile intervals from 30 resamples of patients",
        "At 120 months, survival was",
        "Restricted mean survival up to 120 months differed by",
    ] {
        assert!(html.contains(s), "{s}");
    }
    // The form of the censoring probability is named in the methods, in both languages;
    // the product-limit form's left-out clones are counted.
    assert!(html.contains(&esc(emulation_words(Lang::En).m_exponential)));
    let (data, spec) = demo_spec(Some(serde_json::json!({
        "grace": 6, "times": [12, 60], "tau": 120, "censoring_survival": "product_limit"
    })));
    let report = survlens::analysis::Analysis::new(&spec).run(&data).unwrap();
    let Skip::Value(e) = &report.emulation else {
        panic!("no emulation")
    };
    let n = e.left_out_zero_probability.treat + e.left_out_zero_probability.control;
    for lang in [Lang::En, Lang::Zh] {
        let w = emulation_words(lang);
        let opts = ReportOptions {
            lang,
            ..Default::default()
        };
        let html = render(&report, &spec, &data, &opts).unwrap();
        assert!(html.contains(&esc(w.m_product_limit)), "{lang:?}");
        assert!(!html.contains(&esc(w.m_exponential)), "{lang:?}");
        let left = w.m_left_out.replace("{n}", &n.to_string());
        assert_eq!(html.contains(&esc(&left)), n > 0, "{lang:?} {left}");
    }
    // Without the section: none of it.
    let (data, spec) = demo_spec(None);
    let report = survlens::analysis::Analysis::new(&spec).run(&data).unwrap();
    let html = render(&report, &spec, &data, &ReportOptions::default()).unwrap();
    assert!(!html.contains("<table id=\"emulation\">"));
    assert!(!html.contains("figure-emulation"));
    assert!(!html.contains("Maringe"));
}
