//! Propensity scores, weights, balance, adjusted curves and E-values: properties and
//! hand checks (the R agreement lives in tests/reference/ps_*).

// R's numbers are pasted with 17 significant digits.
#![allow(clippy::excessive_precision)]

use crate::common;

use serde_json::Value;
use survlens::stats::km::{self, robust};

/// survival::aml, unweighted, as `survfit(Surv(time, status) ~ 1, data = aml,
/// robust = TRUE, id = seq_len(23))`: the IJ std.err, and the RMST(40) IJ se
/// `sqrt(sum(residuals(fit, times = 40, type = "rmst", weighted = TRUE)^2))`.
#[test]
fn ij_variance_of_unweighted_km_matches_r_robust_survfit() {
    let time = [
        9., 13., 13., 18., 23., 28., 31., 34., 45., 48., 161., 5., 5., 8., 8., 12., 16., 23., 27.,
        30., 33., 43., 45.,
    ];
    let status = [
        1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1,
    ];
    let event: Vec<bool> = status.iter().map(|&s| s == 1).collect();
    let w = vec![1.0; time.len()];
    let curve = km::kaplan_meier(&time, &event, Some(&w));
    let se = robust::ij_se_surv(&curve, &time, &event, &w);
    let r_se = [
        0.058753384755841388,
        0.079034196447511806,
        0.086006148703798288,
        0.09156053715170008,
        0.095943875542151405,
        0.095943875542151405,
        0.10114267517528461,
        0.1072506417401223,
        0.10840178078868304,
        0.10840178078868304,
        0.10951806997765715,
        0.10885880149486435,
        0.10639097288755056,
        0.10198337609049186,
        0.095367438486434419,
        0.086035208408575134,
        0.072661800503528287,
        0.072661800503528287,
    ];
    assert_eq!(se.len(), r_se.len());
    for (a, e) in se.iter().zip(r_se) {
        assert!(common::close(*a, e, 1e-12, 0.0), "{a} vs {e}");
    }
    let rmst_se = robust::ij_se_rmst(&curve, &time, &event, &w, 40.0);
    assert!(common::close(rmst_se, 2.6984025410623969, 1e-12, 0.0));
    // Row order changes nothing.
    let mut idx: Vec<usize> = (0..time.len()).rev().collect();
    idx.rotate_left(5);
    let t2: Vec<f64> = idx.iter().map(|&i| time[i]).collect();
    let e2: Vec<bool> = idx.iter().map(|&i| event[i]).collect();
    let se2 = robust::ij_se_surv(&curve, &t2, &e2, &w);
    for (a, b) in se.iter().zip(&se2) {
        assert!(common::close(*a, *b, 1e-13, 0.0));
    }
}

/// A small cohort: group A/B/C, a categorical covariate `site` (X/Y/Z) and a numeric one.
fn cohort_csv() -> String {
    let mut s = String::from("time,status,arm,site,age\n");
    for i in 0..90u32 {
        let site = ["X", "Y", "Z"][(i % 3) as usize];
        // arm depends on site (confounding): proportions differ by site
        let arm = match (i % 3, (i / 3) % 5) {
            (0, 0..=2) | (1, 0) | (2, 0) => "A",
            (0, 3) | (1, 1..=2) | (2, 1) => "B",
            _ => "C",
        };
        let time = 1.0 + f64::from((i * 37) % 53) + f64::from(i % 7) / 10.0;
        let status = u32::from(i % 4 != 0);
        let age = 40 + (i * 13) % 31;
        s.push_str(&format!("{time},{status},{arm},{site},{age}\n"));
    }
    s
}

fn run(spec: &str) -> Value {
    let report = survlens::Analysis::from_json(spec)
        .run(cohort_csv().as_bytes())
        .expect("analysis runs");
    serde_json::to_value(&report).expect("serializes")
}

const BASE: &str = r#""time": {"column": "time"}, "event": {"column": "status"},
    "group": {"column": "arm", "reference": "A", "levels": ["A", "B", "C"]},
    "covariates": [{"column": "site"}, {"column": "age"}]"#;

/// Saturated model (one categorical covariate): ATE weights reproduce the whole sample's
/// level shares in every group, so every weighted SMD is 0.
#[test]
fn ate_weights_of_a_saturated_model_balance_exactly() {
    let v = run(&format!(
        r#"{{{BASE}, "propensity": {{"covariates": ["site"]}}}}"#
    ));
    let ps = &v["propensity"];
    assert_eq!(ps["model"], "multinomial");
    assert_eq!(ps["converged"], true);
    let balance = ps["balance"].as_array().expect("balance");
    let terms: Vec<&str> = balance.iter().filter_map(|b| b["term"].as_str()).collect();
    assert_eq!(terms, ["site=X", "site=Y", "site=Z"]);
    for term in balance {
        let pairs = term["pairs"].as_array().expect("pairs");
        let ab: Vec<(String, String)> = pairs
            .iter()
            .map(|p| (p["a"].to_string(), p["b"].to_string()))
            .collect();
        assert_eq!(
            ab,
            [("\"B\"", "\"A\""), ("\"C\"", "\"A\""), ("\"C\"", "\"B\"")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        for p in pairs {
            let after = p["smd_after"].as_f64().expect("number");
            assert!(after.abs() < 1e-9, "{term}");
        }
    }
    // Coefficients: group by group, intercept then non-reference levels.
    let names: Vec<String> = ps["coefficients"]
        .as_array()
        .expect("coefficients")
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["group"].as_str().unwrap_or(""),
                c["term"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(names.len(), 6);
    assert_eq!(names[0], "B:(Intercept)");
    assert_eq!(names[3], "C:(Intercept)");
    let ps_rows = ps["per_row"]["ps"].as_array().expect("ps");
    assert_eq!(ps_rows.len(), 90);
    for row in ps_rows {
        let total: f64 = row
            .as_array()
            .expect("row")
            .iter()
            .filter_map(Value::as_f64)
            .sum();
        assert!((total - 1.0).abs() < 1e-12);
    }
    // Exact balance: the plain-language note says so, and no term is called imbalanced.
    let codes: Vec<&str> = ps["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["code"].as_str())
        .collect();
    assert!(codes.contains(&"balance_adequate"), "{codes:?}");
    assert!(!codes.contains(&"still_imbalanced"));
}

/// Demo cohort (ATE): the `still_imbalanced` note names exactly the terms whose largest
/// |SMD| after weighting is ≥ 0.1; the adjusted HR notes cite the adjusted terms.
#[test]
fn notes_name_the_terms_still_imbalanced() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(root.join("tests/reference/ps_demo_gist/data.csv")).expect("csv");
    let spec =
        std::fs::read_to_string(root.join("tests/reference/ps_demo_gist/spec.json")).expect("spec");
    let v = serde_json::to_value(
        survlens::Analysis::from_json(&spec)
            .run(&data)
            .expect("runs"),
    )
    .expect("json");
    let ps = &v["propensity"];
    let expected: Vec<&str> = ps["balance"]
        .as_array()
        .expect("balance")
        .iter()
        .filter(|b| b["max_abs_smd_after"].as_f64().unwrap_or(0.0) >= 0.1)
        .filter_map(|b| b["term"].as_str())
        .collect();
    assert!(!expected.is_empty());
    let note = ps["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .find(|n| n["code"] == "still_imbalanced")
        .expect("a still_imbalanced note");
    let named: Vec<&str> = note["context"]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(named, expected);
    let hr_notes: Vec<&str> = v["adjusted"]["notes"]
        .as_array()
        .expect("adjusted notes")
        .iter()
        .filter_map(|n| n["context"]["term"].as_str())
        .collect();
    assert_eq!(hr_notes, ["treatment=IM+HR", "treatment=IM+RFA/TACE"]);
}

/// Stabilized ATE weights of an intercept-only model are all 1: the adjusted curves are
/// the crude ones (same counts, same S, same RMST estimate).
#[test]
fn weights_of_one_reproduce_the_crude_curves() {
    let v = run(&format!(
        r#"{{{BASE}, "km": {{}}, "rmst": {{"tau": 30}},
            "propensity": {{"covariates": [], "stabilize": true}}, "adjusted": {{}}}}"#
    ));
    for w in v["propensity"]["per_row"]["weight"]
        .as_array()
        .expect("weights")
    {
        assert!((w.as_f64().unwrap_or(0.0) - 1.0).abs() < 1e-12);
    }
    let crude = v["km"]["curves"].as_array().expect("crude");
    let adj = v["adjusted"]["km"]["curves"].as_array().expect("adjusted");
    assert_eq!(crude.len(), adj.len());
    for (c, a) in crude.iter().zip(adj) {
        for key in ["time", "n_risk", "n_event", "surv"] {
            let (x, y) = (c[key].as_array().expect("x"), a[key].as_array().expect("y"));
            assert_eq!(x.len(), y.len());
            for (p, q) in x.iter().zip(y) {
                let (p, q) = (
                    p.as_f64().unwrap_or(f64::NAN),
                    q.as_f64().unwrap_or(f64::NAN),
                );
                assert!(common::close(p, q, 1e-10, 1e-12), "{key}: {p} vs {q}");
            }
        }
        let (p, q) = (
            c["rmst"]["estimate"].as_f64(),
            a["rmst"]["estimate"].as_f64(),
        );
        assert!(common::close(
            p.unwrap_or(0.0),
            q.unwrap_or(1.0),
            1e-10,
            0.0
        ));
    }
    assert_eq!(
        v["adjusted"]["rmst_difference"].as_array().map(Vec::len),
        Some(2)
    );
    // adjusted.cox with weights 1 is the crude group-only Cox model with robust SE.
    let crude = run(
        r#"{"time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm", "reference": "A", "levels": ["A", "B", "C"]},
        "cox": {"robust": true}}"#,
    );
    assert_eq!(crude["data"]["n_used"], v["data"]["n_used"]);
    let (ct, at) = (&crude["cox"]["terms"], &v["adjusted"]["cox"]["terms"]);
    assert_eq!(at.as_array().map(Vec::len), Some(2));
    for j in 0..2 {
        assert_eq!(ct[j]["name"], at[j]["name"]);
        for key in ["coef", "se", "robust_se", "hr", "lower", "upper", "z", "p"] {
            let (p, q) = (ct[j][key].as_f64(), at[j][key].as_f64());
            assert!(
                common::close(p.unwrap_or(0.0), q.unwrap_or(1.0), 1e-9, 1e-12),
                "{key}: {p:?} vs {q:?}"
            );
        }
    }
}

/// ATT: focal weights are 1 and stay 1 under truncation; ATO for every row equals
/// (1/e_g)/Σ 1/e_k.
#[test]
fn att_and_ato_weights() {
    let v = run(&format!(
        r#"{{{BASE}, "propensity": {{"estimand": "ATT", "focal": "C", "truncate": [0.1, 0.9]}}}}"#
    ));
    let ps = &v["propensity"];
    assert_eq!(ps["focal"], "C");
    let groups = ps["per_row"]["group"].as_array().expect("group");
    let weights = ps["per_row"]["weight"].as_array().expect("weight");
    let [lo, hi] = [0, 1].map(|i| ps["truncated_at"][i].as_f64().unwrap_or(f64::NAN));
    for (g, w) in groups.iter().zip(weights) {
        let w = w.as_f64().unwrap_or(f64::NAN);
        if g == "C" {
            assert_eq!(w, 1.0);
        } else {
            assert!(w >= lo && w <= hi);
        }
    }
    let v = run(&format!(
        r#"{{{BASE}, "propensity": {{"estimand": "ATO"}}}}"#
    ));
    let ps = &v["propensity"];
    let labels = ["A", "B", "C"];
    for ((g, w), e) in ps["per_row"]["group"]
        .as_array()
        .expect("g")
        .iter()
        .zip(ps["per_row"]["weight"].as_array().expect("w"))
        .zip(ps["per_row"]["ps"].as_array().expect("ps"))
    {
        let e: Vec<f64> = e
            .as_array()
            .expect("e")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        let gi = labels.iter().position(|l| g == l).expect("label");
        let want = (1.0 / e[gi]) / e.iter().map(|x| 1.0 / x).sum::<f64>();
        assert!(common::close(w.as_f64().unwrap_or(0.0), want, 1e-14, 0.0));
    }
    assert_eq!(ps["stabilized"], false);
    assert_eq!(ps["truncated_at"], Value::Null);
}

/// Perfect separation: a warning `positivity`, never a crash.
#[test]
fn separation_is_a_positivity_warning() {
    let mut csv = String::from("time,status,arm,x\n");
    for i in 0..40 {
        let arm = if i < 20 { "A" } else { "B" };
        csv.push_str(&format!("{},{},{arm},{i}\n", 1 + i % 9, i % 2));
    }
    let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm"}, "covariates": [{"column": "x"}],
        "propensity": {}, "adjusted": {}}"#;
    let report = survlens::Analysis::from_json(spec)
        .run(csv.as_bytes())
        .expect("runs");
    let v = serde_json::to_value(&report).expect("json");
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .expect("w")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"positivity"), "{codes:?}");
    assert_eq!(v["propensity"]["model"], "binomial");
}

#[test]
fn spec_errors_name_the_field() {
    for (extra, field) in [
        (
            r#""propensity": {"estimand": "ATT", "stabilize": true}"#,
            "propensity.stabilize",
        ),
        (r#""propensity": {"focal": "B"}"#, "propensity.focal"),
        (
            r#""propensity": {"truncate": [0.9, 0.1]}"#,
            "propensity.truncate",
        ),
        (r#""adjusted": {}"#, "adjusted"),
        (
            r#""propensity": {"estimand": "ATT", "focal": "Q"}"#,
            "propensity.focal",
        ),
        (r#""propensity": {"covariates": ["nope"]}"#, "nope"),
        (r#""propensity": {"weights": 1}"#, "weights"),
    ] {
        let spec = format!("{{{BASE}, {extra}}}");
        let err = survlens::Analysis::from_json(&spec)
            .run(cohort_csv().as_bytes())
            .expect_err(extra);
        assert!(err.is_user_error(), "{err}");
        assert!(err.to_string().contains(field), "{extra}: {err}");
    }
}

#[test]
fn sensitivity_without_cox_reports_the_outcome_rule() {
    let v = run(&format!(r#"{{{BASE}, "sensitivity": {{}}}}"#));
    // 67 of 90 rows have the event: common.
    assert_eq!(v["sensitivity"]["rare_outcome"], false);
    assert_eq!(v["sensitivity"]["evalues"], serde_json::json!([]));
    let v = run(&format!(
        r#"{{{BASE}, "sensitivity": {{"outcome_rare": true}}}}"#
    ));
    assert_eq!(v["sensitivity"]["rare_outcome"], true);
}

/// Bootstrap: seeded and deterministic, percentile CI around the estimate, se of the
/// same size as the infinitesimal-jackknife se (demo cohort, 100 replicates).
#[test]
fn bootstrap_is_deterministic_and_close_to_the_ij_se() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(root.join("www/demo/gist_liver_mets_demo.csv")).expect("demo csv");
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("www/demo/demo_spec.json")).expect("demo spec"),
    )
    .expect("spec json");
    let with = |seed: u64| {
        let mut s = spec.clone();
        s["propensity"] = serde_json::json!({});
        s["adjusted"] = serde_json::json!({"bootstrap": {"replicates": 100, "seed": seed}});
        let report = survlens::Analysis::from_json(&s.to_string())
            .run(&data)
            .expect("runs");
        serde_json::to_value(&report).expect("json")["adjusted"].clone()
    };
    let (a, b, c) = (with(7), with(7), with(8));
    assert_eq!(a, b);
    assert_ne!(a["bootstrap"], c["bootstrap"]);
    let boot = &a["bootstrap"];
    assert_eq!(boot["replicates"], 100);
    assert!(boot["replicates_used"].as_u64().unwrap_or(0) >= 95);
    for (bd, ij) in boot["rmst_difference"]
        .as_array()
        .expect("boot")
        .iter()
        .zip(a["rmst_difference"].as_array().expect("ij"))
    {
        let (se_b, se_ij) = (
            bd["se"].as_f64().unwrap_or(0.0),
            ij["se"].as_f64().unwrap_or(1.0),
        );
        assert!(
            se_b > 0.5 * se_ij && se_b < 2.0 * se_ij,
            "{se_b} vs {se_ij}"
        );
        let est = ij["estimate"].as_f64().unwrap_or(f64::NAN);
        let (lo, hi) = (
            bd["lower"].as_f64().unwrap_or(0.0),
            bd["upper"].as_f64().unwrap_or(0.0),
        );
        assert!(lo < est && est < hi, "{lo} {est} {hi}");
    }
    // Cox: se of the log HR of the robust SE's size, percentile CI around the HR.
    let cox = a["cox"]["terms"].as_array().expect("adjusted cox");
    let bcox = boot["cox"].as_array().expect("bootstrap cox");
    assert_eq!(cox.len(), bcox.len());
    for (t, bt) in cox.iter().zip(bcox) {
        assert_eq!(t["name"], bt["name"]);
        let (se_b, rse) = (
            bt["se"].as_f64().unwrap_or(0.0),
            t["robust_se"].as_f64().unwrap_or(1.0),
        );
        assert!(se_b > 0.5 * rse && se_b < 2.0 * rse, "{se_b} vs {rse}");
        let hr = t["hr"].as_f64().unwrap_or(f64::NAN);
        let (lo, hi) = (
            bt["lower"].as_f64().unwrap_or(0.0),
            bt["upper"].as_f64().unwrap_or(0.0),
        );
        assert!(lo < hr && hr < hi, "{lo} {hr} {hi}");
    }
}

/// E-values for the group terms of the crude Cox model, by the contract's formula.
#[test]
fn evalues_for_the_group_terms_of_cox() {
    let v = run(&format!(
        r#"{{{BASE}, "cox": {{}}, "sensitivity": {{"outcome_rare": true}}}}"#
    ));
    let ev = v["sensitivity"]["evalues"].as_array().expect("evalues");
    let names: Vec<&str> = ev.iter().filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(names, ["arm=B", "arm=C"]);
    for (e, t) in ev.iter().zip(v["cox"]["terms"].as_array().expect("terms")) {
        assert_eq!(e["source"], "cox");
        let hr = t["hr"].as_f64().expect("hr");
        let rr = if hr < 1.0 { 1.0 / hr } else { hr };
        let want = rr + (rr * (rr - 1.0)).sqrt();
        assert!(common::close(
            e["evalue"].as_f64().expect("e"),
            want,
            1e-12,
            0.0
        ));
    }
}

/// E-values cover the group terms of `time_dependent.cox` too (the demo spec with its
/// treatment dates), with the HR and CI that section reports.
#[test]
fn evalues_for_the_time_dependent_cox() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read(root.join("www/demo/gist_liver_mets_demo.csv")).expect("csv");
    let mut spec: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("www/demo/demo_spec.json")).expect("spec"),
    )
    .expect("json");
    spec["sensitivity"] = serde_json::json!({});
    spec["cox"] = serde_json::json!({});
    let report = survlens::Analysis::from_json(&spec.to_string())
        .run(&data)
        .expect("runs");
    let v = serde_json::to_value(&report).expect("json");
    let td = v["time_dependent"]["cox"]["terms"]
        .as_array()
        .expect("td terms");
    let rare = v["sensitivity"]["rare_outcome"].as_bool().expect("rare");
    let ev: Vec<&Value> = v["sensitivity"]["evalues"]
        .as_array()
        .expect("evalues")
        .iter()
        .filter(|e| e["source"] == "time_dependent.cox")
        .collect();
    let group_terms: Vec<&Value> = td
        .iter()
        .filter(|t| {
            t["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("treatment="))
        })
        .collect();
    assert!(!group_terms.is_empty());
    assert_eq!(ev.len(), group_terms.len());
    for (e, t) in ev.iter().zip(group_terms) {
        assert_eq!(e["name"], t["name"]);
        let f = |x: &Value| x.as_f64().expect("number");
        let (point, ci) =
            survlens::stats::evalue::evalue_hr(f(&t["hr"]), f(&t["lower"]), f(&t["upper"]), rare);
        assert_eq!(e["hr"], t["hr"]);
        assert_eq!(e["evalue"].as_f64(), point);
        assert_eq!(e["evalue_ci"].as_f64(), ci);
    }
}
