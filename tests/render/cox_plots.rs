//! The Cox figures (forest plot, scaled Schoenfeld residuals, log(−log S) curves)
//! render natively to SVG from the demo cohort's Report: structure checks (axes,
//! one row or panel per term, the line at HR = 1), escaping, and errors.
//! `SURVLENS_PLOT_OUT=dir` writes the SVGs there for a look.

use survlens::analysis::cox_section::CoxSection;
use survlens::analysis::report::KmSection;
use survlens::messages::numbers::p_sentence;
use survlens::plot::forest::hr_text;
use survlens::plot::loglog::loglog_points;
use survlens::plot::{render_forest_svg, render_loglog_svg, render_schoenfeld_svg, FigureOptions};
use survlens::report_html::Lang;

fn demo_report() -> serde_json::Value {
    let root = env!("CARGO_MANIFEST_DIR");
    let data =
        std::fs::read(format!("{root}/www/demo/gist_liver_mets_demo.csv")).expect("demo csv");
    let spec =
        std::fs::read_to_string(format!("{root}/www/demo/demo_spec.json")).expect("demo spec");
    let report = survlens::Analysis::from_json(&spec)
        .run(&data)
        .expect("demo analyses");
    // Through JSON, as the page hands it to the wasm figures.
    serde_json::from_str(&serde_json::to_string(&report).expect("serializes")).expect("parses")
}

fn cox(r: &serde_json::Value) -> CoxSection {
    serde_json::from_value(r["cox"].clone()).expect("cox section reads back")
}

fn save(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("SURVLENS_PLOT_OUT") {
        std::fs::write(format!("{dir}/{name}.svg"), svg).expect("write");
    }
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The text elements' contents (the SVG backend writes them on their own line).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
        })
        .map(|(inner, _)| inner.trim().to_string())
        .collect()
}

fn n_text(svg: &str, s: &str) -> usize {
    texts(svg).iter().filter(|t| *t == &xml(s)).count()
}

#[test]
fn forest_has_one_row_per_term_a_log_axis_and_both_models() {
    let r = demo_report();
    let c = cox(&r);
    assert!(
        c.univariable.is_some(),
        "the demo spec asks for univariable models"
    );
    let svg = render_forest_svg(&c, &FigureOptions::default(), 760).expect("draws");
    save("forest", &svg);
    assert!(svg.starts_with("<svg") && svg.contains("width=\"760\""));
    assert!(svg.contains("Hazard ratio (log scale)"));
    assert!(svg.contains("Multivariable HR (95% CI)") && svg.contains("Univariable HR (95% CI)"));
    for t in &c.terms {
        let label = t.name.replacen('=', ": ", 1);
        assert_eq!(n_text(&svg, &label), 1, "one row for {label}");
        assert!(
            n_text(&svg, &hr_text(t, Lang::En)) >= 1,
            "HR text of {}",
            t.name
        );
    }
    // One filled square per multivariable term, one circle per univariable term (+ legend).
    let n_terms = c.terms.len();
    let n_uni: usize = c.univariable.iter().flatten().map(|u| u.terms.len()).sum();
    assert_eq!(n_uni, n_terms, "every term has its univariable estimate");
    assert!(
        count(&svg, "<circle") >= 2 * n_uni,
        "white fill + ring per univariable marker"
    );
    assert_eq!(n_text(&svg, "1"), 1, "a tick at HR = 1");
}

#[test]
fn forest_shows_aliased_terms_and_no_univariable_column_when_not_asked() {
    let r = demo_report();
    let mut c = cox(&r);
    c.univariable = None;
    c.terms[1].coef = None;
    c.terms[1].hr = None;
    c.terms[1].lower = None;
    c.terms[1].upper = None;
    let svg = render_forest_svg(&c, &FigureOptions::default(), 600).expect("draws");
    assert!(!svg.contains("Univariable"));
    assert_eq!(n_text(&svg, "aliased"), 1);
    assert_eq!(hr_text(&c.terms[1], Lang::En), "aliased");
}

#[test]
fn schoenfeld_has_one_panel_per_column_with_a_smooth() {
    let r = demo_report();
    let c = cox(&r);
    let ph = c.ph_test.as_ref().expect("ph test");
    let res = ph.residuals.as_ref().expect("residuals asked");
    assert_eq!(
        res.terms.len(),
        ph.terms.len(),
        "one residual series per tested column"
    );
    let n_events = r["cox"]["n_events"].as_u64().unwrap() as usize;
    assert_eq!(res.time.len(), n_events);
    assert!(res
        .terms
        .iter()
        .all(|t| t.scaled.len() == n_events && t.smooth.is_some()));
    let svg = render_schoenfeld_svg(ph, &FigureOptions::default(), 900).expect("draws");
    save("schoenfeld", &svg);
    for t in &ph.terms {
        assert_eq!(
            n_text(&svg, &format!("β(t) for {}", t.name)),
            1,
            "a panel for {}",
            t.name
        );
        // The p label by the one number formatter (two significant digits: p = 0.081).
        let title = format!("{} — PH test {}", t.name, p_sentence(t.p));
        assert_eq!(n_text(&svg, &title), 1, "{title}");
    }
    assert!(
        count(&svg, "<circle") >= n_events * ph.terms.len() / 2,
        "the residual points"
    );
    // Without residuals: a clear error, not an empty figure.
    let mut bare = ph.clone();
    bare.residuals = None;
    let err = render_schoenfeld_svg(&bare, &FigureOptions::default(), 900).unwrap_err();
    assert!(err.to_string().contains("residuals"));
}

#[test]
fn loglog_has_a_curve_per_group_and_a_log_time_axis() {
    let r = demo_report();
    let km: KmSection = serde_json::from_value(r["km"].clone()).expect("km");
    let svg = render_loglog_svg(
        &km,
        &FigureOptions {
            time_unit: Some("months".into()),
            ..Default::default()
        },
        700,
    )
    .expect("draws");
    save("loglog", &svg);
    assert!(svg.contains("Time (months, log scale)") && svg.contains("log(−log S(t))"));
    for c in &km.curves {
        assert_eq!(n_text(&svg, &c.group), 1, "legend entry {}", c.group);
    }
    // The points: only 0 < S < 1, t > 0, and log(−log S) increasing as S falls.
    let pts = loglog_points(&[0.0, 1.0, 2.0, 3.0, 4.0], &[1.0, 0.9, 0.5, 0.5, 0.0]);
    assert_eq!(pts.len(), 3);
    let ln = survlens::stats::math::ln;
    assert!((pts[0].1 - ln(-ln(0.9))).abs() < 1e-12);
    assert!(pts[1].1 > pts[0].1);
}

#[test]
fn labels_are_escaped() {
    let r = demo_report();
    let mut c = cox(&r);
    c.terms[0].name = "treatment=<b>x</b>".into();
    let svg = render_forest_svg(&c, &FigureOptions::default(), 700).expect("draws");
    assert!(!svg.contains("<b>") && svg.contains("&lt;b&gt;"));
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The hazard ratios by period figure: one forest row per period and group term,
/// labelled "(from, to] group: level" ("after 100" for the last), with the Report's HR
/// text; the registry refuses a report without `cox.periods`, naming the spec key.
#[test]
fn period_figure_has_one_row_per_period_term() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = format!("{root}/tests/reference/periods_veteran_celltype");
    let data = std::fs::read(format!("{dir}/data.csv")).expect("data");
    let spec = std::fs::read_to_string(format!("{dir}/spec.json")).expect("spec");
    let report = survlens::Analysis::from_json(&spec)
        .run(&data)
        .expect("runs");
    let r: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&report).expect("json")).expect("parses");
    let c = cox(&r);
    let o = FigureOptions::default();
    let forest = survlens::plot::periods::period_forest(&c, Lang::En).expect("periods");
    let svg = render_forest_svg(&forest, &o, 760).expect("draws");
    save("periods", &svg);
    let periods = c.periods.as_ref().expect("periods");
    assert_eq!(periods.len(), 3);
    let labels = ["(0, 30]", "(30, 100]", "after 100"];
    for (p, label) in periods.iter().zip(labels) {
        for t in &p.terms {
            let row = format!("{label} {}", t.name.replacen('=', ": ", 1));
            assert_eq!(n_text(&svg, &row), 1, "one row for {row}");
            assert!(n_text(&svg, &hr_text(t, Lang::En)) >= 1, "HR text of {row}");
        }
    }
    assert_eq!(forest.terms.len(), 3 * 3);
    let mut no_periods = r.clone();
    no_periods["cox"]["periods"] = serde_json::Value::Null;
    let err = survlens::plot::registry::figure_kind("periods")
        .expect("registered")
        .read(
            serde_json::from_value(no_periods).expect("reads"),
            survlens::plot::registry::Options::Figure(o),
        )
        .err()
        .expect("refused");
    assert_eq!(err.kind, "no_periods");
    assert!(err.message.contains("\"periods\""), "{}", err.message);
}
