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

use super::compensated::Sum;
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

/// Running sums of e, e·x (compensated: the score is made of them) and e·x xᵀ (upper
/// triangle, row-major p×p).
struct Sums {
    s0: Sum,
    s1: Vec<Sum>,
    s2: Vec<f64>,
}

impl Sums {
    fn new(p: usize) -> Self {
        Sums {
            s0: Sum::default(),
            s1: vec![Sum::default(); p],
            s2: vec![0.0; p * p],
        }
    }

    #[inline]
    fn add(&mut self, w: f64, x: &[f64]) {
        let p = x.len();
        self.s0.add(w);
        for a in 0..p {
            let wa = w * x[a];
            self.s1[a].add(wa);
            for (s2, xb) in self.s2[a * p + a..(a + 1) * p].iter_mut().zip(&x[a..]) {
                *s2 += wa * xb;
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
    for (i, r) in risk.iter().enumerate().take(prep.n) {
        if prep.role[i] == Role::Other {
            prep.row_into(i, &mut xi);
            c_total.add(r / prep.g[i], &xi);
        }
    }
    let mut acc = Totals::new(p, keep);
    let mut r = Sums::new(p);
    let mut c_later = Sums::new(p);
    for b in (0..prep.n_blocks()).rev() {
        let mut d = 0.0;
        for i in prep.block(b) {
            prep.row_into(i, &mut xi);
            r.add(risk[i], &xi);
            match prep.role[i] {
                Role::Other => c_later.add(risk[i] / prep.g[i], &xi),
                Role::Cause => {
                    d += 1.0;
                    acc.event(lp[i], &xi);
                }
                Role::Censored => {}
            }
        }
        if d > 0.0 {
            let g = prep.g[prep.blocks[b]];
            acc.event_time(b, d, g, shift, &r, &c_total, &c_later);
        }
    }
    acc.finish(risk)
}

/// ℓ, U and I as the backward walk adds them up.
struct Totals {
    p: usize,
    loglik: Sum,
    score: Vec<Sum>,
    info: Vec<f64>,
    s1: Vec<f64>,
    times: Option<EventTimes>,
}

impl Totals {
    fn new(p: usize, keep: bool) -> Self {
        Totals {
            p,
            loglik: Sum::default(),
            score: vec![Sum::default(); p],
            info: vec![0.0; p * p],
            s1: vec![0.0; p],
            times: keep.then(EventTimes::default),
        }
    }

    /// An event of the cause: + x_iβ and + x_i.
    fn event(&mut self, lp: f64, x: &[f64]) {
        self.loglik.add(lp);
        for (s, v) in self.score.iter_mut().zip(x) {
            s.add(*v);
        }
    }

    /// The risk-set terms of an event time (block b) with d events: S = R + Ĝ(t⁻)·C.
    #[allow(clippy::too_many_arguments)]
    fn event_time(
        &mut self,
        b: usize,
        d: f64,
        g: f64,
        shift: f64,
        r: &Sums,
        total: &Sums,
        later: &Sums,
    ) {
        let p = self.p;
        let s0 = r.s0.value() + g * total.s0.minus(&later.s0);
        for a in 0..p {
            self.s1[a] = r.s1[a].value() + g * total.s1[a].minus(&later.s1[a]);
        }
        self.loglik.add(-d * (crate::math::ln(s0) + shift));
        for a in 0..p {
            self.score[a].add(-d * self.s1[a] / s0);
            for c in a..p {
                let k = a * p + c;
                let s2 = r.s2[k] + g * (total.s2[k] - later.s2[k]);
                self.info[k] += d * (s2 / s0 - (self.s1[a] / s0) * (self.s1[c] / s0));
            }
        }
        if let Some(t) = self.times.as_mut() {
            t.block.push(b);
            t.d.push(d);
            t.s0.push(s0);
            t.xbar.extend(self.s1.iter().map(|v| v / s0));
            t.g.push(g);
        }
    }

    fn finish(mut self, risk: Vec<f64>) -> Pass {
        let p = self.p;
        for a in 0..p {
            for c in 0..a {
                self.info[a * p + c] = self.info[c * p + a];
            }
        }
        Pass {
            loglik: self.loglik.value(),
            score: self.score.iter().map(Sum::value).collect(),
            info: self.info,
            risk,
            times: self.times.map(|t| t.reversed(p)),
        }
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
