//! The one backward pass of the PH test: the 2p score and 2p×2p information of
//! `cox.zph` and the unscaled Schoenfeld residuals, by running sums over the rows in
//! (stratum, time) order (Efron ties in closed form, see [`super::riskset::efron_step`]).
//! With (start, stop] rows, a row leaves the running sums before the first death time at
//! or before its start (R's `zph2`, the first iteration of `agfit4`).

use super::riskset::{add_outer, efron_step, EfronAt, Entry, Leaving};
use super::sorted::SortedX;
use super::Ties;

/// The rows in sort order (position k = row `order[k]`).
pub(super) struct Pass<'a> {
    pub(super) n: usize,
    /// The kept columns, centred when read.
    pub(super) x: &'a SortedX<'a>,
    pub(super) time: &'a [f64],
    pub(super) event: &'a [bool],
    pub(super) strat: &'a [usize],
    /// (start, stop] rows: the starts in sort order, and the strata as `u32` codes.
    pub(super) entry: Option<(&'a Entry, &'a [u32])>,
    pub(super) gtime: &'a [f64],
    /// Case weights (`None`: all 1).
    pub(super) weight: Option<&'a [f64]>,
    /// w·exp(η) at β̂.
    pub(super) risk: &'a [f64],
    pub(super) ties: Ties,
    /// Whether to keep the unscaled Schoenfeld residuals (`Acc::schoen`).
    pub(super) residuals: bool,
}

pub(super) struct Acc {
    pub(super) u: Vec<f64>,
    /// 2p×2p row-major.
    pub(super) imat: Vec<f64>,
    /// Unscaled Schoenfeld residuals, events in sort order, row-major n_events×p.
    pub(super) schoen: Vec<f64>,
    /// used[s*p + j] = events of stratum s if column j varies there, else 0.
    pub(super) used: Vec<f64>,
    pub(super) n_strata: usize,
}

pub(super) fn accumulate(ps: &Pass) -> Acc {
    let (n, p) = (ps.n, ps.x.p());
    let m = 2 * p;
    let xv = |k: usize, j: usize| ps.x.get(k, j);
    let n_strata = ps.strat.iter().copied().max().map_or(1, |v| v + 1);
    let mut used = vec![0.0; n_strata * p];
    let mut s0 = 0;
    while s0 < n {
        let st = ps.strat[s0];
        let mut s1 = s0;
        while s1 < n && ps.strat[s1] == st {
            s1 += 1;
        }
        let ndead = ps.event[s0..s1].iter().filter(|&&e| e).count() as f64;
        for j in 0..p {
            if (s0..s1).any(|k| xv(k, j) != xv(s0, j)) {
                used[st * p + j] = ndead;
            }
        }
        s0 = s1;
    }
    let nevent = ps.event.iter().filter(|&&e| e).count();
    let mut schoen = vec![0.0; if ps.residuals { nevent * p } else { 0 }];
    let mut next_event = nevent;
    let mut u = vec![0.0; m];
    let mut imat = vec![0.0; m * m];
    let (mut a, mut a2) = (vec![0.0; p], vec![0.0; p]);
    let (mut cmat, mut cmat2) = (vec![0.0; p * p], vec![0.0; p * p]);
    let mut denom = 0.0;
    // Efron: the increment of one death time (score, information p×p).
    let (mut ut, mut it) = (vec![0.0; p], vec![0.0; p * p]);
    let mut cstrat = usize::MAX;
    let mut xbuf = vec![0.0; p];
    let mut leaving = Leaving::new(ps.entry.map(|(e, _)| e));
    // Rows in the running sums (they restart at exactly 0 when it drops to 0, as agfit4).
    let mut n_risk = 0usize;
    let mut ip = n;
    while ip > 0 {
        let person = ip - 1;
        if ps.strat[person] != cstrat {
            cstrat = ps.strat[person];
            n_risk = 0;
            denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
            cmat.iter_mut().for_each(|v| *v = 0.0);
        }
        let dtime = ps.time[person];
        if let Some((_, codes)) = ps.entry {
            // Rows entering at or after dtime are not at risk at dtime or before.
            for k in leaving.take(codes, codes[person], dtime) {
                n_risk = n_risk.saturating_sub(1);
                if n_risk == 0 {
                    denom = 0.0;
                    a.iter_mut().for_each(|v| *v = 0.0);
                    cmat.iter_mut().for_each(|v| *v = 0.0);
                    continue;
                }
                ps.x.row_into(k, &mut xbuf);
                let risk = ps.risk[k];
                denom -= risk;
                for i in 0..p {
                    a[i] -= risk * xbuf[i];
                    add_outer(&mut cmat[i * p..=i * p + i], -risk * xbuf[i], &xbuf[..=i]);
                }
            }
        }
        let timewt = ps.gtime[person];
        let (mut ndead, mut deadwt, mut denom2) = (0usize, 0.0, 0.0);
        while ip > 0 {
            let person = ip - 1;
            if ps.time[person] != dtime || ps.strat[person] != cstrat {
                break;
            }
            let w = ps.weight.map_or(1.0, |w| w[person]);
            let risk = ps.risk[person];
            ps.x.row_into(person, &mut xbuf);
            let xr = &xbuf[..];
            n_risk += 1;
            if ps.event[person] {
                ndead += 1;
                deadwt += w;
                denom2 += risk;
                next_event -= 1;
                if let Some(row) = schoen.get_mut(next_event * p..(next_event + 1) * p) {
                    row.copy_from_slice(xr);
                }
                for i in 0..p {
                    let xi = xr[i];
                    u[i] += w * xi;
                    u[i + p] += timewt * w * xi;
                    a2[i] += risk * xi;
                    add_outer(&mut cmat2[i * p..=i * p + i], risk * xi, &xr[..=i]);
                }
            } else {
                denom += risk;
                for i in 0..p {
                    let xi = xr[i];
                    a[i] += risk * xi;
                    add_outer(&mut cmat[i * p..=i * p + i], risk * xi, &xr[..=i]);
                }
            }
            ip -= 1;
        }
        if ndead == 0 {
            continue;
        }
        let mut add = |i: usize, j: usize, temp: f64| {
            imat[j * m + i] += temp;
            imat[j * m + i + p] += temp * timewt;
            imat[(j + p) * m + i + p] += temp * timewt * timewt;
        };
        if ps.ties == Ties::Breslow {
            denom += denom2;
            for i in 0..p {
                a[i] += a2[i];
                let mean = a[i] / denom;
                u[i] -= deadwt * mean;
                u[i + p] -= timewt * deadwt * mean;
                for j in 0..=i {
                    cmat[i * p + j] += cmat2[i * p + j];
                    add(i, j, deadwt * (cmat[i * p + j] - mean * a[j]) / denom);
                }
                for r in 0..ndead {
                    if let Some(v) = schoen.get_mut((next_event + r) * p + i) {
                        *v -= mean;
                    }
                }
            }
        } else {
            let nd = ndead as f64;
            for i in (0..p).filter(|_| ps.residuals) {
                let mut tmean = 0.0;
                for k in 0..ndead {
                    let temp = (k + 1) as f64 / nd;
                    tmean += (a[i] + a2[i] * temp) / (denom + denom2 * temp);
                }
                for r in 0..ndead {
                    if let Some(v) = schoen.get_mut((next_event + r) * p + i) {
                        *v -= tmean / nd;
                    }
                }
            }
            // The p×p increment of this death time, then its three blocks.
            ut.iter_mut().for_each(|v| *v = 0.0);
            it.iter_mut().for_each(|v| *v = 0.0);
            efron_step(
                EfronAt {
                    p,
                    ndead,
                    deadwt,
                    denom2,
                    a2: &a2,
                    cmat2: &cmat2,
                },
                &mut denom,
                &mut a,
                &mut cmat,
                (&mut 0.0, &mut ut, &mut it),
            );
            for i in 0..p {
                u[i] += ut[i];
                u[i + p] += timewt * ut[i];
                for j in 0..=i {
                    add(i, j, it[j * p + i]);
                }
            }
        }
        a2.iter_mut().for_each(|v| *v = 0.0);
        cmat2.iter_mut().for_each(|v| *v = 0.0);
    }
    // Fill in by symmetry: blocks (0,0), (0,1), (1,1) were accumulated with j ≤ i.
    for i in 0..p {
        for j in 0..i {
            imat[i * m + j] = imat[j * m + i];
            imat[i * m + j + p] = imat[j * m + i + p];
            imat[(i + p) * m + j + p] = imat[(j + p) * m + i + p];
        }
    }
    for i in 0..m {
        for j in 0..i {
            imat[i * m + j] = imat[j * m + i];
        }
    }
    Acc {
        u,
        imat,
        schoen,
        used,
        n_strata,
    }
}
