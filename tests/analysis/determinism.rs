//! Determinism (issue 8): the CLI gives the same bytes of Report run after run, with
//! every section including a seeded bootstrap, and in a fresh process each time (no
//! hash-map order, time or address leaks into the results). The wasm side compares its
//! bytes with these native ones in tests/wasm_api.rs (scripts/test-web).

use std::process::Command;

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/www/demo/gist_liver_mets_demo.csv"
);
const BOOTSTRAP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/determinism/bootstrap_spec.json"
);
const IMPUTATION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/determinism/imputation_spec.json"
);

fn cli(data: &str, spec: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_survlens"))
        .args(["analyze", data, "--spec", spec])
        .output()
        .expect("run survlens");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn cli_bootstrap_report_is_identical_run_after_run() {
    let first = cli(DEMO, BOOTSTRAP);
    let v: serde_json::Value = serde_json::from_slice(&first).expect("JSON");
    for section in [
        "km",
        "logrank",
        "cox",
        "propensity",
        "adjusted",
        "table1",
        "sensitivity",
    ] {
        assert!(!v[section].is_null(), "section {section} missing");
    }
    assert!(!v["adjusted"]["bootstrap"].is_null(), "bootstrap missing");
    for _ in 0..2 {
        assert!(
            cli(DEMO, BOOTSTRAP) == first,
            "the CLI gave different bytes"
        );
    }
}

/// Multiple imputation by chained equations on the demo cohort (10 rows miss a
/// covariate): the same seed gives the same bytes in fresh processes (the wasm side
/// compares with these bytes in tests/wasm_api.rs).
#[test]
fn cli_imputation_report_is_identical_run_after_run() {
    let first = cli(DEMO, IMPUTATION);
    let v: serde_json::Value = serde_json::from_slice(&first).expect("JSON");
    let imp = &v["imputation"];
    assert_eq!(imp["m"], serde_json::json!(5));
    assert!(imp["cox"]["terms"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
    assert!(!imp["adjusted"]["cox"].is_null());
    assert!(imp["n_imputed"].as_object().is_some_and(|m| !m.is_empty()));
    assert!(
        cli(DEMO, IMPUTATION) == first,
        "the CLI gave different bytes"
    );
}

#[test]
fn library_and_cli_give_the_same_bytes() {
    let data = std::fs::read(DEMO).expect("demo");
    let spec = std::fs::read_to_string(BOOTSTRAP).expect("spec");
    let report = survlens::Analysis::from_json(&spec)
        .run(&data)
        .expect("report");
    // The CLI writes the pretty JSON and a newline, as the wasm `analyze_json` does.
    let lib = serde_json::to_string_pretty(&report).expect("json") + "\n";
    assert!(
        lib.as_bytes() == cli(DEMO, BOOTSTRAP).as_slice(),
        "library and CLI differ"
    );
}
