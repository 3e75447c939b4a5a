//! The exported R script reproduces the Report: each case's script is run with R
//! (`Rscript`, survival) on the case's own data file, and its numbers are compared with
//! SurvLens's Report at the contract's tolerances (tests/common).
//!
//! Needs `Rscript` with the survival package (scripts/setup installs r-base-core and
//! r-cran-survival).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use survlens::rscript::{r_script, RScriptOptions};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the exported script of `spec_path` on `data_path`; R's document and the Report.
fn run_case(
    name: &str,
    data_path: &Path,
    spec_path: &Path,
    delimiter: Option<char>,
) -> Vec<String> {
    let spec_text = std::fs::read_to_string(spec_path).unwrap();
    let spec = survlens::Spec::from_json(&spec_text).unwrap();
    let data = std::fs::read(data_path).unwrap();
    let report = survlens::analysis::analyze(&data, &spec).unwrap();
    let report = serde_json::to_value(&report).unwrap();
    let opts = RScriptOptions {
        data_name: "data.csv".into(),
        delimiter,
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
        .expect("Rscript is needed (scripts/setup installs r-base-core r-cran-survival)");
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
        "propensity",
        "adjusted",
        "sensitivity",
    ] {
        if report.get(key).is_some_and(|v| !v.is_null()) {
            assert!(
                r.get(key).is_some(),
                "{name}: the R script has no \"{key}\""
            );
        }
    }
    common::compare(&r, &report)
        .into_iter()
        .map(|m| format!("{name}: {m}"))
        .collect()
}

#[test]
fn demo_cohort_script_reproduces_the_report() {
    let demo = root().join("www/demo");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    // The demo with a Cox model and its PH test too.
    spec["cox"] = serde_json::json!({"ties": "efron", "ph_test": {"transform": "km"}});
    let dir = std::env::temp_dir().join(format!("survlens-demo-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let failures = run_case(
        "demo",
        &demo.join("gist_liver_mets_demo.csv"),
        &spec_path,
        Some(','),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The demo with every observational-comparison section: propensity (multinomial),
/// weights, balance, weighted KM / RMST / Cox, E-values of the crude and weighted HRs.
#[test]
fn demo_confounding_sections_are_reproduced() {
    let demo = root().join("www/demo");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    for key in ["treatment_time", "landmark", "time_dependent"] {
        spec.as_object_mut().unwrap().remove(key);
    }
    spec["cox"] = serde_json::json!({"ties": "efron", "ph_test": {"transform": "km"}});
    spec["propensity"] =
        serde_json::json!({"estimand": "ATE", "stabilize": true, "truncate": [0.01, 0.99]});
    spec["adjusted"] = serde_json::json!({});
    spec["sensitivity"] = serde_json::json!({});
    let dir = std::env::temp_dir().join(format!("survlens-demo-ps-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let failures = run_case(
        "demo_confounding",
        &demo.join("gist_liver_mets_demo.csv"),
        &spec_path,
        Some(','),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The propensity reference cases: binomial and multinomial models, ATE (stabilized,
/// truncated), ATT, ATO, typed categorical covariates, missing values.
#[test]
fn propensity_cases_scripts_reproduce_the_reports() {
    let mut failures = Vec::new();
    for case in [
        "ps_demo_gist",
        "ps_lung",
        "ps_colon",
        "ps_pbc",
        "ps_veteran",
        "ps_flchain_5groups",
    ] {
        let dir = root().join("tests/reference").join(case);
        failures.extend(run_case(
            case,
            &dir.join("data.csv"),
            &dir.join("spec.json"),
            None,
        ));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn reference_cases_scripts_reproduce_the_reports() {
    let cases = [
        "aml",
        "lung",
        "colon_death",
        "kidney_dates",
        "retinopathy_semicolon",
        "stanford2_nogroup",
        "flchain_10groups",
        "synth_ingest",
        "cox_lung_efron",
        "cox_veteran_breslow",
        "cox_colon_strata_cluster",
        "cox_heart_strata_breslow",
        "cox_ovarian_fracweights_robust",
        "cox_mgus2_robust",
    ];
    let mut failures = Vec::new();
    for case in cases {
        let dir = root().join("tests/reference").join(case);
        let data = ["data.csv", "data.tsv", "data.txt"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap();
        // The delimiter is left to the script's own detection here.
        failures.extend(run_case(case, &data, &dir.join("spec.json"), None));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
