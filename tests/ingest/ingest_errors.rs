//! Malformed input at the ingest level: every case checks the error kind and that the
//! message names the column (where one is at fault) and the file line (where one row
//! is at fault; header = line 1). Rules: docs/cli.md and docs/spec.md.

use survlens::ingest::{
    build_cohort, read_table, Cohort, ColumnMap, CovariateKind, CovariateMap, DateFormat, GroupMap,
    IngestError, TimeMap, TimeUnit,
};

use crate::support::base;

fn dates(format: DateFormat) -> ColumnMap {
    ColumnMap {
        time: TimeMap::Dates {
            start: "start".into(),
            end: "end".into(),
            unit: TimeUnit::Days,
            date_format: format,
        },
        ..base()
    }
}

fn group(reference: Option<&str>, levels: Option<&[&str]>) -> GroupMap {
    GroupMap {
        column: "arm".into(),
        reference: reference.map(String::from),
        recode: Default::default(),
        levels: levels.map(|l| l.iter().map(|s| s.to_string()).collect()),
    }
}

fn ingest(bytes: &[u8], map: &ColumnMap) -> Result<Cohort, IngestError> {
    build_cohort(&read_table(bytes)?, map)
}

/// Asserts kind, and that the message names `column` and `line` when given.
#[track_caller]
fn check(result: Result<Cohort, IngestError>, kind: &str, column: Option<&str>, line: Option<u64>) {
    let err = match result {
        Ok(c) => panic!("expected {kind}, got a cohort of {} rows", c.line.len()),
        Err(e) => e,
    };
    let msg = err.to_string();
    assert_eq!(err.kind(), kind, "{msg}");
    if let Some(c) = column {
        assert!(
            msg.contains(&format!("\"{c}\"")),
            "column {c} not named: {msg}"
        );
        assert_eq!(err.column(), Some(c));
    }
    if let Some(l) = line {
        assert!(
            msg.contains(&format!("line {l}")),
            "line {l} not named: {msg}"
        );
        assert_eq!(err.line(), Some(l));
    }
    assert!(msg.ends_with('.'), "a sentence: {msg}");
}

#[test]
fn ragged_row_names_line() {
    let r = ingest(b"time,status\n1,0\n2,1,7\n", &base());
    check(r, "ragged_row", None, Some(3));
}

#[test]
fn ragged_row_after_quoted_newline_counts_file_lines() {
    let csv = b"time,status,note\n1,0,\"two\nlines\"\n2,1,x\n3,1\n";
    check(ingest(csv, &base()), "ragged_row", None, Some(5));
}

#[test]
fn short_row_names_line() {
    check(
        ingest(b"time,status\n1,0\n2\n", &base()),
        "ragged_row",
        None,
        Some(3),
    );
}

#[test]
fn unknown_column_suggests_case_match() {
    let mut map = base();
    map.time = TimeMap::Duration {
        column: "Time".into(),
    };
    let e = ingest(b"time,status\n1,0\n", &map).unwrap_err();
    assert!(e.to_string().contains("did you mean \"time\""), "{e}");
    check(Err(e), "unknown_column", Some("Time"), None);
}

#[test]
fn unknown_column_lists_available() {
    let mut map = base();
    map.weights = Some("w".into());
    let e = ingest(b"time,status\n1,0\n", &map).unwrap_err();
    assert!(e.to_string().contains("time, status"), "{e}");
    check(Err(e), "unknown_column", Some("w"), None);
}

#[test]
fn auto_date_rejects_day_month_order() {
    let csv = b"start,end,status\n2020-01-01,2020-02-01,1\n01/03/2020,2020-04-01,0\n";
    let e = ingest(csv, &dates(DateFormat::Auto)).unwrap_err();
    assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    assert!(e.to_string().contains("date_format"), "{e}");
    check(Err(e), "bad_date", Some("start"), Some(3));
}

#[test]
fn impossible_date_in_start() {
    let csv = b"start,end,status\n31/02/2020,01/04/2020,1\n";
    let e = ingest(csv, &dates(DateFormat::DmySlash)).unwrap_err();
    assert!(e.to_string().contains("%d/%m/%Y"), "{e}");
    check(Err(e), "impossible_date", Some("start"), Some(2));
}

#[test]
fn impossible_date_in_end() {
    let csv = b"start,end,status\n2020-01-01,2021-02-29,1\n";
    check(
        ingest(csv, &dates(DateFormat::Ymd)),
        "impossible_date",
        Some("end"),
        Some(2),
    );
}

#[test]
fn dotted_date_in_slash_format() {
    let csv = b"start,end,status\n01/01/2020,01/02/2020,1\n1.2.2020,01/03/2020,0\n";
    check(
        ingest(csv, &dates(DateFormat::MdySlash)),
        "bad_date",
        Some("start"),
        Some(3),
    );
}

#[test]
fn non_numeric_time() {
    let e = ingest(b"time,status\n1,0\n12 months,1\n", &base()).unwrap_err();
    assert!(e.to_string().contains("\"12 months\""), "{e}");
    check(Err(e), "not_numeric", Some("time"), Some(3));
}

#[test]
fn overflowing_time() {
    check(
        ingest(b"time,status\n1e309,0\n", &base()),
        "number_overflow",
        Some("time"),
        Some(2),
    );
}

#[test]
fn infinity_text_is_not_a_number() {
    check(
        ingest(b"time,status\n1,0\n2,1\ninf,1\n", &base()),
        "not_numeric",
        Some("time"),
        Some(4),
    );
}

#[test]
fn nan_text_is_an_error_when_not_a_missing_token() {
    let mut map = base();
    map.missing = vec!["".into()];
    check(
        ingest(b"time,status\nNaN,0\n", &map),
        "not_numeric",
        Some("time"),
        Some(2),
    );
}

#[test]
fn decimal_comma_needs_semicolon_delimiter() {
    let csv = b"time,status\n\"1,5\",0\n";
    check(ingest(csv, &base()), "not_numeric", Some("time"), Some(2));
    let tsv = b"time\tstatus\n2\t1\n1,5\t0\n";
    check(ingest(tsv, &base()), "not_numeric", Some("time"), Some(3));
}

#[test]
fn unknown_detected_event_token() {
    let e = ingest(b"time,status\n1,dead\n2,alive\n3,lost\n", &base()).unwrap_err();
    assert!(e.to_string().contains("\"lost\""), "{e}");
    check(Err(e), "unknown_event_value", Some("status"), Some(4));
}

#[test]
fn zero_one_two_event_coding_is_refused() {
    let e = ingest(b"time,status\n1,1\n2,2\n3,0\n", &base()).unwrap_err();
    assert!(e.to_string().contains("\"0\""), "{e}");
    check(Err(e), "unknown_event_value", Some("status"), Some(4));
}

#[test]
fn both_codings_given_and_token_in_neither() {
    let mut map = base();
    map.event.values = Some(vec!["died".into()]);
    map.event.censored_values = Some(vec!["alive".into()]);
    let csv = b"time,status\n1,died\n2,alive\n3,transferred\n";
    check(
        ingest(csv, &map),
        "unknown_event_value",
        Some("status"),
        Some(4),
    );
}

#[test]
fn token_listed_as_both_event_and_censored() {
    let mut map = base();
    map.event.values = Some(vec!["1".into()]);
    map.event.censored_values = Some(vec!["0".into(), "1".into()]);
    check(
        ingest(b"time,status\n1,1\n", &map),
        "conflicting_event_values",
        Some("status"),
        None,
    );
}

#[test]
fn empty_file() {
    check(ingest(b"", &base()), "empty_file", None, None);
    // Each emptiness has its own words, in both languages: 0 bytes, or only blank lines.
    let zero = ingest(b"", &base()).unwrap_err();
    assert!(zero.to_string().contains("empty (0 bytes)"), "{zero}");
    assert!(zero.message_zh().contains("0 字节"));
    let blank = ingest(b"\n \n", &base()).unwrap_err();
    assert!(blank.to_string().contains("only blank lines"), "{blank}");
    assert!(!blank.to_string().contains("0 bytes"), "{blank}");
    check(
        ingest(b"\xEF\xBB\xBF\n\n  \n", &base()),
        "empty_file",
        None,
        None,
    );
}

#[test]
fn header_only() {
    check(
        ingest(b"time,status\n", &base()),
        "no_data_rows",
        None,
        None,
    );
    check(ingest(b"time,status", &base()), "no_data_rows", None, None);
}

#[test]
fn duplicate_header() {
    check(
        ingest(b"time,status,time\n1,0,2\n", &base()),
        "duplicate_header",
        Some("time"),
        Some(1),
    );
}

#[test]
fn empty_header_from_trailing_separator() {
    let e = ingest(b"time,status,\n1,0,\n", &base()).unwrap_err();
    assert!(e.to_string().contains("column 3"), "{e}");
    check(Err(e), "empty_header", None, Some(1));
}

#[test]
fn negative_weight() {
    let mut map = base();
    map.weights = Some("w".into());
    let e = ingest(b"time,status,w\n1,0,1\n2,1,-0.5\n", &map).unwrap_err();
    assert!(e.to_string().contains("-0.5"), "{e}");
    check(Err(e), "negative_weight", Some("w"), Some(3));
}

#[test]
fn non_numeric_weight() {
    let mut map = base();
    map.weights = Some("w".into());
    check(
        ingest(b"time,status,w\n1,0,one\n", &map),
        "not_numeric",
        Some("w"),
        Some(2),
    );
}

#[test]
fn reference_group_not_in_levels() {
    let mut map = base();
    map.group = Some(group(Some("C"), Some(&["A", "B"])));
    let e = ingest(b"time,status,arm\n1,0,A\n2,1,B\n", &map).unwrap_err();
    assert!(e.to_string().contains("A, B"), "{e}");
    check(Err(e), "unknown_reference", Some("arm"), None);
}

#[test]
fn reference_group_not_in_data() {
    let mut map = base();
    map.group = Some(group(Some("placebo"), None));
    check(
        ingest(b"time,status,arm\n1,0,A\n", &map),
        "unknown_reference",
        Some("arm"),
        None,
    );
}

#[test]
fn covariate_reference_unknown() {
    let mut map = base();
    map.covariates = vec![CovariateMap {
        column: "sex".into(),
        kind: Some(CovariateKind::Categorical),
        reference: Some("X".into()),
    }];
    let e = ingest(b"time,status,sex\n1,0,F\n2,1,M\n", &map).unwrap_err();
    assert!(e.to_string().contains("F, M"), "{e}");
    check(Err(e), "unknown_reference", Some("sex"), None);
}

#[test]
fn numeric_covariate_with_text() {
    let mut map = base();
    map.covariates = vec![CovariateMap {
        column: "age".into(),
        kind: Some(CovariateKind::Numeric),
        reference: None,
    }];
    check(
        ingest(b"time,status,age\n1,0,61\n2,1,sixty\n", &map),
        "not_numeric",
        Some("age"),
        Some(3),
    );
}

#[test]
fn detected_numeric_covariate_overflow() {
    let mut map = base();
    map.covariates = vec![CovariateMap {
        column: "size".into(),
        kind: None,
        reference: None,
    }];
    let csv = b"time,status,size\n1,0,3\n2,1,4e400\n";
    check(ingest(csv, &map), "number_overflow", Some("size"), Some(3));
}

#[test]
fn empty_levels_list() {
    let mut map = base();
    map.group = Some(group(None, Some(&[])));
    check(
        ingest(b"time,status,arm\n1,0,A\n", &map),
        "empty_levels",
        Some("arm"),
        None,
    );
}

#[test]
fn every_row_left_out() {
    let e = ingest(b"time,status\nNA,0\n-1,1\n", &base()).unwrap_err();
    assert!(e.to_string().contains("all 2 rows"), "{e}");
    check(Err(e), "no_usable_rows", None, None);
}

#[test]
fn error_in_later_row_after_blank_lines_and_crlf() {
    let csv = b"time,status\r\n1,0\r\n\r\n2,1\r\nx,1\r\n";
    check(ingest(csv, &base()), "not_numeric", Some("time"), Some(5));
}

#[test]
fn bad_cells_in_left_out_rows_are_not_errors() {
    // Line 3 is left out (missing event) before its time would be read.
    let c = ingest(b"time,status\n1,0\nabc,NA\n2,1\n", &base()).unwrap();
    assert_eq!(c.line, vec![2, 4]);
    assert_eq!(c.excluded.len(), 1);
}

#[test]
fn no_panic_on_arbitrary_bytes() {
    let inputs: [&[u8]; 6] = [
        b"\"",
        b"a,b\n\"1,2\n",
        b"\xff\xfe\x00t\x00i",
        b"time,status\n\"1\"\"\",0\n",
        b",,,\n,,,\n",
        b"time;status\n1,2,3;1\n",
    ];
    for input in inputs {
        let _ = ingest(input, &base());
    }
}
