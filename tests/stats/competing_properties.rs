//! Property tests of the competing-risks code on random tied data: the states add to 1
//! (the event-free state being the all-cause Kaplan–Meier), incidences never decrease,
//! row order changes nothing, an integer weight k gives the estimate of k copies of the
//! row, and Gray's test does not depend on row order or on the group codes' gaps.

use proptest::prelude::*;
use survlens::stats::competing::aalen_johansen::cumulative_incidence;
use survlens::stats::competing::gray::gray_test;
use survlens::stats::competing::Outcome;
use survlens::stats::km::kaplan_meier;

const REL_TOL: f64 = 1e-12;

/// Equal to 1e-12 relative, or 1e-12 absolute: estimates and standard errors live on
/// the probability scale, and a standard error that is 0 in exact arithmetic (the
/// incidence at 1 once every row has left) comes out as a few 1e-17 whose rounding
/// depends on the order of the sums.
fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= REL_TOL * a.abs().max(b.abs()).max(1.0)
}

fn all_close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| close(x, y))
}

/// Rows: time in 1..=8 (heavy ties), outcome 0/1/2, integer weight 1..=3, group 0..3.
fn rows() -> impl Strategy<Value = Vec<(f64, Outcome, u32, u32)>> {
    prop::collection::vec((1u32..=8, 0u8..3, 1u32..=3, 0u32..3), 2..50).prop_map(|v| {
        v.into_iter()
            .map(|(t, o, w, g)| {
                let o = [Outcome::Censored, Outcome::Event, Outcome::Competing][o as usize];
                (f64::from(t), o, w, g)
            })
            .collect()
    })
}

struct Cols {
    time: Vec<f64>,
    outcome: Vec<Outcome>,
    weight: Vec<f64>,
    group: Vec<u32>,
}

fn columns(rows: &[(f64, Outcome, u32, u32)]) -> Cols {
    Cols {
        time: rows.iter().map(|r| r.0).collect(),
        outcome: rows.iter().map(|r| r.1).collect(),
        weight: rows.iter().map(|r| f64::from(r.2) * 0.625).collect(),
        group: rows.iter().map(|r| r.3).collect(),
    }
}

proptest! {
    #[test]
    fn states_add_to_one_and_incidence_never_decreases(rows in rows()) {
        let c = columns(&rows);
        let any: Vec<bool> = c.outcome.iter().map(|&o| o != Outcome::Censored).collect();
        for w in [None, Some(&c.weight[..])] {
            let cif = cumulative_incidence(&c.time, &c.outcome, w);
            let km = kaplan_meier(&c.time, &any, w);
            prop_assert_eq!(&cif.time, &km.time);
            for k in 0..cif.len() {
                let total = cif.event.estimate[k] + cif.competing.estimate[k] + km.surv[k];
                prop_assert!((total - 1.0).abs() < 1e-13);
                prop_assert!(cif.event.std_err[k] >= 0.0 && cif.competing.std_err[k] >= 0.0);
            }
            for f in [&cif.event.estimate, &cif.competing.estimate] {
                prop_assert!(f.windows(2).all(|p| p[0] <= p[1] + 1e-15));
                prop_assert!(f.iter().all(|&x| (0.0..=1.0 + 1e-15).contains(&x)));
            }
        }
    }

    #[test]
    fn row_order_changes_nothing(rows in rows()) {
        let c = columns(&rows);
        let mut reversed = rows.clone();
        reversed.reverse();
        let r = columns(&reversed);
        let a = cumulative_incidence(&c.time, &c.outcome, Some(&c.weight));
        let b = cumulative_incidence(&r.time, &r.outcome, Some(&r.weight));
        prop_assert_eq!(&a.time, &b.time);
        prop_assert_eq!(&a.n_risk, &b.n_risk);
        for (x, y) in [(&a.event, &b.event), (&a.competing, &b.competing)] {
            prop_assert_eq!(&x.n_event, &y.n_event);
            prop_assert!(all_close(&x.estimate, &y.estimate));
            prop_assert!(all_close(&x.std_err, &y.std_err));
        }
        for cause in [Outcome::Event, Outcome::Competing] {
            let g1 = gray_test(&c.time, &c.outcome, &c.group, 3, None, cause);
            let g2 = gray_test(&r.time, &r.outcome, &r.group, 3, None, cause);
            match (g1, g2) {
                (Some(x), Some(y)) => {
                    prop_assert!((x.chisq - y.chisq).abs() <= 1e-9 * x.chisq.abs().max(1.0));
                    prop_assert_eq!(x.df, y.df);
                }
                (None, None) => {}
                (x, y) => prop_assert!(false, "{:?} vs {:?}", x, y),
            }
            // Gaps in the group codes: groups without rows are dropped, as cuminc does.
            let spread: Vec<u32> = c.group.iter().map(|&g| 2 * g + 1).collect();
            let g3 = gray_test(&c.time, &c.outcome, &spread, 6, None, cause);
            prop_assert_eq!(gray_test(&c.time, &c.outcome, &c.group, 3, None, cause), g3);
        }
    }

    /// The weighted estimate with integer weights is the estimate of the data with each
    /// row repeated (the IJ SE is not: a weight is one subject, copies are many).
    #[test]
    fn integer_weight_is_repeated_rows_for_the_estimate(rows in rows()) {
        let c = columns(&rows);
        let w: Vec<f64> = rows.iter().map(|r| f64::from(r.2)).collect();
        let mut time = Vec::new();
        let mut outcome = Vec::new();
        for r in &rows {
            for _ in 0..r.2 {
                time.push(r.0);
                outcome.push(r.1);
            }
        }
        let weighted = cumulative_incidence(&c.time, &c.outcome, Some(&w));
        let repeated = cumulative_incidence(&time, &outcome, None);
        prop_assert_eq!(&weighted.time, &repeated.time);
        prop_assert!(all_close(&weighted.event.estimate, &repeated.event.estimate));
        prop_assert!(all_close(&weighted.competing.estimate, &repeated.competing.estimate));
    }
}
