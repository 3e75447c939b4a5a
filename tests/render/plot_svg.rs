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
