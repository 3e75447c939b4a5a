//! Shared by the tests that run SurvLens's exported R script under R and compare R's
//! numbers with the Report (tests/render/rscript_export.rs, tests/analysis/random_vs_r.rs).
#![allow(dead_code)] // each test binary uses a part

use crate::common;
use std::path::{Path, PathBuf};
use std::process::Command;
use survlens::rscript::{r_script, RScriptOptions};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the exported script of `spec_path` on `data_path`; R's document and the Report.
pub fn run_case(
    name: &str,
    data_path: &Path,
    spec_path: &Path,
    delimiter: Option<char>,
) -> Vec<String> {
    let spec_text = std::fs::read_to_string(spec_path).unwrap();
    let spec = survlens::Spec::from_json(&spec_text).unwrap();
    let data = std::fs::read(data_path).unwrap();
    let report = survlens::analysis::Analysis::new(&spec).run(&data).unwrap();
    let report = serde_json::to_value(&report).unwrap();
    let opts = RScriptOptions {
        data_name: "data.csv".into(),
        delimiter,
        ..Default::default()
    };
    let script = r_script(&spec, &opts);
    let dir = std::env::temp_dir().join(format!("survlens-rscript-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script_path = dir.join("analysis.R");
    let out_path = dir.join("results.json");
    std::fs::write(&script_path, &script).unwrap();
    let run = Command::new("Rscript")
        .arg(&script_path)
        .arg(data_path)
        .arg(&out_path)
        .output()
        .expect(
            "Rscript is needed (scripts/setup installs r-base-core r-cran-survival r-cran-cmprsk)",
        );
    assert!(
        run.status.success(),
        "{name}: the exported script failed under R:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    // The script must have produced every section the spec asks for.
    for key in [
        "data",
        "groups",
        "km",
        "logrank",
        "rmst_difference",
        "cox",
        "subgroups",
        "propensity",
        "adjusted",
        "sensitivity",
        "landmark",
        "time_dependent",
        "immortal_time",
        "treatment_time",
        "table1",
        "competing_risks",
        "follow_up",
        "conditional",
        "imputation",
        "matching",
        "emulation",
    ] {
        if report.get(key).is_some_and(|v| !v.is_null()) {
            assert!(
                r.get(key).is_some(),
                "{name}: the R script has no \"{key}\""
            );
        }
    }
    // ... the parts of cox asked by options (`cox.periods`) ...
    for key in ["periods", "periods_test"] {
        if report["cox"].get(key).is_some() {
            assert!(
                r["cox"].get(key).is_some(),
                "{name}: the R script has no cox.{key}"
            );
        }
    }
    // ... and every analysis inside each landmark and the time-dependent section.
    let mut inner: Vec<(String, &serde_json::Value, &serde_json::Value)> = Vec::new();
    if let (Some(rl), Some(ml)) = (r["landmark"].as_array(), report["landmark"].as_array()) {
        assert_eq!(rl.len(), ml.len(), "{name}: landmark count");
        for (i, (a, b)) in rl.iter().zip(ml).enumerate() {
            inner.push((format!("landmark[{i}]"), a, b));
        }
    }
    if report["time_dependent"].is_object() {
        inner.push((
            "time_dependent".into(),
            &r["time_dependent"],
            &report["time_dependent"],
        ));
    }
    for (at, rv, mv) in inner {
        for key in ["km", "logrank", "cox"] {
            if mv.get(key).is_some_and(|v| !v.is_null()) {
                assert!(
                    rv.get(key).is_some_and(|v| !v.is_null()),
                    "{name}: the R script has no {at}.{key}"
                );
            }
        }
    }
    common::compare(&r, &report)
        .into_iter()
        .map(|m| format!("{name}: {m}"))
        .collect()
}
