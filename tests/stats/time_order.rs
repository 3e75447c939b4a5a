//! The O(n) shared time order (issue 7) is exactly the stable comparison sort, and the
//! one-pass KM and in-place log-rank built on it give every bit of the per-group /
//! per-stratum routines: heavy ties, −0 and +0, subnormal, huge and infinite times,
//! case weights.

use proptest::prelude::*;
use survlens::stats::km::{kaplan_meier, kaplan_meier_by_group, KmCurve};
use survlens::stats::logrank::{survdiff, LogRankTest};
use survlens::stats::order::{time_order, TimeOrder};

/// The reference: a plain stable comparison sort of the row indices.
fn stable_sort(t: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..t.len()).collect();
    idx.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
    idx
}

/// Times ingest can produce (finite, ≥ 0, −0 folded to +0) and the ones it cannot
/// (−0, negative, infinite) which other callers of the sort may pass.
fn special() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(5e-324),               // smallest subnormal
        Just(2.2250738585072e-308), // largest subnormals' neighbourhood
        Just(1e-310),
        Just(f64::MAX),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-3.5),
    ]
}

/// Heavy ties: a few dozen values on a 0.1 grid, with the specials mixed in.
fn tied_time() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => (0u32..40).prop_map(|k| f64::from(k) * 0.1),
        1 => special(),
    ]
}

/// Mostly distinct: any finite double (NaN-free), ties from a small pool.
fn spread_time() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => any::<f64>().prop_filter("NaN-free", |t| !t.is_nan()),
        2 => (0u32..5).prop_map(f64::from),
        1 => special(),
    ]
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn same_curve(a: &KmCurve, b: &KmCurve) -> bool {
    bits(&a.time) == bits(&b.time)
        && bits(&a.n_risk) == bits(&b.n_risk)
        && bits(&a.n_event) == bits(&b.n_event)
        && bits(&a.n_censor) == bits(&b.n_censor)
        && bits(&a.surv) == bits(&b.surv)
        && bits(&a.se_log_surv) == bits(&b.se_log_surv)
}

fn check_order(t: &[f64]) -> Result<(), TestCaseError> {
    let want = stable_sort(t);
    prop_assert_eq!(&time_order(t, None), &want);
    let sorted = TimeOrder::new(t);
    prop_assert_eq!(sorted.order(), &want[..]);
    let want_time: Vec<f64> = want.iter().map(|&i| t[i]).collect();
    prop_assert_eq!(bits(&sorted.time), bits(&want_time));
    let row: Vec<u32> = (0..t.len() as u32).collect();
    let picked: Vec<u32> = want.iter().map(|&i| row[i]).collect();
    prop_assert_eq!(sorted.pick(&row), picked);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn order_is_the_stable_sort_with_heavy_ties(t in prop::collection::vec(tied_time(), 0..3000)) {
        check_order(&t)?;
    }

    #[test]
    fn order_is_the_stable_sort_with_distinct_times(t in prop::collection::vec(spread_time(), 0..3000)) {
        check_order(&t)?;
    }

    #[test]
    fn order_is_the_stable_sort_with_nan_payloads(
        t in prop::collection::vec(prop_oneof![
            4 => tied_time(),
            1 => (any::<bool>(), 1u64..4).prop_map(|(neg, payload)| {
                f64::from_bits((u64::from(neg) << 63) | 0x7ff8_0000_0000_0000 | payload)
            }),
        ], 256..1500)
    ) {
        check_order(&t)?;
    }

    #[test]
    fn km_by_group_is_each_group_alone_to_the_bit(
        rows in prop::collection::vec((tied_time(), any::<bool>(), 0u32..4, 0u8..4), 0..1500),
        weighted in any::<bool>(),
    ) {
        // Sorted as the shared order sorts them; group 3 is out of range (ignored).
        let rows: Vec<_> = rows.into_iter().filter(|r| r.0 >= 0.0 && r.0.is_finite()).collect();
        let order = time_order(&rows.iter().map(|r| r.0).collect::<Vec<_>>(), None);
        let time: Vec<f64> = order.iter().map(|&i| rows[i].0).collect();
        let event: Vec<bool> = order.iter().map(|&i| rows[i].1).collect();
        let group: Vec<u32> = order.iter().map(|&i| rows[i].2).collect();
        let weight: Vec<f64> = order.iter().map(|&i| [1.0, 0.3, 2.5, 0.0][rows[i].3 as usize]).collect();
        let w = weighted.then_some(&weight[..]);
        let curves = kaplan_meier_by_group(&time, &event, w, &group, 3);
        prop_assert!(matches_each_group_alone(&curves, &time, &event, &weight, &group, weighted));
        // Unsorted rows (reversed): each group is sorted on its own, with the same result
        // as kaplan_meier on that group's rows in their (reversed) order.
        let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<f64>>();
        let (rt, rw) = (rev(&time), rev(&weight));
        let re: Vec<bool> = event.iter().rev().copied().collect();
        let rg: Vec<u32> = group.iter().rev().copied().collect();
        let unsorted = kaplan_meier_by_group(&rt, &re, weighted.then_some(&rw[..]), &rg, 3);
        prop_assert!(matches_each_group_alone(&unsorted, &rt, &re, &rw, &rg, weighted));
    }

    #[test]
    fn survdiff_in_place_is_survdiff_by_stratum_lists_to_the_bit(
        rows in prop::collection::vec((tied_time(), any::<bool>(), 0u32..3), 2..1500),
        rho in prop_oneof![Just(0.0), Just(1.0), Just(0.5)],
    ) {
        let rows: Vec<_> = rows.into_iter().filter(|r| r.0 >= 0.0 && r.0.is_finite()).collect();
        let order = time_order(&rows.iter().map(|r| r.0).collect::<Vec<_>>(), None);
        let time: Vec<f64> = order.iter().map(|&i| rows[i].0).collect();
        let event: Vec<bool> = order.iter().map(|&i| rows[i].1).collect();
        let group: Vec<u32> = order.iter().map(|&i| rows[i].2).collect();
        let one = vec![0u32; time.len()];
        // One stratum: rows read in place. Two strata, the second empty: row lists.
        let in_place = survdiff(&time, &event, &group, 3, &one, 1, rho);
        let listed = survdiff(&time, &event, &group, 3, &one, 2, rho);
        prop_assert!(same_test(&in_place, &listed), "{:?} vs {:?}", in_place, listed);
    }
}

/// Each curve is, to the bit, `kaplan_meier` of its group's rows in their order.
fn matches_each_group_alone(
    curves: &[KmCurve],
    time: &[f64],
    event: &[bool],
    weight: &[f64],
    group: &[u32],
    weighted: bool,
) -> bool {
    curves.len() == 3
        && curves.iter().enumerate().all(|(g, curve)| {
            let idx: Vec<usize> = (0..time.len())
                .filter(|&i| group[i] as usize == g)
                .collect();
            let t: Vec<f64> = idx.iter().map(|&i| time[i]).collect();
            let e: Vec<bool> = idx.iter().map(|&i| event[i]).collect();
            let w: Vec<f64> = idx.iter().map(|&i| weight[i]).collect();
            same_curve(curve, &kaplan_meier(&t, &e, weighted.then_some(&w[..])))
        })
}

fn same_test(a: &LogRankTest, b: &LogRankTest) -> bool {
    bits(&a.observed) == bits(&b.observed)
        && bits(&a.expected) == bits(&b.expected)
        && bits(&a.variance) == bits(&b.variance)
        && a.chisq.to_bits() == b.chisq.to_bits()
        && a.df == b.df
        && a.p.to_bits() == b.p.to_bits()
}

#[test]
fn a_million_rows_on_a_month_grid_sort_as_the_comparison_sort() {
    // The bench's shape: ~2000 distinct times at 1e6 rows (counting path), and the same
    // times made all distinct (radix path).
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let grid: Vec<f64> = (0..1_000_000)
        .map(|_| (next() % 2000) as f64 * 0.1)
        .collect();
    assert_eq!(time_order(&grid, None), stable_sort(&grid));
    let spread: Vec<f64> = grid
        .iter()
        .map(|t| t + (next() % 1000) as f64 * 1e-5)
        .collect();
    assert_eq!(time_order(&spread, None), stable_sort(&spread));
}
