//! Two f64 lanes for the hot dot products of the Cox fit ([`super::gram`]).
//!
//! On x86-64 an SSE2 register (SSE2 is part of the x86-64 baseline, so no run-time
//! detection is needed); elsewhere (wasm32) two scalars. Lane-wise IEEE multiply then add,
//! never fused, in the order the caller writes: every target gives the same bits. The
//! compiler's own vectorization of the same loops interleaved shuffles (it packed
//! different columns into one register), and ran the Gram sums ~1.6× slower.

/// Two f64 lanes: an SSE2 register on x86-64 (every x86-64 has SSE2), two scalars
/// elsewhere. Lane-wise IEEE multiply and add (never fused), so both give the same bits.
#[derive(Clone, Copy)]
pub(crate) struct F2(
    #[cfg(target_arch = "x86_64")] std::arch::x86_64::__m128d,
    #[cfg(not(target_arch = "x86_64"))] [f64; 2],
);

#[cfg(target_arch = "x86_64")]
impl F2 {
    pub(crate) const ZERO: F2 =
        F2(unsafe { std::mem::transmute::<[f64; 2], std::arch::x86_64::__m128d>([0.0, 0.0]) });

    /// The first two values of `v` (a chunk of two).
    #[inline(always)]
    pub(crate) fn load(v: &[f64]) -> F2 {
        let pair: [f64; 2] = [v[0], v[1]];
        // SAFETY: `pair` is two initialised f64; loadu has no alignment requirement.
        F2(unsafe { std::arch::x86_64::_mm_loadu_pd(pair.as_ptr()) })
    }

    /// self + a·b, lane by lane (a multiply then an add).
    #[inline(always)]
    pub(crate) fn mul_add(self, a: F2, b: F2) -> F2 {
        use std::arch::x86_64::{_mm_add_pd, _mm_mul_pd};
        // SAFETY: SSE2 is part of the x86-64 baseline (every x86-64 CPU has it).
        F2(unsafe { _mm_add_pd(self.0, _mm_mul_pd(a.0, b.0)) })
    }

    /// lane 0 + lane 1.
    #[inline(always)]
    pub(crate) fn total(self) -> f64 {
        let mut out = [0.0f64; 2];
        // SAFETY: `out` has room for two f64; storeu has no alignment requirement.
        unsafe { std::arch::x86_64::_mm_storeu_pd(out.as_mut_ptr(), self.0) };
        out[0] + out[1]
    }
}

#[cfg(not(target_arch = "x86_64"))]
impl F2 {
    pub(crate) const ZERO: F2 = F2([0.0, 0.0]);

    #[inline(always)]
    pub(crate) fn load(v: &[f64]) -> F2 {
        F2([v[0], v[1]])
    }

    #[inline(always)]
    pub(crate) fn mul_add(self, a: F2, b: F2) -> F2 {
        F2([self.0[0] + a.0[0] * b.0[0], self.0[1] + a.0[1] * b.0[1]])
    }

    #[inline(always)]
    pub(crate) fn total(self) -> f64 {
        self.0[0] + self.0[1]
    }
}
