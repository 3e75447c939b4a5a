//! Shared data and tolerances for the `logrank_*` tests.
#![allow(dead_code)]

pub mod r_reference;

/// docs/methods.md#agreement: statistics relative 1e-6 (absolute 1e-9 near zero).
pub const REL_STAT: f64 = 1e-6;
pub const ABS_STAT: f64 = 1e-9;
/// p-values relative 1e-4 (absolute 1e-12).
pub const REL_P: f64 = 1e-4;
pub const ABS_P: f64 = 1e-12;

pub fn close(got: f64, want: f64, rel: f64, abs: f64) -> bool {
    if got.is_nan() || want.is_nan() {
        return got.is_nan() && want.is_nan();
    }
    (got - want).abs() <= abs.max(rel * want.abs())
}

#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, rel: f64, abs: f64) {
    assert!(
        close(got, want, rel, abs),
        "{what}: got {got:.17e}, want {want:.17e}"
    );
}

#[track_caller]
pub fn assert_all_close(what: &str, got: &[f64], want: &[f64], rel: f64, abs: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close(&format!("{what}[{i}]"), *g, *w, rel, abs);
    }
}
