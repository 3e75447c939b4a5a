//! p.adjust against R 4.2.2. Each expected vector is R's output printed with
//! `sprintf("%.17g", p.adjust(p, method))`; the comparison is exact (bit-for-bit),
//! since the arithmetic follows R's expression order.

#![allow(clippy::excessive_precision)]

use survlens::stats::padjust::{adjust, PAdjust};

#[track_caller]
fn check(p: &[f64], method: PAdjust, want: &[f64]) {
    assert_eq!(adjust(p, method), want, "{method:?} of {p:?}");
}

/// R: p <- c(0.01, 0.02, 0.03, 0.04, 0.05)
#[test]
fn increasing_vector() {
    let p = [0.01, 0.02, 0.03, 0.04, 0.05];
    check(
        &p,
        PAdjust::Holm,
        &[
            0.050000000000000003,
            0.080000000000000002,
            0.089999999999999997,
            0.089999999999999997,
            0.089999999999999997,
        ],
    );
    check(
        &p,
        PAdjust::Bonferroni,
        &[
            0.050000000000000003,
            0.10000000000000001,
            0.14999999999999999,
            0.20000000000000001,
            0.25,
        ],
    );
    check(&p, PAdjust::BenjaminiHochberg, &[0.050000000000000003; 5]);
    check(&p, PAdjust::None, &p);
}

/// R: p <- c(0.04, 0.01, 0.04, 1, 0.2, 0.01, 0.5)   (unsorted, ties, p = 1)
#[test]
fn unsorted_with_ties_and_one() {
    let p = [0.04, 0.01, 0.04, 1.0, 0.2, 0.01, 0.5];
    check(
        &p,
        PAdjust::Holm,
        &[
            0.20000000000000001,
            0.070000000000000007,
            0.20000000000000001,
            1.0,
            0.60000000000000009,
            0.070000000000000007,
            1.0,
        ],
    );
    check(
        &p,
        PAdjust::Bonferroni,
        &[
            0.28000000000000003,
            0.070000000000000007,
            0.28000000000000003,
            1.0,
            1.0,
            0.070000000000000007,
            1.0,
        ],
    );
    check(
        &p,
        PAdjust::BenjaminiHochberg,
        &[
            0.070000000000000007,
            0.035000000000000003,
            0.070000000000000007,
            1.0,
            0.27999999999999997,
            0.035000000000000003,
            0.58333333333333337,
        ],
    );
}

/// R: p <- c(1, 1, 0.9)
#[test]
fn all_near_one() {
    let p = [1.0, 1.0, 0.9];
    for m in [
        PAdjust::Holm,
        PAdjust::Bonferroni,
        PAdjust::BenjaminiHochberg,
    ] {
        check(&p, m, &[1.0, 1.0, 1.0]);
    }
}

/// R: p <- c(1e-10, 0.3, 0.3, 0.049, 0.6)
#[test]
fn tiny_and_tied() {
    let p = [1e-10, 0.3, 0.3, 0.049, 0.6];
    check(
        &p,
        PAdjust::Holm,
        &[
            5.0000000000000003e-10,
            0.89999999999999991,
            0.89999999999999991,
            0.19600000000000001,
            0.89999999999999991,
        ],
    );
    check(
        &p,
        PAdjust::Bonferroni,
        &[5.0000000000000003e-10, 1.0, 1.0, 0.245, 1.0],
    );
    check(
        &p,
        PAdjust::BenjaminiHochberg,
        &[
            5.0000000000000003e-10,
            0.375,
            0.375,
            0.1225,
            0.59999999999999998,
        ],
    );
}

/// R: p.adjust(0.7, "bonferroni") is 0.7 (n <= 1 returns p unchanged); p.adjust(numeric(0)).
#[test]
fn length_zero_and_one() {
    check(&[0.7], PAdjust::Bonferroni, &[0.7]);
    check(&[0.7], PAdjust::Holm, &[0.7]);
    check(&[], PAdjust::BenjaminiHochberg, &[]);
}

/// R: p.adjust(c(0.01, NA, 0.02), "holm") is 0.02 NA 0.02 — the lazily evaluated default
/// `n = length(p)` sees p after the NAs were removed, so NA does not count in n.
#[test]
fn nan_is_left_out_and_does_not_count() {
    let out = adjust(&[0.01, f64::NAN, 0.02], PAdjust::Holm);
    assert_eq!(out[0], 0.02);
    assert!(out[1].is_nan());
    assert_eq!(out[2], 0.02);
    let out = adjust(&[f64::NAN, 0.3], PAdjust::Bonferroni);
    assert_eq!(out[1], 0.3);
}
