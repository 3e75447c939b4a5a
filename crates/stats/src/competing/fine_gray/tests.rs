//! Hand calculations of the Fine–Gray pieces on tiny data.

use super::*;

#[test]
fn one_covariate_hand_loglik_at_zero() {
    // Times 1 (event, x=1), 2 (other, x=0), 3 (censored, x=1), 4 (event, x=0), 5 (event, x=1).
    // No censoring before 3, Ĝ(4⁻) = 1·(1 − 1/3) = 2/3, Ĝ(5⁻) = 2/3.
    // At β = 0: risk set at 1: 5 rows → S₀ = 5. At 4: rows 4, 5 (1 each) + row 2 with
    // weight Ĝ(4⁻)/Ĝ(2⁻) = 2/3 → S₀ = 8/3. At 5: row 5 + row 2 (2/3) → 5/3.
    let time = [1.0, 2.0, 3.0, 4.0, 5.0];
    let outcome = [
        Outcome::Event,
        Outcome::Competing,
        Outcome::Censored,
        Outcome::Event,
        Outcome::Event,
    ];
    let x = [1.0, 0.0, 1.0, 0.0, 1.0];
    let prep = Prepared::new(&time, &outcome, &x, 1, Outcome::Event);
    let ev = evaluate(&prep, &[0.0], true);
    let want = -(crate::math::ln(5.0) + crate::math::ln(8.0 / 3.0) + crate::math::ln(5.0 / 3.0));
    assert!((ev.loglik - want).abs() < 1e-14, "{} vs {want}", ev.loglik);
    // U = Σ x_i − Σ x̄(t): x̄(1) = 3/5, x̄(4) = 1/(8/3) = 3/8, x̄(5) = 1/(5/3) = 3/5.
    let u = 2.0 - (0.6 + 0.375 + 0.6);
    assert!((ev.score[0] - u).abs() < 1e-14);
    // I = Σ x̄(1 − x̄) for a 0/1 covariate.
    let i = 0.6 * 0.4 + 0.375 * 0.625 + 0.6 * 0.4;
    assert!((ev.info[0] - i).abs() < 1e-14);
}

#[test]
fn errors_are_typed() {
    let time = [1.0, 2.0];
    let x = [1.0, f64::NAN];
    let outcome = [Outcome::Event, Outcome::Censored];
    let data = FineGrayData {
        time: &time,
        outcome: &outcome,
        x: &x,
        p: 1,
    };
    assert_eq!(
        fine_gray(&data, Outcome::Event),
        Err(FineGrayError::CovariateNotFinite { row: 1, column: 0 })
    );
    assert_eq!(
        fine_gray(&data, Outcome::Censored),
        Err(FineGrayError::CensoredIsNotACause)
    );
    let constant = [2.0, 2.0];
    let data = FineGrayData {
        x: &constant,
        ..data
    };
    assert_eq!(
        fine_gray(&data, Outcome::Competing),
        Err(FineGrayError::NoEvents {
            cause: Outcome::Competing
        })
    );
    assert_eq!(
        fine_gray(&data, Outcome::Event),
        Err(FineGrayError::Singular { column: 0 })
    );
}

#[test]
fn a_repeated_column_is_named() {
    let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let outcome = [
        Outcome::Event,
        Outcome::Competing,
        Outcome::Event,
        Outcome::Censored,
        Outcome::Event,
        Outcome::Event,
    ];
    let a = [1.0, 0.0, 2.0, 1.0, 3.0, 0.5];
    // Columns: a, 1 − a, 2a − 3 (the third repeats the first).
    let mut x = a.to_vec();
    x.extend(a.iter().map(|v| 1.0 - v * 0.5));
    x.extend(a.iter().map(|v| 2.0 * v - 3.0));
    let data = FineGrayData {
        time: &time,
        outcome: &outcome,
        x: &x,
        p: 3,
    };
    // Column 1 = 1 − a/2 is itself a combination of column 0 (and the constant, which
    // drops out of every risk set): the first redundant column is 1.
    assert_eq!(
        fine_gray(&data, Outcome::Event),
        Err(FineGrayError::Singular { column: 1 })
    );
}

#[test]
fn null_model_without_covariates() {
    let time = [3.0, 1.0, 2.0];
    let outcome = [Outcome::Event, Outcome::Competing, Outcome::Event];
    let data = FineGrayData {
        time: &time,
        outcome: &outcome,
        x: &[],
        p: 0,
    };
    let fit = fine_gray(&data, Outcome::Event).expect("fit");
    assert!(fit.converged);
    assert!(fit.coef.is_empty() && fit.var.is_empty());
    assert_eq!(fit.loglik, fit.loglik_null);
    // At 2: rows 2, 3 + row 1 (weight 1, no censoring) → log 3; at 3: row 3 + row 1 → log 2.
    assert!((fit.loglik + crate::math::ln(6.0)).abs() < 1e-14);
    assert_eq!((fit.n, fit.n_events), (3, 2));
}

#[test]
fn a_dummy_without_events_of_the_cause_is_flagged_infinite() {
    // Level 1 of the dummy has competing events and censorings only: ℓ keeps rising as
    // its coefficient goes to −∞.
    let n = 60;
    let time: Vec<f64> = (0..n).map(|i| 1.0 + (i * 37 % n) as f64).collect();
    let dummy: Vec<f64> = (0..n).map(|i| (i % 3 == 0) as u8 as f64).collect();
    let other: Vec<f64> = (0..n).map(|i| ((i * 7 % 11) as f64) / 11.0).collect();
    let outcome: Vec<Outcome> = (0..n)
        .map(|i| match (i % 3 == 0, i % 4) {
            (true, 0 | 1) => Outcome::Competing,
            (true, _) => Outcome::Censored,
            (false, 0) => Outcome::Censored,
            (false, 1) => Outcome::Competing,
            (false, _) => Outcome::Event,
        })
        .collect();
    let mut x = dummy;
    x.extend(other);
    let data = FineGrayData {
        time: &time,
        outcome: &outcome,
        x: &x,
        p: 2,
    };
    let fit = fine_gray(&data, Outcome::Event).expect("fit");
    assert_eq!(fit.infinite, vec![true, false]);
    assert!(fit.coef[0] < -15.0, "{:?}", fit.coef);
    // The finite coefficient is not flagged however small its step: the same data
    // without the dummy.
    let data = FineGrayData {
        x: &x[n..],
        p: 1,
        ..data
    };
    assert_eq!(
        fine_gray(&data, Outcome::Event).expect("fit").infinite,
        vec![false]
    );
}
