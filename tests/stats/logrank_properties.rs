//! Invariants of survdiff: row order among tied times, stratum labels and the
//! decomposition of a stratified test into its strata.

use proptest::prelude::*;
use survlens::stats::logrank::{survdiff, LogRankTest};

#[derive(Debug, Clone)]
struct Data {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<u32>,
    stratum: Vec<u32>,
}

const K: usize = 3;
const S: usize = 2;

/// Small integer times so ties are frequent.
fn data() -> impl Strategy<Value = (Data, Vec<u64>, f64)> {
    (1usize..40)
        .prop_flat_map(|n| {
            (
                prop::collection::vec((1u32..12, any::<bool>(), 0u32..K as u32, 0u32..S as u32), n),
                prop::collection::vec(any::<u64>(), n),
                prop::sample::select(vec![0.0, 0.5, 1.0, 2.0]),
            )
        })
        .prop_map(|(rows, keys, rho)| {
            let mut rows = rows;
            rows.sort_by_key(|r| r.0);
            let d = Data {
                time: rows.iter().map(|r| r.0 as f64).collect(),
                event: rows.iter().map(|r| r.1).collect(),
                group: rows.iter().map(|r| r.2).collect(),
                stratum: rows.iter().map(|r| r.3).collect(),
            };
            (d, keys, rho)
        })
}

fn run(d: &Data, rho: f64) -> LogRankTest {
    survdiff(&d.time, &d.event, &d.group, K, &d.stratum, S, rho)
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0)
        })
}

fn same_test(a: &LogRankTest, b: &LogRankTest) -> bool {
    same(&a.observed, &b.observed)
        && same(&a.expected, &b.expected)
        && same(&a.variance, &b.variance)
        && a.df == b.df
        && a.singular == b.singular
        && same(&[a.chisq, a.p], &[b.chisq, b.p])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any permutation that keeps the data sorted by time (i.e. shuffles rows within
    /// tied times) changes nothing.
    #[test]
    fn shuffling_tied_rows_changes_nothing((d, keys, rho) in data()) {
        let mut idx: Vec<usize> = (0..d.time.len()).collect();
        idx.sort_by(|&a, &b| d.time[a].total_cmp(&d.time[b]).then(keys[a].cmp(&keys[b])));
        let p = Data {
            time: idx.iter().map(|&i| d.time[i]).collect(),
            event: idx.iter().map(|&i| d.event[i]).collect(),
            group: idx.iter().map(|&i| d.group[i]).collect(),
            stratum: idx.iter().map(|&i| d.stratum[i]).collect(),
        };
        prop_assert!(same_test(&run(&d, rho), &run(&p, rho)));
    }

    /// Relabelling strata changes nothing.
    #[test]
    fn stratum_labels_do_not_matter((d, _k, rho) in data()) {
        let mut q = d.clone();
        q.stratum.iter_mut().for_each(|s| *s = S as u32 - 1 - *s);
        prop_assert!(same_test(&run(&d, rho), &run(&q, rho)));
    }

    /// O, E and V of a stratified test are the sums of the per-stratum tests.
    #[test]
    fn stratified_sums_per_stratum_tests((d, _k, rho) in data()) {
        let all = run(&d, rho);
        let mut o = vec![0.0; K];
        let mut e = vec![0.0; K];
        let mut v = vec![0.0; K * K];
        for s in 0..S as u32 {
            let keep: Vec<usize> = (0..d.time.len()).filter(|&i| d.stratum[i] == s).collect();
            let t: Vec<f64> = keep.iter().map(|&i| d.time[i]).collect();
            let ev: Vec<bool> = keep.iter().map(|&i| d.event[i]).collect();
            let g: Vec<u32> = keep.iter().map(|&i| d.group[i]).collect();
            let r = survdiff(&t, &ev, &g, K, &vec![0; keep.len()], 1, rho);
            for j in 0..K { o[j] += r.observed[j]; e[j] += r.expected[j]; }
            v.iter_mut().zip(&r.variance).for_each(|(a, b)| *a += b);
        }
        prop_assert!(same(&all.observed, &o) && same(&all.expected, &e) && same(&all.variance, &v));
    }

    /// Group totals: Σ_g O_g = Σ_g E_g for rho = 0; V rows sum to 0; V symmetric.
    #[test]
    fn margins((d, _k, rho) in data()) {
        let r = run(&d, rho);
        let so: f64 = r.observed.iter().sum();
        let se: f64 = r.expected.iter().sum();
        prop_assert!((so - se).abs() <= 1e-9 * so.max(1.0));
        for a in 0..K {
            let row: f64 = (0..K).map(|b| r.variance[a * K + b]).sum();
            prop_assert!(row.abs() <= 1e-9);
            for b in 0..K {
                prop_assert!((r.variance[a * K + b] - r.variance[b * K + a]).abs() <= 1e-12);
            }
        }
        if rho == 0.0 {
            let deaths = d.event.iter().filter(|&&x| x).count() as f64;
            prop_assert_eq!(so, deaths);
        }
        prop_assert!(r.singular || (r.chisq >= -1e-9 && (0.0..=1.0).contains(&r.p)));
    }
}
