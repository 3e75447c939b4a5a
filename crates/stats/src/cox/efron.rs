//! Efron's approximation at one tied death time, in closed form: O(e + p²) instead of
//! `coxfit6`'s O(e·p²) loop over the e deaths.
//!
//! # References
//! Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
//! *JASA* 72, 557–565. Therneau, T. M. & Grambsch, P. M. (2000), §3.3.
//!
//! # R equivalent
//! The `efron` branch of C `coxfit6_iter` (survival 3.5-3).

use crate::math;

/// The death-only sums of one tied death time (Efron, e = `ndead` ≥ 2).
pub(crate) struct EfronAt<'a> {
    pub p: usize,
    pub ndead: usize,
    pub deadwt: f64,
    pub denom2: f64,
    pub a2: &'a [f64],
    pub cmat2: &'a [f64],
}

/// Scalar sums over the e Efron terms m = 1…e with f_m = m/e and d_m = S0 + f_m S0ᴰ:
/// `[Σ 1/d, Σ f/d, Σ 1/d², Σ f/d², Σ f²/d²]` and Σ log d.
///
/// Σ log d_m is taken as the log of running products (one log per several terms, kept
/// within 1e±200 so no product over- or underflows): the sum to the last bits or so,
/// at a fraction of e logarithms.
pub(crate) fn efron_sums(ndead: usize, denom: f64, denom2: f64) -> ([f64; 5], f64) {
    let nd = ndead as f64;
    let mut h = [0.0; 5];
    let mut logs = LogSum::default();
    for m in 1..=ndead {
        let f = m as f64 / nd;
        let dm = denom + f * denom2;
        let inv = 1.0 / dm;
        h[0] += inv;
        h[1] += f * inv;
        h[2] += inv * inv;
        h[3] += f * inv * inv;
        h[4] += f * f * inv * inv;
        logs.add(dm);
    }
    (h, logs.total())
}

/// Σ log v over positive values, as log of running products.
struct LogSum {
    logs: f64,
    /// Product of the values not yet logged (1 when none: its log is exactly 0).
    prod: f64,
}

impl Default for LogSum {
    fn default() -> Self {
        LogSum {
            logs: 0.0,
            prod: 1.0,
        }
    }
}

impl LogSum {
    #[inline]
    fn add(&mut self, v: f64) {
        if !(1e-100..=1e100).contains(&v) {
            // Outside the range a product could absorb (also 0, ∞ and NaN): log it alone.
            self.logs += math::ln(v);
            return;
        }
        let prod = self.prod * v;
        if (1e-200..=1e200).contains(&prod) {
            self.prod = prod;
        } else {
            self.logs += math::ln(prod);
            self.prod = 1.0;
        }
    }

    fn total(self) -> f64 {
        self.logs + math::ln(self.prod)
    }
}

/// One tied death time under Efron in O(e + p²) instead of O(e·p²).
///
/// # Formula
/// With A, C the sums of the rows at risk that are not deaths at t, B, C₂ the death-only
/// sums and the e terms' a_m = A + f_m B, C_m = C + f_m C₂, d_m as in [`efron_sums`]:
/// Σ_m (C_m − a_m a_mᵀ/d_m)/d_m = C h₀ + C₂ h₁ − (AAᵀ g₀ + (ABᵀ + BAᵀ) g₁ + BBᵀ g₂), and
/// Σ_m a_m/d_m = A h₀ + B h₁ (h, g the scalar sums). Each is multiplied by the average
/// death weight W_D/e. Algebraically the m-loop of `coxfit6`; only the rounding differs.
/// Afterwards the running sums hold every row at t (S0 += S0ᴰ, A += B, C += C₂).
///
/// `out` = (ℓ, U, I upper triangle `I[j·p + i]`, i ≥ j).
pub(crate) fn efron_step(
    at: EfronAt,
    denom: &mut f64,
    a: &mut [f64],
    cmat: &mut [f64],
    out: (&mut f64, &mut [f64], &mut [f64]),
) {
    let (loglik, u, imat) = out;
    let p = at.p;
    let wtave = at.deadwt / at.ndead as f64;
    let (h, logs) = efron_sums(at.ndead, *denom, at.denom2);
    *loglik -= wtave * logs;
    for i in 0..p {
        let (ai, bi) = (a[i], at.a2[i]);
        u[i] -= wtave * (ai * h[0] + bi * h[1]);
        for j in 0..=i {
            let (aj, bj) = (a[j], at.a2[j]);
            let quad = ai * aj * h[2] + (ai * bj + bi * aj) * h[3] + bi * bj * h[4];
            let c = cmat[i * p + j] * h[0] + at.cmat2[i * p + j] * h[1];
            imat[j * p + i] += wtave * (c - quad);
        }
    }
    *denom += at.denom2;
    for i in 0..p {
        a[i] += at.a2[i];
        for j in 0..=i {
            cmat[i * p + j] += at.cmat2[i * p + j];
        }
    }
}
