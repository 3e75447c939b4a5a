//! `cox.periods` and `cox.periods_test` (the R agreement is in `reference`, cases
//! `periods_*`): hand checks and properties end to end.
//!
//! * periods `[]` reproduce the single-effect model: one period (0, null] whose terms
//!   are the group terms of `cox.terms`, LR 0 on 0 df;
//! * the LR test's df is (periods − 1)(groups − 1);
//! * a cut after the last follow-up drops that period with `cox_period_dropped`; a group
//!   without rows in a period has null terms and warns `cox_period_empty`, one without
//!   events warns `cox_period_no_events`;
//! * rows with no time to split (time 0) are left out of the period models with
//!   `cox_period_rows_left_out` counting them, while `cox` keeps them;
//! * bad cut points are spec errors naming `cox.periods`.

use crate::follow_up::{fixture, run};
use serde_json::{json, Value};

fn close(a: &Value, b: &Value, tol: f64, what: &str) {
    let (x, y) = (a.as_f64(), b.as_f64());
    match (x, y) {
        (Some(x), Some(y)) => assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{what}: {x} vs {y}"),
        _ => assert_eq!(a, b, "{what}"),
    }
}

/// Periods `[]`: one period whose group terms equal `cox.terms`' group terms (the
/// (0, time] fit of the counting-process engine against the right-censored one: same
/// partial likelihood, equal to rounding), and the test is 0 on 0 df with no p.
fn assert_no_cuts_is_single_model(case: &str) {
    let (data, mut spec) = fixture(case);
    spec["cox"]["periods"] = json!([]);
    let r = run(&data, &spec);
    let periods = r["cox"]["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 1, "{case}");
    assert_eq!(periods[0]["from"], json!(0.0), "{case}");
    assert_eq!(periods[0]["to"], Value::Null, "{case}");
    let terms = periods[0]["terms"].as_array().expect("terms");
    let k = terms.len();
    assert!(k >= 1, "{case}");
    for (t, c) in terms
        .iter()
        .zip(r["cox"]["terms"].as_array().expect("cox terms"))
    {
        assert_eq!(t["name"], c["name"], "{case}");
        for f in ["coef", "se", "robust_se", "hr", "lower", "upper", "z", "p"] {
            close(&t[f], &c[f], 1e-8, &format!("{case} {} {f}", c["name"]));
        }
    }
    let test = &r["cox"]["periods_test"];
    assert_eq!(test["df"], json!(0), "{case}");
    assert_eq!(test["p"], Value::Null, "{case}");
    if test["test"] == json!("lr") {
        assert!(
            test["chisq"].as_f64().expect("chisq").abs() < 1e-8,
            "{case}"
        );
    }
}

#[test]
fn no_cut_points_reproduce_the_single_effect_model() {
    assert_no_cuts_is_single_model("periods_veteran_celltype"); // 3 group terms + covariates
    assert_no_cuts_is_single_model("periods_veteran_trt_strata"); // strata
    assert_no_cuts_is_single_model("periods_aml_breslow_empty_period"); // breslow
    assert_no_cuts_is_single_model("periods_mgus2_entry_age"); // delayed entry
    assert_no_cuts_is_single_model("periods_lung_weights_robust"); // weights, robust
}

/// The LR test has one df per extra coefficient: (periods − 1)(groups − 1), and a
/// positive statistic (the period model nests the single-effect model).
#[test]
fn lr_test_df_counts_the_extra_coefficients() {
    for case in [
        "periods_veteran_celltype",
        "periods_lung_sex",
        "periods_mgus2_entry_age",
    ] {
        let (data, spec) = fixture(case);
        let r = run(&data, &spec);
        let test = &r["cox"]["periods_test"];
        assert_eq!(test["test"], json!("lr"), "{case}");
        let n_periods = r["cox"]["periods"].as_array().expect("periods").len();
        let k = r["cox"]["periods"][0]["terms"]
            .as_array()
            .expect("terms")
            .len();
        assert_eq!(test["df"], json!((n_periods - 1) * k), "{case}");
        assert!(test["chisq"].as_f64().expect("chisq") > 0.0, "{case}");
    }
}

#[test]
fn cut_after_follow_up_drops_the_period_and_no_events_warns() {
    let (data, spec) = fixture("periods_aml_breslow_empty_period");
    let r = run(&data, &spec);
    let periods = r["cox"]["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    assert_eq!(periods[2]["to"], json!(200.0));
    assert_eq!(
        warning(&r, "cox_period_dropped")["context"]["period"],
        json!("(200, ∞)")
    );
    // aml: Nonmaintained is followed up to 45 only: after a cut at 45 it has no row
    // (terms null, as R's NA); at 5 Maintained has no event yet (events at 5 belong to
    // (0, 5]).
    let (data, mut spec) = fixture("periods_aml_breslow_empty_period");
    spec["cox"]["periods"] = json!([45]);
    let r = run(&data, &spec);
    assert_eq!(
        warning(&r, "cox_period_empty")["context"]["period"],
        json!("(45, ∞)")
    );
    assert_eq!(r["cox"]["periods"][1]["terms"][0]["coef"], Value::Null);
    spec["cox"]["periods"] = json!([5]);
    let r = run(&data, &spec);
    let w = warning(&r, "cox_period_no_events");
    assert_eq!(w["context"]["period"], json!("(0, 5]"));
    assert_eq!(w["context"]["group"], json!("Maintained"));
}

#[test]
fn rows_at_time_zero_are_counted_out_of_the_period_models() {
    let (data, spec) = fixture("periods_aml_breslow_empty_period");
    let r = run(&data, &spec);
    let codes: Vec<&Value> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["code"])
        .collect();
    assert!(!codes.contains(&&json!("cox_period_rows_left_out")));
    // Two patients (lines 2 and 3: 9 and 13 weeks, Maintained, events) at time 0.
    let text = String::from_utf8(data).unwrap();
    let zeroed = text
        .replacen(
            "\"9\",\"1\",\"Maintained\"",
            "\"0\",\"1\",\"Maintained\"",
            1,
        )
        .replacen(
            "\"13\",\"1\",\"Maintained\"",
            "\"0\",\"0\",\"Maintained\"",
            1,
        );
    assert_ne!(zeroed, text);
    let r = run(zeroed.as_bytes(), &spec);
    assert_eq!(
        warning(&r, "cox_period_rows_left_out")["context"]["n"],
        json!(2)
    );
    assert_eq!(r["cox"]["n"], json!(23), "the Cox model keeps every row");
}

fn warning<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == json!(code))
        .unwrap_or_else(|| panic!("no {code} in {:?}", r["warnings"]))
}

#[test]
fn bad_cut_points_are_spec_errors_naming_the_field() {
    let (_, spec) = fixture("periods_lung_sex");
    for cuts in [
        json!([0]),
        json!([-3, 10]),
        json!([60, 12]),
        json!([12, 12]),
    ] {
        let mut s = spec.clone();
        s["cox"]["periods"] = cuts.clone();
        let err =
            survlens::analysis::Spec::from_json(&s.to_string()).expect_err("spec must be refused");
        assert!(err.to_string().contains("cox.periods"), "{cuts}: {err}");
    }
}
