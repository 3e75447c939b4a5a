//! Properties that hold for any data, not only the fixtures:
//! * the Cox model by rounds over any split of the rows into sites equals the fit of the
//!   stacked rows stratified by site (coefficients, variance, log-likelihoods, iterations);
//! * binned counts never show a count of 1 to min_cell − 1 and keep every total.

use super::common::close;
use proptest::prelude::*;
use survlens::analysis::sites::{bin_group, life_table};
use survlens::stats::cox::{
    self, newton_rounds, partial_likelihood_at, CoxData, CoxOptions, PartialLikelihood, Rounds,
    Ties,
};

/// (time, event, x1, x2, site) rows.
fn rows() -> impl Strategy<Value = Vec<(u32, bool, i32, u32, u32)>> {
    prop::collection::vec(
        (
            1u32..15,
            prop::bool::weighted(0.6),
            -10i32..10,
            0u32..2,
            0u32..3,
        ),
        12..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rounds_over_any_split_equal_the_fit_stratified_by_site(r in rows(), efron in any::<bool>()) {
        prop_assume!(r.iter().filter(|x| x.1).count() >= 3);
        let ties = if efron { Ties::Efron } else { Ties::Breslow };
        let time: Vec<f64> = r.iter().map(|x| x.0 as f64).collect();
        let event: Vec<bool> = r.iter().map(|x| x.1).collect();
        let x: Vec<f64> = r.iter().map(|x| x.2 as f64 / 3.0).chain(r.iter().map(|x| x.3 as f64)).collect();
        let site: Vec<u32> = r.iter().map(|x| x.4).collect();
        let n = r.len();
        let whole = CoxData { time: &time, event: &event, x: &x, p: 2, weight: None, stratum: Some(&site), cluster: None };
        let opts = CoxOptions { ties, ..CoxOptions::default() };
        let reference = cox::fit(&whole, &opts).unwrap();
        prop_assume!(reference.converged && reference.coef.iter().all(Option::is_some));
        prop_assume!(!reference.infinite.iter().any(|&b| b));
        let parts: Vec<(Vec<f64>, Vec<bool>, Vec<f64>)> = (0..3)
            .map(|s| {
                let rows: Vec<usize> = (0..n).filter(|&i| site[i] == s).collect();
                let xs: Vec<f64> = (0..2)
                    .flat_map(|j| rows.iter().map(|&i| x[j * n + i]).collect::<Vec<_>>())
                    .collect();
                (rows.iter().map(|&i| time[i]).collect(), rows.iter().map(|&i| event[i]).collect(), xs)
            })
            .collect();
        let result = newton_rounds(2, |b| {
            let mut sum = PartialLikelihood::zero(2);
            for (t, e, xs) in parts.iter().filter(|p| !p.0.is_empty()) {
                let d = CoxData { time: t, event: e, x: xs, p: 2, weight: None, stratum: None, cluster: None };
                sum.add(&partial_likelihood_at(&d, b, ties).unwrap());
            }
            Some(sum)
        }, &opts);
        let Rounds::Done(f) = result else { panic!("every β is available") };
        prop_assert!(f.converged);
        prop_assert_eq!(f.iterations, reference.iterations);
        for j in 0..2 {
            let c = reference.coef[j].unwrap();
            prop_assert!(close(f.beta[j], c, 1e-8, 1e-10), "coef {}: {} vs {}", j, f.beta[j], c);
            let v = reference.var[j * 2 + j];
            prop_assert!(close(f.var[j * 2 + j], v, 1e-7, 1e-12), "var {}: {} vs {}", j, f.var[j * 2 + j], v);
        }
        prop_assert!(close(f.loglik, reference.loglik, 1e-10, 1e-12));
        prop_assert!(close(f.loglik_init, reference.loglik_init, 1e-10, 1e-12));
    }

    #[test]
    fn binned_counts_show_no_small_count_and_keep_totals(
        times in prop::collection::vec((0u32..200, any::<bool>()), 0..120),
        width in 1u32..20,
        min_cell in 1usize..12,
    ) {
        let time: Vec<f64> = times.iter().map(|t| t.0 as f64 / 4.0).collect();
        let event: Vec<bool> = times.iter().map(|t| t.1).collect();
        let w = width as f64 / 2.0;
        let g = bin_group("g", &time, &event, w, min_cell, 100_000).unwrap();
        let ok = |n: usize| n == 0 || n >= min_cell;
        prop_assert!(g.n_event.iter().chain(&g.n_censor).chain(&g.n_risk).all(|&n| ok(n)));
        let d = event.iter().filter(|&&e| e).count();
        if g.suppressed {
            prop_assert!(g.edges.is_empty());
            prop_assert!(!ok(d) || !ok(time.len() - d));
        } else if !time.is_empty() {
            prop_assert_eq!(g.n_event.iter().sum::<usize>(), d);
            prop_assert_eq!(g.n_censor.iter().sum::<usize>(), time.len() - d);
            prop_assert_eq!(g.n_risk[0], time.len());
            prop_assert!(g.edges.iter().all(|e| (e / w).fract() == 0.0));
            // Each bin's at-risk count is the patients not gone before it.
            for k in 1..g.n_risk.len() {
                prop_assert_eq!(g.n_risk[k], g.n_risk[k - 1] - g.n_event[k - 1] - g.n_censor[k - 1]);
            }
            // Every time lies in its bin's interval.
            let last = *g.edges.last().unwrap();
            prop_assert!(time.iter().all(|&t| t < last));
        }
    }

    /// Pooled over sites, the life table equals the one of the stacked rows when no bin is
    /// merged (min_cell 1); with merging it is coarser but keeps the totals.
    #[test]
    fn the_pooled_life_table_equals_the_stacked_one(
        rows in prop::collection::vec((0u32..120, any::<bool>(), 0usize..3), 1..150),
        min_cell in 1usize..8,
    ) {
        let w = 3.0;
        let part = |s: Option<usize>| -> (Vec<f64>, Vec<bool>) {
            rows.iter().filter(|r| s.is_none_or(|s| r.2 == s)).map(|r| (r.0 as f64 / 2.0, r.1)).unzip()
        };
        let (t, e) = part(None);
        let stacked = bin_group("g", &t, &e, w, 1, 100_000).unwrap();
        let whole = life_table("g", &[&stacked], w);
        let sites: Vec<_> = (0..3)
            .map(|s| { let (t, e) = part(Some(s)); bin_group("g", &t, &e, w, 1, 100_000).unwrap() })
            .collect();
        let refs: Vec<&_> = sites.iter().collect();
        let pooled = life_table("g", &refs, w);
        prop_assert_eq!(&pooled.edges, &whole.edges);
        prop_assert_eq!(&pooled.n_risk, &whole.n_risk);
        prop_assert_eq!(&pooled.n_event, &whole.n_event);
        prop_assert_eq!(&pooled.n_censor, &whole.n_censor);
        for (a, b) in pooled.surv.iter().zip(&whole.surv) {
            prop_assert!((a - b).abs() < 1e-12);
        }
        let merged: Vec<_> = (0..3)
            .map(|s| { let (t, e) = part(Some(s)); bin_group("g", &t, &e, w, min_cell, 100_000).unwrap() })
            .collect();
        let shown: Vec<&_> = merged.iter().filter(|g| !g.suppressed).collect();
        let coarse = life_table("g", &shown, w);
        let total: usize = shown.iter().map(|g| g.n_event.iter().sum::<usize>()).sum();
        prop_assert_eq!(coarse.n_event.iter().sum::<usize>(), total);
        prop_assert!(coarse.edges.len() <= whole.edges.len().max(2));
    }
}
