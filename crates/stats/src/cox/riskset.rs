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

pub(crate) use super::efron::{efron_step, EfronAt};
use super::gram::{Gram, Sums, BLOCK};
use super::sorted::SortedX;
use super::Ties;
use crate::{math, vexp};
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
/// Walks the distinct times backward. The rows of one time are taken in runs of equal
/// status (deaths, or censored rows), each run read column by column into the buffer of
/// its running sums ([`Gram`]): centred covariates, η = xβ (summed over the columns
/// in order, as `coxfit6`'s zbeta) and r = w e^η (the exps of a run taken at once). The
/// buffers are summed by block (S0, S1, S2) when full and when a death time needs
/// them. Rows sorted with the deaths of a time before its censored rows
/// ([`crate::order::risk_order`]) make two runs per time. At β = 0 (the first
/// evaluation) e^η = 1 exactly, so no exp is computed.
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
    let mut eta = vec![0.0; BLOCK];
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
            at_risk.flush();
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
        // The rows at dtime (one stratum): lo..k, in runs of equal status.
        let lo = tie_start(d, k, dtime);
        n_risk += k - lo;
        let (mut ndead, mut deadwt) = (0usize, 0.0);
        let mut hi = k;
        while hi > lo {
            let status = d.event[hi - 1];
            let mut start = hi - 1;
            while start > lo && d.event[start - 1] == status {
                start -= 1;
            }
            let run = RunAt {
                rows: start..hi,
                beta,
                zero_beta,
            };
            if status {
                ndead += hi - start;
                deadwt += d.weight[start..hi].iter().sum::<f64>();
                add_run(d, &run, &mut dead, Some(&mut out), &mut eta);
            } else {
                add_run(d, &run, &mut at_risk, None, &mut eta);
            }
            hi = start;
        }
        k = lo;
        if ndead > 0 {
            at_risk.flush();
            dead.flush();
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

/// A run of prepared rows of one status at one time, and the β they are read at.
struct RunAt<'b> {
    rows: std::ops::Range<usize>,
    beta: &'b [f64],
    zero_beta: bool,
}

/// Put the rows of `run` into the buffer of `acc`: centred covariates, r = w e^η.
/// Deaths (`deaths` = the evaluation's ℓ and U) also add Σ w η to ℓ and Σ w x to U.
/// `eta` is scratch of [`BLOCK`] values.
fn add_run(
    d: &Prepared,
    run: &RunAt,
    acc: &mut Running,
    mut deaths: Option<&mut Eval>,
    eta: &mut [f64],
) {
    let mut a = run.rows.start;
    while a < run.rows.end {
        let m = acc.room(run.rows.end - a);
        let rows = a..a + m;
        let w = &d.weight[rows.clone()];
        let eta = &mut eta[..m];
        let (mut cols, risk) = acc.gram.slots(m);
        eta.iter_mut().for_each(|e| *e = 0.0);
        for (j, &bj) in run.beta.iter().enumerate() {
            let col = cols.col(j);
            d.x.column_into(j, rows.clone(), col);
            // At β = 0 every η is 0 exactly: nothing to add.
            if !run.zero_beta {
                for (e, &v) in eta.iter_mut().zip(col.iter()) {
                    *e += bj * v;
                }
            }
        }
        if run.zero_beta {
            // e^0 = 1 exactly.
            risk.copy_from_slice(w);
        } else {
            vexp::exp_into(eta, risk);
            for (r, wk) in risk.iter_mut().zip(w) {
                *r *= wk;
            }
        }
        if let Some(out) = deaths.as_deref_mut() {
            for (e, wk) in eta.iter().zip(w) {
                out.loglik += wk * e;
            }
            for (j, uj) in out.u.iter_mut().enumerate() {
                for (v, wk) in cols.get(j).iter().zip(w) {
                    *uj += wk * v;
                }
            }
        }
        acc.gram.commit(m);
        a += m;
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

/// Running sums S0 = Σ r, S1 = Σ r x and the lower triangle of S2 = Σ r x xᵀ (the
/// rows added since the last flush still in `gram`).
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

    /// Slots for up to `want` rows in the buffer (see [`Gram::room`]).
    #[inline]
    fn room(&mut self, want: usize) -> usize {
        let sums = Sums {
            s0: &mut self.denom,
            s1: &mut self.a,
            s2: &mut self.cmat,
        };
        self.gram.room(want, sums)
    }

    /// Add the buffered rows to the sums.
    fn flush(&mut self) {
        let sums = Sums {
            s0: &mut self.denom,
            s1: &mut self.a,
            s2: &mut self.cmat,
        };
        self.gram.flush(sums);
    }

    /// Take a row out (row by row: leaving rows are few; the buffer is flushed).
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
