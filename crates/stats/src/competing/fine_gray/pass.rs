//! One evaluation of the Fine–Gray log partial likelihood, its score and information at β,
//! in O(n·p²) with running sums.
//!
//! # Formula
//! With e_j = exp(x_jβ) and the crr weight w_j(t) = 1 when t_j ≥ t, Ĝ(t⁻)/Ĝ(t_j⁻) when
//! t_j < t and row j had the other cause, 0 otherwise, the risk-set sums at a time t
//! with d(t) events of the cause split in two running sums:
//!
//! S_k(t) = Σ_j w_j(t) e_j x_j^⊗k = R_k(t) + Ĝ(t⁻) C_k(t),
//! R_k(t) = Σ_{t_j ≥ t} e_j x_j^⊗k,   C_k(t) = Σ_{t_j < t, other cause} e_j x_j^⊗k / Ĝ(t_j⁻),
//!
//! R accumulated backwards over the times, C as its total minus the part at t_j ≥ t.
//! Then (Breslow's handling of ties, as crr):
//!
//! ℓ(β) = Σ_t [Σ_{i: events at t} x_iβ − d(t) log S₀(t)],
//! U(β) = Σ_t [Σ_i x_i − d(t) S₁/S₀],  I(β) = Σ_t d(t) [S₂/S₀ − (S₁/S₀)(S₁/S₀)ᵀ].
//!
//! crr's Fortran (`crrfsv`, `crrf`) forms S_k(t) by a pass over all n rows at each
//! event time (O(n²)); the sums are the same.
//!
//! # References
//! Fine, J. P. & Gray, R. J. (1999). A proportional hazards model for the subdistribution
//! of a competing risk. *JASA* 94, 496–509, §3 (eqs. 3–4 with weights w_j(t)).
//!
//! # R equivalent
//! `cmprsk::crr(...)$loglik` (−`crrf`), `$score`, and the information `$inf` (cmprsk 2.2-11).

use super::prepare::{Prepared, Role};

/// ℓ, U and I at one β; with `keep`, the per-event-time quantities the variance needs.
#[derive(Debug, Clone)]
pub(super) struct Pass {
    pub loglik: f64,
    pub score: Vec<f64>,
    /// Row-major p×p.
    pub info: Vec<f64>,
    /// exp(x_iβ − shift) per sorted row (the shift cancels in every ratio).
    pub risk: Vec<f64>,
    pub times: Option<EventTimes>,
}

/// The distinct event times of the cause, ascending.
#[derive(Debug, Clone, Default)]
pub(super) struct EventTimes {
    /// The block (of [`Prepared::blocks`]) of each time.
    pub block: Vec<usize>,
    /// d(t): events of the cause at t.
    pub d: Vec<f64>,
    /// S₀(t) (with the risk scores' shift).
    pub s0: Vec<f64>,
    /// x̄(t) = S₁/S₀, row-major (time, p).
    pub xbar: Vec<f64>,
    /// Ĝ(t⁻).
    pub g: Vec<f64>,
}

/// Running sums of e, e·x and e·x xᵀ (upper triangle, row-major p×p).
struct Sums {
    s0: f64,
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl Sums {
    fn new(p: usize) -> Self {
        Sums {
            s0: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
        }
    }

    #[inline]
    fn add(&mut self, w: f64, x: &[f64]) {
        let p = x.len();
        self.s0 += w;
        for a in 0..p {
            let wa = w * x[a];
            self.s1[a] += wa;
            for b in a..p {
                self.s2[a * p + b] += wa * x[b];
            }
        }
    }
}

/// The linear predictors x_iβ of the sorted rows, their exponentials shifted (as coxph
/// does) only when one would overflow, and the shift.
fn risk_scores(prep: &Prepared, beta: &[f64]) -> (Vec<f64>, Vec<f64>, f64) {
    const LOG_MAX: f64 = 700.0;
    let lp: Vec<f64> = (0..prep.n)
        .map(|i| (0..prep.p).map(|j| prep.x(i, j) * beta[j]).sum())
        .collect();
    let max = lp.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let shift = if max > LOG_MAX { max - LOG_MAX } else { 0.0 };
    let risk = lp.iter().map(|&v| crate::math::exp(v - shift)).collect();
    (lp, risk, shift)
}

/// Evaluate ℓ, U, I at β (module formula); `keep` also returns the event-time table.
pub(super) fn evaluate(prep: &Prepared, beta: &[f64], keep: bool) -> Pass {
    let p = prep.p;
    let (lp, risk, shift) = risk_scores(prep, beta);
    let mut xi = vec![0.0; p];
    // C's total over all other-cause rows, then the part at t_j ≥ t removed as we go back.
    let mut c_total = Sums::new(p);
    for i in 0..prep.n {
        if prep.role[i] == Role::Other {
            prep.row_into(i, &mut xi);
            c_total.add(risk[i] / prep.g[i], &xi);
        }
    }
    let mut r = Sums::new(p);
    let mut c_later = Sums::new(p);
    let mut loglik = 0.0;
    let mut score = vec![0.0; p];
    let mut info = vec![0.0; p * p];
    let mut times = EventTimes::default();
    let mut s1 = vec![0.0; p];
    for b in (0..prep.n_blocks()).rev() {
        let mut d = 0.0;
        for i in prep.block(b) {
            prep.row_into(i, &mut xi);
            r.add(risk[i], &xi);
            match prep.role[i] {
                Role::Other => c_later.add(risk[i] / prep.g[i], &xi),
                Role::Cause => {
                    d += 1.0;
                    loglik += lp[i];
                    for (s, x) in score.iter_mut().zip(&xi) {
                        *s += x;
                    }
                }
                Role::Censored => {}
            }
        }
        if d == 0.0 {
            continue;
        }
        let g = prep.g[prep.blocks[b]];
        let s0 = r.s0 + g * (c_total.s0 - c_later.s0);
        for a in 0..p {
            s1[a] = r.s1[a] + g * (c_total.s1[a] - c_later.s1[a]);
        }
        loglik -= d * (crate::math::ln(s0) + shift);
        for a in 0..p {
            score[a] -= d * s1[a] / s0;
            for c in a..p {
                let s2 = r.s2[a * p + c] + g * (c_total.s2[a * p + c] - c_later.s2[a * p + c]);
                info[a * p + c] += d * (s2 / s0 - (s1[a] / s0) * (s1[c] / s0));
            }
        }
        if keep {
            times.block.push(b);
            times.d.push(d);
            times.s0.push(s0);
            times.xbar.extend(s1.iter().map(|v| v / s0));
            times.g.push(g);
        }
    }
    for a in 0..p {
        for c in 0..a {
            info[a * p + c] = info[c * p + a];
        }
    }
    Pass {
        loglik,
        score,
        info,
        risk,
        times: keep.then(|| times.reversed(p)),
    }
}

impl EventTimes {
    /// The table was built backwards: put it in ascending time.
    fn reversed(mut self, p: usize) -> Self {
        self.block.reverse();
        self.d.reverse();
        self.s0.reverse();
        self.g.reverse();
        let k = self.d.len();
        let mut xbar = Vec::with_capacity(k * p);
        for t in (0..k).rev() {
            xbar.extend_from_slice(&self.xbar[t * p..(t + 1) * p]);
        }
        self.xbar = xbar;
        self
    }

    /// Number of distinct event times.
    pub fn len(&self) -> usize {
        self.d.len()
    }

    /// x̄ at event time k.
    #[inline]
    pub fn xbar(&self, k: usize, p: usize) -> &[f64] {
        &self.xbar[k * p..(k + 1) * p]
    }
}
