//! The speed work's invariants (issue 7): the one shared (stratum, time) sort gives the
//! same answers as each routine's own sort, and the closed-form Efron sums equal the
//! risk-set definition, with strata, heavy ties, case weights and delayed entry.

use survlens::stats::cox::{self, CoxData, CoxFit, CoxOptions, Ties, ZphTransform};
use survlens::stats::math;
use survlens::stats::order;

/// Deterministic rows: times on a coarse grid (heavy ties), 3 strata, weights, 2 covariates.
#[derive(Default)]
pub(crate) struct Rows {
    pub(crate) time: Vec<f64>,
    pub(crate) entry: Vec<f64>,
    pub(crate) event: Vec<bool>,
    pub(crate) x: Vec<f64>,
    pub(crate) weight: Vec<f64>,
    pub(crate) stratum: Vec<u32>,
}

fn rows(n: usize) -> Rows {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut r = Rows {
        time: vec![],
        entry: vec![],
        event: vec![],
        x: vec![0.0; 2 * n],
        weight: vec![],
        stratum: vec![],
    };
    for i in 0..n {
        let t = if i % 17 == 0 {
            0.0
        } else {
            1.0 + (next() * 12.0).floor()
        };
        r.time.push(t);
        r.entry.push((next() * t * 0.5).floor() - 1.0); // start < stop
        r.event.push(next() < 0.6);
        r.x[i] = (next() * 4.0).floor();
        r.x[n + i] = next() * 2.0 - 1.0 + 0.3 * t / 12.0;
        r.weight.push(if i % 5 == 0 { 2.5 } else { 1.0 });
        r.stratum.push((i % 3) as u32);
    }
    r
}

pub(crate) fn data(r: &Rows, strata: bool, weights: bool) -> CoxData<'_> {
    CoxData {
        time: &r.time,
        event: &r.event,
        x: &r.x,
        p: 2,
        weight: weights.then_some(&r.weight[..]),
        stratum: strata.then_some(&r.stratum[..]),
        cluster: None,
    }
}

fn fit(d: &CoxData) -> CoxFit {
    cox::fit(d, &CoxOptions::default()).expect("fit")
}

#[test]
fn time_order_is_the_stable_stratum_time_sort() {
    let r = rows(500);
    let mut time = r.time.clone();
    time[3] = -0.0;
    time[4] = 0.0;
    let mut want: Vec<usize> = (0..time.len()).collect();
    want.sort_by(|&a, &b| {
        r.stratum[a]
            .cmp(&r.stratum[b])
            .then(time[a].total_cmp(&time[b]))
    });
    assert_eq!(order::time_order(&time, Some(&r.stratum)), want);
    let mut want: Vec<usize> = (0..time.len()).collect();
    want.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    assert_eq!(order::time_order(&time, None), want);
}

/// The fit's order: the stable (stratum, time) sort with the deaths of each tied time
/// moved before its censored rows, each part keeping its order.
#[test]
fn risk_order_is_the_stable_stratum_time_status_sort() {
    let r = rows(500);
    for strata in [false, true] {
        let d = data(&r, strata, false);
        let s = |i: usize| d.stratum.map_or(0, |s| s[i]);
        let mut want: Vec<usize> = (0..d.n()).collect();
        want.sort_by(|&a, &b| {
            s(a).cmp(&s(b))
                .then(d.time[a].total_cmp(&d.time[b]))
                .then(d.event[b].cmp(&d.event[a]))
        });
        assert_eq!(order::risk_order(d.time, d.event, d.stratum), want);
        // Sorted input: the identity.
        let time: Vec<f64> = want.iter().map(|&i| d.time[i]).collect();
        let event: Vec<bool> = want.iter().map(|&i| d.event[i]).collect();
        let stratum: Vec<u32> = want.iter().map(|&i| s(i)).collect();
        let order = order::risk_order(&time, &event, strata.then_some(&stratum[..]));
        assert_eq!(order, (0..d.n()).collect::<Vec<_>>());
        // Time-sorted rows with a censored row before a death: the fit keeps them as
        // they are, risk_order moves the death first.
        let by_time = order::time_order(d.time, d.stratum);
        let time: Vec<f64> = by_time.iter().map(|&i| d.time[i]).collect();
        let event: Vec<bool> = by_time.iter().map(|&i| d.event[i]).collect();
        let stratum: Vec<u32> = by_time.iter().map(|&i| s(i)).collect();
        let st = strata.then_some(&stratum[..]);
        let identity: Vec<usize> = (0..d.n()).collect();
        assert_eq!(order::fit_order(&time, &event, st), identity);
        assert_ne!(order::risk_order(&time, &event, st), identity);
    }
}

#[test]
fn concordance_with_the_fit_order_equals_its_own_sort() {
    let r = rows(400);
    for (strata, weights) in [(false, false), (true, true), (true, false)] {
        let d = data(&r, strata, weights);
        let f = fit(&d);
        assert_eq!(f.order, order::fit_order(d.time, d.event, d.stratum));
        // Unsorted rows: the fit sorts them with the deaths of a time first.
        assert_eq!(f.order, order::risk_order(d.time, d.event, d.stratum));
        let own = cox::concordance(
            d.time,
            d.event,
            &f.linear_predictors,
            d.weight,
            d.stratum,
            None,
        );
        let shared = cox::concordance_in_order(
            &f.order,
            d.time,
            d.event,
            &f.linear_predictors,
            d.weight,
            d.stratum,
            None,
        );
        assert_eq!(own, shared);
        assert!(own.estimate > 0.0 && own.estimate < 1.0);
    }
}

#[test]
fn zph_with_the_fit_order_equals_its_own_sort_and_tests_need_no_residuals() {
    let r = rows(400);
    for (strata, weights, ties) in [
        (false, false, Ties::Efron),
        (true, true, Ties::Efron),
        (true, false, Ties::Breslow),
    ] {
        let d = data(&r, strata, weights);
        let f = cox::fit(
            &d,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        )
        .expect("fit");
        let terms = vec![vec![0], vec![1]];
        let shared = cox::zph(&d, &f, ties, ZphTransform::Km, &terms);
        let mut unsorted = f.clone();
        unsorted.order.clear(); // zph sorts by itself
        let own = cox::zph(&d, &unsorted, ties, ZphTransform::Km, &terms);
        assert_eq!(shared, own);
        let tests_only = cox::zph_with(&d, &f, ties, ZphTransform::Km, &terms, false);
        assert_eq!(tests_only.global, shared.global);
        assert_eq!(tests_only.terms, shared.terms);
        assert!(tests_only.scaled.is_empty() && !shared.scaled.is_empty());
    }
}

/// ℓ, U, I of the Efron partial likelihood by the definition: for every stratum and
/// death time t, the risk set {start < t ≤ time} and the e deaths, the m-loop of
/// Efron (1977). O(n²); β on the original scale.
#[allow(clippy::needless_range_loop)] // the indices follow the formulas
fn efron_by_definition(r: &Rows, entry: bool, beta: &[f64; 2]) -> (f64, [f64; 2], [f64; 4]) {
    let n = r.time.len();
    let x = |i: usize| [r.x[i], r.x[n + i]];
    let eta = |i: usize| beta[0] * r.x[i] + beta[1] * r.x[n + i];
    let (mut ll, mut u, mut info) = (0.0, [0.0; 2], [0.0; 4]);
    let mut times: Vec<(u32, f64)> = (0..n)
        .filter(|&i| r.event[i])
        .map(|i| (r.stratum[i], r.time[i]))
        .collect();
    times.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    times.dedup();
    for (s, t) in times {
        let at_risk = |i: usize| r.stratum[i] == s && r.time[i] >= t && (!entry || r.entry[i] < t);
        let dead: Vec<usize> = (0..n)
            .filter(|&i| at_risk(i) && r.event[i] && r.time[i] == t)
            .collect();
        let risk: Vec<usize> = (0..n).filter(|&i| at_risk(i)).collect();
        let sums = |set: &[usize]| {
            let (mut s0, mut s1, mut s2) = (0.0, [0.0; 2], [0.0; 4]);
            for &i in set {
                let w = r.weight[i] * math::exp(eta(i));
                let xi = x(i);
                s0 += w;
                for a in 0..2 {
                    s1[a] += w * xi[a];
                    for b in 0..2 {
                        s2[a * 2 + b] += w * xi[a] * xi[b];
                    }
                }
            }
            (s0, s1, s2)
        };
        let (r0, r1, r2) = sums(&risk);
        let (d0, d1, d2) = sums(&dead);
        let e = dead.len() as f64;
        let wsum: f64 = dead.iter().map(|&i| r.weight[i]).sum();
        for &i in &dead {
            ll += r.weight[i] * eta(i);
            for a in 0..2 {
                u[a] += r.weight[i] * x(i)[a];
            }
        }
        for m in 0..dead.len() {
            let f = m as f64 / e;
            let d = r0 - f * d0;
            let mean = [(r1[0] - f * d1[0]) / d, (r1[1] - f * d1[1]) / d];
            ll -= wsum / e * math::ln(d);
            for a in 0..2 {
                u[a] -= wsum / e * mean[a];
                for b in 0..2 {
                    info[a * 2 + b] +=
                        wsum / e * ((r2[a * 2 + b] - f * d2[a * 2 + b]) / d - mean[a] * mean[b]);
                }
            }
        }
    }
    (ll, u, info)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn efron_sums_equal_the_risk_set_definition() {
    let r = rows(300);
    for entry in [false, true] {
        let d = data(&r, true, true);
        let f = if entry {
            cox::fit_counting(&d, &r.entry, &CoxOptions::default()).expect("fit")
        } else {
            fit(&d)
        };
        let beta = [f.coef[0].expect("b0"), f.coef[1].expect("b1")];
        let (ll, u, info) = efron_by_definition(&r, entry, &beta);
        assert!(close(f.loglik, ll, 1e-10), "{entry}: {} vs {ll}", f.loglik);
        let (ll0, _, _) = efron_by_definition(&r, entry, &[0.0, 0.0]);
        assert!(close(f.loglik_init, ll0, 1e-10), "{entry}");
        assert!(u.iter().all(|v| v.abs() < 1e-6), "{entry}: score {u:?}");
        // fit.var is the inverse information at β̂.
        let det = info[0] * info[3] - info[1] * info[2];
        let inv = [info[3] / det, -info[1] / det, -info[2] / det, info[0] / det];
        for (a, b) in f.var.iter().zip(&inv) {
            assert!(close(*a, *b, 1e-8), "{entry}: var {:?} vs {inv:?}", f.var);
        }
    }
}
