//! The `cox` section of the Report: spec parsing, degenerate cohorts, warnings.

use serde_json::Value;
use survlens::analysis::{self, Spec};
use survlens::ingest::{Cohort, Covariate, CovariateValues};

fn spec(cox: &str) -> Spec {
    let text = format!(
        r#"{{"time": {{"column": "t"}}, "event": {{"column": "e"}}, "group": {{"column": "arm", "reference": "A"}},
            "covariates": [{{"column": "x"}}, {{"column": "k", "type": "categorical", "reference": "a"}}],
            "cox": {cox}}}"#
    );
    Spec::from_json(&text).expect("spec parses")
}

fn cohort(events: bool) -> Cohort {
    let n = 12;
    let time: Vec<f64> = (1..=n).map(f64::from).collect();
    let event: Vec<bool> = (0..n).map(|i| events && i % 3 != 2).collect();
    Cohort {
        n_rows: n as usize,
        line: (2..n as u64 + 2).collect(),
        time,
        event,
        competing: None,
        group: (0..n).map(|i| (i % 2) as u32).collect(),
        group_labels: vec!["A".into(), "B".into()],
        stratum: vec![0; n as usize],
        strata_labels: vec![],
        weight: None,
        cluster: None,
        covariates: vec![
            Covariate {
                column: "x".into(),
                n_missing: None,
                values: CovariateValues::Numeric((0..n).map(|i| f64::from(i * 7 % 5)).collect()),
            },
            Covariate {
                column: "k".into(),
                n_missing: None,
                values: CovariateValues::Categorical {
                    codes: (0..n).map(|i| (i % 3) as u32).collect(),
                    levels: vec!["a".into(), "b".into(), "c".into()],
                },
            },
        ],
        excluded: vec![],
        warnings: vec![],
        entry: None,
    }
}

fn report(c: &Cohort, s: &Spec) -> Value {
    serde_json::to_value(analysis::Analysis::new(s).run(c).expect("runs")).expect("serializes")
}

fn codes(r: &Value) -> Vec<String> {
    r["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["code"].as_str().map(String::from))
        .collect()
}

#[test]
fn defaults_are_echoed_and_terms_named_like_the_contract() {
    let s = spec("{}");
    let r = report(&cohort(true), &s);
    assert_eq!(
        r["spec"]["cox"],
        serde_json::json!({"ties": "efron", "robust": false})
    );
    let names: Vec<&str> = r["cox"]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names, ["arm=B", "x", "k=b", "k=c"]);
    assert_eq!(r["cox"]["ties"], "efron");
    assert!(r["cox"]["terms"][0]["robust_se"].is_null());
    assert!(r["cox"].get("ph_test").is_none());
}

#[test]
fn ph_test_has_one_row_per_column() {
    let r = report(
        &cohort(true),
        &spec(r#"{"ties": "breslow", "robust": true, "ph_test": {}}"#),
    );
    let ph = &r["cox"]["ph_test"];
    assert_eq!(ph["transform"], "km");
    let names: Vec<&str> = ph["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names, ["arm", "x", "k"]);
    assert_eq!(ph["terms"][2]["df"], 2);
    assert_eq!(ph["global"]["df"], 4);
    assert!(r["cox"]["tests"]["robust_score"]["chisq"].is_number());
    assert!(r["cox"]["terms"][0]["robust_se"].is_number());
}

#[test]
fn unknown_cox_keys_are_spec_errors() {
    let text = r#"{"time": {"column": "t"}, "event": {"column": "e"}, "cox": {"ties": "exact"}}"#;
    assert!(Spec::from_json(text).is_err());
    let text = r#"{"time": {"column": "t"}, "event": {"column": "e"}, "cox": {"robustt": true}}"#;
    assert!(Spec::from_json(text).is_err());
}

#[test]
fn no_events_gives_null_with_a_warning() {
    let r = report(&cohort(false), &spec("{}"));
    assert!(r["cox"].is_null());
    assert!(codes(&r).contains(&"no_events".to_string()));
}

#[test]
fn constant_and_zero_weight_rows_are_reported() {
    let mut c = cohort(true);
    c.covariates[0].values = CovariateValues::Numeric(vec![3.0; 12]);
    let mut w = vec![1.5; 12];
    w[0] = 0.0;
    c.weight = Some(w);
    let s = Spec::from_json(
        r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm", "reference": "A"},
            "covariates": [{"column": "x"}], "weights": {"column": "w"}, "cox": {}}"#,
    )
    .expect("spec");
    let r = report(&c, &s);
    let cs = codes(&r);
    for code in [
        "constant_covariate",
        "cox_aliased",
        "cox_zero_weights",
        "nonint_weights_without_robust",
    ] {
        assert!(cs.contains(&code.to_string()), "{code} missing in {cs:?}");
    }
    assert_eq!(r["cox"]["n"], 11);
    assert!(r["cox"]["terms"][1]["coef"].is_null());
}

#[test]
fn cox_without_group_or_covariates_is_the_null_model() {
    let s = Spec::from_json(r#"{"time": {"column": "t"}, "event": {"column": "e"}, "cox": {"ph_test": {"transform": "rank"}}}"#)
        .expect("spec");
    let mut c = cohort(true);
    c.group = vec![0; 12];
    c.group_labels = vec!["all".into()];
    c.covariates.clear();
    let r = report(&c, &s);
    assert_eq!(r["cox"]["terms"], serde_json::json!([]));
    assert_eq!(r["cox"]["tests"]["lr"]["df"], 0);
    assert!(r["cox"]["tests"]["lr"]["p"].is_null());
    assert!(r["cox"].get("ph_test").is_none());
    // R's cox.zph stops on a null model: the warning says that, and why.
    let w = r["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|w| w["code"] == "ph_test_not_available")
        .expect("ph_test_not_available");
    let message = w["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("no score residuals for a Null model"),
        "{message}"
    );
}

/// Delayed entry: the PH test is computed on the (start, stop] fit (R supports it);
/// with every entry at 0 it is the right-censored test.
#[test]
fn ph_test_with_delayed_entry() {
    let s = spec(r#"{"ph_test": {"transform": "identity", "residuals": true}}"#);
    let plain = report(&cohort(true), &s);
    let mut c = cohort(true);
    c.entry = Some(vec![0.0; 12]);
    let zero = report(&c, &s);
    assert!(!codes(&zero).contains(&"ph_test_not_available".to_string()));
    let (a, b) = (&plain["cox"]["ph_test"], &zero["cox"]["ph_test"]);
    for (x, y) in [
        (&a["global"], &b["global"]),
        (&a["terms"][0], &b["terms"][0]),
    ] {
        let (x, y) = (
            x["chisq"].as_f64().expect("chisq"),
            y["chisq"].as_f64().expect("chisq"),
        );
        assert!((x - y).abs() <= 1e-8 * x.abs(), "{x} vs {y}");
    }
    c.entry = Some((0..12).map(|i| f64::from(i % 4) * 0.5).collect());
    let late = report(&c, &s);
    let ph = &late["cox"]["ph_test"];
    assert_eq!(ph["global"]["df"], 4);
    assert!(ph["global"]["chisq"].as_f64().is_some_and(|v| v >= 0.0));
    assert_ne!(ph["global"]["chisq"], a["global"]["chisq"]);
    assert!(ph["residuals"]["terms"][0]["scaled"].is_array());
}

/// All deaths at one time: g(t) is constant at the events, so the test's information
/// matrix is singular (R: `cox.zph` stops, "Lapack routine dgesv: system is exactly
/// singular"). The model itself converged: the reading says what happened, not that
/// the fit failed.
#[test]
fn singular_ph_test_on_a_sound_fit_says_so() {
    let s = Spec::from_json(
        r#"{"time": {"column": "t"}, "event": {"column": "e"}, "group": {"column": "arm", "reference": "A"},
            "cox": {"ph_test": {}}}"#,
    )
    .expect("spec");
    let mut c = cohort(true);
    c.covariates.clear();
    for i in 0..12 {
        c.event[i] = (2..=4).contains(&i);
        if c.event[i] {
            c.time[i] = 5.0;
        }
    }
    let r = report(&c, &s);
    assert_eq!(r["cox"]["converged"], true);
    let ph = &r["cox"]["ph_test"];
    assert!(
        ph["global"]["chisq"].is_null() && ph["global"]["p"].is_null(),
        "{ph}"
    );
    for reading in [&ph["reading"], &ph["terms"][0]["reading"]] {
        let text = reading.as_str().unwrap_or_default();
        assert!(text.contains("numerically singular"), "{text}");
        assert!(
            !text.contains("did not converge") && !text.contains("infinite"),
            "{text}"
        );
    }
}
