use super::*;

fn opts(ratio: usize, caliper: Option<f64>, replace: bool, order: MatchOrder) -> MatchOptions {
    MatchOptions {
        ratio,
        caliper,
        replace,
        order,
    }
}

fn pairs(m: &Matching) -> Vec<(usize, Vec<usize>)> {
    m.sets
        .iter()
        .map(|s| (s.treated, s.controls.clone()))
        .collect()
}

#[test]
fn largest_first_takes_the_nearest_and_leaves_the_rest() {
    // Rows: 0 T 3.0, 1 C 2.0, 2 T 2.2, 3 C 2.5, 4 C 0.0.
    // Largest first: row 0 (3.0) takes row 3 (2.5, d 0.5); row 2 (2.2) takes row 1 (2.0).
    let score = [3.0, 2.0, 2.2, 2.5, 0.0];
    let treated = [true, false, true, false, false];
    let m = nearest_neighbour(&score, &treated, &opts(1, None, false, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![3]), (2, vec![1])]);
    assert_eq!(m.weights, vec![1.0, 1.0, 1.0, 1.0, 0.0]);
    assert_eq!(
        m.subclass,
        Some(vec![Some(0), Some(1), Some(1), Some(0), None])
    );
    // Smallest first: row 2 (2.2) takes row 1 (2.0, d 0.2 < 0.3), row 0 then row 3.
    let m = nearest_neighbour(
        &score,
        &treated,
        &opts(1, None, false, MatchOrder::Smallest),
    )
    .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![3]), (2, vec![1])]);
    // Data order: row 0 takes 3, row 2 takes 1: the same here; a caliper of 0.4 leaves
    // row 0 (d 0.5) unmatched.
    let m = nearest_neighbour(
        &score,
        &treated,
        &opts(1, Some(0.4), false, MatchOrder::Data),
    )
    .expect("matches");
    assert_eq!(pairs(&m), vec![(2, vec![1])]);
    assert_eq!(m.weights, vec![0.0, 1.0, 1.0, 0.0, 0.0]);
}

#[test]
fn order_decides_who_gets_the_shared_nearest_control() {
    // One control at 1.0 nearest to both treated (0.9 and 1.2); the other at 5.0.
    let score = [0.9, 1.2, 1.0, 5.0];
    let treated = [true, true, false, false];
    let largest = nearest_neighbour(&score, &treated, &opts(1, None, false, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&largest), vec![(0, vec![3]), (1, vec![2])]);
    let smallest = nearest_neighbour(
        &score,
        &treated,
        &opts(1, None, false, MatchOrder::Smallest),
    )
    .expect("matches");
    assert_eq!(pairs(&smallest), vec![(0, vec![2]), (1, vec![3])]);
}

#[test]
fn ties_go_to_the_control_first_in_the_file() {
    // Treated at 1.0; controls at 0.5 (row 3), 1.5 (row 1), 1.5 (row 2): all at d 0.5.
    let score = [1.0, 1.5, 1.5, 0.5];
    let treated = [true, false, false, false];
    let m = nearest_neighbour(&score, &treated, &opts(3, None, false, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![1, 2, 3])]);
    let m = nearest_neighbour(&score, &treated, &opts(3, None, true, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![1, 2, 3])]);
    // Equal treated scores keep file order in every order.
    let score = [1.0, 1.0, 1.1, 3.0];
    let treated = [true, true, false, false];
    for order in [MatchOrder::Largest, MatchOrder::Smallest, MatchOrder::Data] {
        let m = nearest_neighbour(&score, &treated, &opts(1, None, false, order)).expect("m");
        assert_eq!(pairs(&m), vec![(0, vec![2]), (1, vec![3])], "{order:?}");
    }
}

#[test]
fn rounds_give_every_treated_a_first_control_before_any_second() {
    // Treated 0 (2.0) and 1 (1.0); controls 2 (2.1), 3 (1.9), 4 (1.1), 5 (5.0).
    // Round 1 (largest first): 0 takes 2 (its nearest), 1 takes 4. Round 2: 0 takes 3
    // (the nearest left for both), so 1 takes 5.
    let score = [2.0, 1.0, 2.1, 1.9, 1.1, 5.0];
    let treated = [true, true, false, false, false, false];
    let m = nearest_neighbour(&score, &treated, &opts(2, None, false, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![2, 3]), (1, vec![4, 5])]);
    assert!(m.weights.iter().all(|&w| w == 1.0));
    // With a caliper of 0.5, treated 1 gets only one control (5 is too far): raw control
    // weights 1/2, 1/2, 1 (sum 2) scaled to sum to the 3 matched controls.
    let m = nearest_neighbour(
        &score,
        &treated,
        &opts(2, Some(0.5), false, MatchOrder::Largest),
    )
    .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![2, 3]), (1, vec![4])]);
    let raw = [0.5, 0.5, 1.0];
    let scale = 3.0 / 2.0;
    for (row, r) in [2, 3, 4].iter().zip(raw) {
        assert!((m.weights[*row] - r * scale).abs() < 1e-15);
    }
    assert_eq!(m.weights[5], 0.0);
}

#[test]
fn replacement_weights_count_each_use() {
    // Both treated nearest to control 2; control 3 unused.
    let score = [1.0, 1.1, 1.05, 9.0];
    let treated = [true, true, false, false];
    let m = nearest_neighbour(&score, &treated, &opts(1, None, true, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![2]), (1, vec![2])]);
    // Raw control weight 2, one matched control: scaled to 1.
    assert_eq!(m.weights, vec![1.0, 1.0, 1.0, 0.0]);
    assert!(m.subclass.is_none());
    // 1:2 with replacement: each treated takes 2 and 3; raw 1 each, 2 matched: 1.
    let m = nearest_neighbour(&score, &treated, &opts(2, None, true, MatchOrder::Largest))
        .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![2, 3]), (1, vec![2, 3])]);
}

#[test]
fn replacement_weights_are_scaled_to_the_matched_controls() {
    // Treated 0, 1 take control 3; treated 2 takes control 4: raw 2 and 1 (sum 3), two
    // matched controls: 4/3 and 2/3.
    let score = [1.0, 1.01, 5.0, 1.005, 5.01];
    let treated = [true, true, true, false, false];
    let m = nearest_neighbour(&score, &treated, &opts(1, None, true, MatchOrder::Data))
        .expect("matches");
    assert!((m.weights[3] - 4.0 / 3.0).abs() < 1e-15);
    assert!((m.weights[4] - 2.0 / 3.0).abs() < 1e-15);
    assert_eq!(m.n_matched(&treated, false), 2);
    assert_eq!(m.n_matched(&treated, true), 3);
}

#[test]
fn caliper_zero_matches_identical_scores_only() {
    let score = [1.0, 2.0, 1.0, 2.0 + 1e-12];
    let treated = [true, true, false, false];
    let m = nearest_neighbour(
        &score,
        &treated,
        &opts(1, Some(0.0), false, MatchOrder::Data),
    )
    .expect("matches");
    assert_eq!(pairs(&m), vec![(0, vec![2])]);
}

#[test]
fn used_up_blocks_are_skipped() {
    // Many controls at the same score: each treated takes the next in file order.
    let mut score = vec![0.0; 5];
    score.extend([0.0, 0.0, 0.0, 10.0]);
    let treated: Vec<bool> = (0..9).map(|i| i < 5).collect();
    let m = nearest_neighbour(&score, &treated, &opts(1, None, false, MatchOrder::Data))
        .expect("matches");
    assert_eq!(
        pairs(&m),
        vec![(0, vec![5]), (1, vec![6]), (2, vec![7]), (3, vec![8]),]
    );
}

#[test]
fn bad_input_is_an_error() {
    let o = opts(1, None, false, MatchOrder::Data);
    assert!(nearest_neighbour(&[1.0], &[true, false], &o).is_err());
    assert!(nearest_neighbour(&[f64::NAN, 1.0], &[true, false], &o).is_err());
    assert!(nearest_neighbour(
        &[0.0, 1.0],
        &[true, false],
        &opts(0, None, false, MatchOrder::Data)
    )
    .is_err());
    assert!(nearest_neighbour(
        &[0.0, 1.0],
        &[true, false],
        &opts(1, Some(-1.0), false, MatchOrder::Data)
    )
    .is_err());
    // No treated or no control: nothing matched, no error.
    let m = nearest_neighbour(&[0.0, 1.0], &[false, false], &o).expect("empty");
    assert!(m.sets.is_empty());
    let m = nearest_neighbour(&[0.0, 1.0], &[true, true], &o).expect("empty");
    assert!(m.sets.is_empty() && m.weights.iter().all(|&w| w == 0.0));
}

#[test]
fn caliper_width_is_caliper_times_sd() {
    let w = caliper_width(&[1.0, 2.0, 3.0], 0.2).expect("width");
    assert!((w - 0.2).abs() < 1e-15);
    assert!(caliper_width(&[1.0], 0.2).is_none());
}
