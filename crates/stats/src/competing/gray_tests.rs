//! Checks of Gray's test that need no R: when there is no competing event its score is
//! the log-rank score (so the statistics are close), strata and group codes that do not
//! change the data do not change the test, and the cases with no test.

use super::gray_test;
use crate::competing::Outcome;
use crate::logrank::survdiff;

/// Three groups, ties, censorings tied with events.
fn rows() -> (Vec<f64>, Vec<Outcome>, Vec<u32>) {
    use Outcome::{Censored as C, Competing as K, Event as E};
    let time: Vec<f64> = (0..60).map(|i| f64::from((i * 7 + 3) % 13 + 1)).collect();
    let pattern = [E, C, K, E, E, C, K, E, C, E, K, C];
    let outcome: Vec<Outcome> = (0..60).map(|i| pattern[(i * 5) % 12]).collect();
    let group: Vec<u32> = (0..60).map(|i| (i % 3) as u32).collect();
    (time, outcome, group)
}

/// With no competing event F = 1 − S, Gray's risk sets are the KM risk sets and his score
/// is O − E of the log-rank test; only the variance estimators differ (Gray's is the
/// asymptotic one, survdiff's the hypergeometric one), so the statistics are close.
#[test]
fn without_competing_events_gray_is_close_to_log_rank() {
    let (time, outcome, group) = rows();
    // Competing events turned into censorings (the cause-specific data).
    let outcome: Vec<Outcome> = outcome
        .iter()
        .map(|&o| Outcome::from_flags(o == Outcome::Event, false))
        .collect();
    let event: Vec<bool> = outcome.iter().map(|&o| o == Outcome::Event).collect();
    let gray = gray_test(&time, &outcome, &group, 3, None, Outcome::Event).expect("test");
    let lr = survdiff(&time, &event, &group, 3, &[0; 60], 1, 0.0);
    assert_eq!(gray.df, lr.df);
    let rel = (gray.chisq - lr.chisq).abs() / lr.chisq;
    assert!(rel < 0.1, "Gray {} vs log-rank {}", gray.chisq, lr.chisq);
}

#[test]
fn one_stratum_is_no_stratum_and_empty_groups_are_dropped() {
    let (time, outcome, group) = rows();
    for cause in [Outcome::Event, Outcome::Competing] {
        let plain = gray_test(&time, &outcome, &group, 3, None, cause).expect("test");
        let one = gray_test(&time, &outcome, &group, 3, Some(&[7; 60]), cause).expect("test");
        assert_eq!(plain, one);
        // Codes 1, 3, 4 of 6 (0, 2, 5 empty): cuminc's df counts groups with rows.
        let spread: Vec<u32> = group.iter().map(|&g| [1, 3, 4][g as usize]).collect();
        let dropped = gray_test(&time, &outcome, &spread, 6, None, cause).expect("test");
        assert_eq!(plain, dropped);
        assert_eq!(plain.df, 2);
        assert!(plain.p > 0.0 && plain.p <= 1.0);
    }
}

#[test]
fn no_test_without_two_groups_or_events_of_the_cause() {
    let (time, outcome, group) = rows();
    assert!(gray_test(&time, &outcome, &[0; 60], 1, None, Outcome::Event).is_none());
    assert!(gray_test(&time, &outcome, &[2; 60], 3, None, Outcome::Event).is_none());
    assert!(gray_test(&time, &outcome, &group, 3, None, Outcome::Censored).is_none());
    // Competing events turned into censorings (the cause-specific data).
    let no_competing: Vec<Outcome> = outcome
        .iter()
        .map(|&o| Outcome::from_flags(o == Outcome::Event, false))
        .collect();
    assert!(gray_test(&time, &no_competing, &group, 3, None, Outcome::Competing).is_none());
    assert!(gray_test(&[], &[], &[], 2, None, Outcome::Event).is_none());
}
