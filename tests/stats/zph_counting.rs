//! `cox.zph` on counting-process (start, stop] fits ([`cox::zph_counting`]), by two
//! properties (the agreement with R is `tests/reference/zph_*`):
//! - every row entering at 0 is right-censored data: the counting-process pass equals
//!   the right-censored one ([`cox::zph_with`]), tests and residuals alike;
//! - splitting a row (0, t] at c into (0, c] (no event) and (c, t] (its event), the same
//!   covariates in both, changes no risk set: the `km` and `identity` tests and the
//!   residuals are those of the unsplit rows (`rank` ranks the extra rows too, so it
//!   differs, as in R).

use survlens::stats::cox::{self, CoxOptions, Ties, ZphOptions, ZphResult, ZphTransform};
use survlens::stats::rng::SplitMix64;

use super::shared_order::{data, Rows};

/// Deterministic rows ([`Rows`] of `shared_order`, without its time-0 rows, which
/// (start, stop] data cannot hold): times on a grid (ties), 2 strata, weights, 2
/// covariates (one changing with time, so the tests are not all null).
fn rows(n: usize) -> Rows {
    let mut rng = SplitMix64(0x9e37_79b9_7f4a_7c15);
    let mut r = Rows {
        x: vec![0.0; 2 * n],
        ..Rows::default()
    };
    for i in 0..n {
        let t = 1.0 + (rng.uniform() * 40.0).floor();
        r.time.push(t);
        r.event.push(rng.uniform() < 0.7);
        r.x[i] = (rng.uniform() * 3.0).floor();
        r.x[n + i] = rng.uniform() - 0.5 + 0.6 * (t / 40.0) * r.x[i];
        r.weight.push(if i % 4 == 0 { 1.5 } else { 1.0 });
        r.stratum.push((i % 2) as u32);
    }
    r
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

fn assert_tests_close(a: &ZphResult, b: &ZphResult, tol: f64, what: &str) {
    let pairs = a.terms.iter().zip(&b.terms).map(|(x, y)| {
        let (x, y) = (x.as_ref().expect("term"), y.as_ref().expect("term"));
        (x.test, y.test)
    });
    for (x, y) in pairs.chain([(a.global, b.global)]) {
        assert_eq!(x.df, y.df, "{what}");
        assert!(close(x.chisq, y.chisq, tol), "{what}: {x:?} vs {y:?}");
        assert!(close(x.p, y.p, tol), "{what}: {x:?} vs {y:?}");
    }
    assert!(a.global.chisq > 0.0, "{what}: a test that tests something");
}

/// The events of a tie (stratum, time) come out reversed on the counting-process path
/// (R's zph2): undo that to compare with the right-censored order.
fn unreverse_ties(res: &ZphResult, strata: &[u32]) -> Vec<Vec<Option<f64>>> {
    let mut out = res.scaled.clone();
    let mut lo = 0;
    while lo < res.time.len() {
        let mut hi = lo + 1;
        while hi < res.time.len() && res.time[hi] == res.time[lo] && strata[hi] == strata[lo] {
            hi += 1;
        }
        out.iter_mut().for_each(|col| col[lo..hi].reverse());
        lo = hi;
    }
    out
}

#[test]
fn entry_at_zero_equals_the_right_censored_test() {
    let r = rows(300);
    let terms = vec![vec![0], vec![1]];
    for (strata, weights, ties) in [
        (false, false, Ties::Efron),
        (true, true, Ties::Efron),
        (true, false, Ties::Breslow),
        (false, true, Ties::Breslow),
    ] {
        let cox_opts = CoxOptions {
            ties,
            ..CoxOptions::default()
        };
        let d = data(&r, strata, weights);
        let fit = cox::fit(&d, &cox_opts).expect("fit");
        let zero = vec![0.0; r.time.len()];
        for transform in [ZphTransform::Km, ZphTransform::Rank, ZphTransform::Identity] {
            let what = format!("strata {strata} weights {weights} {ties:?} {transform:?}");
            let right = cox::zph_with(&d, &fit, ties, transform, &terms, true);
            let opts = ZphOptions {
                ties,
                transform,
                residuals: true,
            };
            let counting = cox::zph_counting(&d, &zero, &fit, opts, &terms);
            assert_tests_close(&counting, &right, 1e-10, &what);
            assert_eq!(counting.time, right.time, "{what}");
            assert_eq!(counting.x, right.x, "{what}");
            // The stratum of each event, in output order (the rows are unsorted here).
            let mut ev: Vec<usize> = (0..r.time.len()).filter(|&i| r.event[i]).collect();
            let key = |i: &usize| (if strata { r.stratum[*i] } else { 0 }, r.time[*i].to_bits());
            ev.sort_by_key(key);
            let ev_strata: Vec<u32> = ev.iter().map(|i| key(i).0).collect();
            let scaled = unreverse_ties(&counting, &ev_strata);
            for (a, b) in scaled.iter().flatten().zip(right.scaled.iter().flatten()) {
                match (a, b) {
                    (Some(a), Some(b)) => assert!(close(*a, *b, 1e-9), "{what}: {a} vs {b}"),
                    (a, b) => assert_eq!(a.is_some(), b.is_some(), "{what}"),
                }
            }
            // The (start, stop] fit of the same rows gives the same test.
            let fc = cox::fit_counting(&d, &zero, &cox_opts).expect("counting fit");
            let again = cox::zph_counting(&d, &zero, &fc, opts, &terms);
            assert_tests_close(&again, &right, 1e-7, &what);
        }
    }
}

#[test]
fn splitting_rows_changes_no_risk_set() {
    let r = rows(240);
    let n = r.time.len();
    // Every third row split at half its time (when that is > 0): (0, c] then (c, t].
    let mut s = Rows::default();
    let (mut start, mut rows_of) = (Vec::new(), Vec::new());
    for i in 0..n {
        let c = (r.time[i] / 2.0).floor();
        if i % 3 == 0 && c > 0.0 {
            rows_of.extend([i, i]);
            start.extend([0.0, c]);
            s.time.extend([c, r.time[i]]);
            s.event.extend([false, r.event[i]]);
        } else {
            rows_of.push(i);
            start.push(0.0);
            s.time.push(r.time[i]);
            s.event.push(r.event[i]);
        }
    }
    for j in 0..2 {
        s.x.extend(rows_of.iter().map(|&i| r.x[j * n + i]));
    }
    s.weight = rows_of.iter().map(|&i| r.weight[i]).collect();
    s.stratum = rows_of.iter().map(|&i| r.stratum[i]).collect();
    assert!(s.time.len() > n + 50, "rows were split");
    let terms = vec![vec![0], vec![1]];
    for (strata, weights, ties) in [(true, true, Ties::Efron), (false, false, Ties::Breslow)] {
        let opts = CoxOptions {
            ties,
            ..CoxOptions::default()
        };
        let (d, ds) = (data(&r, strata, weights), data(&s, strata, weights));
        let zero = vec![0.0; n];
        let whole = cox::fit_counting(&d, &zero, &opts).expect("fit");
        let split = cox::fit_counting(&ds, &start, &opts).expect("split fit");
        for transform in [ZphTransform::Km, ZphTransform::Identity] {
            let what = format!("strata {strata} {ties:?} {transform:?}");
            let zo = ZphOptions {
                ties,
                transform,
                residuals: true,
            };
            let a = cox::zph_counting(&d, &zero, &whole, zo, &terms);
            let b = cox::zph_counting(&ds, &start, &split, zo, &terms);
            assert_tests_close(&a, &b, 1e-7, &what);
            assert_eq!(a.time, b.time, "{what}");
            for (x, y) in a.x.iter().zip(&b.x) {
                assert!(close(*x, *y, 1e-12), "{what}");
            }
            for (x, y) in a.scaled.iter().flatten().zip(b.scaled.iter().flatten()) {
                let (x, y) = (x.expect("value"), y.expect("value"));
                assert!(close(x, y, 1e-7), "{what}: {x} vs {y}");
            }
        }
    }
}
