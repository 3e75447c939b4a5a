//! Agreement with R's survival package on every case written by `tests/r/make_reference.R`.
//!
//! Each `tests/reference/<case>/` holds `data.csv`, `spec.json` and `expected.json`
//! (R's numbers in the contract's shape). Tolerances: `tests/common` (docs/methods.md#agreement).

use crate::common;

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.join("expected.json").exists())
                // Multi-site cases (one data file per site) are pooled documents, not
                // one Report: tests/sites compares them.
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("sites_"))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn data_file(dir: &Path) -> PathBuf {
    ["data.csv", "data.tsv", "data.txt"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
        .unwrap_or_else(|| dir.join("data.csv"))
}

#[test]
fn every_reference_case_agrees_with_r() {
    let cases = cases();
    assert!(
        cases.len() >= 8,
        "expected at least 8 R reference cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let data = std::fs::read(data_file(dir)).expect("data file");
        let spec = std::fs::read_to_string(dir.join("spec.json")).expect("spec.json");
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
        )
        .expect("expected.json parses");
        match survlens::Analysis::from_json(&spec).run(&data) {
            Ok(report) => {
                let actual = serde_json::to_value(&report).expect("report serializes");
                for m in common::compare(&expected, &actual).into_iter().take(15) {
                    failures.push(format!("{name}{m}"));
                }
            }
            Err(e) => failures.push(format!("{name}: analysis failed: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with R:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The comparator itself: a disagreement beyond tolerance, a wrong length, a null
/// against a number and a missing key are all caught; agreement within tolerance is not.
#[test]
fn comparator_catches_disagreements() {
    let expected =
        serde_json::json!({"a": 1.0, "p": 0.05, "v": [1.0, null], "r_call": "x", "k": {"n": 3}});
    let within = serde_json::json!({"a": 1.0 + 5e-7, "p": 0.05 * (1.0 + 5e-5), "v": [1.0, null], "k": {"n": 3}});
    assert!(common::compare(&expected, &within).is_empty());
    let off =
        serde_json::json!({"a": 1.0 + 2e-6, "p": 0.05 * (1.0 + 2e-4), "v": [1.0, 0.0], "k": {}});
    let problems = common::compare(&expected, &off);
    assert_eq!(problems.len(), 4, "{problems:?}");
    let short = serde_json::json!({"a": 1.0, "p": 0.05, "v": [1.0], "k": {"n": 3}});
    assert_eq!(common::compare(&expected, &short).len(), 1);
}
