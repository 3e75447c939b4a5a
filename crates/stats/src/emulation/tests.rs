use super::*;
use crate::km;
use crate::rng::SplitMix64;
use proptest::prelude::*;

/// A random cohort: times on a coarse grid (ties), about a third treated at u < t.
fn cohort(seed: u64, n: usize, p: usize) -> (Vec<f64>, Vec<bool>, Vec<Option<f64>>, Vec<f64>) {
    let mut r = SplitMix64(seed);
    let mut time = Vec::new();
    let mut event = Vec::new();
    let mut u = Vec::new();
    for _ in 0..n {
        let t = 1.0 + (r.uniform() * 20.0).floor();
        time.push(t);
        event.push(r.uniform() < 0.6);
        u.push(if r.uniform() < 0.4 {
            Some((r.uniform() * t * 2.0).floor() / 2.0).filter(|&v| v < t)
        } else {
            None
        });
    }
    let x = (0..n * p).map(|_| (r.uniform() * 4.0).floor()).collect();
    (time, event, u, x)
}

/// The weighted KM of the split data, materialized: every clone's intervals
/// (c_{k−1}, c_k] with weight 1/Ŝc(c_k⁻|x), and survfit's product over the arm's times.
fn split_km(
    clones: &ArmClones,
    model: &CensoringModel,
    form: CensoringSurvival,
    deaths: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    // rows: (tstart, tstop, event, weight)
    let mut rows = Vec::new();
    for i in 0..clones.time.len() {
        let end = clones.time[i];
        if end <= 0.0 {
            continue;
        }
        let mut start = 0.0;
        for &c in deaths.iter().filter(|&&c| c > 0.0 && c < end) {
            rows.push((start, c, false, model.weight(form, i, c)));
            start = c;
        }
        rows.push((start, end, clones.event[i], model.weight(form, i, end)));
    }
    // Rows of weight 0 (product-limit Ŝc reached 0) are dropped: the clone is left out.
    rows.retain(|r| r.3 > 0.0);
    let mut times: Vec<f64> = rows.iter().map(|r| r.1).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut s = 1.0;
    let mut surv = Vec::new();
    for &t in &times {
        let n: f64 = rows
            .iter()
            .filter(|r| r.0 < t && t <= r.1)
            .map(|r| r.3)
            .sum();
        let d: f64 = rows.iter().filter(|r| r.1 == t && r.2).map(|r| r.3).sum();
        if d > 0.0 {
            s *= 1.0 - d / n;
        }
        surv.push(s);
    }
    (times, surv)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The sweep equals the weighted KM of the materialized split data in both forms of
    /// Ŝc, every weight is ≥ 1 (or 0: left out, product-limit only), and the
    /// product-limit weight is at least the exponential one (1 − a ≤ exp(−a)).
    #[test]
    fn sweep_equals_split_data(seed in 0u64..10_000, n in 5usize..60, p in 0usize..3, grace in 0.0f64..8.0, pl in any::<bool>()) {
        let form = if pl { CensoringSurvival::ProductLimit } else { CensoringSurvival::Exponential };
        let (time, event, u, x) = cohort(seed, n, p);
        let pts = Patients { time: &time, event: &event, treatment: &u, x: &x, p };
        let est = estimate(&pts, grace, form, true);
        let deaths = weighted_km::death_times(&[&est.arms[0].clones, &est.arms[1].clones]);
        for arm in &est.arms {
            let (t, s) = split_km(&arm.clones, &arm.model, form, &deaths);
            prop_assert_eq!(&t, &arm.curve.time);
            for (a, b) in s.iter().zip(&arm.curve.surv) {
                prop_assert!(close(*a, *b), "{} vs {}", a, b);
            }
            for &(w, _) in &arm.curve.weights {
                prop_assert!(w >= 1.0);
            }
            for i in 0..n {
                let w = arm.model.weight(form, i, 5.0);
                prop_assert!(w >= 1.0 || (pl && w == 0.0));
                let e = arm.model.weight(CensoringSurvival::Exponential, i, 5.0);
                let q = arm.model.weight(CensoringSurvival::ProductLimit, i, 5.0);
                prop_assert!(q == 0.0 || q >= e * (1.0 - 1e-12), "{} < {}", q, e);
            }
            if !pl {
                prop_assert_eq!(arm.curve.left_out_zero_probability, 0);
            }
        }
    }

    /// Without covariates every clone at risk has the same weight (in either form of
    /// Ŝc, though the forms' weights differ), so each arm's weighted KM is the plain KM
    /// of its clones (with or without artificial censoring) and the two forms give the
    /// same curves; no clone is left out (dΛ₀ = c/n ≤ 1 reaches 1 only when every clone
    /// at risk is censored).
    #[test]
    fn no_covariates_is_plain_km(seed in 0u64..10_000, n in 5usize..60, grace in 0.0f64..8.0, pl in any::<bool>()) {
        let form = if pl { CensoringSurvival::ProductLimit } else { CensoringSurvival::Exponential };
        let (time, event, u, _) = cohort(seed, n, 0);
        let pts = Patients { time: &time, event: &event, treatment: &u, x: &[], p: 0 };
        let est = estimate(&pts, grace, form, false);
        let other = estimate(&pts, grace, CensoringSurvival::Exponential, false);
        for (arm, ex) in est.arms.iter().zip(&other.arms) {
            prop_assert_eq!(arm.curve.left_out_zero_probability, 0);
            prop_assert_eq!(&arm.curve.time, &ex.curve.time);
            for (a, b) in arm.curve.surv.iter().zip(&ex.curve.surv) {
                prop_assert!(close(*a, *b), "{} vs {}", a, b);
            }
            let keep: Vec<usize> = (0..n).filter(|&i| arm.clones.time[i] > 0.0).collect();
            let t: Vec<f64> = keep.iter().map(|&i| arm.clones.time[i]).collect();
            let e: Vec<bool> = keep.iter().map(|&i| arm.clones.event[i]).collect();
            let plain = km::kaplan_meier(&t, &e, None);
            for (&ct, &cs) in arm.curve.time.iter().zip(&arm.curve.surv) {
                let k = plain.time.partition_point(|&s| s <= ct);
                let want = if k == 0 { 1.0 } else { plain.surv[k - 1] };
                prop_assert!(close(cs, want), "t {} {} vs {}", ct, cs, want);
            }
        }
    }
}

#[test]
fn nobody_treated_leaves_control_uncensored() {
    // Nobody treated: the control arm has no artificial censoring (weights 1, plain KM);
    // the treat arm is censored at grace for everyone alive then.
    let (time, event, _, x) = cohort(3, 40, 1);
    let u = vec![None; 40];
    let pts = Patients {
        time: &time,
        event: &event,
        treatment: &u,
        x: &x,
        p: 1,
    };
    let est = estimate(&pts, 4.0, CensoringSurvival::Exponential, false);
    assert_eq!(est.arms[1].model.status, ModelStatus::NoCensoring);
    assert_eq!(est.arms[1].artificially_censored, 0);
    assert_eq!(
        est.arms[0].artificially_censored,
        time.iter().filter(|&&t| t > 4.0).count()
    );
    let plain = km::kaplan_meier(&time, &event, None);
    let last = *plain.surv.last().unwrap();
    assert!(close(*est.arms[1].curve.surv.last().unwrap(), last));
}

#[test]
fn bootstrap_is_deterministic_and_ordered() {
    let (time, event, u, x) = cohort(11, 50, 1);
    let pts = Patients {
        time: &time,
        event: &event,
        treatment: &u,
        x: &x,
        p: 1,
    };
    let est = estimate(&pts, 3.0, CensoringSurvival::Exponential, false);
    let req = bootstrap::Request {
        replicates: 30,
        seed: 7,
        censoring_survival: CensoringSurvival::ProductLimit,
        times: &[5.0, 10.0],
        tau: Some(12.0),
        curve_times: [&est.arms[0].curve.time, &est.arms[1].curve.time],
    };
    let mut calls = 0;
    let a = bootstrap::bootstrap(&pts, 3.0, &req, &mut |_, _| {
        calls += 1;
        true
    })
    .unwrap();
    assert_eq!(calls, 30);
    let b = bootstrap::bootstrap(&pts, 3.0, &req, &mut |_, _| true).unwrap();
    assert_eq!(a, b);
    let (lo, hi) = a.rmst_difference.unwrap();
    assert!(lo.unwrap() <= hi.unwrap());
    let mut limited = 0;
    for (l, h) in &a.at_times {
        if let (Some(l), Some(h)) = (l, h) {
            assert!(l <= h);
            limited += 1;
        }
    }
    assert!(limited > 0);
    assert_eq!(
        bootstrap::replicate_seeds(7, 3)[2],
        crate::imputation::set_seed(7, 2)
    );
    let cancelled = bootstrap::bootstrap(&pts, 3.0, &req, &mut |_, _| false);
    assert_eq!(cancelled, Err(bootstrap::Cancelled));
}

#[test]
fn weight_summary_type7() {
    // 1, 2, 2, 3 → median 2, p99 = 2.97 + …; mean 2.
    let s = summarize_weights(&[(2.0, 2), (3.0, 1), (1.0, 1)]).unwrap();
    assert_eq!((s.min, s.median, s.max, s.mean), (1.0, 2.0, 3.0, 2.0));
    assert!((s.p99 - 2.97).abs() < 1e-12);
    assert!(summarize_weights(&[]).is_none());
}

#[test]
fn rmst_and_lookup_of_a_step_curve() {
    let c = ArmCurve {
        time: vec![1.0, 2.0, 4.0],
        surv: vec![0.9, 0.9, 0.5],
        n_events: 2,
        weights: vec![],
        left_out_zero_probability: 0,
    };
    assert_eq!(surv_at(&c, 0.5), Some(1.0));
    assert_eq!(surv_at(&c, 3.0), Some(0.9));
    assert_eq!(surv_at(&c, 4.0), Some(0.5));
    assert_eq!(surv_at(&c, 4.5), None);
    // 1·1 + 3·0.9 + 2·0.5
    assert!((rmst(&c, 6.0) - 4.7).abs() < 1e-12);
    assert!((rmst(&c, 0.5) - 0.5).abs() < 1e-12);
}

#[test]
fn product_limit_by_hand_and_zero_probability() {
    // Control arm: treated at 1 (x = 0) and 2 (x = 0) are censored; one clone with
    // x = 1 survives past 1. With β̂ for x, dΛ₀ and the product are checked by hand from
    // the fitted model, and a clone whose factor 1 − dΛ₀·r ≤ 0 is left out.
    let model = CensoringModel {
        status: ModelStatus::Fitted,
        coef: vec![Some(1.0)],
        se: vec![None],
        risk: vec![1.0, 1.0, 5.0, 1.0],
        hazard: crate::cox::baseline::BaselineHazard {
            time: vec![1.0, 2.0],
            cumhaz: vec![0.1, 0.35],
        },
    };
    let pl = CensoringSurvival::ProductLimit;
    // Clone 0 at t = 3: 1 / ((1 − 0.1)(1 − 0.25)).
    assert!((model.weight(pl, 0, 3.0) - 1.0 / (0.9 * 0.75)).abs() < 1e-15);
    assert!((model.weight(pl, 0, 1.5) - 1.0 / 0.9).abs() < 1e-15);
    assert_eq!(model.weight(pl, 0, 1.0), 1.0);
    // Clone 2 (r = 5): 1 − 0.25·5 < 0 at s = 2, so from t > 2 it weighs 0 (left out).
    assert!((model.weight(pl, 2, 2.0) - 1.0 / 0.5).abs() < 1e-15);
    assert_eq!(model.weight(pl, 2, 2.5), 0.0);
    let e = CensoringSurvival::Exponential;
    assert!((model.weight(e, 2, 2.5) - crate::math::exp(0.35 * 5.0)).abs() < 1e-12);
    // The sweep: clones 0..4 end at 4, 3, 5, 4 with deaths at 3 (clone 1) and 4 (clone 0).
    let clones = ArmClones {
        time: vec![4.0, 3.0, 5.0, 4.0],
        event: vec![true, true, false, false],
        censored: vec![false; 4],
    };
    let curve = weighted_km::weighted_km(&clones, &model, pl, &[3.0, 4.0], true);
    assert_eq!(curve.left_out_zero_probability, 1);
    // At 3: clones 0, 1, 3 at risk with weight 1/0.675, clone 2 left out: S = 1 − 1/3.
    // At 4: clones 0, 3: S ·= 1 − 1/2. Clone 2's end time 5 is not a curve time.
    assert_eq!(curve.time, vec![3.0, 4.0]);
    assert_eq!(curve.n_events, 2);
    assert!((curve.surv[0] - 2.0 / 3.0).abs() < 1e-15);
    assert!((curve.surv[1] - 1.0 / 3.0).abs() < 1e-15);
    assert!(curve.weights.iter().all(|&(w, _)| w > 0.0));
    // Weights kept at the two death times only: 3 clones at 3, 2 at 4.
    assert_eq!(curve.weights.iter().map(|c| c.1).sum::<usize>(), 5);
    // A left-out clone's death is no death of the curve: clone 2 dying at 5 while a
    // kept clone ends at 5 adds no step and no weights.
    let mut late = clones.clone();
    late.event[2] = true;
    late.time[3] = 5.0;
    let c2 = weighted_km::weighted_km(&late, &model, pl, &[3.0, 4.0, 5.0], true);
    assert_eq!(c2.time, vec![3.0, 4.0, 5.0]);
    assert_eq!(c2.n_events, 2);
    assert_eq!(c2.surv[2], c2.surv[1]);
    assert_eq!(c2.weights.iter().map(|c| c.1).sum::<usize>(), 5);
    let ex = weighted_km::weighted_km(&clones, &model, e, &[3.0, 4.0], false);
    assert_eq!(ex.left_out_zero_probability, 0);
    assert!(ex.surv[0] > 2.0 / 3.0); // clone 2 stays in the risk set with a large weight
}
