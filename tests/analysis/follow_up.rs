//! The `follow_up` and `conditional` sections' identities, hand checks, edge rules and
//! spec errors, end to end (the R agreement is in `reference`, cases `fu_*`):
//!
//! * conditional survival given 0 is the Kaplan–Meier curve (median and every at-time)
//!   when no time is 0, with and without weights;
//! * the reverse Kaplan–Meier counts only censoring: a competing event and an event of
//!   interest end follow-up alike;
//! * delayed entry at 0 for everybody changes nothing;
//! * a five-row cohort computed by hand;
//! * givens past some groups' or everybody's follow-up give empty curves and warnings;
//! * bad `given` / `times` are spec errors naming the field.

use serde_json::{json, Value};
use std::path::Path;
use survlens::analysis::report::Report;

pub(crate) fn fixture(case: &str) -> (Vec<u8>, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(case);
    let data = std::fs::read(dir.join("data.csv")).expect("data.csv");
    let spec = std::fs::read_to_string(dir.join("spec.json")).expect("spec.json");
    (data, serde_json::from_str(&spec).expect("spec parses"))
}

pub(crate) fn run(data: &[u8], spec: &Value) -> Value {
    let report: Report = survlens::Analysis::from_json(&spec.to_string())
        .run(data)
        .expect("analysis runs");
    serde_json::to_value(&report).expect("serializes")
}

/// Given 0 on data without time 0: every conditional curve is the km curve.
fn assert_given_zero_is_km(case: &str) {
    let (data, mut spec) = fixture(case);
    let times = json!([0, 1, 3, 6, 12, 24, 60, 90, 180, 365, 730, 1000]);
    spec["km"]["times"] = times.clone();
    spec["conditional"] = json!({"given": [0], "times": times});
    let report = run(&data, &spec);
    let km = report["km"]["curves"].as_array().expect("km curves");
    let cond = report["conditional"][0]["curves"]
        .as_array()
        .expect("curves");
    assert_eq!(km.len(), cond.len(), "{case}");
    for (k, c) in km.iter().zip(cond) {
        assert_eq!(k["group"], c["group"], "{case}");
        assert_eq!(k["median"], c["median"], "{case} {}", k["group"]);
        assert_eq!(k["at_times"], c["at_times"], "{case} {}", k["group"]);
        let n: f64 = k["n_risk"][0].as_f64().expect("n_risk");
        let weighted = spec.get("weights").is_some();
        if !weighted {
            assert_eq!(c["n"].as_f64(), Some(n), "{case}");
        }
    }
}

#[test]
fn conditional_given_zero_is_the_kaplan_meier_curve() {
    assert_given_zero_is_km("fu_lung"); // 3 groups, log-log
    assert_given_zero_is_km("fu_demo_weights"); // non-integer case weights, dates
    assert_given_zero_is_km("fu_ties_competing"); // ties, competing events censor
}

#[test]
fn reverse_km_counts_only_censoring_as_its_event() {
    let (data, spec) = fixture("fu_ties_competing");
    let with_competing = run(&data, &spec);
    // Both deaths as events of interest: the same rows are censored.
    let mut both = spec.clone();
    both["event"] = json!({"column": "status", "values": ["dead_cancer", "dead_other"],
                           "censored_values": ["alive"]});
    let all_deaths = run(&data, &both);
    assert_eq!(with_competing["follow_up"], all_deaths["follow_up"]);
    // ... and not the same as reading the competing death as censored.
    let mut censored = spec.clone();
    censored["event"] = json!({"column": "status", "values": ["dead_cancer"]});
    let other_censored = run(&data, &censored);
    assert_ne!(with_competing["follow_up"], other_censored["follow_up"]);
    // The entry "all" is the follow-up of the cohort without a group.
    let mut no_group = spec.clone();
    no_group.as_object_mut().expect("object").remove("group");
    let pooled = run(&data, &no_group);
    assert_eq!(pooled["follow_up"].as_array().map(Vec::len), Some(1));
    assert_eq!(pooled["follow_up"][0], with_competing["follow_up"][0]);
    assert_eq!(with_competing["follow_up"][0]["group"], "all");
    assert_eq!(with_competing["follow_up"][0]["n"], 160);
}

#[test]
fn delayed_entry_at_zero_changes_nothing() {
    let (data, spec) = fixture("fu_lung");
    let text = String::from_utf8(data.clone()).expect("utf8");
    let mut lines = text.lines();
    let mut with_entry = format!("{},entry0\n", lines.next().expect("header"));
    for line in lines {
        with_entry.push_str(&format!("{line},0\n"));
    }
    let mut entry_spec = spec.clone();
    entry_spec["time"] = json!({"entry": "entry0", "column": "days"});
    let plain = run(&data, &spec);
    let entered = run(with_entry.as_bytes(), &entry_spec);
    assert_eq!(plain["follow_up"], entered["follow_up"]);
    assert_eq!(plain["conditional"], entered["conditional"]);
}

/// Times 1..5, status 1 0 1 0 0. Reverse KM (censorings at 2, 4, 5): S = 3/4 at 2
/// (n 4), 3/8 at 4 (n 2), 0 at 5 → median 4; 1 − S reaches 0.25 at 2 and stays there to
/// 4 → quartile (2 + 4)/2 = 3; 0.75 first at 5. Given 1.5: rows 2..5 on the clock
/// t − 1.5 (0.5 c, 1.5 e, 2.5 c, 3.5 c): S = 1 to 1.5, then 2/3 (n 3) → median not
/// reached; at t = 1: S 1, n at risk 3; at t = 2: S 2/3, n at risk 2.
#[test]
fn five_rows_by_hand() {
    let data = b"t,s\n1,1\n2,0\n3,1\n4,0\n5,0\n";
    let spec = json!({"time": {"column": "t"}, "event": {"column": "s"},
                      "follow_up": {}, "conditional": {"given": [1.5], "times": [2, 1]}});
    let r = run(data, &spec);
    let fu = &r["follow_up"];
    assert_eq!(fu.as_array().map(Vec::len), Some(1));
    assert_eq!(fu[0]["group"], "all");
    assert_eq!(fu[0]["median"]["estimate"], 4.0);
    assert_eq!(
        fu[0]["quantiles"],
        json!([{"p": 0.25, "estimate": 3.0}, {"p": 0.75, "estimate": 5.0}])
    );
    let c = &r["conditional"][0];
    assert_eq!(c["given"], 1.5);
    let curve = &c["curves"][0];
    assert_eq!(
        (curve["n"].clone(), curve["events"].clone()),
        (json!(4), json!(1))
    );
    assert_eq!(curve["median"]["estimate"], Value::Null);
    let at = &curve["at_times"];
    assert_eq!(
        (at[0]["time"].as_f64(), at[0]["surv"].as_f64()),
        (Some(1.0), Some(1.0))
    );
    assert_eq!(at[0]["n_risk"], 3.0);
    assert_eq!(at[1]["n_risk"], 2.0);
    let s = at[1]["surv"].as_f64().expect("surv");
    assert!((s - 2.0 / 3.0).abs() < 1e-15, "{s}");
}

#[test]
fn givens_past_follow_up_give_empty_curves_and_warnings() {
    let (data, spec) = fixture("fu_aml_beyond");
    let r = run(&data, &spec);
    let warnings = r["warnings"].as_array().expect("warnings");
    let find = |code: &str| {
        warnings
            .iter()
            .filter(|w| w["code"] == code)
            .collect::<Vec<_>>()
    };
    let empty = find("conditional_empty_groups");
    assert_eq!(empty.len(), 1, "{warnings:?}");
    assert_eq!(
        empty[0]["context"],
        json!({"given": 50.0, "groups": ["Nonmaintained"]})
    );
    assert!(empty[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("Nonmaintained")));
    let beyond = find("conditional_beyond_follow_up");
    assert_eq!(beyond.len(), 1, "{warnings:?}");
    assert_eq!(
        beyond[0]["context"],
        json!({"given": [200.0], "last_time": 161.0})
    );
    // Given 200: every curve empty, every time beyond follow-up.
    for c in r["conditional"][2]["curves"].as_array().expect("curves") {
        assert_eq!(c["n"], 0);
        assert_eq!(
            c["median"],
            json!({"estimate": null, "lower": null, "upper": null})
        );
        assert!(c["at_times"].as_array().is_some_and(|a| a.len() == 2
            && a.iter()
                .all(|t| t["beyond_follow_up"] == true && t["surv"].is_null())));
    }
}

#[test]
fn bad_given_or_times_are_spec_errors_naming_the_field() {
    let base = json!({"time": {"column": "t"}, "event": {"column": "s"}});
    let cases = [
        (json!({"conditional": {"given": [-1]}}), "conditional.given"),
        (json!({"conditional": {"given": []}}), "conditional.given"),
        (
            json!({"conditional": {"given": [12, 12]}}),
            "conditional.given",
        ),
        (
            json!({"conditional": {"given": [12], "times": [-0.5]}}),
            "conditional.times",
        ),
        (json!({"conditional": {"times": [12]}}), "given"),
        (json!({"follow_up": {"level": 0.9}}), "level"),
        // each given reruns the curves: at most MAX_LANDMARK_TIMES (100)
        (
            json!({"conditional": {"given": (0..101).collect::<Vec<u32>>()}}),
            "at most 100",
        ),
    ];
    for (extra, field) in cases {
        let mut spec = base.clone();
        for (k, v) in extra.as_object().expect("object") {
            spec[k] = v.clone();
        }
        let err = survlens::analysis::Spec::from_json(&spec.to_string())
            .expect_err("spec must be refused");
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
}

/// Ŝ of a km curve at t (1 before its first time), read from the Report's arrays.
fn surv_at(curve: &Value, t: f64) -> f64 {
    let times = curve["time"].as_array().expect("time");
    let surv = curve["surv"].as_array().expect("surv");
    times
        .iter()
        .zip(surv)
        .take_while(|(x, _)| x.as_f64().is_some_and(|x| x <= t))
        .last()
        .map_or(1.0, |(_, s)| s.as_f64().expect("surv"))
}

/// Without weights or entry, the conditional curve is the km curve divided by its value
/// at s: Ŝ(s + t | T > s) = Ŝ(s + t) / Ŝ(s) (the factors after s are the same risk sets),
/// and the number at risk at t since s is the km's at s + t (t > 0).
#[test]
fn conditional_survival_is_the_km_ratio() {
    for case in ["fu_lung", "fu_ties_competing", "fu_aml_beyond"] {
        let (data, mut spec) = fixture(case);
        let times = [0.5, 1.5, 30.5, 90.5, 200.5, 400.5];
        spec["conditional"]["times"] = json!(times);
        let r = run(&data, &spec);
        let km = run(&data, &{
            let mut s = spec.clone();
            s["km"] = json!({"times": []});
            s
        });
        let curves = km["km"]["curves"].as_array().expect("km");
        let mut checked = 0;
        for res in r["conditional"].as_array().expect("conditional") {
            let s = res["given"].as_f64().expect("given");
            for (c, k) in res["curves"].as_array().expect("curves").iter().zip(curves) {
                for a in c["at_times"].as_array().expect("at_times") {
                    if a["beyond_follow_up"] == true {
                        continue;
                    }
                    let t = a["time"].as_f64().expect("time");
                    let want = surv_at(k, s + t) / surv_at(k, s);
                    let got = a["surv"].as_f64().expect("surv");
                    assert!(
                        (got - want).abs() < 1e-12,
                        "{case} s {s} t {t}: {got} vs {want}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 10, "{case}: {checked} values checked");
    }
}
