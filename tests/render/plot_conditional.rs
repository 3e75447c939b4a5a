//! The conditional survival figure (crates/render/src/plot/conditional.rs) from a
//! hand-made `conditional` section: cohorts without censoring after s, where the
//! Kaplan–Meier estimate since s is the share of the group still alive (a hand
//! calculation: S(k) = 1 − k/n after the k-th death), drawn through the page's figure
//! registry in SVG and on a raster backend (the canvas / PNG path), one panel per
//! given, in English and Chinese; each panel is the Kaplan–Meier figure's own drawing.

use crate::plot_cif::curve_lines;
use crate::plot_cif::raster::Raster;
use plotters::prelude::IntoDrawingArea;
use serde_json::{json, Value};
use survlens::messages::figure_words::words;
use survlens::messages::numbers::count;
use survlens::messages::Lang;
use survlens::plot::registry::{figure_kind, Options};
use survlens::plot::{self, KmPlotOptions, OKABE_ITO};

const GROUPS: [&str; 2] = ["IM", "观察"];

/// Group `g` alive at s: n = 3 + g + k rows (k = the panel), one death at each time 1, 2, …
/// since s, no censoring: S(t) = 1 − t/n, the number at risk n − t + 1 at time t.
fn curve(g: usize, k: usize) -> Value {
    let n = 3 + g + k;
    let time: Vec<f64> = (1..=n).map(|t| t as f64).collect();
    let surv: Vec<f64> = (1..=n).map(|t| 1.0 - t as f64 / n as f64).collect();
    let lower: Vec<Value> = surv.iter().map(|s| json!(s * 0.5)).collect();
    let upper: Vec<Value> = surv.iter().map(|s| json!((s * 1.5f64).min(1.0))).collect();
    json!({
        "group": GROUPS[g], "n": n, "events": n,
        "time": time, "n_risk": (0..n).map(|i| (n - i) as f64).collect::<Vec<_>>(),
        "n_event": vec![1.0; n], "n_censor": vec![0.0; n], "surv": surv,
        "std_err": vec![Value::Null; n], "lower": lower, "upper": upper,
        "median": {"estimate": null, "lower": null, "upper": null}, "at_times": []
    })
}

/// A Report's `conditional` section with the given times `given` (one panel each).
fn report(given: &[f64]) -> Value {
    let results: Vec<Value> = given
        .iter()
        .enumerate()
        .map(|(k, s)| json!({"given": s, "curves": [curve(0, k), curve(1, k)]}))
        .collect();
    json!({ "conditional": results })
}

fn options(lang: Lang) -> KmPlotOptions {
    KmPlotOptions {
        lang,
        ci: true,
        ..Default::default()
    }
}

/// (height, SVG) through the registry, 720 px wide.
fn svg(r: &Value, o: KmPlotOptions) -> (f64, String) {
    let fig = figure_kind("conditional")
        .unwrap()
        .read(serde_json::from_value(r.clone()).unwrap(), Options::Km(o))
        .unwrap();
    let h = fig.height(720.0);
    (h, fig.svg(720, h as u32).unwrap())
}

/// Points of the step curve from (0, 1) with a drop at every time 1..n: two per time.
fn step_points(n: usize) -> usize {
    1 + 2 * n
}

#[test]
fn one_panel_per_given_with_its_title_axis_bands_and_number_at_risk() {
    for lang in Lang::ALL {
        let w = words(lang);
        let unit = w.unit("months");
        for given in [&[12.0][..], &[12.0, 24.5]] {
            let what = format!("{lang:?}, given {given:?}");
            let r = report(given);
            let (h, s) = svg(&r, options(lang));
            assert!(
                s.starts_with("<svg") && h > 300.0 * given.len() as f64,
                "{what}"
            );
            for (k, g) in given.iter().enumerate() {
                let title = w
                    .alive_at
                    .replace("{s}", &g.to_string())
                    .replace("{unit}", unit);
                assert!(s.contains(&title), "{what}: {title}");
                // The number at risk at 0: the group's rows alive at s.
                assert!(s.contains(&format!(">\n{}\n</text>", count((4 + k) as f64))));
            }
            let axis = w.time_since_s.replace("{unit}", unit);
            assert_eq!(s.matches(&axis).count(), given.len(), "{what}: {axis}");
            assert_eq!(s.matches(w.number_at_risk).count(), given.len(), "{what}");
            // Group 0 (solid): one polyline per panel through every step.
            let lines = curve_lines(&s, 0);
            let want: Vec<usize> = (0..given.len()).map(|k| step_points(3 + k)).collect();
            let mut got: Vec<usize> = lines.iter().copied().filter(|n| want.contains(n)).collect();
            got.sort_unstable();
            assert_eq!(got, want, "{what}: group 0's curves in {lines:?}");
            // Group 1 (dashed): many short pieces in each panel.
            assert!(curve_lines(&s, 1).len() > 3 * given.len(), "{what}");
            // Confidence bands: one filled area per group and panel.
            assert!(s.matches("<polygon").count() >= 2 * given.len(), "{what}");
            for label in GROUPS {
                assert!(s.contains(label), "{what}: {label}");
            }
        }
    }
}

#[test]
fn a_panel_is_the_kaplan_meier_figures_own_drawing() {
    let r = report(&[12.0]);
    let o = options(Lang::En);
    let w = words(Lang::En);
    let km: survlens::analysis::report::KmSection = serde_json::from_value(json!({
        "conf_type": "log", "conf_level": 0.95,
        "curves": r["conditional"][0]["curves"].as_array().unwrap().iter().map(|c| {
            let mut c = c.clone();
            let o = c.as_object_mut().unwrap();
            o.remove("n");
            o.remove("events");
            o.insert("quantiles".into(), json!([]));
            c
        }).collect::<Vec<_>>()
    }))
    .unwrap();
    let ko = KmPlotOptions {
        title: Some(w.alive_at.replace("{s}", "12").replace("{unit}", "months")),
        x_label: Some(w.time_since_s.replace("{unit}", "months")),
        p_value: false,
        ..o.clone()
    };
    let h = plot::km_figure_height(720.0, &km, &ko).round();
    let want = (
        h,
        plot::render_km_svg(&km, None, &ko, 720, h as u32).unwrap(),
    );
    assert_eq!(svg(&r, o), want);
}

#[test]
fn the_raster_path_paints_every_panel_and_writes_its_words() {
    // 7 inches at 300 dpi from a 720 px layout: the page's PNG export.
    let scale = 2100.0 / 720.0;
    for lang in Lang::ALL {
        let w = words(lang);
        let o = KmPlotOptions {
            scale,
            ..options(lang)
        };
        let fig = figure_kind("conditional")
            .unwrap()
            .read(
                serde_json::from_value(report(&[12.0, 24.0])).unwrap(),
                Options::Km(o),
            )
            .unwrap();
        let h = fig.height(720.0);
        let backend = Raster::new(2100, (h * scale).round() as u32);
        let drawn = backend.drawn.clone();
        fig.draw(&backend.into_drawing_area()).unwrap();
        let raster = drawn.borrow();
        for (g, &c) in OKABE_ITO.iter().enumerate().take(2) {
            assert!(raster.count(c) > 1000, "{lang:?}: colour of group {g}");
        }
        assert_eq!(raster.count(OKABE_ITO[2]), 0, "no third group");
        for s in ["12", "24"] {
            let title = w
                .alive_at
                .replace("{s}", s)
                .replace("{unit}", w.unit("months"));
            assert!(raster.texts.contains(&title), "{lang:?}: {title}");
        }
        let at_risk = raster.texts.iter().filter(|t| *t == w.number_at_risk);
        assert_eq!(at_risk.count(), 2, "{lang:?}");
    }
}

#[test]
fn without_the_section_the_figure_says_what_to_add() {
    for r in [json!({}), json!({"conditional": []})] {
        let err = figure_kind("conditional")
            .unwrap()
            .read(
                serde_json::from_value(r).unwrap(),
                Options::Km(KmPlotOptions::default()),
            )
            .err()
            .unwrap();
        assert_eq!(err.kind, "no_conditional");
        assert!(err.message.contains("to the spec"));
    }
}
