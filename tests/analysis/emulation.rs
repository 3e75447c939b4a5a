//! The `emulation` section (target-trial emulation by clone–censor–weight) end to end:
//!
//! * agreement with R on every `tests/reference/emu_*` case (the default exponential
//!   censoring probabilities and, in the `*_product_limit` cases, the product-limit form
//!   with its left-out clones) (written by
//!   `tests/r/make_reference_emulation.R`): counts exactly, the whole curves (every time
//!   and survival of both arms), `at_times`, the RMST difference and the censoring
//!   models' coefficients at the contract's tolerance;
//! * the bootstrap: limits and bands present, ordered, the same bytes twice;
//! * the edge rules: a time past follow-up, spec errors naming the field (no treatment
//!   time, no group, grace < 0, replicates out of range), no usable patient (`null` with
//!   `emulation_no_patients`).

use crate::common;
use serde_json::{json, Value};
use std::path::Path;

fn run(data: &[u8], spec: &Value) -> Result<Value, survlens::Error> {
    let report = survlens::Analysis::from_json(&spec.to_string()).run(data)?;
    Ok(serde_json::to_value(&report).expect("report serializes"))
}

fn read_case(dir: &Path) -> (Vec<u8>, Value, Value) {
    let data = std::fs::read(dir.join("data.csv")).expect("data.csv");
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("spec.json")).expect("spec"))
            .expect("spec parses");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("expected parses");
    (data, spec, expected)
}

const CASES: [&str; 8] = [
    "emu_demo_gist",
    "emu_sim_unconfounded",
    "emu_grace0",
    "emu_nobody_late",
    "emu_no_covariates",
    "emu_demo_gist_product_limit",
    "emu_sim_unconfounded_product_limit",
    "emu_no_covariates_product_limit",
];

#[test]
fn every_emulation_case_agrees_with_r() {
    let mut failures = Vec::new();
    for name in CASES {
        let (data, spec, expected) = read_case(&common::reference_dir(name));
        let actual = run(&data, &spec).expect("analysis runs");
        // The whole curves are in the fixture: a curve of the wrong length fails here.
        let want = &expected["emulation"]["curves"];
        let got = &actual["emulation"]["curves"];
        for arm in 0..2 {
            assert_eq!(
                want[arm]["time"].as_array().map(Vec::len),
                got[arm]["time"].as_array().map(Vec::len),
                "{name}: curve {arm} length"
            );
            assert!(want[arm]["time"].as_array().is_some_and(|t| t.len() > 10));
        }
        for m in common::compare(&expected, &actual).into_iter().take(10) {
            failures.push(format!("{name}{m}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cases_cover_the_rules() {
    // grace 0 with patients treated at 0: their control clones are censored at 0.
    let (_, _, e) = read_case(&common::reference_dir("emu_grace0"));
    assert!(e["emulation"]["artificially_censored"]["control"].as_u64() > Some(0));
    // nobody treated after grace: every treated patient's treat clone keeps follow-up.
    let (data, spec, _) = read_case(&common::reference_dir("emu_nobody_late"));
    let r = run(&data, &spec).expect("runs");
    assert_eq!(r["emulation"]["censoring_models"][0]["status"], "fitted");
    // misfit rows and missing covariates are reported.
    let (data, spec, _) = read_case(&common::reference_dir("emu_sim_unconfounded"));
    let r = run(&data, &spec).expect("runs");
    let misfits = r["treatment_time"]["excluded"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(misfits >= 2, "{misfits}");
    assert_eq!(r["emulation"]["missing_covariates"]["n"], 3);
    assert_eq!(
        r["emulation"]["n_patients"].as_u64().unwrap() as usize,
        r["data"]["n_used"].as_u64().unwrap() as usize - misfits - 3
    );
    let last = &r["emulation"]["at_times"][4];
    assert_eq!(last["time"], 200.0);
    assert_eq!(last["beyond_follow_up"], true);
    assert!(last["difference"].is_null());
    // no covariates: Nelson–Aalen weights, no terms.
    let (data, spec, _) = read_case(&common::reference_dir("emu_no_covariates"));
    let r = run(&data, &spec).expect("runs");
    assert_eq!(r["emulation"]["censoring_models"][0]["terms"], json!([]));
    let codes: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(!codes.contains(&"immortal_time_naive_only"), "{codes:?}");
}

fn codes(r: &Value) -> Vec<String> {
    r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn censoring_survival_is_echoed_and_its_zero_probability_warned() {
    // Default: exponential, echoed, nobody left out.
    let (data, spec, _) = read_case(&common::reference_dir("emu_demo_gist"));
    let r = run(&data, &spec).expect("runs");
    assert_eq!(r["emulation"]["censoring_survival"], "exponential");
    assert_eq!(
        r["emulation"]["left_out_zero_probability"],
        json!({"treat": 0, "control": 0})
    );
    assert!(!codes(&r).contains(&"emulation_censoring_probability_zero".into()));
    // Product-limit on the demo: one treat clone's factor 1 − dΛ₀·exp(xβ) ≤ 0 (as R
    // finds): left out with a warning naming the arm and the count.
    let (data, spec, expected) = read_case(&common::reference_dir("emu_demo_gist_product_limit"));
    assert_eq!(spec["emulation"]["censoring_survival"], "product_limit");
    let r = run(&data, &spec).expect("runs");
    assert_eq!(r["emulation"]["censoring_survival"], "product_limit");
    assert_eq!(
        r["emulation"]["left_out_zero_probability"],
        expected["emulation"]["left_out_zero_probability"]
    );
    assert_eq!(r["emulation"]["left_out_zero_probability"]["treat"], 1);
    let w = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "emulation_censoring_probability_zero")
        .expect("warned");
    assert_eq!(w["context"]["arm"], "treat");
    assert_eq!(w["context"]["n"], 1);
    // The forms differ with covariates …
    assert_ne!(
        r["emulation"]["rmst_difference"]["estimate"],
        run(&data, &{
            let mut s = spec.clone();
            s["emulation"]
                .as_object_mut()
                .unwrap()
                .remove("censoring_survival");
            s
        })
        .unwrap()["emulation"]["rmst_difference"]["estimate"]
    );
    // … and give the same curves without (every clone at risk shares its weight).
    let (data, spec, _) = read_case(&common::reference_dir("emu_no_covariates_product_limit"));
    let pl = run(&data, &spec).expect("runs");
    let (data0, spec0, _) = read_case(&common::reference_dir("emu_no_covariates"));
    let ex = run(&data0, &spec0).expect("runs");
    for arm in 0..2 {
        let (a, b) = (
            &pl["emulation"]["curves"][arm],
            &ex["emulation"]["curves"][arm],
        );
        assert_eq!(a["time"], b["time"]);
        for (x, y) in a["surv"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["surv"].as_array().unwrap())
        {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-12, "{x} vs {y}");
        }
    }
    // An unknown form is a spec error naming the field.
    let mut s = spec;
    s["emulation"]["censoring_survival"] = json!("kaplan_meier");
    let e = run(&data, &s).expect_err("unknown form");
    assert!(
        e.to_string()
            .contains("expected `exponential` or `product_limit`"),
        "{e}"
    );
}

#[test]
fn product_limit_bootstrap_runs() {
    let (data, mut spec, _) =
        read_case(&common::reference_dir("emu_sim_unconfounded_product_limit"));
    spec["emulation"]["bootstrap"] = json!({"replicates": 20, "seed": 5});
    let r = run(&data, &spec).expect("runs");
    let rm = &r["emulation"]["rmst_difference"];
    let (lo, hi) = (rm["lower"].as_f64().unwrap(), rm["upper"].as_f64().unwrap());
    assert!(lo <= hi);
    // Different from the exponential form's limits on the same replicates.
    spec["emulation"]
        .as_object_mut()
        .unwrap()
        .remove("censoring_survival");
    let ex = run(&data, &spec).expect("runs");
    assert_ne!(ex["emulation"]["rmst_difference"]["lower"], rm["lower"]);
}

#[test]
fn bootstrap_limits_are_deterministic_and_ordered() {
    let (data, mut spec, _) = read_case(&common::reference_dir("emu_demo_gist"));
    spec["emulation"]["bootstrap"] = json!({"replicates": 40, "seed": 3});
    let a = run(&data, &spec).expect("runs");
    let b = run(&data, &spec).expect("runs");
    assert_eq!(
        serde_json::to_string(&a["emulation"]).unwrap(),
        serde_json::to_string(&b["emulation"]).unwrap()
    );
    let e = &a["emulation"];
    assert_eq!(e["bootstrap"]["replicates"], 40);
    for at in e["at_times"].as_array().unwrap() {
        let (lo, hi) = (at["lower"].as_f64(), at["upper"].as_f64());
        if at["difference"].is_null() {
            assert!(lo.is_none());
        } else {
            assert!(lo.unwrap() <= hi.unwrap(), "{at}");
        }
    }
    let rm = &e["rmst_difference"];
    assert!(rm["lower"].as_f64().unwrap() <= rm["upper"].as_f64().unwrap());
    for c in e["curves"].as_array().unwrap() {
        let n = c["time"].as_array().unwrap().len();
        let lower = c["lower"].as_array().unwrap();
        let upper = c["upper"].as_array().unwrap();
        assert_eq!((lower.len(), upper.len()), (n, n));
        // Early in follow-up every replicate reaches the time: a band exists.
        assert!(lower[0].as_f64().unwrap() <= upper[0].as_f64().unwrap());
    }
    // A different seed gives different limits.
    spec["emulation"]["bootstrap"]["seed"] = json!(4);
    let c = run(&data, &spec).expect("runs");
    assert_ne!(
        a["emulation"]["rmst_difference"]["lower"],
        c["emulation"]["rmst_difference"]["lower"]
    );
    // The point estimates do not depend on the bootstrap.
    assert_eq!(
        a["emulation"]["rmst_difference"]["estimate"],
        c["emulation"]["rmst_difference"]["estimate"]
    );
}

fn field_of(e: survlens::Error) -> String {
    e.field().map(str::to_string).unwrap_or_default()
}

#[test]
fn spec_errors_name_the_field() {
    let (data, spec, _) = read_case(&common::reference_dir("emu_grace0"));
    let mut s = spec.clone();
    s.as_object_mut().unwrap().remove("treatment_time");
    let e = run(&data, &s).expect_err("needs a treatment time");
    assert_eq!(field_of(e.clone()), "emulation");
    assert!(e.to_string().contains("treatment time"), "{e}");
    let mut s = spec.clone();
    s["emulation"]["grace"] = json!(-1);
    assert_eq!(
        field_of(run(&data, &s).expect_err("grace")),
        "emulation.grace"
    );
    let mut s = spec.clone();
    s["emulation"]["bootstrap"] = json!({"replicates": 0});
    assert_eq!(
        field_of(run(&data, &s).expect_err("replicates")),
        "emulation.bootstrap.replicates"
    );
    let mut s = spec.clone();
    s["emulation"]["bootstrap"] = json!({"replicates": 100_001});
    assert!(run(&data, &s).is_err());
    let mut s = spec.clone();
    s.as_object_mut().unwrap().remove("group");
    // treatment_time itself needs the group: that check comes first.
    assert!(!field_of(run(&data, &s).expect_err("group")).is_empty());
    let mut s = spec;
    s["emulation"]["tau"] = json!(0);
    assert_eq!(field_of(run(&data, &s).expect_err("tau")), "emulation.tau");
}

#[test]
fn no_usable_patient_is_null_with_a_warning() {
    // Every row misses the censoring covariate.
    let data = b"time,status,group,u,x\n5,1,a,,\n6,0,b,2,\n7,1,a,,\n";
    let spec = json!({
        "time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "group", "reference": "a"},
        "treatment_time": {"column": "u"},
        "emulation": {"grace": 3, "covariates": ["x"]}
    });
    let r = run(data, &spec).expect("runs");
    assert!(r["emulation"].is_null());
    assert!(r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "emulation_no_patients"));
}
