//! e^x of a whole slice in a loop the compiler vectorizes (2-lane SIMD on x86-64 SSE2 and
//! wasm32 simd128): the one exp per row per Newton iteration of the Cox fit.
//!
//! `libm::exp` (the scalar [`super::math::exp`]) divides and branches per call; here every
//! element takes the same straight-line path, so a block of values costs a fraction of
//! the scalar calls. Only IEEE-754 additions, multiplications and bit moves are used, in
//! an order fixed by the code, so the results are the same bits on every platform.
//! Inputs outside |x| ≤ 700 (and NaN) go to the scalar `libm::exp`.
//!
//! # Formula
//! k = round(x / ln 2) (by adding and subtracting 1.5·2⁵²), r = (x − k·ln2_hi) − k·ln2_lo
//! (|r| ≤ ln 2 / 2, ln2_hi has 32 significant bits so k·ln2_hi is exact), and
//! e^x = 2^k · Σ_{m=0}^{13} r^m / m! (Horner). The truncation error is below 2⁻⁵⁸ and the
//! result is within 1 ulp of `libm::exp` (tested), itself within 1 ulp of e^x.
//!
//! # References
//! Cody, W. J. & Waite, W. (1980). *Software Manual for the Elementary Functions*.
//! Prentice-Hall (argument reduction). Muller, J.-M. (2016). *Elementary Functions*,
//! 3rd ed., ch. 11.
//!
//! # R equivalent
//! `exp(x)` (the platform libm); the Cox sums agree with R far inside 1e-6.

/// ln 2 split as musl's `exp`: `LN2_HI` has its low 21 bits zero.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// 1.5·2⁵²: adding it rounds to an integer kept in the low bits of the significand.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// The bits of `SHIFT`.
const SHIFT_BITS: i64 = 0x4338_0000_0000_0000;
/// Inputs handled by the straight-line path (2^k stays a normal number).
const LIMIT: f64 = 700.0;

/// 1/m! for m = 13 down to 2 (Horner order).
const INV_FACT: [f64; 12] = [
    1.0 / 6_227_020_800.0,
    1.0 / 479_001_600.0,
    1.0 / 39_916_800.0,
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
];

/// `out[i] = e^{x[i]}` for every i (lengths must agree; extra elements are left alone).
pub fn exp_into(x: &[f64], out: &mut [f64]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = exp_core(v);
    }
    for (o, &v) in out.iter_mut().zip(x) {
        let fast = v.abs() <= LIMIT; // false for NaN
        if !fast {
            *o = libm::exp(v);
        }
    }
}

/// e^x of one value, the same bits as [`exp_into`] gives for it.
#[inline]
pub fn exp(x: f64) -> f64 {
    if x.abs() <= LIMIT {
        exp_core(x)
    } else {
        libm::exp(x)
    }
}

/// The straight-line path (any input; meaningful for |x| ≤ [`LIMIT`]).
#[inline(always)]
fn exp_core(v: f64) -> f64 {
    let x = if v.abs() <= LIMIT { v } else { 0.0 };
    let kd = x * INV_LN2 + SHIFT;
    let k = kd.to_bits() as i64 - SHIFT_BITS;
    let kd = kd - SHIFT;
    let r = (x - kd * LN2_HI) - kd * LN2_LO;
    let mut q = INV_FACT[0];
    for c in &INV_FACT[1..] {
        q = q * r + c;
    }
    let er = (q * r + 1.0) * r + 1.0;
    let scale = f64::from_bits(((k + 1023) as u64) << 52);
    er * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite doubles of one sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn within_two_ulp_of_libm() {
        let xs: Vec<f64> = (0..200_001)
            .map(|i| -745.0 + 1455.0 * i as f64 / 200_000.0)
            .chain((0..20_001).map(|i| -1.0 + i as f64 / 10_000.0))
            .chain((0..2001).map(|i| (i as f64 - 1000.0) * 1e-12))
            .collect();
        let mut out = vec![0.0; xs.len()];
        exp_into(&xs, &mut out);
        let mut worst = 0;
        for (x, y) in xs.iter().zip(&out) {
            let want = libm::exp(*x);
            if want.is_normal() {
                worst = worst.max(ulps(*y, want));
            } else {
                assert_eq!(y.to_bits(), want.to_bits(), "x = {x}");
            }
        }
        assert!(worst <= 1, "worst {worst} ulp");
    }

    #[test]
    fn special_values_are_those_of_libm() {
        let xs = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            709.0,
            710.0,
            -744.0,
            -746.0,
            700.0,
            -700.0,
        ];
        let mut out = [0.0; 11];
        exp_into(&xs, &mut out);
        assert_eq!(out[0], 1.0);
        assert_eq!(out[1], 1.0);
        assert!(out[2].is_nan());
        assert_eq!(out[3], f64::INFINITY);
        assert_eq!(out[4], 0.0);
        for i in 5..9 {
            assert_eq!(out[i].to_bits(), libm::exp(xs[i]).to_bits());
        }
        for (x, y) in xs.iter().zip(&out) {
            assert_eq!(exp(*x).to_bits(), y.to_bits(), "one value as in a slice");
        }
        assert!(ulps(out[9], libm::exp(700.0)) <= 2);
        assert!(ulps(out[10], libm::exp(-700.0)) <= 2);
    }
}
