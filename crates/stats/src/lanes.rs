//! Two f64 lanes for the inner kernels: the Cox Gram and score sums ([`crate::cox`]) and
//! the logistic/multinomial X′WX and X′r ([`crate::logistic`]).
//!
//! [`F2`] is, per target:
//! * x86-64: an SSE2 register ([`Sse2`]; SSE2 is part of the x86-64 baseline, no
//!   run-time detection);
//! * wasm32 built with `-C target-feature=+simd128`: a `v128` used as f64x2 ([`Simd128`]);
//! * anything else (the scalar wasm build): two plain f64 ([`Pair`]).
//!
//! # The lane-order rule (why every build gives the same bits)
//! Every operation is lane-wise and IEEE-exact: [`Lanes::add`] and [`Lanes::mul`] round
//! each lane once, exactly as two scalar `+`/`*` would; [`Lanes::mul_add`] is a multiply
//! THEN an add (two roundings, never a fused multiply-add: relaxed-simd's `f64x2.relaxed_madd`
//! may fuse or not, so it is not used); the only horizontal step, [`Lanes::total`], is
//! lane 0 + lane 1, the order the scalar [`Pair`] writes. A kernel written once over
//! [`Lanes`] therefore performs the same roundings in the same order whatever the
//! implementation: the SIMD and scalar wasm builds, and native x86-64, give bit-identical
//! results (the browser tests compare the page's Report with the CLI's byte for byte).
//! What stays free to differ is only the NaN payload, which no result carries.
//!
//! # Why hand-written
//! No well-kept crate offers portable f64x2 on stable Rust with a documented bit-identical
//! scalar fallback: `std::simd` (portable SIMD) is still nightly-only (rust-lang/rust
//! tracking issue #86656); `wide` (f64x2 over `safe_arch` intrinsics on x86/wasm32/NEON,
//! plain code elsewhere) would do the lane-wise add/mul, but its `mul_add` uses FMA where
//! the target has it and it documents no bit-identity between its paths, and it adds two
//! crates to the shipped module; `pulp` dispatches at run time on native CPUs, and its
//! wasm support (`pulp-wasm-simd-flag`) enables relaxed-simd by default, whose madd may
//! fuse. The four operations needed here are a few lines of `core::arch` per target.
//!
//! # Cost
//! One `unsafe` block per intrinsic (loads/stores of two f64 with a bounds check first);
//! kernels take a `L: Lanes` type parameter (monomorphised: no run-time dispatch), so
//! tests can run the scalar [`Pair`] path natively and compare its bits with [`F2`]'s.
//! A second wasm build (scripts/build-web) ships the SIMD module beside the scalar one.

/// Two f64 lanes with lane-wise IEEE arithmetic (see the module docs for the rule).
pub(crate) trait Lanes: Copy {
    /// (0, 0).
    const ZERO: Self;
    /// (v[0], v[1]); `v` has at least two values.
    fn load(v: &[f64]) -> Self;
    /// (a, a).
    fn splat(a: f64) -> Self;
    /// out[0] = lane 0, out[1] = lane 1; `out` has room for two.
    fn store(self, out: &mut [f64]);
    /// Lane-wise self + b.
    fn add(self, b: Self) -> Self;
    /// Lane-wise self · b.
    fn mul(self, b: Self) -> Self;
    /// Lane-wise self + a·b: a multiply, then an add (never fused).
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self.add(a.mul(b))
    }
    /// (lane 0, lane 1).
    fn lanes(self) -> [f64; 2];
    /// lane 0 + lane 1.
    #[inline(always)]
    fn total(self) -> f64 {
        let [a, b] = self.lanes();
        a + b
    }
}

/// The two lanes of this build: SSE2 on x86-64, f64x2 on wasm32 with simd128, else
/// [`Pair`].
#[cfg(target_arch = "x86_64")]
pub(crate) type F2 = Sse2;
/// The two lanes of this build: SSE2 on x86-64, f64x2 on wasm32 with simd128, else
/// [`Pair`].
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) type F2 = Simd128;
/// The two lanes of this build: SSE2 on x86-64, f64x2 on wasm32 with simd128, else
/// [`Pair`].
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
pub(crate) type F2 = Pair;

/// Whether [`F2`] is a SIMD register in this build (shown in the page's About).
pub const SIMD: bool = cfg!(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
));

/// Two plain f64: the scalar path, compiled on every target (tests compare it with [`F2`]).
#[derive(Clone, Copy, Debug)]
// F2 of the scalar wasm build; elsewhere used by the tests only.
#[allow(dead_code)]
pub(crate) struct Pair([f64; 2]);

impl Lanes for Pair {
    const ZERO: Pair = Pair([0.0, 0.0]);

    #[inline(always)]
    fn load(v: &[f64]) -> Pair {
        Pair([v[0], v[1]])
    }
    #[inline(always)]
    fn splat(a: f64) -> Pair {
        Pair([a, a])
    }
    #[inline(always)]
    fn store(self, out: &mut [f64]) {
        out[..2].copy_from_slice(&self.0);
    }
    #[inline(always)]
    fn add(self, b: Pair) -> Pair {
        Pair([self.0[0] + b.0[0], self.0[1] + b.0[1]])
    }
    #[inline(always)]
    fn mul(self, b: Pair) -> Pair {
        Pair([self.0[0] * b.0[0], self.0[1] * b.0[1]])
    }
    #[inline(always)]
    fn lanes(self) -> [f64; 2] {
        self.0
    }
}

/// An SSE2 register (x86-64 baseline).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub(crate) struct Sse2(std::arch::x86_64::__m128d);

#[cfg(target_arch = "x86_64")]
impl Lanes for Sse2 {
    const ZERO: Sse2 =
        Sse2(unsafe { std::mem::transmute::<[f64; 2], std::arch::x86_64::__m128d>([0.0, 0.0]) });

    #[inline(always)]
    fn load(v: &[f64]) -> Sse2 {
        let pair = &v[..2];
        // SAFETY: `pair` is two initialised f64; loadu has no alignment requirement.
        Sse2(unsafe { std::arch::x86_64::_mm_loadu_pd(pair.as_ptr()) })
    }
    #[inline(always)]
    fn splat(a: f64) -> Sse2 {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        Sse2(unsafe { std::arch::x86_64::_mm_set1_pd(a) })
    }
    #[inline(always)]
    fn store(self, out: &mut [f64]) {
        let pair = &mut out[..2];
        // SAFETY: `pair` has room for two f64; storeu has no alignment requirement.
        unsafe { std::arch::x86_64::_mm_storeu_pd(pair.as_mut_ptr(), self.0) };
    }
    #[inline(always)]
    fn add(self, b: Sse2) -> Sse2 {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        Sse2(unsafe { std::arch::x86_64::_mm_add_pd(self.0, b.0) })
    }
    #[inline(always)]
    fn mul(self, b: Sse2) -> Sse2 {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        Sse2(unsafe { std::arch::x86_64::_mm_mul_pd(self.0, b.0) })
    }
    #[inline(always)]
    fn lanes(self) -> [f64; 2] {
        let mut out = [0.0f64; 2];
        self.store(&mut out);
        out
    }
}

/// A wasm `v128` used as f64x2 (builds with `-C target-feature=+simd128`).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
pub(crate) struct Simd128(core::arch::wasm32::v128);

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Lanes for Simd128 {
    const ZERO: Simd128 = Simd128(core::arch::wasm32::f64x2(0.0, 0.0));

    #[inline(always)]
    fn load(v: &[f64]) -> Simd128 {
        let pair = &v[..2];
        // SAFETY: `pair` is 16 readable bytes; v128.load has no alignment requirement.
        Simd128(unsafe {
            core::arch::wasm32::v128_load(pair.as_ptr().cast::<core::arch::wasm32::v128>())
        })
    }
    #[inline(always)]
    fn splat(a: f64) -> Simd128 {
        Simd128(core::arch::wasm32::f64x2_splat(a))
    }
    #[inline(always)]
    fn store(self, out: &mut [f64]) {
        let pair = &mut out[..2];
        // SAFETY: `pair` is 16 writable bytes; v128.store has no alignment requirement.
        unsafe {
            core::arch::wasm32::v128_store(
                pair.as_mut_ptr().cast::<core::arch::wasm32::v128>(),
                self.0,
            )
        };
    }
    #[inline(always)]
    fn add(self, b: Simd128) -> Simd128 {
        Simd128(core::arch::wasm32::f64x2_add(self.0, b.0))
    }
    #[inline(always)]
    fn mul(self, b: Simd128) -> Simd128 {
        Simd128(core::arch::wasm32::f64x2_mul(self.0, b.0))
    }
    #[inline(always)]
    fn lanes(self) -> [f64; 2] {
        [
            core::arch::wasm32::f64x2_extract_lane::<0>(self.0),
            core::arch::wasm32::f64x2_extract_lane::<1>(self.0),
        ]
    }
}

/// y += a·x element by element (a multiply then an add per element, two at a time; the
/// odd last element alone): the same bits as the scalar loop `y[i] += a * x[i]`.
#[inline(always)]
pub(crate) fn axpy<L: Lanes>(y: &mut [f64], a: f64, x: &[f64]) {
    let n = y.len().min(x.len());
    let (y, x) = (&mut y[..n], &x[..n]);
    let av = L::splat(a);
    let mut yc = y.chunks_exact_mut(2);
    let mut xc = x.chunks_exact(2);
    for (yy, xx) in (&mut yc).zip(&mut xc) {
        L::load(yy).mul_add(av, L::load(xx)).store(yy);
    }
    if let ([yl], [xl]) = (yc.into_remainder(), xc.remainder()) {
        *yl += a * xl;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: usize) -> Vec<f64> {
        (0..n)
            .map(|k| (((k * 7919 + seed * 104_729) % 1009) as f64 / 97.0 - 5.2) * 1.000_001)
            .collect()
    }

    /// Every operation of F2 gives the bits of the scalar Pair.
    #[test]
    fn f2_gives_the_bits_of_pair() {
        let a = values(64, 1);
        let b = values(64, 2);
        for k in (0..62).step_by(2) {
            let (fa, fb) = (F2::load(&a[k..]), F2::load(&b[k..]));
            let (pa, pb) = (Pair::load(&a[k..]), Pair::load(&b[k..]));
            let bits = |v: [f64; 2]| v.map(f64::to_bits);
            assert_eq!(bits(fa.add(fb).lanes()), bits(pa.add(pb).lanes()));
            assert_eq!(bits(fa.mul(fb).lanes()), bits(pa.mul(pb).lanes()));
            assert_eq!(
                bits(fa.mul_add(fb, fa).lanes()),
                bits(pa.mul_add(pb, pa).lanes())
            );
            assert_eq!(fa.total().to_bits(), pa.total().to_bits());
            let s = F2::splat(a[k]).lanes();
            assert_eq!(bits(s), bits(Pair::splat(a[k]).lanes()));
        }
    }

    /// axpy, both paths, gives the bits of the scalar loop.
    #[test]
    fn axpy_is_the_scalar_loop() {
        for n in [0usize, 1, 2, 3, 10, 77] {
            let x = values(n, 3);
            let y0 = values(n, 4);
            let mut want = y0.clone();
            for (w, xv) in want.iter_mut().zip(&x) {
                *w += 0.37 * xv;
            }
            let (mut f, mut p) = (y0.clone(), y0.clone());
            axpy::<F2>(&mut f, 0.37, &x);
            axpy::<Pair>(&mut p, 0.37, &x);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&f), bits(&want), "n={n}");
            assert_eq!(bits(&p), bits(&want), "n={n}");
        }
    }
}
