//! Immortal time: the Stanford heart-transplant result, treatment times that do not fit,
//! landmark bookkeeping, delayed entry rules. R agreement itself: tests/reference
//! (immortal_* cases, made by tests/r/make_reference_immortal.R).

use serde_json::Value;
use std::path::Path;

fn run(data: &[u8], spec: &str) -> Result<Value, survlens::Error> {
    survlens::Analysis::from_json(spec)
        .run(data)
        .map(|r| serde_json::to_value(&r).expect("serializes"))
}

/// The Chinese texts of the Report of `spec` on `data`.
fn chinese(data: &[u8], spec: &str) -> survlens::messages::Localized {
    let report = survlens::Analysis::from_json(spec).run(data).expect("runs");
    survlens::messages::localize(&report, survlens::messages::Lang::Zh)
}

fn heart() -> Vec<u8> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/immortal_heart_td/data.csv");
    std::fs::read(p).expect("heart fixture")
}

fn codes(v: &Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|w| w["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The textbook Stanford heart-transplant result (Mantel & Byar 1974; Crowley & Hu 1977):
/// comparing the eventually transplanted with the others shows a large benefit, which
/// disappears once transplant status is time-dependent.
#[test]
fn stanford_naive_benefit_disappears_when_time_dependent() {
    let spec = r#"{"time": {"column": "futime"}, "event": {"column": "status", "values": ["1"]},
        "group": {"column": "transplant", "reference": "no"},
        "treatment_time": {"column": "wait"}, "landmark": {"times": [30]}, "time_dependent": {},
        "cox": {}}"#;
    let v = run(&heart(), spec).expect("runs");
    let naive = &v["cox"]["terms"][0];
    assert_eq!(naive["name"], "transplant=yes");
    let naive_hr = naive["hr"].as_f64().expect("hr");
    assert!(
        naive_hr < 0.4,
        "naive HR {naive_hr}: large apparent benefit"
    );
    assert!(naive["p"].as_f64().expect("p") < 1e-6);
    let td = &v["time_dependent"]["cox"]["terms"][0];
    let td_hr = td["hr"].as_f64().expect("hr");
    assert!(td_hr > 1.0 && td_hr < 1.3, "time-dependent HR {td_hr}");
    assert!(td["p"].as_f64().expect("p") > 0.5, "no evidence of benefit");
    assert!(
        td["lower"].as_f64().expect("lower") < 1.0 && td["upper"].as_f64().expect("upper") > 1.0
    );
    // 103 patients, 69 transplanted after entry: 172 intervals (survival::heart).
    assert_eq!(v["time_dependent"]["n_intervals"], 172);
    assert_eq!(v["time_dependent"]["cox"]["n"], 172);
    // The comparison block lines the three up, naive first, and says so in words.
    let cmp = &v["immortal_time"];
    let kinds: Vec<&str> = cmp["analyses"]
        .as_array()
        .expect("analyses")
        .iter()
        .filter_map(|a| a["analysis"].as_str())
        .collect();
    assert_eq!(kinds, ["naive", "landmark", "time_dependent"]);
    assert_eq!(cmp["analyses"][0]["terms"][0]["hr"], naive["hr"]);
    assert_eq!(cmp["analyses"][2]["terms"][0]["hr"], td["hr"]);
    let text: String = cmp["explanation"]
        .as_array()
        .expect("explanation")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(text.contains("immortal time"));
    // The reading rules: the naive CI excludes 1 and the time-dependent HR moves
    // towards 1 (0.27 -> 1.1), so part of the benefit is called immortal time; the
    // time-dependent CI contains 1: "no evidence of a difference", never "no difference".
    assert!(text.contains("immortal time explains at least part of the apparent benefit"));
    assert!(text.contains(
        "Time-dependent Cox (group from treatment on), unadjusted: no evidence of a difference"
    ));
    assert!(text
        .contains("Naive Cox (group at time zero), unadjusted: a lower hazard in yes than in no"));
    assert!(!text.contains("no difference"));
    assert_eq!(
        cmp["analyses"][0]["label"],
        "Naive Cox (group at time zero), unadjusted"
    );
    let zh = chinese(&heart(), spec);
    for a in cmp["analyses"].as_array().expect("analyses") {
        let label = a["label"].as_str().expect("label");
        let t = zh.texts.get(label).map_or("", String::as_str);
        assert!(t.contains("未校正"), "{label}: {t}");
    }
    for p in cmp["explanation"].as_array().expect("explanation") {
        let t = zh
            .texts
            .get(p.as_str().expect("text"))
            .map_or("", String::as_str);
        assert!(!t.is_empty(), "no Chinese for {p}");
    }
    assert!(!codes(&v).contains(&"immortal_time_naive_only".to_string()));
}

#[test]
fn naive_only_is_warned() {
    let spec = r#"{"time": {"column": "futime"}, "event": {"column": "status", "values": ["1"]},
        "group": {"column": "transplant", "reference": "no"}, "treatment_time": {"column": "wait"},
        "km": {}}"#;
    let v = run(&heart(), spec).expect("runs");
    assert!(codes(&v).contains(&"immortal_time_naive_only".to_string()));
    assert!(v["immortal_time"]["analyses"]
        .as_array()
        .is_some_and(|a| a.len() == 2));
}

const SPEC_U: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"},
    "group": {"column": "g", "reference": "none"}, "treatment_time": {"column": "u"},
    "time_dependent": {}}"#;

/// Every row's treatment time fits: the same rows as the file, no block entries.
#[test]
fn fitting_treatment_times_leave_nobody_out() {
    let ok = "t,d,g,u\n5,1,none,\n6,0,tx,2\n7,1,tx,0\n8,1,none,\n";
    let v = run(ok.as_bytes(), SPEC_U).expect("runs");
    assert_eq!(v["treatment_time"]["excluded"], serde_json::json!([]));
    assert_eq!(
        v["treatment_time"]["excluded_by_reason"],
        serde_json::json!({})
    );
    assert!(!codes(&v).contains(&"treatment_time_rows_left_out".to_string()));
}

/// The three misfits (a treated row without a time, a reference row with one, a time
/// before 0 or not before the end of follow-up) leave the immortal-time sections only:
/// listed by line and reason, one warning with the counts; `data`, `km` and `cox` keep
/// them; landmark and time-dependent equal the analysis of the file without them.
#[test]
fn misfit_treatment_times_leave_the_immortal_sections_only() {
    let clean =
        "t,d,g,u\n5,1,none,\n6,0,tx,2\n7,1,tx,0\n8,1,none,\n9,1,tx,3\n4,1,none,\n10,0,tx,1\n";
    // Appended: line 9 tx blank, 10 none with a time, 11 u = -1, 12 u = t, 13 tx blank.
    let misfit = format!("{clean}6,1,tx,\n7,0,none,2\n8,1,tx,-1\n3,1,tx,3\n5,0,tx,\n");
    let spec = r#"{"time": {"column": "t"}, "event": {"column": "d"},
        "group": {"column": "g", "reference": "none"}, "treatment_time": {"column": "u"},
        "landmark": {"times": [2]}, "time_dependent": {}, "km": {}, "cox": {}}"#;
    let v =
        run(misfit.as_bytes(), spec).expect("a blank treatment date does not stop the analysis");
    let block = &v["treatment_time"];
    let reasons: Vec<(u64, &str)> = block["excluded"]
        .as_array()
        .expect("excluded")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (9, "missing_treatment_time"),
            (10, "treatment_time_in_reference"),
            (11, "treatment_time_out_of_range"),
            (12, "treatment_time_out_of_range"),
            (13, "missing_treatment_time"),
        ]
    );
    assert_eq!(
        block["excluded_by_reason"],
        serde_json::json!({"missing_treatment_time": 2, "treatment_time_in_reference": 1,
                           "treatment_time_out_of_range": 2})
    );
    let w: Vec<&Value> = v["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["code"] == "treatment_time_rows_left_out")
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["context"]["n"], 5);
    assert_eq!(w[0]["context"]["missing_treatment_time"], 2);
    assert_eq!(w[0]["context"]["treatment_time_in_reference"], 1);
    assert_eq!(w[0]["context"]["treatment_time_out_of_range"], 2);
    // The other sections keep every row.
    assert_eq!(v["data"]["n_used"], 12);
    assert_eq!(v["cox"]["n"], 12);
    let km_n: u64 = v["km"]["curves"]
        .as_array()
        .expect("curves")
        .iter()
        .filter_map(|c| c["n_risk"][0].as_f64())
        .map(|n| n as u64)
        .sum();
    assert_eq!(km_n, 12);
    // The immortal-time sections are those of the file without the five rows.
    let w = run(clean.as_bytes(), spec).expect("runs");
    assert_eq!(v["landmark"], w["landmark"]);
    assert_eq!(v["time_dependent"], w["time_dependent"]);
    assert_eq!(
        v["immortal_time"]["analyses"],
        w["immortal_time"]["analyses"]
    );
    assert_eq!(v["immortal_time"]["n"], 7);
    let said = v["immortal_time"]["explanation"][1]
        .as_str()
        .unwrap_or_default();
    assert!(
        said.starts_with("5 patient(s) whose treatment time does not fit")
            && said.contains("the same 7 patients"),
        "{said}"
    );
    // In Chinese too.
    let zh = chinese(misfit.as_bytes(), spec);
    let i = v["warnings"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .position(|w| w["code"] == "treatment_time_rows_left_out")
        })
        .expect("index");
    let text = zh.warnings[i].as_deref().expect("a Chinese text");
    assert!(
        text.contains("第 9, 10") || text.contains("9、10"),
        "{text}"
    );
    assert!(text.contains("永恒时间"), "{text}");
}

/// The CLI: exit 0 with the results and the warning for a blank treatment time of a
/// treated patient (it used to stop with exit 2).
#[test]
fn cli_analyses_a_file_with_a_blank_treatment_time() {
    let dir = std::env::temp_dir().join(format!("survlens-immortal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data = dir.join("data.csv");
    let spec = dir.join("spec.json");
    std::fs::write(
        &data,
        "t,d,g,u\n5,1,none,\n6,0,tx,2\n7,1,tx,\n8,1,none,\n9,1,tx,3\n",
    )
    .expect("write data");
    std::fs::write(&spec, SPEC_U).expect("write spec");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survlens"))
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run the CLI");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("results JSON");
    assert!(codes(&v).contains(&"treatment_time_rows_left_out".to_string()));
    assert_eq!(v["treatment_time"]["excluded"][0]["line"], 4);
    assert_eq!(
        v["treatment_time"]["excluded"][0]["reason"],
        "missing_treatment_time"
    );
    assert_eq!(v["time_dependent"]["n_intervals"], 6);
}

#[test]
fn treatment_from_dates_uses_the_time_start_date() {
    let spec = r#"{"time": {"start": "s", "end": "e", "unit": "days"}, "event": {"column": "d"},
        "group": {"column": "g", "reference": "none"}, "treatment_time": {"date": "tx"},
        "time_dependent": {}, "km": {}}"#;
    let data = "s,e,d,g,tx\n2020-01-01,2020-01-11,1,none,\n2020-01-01,2020-01-21,1,tx,2020-01-05\n\
                2020-01-01,2020-01-16,0,tx,2020-01-03\n2020-01-01,2020-01-08,1,none,\n";
    let v = run(data.as_bytes(), spec).expect("runs");
    // 2 treated with u = 4 and 2 days: 4 + 2 = 6 intervals.
    assert_eq!(v["time_dependent"]["n_intervals"], 6);
    let delays = &v["immortal_time"]["treated"][0];
    assert_eq!(delays["median"], 3.0);
    // A duration time with a treatment date is a spec error.
    let bad = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"},
        "treatment_time": {"date": "tx"}}"#;
    assert!(survlens::analysis::Spec::from_json(bad).is_err());
}

#[test]
fn landmark_counts_reassignment_and_empty_groups() {
    // tx patients treated at 1 (kept), at 4 (reassigned at L = 3), one early death.
    let data = "t,d,g,u\n2,1,none,\n5,1,none,\n9,0,none,\n6,1,tx,1\n8,0,tx,4\n3,1,tx,1\n";
    let spec = r#"{"time": {"column": "t"}, "event": {"column": "d"},
        "group": {"column": "g", "reference": "none"}, "treatment_time": {"column": "u"},
        "landmark": {"times": [3, 7]}, "km": {"times": [1]}, "logrank": {}}"#;
    let v = run(data.as_bytes(), spec).expect("runs");
    let l3 = &v["landmark"][0];
    assert_eq!(l3["n"], 4);
    assert_eq!(l3["left_out_before"], 2);
    assert_eq!(l3["reassigned"][0]["n"], 1);
    assert_eq!(l3["reassigned"][0]["from"], "tx");
    // Clock restarts at L: the first curve time of "none" is 5 - 3 = 2.
    assert_eq!(l3["km"]["curves"][0]["time"][0], 2.0);
    // At 7 only two "none"... and the tx patient (8) was treated at 4 <= 7: both groups remain.
    let l7 = &v["landmark"][1];
    assert_eq!(l7["n"], 2);
    // At L = 8.5 nobody of tx is left.
    let spec2 = spec.replace("[3, 7]", "[8.5]");
    let v2 = run(data.as_bytes(), &spec2).expect("runs");
    assert!(codes(&v2).contains(&"empty_group".to_string()));
    assert_eq!(
        v2["landmark"][0]["km"]["curves"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn delayed_entry_rules() {
    let data = "a,t,d,g\n0,5,1,A\n2,6,0,B\n3,3,1,A\n1,7,1,B\n4,9,1,A\n";
    let spec = r#"{"time": {"entry": "a", "column": "t"}, "event": {"column": "d"},
        "group": {"column": "g"}, "km": {"times": [2.5, 4]}, "rmst": {"tau": 5}, "logrank": {}}"#;
    let v = run(data.as_bytes(), spec).expect("runs");
    assert_eq!(v["data"]["excluded_by_reason"]["entry_not_before_exit"], 1);
    assert_eq!(v["data"]["excluded"][0]["line"], 4);
    assert!(codes(&v).contains(&"rmst_with_entry".to_string()));
    assert!(v.get("rmst_difference").is_none());
    let a = &v["km"]["curves"][0];
    assert!(a.get("rmst").is_none());
    // Group A rows: (0,5], (4,9]: at t = 4 one at risk (entry 4 is not at risk at 4).
    assert_eq!(a["at_times"][1]["n_risk"], 1.0);
    assert_eq!(a["at_times"][0]["n_risk"], 1.0);
    assert!(v["logrank"]["chisq"].as_f64().is_some());
}

/// An exit within R's near-tie tolerance of the entry (t = 1e-300 from entry 0): after
/// the tie rule the interval (0, 0] is empty. R refuses the whole data set
/// (`coxph(Surv(c(0,0,1), c(1e-300,2,3), c(1,1,1)) ~ x)`: "aeqSurv exception, an
/// interval has effective length 0"); SurvLens leaves the row out with reason
/// `entry_not_before_exit` (line + exit column) and a warning saying why, then analyses
/// the other rows as R does without it. Before the fix: usize underflow in the Cox
/// risk set (a panic in debug builds, a silent wrap in release).
#[test]
fn exit_tied_to_entry_by_the_tie_rule_is_left_out() {
    let data = "a,t,d,g,x\n0,1e-300,1,A,1\n0,2,1,B,2\n1,3,1,A,3\n0,4,0,B,1\n0.5,5,1,B,2\n";
    let spec = r#"{"time": {"entry": "a", "column": "t"}, "event": {"column": "d"},
        "group": {"column": "g"}, "covariates": [{"column": "x"}],
        "km": {"times": [1, 2.5]}, "logrank": {}, "cox": {}}"#;
    let v = run(data.as_bytes(), spec).expect("runs");
    assert_eq!(v["data"]["excluded_by_reason"]["entry_not_before_exit"], 1);
    assert_eq!(v["data"]["excluded"][0]["line"], 2);
    assert_eq!(v["data"]["excluded"][0]["column"], "t");
    assert_eq!(v["data"]["n_used"], 4);
    assert!(codes(&v).contains(&"entry_tied_to_exit".to_string()));
    // The same analysis of the file without that row gives the same numbers.
    let without = "a,t,d,g,x\n0,2,1,B,2\n1,3,1,A,3\n0,4,0,B,1\n0.5,5,1,B,2\n";
    let w = run(without.as_bytes(), spec).expect("runs");
    assert_eq!(v["cox"], w["cox"]);
    assert_eq!(v["logrank"], w["logrank"]);
    assert_eq!(v["km"], w["km"]);
}

/// Landmark with delayed entry: a kept row with exit within rounding of L (t = L + 1e-12)
/// restarts as (0, 1e-12], which the near-tie rule empties. It has no time at risk after
/// L: it leaves the landmark data (counted in `left_out_before`) instead of underflowing
/// the Cox risk set.
#[test]
fn landmark_exit_tied_to_l_with_entry_leaves_the_landmark_data() {
    let data = "a,t,d,g,u\n0,1.000000000001,1,B,0.5\n0,2,1,A,\n0.5,3,1,B,0.2\n0,4,0,A,\n0.2,5,1,B,0.6\n0,6,1,A,\n";
    let spec = r#"{"time": {"entry": "a", "column": "t"}, "event": {"column": "d"},
        "group": {"column": "g", "reference": "A"}, "treatment_time": {"column": "u"},
        "landmark": {"times": [1]}, "km": {}, "logrank": {}, "cox": {}}"#;
    let v = run(data.as_bytes(), spec).expect("runs");
    let l1 = &v["landmark"][0];
    assert_eq!(l1["n"], 5);
    assert_eq!(l1["left_out_before"], 1);
    assert!(l1["cox"]["terms"][0]["coef"].as_f64().is_some(), "{l1}");
}
