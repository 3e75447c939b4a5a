//! The `imputation` section when SurvLens imputes (spec `m`, `iterations`, `seed`):
//!
//! * agreement with mice on R datasets with real missing covariates (pbc: pmm; pbc, all
//!   rows: logreg + polyreg + pmm; colon: pmm + polyreg): every pooled Cox coefficient
//!   within one pooled SE of mice's (same imputation model, m = 20; the fixtures and the
//!   R calls: `tests/r/make_reference_mice_compare.R`, `mice.json` of each case);
//! * the section's contents: m, iterations, seed, `n_imputed` = the rows missing each
//!   covariate, diagnostics of observed vs imputed values;
//! * determinism (same seed, same report bytes; another seed, other numbers) and the
//!   progress of every imputation cycle and analysed set.

use crate::common::{reference_case as fixture, reference_dir as dir, report_json};
use serde_json::{json, Value};

const CASES: [&str; 3] = [
    "mice_compare_pbc",
    "mice_compare_pbc_all",
    "mice_compare_colon",
];

fn run(data: &str, spec: &Value) -> Value {
    report_json(data, spec).expect("analysis runs")
}

#[test]
fn pooled_cox_within_one_pooled_se_of_mice() {
    let mut failures = Vec::new();
    for case in CASES {
        let (data, spec) = fixture(case);
        let mice: Value = serde_json::from_str(
            &std::fs::read_to_string(dir(case).join("mice.json")).expect("mice.json"),
        )
        .expect("mice.json parses");
        let report = run(&data, &spec);
        let ours = report["imputation"]["cox"]["terms"]
            .as_array()
            .expect("pooled Cox terms");
        let theirs = mice["mice"]["terms"].as_array().unwrap();
        assert_eq!(ours.len(), theirs.len(), "{case}: number of terms");
        for t in theirs {
            let name = t["name"].as_str().unwrap();
            let Some(o) = ours.iter().find(|o| o["name"] == name) else {
                failures.push(format!("{case}: no term {name}"));
                continue;
            };
            let (coef, se) = (t["coef"].as_f64().unwrap(), t["se"].as_f64().unwrap());
            let ours_coef = o["coef"].as_f64().expect("pooled coef");
            let ours_se = o["se"].as_f64().expect("pooled se");
            if (ours_coef - coef).abs() >= se {
                failures.push(format!(
                    "{case} {name}: SurvLens {ours_coef} vs mice {coef} (pooled SE {se})"
                ));
            }
            // The pooled SEs agree too (same data, same model): within 25%.
            if (ours_se / se - 1.0).abs() > 0.25 {
                failures.push(format!("{case} {name}: SE {ours_se} vs mice {se}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Rows of `data` (CSV, no quoted commas) whose `column` is empty.
fn missing_in(data: &str, column: &str) -> usize {
    let mut lines = data.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header.iter().position(|h| *h == column).unwrap();
    lines
        .filter(|l| l.split(',').nth(k).is_some_and(str::is_empty))
        .count()
}

#[test]
fn section_reports_what_it_imputed() {
    let (data, spec) = fixture("mice_compare_pbc_all");
    let report = run(&data, &spec);
    let imp = &report["imputation"];
    assert_eq!(imp["m"], 20);
    assert_eq!(imp["iterations"], 10);
    assert_eq!(imp["seed"], 22);
    assert_eq!(imp["n"], 418);
    let n_imputed = imp["n_imputed"].as_object().expect("n_imputed");
    let columns: Vec<&str> = n_imputed.keys().map(String::as_str).collect();
    assert_eq!(columns, vec!["chol", "hepato", "platelet", "stage"]);
    for (column, n) in n_imputed {
        assert_eq!(
            n.as_u64().unwrap() as usize,
            missing_in(&data, column),
            "{column}"
        );
    }
    let diagnostics = imp["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 4);
    for d in diagnostics {
        let column = d["column"].as_str().unwrap();
        let n_missing = missing_in(&data, column);
        match d["kind"].as_str().unwrap() {
            "numeric" => {
                let observed = d["observed"].as_array().unwrap();
                assert_eq!(observed.len(), 418 - n_missing);
                let sets = d["imputed"].as_array().unwrap();
                assert_eq!(sets.len(), 20);
                for s in sets {
                    let s = s.as_array().unwrap();
                    assert_eq!(s.len(), n_missing);
                    // Predictive mean matching imputes observed values only.
                    assert!(s.iter().all(|v| observed.contains(v)));
                }
            }
            "categorical" => {
                let levels = d["levels"].as_array().unwrap();
                let observed: u64 = d["observed_counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_u64().unwrap())
                    .sum();
                let imputed: u64 = d["imputed_counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_u64().unwrap())
                    .sum();
                assert_eq!(observed as usize, 418 - n_missing);
                assert_eq!(imputed as usize, 20 * n_missing);
                assert_eq!(d["imputed_counts"].as_array().unwrap().len(), levels.len());
            }
            other => panic!("kind {other}"),
        }
    }
    // Every pooled term has Rubin's-rules quantities.
    for t in imp["cox"]["terms"].as_array().unwrap() {
        for key in ["coef", "se", "df", "fmi", "riv", "lower", "upper", "p"] {
            assert!(
                t[key].as_f64().is_some_and(f64::is_finite),
                "{} {key}",
                t["name"]
            );
        }
    }
    // The complete-case Cox model of the data is still there beside it.
    assert!(report["cox"]["terms"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
}

#[test]
fn same_seed_same_bytes_and_progress_per_cycle() {
    let (data, mut spec) = fixture("mice_compare_pbc");
    spec["imputation"] = json!({"m": 3, "iterations": 4, "seed": 9});
    let parsed: survlens::Spec = serde_json::from_value(spec.clone()).unwrap();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let mut record = |d: usize, t: usize| calls.push((d, t));
    let first = survlens::Analysis::new(&parsed)
        .progress(&mut record)
        .run(data.as_bytes())
        .unwrap();
    // 3 sets × 4 cycles, then each of the 3 sets analysed.
    assert_eq!(calls, (1..=15).map(|d| (d, 15)).collect::<Vec<_>>());
    let second = survlens::Analysis::new(&parsed)
        .run(data.as_bytes())
        .unwrap();
    let bytes = |r: &survlens::Report| serde_json::to_string(r).unwrap();
    assert_eq!(bytes(&first), bytes(&second));
    spec["imputation"]["seed"] = json!(10);
    let other = run(&data, &spec);
    let first = serde_json::to_value(&first).unwrap();
    assert_ne!(
        first["imputation"]["cox"]["terms"][0]["coef"],
        other["imputation"]["cox"]["terms"][0]["coef"]
    );
    assert_eq!(first["cox"], other["cox"]);
}

#[test]
fn a_covariate_missing_everywhere_is_not_imputed() {
    // Nothing to impute it from: it stays missing (no random fill-in), the models that
    // use it have no complete row and say so, the other columns are imputed as usual.
    let (data, mut spec) = fixture("mice_compare_pbc");
    let mut lines = data.lines();
    let mut csv = format!("{},empty\n", lines.next().unwrap());
    for l in lines {
        csv.push_str(l);
        csv.push_str(",\n");
    }
    spec["covariates"]
        .as_array_mut()
        .unwrap()
        .push(json!({"column": "empty"}));
    spec["imputation"] = json!({"m": 3, "iterations": 2, "seed": 1});
    let report = run(&csv, &spec);
    let imp = &report["imputation"];
    let imputed: Vec<&str> = imp["n_imputed"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(imputed, vec!["chol", "copper", "platelet", "trig"]);
    assert!(imp["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["column"] != "empty"));
    assert!(imp["cox"].is_null());
    let codes: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"imputation_model_failed"), "{codes:?}");
}
