//! Agreement of the `cox` section with R (coxph, concordance, cox.zph) on every
//! `tests/reference/cox_*` case written by `tests/r/make_reference_cox.R`.
//!
//! The cases are also run end-to-end (CSV bytes → Report) by `tests/analysis/reference.rs`; this
//! test builds the cohort with a minimal reader of the fixtures' CSV (complete cases,
//! explicit references, 0/1 events) so the statistics are checked independently of
//! ingest. Tolerances: `tests/common` (docs/methods.md#agreement).

use crate::common;

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use survlens::analysis::{self, Spec};
use survlens::ingest::{Cohort, Covariate, CovariateValues};
use survlens::stats::surv::timefix;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("cox_"))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// Codes by order of first appearance, with `first` (if any) forced to code 0.
fn codes(values: &[String], first: Option<&str>) -> (Vec<u32>, Vec<String>) {
    let mut levels: Vec<String> = first.map(|f| vec![f.to_string()]).unwrap_or_default();
    let mut index: HashMap<String, u32> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), i as u32))
        .collect();
    let codes = values
        .iter()
        .map(|v| {
            *index.entry(v.clone()).or_insert_with(|| {
                levels.push(v.clone());
                levels.len() as u32 - 1
            })
        })
        .collect();
    (codes, levels)
}

/// A cohort from a fixture's CSV: the reader the real ingest replaces.
pub fn fixture_cohort(csv: &[u8], spec: &Spec) -> Cohort {
    let mut rdr = csv::Reader::from_reader(csv);
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    let col = |name: &str| -> Vec<String> {
        let j = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"));
        rows.iter().map(|r| r[j].clone()).collect()
    };
    let num = |name: &str| -> Vec<f64> {
        col(name)
            .iter()
            .map(|v| v.parse().expect("number"))
            .collect()
    };
    let time_col = spec.time.column.clone().expect("duration time");
    let mut time = num(&time_col);
    timefix(&mut time);
    let event: Vec<bool> = col(&spec.event.column).iter().map(|v| v == "1").collect();
    let n = time.len();
    let (group, group_labels) = match &spec.group {
        Some(g) => codes(&col(&g.column), g.reference.as_deref()),
        None => (vec![0; n], vec!["all".to_string()]),
    };
    let covariates = spec
        .covariates
        .iter()
        .map(|c| {
            let values = match c.kind {
                Some(survlens::ingest::CovariateKind::Categorical) => {
                    let (codes, levels) = codes(&col(&c.column), c.reference.as_deref());
                    CovariateValues::Categorical { codes, levels }
                }
                _ => CovariateValues::Numeric(num(&c.column)),
            };
            Covariate {
                column: c.column.clone(),
                n_missing: None,
                values,
            }
        })
        .collect();
    let (stratum, strata_labels) = if spec.strata.is_empty() {
        (vec![0; n], vec![])
    } else {
        let joined: Vec<String> = (0..n)
            .map(|i| {
                spec.strata
                    .iter()
                    .map(|s| format!("{s}={}", col(s)[i]))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        codes(&joined, None)
    };
    Cohort {
        n_rows: n,
        line: (2..n as u64 + 2).collect(),
        time,
        event,
        group,
        group_labels,
        stratum,
        strata_labels,
        weight: spec.weights.as_ref().map(|w| num(&w.column)),
        cluster: spec
            .cluster
            .as_ref()
            .map(|c| codes(&col(&c.column), None).0),
        covariates,
        excluded: vec![],
        warnings: vec![],
        entry: None,
        competing: None,
    }
}

pub fn run_case(dir: &Path) -> (Value, Value) {
    let data = std::fs::read(dir.join("data.csv")).expect("data.csv");
    let spec = Spec::from_json(&std::fs::read_to_string(dir.join("spec.json")).expect("spec.json"))
        .expect("spec");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected"),
    )
    .expect("json");
    let cohort = fixture_cohort(&data, &spec);
    let report = analysis::Analysis::new(&spec)
        .run(&cohort)
        .expect("analysis runs");
    (expected, serde_json::to_value(&report).expect("serializes"))
}

#[test]
fn every_cox_reference_case_agrees_with_r() {
    let cases = cases();
    assert!(
        cases.len() >= 8,
        "expected at least 8 Cox R reference cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let (mut expected, actual) = run_case(dir);
        if let Some(obj) = expected.as_object_mut() {
            obj.remove("data"); // n_used is ingest's business (checked by tests/analysis/reference.rs)
        }
        for m in common::compare(&expected, &actual).into_iter().take(20) {
            failures.push(format!("{name}{m}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with R:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn codes_of(report: &Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|w| w["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn case_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name)
}

#[test]
fn separation_warns_like_r() {
    let (_, actual) = run_case(&case_dir("cox_rats_separation"));
    let w = &actual["warnings"];
    let hit = w
        .as_array()
        .into_iter()
        .flatten()
        .find(|w| w["code"] == "cox_infinite_coef")
        .expect("warning");
    assert_eq!(hit["context"]["term"], "flag");
    assert!(actual["cox"]["converged"].as_bool().unwrap_or(false));
}

#[test]
fn aliased_columns_are_null_and_warned() {
    let (_, actual) = run_case(&case_dir("cox_cgd_aliased"));
    assert!(codes_of(&actual).contains(&"cox_aliased".to_string()));
    let hw = actual["cox"]["terms"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["name"] == "hw")
        .expect("hw");
    assert!(hw["coef"].is_null() && hw["se"].is_null() && hw["hr"].is_null());
}

#[test]
fn fractional_weights_without_robust_warn() {
    let (_, actual) = run_case(&case_dir("cox_ovarian_fracweights"));
    assert!(codes_of(&actual).contains(&"nonint_weights_without_robust".to_string()));
    let (_, actual) = run_case(&case_dir("cox_ovarian_fracweights_robust"));
    assert!(!codes_of(&actual).contains(&"nonint_weights_without_robust".to_string()));
}

#[test]
#[ignore]
fn dump_case() {
    let name = std::env::var("COX_CASE").unwrap_or_else(|_| "cox_lung_efron".into());
    let (_, actual) = run_case(&case_dir(&name));
    println!(
        "{}",
        serde_json::to_string_pretty(&actual["cox"]).unwrap_or_default()
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&actual["warnings"]).unwrap_or_default()
    );
}

#[test]
fn scaled_schoenfeld_residuals_agree_with_r() {
    // R: see r_call in the JSON (multi-column term celltype: projected on β, + 1).
    let dir = case_dir("cox_veteran_breslow");
    let r: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("r_zph_residuals.json")).expect("json"),
    )
    .expect("parses");
    let data = std::fs::read(dir.join("data.csv")).expect("data.csv");
    let spec = Spec::from_json(&std::fs::read_to_string(dir.join("spec.json")).expect("spec"))
        .expect("spec");
    let cohort = fixture_cohort(&data, &spec);
    let rows: Vec<usize> = (0..cohort.time.len()).collect();
    let design = analysis::cox_section::design(&cohort, &spec, &rows);
    use survlens::stats::cox::{self, CoxData, CoxOptions, Ties, ZphTransform};
    let d = CoxData {
        time: &cohort.time,
        event: &cohort.event,
        x: &design.x,
        p: design.names.len(),
        weight: None,
        stratum: None,
        cluster: None,
    };
    let opts = CoxOptions {
        ties: Ties::Breslow,
        ..CoxOptions::default()
    };
    let fit = cox::fit(&d, &opts).expect("fit");
    let terms: Vec<Vec<usize>> = (0..design.term_names.len())
        .map(|t| {
            (0..design.names.len())
                .filter(|&j| design.term_of[j] == t)
                .collect()
        })
        .collect();
    let z = cox::zph(&d, &fit, Ties::Breslow, ZphTransform::Rank, &terms);
    let nums = |v: &Value| -> Vec<f64> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_f64().expect("num"))
            .collect()
    };
    assert_eq!(z.time, nums(&r["time"]));
    let rx = nums(&r["x"]);
    assert!(z
        .x
        .iter()
        .zip(&rx)
        .all(|(a, b)| common::close(*a, *b, 1e-12, 0.0)));
    for (t, col) in r["y"].as_array().expect("y").iter().enumerate() {
        let want = nums(col);
        assert_eq!(want.len(), z.scaled[t].len());
        for (e, w) in want.iter().enumerate() {
            let got = z.scaled[t][e].expect("residual");
            assert!(
                common::close(got, *w, 1e-6, 1e-9),
                "term {t} event {e}: {got} vs {w}"
            );
        }
    }
}
