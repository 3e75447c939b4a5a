//! The love plot and the propensity-score overlap figure render natively to SVG from
//! a real Report (the demo cohort's propensity section); labels are escaped.

use survlens::analysis::propensity_section::{BalanceTerm, PerRow};
use survlens::plot::overlap::{histogram, panels, BINS};
use survlens::plot::{
    love_figure_height, overlap_figure_height, render_love_svg, render_overlap_svg, FigureOptions,
};

fn demo() -> (Vec<BalanceTerm>, PerRow, Vec<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(root.join("tests/reference/ps_demo_gist/data.csv")).unwrap();
    let spec =
        std::fs::read_to_string(root.join("tests/reference/ps_demo_gist/spec.json")).unwrap();
    let v = serde_json::to_value(survlens::Analysis::from_json(&spec).run(&data).unwrap()).unwrap();
    let labels = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap().to_string())
        .collect();
    (
        serde_json::from_value(v["propensity"]["balance"].clone()).unwrap(),
        serde_json::from_value(v["propensity"]["per_row"].clone()).unwrap(),
        labels,
    )
}

fn save(name: &str, svg: &str) {
    if let Ok(dir) = std::env::var("SURVLENS_PLOT_OUT") {
        std::fs::write(format!("{dir}/{name}.svg"), svg).unwrap();
    }
}

#[test]
fn love_plot_has_every_term_and_the_line() {
    let (balance, _, _) = demo();
    let opts = FigureOptions::default();
    let h = love_figure_height(balance.len(), &opts).round() as u32;
    let svg = render_love_svg(&balance, &opts, 720, h).unwrap();
    save("love", &svg);
    assert!(svg.starts_with("<svg"));
    for t in &balance {
        assert!(svg.contains(&t.term), "{} missing", t.term);
    }
    assert!(svg.contains("|SMD| = 0.1"));
    assert!(
        svg.contains("over pairs of groups"),
        "three groups: the largest |SMD|"
    );
    // One filled (after) and one open (before) circle per term, plus the legend's two.
    assert_eq!(svg.matches("<circle").count(), 2 * balance.len() + 2);
}

#[test]
fn overlap_histograms_are_percentages_of_each_group() {
    let (_, per_row, labels) = demo();
    assert_eq!(panels(labels.len()), [0, 1, 2]);
    assert_eq!(panels(2), [1]);
    for col in 0..labels.len() {
        let h = histogram(&per_row, &labels, col);
        assert_eq!(h.len(), labels.len());
        for g in &h {
            assert_eq!(g.len(), BINS);
            assert!((g.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        }
    }
    let opts = FigureOptions::default();
    let h = overlap_figure_height(labels.len(), &opts).round() as u32;
    let svg = render_overlap_svg(&per_row, &labels, &opts, 720, h).unwrap();
    save("overlap", &svg);
    for l in &labels {
        assert!(svg.contains(&format!("P({l} | covariates)")), "{l}");
    }
}

#[test]
fn labels_are_escaped() {
    let (mut balance, per_row, mut labels) = demo();
    balance[0].term = "<img src=x onerror=alert(1)>".into();
    let svg = render_love_svg(&balance, &FigureOptions::default(), 720, 500).unwrap();
    assert!(!svg.contains("<img"));
    labels[0] = "<script>".into();
    let svg = render_overlap_svg(&per_row, &labels, &FigureOptions::default(), 720, 700).unwrap();
    assert!(!svg.contains("<script>"));
}
