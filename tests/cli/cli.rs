//! The CLI's success path: exit 0, the results JSON on stdout or in `--out`, identical to
//! the library's Report; usage errors exit 2.

use std::path::Path;
use std::process::Command;

fn demo() -> (std::path::PathBuf, std::path::PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (
        root.join("www/demo/gist_liver_mets_demo.csv"),
        root.join("www/demo/demo_spec.json"),
    )
}

fn survlens() -> Command {
    Command::new(env!("CARGO_BIN_EXE_survlens"))
}

#[test]
fn demo_cohort_prints_the_report_of_the_library() {
    let (data, spec) = demo();
    let out = survlens()
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let report = survlens::Analysis::from_json(&std::fs::read_to_string(&spec).expect("demo spec"))
        .run(std::fs::read(&data).expect("demo csv"))
        .expect("demo analyses");
    let expected = serde_json::to_string_pretty(&report).expect("serializes") + "\n";
    assert!(
        String::from_utf8_lossy(&out.stdout) == expected,
        "CLI bytes differ from the library's Report"
    );
    assert_eq!(printed["version"], 1);
    assert_eq!(printed["groups"].as_array().map(Vec::len), Some(3));
    assert_eq!(printed["km"]["curves"].as_array().map(Vec::len), Some(3));
}

#[test]
fn out_writes_the_same_bytes_as_stdout() {
    let (data, spec) = demo();
    let target = std::env::temp_dir().join(format!("survlens-cli-out-{}.json", std::process::id()));
    let status = survlens()
        .args(["analyze"])
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&target)
        .status()
        .expect("run");
    assert!(status.success());
    let stdout = survlens()
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run")
        .stdout;
    let written = std::fs::read(&target).expect("--out file");
    let _ = std::fs::remove_file(&target);
    assert_eq!(written, stdout);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["analyse"],
        vec!["analyze", "x.csv"],
        vec!["analyze", "--spec", "s.json"],
    ] {
        let out = survlens().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "args {args:?}");
    }
    let (_, spec) = demo();
    let out = survlens()
        .arg("analyze")
        .arg("/nonexistent/file.csv")
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: cannot read the data file"));
}

#[test]
fn version_prints_the_crate_version() {
    let out = survlens().arg("--version").output().expect("run");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("survlens {}", env!("CARGO_PKG_VERSION"))
    );
}

/// `survlens guess DATA`: the library's suggested mapping as pretty JSON, whose spec
/// runs as it is through `survlens analyze`; errors exit 2 with `error:` lines.
#[test]
fn guess_prints_the_suggested_mapping_and_its_spec_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("tests/guess_corpus/colon_hospital.csv");
    let out = survlens().arg("guess").arg(&data).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&data).expect("corpus csv");
    let g = survlens::ingest::guess::suggest_mapping_bytes(&bytes, None).expect("guesses");
    let expected = serde_json::to_string_pretty(&g).expect("serializes") + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(printed["confidence"]["time"], "high");
    assert_eq!(printed["spec"]["time"]["start"], "Diagnosis_Date");
    assert_eq!(printed["spec"]["event"]["values"][0], "Dead");
    let spec = std::env::temp_dir().join(format!("survlens-guess-{}.json", std::process::id()));
    std::fs::write(&spec, printed["spec"].to_string()).expect("write spec");
    let run = survlens()
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run");
    let _ = std::fs::remove_file(&spec);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("results");
    assert_eq!(report["km"]["curves"].as_array().map(Vec::len), Some(3));

    let missing = survlens()
        .args(["guess", "no-such-file.csv"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).starts_with("error: cannot read the data file")
    );
    let sheet = survlens()
        .arg("guess")
        .arg(root.join("tests/guess_corpus/colon_hospital.xlsx"))
        .args(["--sheet", "nope"])
        .output()
        .expect("run");
    assert_eq!(sheet.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sheet.stderr).contains("nope"));
    let help = survlens().arg("--help").output().expect("run");
    assert!(String::from_utf8_lossy(&help.stdout).contains("survlens guess DATA"));
}

#[test]
fn analyze_carries_the_matching_section() {
    // The three-arm matching fixture: the CLI prints the library's Report, with one
    // matched comparison per non-reference group.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/match_colon_three_arms");
    let (data, spec) = (dir.join("data.csv"), dir.join("spec.json"));
    let out = survlens()
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = survlens::Analysis::from_json(&std::fs::read_to_string(&spec).expect("spec"))
        .run(std::fs::read(&data).expect("data"))
        .expect("analysis");
    let expected = serde_json::to_string_pretty(&report).expect("serializes") + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let m = printed["matching"].as_array().expect("matching");
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0]["a"].as_str(), m[1]["a"].as_str()),
        (Some("Lev"), Some("Lev+5FU"))
    );
    assert!(m
        .iter()
        .all(|c| c["b"] == "Obs" && !c["pairs"].as_array().expect("pairs").is_empty()));
}

#[test]
fn analyze_carries_the_emulation_section() {
    // The demo's emulation fixture: the CLI prints the library's Report with the
    // clone–censor–weight section.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/emu_demo_gist");
    let (data, spec) = (dir.join("data.csv"), dir.join("spec.json"));
    let out = survlens()
        .arg("analyze")
        .arg(&data)
        .arg("--spec")
        .arg(&spec)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = survlens::Analysis::from_json(&std::fs::read_to_string(&spec).expect("spec"))
        .run(std::fs::read(&data).expect("data"))
        .expect("analysis");
    let expected = serde_json::to_string_pretty(&report).expect("serializes") + "\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let e = &printed["emulation"];
    assert_eq!(e["grace"], 6.0);
    let arms: Vec<&str> = e["curves"]
        .as_array()
        .expect("curves")
        .iter()
        .filter_map(|c| c["arm"].as_str())
        .collect();
    assert_eq!(arms, ["treat", "control"]);
    assert_eq!(e["n_clones"], 2 * e["n_patients"].as_u64().expect("n"));
}
