//! (start, stop] rows with stop ≤ start in the counting-process code (issue 8): the
//! backward risk-set passes must never remove a row they have not added. Run in debug
//! (`cargo test`): integer overflow panics there, so a usize underflow fails the test.
//! The analysis leaves such rows out at ingest (tests/analysis/immortal.rs); these tests hold the
//! statistics functions to the same rule when called directly.

use survlens::stats::cox::{self, CoxData, CoxError, CoxOptions};
use survlens::stats::km::{kaplan_meier_counting, KmCurve};
use survlens::stats::logrank_entry::logrank_counting;

/// Rows 2 (empty: 3 = 3) and 4 (inverted: 6 > 2) have no time at risk.
const START: [f64; 6] = [0.0, 1.0, 3.0, 0.5, 6.0, 0.0];
const STOP: [f64; 6] = [4.0, 5.0, 3.0, 2.0, 2.0, 7.0];
const EVENT: [bool; 6] = [true, false, true, true, true, true];
const GROUP: [u32; 6] = [0, 1, 0, 1, 0, 1];

fn valid() -> Vec<usize> {
    (0..6).filter(|&i| START[i] < STOP[i]).collect()
}

fn pick<T: Copy>(v: &[T]) -> Vec<T> {
    valid().iter().map(|&i| v[i]).collect()
}

#[test]
fn km_counting_ignores_rows_without_time_at_risk() {
    let all: KmCurve = kaplan_meier_counting(&START, &STOP, &EVENT, None);
    let kept = kaplan_meier_counting(&pick(&START), &pick(&STOP), &pick(&EVENT), None);
    assert_eq!(all, kept);
    assert_eq!(kept.time, vec![2.0, 4.0, 5.0, 7.0]);
    // Only rows with start ≥ stop: an empty curve, no panic.
    let none = kaplan_meier_counting(&[1.0, 2.0], &[1.0, 1.5], &[true, true], None);
    assert!(none.time.is_empty());
}

#[test]
fn logrank_counting_ignores_rows_without_time_at_risk() {
    let s = [0u32; 6];
    let all = logrank_counting(&START, &STOP, &EVENT, &GROUP, 2, &s, 1);
    let kept = logrank_counting(
        &pick(&START),
        &pick(&STOP),
        &pick(&EVENT),
        &pick(&GROUP),
        2,
        &pick(&s),
        1,
    );
    assert_eq!(all.observed, kept.observed);
    assert_eq!(all.expected, kept.expected);
    assert_eq!(all.variance, kept.variance);
    assert_eq!(all.observed, vec![1.0, 2.0]);
}

#[test]
fn cox_counting_refuses_an_empty_interval_with_its_row() {
    let x: Vec<f64> = (0..6).map(|i| i as f64).collect();
    let data = CoxData {
        time: &STOP,
        event: &EVENT,
        x: &x,
        p: 1,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let err = cox::fit_counting(&data, &START, &CoxOptions::default()).expect_err("refused");
    assert_eq!(err, CoxError::EmptyInterval { row: 2 });
    assert!(err.to_string().contains("row 2"), "{err}");
    // The valid rows fit (the risk-set passes run with overflow checks on).
    let (t, e, s, xv) = (pick(&STOP), pick(&EVENT), pick(&START), pick(&x));
    let ok = CoxData {
        time: &t,
        event: &e,
        x: &xv,
        ..data
    };
    let fit = cox::fit_counting(&ok, &s, &CoxOptions::default()).expect("fits");
    assert!(fit.coef[0].is_some());
}
