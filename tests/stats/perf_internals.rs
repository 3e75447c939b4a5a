//! The speed-ups of issue 7 keep every bit: the factored solve against the one-shot
//! solve, and concordance against a direct O(n²) count (tied scores and ±0 included).

use proptest::prelude::*;
use survlens::stats::cox::concordance;
use survlens::stats::linalg::{solve, Lu, SolveError};

fn matrix(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-5.0..5.0f64, n * n)
}

proptest! {
    #[test]
    fn lu_factor_then_solve_is_solve_bit_for_bit(a in matrix(4), b in prop::collection::vec(-3.0..3.0f64, 4)) {
        let once = solve(&a, 4, &b);
        let twice = Lu::factor(&a, 4).and_then(|lu| lu.solve(&b));
        match (once, twice) {
            (Ok(x), Ok(y)) => prop_assert!(x.iter().zip(&y).all(|(p, q)| p.to_bits() == q.to_bits())),
            (Err(e), Err(f)) => prop_assert_eq!(e, f),
            (x, y) => prop_assert!(false, "solve {:?} but factor+solve {:?}", x, y),
        }
    }

    #[test]
    fn concordance_matches_the_pairwise_definition(
        rows in prop::collection::vec((0u8..6, any::<bool>(), 0u8..4), 2..40)
    ) {
        let time: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
        let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
        // Few distinct scores (ties), with -0 and +0 both present.
        let lp: Vec<f64> = rows.iter().map(|r| [-0.0, 0.0, 1.5, -2.0][r.2 as usize]).collect();
        let c = concordance(&time, &event, &lp, None, None, None);
        let (mut conc, mut disc, mut tied) = (0.0, 0.0, 0.0);
        for i in 0..time.len() {
            for j in 0..time.len() {
                let comparable = event[i] && (time[j] > time[i] || (time[j] == time[i] && !event[j]));
                if !comparable { continue; }
                if lp[i] > lp[j] { conc += 1.0 } else if lp[i] < lp[j] { disc += 1.0 } else { tied += 1.0 }
            }
        }
        prop_assert_eq!(c.concordant, conc);
        prop_assert_eq!(c.discordant, disc);
        prop_assert_eq!(c.tied_x, tied);
    }
}

#[test]
fn lu_refuses_what_solve_refuses() {
    let singular = [1.0, 2.0, 2.0, 4.0];
    assert!(matches!(
        Lu::factor(&singular, 2),
        Err(SolveError::ExactlySingular { .. })
    ));
    assert_eq!(
        Lu::factor(&[1.0, f64::NAN, 0.0, 1.0], 2).err(),
        Some(SolveError::NotFinite)
    );
    let lu = Lu::factor(&[2.0, 0.0, 0.0, 4.0], 2).expect("regular");
    assert_eq!(
        lu.solve(&[1.0, f64::INFINITY]).err(),
        Some(SolveError::NotFinite)
    );
    assert_eq!(lu.solve(&[2.0, 2.0]).expect("solves"), vec![1.0, 0.5]);
    assert_eq!(Lu::factor(&[], 0).and_then(|l| l.solve(&[])), Ok(vec![]));
}
