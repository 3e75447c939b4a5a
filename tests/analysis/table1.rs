//! The `table1` section: spec handling and edge cases that R reference fixtures do not
//! reach (no group, unknown keys and columns, row order). Agreement with R on real
//! data: `tests/reference/table1_*` (tests/r/make_reference_table1.R).

use serde_json::{json, Value};

fn run(csv: &str, spec: Value) -> Result<Value, String> {
    survlens::Analysis::from_json(&spec.to_string())
        .run(csv.as_bytes())
        .map(|r| serde_json::to_value(&r).unwrap_or(Value::Null))
        .map_err(|e| e.to_string())
}

const CSV: &str = "t,d,arm,age,sex,size\n\
1,1,A,50,F,2.5\n\
2,0,B,61,M,NA\n\
3,1,A,NA,M,3.0\n\
4,1,B,70,F,4.5\n\
,1,A,55,F,1.0\n\
5,0,B,66,M,2.0\n\
6,1,A,58,F,3.5\n";

fn base() -> Value {
    json!({"time": {"column": "t"}, "event": {"column": "d"},
           "group": {"column": "arm"},
           "covariates": [{"column": "age"}, {"column": "sex"}]})
}

#[test]
fn describes_rows_with_missing_covariates_but_not_missing_time() {
    let mut spec = base();
    spec["table1"] = json!({});
    let r = run(CSV, spec).expect("runs");
    // The data: the row without a time is left out; the row with NA age is not (a
    // missing covariate leaves a row out of its models only). Table 1 describes the same
    // six rows.
    assert_eq!(r["data"]["n_used"], 6);
    let t = &r["table1"];
    assert_eq!(
        t["groups"],
        json!([{"label": "A", "n": 3}, {"label": "B", "n": 3}])
    );
    let age = &t["rows"][0];
    assert_eq!(age["type"], "numeric");
    assert_eq!(age["by_group"][0]["n"], 2);
    assert_eq!(age["by_group"][0]["missing"], 1);
    assert_eq!(age["overall"]["missing"], 1);
    let sex = &t["rows"][1];
    assert_eq!(sex["type"], "categorical");
    // Reference: most frequent among the described rows (F: 3, M: 3 -> first seen, F).
    assert_eq!(sex["levels"][0]["level"], "F");
    // 2 x 2 with expected counts < 5: Fisher.
    assert_eq!(sex["test"]["method"], "fisher");
    // One SMD per level per pair.
    assert_eq!(sex["smd"].as_array().map(Vec::len), Some(2));
    assert!(r["warnings"]
        .as_array()
        .is_some_and(|w| w.iter().all(|x| x["context"]["section"] != "table1")));
}

#[test]
fn named_covariates_outside_the_spec_are_detected() {
    let mut spec = base();
    spec["table1"] = json!({"covariates": ["size", "sex"]});
    let r = run(CSV, spec).expect("runs");
    let rows = r["table1"]["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["covariate"], "size");
    assert_eq!(rows[0]["type"], "numeric");
    assert_eq!(rows[0]["by_group"][1]["missing"], 1);
}

#[test]
fn without_a_group_tests_and_smds_are_empty() {
    let mut spec = base();
    spec.as_object_mut().map(|o| o.remove("group"));
    spec["table1"] = json!({});
    let r = run(CSV, spec).expect("runs");
    let t = &r["table1"];
    assert_eq!(t["groups"], json!([{"label": "all", "n": 6}]));
    for row in t["rows"].as_array().cloned().unwrap_or_default() {
        assert!(row["test"].is_null());
        assert_eq!(row["smd"], json!([]));
        assert!(row["max_abs_smd"].is_null());
    }
    assert!(t["rows"][0]["test_nonparametric"].is_null());
}

#[test]
fn absent_when_not_asked() {
    let r = run(CSV, base()).expect("runs");
    assert!(r.get("table1").is_none());
}

#[test]
fn unknown_keys_and_columns_are_errors() {
    let mut spec = base();
    spec["table1"] = json!({"covariate": ["age"]});
    let e = run(CSV, spec).expect_err("unknown key");
    assert!(e.contains("covariate"), "{e}");
    let mut spec = base();
    spec["table1"] = json!({"covariates": ["Size"]});
    let e = run(CSV, spec).expect_err("unknown column");
    assert!(e.contains("Size"), "{e}");
}

#[test]
fn a_non_number_in_a_numeric_covariate_names_its_line() {
    let csv = "t,d,arm,age\n1,1,A,50\n2,0,B,old\n3,1,A,40\n";
    let mut spec = json!({"time": {"column": "t"}, "event": {"column": "d"},
                          "group": {"column": "arm"},
                          "covariates": [{"column": "age", "type": "numeric"}]});
    spec["table1"] = json!({});
    let e = run(csv, spec).expect_err("not numeric");
    assert!(e.contains("age") && e.contains('3'), "{e}");
}

#[test]
fn row_order_changes_nothing_but_level_order() {
    let mut spec = base();
    spec["table1"] = json!({"covariates": ["age", "size"]});
    let a = run(CSV, spec.clone()).expect("runs");
    let mut lines: Vec<&str> = CSV.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = format!("{header}\n{}\n", lines.join("\n"));
    spec["group"] = json!({"column": "arm", "levels": ["A", "B"]});
    let b = run(&reversed, spec).expect("runs");
    for (ra, rb) in a["table1"]["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(b["table1"]["rows"].as_array().into_iter().flatten())
    {
        for key in ["mean", "sd", "median", "q1", "q3"] {
            let (x, y) = (
                ra["overall"][key].as_f64().unwrap_or(f64::NAN),
                rb["overall"][key].as_f64().unwrap_or(f64::NAN),
            );
            assert!((x - y).abs() <= 1e-12 * x.abs(), "{key}: {x} vs {y}");
        }
        let (p, q) = (
            ra["test"]["p"].as_f64().unwrap_or(f64::NAN),
            rb["test"]["p"].as_f64().unwrap_or(f64::NAN),
        );
        assert!((p - q).abs() <= 1e-12, "{p} vs {q}");
    }
}

/// The Overall column's missing count of a categorical covariate (issue 16: the page
/// showed an empty cell for kit_exon). The demo cohort has 3 blank kit_exon cells
/// (`cut -d, -f14 | grep -c '^$'`), all in IM+HR per R's `table(is.na(kit_exon),
/// treatment)` in the fixture (tests/reference/table1_demo_gist, tests/r/make_reference_table1.R).
#[test]
fn a_categorical_row_counts_its_missing_overall() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/table1_demo_gist");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let expected: Value = serde_json::from_str(&read("expected.json")).unwrap_or(Value::Null);
    let spec: Value = serde_json::from_str(&read("spec.json")).unwrap_or(Value::Null);
    let r = run(&read("data.csv"), spec).expect("runs");
    let row = |t: &Value| {
        t["table1"]["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["covariate"] == "kit_exon").cloned())
            .unwrap_or(Value::Null)
    };
    let from_r: u64 = row(&expected)["missing"]
        .as_array()
        .map(|m| m.iter().filter_map(|g| g["n"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(from_r, 3);
    assert_eq!(row(&r)["type"], "categorical");
    assert_eq!(row(&r)["missing_overall"], from_r);
    // A covariate without missing values counts 0, not null.
    let sex = r["table1"]["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["covariate"] == "sex").cloned())
        .unwrap_or(Value::Null);
    assert_eq!(sex["missing_overall"], 0);
}
