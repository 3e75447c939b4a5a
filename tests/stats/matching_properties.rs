//! Property tests of greedy nearest-neighbour matching (`stats::matching`):
//!
//! * the fast matcher gives exactly the sets of a plain O(n²) greedy matcher written
//!   here from the algorithm's words (MatchIt's `nn_matchC`), ties included (scores drawn
//!   from a few values make many);
//! * without a caliper, 1:1 without replacement with at least as many controls as treated
//!   matches every treated row; with replacement every treated row is matched and takes
//!   min(k, controls) controls;
//! * a caliper of 0 matches identical scores only; every pair is within the caliper;
//! * without replacement the matched controls are distinct;
//! * the weights: every matched treated row 1; the control weights sum to the number of
//!   matched controls; unmatched rows 0; with replacement the order changes nothing.

use proptest::prelude::*;
use survlens::stats::matching::{nearest_neighbour, MatchOptions, MatchOrder, Matching};

/// The greedy algorithm written as plainly as possible: for each round, each treated row
/// still in (in `order`) scans every control for the nearest unused one (ties: the first
/// in the file) within the caliper; with replacement each treated row sorts every
/// control by (distance, file order) and takes the first k within the caliper.
fn naive(score: &[f64], treated: &[bool], opts: &MatchOptions) -> Vec<Vec<usize>> {
    let n = score.len();
    let width = opts.caliper.unwrap_or(f64::INFINITY);
    let mut order: Vec<usize> = (0..n).filter(|&i| treated[i]).collect();
    match opts.order {
        MatchOrder::Data => {}
        MatchOrder::Smallest => order.sort_by(|&a, &b| score[a].total_cmp(&score[b])),
        MatchOrder::Largest => order.sort_by(|&a, &b| score[b].total_cmp(&score[a])),
    }
    let mut sets = vec![Vec::new(); n];
    if opts.replace {
        for &t in &order {
            let mut c: Vec<(f64, usize)> = (0..n)
                .filter(|&i| !treated[i])
                .map(|i| ((score[i] - score[t]).abs(), i))
                .filter(|(d, _)| *d <= width)
                .collect();
            c.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            sets[t] = c.into_iter().take(opts.ratio).map(|(_, i)| i).collect();
        }
        return sets;
    }
    let mut used = vec![false; n];
    let mut active = order;
    for _ in 0..opts.ratio {
        let mut next = Vec::new();
        for &t in &active {
            let mut best: Option<(f64, usize)> = None;
            for c in (0..n).filter(|&i| !treated[i] && !used[i]) {
                let d = (score[c] - score[t]).abs();
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, c));
                }
            }
            if let Some((d, c)) = best.filter(|(d, _)| *d <= width) {
                let _ = d;
                sets[t].push(c);
                used[c] = true;
                next.push(t);
            }
        }
        active = next;
    }
    sets
}

fn sets_of(m: &Matching, n: usize) -> Vec<Vec<usize>> {
    let mut sets = vec![Vec::new(); n];
    for s in &m.sets {
        sets[s.treated] = s.controls.clone();
    }
    sets
}

fn order_strategy() -> impl Strategy<Value = MatchOrder> {
    prop_oneof![
        Just(MatchOrder::Largest),
        Just(MatchOrder::Smallest),
        Just(MatchOrder::Data)
    ]
}

/// Scores from a few values (many ties) or continuous, and treatment flags.
fn rows_strategy() -> impl Strategy<Value = (Vec<f64>, Vec<bool>)> {
    (1usize..60).prop_flat_map(|n| {
        let tied = prop::collection::vec((0i32..6).prop_map(|k| f64::from(k) * 0.5 - 1.0), n);
        let continuous = prop::collection::vec(-4.0f64..4.0, n);
        (
            prop_oneof![tied, continuous],
            prop::collection::vec(any::<bool>(), n),
        )
    })
}

fn caliper_strategy() -> impl Strategy<Value = Option<f64>> {
    // 0.5 and 1: distances between the tied scores land exactly on the caliper (≤ keeps them).
    prop_oneof![
        Just(None),
        Just(Some(0.0)),
        Just(Some(0.5)),
        Just(Some(1.0)),
        (0.0f64..2.0).prop_map(Some)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_fast_matcher_is_the_plain_greedy_algorithm(
        (score, treated) in rows_strategy(),
        ratio in 1usize..4,
        caliper in caliper_strategy(),
        replace in any::<bool>(),
        order in order_strategy(),
    ) {
        let opts = MatchOptions { ratio, caliper, replace, order };
        let m = nearest_neighbour(&score, &treated, &opts).expect("valid input");
        prop_assert_eq!(sets_of(&m, score.len()), naive(&score, &treated, &opts));
    }

    #[test]
    fn weights_follow_matchit(
        (score, treated) in rows_strategy(),
        ratio in 1usize..4,
        caliper in caliper_strategy(),
        replace in any::<bool>(),
        order in order_strategy(),
    ) {
        let opts = MatchOptions { ratio, caliper, replace, order };
        let m = nearest_neighbour(&score, &treated, &opts).expect("valid input");
        let in_set: Vec<bool> = {
            let mut v = vec![false; score.len()];
            for s in &m.sets {
                v[s.treated] = true;
                for &c in &s.controls {
                    v[c] = true;
                }
            }
            v
        };
        for i in 0..score.len() {
            prop_assert_eq!(m.weights[i] > 0.0, in_set[i], "row {}", i);
            if treated[i] && in_set[i] {
                prop_assert_eq!(m.weights[i], 1.0);
            }
        }
        let matched_controls = m.n_matched(&treated, false) as f64;
        let control_sum: f64 = (0..score.len()).filter(|&i| !treated[i]).map(|i| m.weights[i]).sum();
        prop_assert!((control_sum - matched_controls).abs() <= 1e-9 * matched_controls.max(1.0));
        // Without replacement and full sets (every set has k controls) every weight is 1, up
        // to the rounding of MatchIt's rescaling (1/k per match, times matched controls over
        // their sum: 18 controls of 1/3 sum to 5.999…, so a weight can be 1 + 1e-16).
        if !replace && m.sets.iter().all(|s| s.controls.len() == ratio) {
            prop_assert!(m.weights.iter().all(|&w| w == 0.0 || (w - 1.0).abs() <= 1e-12));
        }
        // Subclasses: without replacement each matched row in exactly its set.
        match (&m.subclass, replace) {
            (Some(sub), false) => {
                for (k, s) in m.sets.iter().enumerate() {
                    prop_assert_eq!(sub[s.treated], Some(k as u32));
                    for &c in &s.controls {
                        prop_assert_eq!(sub[c], Some(k as u32));
                    }
                }
                prop_assert_eq!(sub.iter().filter(|s| s.is_some()).count(),
                                m.weights.iter().filter(|&&w| w > 0.0).count());
            }
            (None, true) => {}
            _ => prop_assert!(false, "subclass only without replacement"),
        }
    }

    #[test]
    fn without_caliper_every_treated_row_is_matched(
        (score, treated) in rows_strategy(),
        order in order_strategy(),
    ) {
        let n_t = treated.iter().filter(|&&t| t).count();
        let n_c = treated.len() - n_t;
        let opts = MatchOptions { ratio: 1, caliper: None, replace: false, order };
        let m = nearest_neighbour(&score, &treated, &opts).expect("valid input");
        if n_c >= n_t {
            prop_assert_eq!(m.sets.len(), n_t);
        } else {
            prop_assert_eq!(m.sets.len(), n_c, "controls run out");
        }
        // With replacement and 1:k: every treated row, min(k, n_c) controls each.
        for k in 1..4 {
            let opts = MatchOptions { ratio: k, caliper: None, replace: true, order };
            let m = nearest_neighbour(&score, &treated, &opts).expect("valid input");
            if n_c > 0 {
                prop_assert_eq!(m.sets.len(), n_t);
                prop_assert!(m.sets.iter().all(|s| s.controls.len() == k.min(n_c)));
            } else {
                prop_assert!(m.sets.is_empty());
            }
        }
    }

    #[test]
    fn pairs_respect_the_caliper_and_controls_are_used_once(
        (score, treated) in rows_strategy(),
        ratio in 1usize..4,
        caliper in caliper_strategy(),
        order in order_strategy(),
    ) {
        let opts = MatchOptions { ratio, caliper, replace: false, order };
        let m = nearest_neighbour(&score, &treated, &opts).expect("valid input");
        let width = caliper.unwrap_or(f64::INFINITY);
        let mut seen = std::collections::HashSet::new();
        for s in &m.sets {
            prop_assert!(treated[s.treated]);
            prop_assert!(!s.controls.is_empty() && s.controls.len() <= ratio);
            for &c in &s.controls {
                prop_assert!(!treated[c]);
                prop_assert!((score[c] - score[s.treated]).abs() <= width);
                if caliper == Some(0.0) {
                    prop_assert_eq!(score[c], score[s.treated], "caliper 0: identical scores only");
                }
                prop_assert!(seen.insert(c), "control {} used twice", c);
            }
        }
        // Sets listed in file order of the treated rows.
        prop_assert!(m.sets.windows(2).all(|w| w[0].treated < w[1].treated));
    }

    #[test]
    fn with_replacement_the_order_changes_nothing(
        (score, treated) in rows_strategy(),
        ratio in 1usize..4,
        caliper in caliper_strategy(),
    ) {
        let run = |order| {
            nearest_neighbour(&score, &treated, &MatchOptions { ratio, caliper, replace: true, order })
                .expect("valid input")
        };
        let largest = run(MatchOrder::Largest);
        prop_assert_eq!(&run(MatchOrder::Smallest), &largest);
        prop_assert_eq!(&run(MatchOrder::Data), &largest);
    }
}
