//! Excel import: an `.xlsx` copy of the demo cohort (tests/xlsx/make_xlsx.py) gives the
//! same Report as its CSV; a named sheet; Excel date serials (1900 leap-year bug) and
//! errors naming the sheet row; the CLI's `--sheet`.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_spec(sheet: Option<&str>) -> String {
    let text = std::fs::read_to_string(root().join("www/demo/demo_spec.json")).unwrap();
    let mut spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    spec["cox"] = serde_json::json!({});
    spec["table1"] = serde_json::json!({});
    if let Some(s) = sheet {
        spec["sheet"] = serde_json::Value::String(s.into());
    }
    spec.to_string()
}

fn report(data: &[u8], spec: &str) -> serde_json::Value {
    let mut r =
        serde_json::to_value(survlens::Analysis::from_json(spec).run(data).unwrap()).unwrap();
    // The echoed spec differs only by the sheet key.
    r["spec"].as_object_mut().unwrap().remove("sheet");
    r
}

#[test]
fn xlsx_copy_of_the_demo_gives_the_same_report_as_its_csv() {
    let csv = std::fs::read(root().join("www/demo/gist_liver_mets_demo.csv")).unwrap();
    let xlsx = std::fs::read(root().join("tests/xlsx/demo.xlsx")).unwrap();
    let from_csv = report(&csv, &demo_spec(None));
    let from_xlsx = report(&xlsx, &demo_spec(None));
    assert!(
        from_csv["cox"]["missing_covariates"]["n"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "the demo's Cox model leaves rows out for a missing covariate, whose counts are compared"
    );
    assert_eq!(from_csv, from_xlsx);
}

/// Every section of the demo analysis (propensity, weights, weighted analyses with a
/// seeded bootstrap, E-values, immortal-time analyses) gives the same Report and the
/// same report page (but for the data file's SHA-256) from the .xlsx copy.
#[test]
fn xlsx_copy_gives_the_same_full_report_and_page() {
    let csv = std::fs::read(root().join("www/demo/gist_liver_mets_demo.csv")).unwrap();
    let xlsx = std::fs::read(root().join("tests/xlsx/demo.xlsx")).unwrap();
    let mut spec: serde_json::Value = serde_json::from_str(&demo_spec(None)).unwrap();
    spec["propensity"] = serde_json::json!({});
    spec["adjusted"] = serde_json::json!({"bootstrap": {"replicates": 10, "seed": 3}});
    spec["sensitivity"] = serde_json::json!({});
    let spec = spec.to_string();
    let from_csv = report(&csv, &spec);
    assert!(from_csv["adjusted"]["bootstrap"].is_object());
    assert!(from_csv["time_dependent"].is_object());
    assert_eq!(from_csv, report(&xlsx, &spec));
    let opts = survlens::report_html::ReportOptions {
        data_name: "demo".into(),
        ..Default::default()
    };
    let page = |data: &[u8]| {
        let html = survlens::report_html::analyze_to_html(data, &spec, &opts).unwrap();
        html.replace(&survlens::report_html::sha256_hex(data), "SHA")
    };
    assert_eq!(page(&csv), page(&xlsx));
}

#[test]
fn a_named_sheet_is_read() {
    let csv = std::fs::read_to_string(root().join("www/demo/gist_liver_mets_demo.csv")).unwrap();
    let first_100: String = csv.lines().take(101).map(|l| format!("{l}\n")).collect();
    let xlsx = std::fs::read(root().join("tests/xlsx/demo.xlsx")).unwrap();
    let from_xlsx = report(&xlsx, &demo_spec(Some("first_100")));
    assert_eq!(from_xlsx["data"]["n_rows"], 100);
    assert_eq!(report(first_100.as_bytes(), &demo_spec(None)), from_xlsx);
    let err = survlens::Analysis::from_json(&demo_spec(Some("nope")))
        .run(&xlsx)
        .unwrap_err();
    assert_eq!(err.kind(), "unknown_sheet");
    assert!(err.to_string().contains("cohort, first_100"), "{err}");
}

#[test]
fn excel_leap_year_bug_date_is_an_impossible_date_on_its_sheet_row() {
    let xlsx = std::fs::read(root().join("tests/xlsx/edges.xlsx")).unwrap();
    let spec = r#"{"time": {"start": "start", "end": "end", "unit": "days"}, "event": {"column": "status"}, "km": {}}"#;
    let err = survlens::Analysis::from_json(spec).run(&xlsx).unwrap_err();
    assert_eq!(err.kind(), "impossible_date", "{err}");
    assert!(err.to_string().contains("line 4"), "{err}");
    assert!(err.to_string().contains("1900-02-29"), "{err}");
}

#[test]
fn a_table_away_from_a1_keeps_sheet_row_numbers() {
    let xlsx = std::fs::read(root().join("tests/xlsx/edges.xlsx")).unwrap();
    let spec = r#"{"sheet": "shifted", "time": {"column": "time"}, "event": {"column": "status"}, "km": {}}"#;
    let err = survlens::Analysis::from_json(spec).run(&xlsx).unwrap_err();
    // Header on sheet row 3, "abc" on row 6.
    assert_eq!(err.kind(), "not_numeric", "{err}");
    assert!(err.to_string().contains("line 6"), "{err}");
}

#[test]
fn cli_reads_xlsx_and_its_sheet_flag() {
    let spec = std::env::temp_dir().join(format!("survlens-xlsx-spec-{}.json", std::process::id()));
    std::fs::write(&spec, demo_spec(None)).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_survlens"))
            .arg("analyze")
            .arg(root().join("tests/xlsx/demo.xlsx"))
            .arg("--spec")
            .arg(&spec)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--sheet", "first_100"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["data"]["n_rows"], 100);
    let out = run(&["--sheet", "missing sheet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: the workbook has no sheet"));
    let _ = std::fs::remove_file(&spec);
}
