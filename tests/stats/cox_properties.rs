//! Invariants of the Cox fit: negating a covariate negates its coefficient; rescaling
//! time changes nothing; row order changes nothing; an integer weight k equals k copies
//! of the row (Breslow ties — Efron's correction counts tied rows, so copies and weights
//! differ there, as in R).

use crate::common;

use common::close;
use proptest::prelude::*;
use survlens::stats::cox::{self, CoxData, CoxFit, CoxOptions, Ties};

#[derive(Debug, Clone)]
struct Rows {
    time: Vec<f64>,
    event: Vec<bool>,
    x1: Vec<f64>,
    x2: Vec<f64>,
    weight: Vec<f64>,
    stratum: Vec<u32>,
}

fn rows() -> impl Strategy<Value = Rows> {
    (6usize..40).prop_flat_map(|n| {
        prop::collection::vec(
            (
                1u32..12,
                prop::bool::weighted(0.6),
                -20i32..20,
                0u32..2,
                1u32..4,
                0u32..2,
            ),
            n,
        )
        .prop_map(|v| Rows {
            time: v.iter().map(|r| f64::from(r.0)).collect(),
            event: v.iter().map(|r| r.1).collect(),
            x1: v.iter().map(|r| f64::from(r.2) / 4.0).collect(),
            x2: v.iter().map(|r| f64::from(r.3)).collect(),
            weight: v.iter().map(|r| f64::from(r.4)).collect(),
            stratum: v.iter().map(|r| r.5).collect(),
        })
    })
}

fn fit(r: &Rows, ties: Ties, weighted: bool, strata: bool, robust: bool) -> CoxFit {
    let x: Vec<f64> = r.x1.iter().chain(&r.x2).copied().collect();
    let d = CoxData {
        time: &r.time,
        event: &r.event,
        x: &x,
        p: 2,
        weight: weighted.then_some(&r.weight[..]),
        stratum: strata.then_some(&r.stratum[..]),
        cluster: None,
    };
    cox::fit(
        &d,
        &CoxOptions {
            ties,
            robust,
            ..CoxOptions::default()
        },
    )
    .expect("fit")
}

fn well_behaved(f: &CoxFit) -> bool {
    f.converged
        && !f.infinite.iter().any(|&b| b)
        && f.coef.iter().all(|c| c.is_some_and(|v| v.abs() < 10.0))
}

fn same(a: f64, b: f64) -> bool {
    close(a, b, 1e-6, 1e-8)
}

fn same_fit(a: &CoxFit, b: &CoxFit) -> bool {
    a.coef.iter().zip(&b.coef).all(|(x, y)| match (x, y) {
        (Some(x), Some(y)) => same(*x, *y),
        (None, None) => true,
        _ => false,
    }) && a.var.iter().zip(&b.var).all(|(x, y)| same(*x, *y))
        && same(a.loglik, b.loglik)
        && same(a.loglik_init, b.loglik_init)
        && same(a.score_test.chisq, b.score_test.chisq)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn negating_a_covariate_negates_its_coefficient(r in rows(), efron in any::<bool>(), strata in any::<bool>()) {
        prop_assume!(r.event.iter().any(|&e| e));
        let ties = if efron { Ties::Efron } else { Ties::Breslow };
        let a = fit(&r, ties, true, strata, false);
        let mut neg = r.clone();
        neg.x1.iter_mut().for_each(|v| *v = -*v);
        let b = fit(&neg, ties, true, strata, false);
        prop_assert_eq!(a.converged, b.converged);
        match (a.coef[0], b.coef[0]) {
            (Some(x), Some(y)) => prop_assert!(same(x, -y), "{} vs {}", x, y),
            (x, y) => prop_assert_eq!(x.is_none(), y.is_none()),
        }
        prop_assert!(same(a.loglik, b.loglik));
        prop_assert!(same(a.var[0], b.var[0]));
        prop_assert!(same(a.var[1], -b.var[1]));
    }

    #[test]
    fn rescaling_time_changes_nothing(r in rows(), c in prop::sample::select(vec![0.1, 2.5, 30.4375, 1e4])) {
        prop_assume!(r.event.iter().any(|&e| e));
        let a = fit(&r, Ties::Efron, true, true, true);
        let mut s = r.clone();
        s.time.iter_mut().for_each(|t| *t *= c);
        let b = fit(&s, Ties::Efron, true, true, true);
        prop_assert_eq!(a.coef, b.coef);
        prop_assert_eq!(a.var, b.var);
        prop_assert_eq!(a.robust_var, b.robust_var);
        let ca = cox::concordance(&r.time, &r.event, &a.linear_predictors, Some(&r.weight), None, None);
        let cb = cox::concordance(&s.time, &s.event, &b.linear_predictors, Some(&s.weight), None, None);
        prop_assert!(ca.estimate.to_bits() == cb.estimate.to_bits() || (ca.estimate.is_nan() && cb.estimate.is_nan()));
    }

    #[test]
    fn row_order_changes_nothing(r in rows(), keys in prop::collection::vec(any::<u64>(), 40), efron in any::<bool>()) {
        prop_assume!(r.event.iter().any(|&e| e));
        let ties = if efron { Ties::Efron } else { Ties::Breslow };
        let a = fit(&r, ties, true, true, true);
        prop_assume!(well_behaved(&a));
        let mut idx: Vec<usize> = (0..r.time.len()).collect();
        idx.sort_by_key(|&i| keys[i]);
        let pick = |v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let p = Rows {
            time: pick(&r.time),
            event: idx.iter().map(|&i| r.event[i]).collect(),
            x1: pick(&r.x1),
            x2: pick(&r.x2),
            weight: pick(&r.weight),
            stratum: idx.iter().map(|&i| r.stratum[i]).collect(),
        };
        let b = fit(&p, ties, true, true, true);
        prop_assert!(same_fit(&a, &b), "{:?}\n{:?}", a, b);
        let ra = a.robust_var.unwrap_or_default();
        let rb = b.robust_var.unwrap_or_default();
        prop_assert!(ra.iter().zip(&rb).all(|(x, y)| same(*x, *y)));
        for (k, &i) in idx.iter().enumerate() {
            prop_assert!(same(a.linear_predictors[i], b.linear_predictors[k]));
        }
    }

    #[test]
    fn integer_weight_equals_copies(r in rows(), strata in any::<bool>()) {
        prop_assume!(r.event.iter().any(|&e| e));
        let a = fit(&r, Ties::Breslow, true, strata, true);
        prop_assume!(well_behaved(&a));
        let mut c = Rows { time: vec![], event: vec![], x1: vec![], x2: vec![], weight: vec![], stratum: vec![] };
        let mut cluster = vec![];
        for i in 0..r.time.len() {
            for _ in 0..r.weight[i] as usize {
                c.time.push(r.time[i]);
                c.event.push(r.event[i]);
                c.x1.push(r.x1[i]);
                c.x2.push(r.x2[i]);
                c.weight.push(1.0);
                c.stratum.push(r.stratum[i]);
                cluster.push(i as u32);
            }
        }
        let b = fit(&c, Ties::Breslow, false, strata, false);
        prop_assert!(same_fit(&a, &b), "{:?}\n{:?}", a, b);
        // Robust variance: each row its own cluster vs its copies clustered together.
        let x: Vec<f64> = c.x1.iter().chain(&c.x2).copied().collect();
        let d = CoxData {
            time: &c.time, event: &c.event, x: &x, p: 2, weight: None,
            stratum: strata.then_some(&c.stratum[..]), cluster: Some(&cluster),
        };
        let bc = cox::fit(&d, &CoxOptions { ties: Ties::Breslow, robust: true, ..CoxOptions::default() }).expect("fit");
        let ra = a.robust_var.unwrap_or_default();
        let rb = bc.robust_var.unwrap_or_default();
        prop_assert!(ra.iter().zip(&rb).all(|(x, y)| same(*x, *y)), "{:?} vs {:?}", ra, rb);
        // Concordance: same estimate.
        let s = strata.then_some(&r.stratum[..]);
        let ca = cox::concordance(&r.time, &r.event, &a.linear_predictors, Some(&r.weight), s, None);
        let sc = strata.then_some(&c.stratum[..]);
        let cb = cox::concordance(&c.time, &c.event, &b.linear_predictors, None, sc, Some(&cluster));
        prop_assert!((ca.estimate.is_nan() && cb.estimate.is_nan()) || same(ca.estimate, cb.estimate));
    }
}
