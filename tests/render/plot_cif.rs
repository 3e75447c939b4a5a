//! The cumulative incidence figure (crates/render/src/plot/cif.rs) from hand-made
//! competing-risks sections: cohorts without censoring, where the Aalen–Johansen
//! estimate is the proportion of the group that has had each event so far (a hand
//! calculation), drawn in SVG through the page's figure registry and on a raster backend
//! (the canvas / PNG path), for 1, 2 and 3 groups, with and without the 1 − KM overlay,
//! in English and Chinese.

use serde_json::{json, Value};
use survlens::messages::figure_words::words;
use survlens::messages::numbers::{count, p_sentence};
use survlens::messages::Lang;
use survlens::plot::registry::{figure_kind, Options};
use survlens::plot::{self, CifPlot, KmPlotOptions, OKABE_ITO};

/// Causes of the events of group `g` (n = 4 + g), one event per time 1, 2, ...: 1 is the
/// event of interest, 2 the competing event.
fn causes(g: usize) -> Vec<u8> {
    (0..4 + g)
        .map(|i| if (i + g) % 3 == 2 { 2 } else { 1 })
        .collect()
}

const GROUPS: [&str; 3] = ["IM", "IM+RFA", "观察"];

/// One curve: without censoring the cumulative incidence of a cause at t is the share
/// of the group with that event by t; the number at risk is n minus the events before t.
fn curve(g: usize, cause: u8) -> Value {
    let c = causes(g);
    let n = c.len() as f64;
    let time: Vec<f64> = (1..=c.len()).map(|t| t as f64).collect();
    let n_risk: Vec<f64> = (0..c.len()).map(|i| n - i as f64).collect();
    let n_event: Vec<f64> = c.iter().map(|&x| f64::from(x == cause)).collect();
    let mut so_far = 0.0;
    let estimate: Vec<f64> = n_event
        .iter()
        .map(|e| {
            so_far += e;
            so_far / n
        })
        .collect();
    let lower: Vec<Value> = estimate.iter().map(|e| json!(e * 0.5)).collect();
    let upper: Vec<Value> = estimate
        .iter()
        .map(|e| json!((e * 1.5f64).min(1.0)))
        .collect();
    json!({
        "group": GROUPS[g], "cause": if cause == 1 { "event" } else { "competing" },
        "time": time, "n_risk": n_risk, "n_event": n_event, "estimate": estimate,
        "std_err": estimate.iter().map(|_| Value::Null).collect::<Vec<_>>(),
        "lower": lower, "upper": upper, "at_times": []
    })
}

/// The cause-specific Kaplan–Meier curve of the event of interest (a competing event
/// censors): S(t) = Π (1 − d/n).
fn km_curve(g: usize) -> Value {
    let c = causes(g);
    let n = c.len();
    let mut s = 1.0;
    let surv: Vec<f64> = c
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if x == 1 {
                s *= 1.0 - 1.0 / (n - i) as f64;
            }
            s
        })
        .collect();
    let nil: Vec<Value> = surv.iter().map(|_| Value::Null).collect();
    json!({
        "group": GROUPS[g], "time": (1..=n).map(|t| t as f64).collect::<Vec<_>>(),
        "n_risk": (0..n).map(|i| (n - i) as f64).collect::<Vec<_>>(),
        "n_event": c.iter().map(|&x| f64::from(x == 1)).collect::<Vec<_>>(),
        "n_censor": c.iter().map(|&x| f64::from(x == 2)).collect::<Vec<_>>(),
        "surv": surv, "std_err": nil, "lower": nil, "upper": nil,
        "median": {"estimate": null, "lower": null, "upper": null},
        "quantiles": [], "at_times": []
    })
}

const GRAY_P: f64 = 0.01234;

/// A Report's figure sections for `groups` groups (Gray's test only with two or more).
pub fn report(groups: usize) -> Value {
    let cif: Vec<Value> = (0..groups)
        .flat_map(|g| [curve(g, 1), curve(g, 2)])
        .collect();
    let mut cr = json!({"conf_type": "log", "conf_level": 0.95, "cif": cif});
    if groups > 1 {
        cr["gray"] = json!([
            {"cause": "event", "chisq": 6.3, "df": groups - 1, "p": GRAY_P},
            {"cause": "competing", "chisq": 0.4, "df": groups - 1, "p": 0.8}
        ]);
    }
    json!({
        "competing_risks": cr,
        "km": {"conf_type": "log", "conf_level": 0.95,
               "curves": (0..groups).map(km_curve).collect::<Vec<_>>()}
    })
}

fn options(lang: Lang, overlay: bool) -> KmPlotOptions {
    KmPlotOptions {
        lang,
        one_minus_km: overlay,
        ci: true,
        ..Default::default()
    }
}

/// (height, SVG) through the registry, 720 px wide.
fn svg(name: &str, r: &Value, o: KmPlotOptions) -> (f64, String) {
    let fig = figure_kind(name)
        .unwrap()
        .read(serde_json::from_value(r.clone()).unwrap(), Options::Km(o))
        .unwrap();
    let h = fig.height(720.0);
    (h, fig.svg(720, h as u32).unwrap())
}

fn stroke_of(i: usize) -> String {
    let (r, g, b) = OKABE_ITO[i];
    format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"")
}

/// The SVG's polylines in colour `i` drawn 2 px wide (the curves; legend samples are
/// 2.2 px, the overlay 1.3 px), as their numbers of points.
pub fn curve_lines(svg: &str, i: usize) -> Vec<usize> {
    let colour = stroke_of(i);
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains(&colour))
        .filter(|l| l.contains("stroke-width=\"4\""))
        .map(|l| {
            l.split("points=\"")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .count()
                - 1
        })
        .collect()
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&apos;")
        .replace('<', "&lt;")
}

/// Points of the step curve of `estimate` over times 1, 2, ...: the start (0, 0), then
/// two per time, less the points a flat step (no event of the cause) repeats.
fn step_points(c: &Value) -> usize {
    let est: Vec<f64> = serde_json::from_value(c["estimate"].clone()).unwrap();
    let mut pts: Vec<(usize, f64)> = vec![(0, 0.0)];
    let mut prev = 0.0;
    for (k, &e) in est.iter().enumerate() {
        pts.push((k + 1, prev));
        pts.push((k + 1, e));
        prev = e;
    }
    pts.dedup();
    // Collinear points on a flat run are kept (the drawing dedups only equal pixels).
    pts.len()
}

#[test]
fn svg_for_one_two_and_three_groups_in_both_languages() {
    for groups in 1..=3 {
        let r = report(groups);
        for lang in Lang::ALL {
            let w = words(lang);
            for overlay in [false, true] {
                let what = format!("{groups} groups, {lang:?}, overlay {overlay}");
                let (h, s) = svg("cif", &r, options(lang, overlay));
                assert!(s.starts_with("<svg") && h > 300.0, "{what}");
                assert!(s.contains(w.cumulative_incidence_percent), "{what}: y axis");
                assert!(s.contains(w.event_of_interest), "{what}: legend");
                assert!(s.contains(w.competing_event), "{what}: legend");
                assert_eq!(
                    s.contains(w.one_minus_km),
                    overlay,
                    "{what}: overlay legend"
                );
                let gray = escaped(&format!("{} {}", w.gray_test, p_sentence(Some(GRAY_P))));
                assert_eq!(s.contains(&gray), groups > 1, "{what}: {gray}");
                assert!(s.contains(&format!(">\n{}\n</text>", count(4.0 + groups as f64 - 1.0))));
                for (g, label) in GROUPS.iter().enumerate().take(groups) {
                    // The event of interest: one solid polyline through every step.
                    let lines = curve_lines(&s, g);
                    let event = step_points(&curve(g, 1));
                    assert_eq!(
                        lines.iter().filter(|&&n| n == event).count(),
                        1,
                        "{what}: group {g}'s event curve ({event} points) in {lines:?}"
                    );
                    // The competing event: dashed, many short pieces.
                    assert!(lines.len() > 3, "{what}: group {g}'s dashes {lines:?}");
                    assert!(s.contains(label), "{what}: label of group {g}");
                }
            }
        }
    }
}

#[test]
fn the_overlay_draws_one_dotted_line_per_group_over_the_incidence() {
    let r = report(2);
    let thin = |s: &str, g: usize| {
        s.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&stroke_of(g)))
            .filter(|l| l.contains("stroke-width=\"3\""))
            .count()
    };
    let (_, without) = svg("cif", &r, options(Lang::En, false));
    let (_, with) = svg("cif", &r, options(Lang::En, true));
    for g in 0..2 {
        assert_eq!(thin(&without, g), 0);
        // Dotted: a piece every 5.5 px along a curve that climbs to 1 − KM.
        assert!(thin(&with, g) > 20, "group {g}: {}", thin(&with, g));
    }
    // Without a `km` section there is nothing to overlay.
    let mut no_km = r.clone();
    no_km.as_object_mut().unwrap().remove("km");
    let (_, s) = svg("cif", &no_km, options(Lang::En, true));
    assert!(!s.contains(words(Lang::En).one_minus_km));
}

#[test]
fn the_registry_draws_the_figure_functions_own_and_says_what_is_missing() {
    let r = report(2);
    let section = serde_json::from_value(r["competing_risks"].clone()).unwrap();
    let km = serde_json::from_value(r["km"].clone()).unwrap();
    let o = options(Lang::Zh, true);
    let direct = CifPlot::new(&section, Some(&km));
    assert_eq!(direct.gray_p, Some(GRAY_P));
    let h = plot::cif_figure_height(720.0, &direct, &o).round();
    let want = (h, plot::render_cif_svg(&direct, &o, 720, h as u32).unwrap());
    assert_eq!(svg("cif", &r, o.clone()), want);
    let err = figure_kind("cif")
        .unwrap()
        .read(serde_json::from_str("{}").unwrap(), Options::Km(o))
        .err()
        .unwrap();
    assert_eq!(err.kind, "no_competing_risks");
    assert!(err.message.contains("to the spec"));
}

#[test]
fn the_weighted_figure_is_the_same_drawing_under_its_own_title() {
    let r = report(2);
    let adjusted = json!({"adjusted": {"n": 11, "n_events": 5, "cif": r["competing_risks"]["cif"],
        "km": r["km"], "notes": []}});
    for lang in Lang::ALL {
        let w = words(lang);
        let (_, s) = svg("cif_adjusted", &adjusted, options(lang, false));
        assert!(s.contains(w.weighted_cif), "{lang:?}");
        // No Gray's test with weights; the curves are the same as unweighted.
        assert!(!s.contains(w.gray_test));
        let (_, plain) = svg("cif", &r, options(lang, false));
        assert_eq!(curve_lines(&s, 1), curve_lines(&plain, 1));
    }
    let err = figure_kind("cif_adjusted")
        .unwrap()
        .read(
            serde_json::from_value(json!({"adjusted": {"n": 1}})).unwrap(),
            Options::Km(KmPlotOptions::default()),
        )
        .err()
        .unwrap();
    assert_eq!(err.kind, "no_adjusted_cif");
}

#[test]
fn labels_are_escaped() {
    let mut r = report(2);
    for c in r["competing_risks"]["cif"].as_array_mut().unwrap() {
        if c["group"] == "IM" {
            c["group"] = json!("<img src=x onerror=alert(1)>\u{7}");
        }
    }
    let (_, s) = svg("cif", &r, options(Lang::En, false));
    assert!(!s.contains("<img") && !s.contains('\u{7}'));
    assert!(s.contains("&lt;img src=x onerror=alert(1)&gt;\u{fffd}"));
}

/// A raster backend (what the page's canvas and its 300-dpi PNG export are): pixels in
/// memory, the texts as drawn.
pub mod raster {
    use plotters_backend::{BackendColor, BackendStyle, BackendTextStyle, DrawingBackend};
    use plotters_backend::{BackendCoord, DrawingErrorKind};

    use std::cell::RefCell;
    use std::rc::Rc;

    /// What was drawn: pixels (row-major) and texts.
    #[derive(Default)]
    pub struct Drawn {
        pub pixels: Vec<(u8, u8, u8)>,
        pub texts: Vec<String>,
    }

    impl Drawn {
        /// Pixels painted exactly colour `c` (opaque strokes).
        pub fn count(&self, c: (u8, u8, u8)) -> usize {
            self.pixels.iter().filter(|p| **p == c).count()
        }
    }

    /// The backend: a drawing area owns it, the test keeps `drawn`.
    pub struct Raster {
        pub w: u32,
        pub h: u32,
        pub drawn: Rc<RefCell<Drawn>>,
    }

    #[derive(Debug)]
    pub struct Never;
    impl std::fmt::Display for Never {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("never")
        }
    }
    impl std::error::Error for Never {}

    impl Raster {
        pub fn new(w: u32, h: u32) -> Self {
            let drawn = Drawn {
                pixels: vec![(0, 0, 0); (w * h) as usize],
                texts: vec![],
            };
            Raster {
                w,
                h,
                drawn: Rc::new(RefCell::new(drawn)),
            }
        }
    }

    impl DrawingBackend for Raster {
        type ErrorType = Never;
        fn get_size(&self) -> (u32, u32) {
            (self.w, self.h)
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
            Ok(())
        }
        fn draw_pixel(
            &mut self,
            (x, y): BackendCoord,
            c: BackendColor,
        ) -> Result<(), DrawingErrorKind<Never>> {
            if x >= 0 && y >= 0 && (x as u32) < self.w && (y as u32) < self.h && c.alpha >= 1.0 {
                self.drawn.borrow_mut().pixels[(y as u32 * self.w + x as u32) as usize] = c.rgb;
            }
            Ok(())
        }
        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            _: &S,
            _: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Never>> {
            self.drawn.borrow_mut().texts.push(text.to_string());
            Ok(())
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Never>> {
            // Thin lines are enough to find the curves: one pixel per step.
            let pts: Vec<BackendCoord> = path.into_iter().collect();
            for w in pts.windows(2) {
                let (a, b) = (w[0], w[1]);
                let n = (b.0 - a.0).abs().max((b.1 - a.1).abs()).max(1);
                for k in 0..=n {
                    let p = (a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n);
                    self.draw_pixel(p, style.color())?;
                }
            }
            Ok(())
        }
    }
}

#[test]
fn the_raster_path_paints_every_groups_curves_and_writes_the_p() {
    use plotters::prelude::IntoDrawingArea;
    // 7 inches at 300 dpi from a 720 px layout: the page's PNG export.
    let scale = 2100.0 / 720.0;
    for groups in 1..=3 {
        for lang in Lang::ALL {
            let r = report(groups);
            let o = KmPlotOptions {
                scale,
                ..options(lang, true)
            };
            let fig = figure_kind("cif")
                .unwrap()
                .read(serde_json::from_value(r).unwrap(), Options::Km(o))
                .unwrap();
            let h = fig.height(720.0);
            let backend = raster::Raster::new(2100, (h * scale).round() as u32);
            let drawn = backend.drawn.clone();
            fig.draw(&backend.into_drawing_area()).unwrap();
            let raster = drawn.borrow();
            for (g, &c) in OKABE_ITO.iter().enumerate().take(groups) {
                assert!(raster.count(c) > 1000, "{groups} groups: colour of {g}");
            }
            let further = OKABE_ITO.get(groups).copied().unwrap();
            assert_eq!(raster.count(further), 0, "no further group");
            let w = words(lang);
            let p = format!("{} {}", w.gray_test, p_sentence(Some(GRAY_P)));
            assert_eq!(raster.texts.contains(&p), groups > 1, "{groups}: {p}");
            assert!(raster.texts.iter().any(|t| t == w.number_at_risk));
        }
    }
}
