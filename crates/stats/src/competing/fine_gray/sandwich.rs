//! crr's variance of β̂: I⁻¹ Σ_i (η_i + ψ_i)(η_i + ψ_i)ᵀ I⁻¹, in O(n·p²).
//!
//! # Formula
//! With the sums of module `pass` at β̂, x̄(t) = S₁/S₀ and dΛ̂(t) = d(t)/S₀(t):
//!
//! * η_i, the score of row i with the subdistribution martingale (Fine & Gray 1999,
//!   §3 and appendix):
//!   η_i = δ_i [x_i − x̄(t_i)] − Σ_t w_i(t) e_i [x_i − x̄(t)] dΛ̂(t).
//!   The sum splits at t_i: the t ≤ t_i part is e_i [x_i A(t_i) − B(t_i)] with the
//!   running A = Σ dΛ̂, B = Σ x̄ dΛ̂; for an other-cause row, the t > t_i part is
//!   (e_i / Ĝ(t_i⁻)) [x_i A_G − B_G] with the suffix sums A_G = Σ_{t > t_i} Ĝ(t⁻) dΛ̂,
//!   B_G = Σ_{t > t_i} Ĝ(t⁻) x̄ dΛ̂.
//! * ψ_i, the term for the estimated censoring distribution: with
//!   q(u) = Σ_{t ≥ u} Ĝ(t⁻) dΛ̂(t) Σ_{t_j < u, other cause} (e_j / Ĝ(t_j⁻)) [x_j − x̄(t)]
//!   = C₁(u) A_G(≥u) − C₀(u) B_G(≥u),
//!   Y(u) the number of rows with t_j ≥ u and c(u) the censorings at u,
//!   ψ_i = δᶜ_i q(t_i)/Y(t_i) − Σ_{u ≤ t_i} c(u) q(u)/Y(u)²  (∫ q/Y dM_i^c).
//!
//! crr (Fortran `crrvv`) computes the same terms with nested loops over the rows
//! (O(n²) to O(n³)); these running sums give the same numbers.
//!
//! # References
//! Fine, J. P. & Gray, R. J. (1999). *JASA* 94, 496–509: the variance estimator of §3
//! (Ω̂ = Σ (η̂_i + ψ̂_i)^⊗2, var = I⁻¹ Ω̂ I⁻¹).
//!
//! # R equivalent
//! `cmprsk::crr(...)$var` (cmprsk 2.2-11: `crrvv`, then `h %*% v2 %*% t(h)` with
//! `h = solve(inf)`).

use super::pass::{EventTimes, Pass};
use super::prepare::{Prepared, Role};

/// Ω̂ = Σ_i (η_i + ψ_i)(η_i + ψ_i)ᵀ, row-major p×p.
pub(super) fn score_variance(prep: &Prepared, pass: &Pass, times: &EventTimes) -> Vec<f64> {
    let p = prep.p;
    let k_n = times.len();
    // Suffix sums over event times k' ≥ k of Ĝ dΛ̂ and Ĝ x̄ dΛ̂ (index k_n: empty).
    let mut ag = vec![0.0; k_n + 1];
    let mut bg = vec![0.0; (k_n + 1) * p];
    for k in (0..k_n).rev() {
        let gl = times.g[k] * times.d[k] / times.s0[k];
        ag[k] = ag[k + 1] + gl;
        let xb = times.xbar(k, p);
        for j in 0..p {
            bg[k * p + j] = bg[(k + 1) * p + j] + gl * xb[j];
        }
    }
    let risk = &pass.risk;
    let (mut a, mut bsum) = (0.0, vec![0.0; p]);
    let (mut c0, mut c1) = (0.0, vec![0.0; p]);
    let mut censoring = vec![0.0; p];
    let mut q = vec![0.0; p];
    let mut omega = vec![0.0; p * p];
    let (mut xi, mut h) = (vec![0.0; p], vec![0.0; p]);
    let mut k = 0;
    for b in 0..prep.n_blocks() {
        let rows = prep.block(b);
        let at = (k < k_n && times.block[k] == b).then_some(k);
        if let Some(k) = at {
            let l = times.d[k] / times.s0[k];
            a += l;
            for (s, x) in bsum.iter_mut().zip(times.xbar(k, p)) {
                *s += l * x;
            }
        }
        // Event times ≥ this time start at k; strictly after it at k + 1 if it is one.
        let after = at.map_or(k, |k| k + 1);
        let y = (prep.n - rows.start) as f64;
        let c = rows
            .clone()
            .filter(|&i| prep.role[i] == Role::Censored)
            .count() as f64;
        if c > 0.0 {
            for j in 0..p {
                q[j] = c1[j] * ag[k] - c0 * bg[k * p + j];
                censoring[j] -= c * q[j] / (y * y);
            }
        }
        for i in rows.clone() {
            prep.row_into(i, &mut xi);
            let e = risk[i];
            for j in 0..p {
                h[j] = censoring[j] - e * (xi[j] * a - bsum[j]);
            }
            match prep.role[i] {
                Role::Cause => {
                    let xb = at.map(|k| times.xbar(k, p)).unwrap_or(&[]);
                    for (j, m) in xb.iter().enumerate() {
                        h[j] += xi[j] - m;
                    }
                }
                Role::Other => {
                    let f = e / prep.g[i];
                    for j in 0..p {
                        h[j] -= f * (xi[j] * ag[after] - bg[after * p + j]);
                    }
                }
                Role::Censored => {
                    for j in 0..p {
                        h[j] += q[j] / y;
                    }
                }
            }
            for r in 0..p {
                for s in r..p {
                    omega[r * p + s] += h[r] * h[s];
                }
            }
        }
        for i in rows {
            if prep.role[i] == Role::Other {
                let f = risk[i] / prep.g[i];
                c0 += f;
                for (j, c) in c1.iter_mut().enumerate().take(p) {
                    *c += f * prep.x(i, j);
                }
            }
        }
        k = after;
    }
    for r in 0..p {
        for s in 0..r {
            omega[r * p + s] = omega[s * p + r];
        }
    }
    omega
}

/// The sandwich H Ω H for symmetric row-major p×p H and Ω.
pub(super) fn sandwich(h: &[f64], omega: &[f64], p: usize) -> Vec<f64> {
    let mut ho = vec![0.0; p * p];
    for r in 0..p {
        for s in 0..p {
            ho[r * p + s] = (0..p).map(|t| h[r * p + t] * omega[t * p + s]).sum();
        }
    }
    let mut v = vec![0.0; p * p];
    for r in 0..p {
        for s in 0..p {
            v[r * p + s] = (0..p).map(|t| ho[r * p + t] * h[s * p + t]).sum();
        }
    }
    v
}
