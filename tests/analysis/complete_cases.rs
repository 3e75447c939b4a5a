//! Complete cases per analysis and nothing reported past follow-up (the contract's
//! "Changes to v1"): properties and hand-counted cases. The R agreement of the same
//! rules is in tests/reference (`complete_*`, tests/r/make_reference_complete.R).

use proptest::prelude::*;
use serde_json::{json, Value};

fn analyze(csv: &str, spec: &Value) -> Value {
    let report = survlens::Analysis::from_json(&spec.to_string())
        .run(csv.as_bytes())
        .expect("analysis runs");
    serde_json::to_value(&report).expect("report serializes")
}

/// `time,status,arm,age,stage` rows from (time, event, arm, age missing, stage missing).
fn csv_of(rows: &[(u8, bool, bool, bool, bool)]) -> String {
    let mut s = String::from("time,status,arm,age,stage\n");
    for (i, &(t, e, arm, age_na, stage_na)) in rows.iter().enumerate() {
        let age = if age_na {
            "NA".to_string()
        } else {
            (40 + (i * 7) % 30).to_string()
        };
        let stage = if stage_na {
            ""
        } else {
            ["I", "II", "III"][i % 3]
        };
        s.push_str(&format!(
            "{},{},{},{age},{stage}\n",
            t,
            u8::from(e),
            if arm { "B" } else { "A" }
        ));
    }
    s
}

fn survival_spec() -> Value {
    json!({
        "time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm", "reference": "A", "levels": ["A", "B"]},
        "km": {"times": [3, 100]}, "logrank": {"pairwise": "none"}, "rmst": {"tau": 5}
    })
}

/// The survival spec with a Cox model on `age` alone.
fn age_cox_spec() -> Value {
    let mut spec = survival_spec();
    spec["covariates"] = json!([{"column": "age"}]);
    spec["cox"] = json!({});
    spec
}

fn with_covariates(mut spec: Value) -> Value {
    spec["covariates"] = json!([{"column": "age"}, {"column": "stage", "type": "categorical"}]);
    spec["cox"] = json!({});
    spec
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Adding covariates with missing values (and a Cox model on them) changes neither
    /// the data, the groups, the KM curves, the log-rank test nor the RMST differences.
    #[test]
    fn covariates_leave_the_unadjusted_analyses_alone(
        rows in prop::collection::vec(
            (1u8..20, any::<bool>(), any::<bool>(), prop::bool::weighted(0.3), prop::bool::weighted(0.2)),
            6..60)
    ) {
        // Both groups present, at least one event.
        prop_assume!(rows.iter().any(|r| r.2) && rows.iter().any(|r| !r.2));
        prop_assume!(rows.iter().any(|r| r.1));
        let csv = csv_of(&rows);
        let plain = analyze(&csv, &survival_spec());
        let adjusted = analyze(&csv, &with_covariates(survival_spec()));
        for key in ["data", "groups", "km", "logrank", "rmst_difference"] {
            prop_assert_eq!(&plain[key], &adjusted[key], "{} changed", key);
        }
        prop_assert_eq!(plain["data"]["n_used"].as_u64(), Some(rows.len() as u64));
    }
}

/// Six rows by hand (file lines 2–7): age missing on lines 3 and 5, stage on lines 5
/// and 6; A's last time is 5 (line 6), B's 6 (line 7).
const HAND: &str = "time,status,arm,age,stage
1,1,A,50,I
2,0,A,NA,II
3,1,B,61,I
4,1,B,.,
5,0,A,70,
6,1,B,58,II
";

#[test]
fn missing_covariates_counts_rows_once_and_each_column() {
    let r = analyze(HAND, &with_covariates(survival_spec()));
    assert_eq!(r["data"]["n_used"], 6);
    assert_eq!(r["data"]["excluded"], json!([]));
    // Rows missing: line 3 (age), line 5 (age and stage), line 6 (stage): 3 rows;
    // age 2, stage 2.
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 3, "by_column": {"age": 2, "stage": 2}})
    );
    // The model's rows: lines 2, 4 and 7, all events.
    assert_eq!(r["cox"]["n"], 3);
    assert_eq!(r["cox"]["n_events"], 3);
    // Only age: lines 3 and 5.
    let spec = age_cox_spec();
    let r = analyze(HAND, &spec);
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 2, "by_column": {"age": 2}})
    );
    assert_eq!(r["cox"]["n"], 4);
}

#[test]
fn a_model_without_missing_covariates_reports_none() {
    let mut spec = survival_spec();
    spec["covariates"] = json!([{"column": "time"}]);
    spec["cox"] = json!({});
    let r = analyze(HAND, &spec);
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 0, "by_column": {}})
    );
    assert_eq!(r["cox"]["n"], 6);
}

#[test]
fn a_negative_time_keeps_its_reason_when_a_covariate_is_missing_too() {
    let csv = "time,status,arm,age\n-1,1,A,NA\n2,1,A,50\n3,0,B,60\n4,1,B,NA\n5,1,A,\n";
    let spec = age_cox_spec();
    let r = analyze(csv, &spec);
    assert_eq!(
        r["data"]["excluded"],
        json!([{"line": 2, "column": "time", "reason": "negative_time"}])
    );
    assert_eq!(r["data"]["excluded_by_reason"], json!({"negative_time": 1}));
    assert_eq!(r["data"]["n_used"], 4);
    // The Cox model leaves out lines 5 and 6 (age missing), not the negative time again.
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 2, "by_column": {"age": 2}})
    );
}

#[test]
fn a_missing_group_is_the_datas_exclusion_not_the_models() {
    let csv = "time,status,arm,age\n1,1,NA,NA\n2,1,A,50\n3,0,B,60\n4,1,B,55\n5,1,A,61\n";
    let spec = age_cox_spec();
    let r = analyze(csv, &spec);
    assert_eq!(
        r["data"]["excluded"],
        json!([{"line": 2, "column": "arm", "reason": "missing"}])
    );
    assert_eq!(r["cox"]["missing_covariates"]["n"], 0);
}

#[test]
fn times_past_follow_up_are_null_and_flagged_per_curve() {
    // A's last time is 5, B's 6: 5.5 is past A only, 7 past both; 6 is B's last time.
    let r = analyze(HAND, &{
        let mut s = survival_spec();
        s["km"] = json!({"times": [1, 5.5, 6, 7]});
        s
    });
    let curves = r["km"]["curves"].as_array().expect("curves");
    let a = &curves[0]["at_times"];
    let b = &curves[1]["at_times"];
    for (at, beyond) in [
        (a, [false, true, true, true]),
        (b, [false, false, false, true]),
    ] {
        for (entry, &past) in at.as_array().expect("at_times").iter().zip(&beyond) {
            assert_eq!(entry["beyond_follow_up"], past, "{entry}");
            if past {
                for k in ["surv", "std_err", "lower", "upper"] {
                    assert!(entry[k].is_null(), "{k} of {entry}");
                }
                assert_eq!(entry["n_risk"], 0.0);
            } else {
                assert!(entry["surv"].is_number(), "{entry}");
            }
        }
    }
    // B at its last time 6 (an event: 1 at risk, S drops to 0).
    assert_eq!(b[2]["surv"], 0.0);
    assert_eq!(b[2]["n_risk"], 1.0);
}

fn warnings_of<'a>(r: &'a Value, code: &str) -> Vec<&'a Value> {
    r["warnings"]
        .as_array()
        .map(|w| w.iter().filter(|x| x["code"] == code).collect())
        .unwrap_or_default()
}

#[test]
fn rmst_past_follow_up_warns_once_with_groups_and_the_largest_common_tau() {
    let mut spec = survival_spec();
    spec["rmst"] = json!({"tau": 5.5});
    let r = analyze(HAND, &spec);
    let w = warnings_of(&r, "rmst_tau_beyond_follow_up");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        w[0]["context"],
        json!({"section": "rmst", "groups": ["A"], "max_tau": 5.0})
    );
    // Still computed (as R: the curve extended flat to tau).
    assert!(r["km"]["curves"][0]["rmst"]["estimate"].is_number());
    // tau within every curve: no warning.
    spec["rmst"] = json!({"tau": 5});
    assert!(warnings_of(&analyze(HAND, &spec), "rmst_tau_beyond_follow_up").is_empty());
}

#[test]
fn adjusted_rmst_past_follow_up_warns_for_its_own_section() {
    let mut spec = with_covariates(survival_spec());
    spec["rmst"] = json!({"tau": 6.5});
    spec["propensity"] = json!({"covariates": ["age"]});
    spec["adjusted"] = json!({});
    let r = analyze(HAND, &spec);
    let w = warnings_of(&r, "rmst_tau_beyond_follow_up");
    let sections: Vec<&Value> = w.iter().map(|x| &x["context"]["section"]).collect();
    assert_eq!(sections, vec!["rmst", "adjusted"]);
    // The propensity rows: lines 3 and 5 miss age; A keeps lines 2 and 6 (last time 5).
    assert_eq!(
        w[1]["context"],
        json!({"section": "adjusted", "groups": ["A", "B"], "max_tau": 5.0})
    );
    assert_eq!(r["propensity"]["n"], 4);
    assert_eq!(
        r["propensity"]["missing_covariates"],
        json!({"n": 2, "by_column": {"age": 2}})
    );
    assert_eq!(r["adjusted"]["n"], 4);
    assert_eq!(r["adjusted"]["missing_covariates"]["n"], 2);
}

#[test]
fn a_model_without_any_complete_row_is_null_with_a_warning() {
    let csv = "time,status,arm,age\n1,1,A,NA\n2,1,A,NA\n3,0,B,NA\n4,1,B,NA\n";
    let mut spec = age_cox_spec();
    let r = analyze(csv, &spec);
    assert!(r["cox"].is_null());
    let w = warnings_of(&r, "no_complete_rows");
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0]["context"],
        json!({"section": "cox", "columns": ["age"]})
    );
    assert!(r["logrank"]["chisq"].is_number());
    // The same with a categorical covariate that has no level at all.
    spec["covariates"] = json!([{"column": "age", "type": "categorical"}]);
    let r = analyze(csv, &spec);
    assert!(r["cox"].is_null());
    assert_eq!(warnings_of(&r, "no_complete_rows").len(), 1);
}

#[test]
fn a_missing_token_that_reads_as_a_number_is_missing_in_a_covariate() {
    let csv = "time,status,arm,age\n1,1,A,-99\n2,1,A,50\n3,0,B,60\n4,1,B,55\n5,1,A,61\n";
    let mut spec = survival_spec();
    spec["missing"] = json!(["", "NA", "-99"]);
    spec["covariates"] = json!([{"column": "age"}]);
    spec["cox"] = json!({});
    let r = analyze(csv, &spec);
    assert_eq!(r["data"]["n_used"], 5);
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 1, "by_column": {"age": 1}})
    );
    assert_eq!(r["cox"]["n"], 4);
}

/// In the time-dependent data a treated patient is two (start, stop] rows: a missing
/// covariate leaves both out of the Cox model and counts once.
#[test]
fn time_dependent_rows_of_one_patient_count_once() {
    // Line 3: treated at 1 (two intervals), age missing; line 6: untreated, age missing.
    let csv = "time,status,arm,age,u\n2,1,A,50,\n3,1,B,NA,1\n4,0,B,60,2\n5,1,A,55,\n6,1,A,NA,\n7,0,B,58,3\n";
    let spec = json!({
        "time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm", "reference": "A"},
        "covariates": [{"column": "age"}],
        "treatment_time": {"column": "u"}, "time_dependent": {}, "cox": {}
    });
    let r = analyze(csv, &spec);
    assert_eq!(
        r["time_dependent"]["cox"]["missing_covariates"],
        json!({"n": 2, "by_column": {"age": 2}}),
        "{}",
        r["time_dependent"]
    );
    assert_eq!(
        r["cox"]["missing_covariates"],
        json!({"n": 2, "by_column": {"age": 2}})
    );
}
