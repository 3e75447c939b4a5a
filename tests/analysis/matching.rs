//! The `matching` section end to end:
//!
//! * agreement with R on every `tests/reference/match_*` case (written by
//!   `tests/r/make_reference_matching.R`): the pairs, counts and caliper exactly (the
//!   lines of every matched set, in order), every number at the contract's tolerance;
//! * identities with the `propensity` section on the same rows: the linear score is the
//!   logit of its propensity score, and the SMDs before matching are its SMDs before
//!   weighting; the SMD after matching is the SMD of the matched rows;
//! * the edge rules: one group (`null`, `matching_needs_groups`), an arm too small to
//!   match, no partner within the caliper, a covariate that separates the groups
//!   (`positivity`) — warnings and empty analyses, never a crash; spec errors name the
//!   field.

use crate::common;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn run(data: &[u8], spec: &Value) -> Result<Value, survlens::Error> {
    let report = survlens::Analysis::from_json(&spec.to_string()).run(data)?;
    Ok(serde_json::to_value(&report).expect("report serializes"))
}

fn reference(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name)
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

fn codes(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_matching_case_agrees_with_r_and_its_pairs_exactly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/reference")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("match_"))
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "only {} matching cases", cases.len());
    let (mut comparisons, mut replace, mut ratio2, mut three_arms) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (data, spec, expected) = read_case(dir);
        let actual = run(&data, &spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (want, got) = (
            expected["matching"].as_array().expect("expected matching"),
            actual["matching"].as_array().expect("report matching"),
        );
        assert_eq!(want.len(), got.len(), "{name}: comparisons");
        comparisons += want.len();
        three_arms += usize::from(want.len() > 1);
        replace += usize::from(spec["matching"]["replace"] == json!(true));
        ratio2 += usize::from(spec["matching"]["ratio"].as_u64() == Some(2));
        for (w, g) in want.iter().zip(got) {
            // Exactly: which rows were matched, to whom, in which order.
            for key in [
                "a",
                "b",
                "n",
                "n_events",
                "n_matched",
                "n_unmatched",
                "pairs",
            ] {
                assert_eq!(w[key], g[key], "{name} {}: {key}", w["a"]);
            }
            assert!(
                !w["pairs"].as_array().expect("pairs").is_empty(),
                "{name}: a case without pairs tests nothing"
            );
            assert_eq!(w["per_row"]["line"], g["per_row"]["line"], "{name}: rows");
            assert_eq!(w["per_row"]["treated"], g["per_row"]["treated"], "{name}");
        }
        for m in common::compare(&expected["matching"], &actual["matching"])
            .into_iter()
            .take(10)
        {
            failures.push(format!("{name}.matching{m}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with R:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(comparisons >= 7 && replace >= 1 && ratio2 >= 2 && three_arms >= 1);
}

fn lung() -> Vec<u8> {
    std::fs::read(reference("match_lung_caliper").join("data.csv")).expect("lung data")
}

fn lung_spec(matching: Value) -> Value {
    json!({"time": {"column": "time_days"}, "event": {"column": "status"},
           "group": {"column": "sex", "reference": "male", "levels": ["male", "female"]},
           "covariates": [{"column": "age"}, {"column": "ph_ecog"}, {"column": "wt_loss"}],
           "matching": matching})
}

#[test]
fn the_linear_score_and_the_smd_before_are_the_propensity_sections() {
    // Two groups and the same covariates: the propensity model is the matching model
    // on the same rows (complete for the same columns).
    let mut spec = lung_spec(json!({"caliper": 0.2}));
    spec["propensity"] = json!({"estimand": "ATE"});
    let r = run(&lung(), &spec).expect("runs");
    let (m, ps) = (&r["matching"][0], &r["propensity"]);
    assert_eq!(m["per_row"]["line"], ps["per_row"]["line"]);
    let score = m["per_row"]["linear_score"].as_array().expect("scores");
    let probs = ps["per_row"]["ps"].as_array().expect("ps");
    assert_eq!(score.len(), probs.len());
    for (s, p) in score.iter().zip(probs) {
        let e = p[1].as_f64().expect("ps of female");
        let logit = survlens::stats::math::ln(e / (1.0 - e));
        let s = s.as_f64().expect("score");
        assert!(common::close(s, logit, 1e-9, 1e-9), "{s} vs logit {logit}");
    }
    let bal = ps["balance"].as_array().expect("balance");
    let mbal = m["balance"].as_array().expect("matched balance");
    assert_eq!(bal.len(), mbal.len());
    for (b, mb) in bal.iter().zip(mbal) {
        assert_eq!(b["term"], mb["term"]);
        let (x, y) = (
            b["pairs"][0]["smd_before"].as_f64().expect("smd"),
            mb["smd_before"].as_f64().expect("smd"),
        );
        assert!(
            common::close(x, y, 1e-12, 1e-15),
            "{}: {x} vs {y}",
            b["term"]
        );
    }
    assert_eq!(m["n"], ps["n"]);
    assert_eq!(m["missing_covariates"], ps["missing_covariates"]);
}

#[test]
fn the_smd_after_is_the_smd_of_the_matched_rows() {
    // 1:1 without replacement: every matched row weighs 1, so the weighted means after
    // matching are the plain means of the matched rows (the denominator stays the one
    // before matching).
    let data = lung();
    let r = run(&data, &lung_spec(json!({"caliper": 0.2}))).expect("runs");
    let m = &r["matching"][0];
    let rows = &m["per_row"];
    let text = String::from_utf8(data).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let age_of = |line: u64| -> f64 {
        lines[line as usize - 1]
            .split(',')
            .nth(3)
            .and_then(|v| v.parse().ok())
            .expect("age")
    };
    let n = rows["line"].as_array().expect("lines").len();
    let (mut arm, mut matched) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for i in 0..n {
        let line = rows["line"][i].as_u64().expect("line");
        let t = usize::from(rows["treated"][i] == json!(true));
        let w = rows["weight"][i].as_f64().expect("weight");
        arm[t].push(age_of(line));
        assert!(w == 0.0 || w == 1.0, "1:1 weights are 0 or 1");
        if w > 0.0 {
            matched[t].push(age_of(line));
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let var = |v: &[f64]| {
        let m = mean(v);
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() as f64 - 1.0)
    };
    let s = ((var(&arm[0]) + var(&arm[1])) / 2.0).sqrt();
    let want = (mean(&matched[1]) - mean(&matched[0])) / s;
    let got = m["balance"][0]["smd_after"].as_f64().expect("smd_after");
    assert_eq!(m["balance"][0]["term"], "age");
    assert!(common::close(got, want, 1e-10, 1e-12), "{got} vs {want}");
    // Every pair's lines are rows of the right arms, each control once.
    let treated_lines: Vec<u64> = (0..n)
        .filter(|&i| rows["treated"][i] == json!(true))
        .map(|i| rows["line"][i].as_u64().expect("line"))
        .collect();
    let mut controls = std::collections::HashSet::new();
    for p in m["pairs"].as_array().expect("pairs") {
        assert!(treated_lines.contains(&p["a_line"].as_u64().expect("a_line")));
        for b in p["b_lines"].as_array().expect("b_lines") {
            let b = b.as_u64().expect("line");
            assert!(!treated_lines.contains(&b));
            assert!(controls.insert(b), "control line {b} used twice");
        }
    }
    assert_eq!(
        controls.len() as u64,
        m["n_matched"]["b"].as_u64().expect("n")
    );
}

#[test]
fn one_group_gives_null_and_a_warning() {
    let mut spec = lung_spec(json!({}));
    spec["group"]["levels"] = json!(["male"]);
    let r = run(&lung(), &spec).expect("runs");
    assert_eq!(r["matching"], Value::Null);
    assert!(codes(&r).contains(&"matching_needs_groups".to_string()));
}

#[test]
fn an_arm_too_small_empties_its_comparison_only() {
    // Three groups; "tiny" has one row: its comparison is counted, nothing matched.
    let text = String::from_utf8(lung()).expect("utf-8");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if i == 2 {
            cells[2] = "tiny".into();
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    let mut spec = lung_spec(json!({"caliper": 0.2}));
    spec["group"]["levels"] = json!(["male", "female", "tiny"]);
    spec["rmst"] = json!({"tau": 500});
    let r = run(out.as_bytes(), &spec).expect("runs");
    let m = r["matching"].as_array().expect("two comparisons");
    assert_eq!(m.len(), 2);
    assert!(!m[0]["pairs"].as_array().expect("pairs").is_empty());
    let tiny = &m[1];
    assert_eq!(tiny["a"], "tiny");
    assert_eq!(tiny["n_matched"], json!({"a": 0, "b": 0}));
    assert_eq!(tiny["pairs"], json!([]));
    assert_eq!(tiny["km"]["curves"], json!([]));
    assert_eq!(
        (tiny["logrank"].is_null(), tiny["cox"].is_null()),
        (true, true)
    );
    assert_eq!(tiny["rmst_difference"], json!([]));
    assert!(codes(&r).contains(&"matching_arm_too_small".to_string()));
}

#[test]
fn caliper_zero_pairs_identical_scores_only() {
    // lung has patients with the same age, ph_ecog and wt_loss in both arms.
    let r = run(&lung(), &lung_spec(json!({"caliper": 0}))).expect("runs");
    let m = &r["matching"][0];
    assert_eq!(m["caliper_width"], json!(0.0));
    let rows = &m["per_row"];
    let score_of = |line: &Value| {
        let i = rows["line"]
            .as_array()
            .expect("lines")
            .iter()
            .position(|l| l == line)
            .expect("a model row");
        rows["linear_score"][i].as_f64().expect("score")
    };
    let pairs = m["pairs"].as_array().expect("pairs");
    assert!(!pairs.is_empty(), "identical patterns exist in both arms");
    for p in pairs {
        for b in p["b_lines"].as_array().expect("b_lines") {
            assert_eq!(score_of(&p["a_line"]), score_of(b));
        }
    }
}

#[test]
fn no_partner_within_the_caliper_is_a_warning() {
    // A caliper of 0 with a covariate unique to each row: no two scores are equal.
    let text = String::from_utf8(lung()).expect("utf-8");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let extra = if i == 0 {
            "unique".to_string()
        } else {
            format!("{}", i as f64 / 7.0)
        };
        out.push_str(&format!("{line},{extra}\n"));
    }
    let spec = lung_spec(json!({"caliper": 0, "covariates": ["age", "unique"]}));
    let r = run(out.as_bytes(), &spec).expect("runs");
    let m = &r["matching"][0];
    assert_eq!(m["pairs"], json!([]));
    assert_eq!(m["n_matched"], json!({"a": 0, "b": 0}));
    let unmatched =
        m["n_unmatched"]["a"].as_u64().unwrap_or(0) + m["n_unmatched"]["b"].as_u64().unwrap_or(0);
    assert_eq!(unmatched, m["n"].as_u64().expect("n"));
    assert!(m["logrank"].is_null() && m["cox"].is_null());
    assert_eq!(m["km"]["curves"], json!([]));
    // The scores and the balance before matching are still reported.
    assert_eq!(
        m["per_row"]["linear_score"].as_array().map(Vec::len),
        m["n"].as_u64().map(|n| n as usize)
    );
    assert!(m["balance"][0]["smd_before"].is_f64());
    assert!(m["balance"][0]["smd_after"].is_null());
    assert!(codes(&r).contains(&"matching_no_pairs".to_string()));
}

#[test]
fn a_separating_covariate_warns_and_never_crashes() {
    // "marker" equals the group: perfect separation.
    let text = String::from_utf8(lung()).expect("utf-8");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let marker = if i == 0 {
            "marker".to_string()
        } else {
            u8::from(line.split(',').nth(2) == Some("female")).to_string()
        };
        out.push_str(&format!("{line},{marker}\n"));
    }
    let mut spec = lung_spec(json!({"caliper": 0.2, "covariates": ["age", "marker"]}));
    spec["covariates"] = json!([{"column": "age"}]);
    let r = run(out.as_bytes(), &spec).expect("runs");
    let warned = codes(&r);
    assert!(
        warned.contains(&"positivity".to_string())
            || warned.contains(&"propensity_not_converged".to_string()),
        "{warned:?}"
    );
    let w = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == "positivity" || w["code"] == "propensity_not_converged")
        .expect("a model warning");
    assert_eq!(w["context"]["section"], "matching");
    assert_eq!(w["context"]["a"], "female");
    assert!(r["matching"][0]["n"].as_u64().expect("n") > 0);
}

#[test]
fn with_replacement_logrank_is_unstratified_and_weights_scale() {
    let (data, spec, _) = read_case(&reference("match_veteran_replace"));
    let r = run(&data, &spec).expect("runs");
    let m = &r["matching"][0];
    assert_eq!(m["logrank"]["stratified"], false);
    let w: Vec<f64> = m["per_row"]["weight"]
        .as_array()
        .expect("weights")
        .iter()
        .map(|v| v.as_f64().expect("w"))
        .collect();
    let treated: Vec<bool> = m["per_row"]["treated"]
        .as_array()
        .expect("treated")
        .iter()
        .map(|v| v == &json!(true))
        .collect();
    let controls: Vec<f64> = w
        .iter()
        .zip(&treated)
        .filter(|(&w, &t)| !t && w > 0.0)
        .map(|(&w, _)| w)
        .collect();
    let sum: f64 = controls.iter().sum();
    assert!(
        (sum - controls.len() as f64).abs() < 1e-9,
        "controls sum to their number"
    );
    assert!(controls.iter().any(|&w| w != 1.0), "some control is reused");
    assert_eq!(
        controls.len() as u64,
        m["n_matched"]["b"].as_u64().expect("n")
    );
}

#[test]
fn spec_errors_name_the_field() {
    let data = lung();
    for (matching, field) in [
        (json!({"ratio": 0}), "matching.ratio"),
        (json!({"caliper": -1}), "matching.caliper"),
        (json!({"order": "random"}), "random"),
    ] {
        let e = run(&data, &lung_spec(matching)).expect_err("a spec error");
        assert!(e.to_string().contains(field), "{e}");
    }
    let mut spec = lung_spec(json!({}));
    spec.as_object_mut().map(|o| o.remove("group"));
    let e = run(&data, &spec).expect_err("needs a group");
    assert!(e.to_string().contains("matching"), "{e}");
    let mut spec = lung_spec(json!({}));
    spec["covariates"] = json!([]);
    let e = run(&data, &spec).expect_err("needs covariates");
    assert!(e.to_string().contains("matching.covariates"), "{e}");
}
