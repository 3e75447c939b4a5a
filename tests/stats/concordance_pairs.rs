//! Concordance against the pairwise definition, O(n²), on small random data with ties
//! in time and in score (±0 included), case weights, strata, clusters and (start, stop]
//! rows; and its three entry points against each other.

use proptest::prelude::*;
use survlens::stats::cox::{concordance, concordance::concordance_counting, concordance_in_order};

/// One row: time, event, score, weight, stratum, cluster, entry.
type Row = (f64, bool, f64, f64, u32, u32, f64);

/// (C, D, T, std error) by the definition: pairs (i, j), i an event at t_i, j in the
/// same stratum and at risk then (entered before t_i; alive after t_i, or censored at
/// t_i); weight w_i w_j; IJ variance Σ over clusters of (Σ g)²/4.
fn pairwise(rows: &[Row], entry: bool) -> (f64, f64, f64, f64) {
    let n = rows.len();
    let (mut c, mut d, mut t) = (0.0, 0.0, 0.0);
    let (mut ic, mut id, mut it) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (i, ri) in rows.iter().enumerate() {
        for (j, rj) in rows.iter().enumerate() {
            let at_risk = !entry || rj.6 < ri.0;
            let later = rj.0 > ri.0 || (rj.0 == ri.0 && !rj.1);
            if i == j || !ri.1 || ri.4 != rj.4 || !at_risk || !later {
                continue;
            }
            let (score, pw) = (ri.2, ri.3 * rj.3);
            let (total, mine, theirs) = if score > rj.2 {
                (&mut c, &mut ic, ri.3)
            } else if score < rj.2 {
                (&mut d, &mut id, ri.3)
            } else {
                (&mut t, &mut it, ri.3)
            };
            *total += pw;
            mine[i] += rj.3;
            mine[j] += theirs;
        }
    }
    let npair = c + d + t;
    let sigma = (c - d) / npair;
    let mut g = std::collections::BTreeMap::<u32, f64>::new();
    for (i, r) in rows.iter().enumerate() {
        *g.entry(r.5).or_default() +=
            r.3 * ((ic[i] - id[i]) - sigma * (ic[i] + id[i] + it[i])) / npair;
    }
    let var: f64 = g.values().map(|v| v * v).sum::<f64>() / 4.0;
    (c, d, t, var.sqrt())
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (
        0u8..6,
        any::<bool>(),
        0u8..5,
        prop::sample::select(vec![1.0, 0.5, 2.0, 1.25]),
        0u32..2,
        0u32..4,
        0u8..5,
    );
    prop::collection::vec(row, 2..60).prop_map(|v| {
        v.into_iter()
            .map(|(t, e, s, w, st, cl, start)| {
                let time = f64::from(t) + 1.0;
                // Entry before the stop (on the same grid, so entries tie with stops).
                let entry = f64::from(start % (t + 1));
                let score = [-0.0, 0.0, 0.7, -1.5, 3.0][s as usize];
                (time, e, score, w, st, cl, entry)
            })
            .collect()
    })
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn counts_and_se_are_the_pairwise_ones(rows in rows(), weighted in any::<bool>(),
                                           strata in any::<bool>(), clusters in any::<bool>(),
                                           entry in any::<bool>()) {
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|r| (r.0, r.1, r.2, if weighted { r.3 } else { 1.0 },
                      if strata { r.4 } else { 0 }, if clusters { r.5 } else { u32::MAX }, r.6))
            .collect();
        // No clusters: each row its own.
        let rows: Vec<Row> = rows.iter().enumerate()
            .map(|(i, r)| (r.0, r.1, r.2, r.3, r.4, if clusters { r.5 } else { i as u32 }, r.6))
            .collect();
        let col = |f: fn(&Row) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
        let (time, lp, w, start) = (col(|r| r.0), col(|r| r.2), col(|r| r.3), col(|r| r.6));
        let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let stratum: Vec<u32> = rows.iter().map(|r| r.4).collect();
        let cluster: Vec<u32> = rows.iter().map(|r| r.5).collect();
        let (w, st, cl) = (weighted.then_some(&w[..]), strata.then_some(&stratum[..]),
                           clusters.then_some(&cluster[..]));
        let got = if entry {
            concordance_counting(&start, &time, &event, &lp, w, st, cl)
        } else {
            concordance(&time, &event, &lp, w, st, cl)
        };
        let (c, d, t, se) = pairwise(&rows, entry);
        if !weighted {
            // Unweighted counts are exact.
            prop_assert_eq!((got.concordant, got.discordant, got.tied_x), (c, d, t));
        }
        prop_assert!(close(got.concordant, c) && close(got.discordant, d) && close(got.tied_x, t),
            "{:?} vs {:?}", got, (c, d, t));
        prop_assert!(close(got.estimate, (c + t / 2.0) / (c + d + t)));
        prop_assert!(close(got.std_err, se), "se {} vs {}", got.std_err, se);
    }

    #[test]
    fn the_shared_order_gives_the_same_result(rows in rows(), strata in any::<bool>()) {
        let time: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let lp: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let stratum: Vec<u32> = rows.iter().map(|r| r.4).collect();
        let st = strata.then_some(&stratum[..]);
        let order = survlens::stats::order::time_order(&time, st);
        let own = concordance(&time, &event, &lp, None, st, None);
        let shared = concordance_in_order(&order, &time, &event, &lp, None, st, None);
        let bits = |c: &survlens::stats::cox::Concordance| {
            [c.estimate, c.std_err, c.concordant, c.discordant, c.tied_x].map(f64::to_bits)
        };
        prop_assert_eq!(bits(&own), bits(&shared));
    }
}

#[test]
fn scores_spread_far_apart_all_equal_and_all_distinct() {
    // One outlier puts every other score in one bucket; all equal: every pair tied.
    let n: u32 = 3000;
    let time: Vec<f64> = (0..n).map(|i| f64::from(i % 97)).collect();
    let event: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
    for lp in [
        (0..n)
            .map(|i| {
                if i == 5 {
                    1e300
                } else {
                    f64::from(i % 13) * 1e-9
                }
            })
            .collect::<Vec<f64>>(),
        vec![0.25; n as usize],
        // Nearly all distinct (every fine bucket path: networks, insertion, empty).
        (0..n)
            .map(|i| f64::from(i.wrapping_mul(2_654_435_761_u32) >> 8) * 1e-6 - 3.0)
            .collect(),
    ] {
        let rows: Vec<Row> = (0..n as usize)
            .map(|i| (time[i], event[i], lp[i], 1.0, 0, i as u32, 0.0))
            .collect();
        let got = concordance(&time, &event, &lp, None, None, None);
        let (c, d, t, se) = pairwise(&rows, false);
        assert_eq!((got.concordant, got.discordant, got.tied_x), (c, d, t));
        assert!(close(got.std_err, se), "{} vs {se}", got.std_err);
    }
}
