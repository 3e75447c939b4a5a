//! The Kaplan–Meier figure renders natively to SVG (no DOM, no font metrics),
//! from the sample Report, and group labels are escaped.

use survlens::analysis::report::{KmSection, LogRankSection};
use survlens::plot::{km_figure_height, render_km_svg, KmPlotOptions, RiskTable};

fn sample() -> (KmSection, LogRankSection) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/fixtures/sample_report.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    (
        serde_json::from_value(v["km"].clone()).unwrap(),
        serde_json::from_value(v["logrank"].clone()).unwrap(),
    )
}

#[test]
fn svg_has_curves_table_and_p() {
    let (km, lr) = sample();
    for table in [
        RiskTable::NumberAtRisk,
        RiskTable::Kmunicate,
        RiskTable::None,
    ] {
        let opts = KmPlotOptions {
            ci: true,
            median_lines: true,
            risk_table: table,
            ..Default::default()
        };
        let h = km_figure_height(720.0, &km, &opts).round() as u32;
        let svg = render_km_svg(&km, Some(&lr), &opts, 720, h).unwrap();
        if let Ok(dir) = std::env::var("SURVLENS_PLOT_OUT") {
            std::fs::write(format!("{dir}/km_{table:?}.svg"), &svg).unwrap();
        }
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("Log-rank p &lt; 0.001") || svg.contains("Log-rank p < 0.001"),
            "p-value missing"
        );
        assert!(svg.contains("IM+RFA/TACE"));
        if table != RiskTable::None {
            assert!(
                svg.contains(">\n120\n</text>"),
                "the at-risk count at 0 is 120"
            );
        }
    }
}

#[test]
fn labels_are_escaped() {
    let (mut km, lr) = sample();
    km.curves[0].group = "<img src=x onerror=alert(1)>".into();
    let svg = render_km_svg(&km, Some(&lr), &KmPlotOptions::default(), 720, 560).unwrap();
    assert!(!svg.contains("<img"));
}

// ---- the page's figure registry (crates/render/src/plot/registry.rs): the wasm shell's one entry point
// draws and writes each figure through it, and the page sends it only the sections it lists.

mod registry {
    use serde_json::{json, Value};
    use survlens::analysis::cox_section::CoxSection;
    use survlens::analysis::propensity_section::{BalanceTerm, PerRow};
    use survlens::analysis::report::{KmSection, LogRankSection};
    use survlens::plot::registry::{figure_kind, Options, FIGURES};
    use survlens::plot::{self, FigureOptions, KmPlotOptions};

    /// The Report of reference case `case`, with `km` and `logrank` asked too.
    fn report(case: &str) -> Value {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/reference")
            .join(case);
        let data = std::fs::read(dir.join("data.csv")).unwrap();
        let mut spec: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("spec.json")).unwrap()).unwrap();
        spec.as_object_mut()
            .unwrap()
            .entry("km")
            .or_insert(json!({}));
        spec.as_object_mut()
            .unwrap()
            .entry("logrank")
            .or_insert(json!({}));
        serde_json::to_value(
            survlens::Analysis::from_json(&spec.to_string())
                .run(&data)
                .unwrap(),
        )
        .unwrap()
    }

    fn options(name: &str) -> Options {
        match name {
            "km" | "cif" | "cif_adjusted" | "conditional" => Options::Km(KmPlotOptions::default()),
            _ => Options::Figure(FigureOptions::default()),
        }
    }

    /// (height, SVG) of figure `name` through the registry, 720 px wide.
    fn via_registry(name: &str, report: &Value) -> (f64, String) {
        let fig = figure_kind(name)
            .unwrap()
            .read(
                serde_json::from_value(report.clone()).unwrap(),
                options(name),
            )
            .unwrap();
        let h = fig.height(720.0);
        (h, fig.svg(720, h as u32).unwrap())
    }

    fn section<T: serde::de::DeserializeOwned>(v: &Value) -> T {
        serde_json::from_value(v.clone()).unwrap()
    }

    /// (height, SVG) of figure `name` from the figure functions themselves.
    fn direct(name: &str, r: &Value) -> (f64, String) {
        let o = FigureOptions::default();
        let labels: Vec<String> = r["groups"].as_array().map_or(vec![], |g| {
            g.iter()
                .map(|g| g["label"].as_str().unwrap().to_string())
                .collect()
        });
        match name {
            "km" => {
                let (km, lr): (KmSection, LogRankSection) =
                    (section(&r["km"]), section(&r["logrank"]));
                let ko = KmPlotOptions::default();
                let h = plot::km_figure_height(720.0, &km, &ko).round();
                (
                    h,
                    plot::render_km_svg(&km, Some(&lr), &ko, 720, h as u32).unwrap(),
                )
            }
            "forest" => {
                let cox: CoxSection = section(&r["cox"]);
                (
                    plot::forest_figure_height(&cox, &o).round(),
                    plot::render_forest_svg(&cox, &o, 720).unwrap(),
                )
            }
            "periods" => {
                let cox: CoxSection = section(&r["cox"]);
                let cox = plot::periods::period_forest(&cox, o.lang).unwrap();
                (
                    plot::forest_figure_height(&cox, &o).round(),
                    plot::render_forest_svg(&cox, &o, 720).unwrap(),
                )
            }
            "schoenfeld" => {
                let ph = section::<CoxSection>(&r["cox"]).ph_test.unwrap();
                let h = plot::schoenfeld_figure_height(720.0, &ph, &o).round();
                (h, plot::render_schoenfeld_svg(&ph, &o, 720).unwrap())
            }
            "loglog" => {
                let km: KmSection = section(&r["km"]);
                (
                    plot::loglog_figure_height(720.0, &o).round(),
                    plot::render_loglog_svg(&km, &o, 720).unwrap(),
                )
            }
            "love" => {
                let b: Vec<BalanceTerm> = section(&r["propensity"]["balance"]);
                let h = plot::love_figure_height(b.len(), &o).round();
                (h, plot::render_love_svg(&b, &o, 720, h as u32).unwrap())
            }
            "overlap" => {
                let p: PerRow = section(&r["propensity"]["per_row"]);
                let h = plot::overlap_figure_height(labels.len(), &o).round();
                (
                    h,
                    plot::render_overlap_svg(&p, &labels, &o, 720, h as u32).unwrap(),
                )
            }
            "cif" | "cif_adjusted" => {
                let ko = KmPlotOptions::default();
                let plot = if name == "cif" {
                    plot::CifPlot::new(&section(&r["competing_risks"]), Some(&section(&r["km"])))
                } else {
                    let mut ko = ko.clone();
                    ko.title = Some(plot::words::words(ko.lang).weighted_cif.into());
                    let p = plot::CifPlot {
                        curves: section(&r["adjusted"]["cif"]),
                        gray_p: None,
                        km: Some(section(&r["adjusted"]["km"])),
                    };
                    let h = plot::cif_figure_height(720.0, &p, &ko).round();
                    return (h, plot::render_cif_svg(&p, &ko, 720, h as u32).unwrap());
                };
                let h = plot::cif_figure_height(720.0, &plot, &ko).round();
                (h, plot::render_cif_svg(&plot, &ko, 720, h as u32).unwrap())
            }
            "conditional" => {
                let ko = KmPlotOptions::default();
                let p = plot::ConditionalPlot::new(&section::<Vec<_>>(&r["conditional"]), None);
                let h = plot::conditional_figure_height(720.0, &p, &ko).round();
                (
                    h,
                    plot::render_conditional_svg(&p, &ko, 720, h as u32).unwrap(),
                )
            }
            other => panic!("no direct drawing for {other}"),
        }
    }

    /// Only the sections figure `name` lists: what the page sends the core.
    fn picked(name: &str, r: &Value) -> Value {
        let kind = figure_kind(name).unwrap();
        Value::Object(
            kind.sections
                .iter()
                .map(|k| (k.to_string(), r[*k].clone()))
                .collect(),
        )
    }

    #[test]
    fn every_figure_is_the_figure_functions_own_from_its_sections_alone() {
        let cox = report("cox_lung_efron");
        let ps = report("ps_demo_gist");
        let cr = report("cr_mgus2");
        let cr_adjusted = report("cr_adjusted");
        let periods = report("periods_veteran_celltype");
        let conditional = report("fu_lung");
        let cases = [
            ("conditional", &conditional),
            ("periods", &periods),
            ("km", &ps),
            ("cif", &cr),
            ("cif_adjusted", &cr_adjusted),
            ("forest", &cox),
            ("schoenfeld", &cox),
            ("loglog", &cox),
            ("love", &ps),
            ("overlap", &ps),
        ];
        // The subgroup forest plots ("subgroups", "subgroups_adjusted"):
        // tests/render/plot_subgroups.rs; the observed vs imputed figure
        // ("imputation_diagnostics"): tests/render/report_imputation.rs; the matching
        // figures: tests/render/plot_matching.rs.
        let here = FIGURES.iter().filter(|f| {
            !f.name.starts_with("subgroups")
                && f.name != "imputation_diagnostics"
                && !f.name.starts_with("matching_")
        });
        assert_eq!(
            cases.len(),
            here.count(),
            "a figure of the registry is not tested here"
        );
        for (name, r) in cases {
            let want = direct(name, r);
            assert!(want.1.starts_with("<svg") && want.0 > 100.0, "{name}");
            assert_eq!(via_registry(name, r), want, "{name}: whole report");
            assert_eq!(
                via_registry(name, &picked(name, r)),
                want,
                "{name}: its sections alone"
            );
        }
    }

    #[test]
    fn a_large_cohorts_stand_in_draws_the_same_overlap_figure() {
        let mut r = report("ps_demo_gist");
        let labels: Vec<String> = r["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["label"].as_str().unwrap().into())
            .collect();
        let per_row: PerRow = section(&r["propensity"]["per_row"]);
        let histograms = plot::overlap_histograms(&per_row, &labels);
        let want = via_registry("overlap", &r);
        r["propensity"]["per_row"] =
            json!({"detached": true, "n": 1, "overlap_histograms": histograms});
        assert_eq!(via_registry("overlap", &r), want);
    }

    #[test]
    fn a_missing_section_names_what_to_add_to_the_spec() {
        let kinds = [
            ("km", "no_km"),
            ("forest", "no_cox"),
            ("periods", "no_cox"),
            ("schoenfeld", "no_cox"),
            ("loglog", "no_km"),
            ("love", "no_propensity"),
            ("overlap", "no_propensity"),
            ("cif", "no_competing_risks"),
            ("cif_adjusted", "no_adjusted_cif"),
            ("conditional", "no_conditional"),
        ];
        for (name, kind) in kinds {
            let err = figure_kind(name)
                .unwrap()
                .read(serde_json::from_str("{}").unwrap(), options(name))
                .err()
                .unwrap();
            assert_eq!(err.kind, kind, "{name}");
            assert!(
                err.message.contains("to the spec"),
                "{name}: {}",
                err.message
            );
        }
        let mut cox = report("lung");
        cox["cox"] = report("cox_lung_efron")["cox"].clone();
        cox["cox"]["ph_test"] = Value::Null;
        let err = figure_kind("schoenfeld")
            .unwrap()
            .read(
                serde_json::from_value(cox.clone()).unwrap(),
                options("schoenfeld"),
            )
            .err()
            .unwrap();
        assert_eq!(err.kind, "no_residuals");
        assert_eq!(figure_kind("pie").err().unwrap().kind, "invalid_options");
        let bad = serde_json::from_str::<survlens::plot::registry::FigureReport>("not json")
            .map_err(survlens::plot::registry::FigureReport::parse_error)
            .err()
            .unwrap();
        assert_eq!(bad.kind, "invalid_report");
    }

    #[test]
    fn names_are_unique_and_every_caption_key_is_a_report_text() {
        let en = concat!(
            include_str!("../../crates/text/src/text_en.rs"),
            include_str!("../../crates/text/src/matching_words.rs"),
            include_str!("../../crates/text/src/emulation_words.rs")
        );
        for (i, f) in FIGURES.iter().enumerate() {
            assert!(
                FIGURES[..i].iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
            assert!(
                en.contains(&format!("{}: ", f.caption_key)),
                "{}: no text {}",
                f.name,
                f.caption_key
            );
            assert!(
                !f.sections.is_empty() && f.label.starts_with("the "),
                "{}",
                f.name
            );
        }
    }
}
