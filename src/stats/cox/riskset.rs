//! The partial-likelihood sums: one backward pass over stratum- and time-sorted rows with
//! running risk-set sums (O(n·p²) per evaluation, no loop over risk sets).
//!
//! # Formula
//! η_i = x_iβ, r_i = w_i e^{η_i}. At each distinct time t of a stratum, with D the death
//! rows (e = |D|, W_D = Σ_D w) and R the rows with time ≥ t: S0 = Σ_R r, S1 = Σ_R r x,
//! S2 = Σ_R r x xᵀ and the death-only sums S0ᴰ, S1ᴰ, S2ᴰ.
//! * Breslow (or e = 1): ℓ += Σ_D w η − W_D log S0; U += Σ_D w x − W_D x̄;
//!   I += W_D (S2/S0 − x̄x̄ᵀ), x̄ = S1/S0.
//! * Efron (e ≥ 2): the e terms m = 0…e−1 use S0 − (m/e)S0ᴰ (likewise S1, S2) with the
//!   average death weight W_D/e each.
//!
//! # References
//! Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34, 187–220.
//! Breslow, N. (1974). Covariance analysis of censored survival data. *Biometrics* 30, 89–99.
//! Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
//! *JASA* 72, 557–565.
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §3.2–3.3.
//!
//! # R equivalent
//! The C routine `coxfit6_iter` of survival 3.5-3 (summation order included: the sums are
//! accumulated backward in time and the Efron terms added in steps of S0ᴰ/e).

use super::gram::Gram;
use super::sorted::SortedX;
use super::Ties;
use crate::stats::{math, vexp};
use std::borrow::Cow;

/// Rows prepared for fitting: sorted by stratum then time, covariates centred and scaled
/// as `coxfit6` does (on the fly, see [`SortedX`]).
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'a> {
    pub n: usize,
    pub p: usize,
    /// `order[k]` = input row of prepared row k.
    pub order: Vec<usize>,
    /// Per prepared row (borrowed from the input when it already comes sorted).
    pub time: Cow<'a, [f64]>,
    pub event: Vec<bool>,
    pub weight: Cow<'a, [f64]>,
    /// Stratum code of each prepared row.
    pub stratum: Vec<u32>,
    /// The covariates, read centred by `means` and multiplied by `scale`.
    pub x: SortedX<'a>,
    pub means: Vec<f64>,
    pub scale: Vec<f64>,
    /// Counting-process data only: the start of each prepared row, and the prepared
    /// rows ordered by (stratum, start) ascending. `None` for right-censored data.
    pub start: Option<Entry>,
}

/// The entry times of (start, stop] rows (R's `sort.start`).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub start: Vec<f64>,
    pub by_start: Vec<usize>,
}

impl Entry {
    /// Sort prepared rows by (stratum, start).
    pub fn new(start: Vec<f64>, stratum: &[u32]) -> Entry {
        let mut by_start: Vec<usize> = (0..start.len()).collect();
        by_start.sort_by(|&a, &b| {
            stratum[a]
                .cmp(&stratum[b])
                .then(start[a].total_cmp(&start[b]))
        });
        Entry { start, by_start }
    }
}

/// Walks the entry times backward, stratum by stratum: rows whose start is at or after
/// the current time leave the risk set (agfit4's `indx1` loop).
pub(crate) struct Leaving<'a> {
    entry: Option<&'a Entry>,
    pos: usize,
}

impl<'a> Leaving<'a> {
    pub fn new(entry: Option<&'a Entry>) -> Self {
        Leaving {
            entry,
            pos: entry.map_or(0, |e| e.by_start.len()),
        }
    }

    /// Prepared rows of `stratum` with start ≥ `t` not yet returned. Calls must come
    /// with strata descending and, within a stratum, t descending.
    pub fn take(&mut self, stratum: &[u32], s: u32, t: f64) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(e) = self.entry else {
            return out;
        };
        while self.pos > 0 {
            let i = e.by_start[self.pos - 1];
            if stratum[i] > s {
                self.pos -= 1; // a later stratum's rows that never left
                continue;
            }
            if stratum[i] < s || e.start[i] < t {
                break;
            }
            out.push(i);
            self.pos -= 1;
        }
        out
    }
}

impl Prepared<'_> {
    /// True when prepared row `k` is the last of its stratum (R's `strata[k] == 1`).
    #[inline]
    pub fn last_in_stratum(&self, k: usize) -> bool {
        k + 1 == self.n || self.stratum[k + 1] != self.stratum[k]
    }

    /// Covariate j of prepared row k (centred and scaled).
    #[inline]
    pub fn xv(&self, k: usize, j: usize) -> f64 {
        self.x.get(k, j)
    }
}

/// `row[j] += f · x[j]` for every j: one row of a running S2 = Σ r x xᵀ with f = r·x_i.
/// Written over zipped slices so it vectorizes; each element gets exactly the same
/// rounding as `row[j] += r * x_i * x[j]` (left to right: (r·x_i)·x_j).
#[inline]
pub(crate) fn add_outer(row: &mut [f64], f: f64, x: &[f64]) {
    for (c, xj) in row.iter_mut().zip(x) {
        *c += f * xj;
    }
}

/// ℓ, U and I (row-major p×p, both triangles) at one β (on the prepared scale).
#[derive(Debug, Clone)]
pub(crate) struct Eval {
    pub loglik: f64,
    pub u: Vec<f64>,
    pub imat: Vec<f64>,
}

/// Evaluate the log partial likelihood, its score and information at `beta`.
///
/// The S2 sums go through [`Gram`] blocks (rows buffered, summed by block before a
/// death time needs them); every other sum is accumulated row by row in `coxfit6`'s
/// order. At β = 0 (the first evaluation) e^η = 1 exactly, so no exp is computed.
pub(crate) fn evaluate(d: &Prepared, beta: &[f64], ties: Ties) -> Eval {
    let (n, p) = (d.n, d.p);
    let mut out = Eval {
        loglik: 0.0,
        u: vec![0.0; p],
        imat: vec![0.0; p * p],
    };
    let mut at_risk = Running::new(p);
    let mut dead = Running::new(p);
    let mut leaving = Leaving::new(d.start.as_ref());
    let mut n_risk = 0usize;
    let mut xr = vec![0.0; p];
    let mut rows = TimeRows::default();
    let zero_beta = beta.iter().all(|&b| b == 0.0);
    let risk_of = |zbeta: f64, w: f64| if zero_beta { w } else { vexp::exp(zbeta) * w };
    let mut k = n;
    while k > 0 {
        let last = k - 1;
        if d.last_in_stratum(last) {
            n_risk = 0;
            at_risk.clear();
        }
        let dtime = d.time[last];
        // (start, stop] data: rows entering at or after dtime leave the risk set; when
        // it empties, the sums restart at exactly 0 (agfit4).
        let left = leaving.take(&d.stratum, d.stratum[last], dtime);
        if !left.is_empty() {
            at_risk.gram.flush(&mut at_risk.cmat);
        }
        for person in left {
            n_risk -= 1;
            if n_risk == 0 {
                at_risk.clear();
                continue;
            }
            d.x.row_into(person, &mut xr);
            at_risk.remove(&xr, risk_of(dot(beta, &xr), d.weight[person]));
        }
        // The rows at dtime (one stratum): lo..k, read and exponentiated as a block.
        let lo = tie_start(d, k, dtime);
        rows.load(d, lo..k, beta, zero_beta);
        n_risk += k - lo;
        let mut ndead = 0usize;
        let mut deadwt = 0.0;
        for (idx, person) in (lo..k).rev().enumerate() {
            let xr = &rows.x[idx * p..(idx + 1) * p];
            let (zbeta, risk) = (rows.eta[idx], rows.risk[idx]);
            let w = d.weight[person];
            if d.event[person] {
                ndead += 1;
                deadwt += w;
                out.loglik += w * zbeta;
                for (ui, xi) in out.u.iter_mut().zip(xr) {
                    *ui += w * xi;
                }
                dead.add(xr, risk);
            } else {
                at_risk.add(xr, risk);
            }
        }
        k = lo;
        if ndead > 0 {
            at_risk.gram.flush(&mut at_risk.cmat);
            dead.gram.flush(&mut dead.cmat);
            death_time(&mut at_risk, &dead, (ties, ndead, deadwt), &mut out);
            dead.reset();
        }
    }
    for i in 0..p {
        for j in 0..i {
            out.imat[i * p + j] = out.imat[j * p + i];
        }
    }
    out
}

/// First prepared row of the tie at `dtime` that ends at row k − 1 (ties never cross
/// strata).
fn tie_start(d: &Prepared, k: usize, dtime: f64) -> usize {
    let mut lo = k;
    while lo > 0 && d.time[lo - 1] == dtime {
        lo -= 1;
        if lo > 0 && d.last_in_stratum(lo - 1) {
            break;
        }
    }
    lo
}

/// The rows of one time, last row first: centred covariates (row-major), η = xβ and
/// r = w e^η, the exponentials of the block taken at once ([`vexp::exp_into`]).
#[derive(Default)]
struct TimeRows {
    x: Vec<f64>,
    eta: Vec<f64>,
    risk: Vec<f64>,
}

impl TimeRows {
    fn load(&mut self, d: &Prepared, rows: std::ops::Range<usize>, beta: &[f64], zero_beta: bool) {
        let (p, m) = (d.p, rows.len());
        self.x.resize(m * p, 0.0);
        self.eta.resize(m, 0.0);
        self.risk.resize(m, 0.0);
        d.x.rows_rev_into(rows.clone(), &mut self.x);
        self.eta.iter_mut().for_each(|e| *e = 0.0);
        for (e, xr) in self.eta.iter_mut().zip(self.x.chunks_exact(p.max(1))) {
            *e = dot(beta, xr);
        }
        if zero_beta {
            // e^0 = 1 exactly.
            self.risk.iter_mut().for_each(|r| *r = 1.0);
        } else {
            vexp::exp_into(&self.eta, &mut self.risk);
        }
        for (r, person) in self.risk.iter_mut().zip(rows.rev()) {
            *r *= d.weight[person];
        }
    }
}

/// x·β summed left to right from 0 (`coxfit6`'s zbeta).
#[inline]
fn dot(beta: &[f64], x: &[f64]) -> f64 {
    let mut z = 0.0;
    for (b, v) in beta.iter().zip(x) {
        z += b * v;
    }
    z
}

/// Running sums S0 = Σ r, S1 = Σ r x and the lower triangle of S2 = Σ r x xᵀ (its
/// rows still in `gram` until flushed).
struct Running {
    denom: f64,
    a: Vec<f64>,
    cmat: Vec<f64>,
    gram: Gram,
}

impl Running {
    fn new(p: usize) -> Self {
        Running {
            denom: 0.0,
            a: vec![0.0; p],
            cmat: vec![0.0; p * p],
            gram: Gram::new(p),
        }
    }

    /// Everything back to exactly 0.
    fn clear(&mut self) {
        self.reset();
        self.gram.clear();
    }

    /// Sums to 0 (the buffer is already flushed).
    fn reset(&mut self) {
        self.denom = 0.0;
        self.a.iter_mut().for_each(|v| *v = 0.0);
        self.cmat.iter_mut().for_each(|v| *v = 0.0);
    }

    #[inline]
    fn add(&mut self, x: &[f64], risk: f64) {
        self.denom += risk;
        for (ai, xi) in self.a.iter_mut().zip(x) {
            *ai += risk * xi;
        }
        self.gram.push(x, risk, &mut self.cmat);
    }

    /// Take a row out (row by row: leaving rows are few).
    fn remove(&mut self, x: &[f64], risk: f64) {
        let p = x.len();
        self.denom -= risk;
        for (i, (&xi, ai)) in x.iter().zip(self.a.iter_mut()).enumerate() {
            *ai -= risk * xi;
            for (c, &xj) in self.cmat[i * p..=i * p + i].iter_mut().zip(x) {
                *c -= risk * xi * xj;
            }
        }
    }
}

/// The contributions of one death time (`dead` holds the sums of its deaths) to ℓ, U
/// and I; afterwards `at_risk` holds every row at the time.
fn death_time(
    at_risk: &mut Running,
    dead: &Running,
    (ties, ndead, deadwt): (Ties, usize, f64),
    out: &mut Eval,
) {
    let p = at_risk.a.len();
    if ties == Ties::Breslow || ndead == 1 {
        at_risk.denom += dead.denom;
        let denom = at_risk.denom;
        out.loglik -= deadwt * math::ln(denom);
        let (a, cmat) = (&mut at_risk.a, &mut at_risk.cmat);
        for i in 0..p {
            a[i] += dead.a[i];
            let mean = a[i] / denom;
            out.u[i] -= deadwt * mean;
            for j in 0..=i {
                cmat[i * p + j] += dead.cmat[i * p + j];
                out.imat[j * p + i] += deadwt * (cmat[i * p + j] - mean * a[j]) / denom;
            }
        }
    } else {
        efron_step(
            EfronAt {
                p,
                ndead,
                deadwt,
                denom2: dead.denom,
                a2: &dead.a,
                cmat2: &dead.cmat,
            },
            &mut at_risk.denom,
            &mut at_risk.a,
            &mut at_risk.cmat,
            (&mut out.loglik, &mut out.u, &mut out.imat),
        );
    }
}

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
pub(crate) fn efron_sums(ndead: usize, denom: f64, denom2: f64) -> ([f64; 5], f64) {
    let nd = ndead as f64;
    let mut h = [0.0; 5];
    let mut logs = 0.0;
    for m in 1..=ndead {
        let f = m as f64 / nd;
        let dm = denom + f * denom2;
        let inv = 1.0 / dm;
        h[0] += inv;
        h[1] += f * inv;
        h[2] += inv * inv;
        h[3] += f * inv * inv;
        h[4] += f * f * inv * inv;
        logs += math::ln(dm);
    }
    (h, logs)
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
