//! `survlens analyze --timings`: one JSON line on stderr with each stage's seconds; the
//! results are the same bytes as without it. (What the seconds are is not tested: they
//! are timings.)

use std::path::Path;
use std::process::Command;

fn demo() -> (std::path::PathBuf, std::path::PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (
        root.join("www/demo/gist_liver_mets_demo.csv"),
        root.join("www/demo/demo_spec.json"),
    )
}

fn analyze(spec: &Path, timings: bool) -> std::process::Output {
    let (data, _) = demo();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_survlens"));
    cmd.arg("analyze").arg(&data).arg("--spec").arg(spec);
    if timings {
        cmd.arg("--timings");
    }
    cmd.output().expect("run")
}

fn spec_file(name: &str, json: &serde_json::Value) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "survlens-timings-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, json.to_string()).expect("write spec");
    path
}

/// The stages line of `out`'s stderr, parsed.
fn stages_line(out: &std::process::Output) -> serde_json::Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr}");
    serde_json::from_str(lines[0]).expect("the line is JSON")
}

#[test]
fn timings_print_one_json_line_with_every_stage_and_keep_the_results() {
    let (_, spec) = demo();
    let plain = analyze(&spec, false);
    let timed = analyze(&spec, true);
    assert_eq!(timed.status.code(), Some(0));
    assert!(
        plain.stdout == timed.stdout,
        "--timings changes no byte of the results"
    );
    assert!(plain.stderr.is_empty());
    let line = stages_line(&timed);
    let stages = line["stages"].as_object().expect("stages object");
    let names: Vec<&str> = stages.keys().map(String::as_str).collect();
    // In the order they started; sections nested under the analysis.
    for want in [
        "file",
        "spec",
        "read",
        "cohort",
        "analysis",
        "analysis/km",
        "analysis/logrank",
        "analysis/cox",
        "write",
    ] {
        assert!(
            stages.contains_key(want),
            "stage {want} missing from {names:?}"
        );
    }
    // The line keeps the order the stages started in (a parsed map does not): check the text.
    let text = String::from_utf8_lossy(&timed.stderr).to_string();
    let pos = |n: &str| {
        text.find(&format!("\"{n}\":"))
            .unwrap_or_else(|| panic!("{n} in {text}"))
    };
    assert!(
        pos("file") < pos("read") && pos("read") < pos("cohort") && pos("cohort") < pos("analysis")
    );
    assert!(pos("analysis") < pos("analysis/km") && pos("analysis/cox") < pos("write"));
    for (name, s) in stages {
        let s = s.as_f64().unwrap_or(-1.0);
        assert!(s >= 0.0 && s.is_finite(), "{name}: {s}");
    }
    // Nested stages are parts of their parent; the total covers all top-level stages.
    let sec = |n: &str| stages[n].as_f64().unwrap();
    assert!(sec("analysis/km") + sec("analysis/logrank") + sec("analysis/cox") <= sec("analysis"));
    let top: f64 = stages
        .iter()
        .filter(|(n, _)| !n.contains('/'))
        .map(|(_, s)| s.as_f64().unwrap())
        .sum();
    assert!(line["total"].as_f64().unwrap() >= top);
}

#[test]
fn timings_name_the_ph_test_and_the_confounding_stages() {
    let spec = spec_file(
        "zph_iptw",
        &serde_json::json!({
            "time": {"start": "lm_diagnosis_date", "end": "last_contact_date", "unit": "months", "date_format": "auto"},
            "event": {"column": "vital_status", "values": ["Dead"]},
            "group": {"column": "treatment", "reference": "IM"},
            "covariates": [{"column": "age"}],
            "cox": {"ph_test": {"transform": "km"}},
            "propensity": {"estimand": "ATE"}, "adjusted": {}
        }),
    );
    let out = analyze(&spec, true);
    let _ = std::fs::remove_file(&spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stages_line(&out);
    let stages = line["stages"].as_object().expect("stages object");
    for want in [
        "analysis/cox/ph_test",
        "analysis/propensity",
        "analysis/adjusted",
        "analysis/adjusted/sort",
    ] {
        assert!(
            stages.contains_key(want),
            "stage {want} missing from {:?}",
            stages.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        !stages.contains_key("analysis/km"),
        "no stage for a section not asked for"
    );
}

#[test]
fn timings_are_only_an_analyze_option() {
    let (_, spec) = demo();
    let out = Command::new(env!("CARGO_BIN_EXE_survlens"))
        .args(["rscript", "--timings", "--spec"])
        .arg(&spec)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
