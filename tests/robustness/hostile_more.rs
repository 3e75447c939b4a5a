//! More of the hostile-input catalogue (issue 8; harness in tests/hostile_support):
//! delayed entry under the near-tie rule, extreme and broken weights, degenerate
//! follow-up, spec oddities (duplicate keys, many landmarks, huge numbers).

use crate::hostile_support;
use hostile_support::{case, err, run_all, Case, Expect};

const ENTRY: &str = r#"{"time": {"entry": "a", "column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "covariates": [{"column": "x"}], "km": {}, "logrank": {}, "cox": {}}"#;
const WEIGHTED: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "weights": {"column": "w"}, "km": {}, "logrank": {}, "cox": {}}"#;
const SPEC: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"}, "group": {"column": "g"}, "km": {}, "logrank": {}, "cox": {}}"#;
const BASE: &str = "t,d,g\n1,1,A\n2,0,B\n3,1,A\n4,1,B\n";

fn with_spec(extra: &str) -> String {
    format!(
        r#"{{"time": {{"column": "t"}}, "event": {{"column": "d"}}, "group": {{"column": "g"}}, {extra}}}"#
    )
}

fn entry_cases() -> Vec<Case> {
    vec![
        case(
            "delayed entry: an exit within rounding of its entry",
            "a,t,d,g,x\n0,1e-300,1,A,1\n0,2,1,B,2\n1,3,1,A,3\n0,4,0,B,1\n0.5,5,1,B,2\n0,6,1,A,1\n",
            ENTRY,
            Expect::Report(&["entry_tied_to_exit"]),
        ),
        case(
            "delayed entry: every exit within rounding of its entry",
            "a,t,d,g,x\n0,1e-300,1,A,1\n3,3.0000000000001,1,B,2\n",
            ENTRY,
            err("no_usable_rows", &["2 rows", "time columns"]),
        ),
        case(
            "delayed entry: entry after exit on every row",
            "a,t,d,g,x\n5,1,1,A,1\n7,2,0,B,2\n",
            ENTRY,
            err("no_usable_rows", &["2 rows"]),
        ),
        case(
            "delayed entry: entry not a number",
            "a,t,d,g,x\n0,1,1,A,1\nsoon,2,0,B,2\n",
            ENTRY,
            err("not_numeric", &["\"a\"", "line 3"]),
        ),
    ]
}

fn weight_cases() -> Vec<Case> {
    vec![
        case(
            "weights: 1e300 and 1e-300",
            "t,d,g,w\n1,1,A,1e300\n2,0,B,1e-300\n3,1,A,1\n4,1,B,1e300\n5,1,A,1e-300\n6,0,B,2\n",
            WEIGHTED,
            Expect::Report(&[]),
        ),
        case(
            "weights: 1e400 (not a double)",
            "t,d,g,w\n1,1,A,1\n2,0,B,1e400\n",
            WEIGHTED,
            err("number_overflow", &["\"w\"", "line 3"]),
        ),
        case(
            "weights: zero on some rows",
            "t,d,g,w\n1,1,A,1\n2,0,B,0\n3,1,A,1\n4,1,B,1\n5,0,A,0\n6,1,B,2\n",
            WEIGHTED,
            Expect::Report(&[]),
        ),
        case(
            "weights: zero on every row",
            "t,d,g,w\n1,1,A,0\n2,0,B,0\n3,1,A,0\n4,1,B,0\n",
            WEIGHTED,
            Expect::Report(&[]),
        ),
    ]
}

fn follow_up_cases() -> Vec<Case> {
    let rows: String = (0..2_000)
        .map(|i| format!("0,{},{}\n", i % 2, ["A", "B"][i % 2]))
        .collect();
    vec![
        case(
            "every follow-up time 0",
            format!("t,d,g\n{rows}"),
            SPEC,
            Expect::Report(&[]),
        ),
        case("one row", "t,d,g\n5,1,A\n", SPEC, Expect::Report(&[])),
        case(
            "no event at all",
            "t,d,g\n1,0,A\n2,0,B\n3,0,A\n4,0,B\n",
            SPEC,
            Expect::Report(&[]),
        ),
        case(
            "a quoted cell spanning 100,000 lines",
            format!("t,d,g\n1,1,A\n2,0,\"{}\"\n", "B\n".repeat(100_000)),
            SPEC,
            Expect::Report(&[]),
        ),
    ]
}

fn spec_cases() -> Vec<Case> {
    let many_landmarks: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    vec![
        case(
            "spec: duplicate key",
            BASE,
            r#"{"time": {"column": "t"}, "time": {"column": "t"}, "event": {"column": "d"}}"#,
            err("spec_json", &["duplicate", "time"]),
        ),
        case(
            "spec: 100,000 landmark times",
            "t,d,g,u\n1,1,A,\n2,0,B,1\n3,1,A,\n4,1,B,0.5\n",
            with_spec(&format!(
                r#""treatment_time": {{"column": "u"}}, "landmark": {{"times": [{}]}}"#,
                many_landmarks.join(",")
            )),
            err("spec_invalid", &["landmark.times", "100000", "100"]),
        ),
        case(
            "spec: 5,000 covariates",
            BASE,
            with_spec(&format!(
                r#""covariates": [{}], "cox": {{}}"#,
                vec![r#"{"column": "t"}"#; 5_000].join(",")
            )),
            err("spec_invalid", &["covariates"]),
        ),
        case(
            "spec: a 1 MB column name",
            BASE,
            format!(
                r#"{{"time": {{"column": "{}"}}, "event": {{"column": "d"}}}}"#,
                "t".repeat(1_000_000)
            ),
            err(
                "unknown_column",
                &["1000000 characters", "check the spelling"],
            ),
        ),
    ]
}

pub(crate) fn catalogue() -> Vec<Case> {
    [
        entry_cases(),
        weight_cases(),
        follow_up_cases(),
        spec_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn more_hostile_inputs_end_in_a_report_or_a_located_actionable_error() {
    run_all(&catalogue(), "hostile-more");
}
