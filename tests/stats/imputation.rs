//! Chained-equation imputation (`stats::imputation`): determinism (same seed, same bytes;
//! set s alone equals set s of the whole run), nothing missing left, observed values
//! untouched, predictive mean matching imputes only observed values, categorical
//! imputations are observed levels, progress and cancel, separation and empty columns
//! never crash, and the imputations recover a mean / a proportion that complete cases
//! get wrong under missingness at random. Property tests on random small data.

// Data generation uses the platform libm (exp, ln): test data only, not results.
#![allow(clippy::disallowed_methods)]

use proptest::prelude::*;
use survlens::stats::imputation::{
    draws, impute_chained, impute_one_set, nelson_aalen_at_own_times, set_seed, Cancelled,
    ChainedOptions, ColumnValues, MISSING_CODE,
};
use survlens::stats::rng::SplitMix64;

/// A cohort: x1 numeric (missing more often when x4 is high), c2 binary and c3 with
/// three levels (both depending on x4, some missing), x4 complete; exponential times.
struct Cohort {
    columns: Vec<ColumnValues>,
    truth: Vec<ColumnValues>,
    event: Vec<f64>,
    hazard: Vec<f64>,
}

fn cohort(n: usize, seed: u64) -> Cohort {
    let mut rng = SplitMix64(seed);
    let mut x1 = Vec::new();
    let mut c2 = Vec::new();
    let mut c3 = Vec::new();
    let mut x4 = Vec::new();
    let mut time = Vec::new();
    let mut event = Vec::new();
    for _ in 0..n {
        let a = draws::normal(&mut rng);
        let b = 0.8 * a + 0.6 * draws::normal(&mut rng);
        let p2 = 1.0 / (1.0 + (-1.5 * a).exp());
        let two = u32::from(rng.uniform() < p2);
        let three = if a < -0.5 {
            0
        } else if rng.uniform() < 0.5 {
            1
        } else {
            2
        };
        let rate = (0.5 * b + 0.4 * f64::from(two)).exp() * 0.1;
        let t = -rng.uniform().ln() / rate;
        let c = 15.0 * rng.uniform();
        x4.push(a);
        x1.push(b);
        c2.push(two);
        c3.push(three);
        time.push(t.min(c));
        event.push(if t <= c { 1.0 } else { 0.0 });
    }
    let truth = vec![
        ColumnValues::Numeric(x1.clone()),
        ColumnValues::Categorical {
            codes: c2.clone(),
            n_levels: 2,
        },
        ColumnValues::Categorical {
            codes: c3.clone(),
            n_levels: 3,
        },
        ColumnValues::Numeric(x4.clone()),
    ];
    for i in 0..n {
        if rng.uniform() < if x4[i] > 0.0 { 0.5 } else { 0.1 } {
            x1[i] = f64::NAN;
        }
        if rng.uniform() < 0.2 {
            c2[i] = MISSING_CODE;
        }
        if rng.uniform() < 0.15 {
            c3[i] = MISSING_CODE;
        }
    }
    let hazard = nelson_aalen_at_own_times(&time, &event);
    Cohort {
        columns: vec![
            ColumnValues::Numeric(x1),
            ColumnValues::Categorical {
                codes: c2,
                n_levels: 2,
            },
            ColumnValues::Categorical {
                codes: c3,
                n_levels: 3,
            },
            ColumnValues::Numeric(x4),
        ],
        truth,
        event,
        hazard,
    }
}

fn run(c: &Cohort, m: usize, iterations: usize, seed: u64) -> Vec<Vec<ColumnValues>> {
    let opts = ChainedOptions {
        m,
        iterations,
        seed,
    };
    impute_chained(&c.columns, &c.event, &c.hazard, &opts, &mut |_, _| true).unwrap()
}

/// The bytes of a set (f64 bits and codes), for exact comparison.
fn bytes(set: &[ColumnValues]) -> Vec<u64> {
    set.iter()
        .flat_map(|c| match c {
            ColumnValues::Numeric(v) => v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            ColumnValues::Categorical { codes, .. } => {
                codes.iter().map(|&x| u64::from(x)).collect()
            }
        })
        .collect()
}

/// Every imputed set is complete, keeps the observed entries, imputes numeric columns
/// with observed values and categorical ones with observed levels.
fn assert_valid(original: &[ColumnValues], sets: &[Vec<ColumnValues>]) {
    for set in sets {
        assert_eq!(set.len(), original.len());
        for (before, after) in original.iter().zip(set) {
            assert_eq!(after.n_missing(), 0);
            match (before, after) {
                (ColumnValues::Numeric(b), ColumnValues::Numeric(a)) => {
                    let observed: Vec<u64> = b
                        .iter()
                        .filter(|x| !x.is_nan())
                        .map(|x| x.to_bits())
                        .collect();
                    for (x, y) in b.iter().zip(a) {
                        if x.is_nan() {
                            assert!(
                                observed.is_empty() || observed.contains(&y.to_bits()),
                                "imputed {y} is no observed value"
                            );
                        } else {
                            assert_eq!(x.to_bits(), y.to_bits());
                        }
                    }
                }
                (
                    ColumnValues::Categorical {
                        codes: b,
                        n_levels: lb,
                    },
                    ColumnValues::Categorical {
                        codes: a,
                        n_levels: la,
                    },
                ) => {
                    assert_eq!(lb, la);
                    let observed: Vec<u32> =
                        b.iter().copied().filter(|&c| c != MISSING_CODE).collect();
                    for (x, y) in b.iter().zip(a) {
                        assert!((*y as usize) < *la);
                        if *x == MISSING_CODE {
                            assert!(observed.is_empty() || observed.contains(y));
                        } else {
                            assert_eq!(x, y);
                        }
                    }
                }
                _ => panic!("column kind changed"),
            }
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_sets() {
    let c = cohort(300, 1);
    let a = run(&c, 4, 5, 7);
    let b = run(&c, 4, 5, 7);
    assert_eq!(a.len(), 4);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(bytes(x), bytes(y));
    }
    let other = run(&c, 4, 5, 8);
    assert_ne!(bytes(&a[0]), bytes(&other[0]));
    // The sets differ from one another (independent chains).
    assert_ne!(bytes(&a[0]), bytes(&a[1]));
    assert_valid(&c.columns, &a);
}

#[test]
fn one_set_alone_equals_its_place_in_the_run() {
    let c = cohort(200, 2);
    let opts = ChainedOptions {
        m: 3,
        iterations: 4,
        seed: 11,
    };
    let all = run(&c, 3, 4, 11);
    for (s, set) in all.iter().enumerate() {
        let alone =
            impute_one_set(&c.columns, &c.event, &c.hazard, &opts, s, &mut |_, _| true).unwrap();
        assert_eq!(bytes(&alone), bytes(set));
    }
    // More sets leave the first ones unchanged.
    let more = run(&c, 5, 4, 11);
    assert_eq!(bytes(&more[2]), bytes(&all[2]));
    assert_ne!(set_seed(11, 0), set_seed(11, 1));
}

#[test]
fn progress_counts_every_cycle_and_cancel_stops() {
    let c = cohort(150, 3);
    let opts = ChainedOptions {
        m: 3,
        iterations: 4,
        seed: 1,
    };
    let mut calls = Vec::new();
    let out = impute_chained(&c.columns, &c.event, &c.hazard, &opts, &mut |d, t| {
        calls.push((d, t));
        true
    });
    assert!(out.is_ok());
    assert_eq!(calls, (1..=12).map(|d| (d, 12)).collect::<Vec<_>>());
    let mut calls = 0;
    let out = impute_chained(&c.columns, &c.event, &c.hazard, &opts, &mut |d, _| {
        calls += 1;
        d < 6
    });
    assert_eq!(out, Err(Cancelled));
    assert_eq!(calls, 6);
}

#[test]
fn imputation_recovers_what_complete_cases_miss() {
    // x1 is missing more often when x4 (its correlate) is high: the observed mean of x1
    // is too low; the imputed sets' mean is near the true mean.
    let c = cohort(2000, 4);
    let sets = run(&c, 5, 5, 3);
    let ColumnValues::Numeric(truth) = &c.truth[0] else {
        unreachable!()
    };
    let ColumnValues::Numeric(with_holes) = &c.columns[0] else {
        unreachable!()
    };
    let true_mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let observed: Vec<f64> = with_holes.iter().copied().filter(|x| !x.is_nan()).collect();
    let cc_mean = observed.iter().sum::<f64>() / observed.len() as f64;
    let imputed_mean = sets
        .iter()
        .map(|s| match &s[0] {
            ColumnValues::Numeric(v) => v.iter().sum::<f64>() / v.len() as f64,
            _ => unreachable!(),
        })
        .sum::<f64>()
        / sets.len() as f64;
    // Complete cases are off by ~0.13 SD; the imputations within ~0.04 (SE ~0.02).
    assert!(
        (cc_mean - true_mean).abs() > 0.08,
        "cc {cc_mean} true {true_mean}"
    );
    assert!(
        (imputed_mean - true_mean).abs() < 0.04,
        "imputed {imputed_mean} true {true_mean}"
    );
    // The three-level column: level 0 exactly when x4 < -0.5, so imputed rows with
    // x4 < -0.5 are mostly level 0 and those above mostly not.
    let ColumnValues::Categorical { codes: holes, .. } = &c.columns[2] else {
        unreachable!()
    };
    let ColumnValues::Numeric(x4) = &c.columns[3] else {
        unreachable!()
    };
    let (mut agree, mut total) = (0, 0);
    for s in &sets {
        let ColumnValues::Categorical { codes, .. } = &s[2] else {
            unreachable!()
        };
        for i in 0..holes.len() {
            if holes[i] == MISSING_CODE {
                total += 1;
                agree += usize::from((codes[i] == 0) == (x4[i] < -0.5));
            }
        }
    }
    assert!(agree as f64 / total as f64 > 0.9, "{agree}/{total}");
    assert_valid(&c.columns, &sets);
}

#[test]
fn perfect_separation_and_degenerate_columns_never_crash() {
    let n = 60;
    let x: Vec<f64> = (0..n).map(|i| i as f64 / 10.0).collect();
    // Binary column perfectly predicted by x; three-level column likewise.
    let mut two: Vec<u32> = x.iter().map(|&v| u32::from(v > 3.0)).collect();
    let mut three: Vec<u32> = x
        .iter()
        .map(|&v| {
            if v < 2.0 {
                0
            } else if v < 4.0 {
                1
            } else {
                2
            }
        })
        .collect();
    for i in (0..n).step_by(4) {
        two[i] = MISSING_CODE;
        three[i + 1] = MISSING_CODE;
    }
    let event: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 != 0))).collect();
    let time: Vec<f64> = (0..n).map(|i| (n - i) as f64).collect();
    let hazard = nelson_aalen_at_own_times(&time, &event);
    let columns = vec![
        ColumnValues::Numeric(x.clone()),
        ColumnValues::Categorical {
            codes: two,
            n_levels: 2,
        },
        ColumnValues::Categorical {
            codes: three,
            n_levels: 3,
        },
        // Entirely missing, constant, one observed value, a level never observed.
        ColumnValues::Numeric(vec![f64::NAN; n]),
        ColumnValues::Numeric(
            (0..n)
                .map(|i| if i % 2 == 0 { 1.0 } else { f64::NAN })
                .collect(),
        ),
        ColumnValues::Numeric(
            (0..n)
                .map(|i| if i == 5 { 2.5 } else { f64::NAN })
                .collect(),
        ),
        ColumnValues::Categorical {
            codes: (0..n)
                .map(|i| {
                    if i % 5 == 0 {
                        MISSING_CODE
                    } else {
                        (i % 2) as u32
                    }
                })
                .collect(),
            n_levels: 4,
        },
        // Two identical complete columns (collinear predictors).
        ColumnValues::Numeric(x.iter().map(|v| v * 2.0).collect()),
        ColumnValues::Numeric(x.iter().map(|v| v * 2.0).collect()),
    ];
    let opts = ChainedOptions {
        m: 3,
        iterations: 3,
        seed: 5,
    };
    let sets = impute_chained(&columns, &event, &hazard, &opts, &mut |_, _| true).unwrap();
    assert_valid(&columns, &sets);
    for set in &sets {
        // Separation: the imputed binary values follow x as the observed ones do.
        let (ColumnValues::Categorical { codes, .. }, ColumnValues::Numeric(xs)) =
            (&set[1], &set[0])
        else {
            unreachable!()
        };
        let wrong = (0..n)
            .step_by(4)
            .filter(|&i| (codes[i] == 1) != (xs[i] > 3.0))
            .count();
        assert!(
            wrong <= 3,
            "{wrong} imputations against a perfect predictor"
        );
        let ColumnValues::Numeric(one) = &set[5] else {
            unreachable!()
        };
        assert!(one.iter().all(|&v| v == 2.5));
        let ColumnValues::Numeric(all_missing) = &set[3] else {
            unreachable!()
        };
        assert!(all_missing.iter().all(|v| v.is_finite()));
    }
    // m = 0 and iterations = 0.
    let none = impute_chained(
        &columns,
        &event,
        &hazard,
        &ChainedOptions {
            m: 0,
            iterations: 3,
            seed: 1,
        },
        &mut |_, _| true,
    );
    assert_eq!(none, Ok(Vec::new()));
    let starts = impute_chained(
        &columns,
        &event,
        &hazard,
        &ChainedOptions {
            m: 2,
            iterations: 0,
            seed: 1,
        },
        &mut |_, _| true,
    )
    .unwrap();
    assert_valid(&columns, &starts);
}

fn arb_data() -> impl Strategy<Value = (Vec<ColumnValues>, Vec<f64>, Vec<f64>)> {
    (8usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec((-3.0f64..3.0, 0.0f64..1.0), n),
            prop::collection::vec((0u32..3, 0.0f64..1.0), n),
            prop::collection::vec((0u32..2, 0.0f64..1.0), n),
            prop::collection::vec((0.1f64..10.0, prop::bool::ANY), n),
            0.0f64..0.6,
        )
            .prop_map(|(num, cat3, cat2, surv, rate)| {
                let x: Vec<f64> = num
                    .iter()
                    .map(|&(v, u)| if u < rate { f64::NAN } else { v })
                    .collect();
                // Rounded values give ties among donors.
                let xr: Vec<f64> = num.iter().map(|&(v, _)| (v * 2.0).round()).collect();
                let c3: Vec<u32> = cat3
                    .iter()
                    .map(|&(c, u)| if u < rate { MISSING_CODE } else { c })
                    .collect();
                let c2: Vec<u32> = cat2
                    .iter()
                    .map(|&(c, u)| if u < rate * 0.5 { MISSING_CODE } else { c })
                    .collect();
                let time: Vec<f64> = surv.iter().map(|s| s.0).collect();
                let event: Vec<f64> = surv.iter().map(|s| f64::from(u8::from(s.1))).collect();
                let hazard = nelson_aalen_at_own_times(&time, &event);
                (
                    vec![
                        ColumnValues::Numeric(x),
                        ColumnValues::Categorical {
                            codes: c3,
                            n_levels: 3,
                        },
                        ColumnValues::Categorical {
                            codes: c2,
                            n_levels: 2,
                        },
                        ColumnValues::Numeric(xr),
                    ],
                    event,
                    hazard,
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_data_gives_valid_reproducible_sets((columns, event, hazard) in arb_data(), seed in 0u64..1000) {
        let opts = ChainedOptions { m: 2, iterations: 2, seed };
        let a = impute_chained(&columns, &event, &hazard, &opts, &mut |_, _| true).unwrap();
        assert_valid(&columns, &a);
        let b = impute_chained(&columns, &event, &hazard, &opts, &mut |_, _| true).unwrap();
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(bytes(x), bytes(y));
        }
    }

    #[test]
    fn nelson_aalen_is_non_decreasing_in_time(
        data in prop::collection::vec((0u8..20, prop::bool::ANY), 1..60)
    ) {
        let time: Vec<f64> = data.iter().map(|d| f64::from(d.0)).collect();
        let event: Vec<f64> = data.iter().map(|d| f64::from(u8::from(d.1))).collect();
        let h = nelson_aalen_at_own_times(&time, &event);
        for i in 0..h.len() {
            prop_assert!(h[i] >= 0.0);
            for j in 0..h.len() {
                if time[i] < time[j] {
                    prop_assert!(h[i] <= h[j]);
                }
                if time[i] == time[j] {
                    prop_assert_eq!(h[i].to_bits(), h[j].to_bits());
                }
            }
        }
        // With no ties it is the Nelson–Aalen sum of d/n.
        let first_event = (0..h.len()).filter(|&i| event[i] != 0.0).min_by(|&a, &b| time[a].total_cmp(&time[b]));
        if let Some(i) = first_event {
            let at_risk = time.iter().filter(|&&t| t >= time[i]).count() as f64;
            let deaths = (0..h.len()).filter(|&j| time[j] == time[i] && event[j] != 0.0).count();
            let want: f64 = (0..deaths).map(|k| 1.0 / (at_risk - k as f64)).sum();
            prop_assert!((h[i] - want).abs() < 1e-12);
        }
    }
}
