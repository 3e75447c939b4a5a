//! The wasm API gives the native Report, byte for byte, on every R reference case.
//!
//! Run by scripts/test-web, which first writes the native CLI's results of each
//! `tests/reference/<case>/` to `target/wasm-api/<case>.json`, then:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test
//!  --target wasm32-unknown-unknown --no-default-features --features wasm,xlsx --test wasm_api`
//! (in node, which reads the files).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

#[wasm_bindgen(module = "fs")]
extern "C" {
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_bytes(path: &str) -> Result<js_sys::Uint8Array, JsValue>;
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_text(path: &str, encoding: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(js_name = readdirSync)]
    fn read_dir(path: &str) -> Vec<JsValue>;
}

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn cases() -> Vec<String> {
    let mut v: Vec<String> = read_dir(&format!("{ROOT}/tests/reference"))
        .into_iter()
        .filter_map(|x| x.as_string())
        .filter(|n| !n.contains('.'))
        // multi-site cases: one data file per site, pooled (tests/sites, the browser test)
        .filter(|n| !n.starts_with("sites_"))
        .collect();
    v.sort();
    v
}

#[wasm_bindgen_test]
fn wasm_report_equals_the_native_one_byte_for_byte() {
    let cases = cases();
    assert!(cases.len() >= 5, "reference cases not found");
    for case in cases {
        let dir = format!("{ROOT}/tests/reference/{case}");
        let data = read_bytes(&format!("{dir}/data.csv")).unwrap().to_vec();
        let spec = read_text(&format!("{dir}/spec.json"), "utf8").unwrap();
        let native = read_text(&format!("{ROOT}/target/wasm-api/{case}.json"), "utf8").unwrap_or_else(|_| {
            panic!("target/wasm-api/{case}.json missing: run scripts/test-web (it writes the native reports first)")
        });
        let wasm = survlens::wasm::analyze_json(&data, &spec)
            .map_err(|e| format!("{case}: {:?}", js_sys::JSON::stringify(&e)))
            .unwrap();
        assert!(
            wasm == native,
            "{case}: the wasm Report differs from the native one"
        );
        // The plain-object form is the same document.
        let object = survlens::wasm::analyze(&data, &spec).unwrap();
        let a = String::from(js_sys::JSON::stringify(&object).unwrap());
        let b =
            String::from(js_sys::JSON::stringify(&js_sys::JSON::parse(&native).unwrap()).unwrap());
        assert!(a == b, "{case}: analyze() object differs from the JSON");
    }
}

/// The page's language switch reads the Report object it holds as the core reads the
/// Report: `localize_messages` on the object gives the texts of `messages::localize` on
/// the typed Report (the proportional-hazards verdicts restored from the object are
/// the analysis's), on every reference case.
#[wasm_bindgen_test]
fn the_language_switch_reads_the_page_copy_as_the_report() {
    for case in cases() {
        let dir = format!("{ROOT}/tests/reference/{case}");
        let data = read_bytes(&format!("{dir}/data.csv")).unwrap().to_vec();
        let spec = read_text(&format!("{dir}/spec.json"), "utf8").unwrap();
        let Ok(report) = survlens::Analysis::from_json(&spec).run(&data) else {
            continue;
        };
        let object = survlens::wasm::analyze(&data, &spec).unwrap();
        let out = survlens::wasm::localize_messages(object, "zh").unwrap();
        let page: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
        let core = survlens::messages::localize(&report, survlens::messages::Lang::Zh);
        assert_eq!(page, serde_json::to_value(core).unwrap(), "{case}");
    }
}

/// The fuzz corpus (decoded natively by tests/robustness/fuzz_corpus.rs into target/wasm-api/fuzz)
/// and a seeded bootstrap and imputation on the demo cohort: the same Report bytes, or the same error
/// kind and message, as natively.
#[wasm_bindgen_test]
fn wasm_equals_native_on_the_fuzz_corpus_and_a_bootstrap() {
    let dir = format!("{ROOT}/target/wasm-api/fuzz");
    let mut names: Vec<String> = read_dir(&dir)
        .into_iter()
        .filter_map(|x| x.as_string())
        .filter_map(|n| n.strip_suffix(".out").map(str::to_string))
        .collect();
    names.sort();
    assert!(
        names.len() >= 10,
        "{dir}: run scripts/test-web (it writes the native outcomes first)"
    );
    for name in names {
        let data = read_bytes(&format!("{dir}/{name}.csv")).unwrap().to_vec();
        let spec = read_text(&format!("{dir}/{name}.spec.json"), "utf8").unwrap();
        let native = read_text(&format!("{dir}/{name}.out"), "utf8").unwrap();
        let wasm = match survlens::wasm::analyze_json(&data, &spec) {
            Ok(json) => json,
            Err(e) => {
                let get = |k: &str| {
                    js_sys::Reflect::get(&e, &k.into())
                        .unwrap()
                        .as_string()
                        .unwrap()
                };
                format!("error {}: {}", get("kind"), get("message"))
            }
        };
        assert!(wasm == native, "{name}: wasm and native differ");
    }
    for seeded in ["bootstrap.out", "imputation.out"] {
        assert!(read_dir(&dir)
            .iter()
            .any(|n| n.as_string().as_deref() == Some(seeded)));
    }
}

#[wasm_bindgen_test]
fn errors_are_objects_with_kind_and_message() {
    let spec = r#"{"time":{"column":"nope"},"event":{"column":"status"},"km":{}}"#;
    let err = survlens::wasm::analyze(b"time,status\n1,1\n", spec).unwrap_err();
    let kind = js_sys::Reflect::get(&err, &"kind".into())
        .unwrap()
        .as_string()
        .unwrap();
    let message = js_sys::Reflect::get(&err, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(kind, "unknown_column");
    assert!(message.contains("nope"));
}

#[wasm_bindgen_test]
fn errors_and_warnings_read_in_chinese() {
    let spec = r#"{"time":{"column":"nope"},"event":{"column":"status"},"km":{}}"#;
    let err = survlens::wasm::analyze(b"time,status\n1,1\n", spec).unwrap_err();
    let messages = js_sys::Reflect::get(&err, &"messages".into()).unwrap();
    let zh = js_sys::Reflect::get(&messages, &"zh".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(zh.contains("文件中没有“nope”列"), "{zh}");
    // A report whose log-rank test has no events: its warning in Chinese.
    let spec = r#"{"time":{"column":"time"},"event":{"column":"status"},"group":{"column":"arm"},"km":{},"logrank":{}}"#;
    let report = survlens::wasm::analyze(b"time,status,arm\n1,0,A\n2,0,B\n3,0,A\n", spec).unwrap();
    let out = survlens::wasm::localize_messages(report, "zh").unwrap();
    let out: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
    let texts: Vec<&str> = out["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("没有患者发生事件")),
        "{out}"
    );
}

#[wasm_bindgen_test]
fn preview_detects_types_and_guesses() {
    let csv = b"os_months,status,arm,diag_date\n5.5,1,A,2020-01-31\n8,0,B,2020-02-01\n12,1,A,2021-03-04\n";
    let p = survlens::wasm::preview(csv, 2).unwrap();
    let json = String::from(js_sys::JSON::stringify(&p).unwrap());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["number", "number", "text", "date"]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert_eq!(v["suggested"]["spec"]["time"]["column"], "os_months");
    assert_eq!(v["suggested"]["time_unit"], "months");
    assert_eq!(v["suggested"]["spec"]["event"]["column"], "status");
    assert_eq!(v["suggested"]["spec"]["event"]["values"][0], "1");
    assert_eq!(v["suggested"]["spec"]["event"]["censored_values"][0], "0");
    assert_eq!(v["suggested"]["spec"]["group"]["column"], "arm");
    // Counts beside the values: status 1 on two rows, 0 on one.
    assert_eq!(v["columns"][1]["values"], serde_json::json!(["1", "0"]));
    assert_eq!(v["columns"][1]["counts"], serde_json::json!([2, 1]));
}

/// The preview's `suggested` is the CLI's `survlens guess` (the same core function),
/// on a Chinese export whose status is 死亡/存活; `suggest_times` answers the page.
#[wasm_bindgen_test]
fn preview_suggests_the_mapping_of_survlens_guess() {
    let bytes = read_bytes(&format!("{ROOT}/tests/guess_corpus/lung_zh.csv"))
        .unwrap()
        .to_vec();
    let p = survlens::wasm::preview(&bytes, 5).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&String::from(js_sys::JSON::stringify(&p).unwrap())).unwrap();
    let native = survlens::ingest::guess::suggest_mapping_bytes(&bytes, None).unwrap();
    // Both through JS's JSON (numbers as JS writes them: 90, not 90.0).
    let native = js_sys::JSON::parse(&serde_json::to_string(&native).unwrap()).unwrap();
    let native: serde_json::Value =
        serde_json::from_str(&String::from(js_sys::JSON::stringify(&native).unwrap())).unwrap();
    assert_eq!(v["suggested"], native);
    assert_eq!(v["suggested"]["spec"]["event"]["values"][0], "死亡");
    assert_eq!(v["suggested"]["time_unit"], "days");
    let spec = r#"{"time": {"column": "生存时间_天"}, "event": {"column": "结局"}}"#;
    let t = survlens::wasm::suggest_times(&bytes, spec).unwrap();
    let t: serde_json::Value =
        serde_json::from_str(&String::from(js_sys::JSON::stringify(&t).unwrap())).unwrap();
    assert_eq!(t["times"], serde_json::json!([90, 180, 365, 730]));
    assert_eq!(t["tau"], 730);
}

#[wasm_bindgen_test]
fn the_warm_up_analysis_runs_every_hot_section() {
    use survlens::wasm::warm;
    let csv = warm::cohort_csv(2_000);
    let report = survlens::analysis::Analysis::from_json(warm::SPEC)
        .run(csv.as_bytes())
        .unwrap();
    assert_eq!(report.data.n_used, 2_000);
    assert_eq!(report.groups.len(), 3);
    assert!(report.km.is_some() && report.propensity.is_some());
    let v = serde_json::to_value(&report).unwrap();
    assert!(v["logrank"]["chisq"].is_number());
    assert!(v["cox"]["concordance"]["estimate"].is_number());
    assert!(v["cox"]["ph_test"]["global"]["chisq"].is_number());
    assert!(v["adjusted"]["cox"]["terms"][0]["coef"].is_number());
    assert_eq!(survlens::wasm::warm_up(500).unwrap(), 500);
}

/// The page previews a workbook as its CSV (issue 7: the module with Excel import,
/// www/pkg-xlsx/, is what the worker uses for workbooks): same columns, same detected
/// types, same guesses for the mapping form.
#[wasm_bindgen_test]
fn a_workbook_previews_as_its_csv() {
    assert!(
        survlens::wasm::reads_workbooks(),
        "run with --features wasm,xlsx"
    );
    let view = |path: &str| {
        let bytes = read_bytes(&format!("{ROOT}/{path}")).unwrap().to_vec();
        assert_eq!(survlens::wasm::is_workbook(&bytes), path.ends_with(".xlsx"));
        let p = survlens::wasm::preview(&bytes, 5).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&String::from(js_sys::JSON::stringify(&p).unwrap())).unwrap();
        let kinds: Vec<serde_json::Value> = v["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| serde_json::json!([c["name"], c["kind"], c["date_format"]]))
            .collect();
        (v["headers"].clone(), kinds, v["suggested"].clone())
    };
    let csv = view("www/demo/gist_liver_mets_demo.csv");
    assert!(csv.0.as_array().is_some_and(|h| h.len() > 5));
    assert_eq!(view("tests/xlsx/demo.xlsx"), csv);
}
