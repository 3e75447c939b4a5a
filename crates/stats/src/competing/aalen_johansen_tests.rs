//! Hand checks of the Aalen–Johansen estimate: against the Kaplan–Meier code when there
//! is no competing event, the sum over states, a binomial variance by hand, and
//! degenerate inputs.

use super::{cumulative_incidence, CumulativeIncidence};
use crate::competing::Outcome;
use crate::km::kaplan_meier;
use crate::km::robust::ij_se_surv;

fn close(a: f64, b: f64, tol: f64) -> bool {
    a == b || (a - b).abs() <= tol * a.abs().max(b.abs()).max(1e-300)
}

/// Unsorted rows with heavy ties, censorings tied with events, non-integer weights.
fn rows() -> (Vec<f64>, Vec<Outcome>, Vec<f64>) {
    use Outcome::{Censored as C, Competing as K, Event as E};
    let time = vec![
        5.0, 1.0, 3.0, 3.0, 2.0, 8.0, 3.0, 5.0, 1.0, 6.0, 2.0, 7.0, 5.0, 4.0, 9.0, 9.0,
    ];
    let outcome = vec![E, K, E, C, E, K, K, E, C, E, K, C, C, E, E, K];
    let weight = vec![
        1.3, 0.7, 2.1, 1.0, 0.4, 1.9, 0.8, 1.1, 2.5, 0.6, 1.2, 0.9, 1.7, 0.5, 1.4, 0.3,
    ];
    (time, outcome, weight)
}

/// Without competing events the event CIF is 1 − KM and its SE is the KM's IJ SE
/// (`survfit(..., robust = TRUE)`): two different codes, one quantity.
#[test]
fn without_competing_events_cif_is_one_minus_km_with_its_ij_se() {
    let (time, outcome, weight) = rows();
    // Competing events turned into censorings (the cause-specific data).
    let outcome: Vec<Outcome> = outcome
        .iter()
        .map(|&o| Outcome::from_flags(o == Outcome::Event, false))
        .collect();
    let event: Vec<bool> = outcome.iter().map(|&o| o == Outcome::Event).collect();
    for w in [None, Some(&weight[..])] {
        let cif = cumulative_incidence(&time, &outcome, w);
        let km = kaplan_meier(&time, &event, w);
        let ones = vec![1.0; time.len()];
        let se = ij_se_surv(&km, &time, &event, w.unwrap_or(&ones));
        assert_eq!(cif.time, km.time);
        for (k, &se_km) in se.iter().enumerate() {
            assert!(
                close(cif.event.estimate[k], 1.0 - km.surv[k], 1e-13),
                "F at {k}"
            );
            assert!(
                close(cif.event.std_err[k], se_km, 1e-10),
                "SE at {k}: {} vs {se_km}",
                cif.event.std_err[k]
            );
            assert_eq!(cif.competing.estimate[k], 0.0);
            assert_eq!(cif.competing.std_err[k], 0.0);
        }
    }
}

/// F1 + F2 + S = 1 at every time, S the all-cause Kaplan–Meier.
#[test]
fn the_states_add_up_to_one() {
    let (time, outcome, weight) = rows();
    let any: Vec<bool> = outcome.iter().map(|&o| o != Outcome::Censored).collect();
    for w in [None, Some(&weight[..])] {
        let cif = cumulative_incidence(&time, &outcome, w);
        let km = kaplan_meier(&time, &any, w);
        assert_eq!(cif.time, km.time);
        for k in 0..km.len() {
            let total = cif.event.estimate[k] + cif.competing.estimate[k] + km.surv[k];
            assert!((total - 1.0).abs() < 1e-14, "sum {total} at {k}");
        }
        // Counts: every row once, as an event, a competing event or a censoring.
        let n_rows: f64 = cif.n_censor.iter().sum::<f64>()
            + cif.event.n_event.iter().sum::<f64>()
            + cif.competing.n_event.iter().sum::<f64>();
        assert_eq!(n_rows, time.len() as f64);
        assert_eq!(cif.n_risk[0], time.len() as f64);
    }
}

/// By hand: times 1 (event), 2 (competing), 3 (censored), 4 (event), unit weights.
/// t=1: F1 = 1/4, and F1 = d/n has IJ variance Σ_i (∂(d/n)/∂w_i)² = d(n − d)/n³
/// = 3/64. t=2: F2 = S(1)·1/3 = 1/4. t=4: the last row fails, S = 0, F1 = 1/4 + 1/2.
#[test]
fn a_small_curve_by_hand() {
    use Outcome::{Censored as C, Competing as K, Event as E};
    let cif = cumulative_incidence(&[4.0, 2.0, 3.0, 1.0], &[E, K, C, E], None);
    assert_eq!(cif.time, vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(cif.n_risk, vec![4.0, 3.0, 2.0, 1.0]);
    assert_eq!(cif.event.estimate, vec![0.25, 0.25, 0.25, 0.75]);
    assert_eq!(cif.competing.estimate, vec![0.0, 0.25, 0.25, 0.25]);
    assert!(close(cif.event.std_err[0], 3f64.sqrt() / 8.0, 1e-15));
    assert_eq!(cif.competing.std_err[0], 0.0);
    // Nothing steps at the censoring: the SEs carry forward unchanged.
    assert_eq!(cif.event.std_err[2], cif.event.std_err[1]);
}

#[test]
fn degenerate_inputs_give_empty_or_flat_curves() {
    assert_eq!(
        cumulative_incidence(&[], &[], None),
        CumulativeIncidence::default()
    );
    // Zero weights: no step, F stays 0 (survfitci steps only where Σ w of events > 0).
    let cif = cumulative_incidence(
        &[1.0, 2.0],
        &[Outcome::Event, Outcome::Competing],
        Some(&[0.0, 0.0]),
    );
    assert_eq!(cif.event.estimate, vec![0.0, 0.0]);
    assert_eq!(cif.competing.std_err, vec![0.0, 0.0]);
    // Everyone fails at once: F = d/n and S = 0.
    let cif = cumulative_incidence(
        &[3.0; 4],
        &[
            Outcome::Event,
            Outcome::Event,
            Outcome::Competing,
            Outcome::Event,
        ],
        None,
    );
    assert_eq!(cif.event.estimate, vec![0.75]);
    assert_eq!(cif.competing.estimate, vec![0.25]);
    // F2 = 1 − F1 here, so both SEs are that of d/n: √(3·1/4³) = √3/8.
    assert!(close(cif.event.std_err[0], 3f64.sqrt() / 8.0, 1e-15));
    assert!(close(cif.competing.std_err[0], 3f64.sqrt() / 8.0, 1e-15));
}
