//! The reproducible report page: every section, figures as inline SVG, escaped text,
//! only the citations used, the data and spec fingerprints, no patient-level data unless
//! asked; and the CLI's `report` and `rscript` commands.

use std::path::PathBuf;
use std::process::Command;
use survlens::report_html::{analyze_to_html, protocol_text, sha256_hex, ReportOptions};

fn demo() -> (Vec<u8>, String) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let data = std::fs::read(dir.join("gist_liver_mets_demo.csv")).unwrap();
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo_spec.json")).unwrap())
            .unwrap();
    spec["cox"] = serde_json::json!({"ph_test": {}});
    spec["table1"] = serde_json::json!({});
    (data, spec.to_string())
}

fn opts() -> ReportOptions {
    ReportOptions {
        data_name: "gist_liver_mets_demo.csv".into(),
        ..Default::default()
    }
}

#[test]
fn sha256_known_answers() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn demo_report_has_every_section_and_its_fingerprints() {
    let (data, spec) = demo();
    let html = analyze_to_html(&data, &spec, &opts()).unwrap();
    for id in [
        "methods",
        "results",
        "figures",
        "tables",
        "warnings",
        "strobe",
        "references",
        "provenance",
        "spec",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing"
        );
    }
    for table in [
        "groups",
        "km",
        "at_times",
        "logrank",
        "pairwise",
        "rmst",
        "rmst_difference",
        "cox",
        "cox_tests",
        "ph_test",
        "table1",
    ] {
        assert!(
            html.contains(&format!("<table id=\"{table}\">")),
            "table {table} missing"
        );
    }
    assert!(
        html.contains("<figure id=\"figure-km\">\n<svg"),
        "the KM figure is inline SVG"
    );
    assert!(!html.contains("<?xml"), "no XML declaration inside HTML");
    assert!(!html.contains("<script"), "the report runs no script");
    assert!(html.contains(&sha256_hex(&data)), "the data file's SHA-256");
    let parsed = survlens::Spec::from_json(&spec).unwrap();
    assert!(
        html.contains(&sha256_hex(protocol_text(&parsed).as_bytes())),
        "the spec's SHA-256"
    );
    // Every row is in the data; the Cox model states the 10 rows it left out for a
    // missing covariate (counted in the file: ecog 1, kit_exon 3, mitotic_index 4,
    // tumour_size_cm 2; no row misses two), in its caption and a results sentence.
    assert!(html.contains("238 of 238 rows used"));
    assert!(html.contains(
        "(n = 228, 47 events; 10 left out for a missing covariate: ecog 1, kit_exon 3, mitotic_index 4, tumour_size_cm 2)"
    ));
    assert!(
        html.contains("The Cox proportional hazards model used 228 of the 238 patients analysed")
    );
    assert!(html.contains(&format!("SurvLens {}", survlens::VERSION)));
    // Citations: the methods used, and only those.
    for used in [
        "Kaplan EL",
        "Greenwood M",
        "Mantel N",
        "Cox DR",
        "Efron B",
        "Grambsch PM",
        "Royston P",
        "Holm S",
    ] {
        assert!(html.contains(used), "{used} should be cited");
    }
    for unused in ["Li F, Li F", "Austin PC", "VanderWeele TJ", "Benjamini Y"] {
        assert!(
            !html.contains(unused),
            "{unused} is not used by this analysis"
        );
    }
    // Results paragraph numbers come from the Report.
    let report = survlens::Analysis::from_json(&spec).run(&data).unwrap();
    let lr = match &report.logrank {
        survlens::analysis::report::Skip::Value(v) => v.chisq,
        _ => panic!("log-rank expected"),
    };
    assert!(html.contains(&format!("chi-square = {lr:.2} on 2 df")));
}

#[test]
fn no_patient_level_data_unless_asked() {
    let (data, spec) = demo();
    // Two of the three groups: the third group's rows are left out (other_group).
    let mut spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    spec["group"]["levels"] = serde_json::json!(["IM", "IM+HR"]);
    let spec = spec.to_string();
    let report = survlens::Analysis::from_json(&spec).run(&data).unwrap();
    let first_line = report
        .data
        .excluded
        .first()
        .expect("the demo leaves rows out")
        .line;
    let html = analyze_to_html(&data, &spec, &opts()).unwrap();
    assert!(!html.contains("id=\"excluded-rows\""));
    assert!(!html.contains("GL0001"), "no patient identifiers");
    let asked = ReportOptions {
        include_patient_data: true,
        ..opts()
    };
    let html = analyze_to_html(&data, &spec, &asked).unwrap();
    assert!(html.contains("id=\"excluded-rows\""));
    assert!(html.contains(&format!("<td>{first_line}</td>")));
}

#[test]
fn data_strings_are_escaped() {
    let csv = "time,status,arm\n1,1,<img src=x onerror=alert(1)>\n2,0,<img src=x onerror=alert(1)>\n3,1,\"A&B\"\n4,1,\"A&B\"\n";
    let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
                   "group": {"column": "arm"}, "km": {}, "logrank": {}}"#;
    let o = ReportOptions {
        data_name: "<b>file</b>.csv".into(),
        ..Default::default()
    };
    let html = analyze_to_html(csv.as_bytes(), spec, &o).unwrap();
    assert!(!html.contains("<img"), "a group label is text");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("A&amp;B"));
    assert!(!html.contains("<b>file"));
}

fn survlens() -> Command {
    Command::new(env!("CARGO_BIN_EXE_survlens"))
}

#[test]
fn cli_report_and_rscript() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let tmp = std::env::temp_dir().join(format!("survlens-cli-report-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("report.html");
    let st = survlens()
        .args(["report"])
        .arg(dir.join("gist_liver_mets_demo.csv"))
        .arg("--spec")
        .arg(dir.join("demo_spec.json"))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(st.success());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("gist_liver_mets_demo.csv"));
    assert!(
        !html.contains(dir.to_str().unwrap()),
        "the report never shows the user's folders"
    );
    let r = survlens()
        .args(["rscript", "--spec"])
        .arg(dir.join("demo_spec.json"))
        .args(["--data-name", "my data.csv"])
        .output()
        .unwrap();
    assert!(r.status.success());
    let script = String::from_utf8(r.stdout).unwrap();
    assert!(script.contains("library(survival)"));
    assert!(script.contains("\"my data.csv\""));
    // A bad spec: exit 2 with an error line.
    let bad = tmp.join("bad.json");
    std::fs::write(&bad, "{\"time\": {}}").unwrap();
    let r = survlens()
        .args(["rscript", "--spec"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).starts_with("error: "));
    let _ = std::fs::remove_dir_all(&tmp);
}

/// A survival time past a group's follow-up is written in words, never as numbers, in
/// both languages (A's last time is 5, B's 6; the times asked are 1 and 5.5).
#[test]
fn times_past_follow_up_are_words_in_both_languages() {
    let csv = "time,status,arm\n1,1,A\n2,0,A\n3,1,B\n4,1,B\n5,0,A\n6,1,B\n";
    let spec = r#"{"time": {"column": "time"}, "event": {"column": "status"},
                   "group": {"column": "arm", "reference": "A"}, "km": {"times": [1, 5.5]}}"#;
    let html = analyze_to_html(csv.as_bytes(), spec, &ReportOptions::default()).unwrap();
    assert!(
        html.contains(
            "<td>A</td><td>5.5</td><td>0</td><td>beyond follow-up</td><td>beyond follow-up</td>"
        ),
        "{html}"
    );
    assert!(html.contains("not estimated in A, whose follow-up ends earlier"));
    // B is still followed at 5.5: one at risk (time 6), S = 2/3 × 1/2 (deaths at 3, 4).
    assert!(html.contains("<td>B</td><td>5.5</td><td>1</td><td>0.333</td>"));
    let zh = ReportOptions {
        lang: survlens::report_html::Lang::Zh,
        ..Default::default()
    };
    let html = analyze_to_html(csv.as_bytes(), spec, &zh).unwrap();
    assert!(html.contains("超出随访期"));
    assert!(html.contains("A的随访在此之前已结束，未作估计"));
}
