//! Scaled Schoenfeld residuals of the PH test (`cox.zph`'s `$y` and `$var`), from the
//! unscaled residuals and the information of the pass ([`super::zph_pass`]).
//!
//! # Formula
//! r* = (I/d)⁻¹ r + β̂ with r = x − x̄(t) per event, I the p×p block of the information,
//! d the number of events (per pair of columns, the strata where both vary). A
//! multi-column term is projected on β_J and 1 is added instead of β̂.
//!
//! # R equivalent
//! The `sresid` lines of `cox.zph` (survival 3.5-3, R/cox.zph.R).

use super::zph_pass::Acc;
use crate::linalg;

pub(super) fn scaled_schoenfeld(
    acc: &Acc,
    p: usize,
    kterms: &[Vec<usize>],
    beta: &[f64],
    events: &[usize],
    strat: &[usize],
) -> (Vec<Vec<Option<f64>>>, Vec<Option<f64>>) {
    let m = 2 * p;
    let nt = kterms.len();
    let ne = events.len();
    // Projection p×nt: 1 for single-column terms, β_j for multi-column ones.
    let multi = kterms.iter().any(|t| t.len() > 1);
    let mut proj = vec![0.0; p * nt];
    for (t, cols) in kterms.iter().enumerate() {
        for &j in cols {
            proj[j * nt + t] = if multi && cols.len() > 1 {
                beta[j]
            } else {
                1.0
            };
        }
    }
    let mut used = acc.used.clone();
    for cols in kterms.iter().filter(|c| c.len() > 1) {
        for s in 0..acc.n_strata {
            let mx = cols.iter().map(|&j| used[s * p + j]).fold(0.0, f64::max);
            cols.iter().for_each(|&j| used[s * p + j] = mx);
        }
    }
    let mut wt = vec![0.0; p * p];
    for s in 0..acc.n_strata {
        for i in 0..p {
            for j in 0..p {
                wt[i * p + j] += used[s * p + i].min(used[s * p + j]);
            }
        }
    }
    let vcol: Vec<f64> = (0..p * p)
        .map(|idx| acc.imat[(idx / p) * m + idx % p] / if wt[idx] == 0.0 { 1.0 } else { wt[idx] })
        .collect();
    // Term space: vmean = projᵀ V proj, residuals R proj, used per term (its first column).
    let mut vmean = vec![0.0; nt * nt];
    for a in 0..nt {
        for b in 0..nt {
            vmean[a * nt + b] = (0..p)
                .flat_map(|i| (0..p).map(move |j| (i, j)))
                .map(|(i, j)| proj[i * nt + a] * vcol[i * p + j] * proj[j * nt + b])
                .sum();
        }
    }
    let tused = |s: usize, t: usize| kterms[t].first().map_or(0.0, |&j| used[s * p + j]);
    // The terms used and the factored matrix depend on the stratum only: factor once per
    // stratum, not once per event (O(d·p²) instead of O(d·p³)).
    let per_stratum: Vec<(Vec<usize>, Result<linalg::Lu, linalg::SolveError>)> = (0..acc.n_strata)
        .map(|s| {
            let k: Vec<usize> = (0..nt)
                .filter(|&t| !kterms[t].is_empty() && tused(s, t) > 0.0)
                .collect();
            let sub: Vec<f64> = k
                .iter()
                .flat_map(|&a| k.iter().map(move |&b| (a, b)))
                .map(|(a, b)| vmean[a * nt + b])
                .collect();
            let lu = linalg::Lu::factor(&sub, k.len());
            (k, lu)
        })
        .collect();
    let mut out = vec![vec![None; ne]; nt];
    for (e, &row) in events.iter().enumerate() {
        let Some((k, lu)) = per_stratum.get(strat[row]) else {
            continue;
        };
        let kn = k.len();
        if kn == 0 {
            continue;
        }
        let r: Vec<f64> = (0..nt)
            .map(|t| {
                (0..p)
                    .map(|j| acc.schoen[e * p + j] * proj[j * nt + t])
                    .sum()
            })
            .collect();
        let rhs: Vec<f64> = k.iter().map(|&t| r[t]).collect();
        let sol = lu
            .as_ref()
            .map_err(|e| *e)
            .and_then(|lu| lu.solve(&rhs))
            .unwrap_or_else(|_| vec![f64::NAN; kn]);
        for (idx, &t) in k.iter().enumerate() {
            let add = if kterms[t].len() > 1 {
                1.0
            } else {
                beta[kterms[t][0]]
            };
            out[t][e] = Some(sol[idx] + add);
        }
    }
    (out, inverse_diagonal(&vmean, nt, kterms))
}

/// Diagonal of the inverse of `vmean` restricted to the non-empty terms (R: `solve(vmean)`).
fn inverse_diagonal(vmean: &[f64], nt: usize, kterms: &[Vec<usize>]) -> Vec<Option<f64>> {
    let live: Vec<usize> = (0..nt).filter(|&t| !kterms[t].is_empty()).collect();
    let k = live.len();
    let sub: Vec<f64> = live
        .iter()
        .flat_map(|&a| live.iter().map(move |&b| vmean[a * nt + b]))
        .collect();
    let mut out = vec![None; nt];
    for (idx, &t) in live.iter().enumerate() {
        let mut e = vec![0.0; k];
        e[idx] = 1.0;
        out[t] = linalg::solve(&sub, k, &e)
            .ok()
            .and_then(|s| s.get(idx).copied());
    }
    out
}
