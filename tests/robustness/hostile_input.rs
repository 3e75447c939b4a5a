//! The hostile-input catalogue (issue 8): malformed or absurd files and specs, each run
//! through the library (`Analysis`) and the CLI. Every case ends in either a Report
//! or a typed error whose one-line message says what is wrong, where (column, line) and
//! what to do; limits (README "Limits", `survlens::limits`) are typed errors. Error
//! messages stay short even when the offending value is 10 MB.
//! (More cases: tests/cli/cli_errors.rs, tests/ingest/ingest_errors.rs.)

use crate::hostile_support;
use hostile_support::{case, err, run_all, Case, Expect};

const SPEC: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "km": {}, "logrank": {}}"#;
const DATES: &str = r#"{"time": {"start": "s", "end": "e"}, "event": {"column": "d"}, "km": {}}"#;
const BASE: &str = "t,d,g\n1,1,A\n2,0,B\n3,1,A\n4,1,B\n";

fn with_spec(extra: &str) -> String {
    format!(
        r#"{{"time": {{"column": "t"}}, "event": {{"column": "d"}}, "group": {{"column": "g"}}, {extra}}}"#
    )
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// A cohort of `n` rows whose column `c` has a different value on every row.
fn many_levels(n: usize) -> String {
    let mut s = String::from("t,d,g,c,x\n");
    for i in 0..n {
        s.push_str(&format!(
            "{},{},{},P{i},{}\n",
            1 + i % 50,
            i % 2,
            ["A", "B"][i % 2],
            i % 7
        ));
    }
    s
}

fn wide(columns: usize) -> String {
    let names: Vec<String> = (0..columns).map(|i| format!("v{i}")).collect();
    let mut s = format!("t,d,g,{}\n", names.join(","));
    let zeros = vec!["0"; columns].join(",");
    for (t, d, g) in [(1, 1, "A"), (2, 0, "B"), (3, 1, "A"), (4, 1, "B")] {
        s.push_str(&format!("{t},{d},{g},{zeros}\n"));
    }
    s
}

fn encodings() -> Vec<Case> {
    vec![
        case(
            "UTF-16 LE with BOM",
            utf16(BASE, false),
            SPEC,
            err("unsupported_encoding", &["UTF-16", "CSV UTF-8"]),
        ),
        case(
            "UTF-16 BE with BOM",
            utf16(BASE, true),
            SPEC,
            err("unsupported_encoding", &["UTF-16"]),
        ),
        case(
            "UTF-32 LE with BOM",
            [&[0xFF, 0xFE, 0, 0][..], b"t\0\0\0"].concat(),
            SPEC,
            err("unsupported_encoding", &["UTF-32"]),
        ),
        case(
            // Excel import reads real workbooks; a broken one says how to fix it.
            "broken Excel workbook (.xlsx)",
            &b"PK\x03\x04\x14\x00\x06\x00rest"[..],
            SPEC,
            err("bad_workbook", &["Excel", "CSV"]),
        ),
        case(
            "old Excel workbook (.xls)",
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..],
            SPEC,
            err("not_a_text_table", &[".xls"]),
        ),
        case(
            "PDF",
            &b"%PDF-1.7\n"[..],
            SPEC,
            err("not_a_text_table", &["PDF"]),
        ),
        case(
            "NUL byte on line 3",
            &b"t,d,g\n1,1,A\n2\x00,0,B\n"[..],
            SPEC,
            err("not_a_text_table", &["NUL", "line 3"]),
        ),
        case(
            "invalid UTF-8 bytes (Windows-1252)",
            &b"t,d,g\n1,1,caf\xe9\n2,0,B\n3,1,B\n"[..],
            SPEC,
            Expect::Report(&["encoding_fallback"]),
        ),
        case(
            "BOM only",
            &b"\xEF\xBB\xBF\n\n"[..],
            SPEC,
            err("empty_file", &["empty"]),
        ),
        case(
            "BOM and header only",
            &b"\xEF\xBB\xBFt,d,g\r\n"[..],
            SPEC,
            err("no_data_rows", &["no data rows"]),
        ),
    ]
}

fn structure() -> Vec<Case> {
    let giant = "9".repeat(10_000_000) + "x";
    vec![
        case(
            "only delimiters",
            ",,,\n,,,\n,,,\n",
            SPEC,
            err("empty_header", &["column 1", "line 1"]),
        ),
        case(
            "CRLF and CR mixed, error on line 5",
            "t,d,g\r\n1,1,A\r2,0,B\n\r\n3,x,A\r\n",
            SPEC,
            err("unknown_event_value", &["\"d\"", "line 5", "\"x\""]),
        ),
        case(
            "CRLF and CR mixed, valid",
            "t,d,g\r\n1,1,A\r2,0,B\n3,1,A\r\n4,0,B",
            SPEC,
            Expect::Report(&[]),
        ),
        case(
            "unterminated quote",
            "t,d,g\n1,1,A\n2,0,\"B\n3,1,A\n",
            SPEC,
            err("malformed_csv", &["line 3", "never closed"]),
        ),
        case(
            "10 MB cell in the time column",
            format!("t,d,g\n1,1,A\n{giant},0,B\n"),
            SPEC,
            err("not_numeric", &["\"t\"", "line 3", "10000001 characters"]),
        ),
        case(
            "10 MB cell in an unused column",
            format!("t,d,g,note\n1,1,A,{giant}\n2,0,B,\n3,1,B,x\n"),
            SPEC,
            Expect::Report(&[]),
        ),
        case(
            "10 MB duplicated header name",
            format!("{giant},d,{giant}\n1,1,1\n"),
            SPEC,
            err("duplicate_header", &["line 1", "characters"]),
        ),
        case("10,000 columns", wide(10_000), SPEC, Expect::Report(&[])),
        case(
            "20,000 columns (over the limit)",
            wide(20_000),
            SPEC,
            err("too_many_columns", &["20003", "16384", "line 1"]),
        ),
        case(
            "unknown column among 10,000",
            wide(10_000),
            SPEC.replace("\"g\"", "\"arm\""),
            err("unknown_column", &["\"arm\"", "and 9983 more"]),
        ),
        case(
            "control characters in a value",
            "t,d,g\n1,1,A\n2,\"x\ry\",B\n",
            SPEC,
            err("unknown_event_value", &["line 3", "x\\ry"]),
        ),
        case(
            "group is a patient identifier (100,000 values)",
            many_levels(100_000),
            SPEC.replace("\"g\"", "\"c\""),
            err(
                "too_many_levels",
                &["\"c\"", "100000", "100", "comparison of groups"],
            ),
        ),
        case(
            "categorical with 100,000 levels in Cox",
            many_levels(100_000),
            with_spec(r#""covariates": [{"column": "c", "type": "categorical"}], "cox": {}"#),
            err("too_many_levels", &["\"c\"", "Cox model", "1000"]),
        ),
        case(
            "categorical with 100,000 levels in propensity",
            many_levels(100_000),
            with_spec(
                r#""covariates": [{"column": "x"}], "propensity": {"covariates": ["x", "c"]}"#,
            ),
            err("too_many_levels", &["\"c\"", "propensity model"]),
        ),
        case(
            "categorical with 100,000 levels, KM only",
            many_levels(100_000),
            with_spec(r#""covariates": [{"column": "c", "type": "categorical"}], "km": {}"#),
            Expect::Report(&[]),
        ),
        case(
            "year 0",
            "s,e,d\n0000-01-01,2020-01-01,1\n",
            DATES,
            err("impossible_date", &["\"s\"", "line 2"]),
        ),
        case(
            "year 99999",
            "s,e,d\n2020-01-01,99999-01-01,1\n",
            DATES,
            err("bad_date", &["\"e\"", "line 2"]),
        ),
        case(
            "treatment times within the near-tie tolerance of entry and exit",
            "t,d,g,u\n10,1,A,NA\n20,1,B,1e-300\n30,0,B,5\n15,1,A,NA\n25,1,B,24.9999999999\n12,0,B,3\n",
            r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g", "reference": "A"}, "treatment_time": {"column": "u"}, "time_dependent": {}, "landmark": {"times": [1, 4]}, "km": {}}"#,
            Expect::Report(&[]),
        ),
        case(
            "huge and tiny times",
            "t,d,g\n1e300,1,A\n1e-320,0,B\n0,1,A\n5,1,B\n",
            SPEC,
            Expect::Report(&[]),
        ),
    ]
}

fn specs() -> Vec<Case> {
    let many_times = format!(
        "\"km\": {{\"times\": [{}]}}",
        vec!["1"; 1_000_000].join(",")
    );
    let nested = with_spec(&format!(
        "\"landmark\": {}{}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    ));
    vec![
        case(
            "spec: wrong type (times as text)",
            BASE,
            with_spec(r#""km": {"times": "12"}"#),
            err("spec_json", &["line 1", "sequence"]),
        ),
        case(
            "spec: wrong type (column as number)",
            BASE,
            r#"{"time": {"column": 5}, "event": {"column": "d"}}"#,
            err("spec_json", &["string"]),
        ),
        case(
            "spec: unknown top-level key",
            BASE,
            with_spec(r#""kmm": {}"#),
            err("spec_json", &["kmm"]),
        ),
        case("spec: empty text", BASE, "", err("spec_json", &["spec"])),
        case("spec: an array", BASE, "[]", err("spec_json", &["spec"])),
        case(
            "spec: nested 10,000 deep",
            BASE,
            nested,
            err("spec_json", &["spec line 1"]),
        ),
        case(
            "spec: a million bootstrap replicates",
            BASE,
            with_spec(
                r#""covariates": [], "propensity": {}, "adjusted": {"bootstrap": {"replicates": 1000000}}"#,
            ),
            err("spec_invalid", &["adjusted.bootstrap.replicates", "100000"]),
        ),
        case(
            "spec: a thousand imputed sets",
            BASE,
            with_spec(r#""covariates": [], "imputation": {"m": 1000}"#),
            err("spec_invalid", &["imputation.m", "500"]),
        ),
        case(
            "spec: a million imputation cycles",
            BASE,
            with_spec(r#""covariates": [], "imputation": {"iterations": 1000000}"#),
            err("spec_invalid", &["imputation.iterations", "1000"]),
        ),
        case(
            "spec: imputed sets and imputation settings at once",
            BASE,
            with_spec(r#""covariates": [], "imputation": {"imputed": ".imp", "m": 5}"#),
            err("spec_invalid", &["imputation", "imputed"]),
        ),
        case(
            "spec: 1:1000 matching",
            BASE,
            with_spec(r#""covariates": [{"column": "t"}], "matching": {"ratio": 1000}"#),
            err("spec_invalid", &["matching.ratio", "100"]),
        ),
        case(
            "spec: emulation without a treatment time",
            BASE,
            with_spec(r#""emulation": {"grace": 6}"#),
            err("spec_invalid", &["emulation", "treatment time"]),
        ),
        case(
            "spec: a negative grace period",
            BASE,
            with_spec(r#""treatment_time": {"column": "t"}, "emulation": {"grace": -1}"#),
            err("spec_invalid", &["emulation.grace"]),
        ),
        case(
            "spec: a million emulation bootstrap replicates",
            BASE,
            with_spec(
                r#""treatment_time": {"column": "t"}, "emulation": {"grace": 6, "bootstrap": {"replicates": 1000000}}"#,
            ),
            err(
                "spec_invalid",
                &["emulation.bootstrap.replicates", "100000"],
            ),
        ),
        case(
            "spec: a negative caliper",
            BASE,
            with_spec(r#""covariates": [{"column": "t"}], "matching": {"caliper": -0.2}"#),
            err("spec_invalid", &["matching.caliper"]),
        ),
        case(
            "spec: zero bootstrap replicates",
            BASE,
            with_spec(r#""propensity": {}, "adjusted": {"bootstrap": {"replicates": 0}}"#),
            err("spec_invalid", &["adjusted.bootstrap.replicates"]),
        ),
        case(
            "spec: a million km.times",
            BASE,
            with_spec(&many_times),
            err("spec_invalid", &["km.times", "1000000", "1000"]),
        ),
        case(
            "spec: conf_level 1",
            BASE,
            with_spec(r#""km": {"conf_level": 1}"#),
            err("spec_invalid", &["km.conf_level"]),
        ),
        case(
            "spec: tau 1e308",
            BASE,
            with_spec(r#""km": {}, "rmst": {"tau": 1e308}"#),
            Expect::Report(&[]),
        ),
        case(
            "spec: tau 1e309 (not a double)",
            BASE,
            with_spec(r#""rmst": {"tau": 1e309}"#),
            err("spec_json", &["number"]),
        ),
        case(
            "spec: km.times 1e308",
            BASE,
            with_spec(r#""km": {"times": [1e308]}"#),
            Expect::Report(&[]),
        ),
        case(
            "spec: negative rho",
            BASE,
            with_spec(r#""logrank": {"rho": -1}"#),
            err("spec_invalid", &["logrank.rho"]),
        ),
        case(
            "spec: adjusted without propensity",
            BASE,
            with_spec(r#""adjusted": {}"#),
            err("spec_invalid", &["adjusted", "propensity"]),
        ),
        case(
            "spec: propensity with one group",
            "t,d,g\n1,1,A\n2,0,A\n",
            with_spec(r#""propensity": {}"#),
            err("spec_invalid", &["propensity", "two groups"]),
        ),
        case(
            "spec: unit with a duration column",
            BASE,
            r#"{"time": {"column": "t", "unit": "days"}, "event": {"column": "d"}}"#,
            err("spec_invalid", &["time", "unit"]),
        ),
        case(
            "every event value missing",
            "t,d,g\n1,NA,A\n2,,B\n",
            SPEC,
            err("no_usable_rows", &["2 rows", "missing"]),
        ),
    ]
}

pub(crate) fn catalogue() -> Vec<Case> {
    [encodings(), structure(), specs()]
        .into_iter()
        .flatten()
        .collect()
}

#[test]
fn hostile_inputs_end_in_a_report_or_a_located_actionable_error() {
    let cases = catalogue();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    run_all(&cases, "hostile");
}

#[test]
fn limits_are_the_documented_numbers() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let section = readme
        .split("## Limits")
        .nth(1)
        .expect("README has a Limits section");
    for n in [
        survlens::limits::MAX_COLUMNS,
        survlens::limits::MAX_GROUPS,
        survlens::limits::MAX_MODEL_LEVELS,
        survlens::limits::MAX_MODEL_COEFFICIENTS,
        survlens::limits::MAX_BOOTSTRAP_REPLICATES,
        survlens::limits::MAX_KM_TIMES,
        survlens::limits::MAX_LANDMARK_TIMES,
        survlens::limits::MAX_SUBGROUP_LEVELS,
        survlens::limits::MAX_IMPUTED_SETS,
        survlens::limits::MAX_IMPUTATION_ITERATIONS,
        survlens::limits::MAX_MATCHING_RATIO,
    ] {
        let shown = n.to_string();
        assert!(
            section.contains(&shown),
            "README Limits does not state {shown}"
        );
    }
}

#[test]
fn the_page_file_limit_is_the_rust_constant() {
    let js = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/www/ui/limits.js"))
        .expect("www/ui/limits.js");
    assert_eq!(survlens::limits::MAX_PAGE_FILE_BYTES, 1 << 30);
    assert!(
        js.contains("export const MAX_FILE_BYTES = 2 ** 30;"),
        "www/ui/limits.js and survlens::limits::MAX_PAGE_FILE_BYTES disagree"
    );
}
