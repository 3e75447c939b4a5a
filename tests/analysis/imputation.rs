//! The `imputation` section with imported sets (spec `imputed`): agreement with
//! `mice::pool` on every `imp_*` case of `tests/r/make_reference_imputation.R`
//! (pbc two groups; colon three groups with Breslow ties; colon with a categorical
//! covariate; lung with propensity + adjusted and a robust Cox model), and the rules
//! around it:
//!
//! * set 0 (the original data) is the data of every other section, exactly as a file
//!   holding set 0 alone; without set 0, set 1 with a warning;
//! * sets whose survival data differ, bad set numbers, a file without imputed sets are
//!   typed input errors naming the column and the file line;
//! * a term without an estimate in some set is not pooled (null, with a warning);
//! * progress is reported once per set; the set column may not be an analysed column.

use crate::common;
use crate::common::{reference_case as fixture, reference_dir as dir, report_json as run};
use serde_json::{json, Value};

const CASES: [&str; 4] = [
    "imp_pbc_two_groups",
    "imp_colon_three_groups",
    "imp_colon_categorical",
    "imp_lung_adjusted",
];

/// The lines of `data` whose set (first column) satisfies `keep`, with the header.
fn sets_where(data: &str, keep: impl Fn(u32) -> bool) -> String {
    let mut lines = data.lines();
    let mut out = vec![lines.next().expect("header").to_string()];
    for l in lines {
        let set: u32 = l.split(',').next().unwrap().parse().unwrap();
        if keep(set) {
            out.push(l.to_string());
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn pooled_results_equal_mice_pool() {
    let mut failures = Vec::new();
    for case in CASES {
        let (data, spec) = fixture(case);
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir(case).join("expected.json")).expect("expected.json"),
        )
        .expect("expected parses");
        let report = run(&data, &spec).expect("analysis runs");
        // Every number of the expected document is compared; the pooled sections must be
        // there (the comparator would also flag them missing).
        assert!(report["imputation"]["cox"]["terms"]
            .as_array()
            .is_some_and(|t| !t.is_empty()));
        for m in common::compare(&expected, &report) {
            failures.push(format!("{case}{m}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_pools_what_it_asks() {
    let (data, spec) = fixture("imp_lung_adjusted");
    let r = run(&data, &spec).unwrap();
    let imp = &r["imputation"];
    assert_eq!(imp["m"], json!(5));
    assert_eq!(imp["iterations"], Value::Null);
    assert!(
        imp.get("n_imputed").is_none(),
        "n_imputed only when SurvLens imputed"
    );
    assert_eq!(
        imp["adjusted"]["cox"]["terms"][0]["name"],
        json!("sex=female")
    );
    assert_eq!(
        imp["adjusted"]["rmst_difference"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        imp["rmst_difference"][0]["dfcom"],
        Value::Null,
        "RMST: dfcom = ∞"
    );
    // Robust Cox: dfcom = events − coefficients of the first set's fit (every row of the
    // data: nothing is missing in an imputed set).
    let events = r["data"]["n_events"].as_f64().unwrap();
    let n_terms = imp["cox"]["terms"].as_array().unwrap().len() as f64;
    assert_eq!(imp["cox"]["terms"][0]["dfcom"], json!(events - n_terms));
    // The crude RMST differences do not depend on the covariates: identical in every
    // set, so B = 0 and the pooled estimate is the complete-data one.
    let d = &imp["rmst_difference"][0];
    assert_eq!(d["riv"], json!(0.0));
    let crude = &r["rmst_difference"][0];
    assert!(common::close(
        d["estimate"].as_f64().unwrap(),
        crude["estimate"].as_f64().unwrap(),
        1e-12,
        1e-12
    ));
}

/// Set 0 is the data of the other sections: the report's other sections equal those of
/// the file with set 0 alone and no imputation.
#[test]
fn the_original_set_is_the_data_of_the_other_sections() {
    for case in [
        "imp_pbc_two_groups",
        "imp_colon_categorical",
        "imp_lung_adjusted",
    ] {
        let (data, spec) = fixture(case);
        let stacked = run(&data, &spec).unwrap();
        let mut spec = spec.clone();
        spec["table1"] = json!({});
        let mut plain = spec.clone();
        plain.as_object_mut().unwrap().remove("imputation");
        let alone = run(&sets_where(&data, |s| s == 0), &plain).unwrap();
        for key in [
            "data",
            "groups",
            "cox",
            "rmst_difference",
            "propensity",
            "adjusted",
        ] {
            assert_eq!(stacked[key], alone[key], "{case}: {key}");
        }
        assert!(
            stacked["cox"]["missing_covariates"]["n"].as_u64().unwrap() > 0,
            "{case}"
        );
    }
}

#[test]
fn without_the_original_set_the_other_sections_use_set_1() {
    let (data, spec) = fixture("imp_pbc_two_groups");
    let r = run(&sets_where(&data, |s| s >= 1), &spec).unwrap();
    let codes: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"imputation_no_original_set"), "{codes:?}");
    assert_eq!(r["data"]["n_rows"], json!(312));
    assert_eq!(r["cox"]["missing_covariates"]["n"], json!(0));
    // The pooled numbers do not depend on set 0.
    let with0 = run(&data, &spec).unwrap();
    assert_eq!(r["imputation"], with0["imputation"]);
}

fn error_of(data: &str, spec: &Value) -> survlens::Error {
    run(data, spec).expect_err("an input error")
}

#[test]
fn sets_that_differ_are_an_error_naming_set_and_line() {
    let (data, spec) = fixture("imp_pbc_two_groups");
    // Line 3 + 312 * 3 is the second row of set 3: change its time.
    let mut lines: Vec<String> = data.lines().map(String::from).collect();
    let at = 2 + 312 * 3;
    let mut cells: Vec<String> = lines[at].split(',').map(String::from).collect();
    assert_eq!(cells[0], "3");
    cells[2] = "1".to_string();
    lines[at] = cells.join(",");
    let e = error_of(&(lines.join("\n") + "\n"), &spec);
    assert_eq!(e.kind(), "imputed_sets_differ");
    assert_eq!(e.line(), Some(at as u64 + 1));
    assert_eq!(e.column(), Some(".imp"));
    assert!(e.to_string().contains("imputed set 3"), "{e}");
    let zh = survlens::messages::error_text(&e, survlens::messages::Lang::Zh);
    assert!(zh.contains("插补数据集 3"), "{zh}");
    // A set with a row fewer.
    let mut fewer: Vec<String> = data.lines().map(String::from).collect();
    fewer.remove(at);
    assert_eq!(
        error_of(&(fewer.join("\n") + "\n"), &spec).kind(),
        "imputed_sets_differ"
    );
}

#[test]
fn bad_set_numbers_and_no_imputed_set_are_errors() {
    let (data, spec) = fixture("imp_pbc_two_groups");
    for bad in ["x", "1.5", "-1", "NA"] {
        let mut lines: Vec<String> = data.lines().map(String::from).collect();
        let mut cells: Vec<String> = lines[10].split(',').map(String::from).collect();
        cells[0] = bad.to_string();
        lines[10] = cells.join(",");
        let e = error_of(&(lines.join("\n") + "\n"), &spec);
        assert_eq!(e.kind(), "bad_imputed_set_number", "{bad}");
        assert_eq!(e.line(), Some(11), "{bad}");
    }
    let e = error_of(&sets_where(&data, |s| s == 0), &spec);
    assert_eq!(e.kind(), "no_imputed_sets");
    let mut missing_col = spec.clone();
    missing_col["imputation"]["imputed"] = json!(".set");
    assert_eq!(error_of(&data, &missing_col).kind(), "unknown_column");
}

#[test]
fn the_set_column_is_not_an_analysed_column() {
    let (data, mut spec) = fixture("imp_pbc_two_groups");
    spec["covariates"]
        .as_array_mut()
        .unwrap()
        .push(json!({"column": ".imp"}));
    let e = error_of(&data, &spec);
    assert_eq!(e.field(), Some("imputation.imputed"));
}

/// A term without an estimate in one set (age constant there: aliased) is null with a
/// warning naming it and the set; the other terms are pooled.
#[test]
fn a_term_missing_in_one_set_is_not_pooled() {
    let (data, spec) = fixture("imp_pbc_two_groups");
    let lines: Vec<String> = data
        .lines()
        .map(|l| {
            let mut c: Vec<String> = l.split(',').map(String::from).collect();
            if c[0] == "2" {
                c[5] = "50".to_string(); // age (column 6) constant in set 2
            }
            c.join(",")
        })
        .collect();
    let r = run(&(lines.join("\n") + "\n"), &spec).unwrap();
    let terms = r["imputation"]["cox"]["terms"].as_array().unwrap();
    let age = terms.iter().find(|t| t["name"] == json!("age")).unwrap();
    assert_eq!(age["coef"], Value::Null);
    assert_eq!(age["df"], Value::Null);
    let chol = terms.iter().find(|t| t["name"] == json!("chol")).unwrap();
    assert!(chol["coef"].is_number());
    let w = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == json!("imputation_model_failed"))
        .expect("warning");
    assert_eq!(w["context"]["term"], json!("age"));
    assert_eq!(w["context"]["sets"], json!([2]));
    assert_eq!(w["context"]["section"], json!("imputation.cox"));
}

/// A model that cannot be fitted in one set (a set still missing a covariate on every
/// row: no complete row there) leaves the pooled model null, with one warning naming the
/// set and the cause; the other pooled models are unaffected.
#[test]
fn a_model_failing_in_one_set_leaves_it_null() {
    let (data, spec) = fixture("imp_lung_adjusted");
    let lines: Vec<String> = data
        .lines()
        .map(|l| {
            let mut c: Vec<String> = l.split(',').map(String::from).collect();
            if c[0] == "4" {
                c[7] = "NA".to_string(); // wt.loss (column 8) missing everywhere in set 4
            }
            c.join(",")
        })
        .collect();
    let r = run(&(lines.join("\n") + "\n"), &spec).unwrap();
    let imp = &r["imputation"];
    assert_eq!(imp["cox"], Value::Null);
    assert_eq!(imp["adjusted"]["cox"], Value::Null);
    assert!(
        imp["rmst_difference"].is_array(),
        "the crude RMST needs no covariate"
    );
    let failed: Vec<&Value> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == json!("imputation_model_failed"))
        .collect();
    let cox = failed
        .iter()
        .find(|w| w["context"]["section"] == json!("imputation.cox"))
        .expect("cox warning");
    assert_eq!(cox["context"]["sets"], json!([4]));
    assert_eq!(cox["context"]["codes"], json!(["no_complete_rows"]));
    assert!(cox["message"].as_str().unwrap().contains("4"));
    assert!(failed
        .iter()
        .any(|w| w["context"]["section"] == json!("imputation.adjusted.cox")));
}

#[test]
fn progress_is_reported_once_per_set() {
    let (data, spec) = fixture("imp_colon_three_groups");
    let spec: survlens::Spec = serde_json::from_value(spec).unwrap();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let mut record = |d: usize, t: usize| calls.push((d, t));
    survlens::Analysis::new(&spec)
        .progress(&mut record)
        .run(data.as_bytes())
        .unwrap();
    assert_eq!(calls, vec![(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]);
}

#[test]
fn a_cohort_input_cannot_name_imported_sets() {
    let (data, spec_json) = fixture("imp_pbc_two_groups");
    let spec: survlens::Spec = serde_json::from_value(spec_json).unwrap();
    let table = survlens::ingest::read_table(data.as_bytes()).unwrap();
    let cohort = survlens::ingest::build_cohort(&table, &spec.column_map().unwrap()).unwrap();
    let e = survlens::Analysis::new(&spec).run(&cohort).unwrap_err();
    assert_eq!(e.field(), Some("imputation.imputed"));
}

/// The file's original data alone (set 0), and the spec asking SurvLens to impute.
fn chained_fixture(case: &str, m: usize) -> (String, Value) {
    let (data, mut spec) = fixture(case);
    spec["imputation"] = json!({"m": m, "iterations": 10, "seed": 7});
    (sets_where(&data, |s| s == 0), spec)
}

/// SurvLens's own imputation (chained equations, m = 20) against mice's on the same
/// data (the fixtures' m = 5 sets): every pooled coefficient within one pooled SE of
/// mice's, on four datasets with real missing values (pbc, colon ×2, lung); the RMST
/// differences, which use no covariate, equal.
#[test]
fn chained_imputation_agrees_with_mice_within_a_pooled_se() {
    for case in CASES {
        let (data, spec) = chained_fixture(case, 20);
        let r = run(&data, &spec).expect("runs");
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir(case).join("expected.json")).unwrap(),
        )
        .unwrap();
        let mut pairs = vec![(
            "cox",
            &r["imputation"]["cox"],
            &expected["imputation"]["cox"],
        )];
        if expected["imputation"].get("adjusted").is_some() {
            pairs.push((
                "adjusted.cox",
                &r["imputation"]["adjusted"]["cox"],
                &expected["imputation"]["adjusted"]["cox"],
            ));
        }
        for (what, ours, mice) in pairs {
            for t in mice["terms"].as_array().unwrap() {
                let o = ours["terms"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == t["name"])
                    .unwrap_or_else(|| panic!("{case} {what}: no term {}", t["name"]));
                let (a, b) = (o["coef"].as_f64().unwrap(), t["coef"].as_f64().unwrap());
                let se = t["se"].as_f64().unwrap();
                assert!(
                    (a - b).abs() < se,
                    "{case} {what} {}: {a} vs mice {b} (se {se})",
                    t["name"]
                );
            }
        }
        if let Some(diffs) = expected["imputation"]["rmst_difference"].as_array() {
            for (o, e) in r["imputation"]["rmst_difference"]
                .as_array()
                .unwrap()
                .iter()
                .zip(diffs)
            {
                assert!(common::close(
                    o["estimate"].as_f64().unwrap(),
                    e["estimate"].as_f64().unwrap(),
                    1e-9,
                    1e-9
                ));
            }
        }
    }
}

#[test]
fn chained_imputation_reports_its_settings_and_is_deterministic() {
    let (data, spec) = chained_fixture("imp_lung_adjusted", 4);
    let a = run(&data, &spec).unwrap();
    let imp = &a["imputation"];
    assert_eq!(imp["m"], json!(4));
    assert_eq!(imp["iterations"], json!(10));
    assert_eq!(imp["seed"], json!(7));
    assert_eq!(imp["n_imputed"], json!({"ph.karno": 1, "wt.loss": 14}));
    assert_eq!(imp["n"], json!(228));
    // Diagnostics: observed values beside the imputed ones, per imputed column.
    let diag = imp["diagnostics"].as_array().unwrap();
    let names: Vec<&str> = diag.iter().map(|d| d["column"].as_str().unwrap()).collect();
    assert_eq!(names, ["ph.karno", "wt.loss"]);
    let wt = &diag[1];
    assert_eq!(wt["kind"], json!("numeric"));
    assert_eq!(wt["observed"].as_array().unwrap().len(), 228 - 14);
    let sets = wt["imputed"].as_array().unwrap();
    assert_eq!(sets.len(), 4);
    // PMM imputes observed values only.
    let observed: Vec<f64> = wt["observed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for s in sets {
        assert_eq!(s.as_array().unwrap().len(), 14);
        assert!(s
            .as_array()
            .unwrap()
            .iter()
            .all(|v| observed.contains(&v.as_f64().unwrap())));
    }
    // The same seed gives the same bytes; another seed other sets.
    assert_eq!(a.to_string(), run(&data, &spec).unwrap().to_string());
    let mut other = spec.clone();
    other["imputation"]["seed"] = json!(8);
    assert_ne!(run(&data, &other).unwrap()["imputation"], a["imputation"]);
    // Without imputation settings the defaults: m 20, 10 cycles, seed 1.
    let mut defaults = spec.clone();
    defaults["imputation"] = json!({});
    let d = run(&data, &defaults).unwrap();
    assert_eq!(
        (
            &d["imputation"]["m"],
            &d["imputation"]["iterations"],
            &d["imputation"]["seed"]
        ),
        (&json!(20), &json!(10), &json!(1))
    );
}

#[test]
fn chained_diagnostics_count_levels_of_a_categorical_column() {
    let (data, spec) = chained_fixture("imp_colon_categorical", 3);
    let r = run(&data, &spec).unwrap();
    let imp = &r["imputation"];
    assert_eq!(imp["n_imputed"], json!({"differ": 23, "nodes": 18}));
    let differ = imp["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["column"] == json!("differ"))
        .unwrap();
    assert_eq!(differ["kind"], json!("categorical"));
    let sum = |k: &str| -> u64 {
        differ[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .sum()
    };
    assert_eq!(sum("observed_counts"), 929 - 23);
    assert_eq!(sum("imputed_counts"), 23 * 3);
    assert_eq!(differ["levels"].as_array().unwrap().len(), 3);
    // The pooled terms use the complete-case reference (moderate), as the cox section.
    let names: Vec<&str> = imp["cox"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"differ=poor") && names.contains(&"differ=well"),
        "{names:?}"
    );
}

#[test]
fn chained_progress_counts_cycles_then_sets() {
    let (data, spec) = chained_fixture("imp_pbc_two_groups", 3);
    let spec: survlens::Spec = serde_json::from_value(spec).unwrap();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let mut record = |d: usize, t: usize| calls.push((d, t));
    survlens::Analysis::new(&spec)
        .progress(&mut record)
        .run(data.as_bytes())
        .unwrap();
    let total = 3 * 10 + 3;
    assert_eq!(calls.len(), total);
    assert!(calls.iter().all(|&(_, t)| t == total));
    assert!(calls.windows(2).all(|w| w[1].0 == w[0].0 + 1));
    assert_eq!(calls.last(), Some(&(total, total)));
}
