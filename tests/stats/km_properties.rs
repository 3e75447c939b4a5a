//! Property tests of the Kaplan–Meier family: monotone curve in [0, 1], row order
//! irrelevant, an integer weight k equal to k copies of the row; plus degenerate inputs
//! that must never panic.

use proptest::prelude::*;
use survlens::stats::km::{
    confidence_limits, kaplan_meier, median, quantiles, survival_at, KmCurve,
};
use survlens::stats::rmst::restricted_mean;
use survlens::stats::ConfType;

const REL_TOL: f64 = 1e-12;

fn close(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= REL_TOL * a.abs().max(b.abs())
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => close(x, y),
        (None, None) => true,
        _ => false,
    }
}

fn all_close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| close(x, y))
}

fn all_close_opt(a: &[Option<f64>], b: &[Option<f64>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| close_opt(x, y))
}

/// Every output of the module for one curve, compared field by field.
fn assert_same_outputs(a: &KmCurve, b: &KmCurve) {
    for field in [
        (&a.time, &b.time),
        (&a.n_risk, &b.n_risk),
        (&a.n_event, &b.n_event),
        (&a.n_censor, &b.n_censor),
        (&a.surv, &b.surv),
        (&a.se_log_surv, &b.se_log_surv),
    ] {
        assert!(
            all_close(field.0, field.1),
            "{:?} vs {:?}",
            field.0,
            field.1
        );
    }
    let probe = [-1.0, 0.0, 2.5, 5.0, 7.0, 11.0];
    for ct in [ConfType::Log, ConfType::LogLog, ConfType::Plain] {
        let (la, lb) = (confidence_limits(a, ct, 0.9), confidence_limits(b, ct, 0.9));
        assert!(all_close_opt(&la.std_err, &lb.std_err));
        assert!(all_close_opt(&la.lower, &lb.lower));
        assert!(all_close_opt(&la.upper, &lb.upper));
        assert_eq!(median(a, &la), median(b, &lb));
        assert_eq!(
            quantiles(a, &la, &[0.25, 0.5, 0.75]),
            quantiles(b, &lb, &[0.25, 0.5, 0.75])
        );
        for (x, y) in survival_at(a, &la, &probe)
            .iter()
            .zip(survival_at(b, &lb, &probe))
        {
            assert!(close(x.n_risk, y.n_risk) && close(x.surv, y.surv));
            assert!(close_opt(x.std_err, y.std_err));
            assert!(close_opt(x.lower, y.lower) && close_opt(x.upper, y.upper));
        }
    }
    for tau in [3.0, 10.0, 12.0] {
        let (ra, rb) = (restricted_mean(a, tau), restricted_mean(b, tau));
        assert!(close(ra.estimate, rb.estimate) && close(ra.se, rb.se));
    }
}

/// Rows (time in 1..=10 to force ties, event, integer weight 1..=4), sorted by time.
fn rows() -> impl Strategy<Value = Vec<(f64, bool, u32)>> {
    prop::collection::vec((1u32..=10, any::<bool>(), 1u32..=4), 1..40).prop_map(|mut v| {
        v.sort_by_key(|r| r.0);
        v.into_iter()
            .map(|(t, e, w)| (f64::from(t), e, w))
            .collect()
    })
}

fn columns(rows: &[(f64, bool, u32)]) -> (Vec<f64>, Vec<bool>, Vec<f64>) {
    (
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| f64::from(r.2)).collect(),
    )
}

proptest! {
    #[test]
    fn km_is_non_increasing_in_unit_interval(rows in rows()) {
        let (t, e, w) = columns(&rows);
        for curve in [kaplan_meier(&t, &e, None), kaplan_meier(&t, &e, Some(&w))] {
            let mut previous = 1.0;
            for &s in &curve.surv {
                prop_assert!((0.0..=1.0).contains(&s));
                prop_assert!(s <= previous);
                previous = s;
            }
            prop_assert!(curve.se_log_surv.windows(2).all(|p| p[0] <= p[1]));
            prop_assert!(curve.time.windows(2).all(|p| p[0] < p[1]));
        }
    }

    #[test]
    fn order_of_rows_within_tied_times_changes_nothing(rows in rows(), seed in any::<u64>()) {
        let (t, e, w) = columns(&rows);
        let fractional: Vec<f64> = w.iter().map(|x| x * 0.375).collect();
        // Shuffle within runs of equal times (a deterministic LCG permutation).
        let mut shuffled = rows.clone();
        let mut state = seed | 1;
        let mut start = 0;
        while start < shuffled.len() {
            let end = start + shuffled[start..].iter().take_while(|r| r.0 == shuffled[start].0).count();
            for i in (start + 1..end).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = start + (state >> 33) as usize % (i - start + 1);
                shuffled.swap(i, j);
            }
            start = end;
        }
        let (t2, e2, w2) = columns(&shuffled);
        let fractional2: Vec<f64> = w2.iter().map(|x| x * 0.375).collect();
        assert_same_outputs(&kaplan_meier(&t, &e, Some(&w)), &kaplan_meier(&t2, &e2, Some(&w2)));
        assert_same_outputs(
            &kaplan_meier(&t, &e, Some(&fractional)),
            &kaplan_meier(&t2, &e2, Some(&fractional2)),
        );
        // Fully reversed input (unsorted) is sorted internally.
        let (mut tr, mut er) = (t.clone(), e.clone());
        let mut wr = w.clone();
        tr.reverse();
        er.reverse();
        wr.reverse();
        assert_same_outputs(&kaplan_meier(&t, &e, Some(&w)), &kaplan_meier(&tr, &er, Some(&wr)));
    }

    #[test]
    fn integer_weight_k_equals_k_copies(rows in rows()) {
        let (t, e, w) = columns(&rows);
        let mut tc = Vec::new();
        let mut ec = Vec::new();
        for &(ti, ei, wi) in &rows {
            for _ in 0..wi {
                tc.push(ti);
                ec.push(ei);
            }
        }
        assert_same_outputs(&kaplan_meier(&t, &e, Some(&w)), &kaplan_meier(&tc, &ec, None));
    }
}

#[test]
fn empty_input_gives_empty_outputs() {
    let c = kaplan_meier(&[], &[], None);
    assert!(c.is_empty());
    for ct in [ConfType::Log, ConfType::LogLog, ConfType::Plain] {
        let lim = confidence_limits(&c, ct, 0.95);
        assert!(lim.lower.is_empty());
        let none = median(&c, &lim);
        assert_eq!((none.estimate, none.lower, none.upper), (None, None, None));
        assert!(quantiles(&c, &lim, &[0.25, 0.5])
            .iter()
            .all(|q| q.estimate.is_none()));
        assert!(survival_at(&c, &lim, &[1.0, 2.0]).is_empty());
    }
    let r = restricted_mean(&c, 10.0);
    assert!(r.estimate.is_nan() && r.se.is_nan());
}

#[test]
fn mismatched_lengths_use_the_common_prefix() {
    let c = kaplan_meier(&[1.0, 2.0, 3.0], &[true, true], Some(&[1.0, 1.0, 1.0, 1.0]));
    assert_eq!(c.time, vec![1.0, 2.0]);
}

#[test]
fn at_times_are_sorted_non_finite_dropped_repeats_kept() {
    let c = kaplan_meier(&[1.0, 2.0, 3.0], &[true, false, true], None);
    let lim = confidence_limits(&c, ConfType::Log, 0.95);
    let at = survival_at(&c, &lim, &[3.0, f64::NAN, 1.0, f64::INFINITY, 1.0]);
    let times: Vec<f64> = at.iter().map(|a| a.time).collect();
    assert_eq!(times, vec![1.0, 1.0, 3.0]);
    assert_eq!(at[2].n_risk, 1.0);
    assert_eq!(at[2].surv, 0.0);
    assert_eq!((at[2].std_err, at[2].lower), (None, None));
}

#[test]
fn rmst_tau_before_first_time_is_tau_with_zero_se() {
    // R's print(fit, rmean = 0.5) stops ("Truncation point ... < smallest survival");
    // survmean's arithmetic (kept here) gives S = 1 on [0, tau].
    let c = kaplan_meier(&[1.0, 2.0], &[true, true], None);
    let r = restricted_mean(&c, 0.5);
    assert_eq!((r.estimate, r.se), (0.5, 0.0));
}

#[test]
fn quantile_probability_zero_and_nan() {
    let c = kaplan_meier(&[1.0, 2.0], &[true, true], None);
    let lim = confidence_limits(&c, ConfType::Log, 0.95);
    let q = quantiles(&c, &lim, &[0.0, f64::NAN]);
    assert_eq!(q[0].estimate, Some(0.0));
    assert_eq!(q[1].estimate, None);
}
