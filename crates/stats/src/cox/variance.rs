//! Robust (sandwich) variance and the robust score test, from score residuals computed
//! in one forward pass with cumulative hazard sums (O(n·p), no risk-set loops).
//!
//! # Formula
//! Score residual of row i at β (r_i = e^{η_i}, unweighted), summed over event times t
//! of its stratum with t ≤ t_i:
//! * Breslow: L_i = δ_i(x_i − x̄(t_i)) − r_i Σ_t (x_i − x̄(t)) dΛ(t), dΛ = W_D/S0.
//! * Efron, tie of e deaths, m = 0…e−1, S0_m = S0 − (m/e)S0ᴰ, x̄_m, dΛ_m = (W_D/e)/S0_m:
//!   a dying row gets Σ_m [(x_i − x̄_m)/e − (1 − m/e) r_i (x_i − x̄_m) dΛ_m], a row at
//!   risk that survives gets −Σ_m r_i (x_i − x̄_m) dΛ_m.
//!
//! dfbeta D_i = w_i L_i V (V = model-based variance), summed within clusters;
//! robust var = DᵀD. Robust score test: S = weighted score residuals at β = 0 summed
//! within clusters, u = Σ S, statistic uᵀ(SᵀS)⁻u (generalized Cholesky).
//!
//! # References
//! Lin, D. Y. & Wei, L. J. (1989). *JASA* 84, 1074–1078.
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §7.2.
//!
//! # R equivalent
//! `coxph(..., robust = TRUE, cluster = id)`: `fit$var`, `fit$naive.var`, `fit$rscore`;
//! `residuals(fit, type = "score")` (C `coxscore2`).

use super::newton::Newton;
use super::riskset::{Leaving, Prepared};
use super::{quad_form_solve, risk_scores, CoxData, CoxOptions, Ties};

pub(crate) struct Robust {
    pub var: Vec<f64>,
    pub rscore: f64,
}

pub(crate) fn robust(
    prep: &Prepared,
    data: &CoxData,
    weight: &[f64],
    nw: &Newton,
    lp: &[f64],
    opts: &CoxOptions,
) -> Robust {
    let (n, p) = (prep.n, prep.p);
    let lp_sorted: Vec<f64> = prep.order.iter().map(|&i| lp[i]).collect();
    let resid = score_residuals(prep, &risk_scores(&lp_sorted), opts.ties);
    drop(lp_sorted);
    let wk = |k: usize| weight[prep.order[k]];
    // Cluster index of each prepared row (each row its own cluster by default: then
    // the n×p per-cluster sums are never stored, their cross-product is accumulated
    // row by row, in the same order and with the same roundings).
    let clusters: Option<(Vec<usize>, usize)> = data.cluster.map(|c| {
        let mut codes: Vec<u32> = c.to_vec();
        codes.sort_unstable();
        codes.dedup();
        let idx = prep
            .order
            .iter()
            .map(|&i| codes.partition_point(|&v| v < c[i]))
            .collect();
        (idx, codes.len())
    });
    // dfbeta = w · resid · V, collapsed by cluster.
    let dfbeta_row = |k: usize, row: &mut [f64]| {
        for (j, out) in row.iter_mut().enumerate() {
            let mut s = 0.0;
            for i in 0..p {
                s += resid[i * n + k] * nw.var[i * p + j];
            }
            *out = wk(k) * s;
        }
    };
    let var = match &clusters {
        Some((cluster, n_clusters)) => {
            let mut d = vec![0.0; n_clusters * p];
            let mut row = vec![0.0; p];
            for (k, &c) in cluster.iter().enumerate().take(n) {
                dfbeta_row(k, &mut row);
                for j in 0..p {
                    d[c * p + j] += row[j];
                }
            }
            crossprod(&d, *n_clusters, p)
        }
        None => crossprod_rows(n, p, |k, row| {
            dfbeta_row(k, row);
            row.iter_mut().for_each(|v| *v += 0.0); // as 0 + w·s in a zeroed sum
        }),
    };
    drop(resid);
    // Robust score test at β = 0.
    let resid0 = score_residuals(prep, &vec![1.0; n], opts.ties);
    let score_row = |k: usize, row: &mut [f64]| {
        for (j, out) in row.iter_mut().enumerate() {
            *out = wk(k) * resid0[j * n + k];
        }
    };
    let (u, sts) = match &clusters {
        Some((cluster, n_clusters)) => {
            let mut s = vec![0.0; n_clusters * p];
            let mut row = vec![0.0; p];
            for k in 0..n {
                score_row(k, &mut row);
                for j in 0..p {
                    s[cluster[k] * p + j] += row[j];
                }
            }
            let u: Vec<f64> = (0..p)
                .map(|j| (0..*n_clusters).map(|c| s[c * p + j]).sum())
                .collect();
            (u, crossprod(&s, *n_clusters, p))
        }
        None => {
            let u: Vec<f64> = (0..p)
                .map(|j| (0..n).map(|k| 0.0 + wk(k) * resid0[j * n + k]).sum())
                .collect();
            let sts = crossprod_rows(n, p, |k, row| {
                score_row(k, row);
                row.iter_mut().for_each(|v| *v += 0.0);
            });
            (u, sts)
        }
    };
    let rscore = quad_form_solve(&sts, p, &u, opts.toler_chol);
    Robust { var, rscore }
}

/// AᵀA for the rows×p matrix A whose row r `fill(r, row)` writes (never stored).
fn crossprod_rows(rows: usize, p: usize, fill: impl Fn(usize, &mut [f64])) -> Vec<f64> {
    let mut out = vec![0.0; p * p];
    let mut row = vec![0.0; p];
    for r in 0..rows {
        fill(r, &mut row);
        for i in 0..p {
            for j in 0..p {
                out[i * p + j] += row[i] * row[j];
            }
        }
    }
    out
}

/// AᵀA for A row-major rows×p.
fn crossprod(a: &[f64], rows: usize, p: usize) -> Vec<f64> {
    let mut out = vec![0.0; p * p];
    for r in 0..rows {
        let row = &a[r * p..(r + 1) * p];
        for i in 0..p {
            for j in 0..p {
                out[i * p + j] += row[i] * row[j];
            }
        }
    }
    out
}

/// Unweighted score residuals on the ORIGINAL covariate scale, column-major n×p in
/// prepared row order. `score` = e^{η} per prepared row.
pub(crate) fn score_residuals(prep: &Prepared, score: &[f64], ties: Ties) -> Vec<f64> {
    let (n, p) = (prep.n, prep.p);
    let mut resid = vec![0.0; n * p];
    // Strata are visited last to first so that the entry walk runs backward throughout.
    let mut bounds = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && prep.stratum[end] == prep.stratum[start] {
            end += 1;
        }
        bounds.push((start, end));
        start = end;
    }
    let mut leaving = Leaving::new(prep.start.as_ref());
    for &(start, end) in bounds.iter().rev() {
        stratum_residuals(prep, score, ties, (start, end), &mut leaving, &mut resid);
    }
    for j in 0..p {
        let s = prep.scale[j];
        resid[j * n..(j + 1) * n].iter_mut().for_each(|v| *v /= s);
    }
    resid
}

/// Per distinct time of a stratum: the risk-set sums needed by the residuals.
struct TimeSums {
    first: usize,
    last: usize, // exclusive
    /// Σ over the tie of hazard_m, and Σ hazard_m x̄_m (the survivors' terms).
    h: f64,
    hx: Vec<f64>,
    /// Death rows: mean of the x̄_m, Σ (1 − m/e) hazard_m and Σ (1 − m/e) hazard_m x̄_m.
    m1: Vec<f64>,
    h2: f64,
    hx2: Vec<f64>,
}

#[allow(clippy::needless_range_loop)] // parallel per-column arrays: indices read clearest
fn stratum_residuals(
    prep: &Prepared,
    score: &[f64],
    ties: Ties,
    (start, end): (usize, usize),
    leaving: &mut Leaving,
    resid: &mut [f64],
) {
    let (n, p) = (prep.n, prep.p);
    // Backward pass: risk-set sums at each distinct time.
    let mut sums: Vec<TimeSums> = Vec::new();
    let mut denom = 0.0;
    let mut a = vec![0.0; p];
    let mut n_risk = 0usize;
    let mut k = end;
    while k > start {
        let last = k;
        let t = prep.time[k - 1];
        for i in leaving.take(&prep.stratum, prep.stratum[k - 1], t) {
            n_risk -= 1;
            if n_risk == 0 {
                denom = 0.0;
                a.iter_mut().for_each(|v| *v = 0.0);
                continue;
            }
            let risk = score[i] * prep.weight[i];
            denom -= risk;
            for j in 0..p {
                a[j] -= risk * prep.xv(i, j);
            }
        }
        let (mut e_denom, mut deaths, mut meanwt) = (0.0, 0usize, 0.0);
        let mut a2 = vec![0.0; p];
        while k > start && prep.time[k - 1] == t {
            let i = k - 1;
            n_risk += 1;
            let risk = score[i] * prep.weight[i];
            denom += risk;
            for j in 0..p {
                a[j] += risk * prep.xv(i, j);
            }
            if prep.event[i] {
                deaths += 1;
                e_denom += risk;
                meanwt += prep.weight[i];
                for j in 0..p {
                    a2[j] += risk * prep.xv(i, j);
                }
            }
            k -= 1;
        }
        let mut ts = TimeSums {
            first: k,
            last,
            h: 0.0,
            hx: vec![0.0; p],
            m1: vec![0.0; p],
            h2: 0.0,
            hx2: vec![0.0; p],
        };
        if deaths > 0 {
            if deaths < 2 || ties == Ties::Breslow {
                let hazard = meanwt / denom;
                ts.h = hazard;
                ts.h2 = hazard;
                for j in 0..p {
                    let mean = a[j] / denom;
                    ts.hx[j] = hazard * mean;
                    ts.hx2[j] = hazard * mean;
                    ts.m1[j] = mean;
                }
            } else {
                let e = deaths as f64;
                let wave = meanwt / e;
                for dd in 0..deaths {
                    let downwt = dd as f64 / e;
                    let tden = denom - downwt * e_denom;
                    let hazard = wave / tden;
                    ts.h += hazard;
                    ts.h2 += (1.0 - downwt) * hazard;
                    for j in 0..p {
                        let mean = (a[j] - downwt * a2[j]) / tden;
                        ts.hx[j] += hazard * mean;
                        ts.hx2[j] += (1.0 - downwt) * hazard * mean;
                        ts.m1[j] += mean / e;
                    }
                }
            }
        }
        sums.push(ts);
    }
    // Forward pass with cumulative hazards; (start, stop] rows then subtract what had
    // accumulated by their entry.
    let mut ch = 0.0;
    let mut chx = vec![0.0; p];
    let mut cum: Vec<(f64, f64, Vec<f64>)> = Vec::with_capacity(sums.len());
    for ts in sums.iter().rev() {
        for i in ts.first..ts.last {
            let r = score[i];
            for j in 0..p {
                let x = prep.xv(i, j);
                resid[j * n + i] = if prep.event[i] {
                    -r * (x * ch - chx[j]) + (x - ts.m1[j]) - r * (x * ts.h2 - ts.hx2[j])
                } else {
                    -r * (x * (ch + ts.h) - (chx[j] + ts.hx[j]))
                };
            }
        }
        ch += ts.h;
        for j in 0..p {
            chx[j] += ts.hx[j];
        }
        cum.push((prep.time[ts.first], ch, chx.clone()));
    }
    if let Some(entry) = &prep.start {
        for i in start..end {
            // Cumulative hazard through the last time ≤ entry.
            let pos = cum.partition_point(|c| c.0 <= entry.start[i]);
            if pos == 0 {
                continue;
            }
            let (_, ch0, chx0) = &cum[pos - 1];
            let r = score[i];
            for j in 0..p {
                resid[j * n + i] += r * (prep.xv(i, j) * ch0 - chx0[j]);
            }
        }
    }
}
