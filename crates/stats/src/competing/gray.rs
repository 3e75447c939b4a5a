//! Gray's k-sample test of equal cumulative incidence of one cause, as cmprsk's
//! `cuminc` (Fortran `crstm`/`crst`, ρ = 0), stratified or not.
//!
//! # Formula (docs/methods.md#competing-risks-cumulative-incidence-and-grays-test)
//! Within a stratum, at each distinct time with an event of either cause, group g has
//! n_g at risk, left-continuous KM Ŝ_g(t−) and cumulative incidence F̂_g(t−) of the cause;
//! R_g = n_g (1 − F̂_g(t−))/Ŝ_g(t−) is the size of its "subdistribution risk set". The
//! score of group g is s_g = Σ_t [d1_g − d1 · R_g / Σ_h R_h] (d1 = events of the cause),
//! i.e. observed minus expected subdistribution events; its variance is Gray's (1988)
//! estimator, accumulated term by term as `crst` does (the a, c, v2, v3 arrays). Strata
//! add their scores and variances. The statistic is s' V⁻¹ s on the first k − 1 groups,
//! compared with χ²(k − 1).
//!
//! # References
//! Gray, R. J. (1988). A class of K-sample tests for comparing the cumulative incidence
//! of a competing risk. *Ann. Stat.* 16, 1141–1154. cmprsk 2.2-11, `src/crstm.f`.
//!
//! # R equivalent
//! `cmprsk::cuminc(ftime = time, fstatus = status, group = group, strata = stratum,
//! rho = 0, cencode = cens)$Tests[cause, ]` → `stat`, `df`, `pv`.

use super::Outcome;
use crate::dist::chisq_upper_tail;
use crate::linalg::solve;
use crate::order::time_order;

/// Result of [`gray_test`].
#[derive(Debug, Clone, PartialEq)]
pub struct GrayTest {
    /// Gray's statistic (`Tests[cause, "stat"]`).
    pub chisq: f64,
    /// Number of groups with rows, minus one (`Tests[cause, "df"]`).
    pub df: usize,
    /// `1 - pchisq(chisq, df)` (`Tests[cause, "pv"]`).
    pub p: f64,
}

/// Gray's test that the cumulative incidence of `cause` is the same in every group.
///
/// `group[i] < n_groups` (other rows are ignored); groups without rows are dropped as
/// `cuminc` drops them (its `df` counts groups with rows). `stratum` (any ids) gives
/// the stratified test. Rows may come in any order; ties are exact (`==`).
///
/// `None` when fewer than two groups have rows, when `cause` is `Censored`, when no
/// row has `cause` (R has no row for it in `Tests`), and when the variance matrix is
/// rank-deficient (R's `qr(v)$rank` below k − 1 at tolerance 1e-7: `cuminc` then
/// reports the placeholder statistic −1 with p = 1, which is no test).
pub fn gray_test(
    time: &[f64],
    outcome: &[Outcome],
    group: &[u32],
    n_groups: usize,
    stratum: Option<&[u32]>,
    cause: Outcome,
) -> Option<GrayTest> {
    let mut n = time.len().min(outcome.len()).min(group.len());
    if let Some(s) = stratum {
        n = n.min(s.len());
    }
    let rows: Vec<usize> = (0..n).filter(|&i| (group[i] as usize) < n_groups).collect();
    // Groups with rows, renumbered 0..ng in their order (cuminc's factor levels).
    let mut level = vec![usize::MAX; n_groups];
    for &i in &rows {
        level[group[i] as usize] = 0;
    }
    let mut ng = 0;
    for l in level.iter_mut().filter(|l| **l == 0) {
        *l = ng;
        ng += 1;
    }
    if ng < 2 || cause == Outcome::Censored || !rows.iter().any(|&i| outcome[i] == cause) {
        return None;
    }
    let code = |o: Outcome| -> u8 {
        if o == cause {
            1
        } else if o == Outcome::Censored {
            0
        } else {
            2
        }
    };
    let t: Vec<f64> = rows.iter().map(|&i| time[i]).collect();
    let st: Vec<u32> = rows.iter().map(|&i| stratum.map_or(0, |s| s[i])).collect();
    let order = time_order(&t, Some(&st));
    let mut total = Scores::new(ng);
    let mut k = 0;
    while k < order.len() {
        let s = st[order[k]];
        let end = k + order[k..].partition_point(|&j| st[j] == s);
        let obs: Vec<(f64, u8, usize)> = order[k..end]
            .iter()
            .map(|&j| (t[j], code(outcome[rows[j]]), level[group[rows[j]] as usize]))
            .collect();
        total.add(&crst(&obs, ng));
        k = end;
    }
    statistic(&total, ng)
}

/// Scores of the first ng − 1 groups and their variance, packed lower triangle
/// (Fortran's `s` and `v`).
struct Scores {
    s: Vec<f64>,
    v: Vec<f64>,
}

impl Scores {
    fn new(ng: usize) -> Self {
        let ng1 = ng - 1;
        Scores {
            s: vec![0.0; ng1],
            v: vec![0.0; ng1 * ng / 2],
        }
    }

    fn add(&mut self, other: &Scores) {
        for (a, b) in self.s.iter_mut().zip(&other.s) {
            *a += b;
        }
        for (a, b) in self.v.iter_mut().zip(&other.v) {
            *a += b;
        }
    }
}

/// s' V⁻¹ s with R's rank check.
fn statistic(total: &Scores, ng: usize) -> Option<GrayTest> {
    let ng1 = ng - 1;
    let mut vs = vec![0.0; ng1 * ng1];
    for i in 0..ng1 {
        for j in 0..=i {
            let x = total.v[i * (i + 1) / 2 + j];
            vs[i * ng1 + j] = x;
            vs[j * ng1 + i] = x;
        }
    }
    if !full_rank(&vs, ng1) {
        return None;
    }
    let x = solve(&vs, ng1, &total.s).ok()?;
    let chisq: f64 = total.s.iter().zip(&x).map(|(a, b)| a * b).sum();
    Some(GrayTest {
        chisq,
        df: ng1,
        p: chisq_upper_tail(chisq, ng1 as f64),
    })
}

/// R's `qr(v)$rank == ncol(v)` (LINPACK `dqrdc2`, tol = 1e-7): no column whose part
/// orthogonal to the earlier kept columns has norm below 1e-7 × its own norm.
fn full_rank(a: &[f64], n: usize) -> bool {
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(n);
    for j in 0..n {
        let mut col: Vec<f64> = (0..n).map(|i| a[i * n + j]).collect();
        let norm0 = col.iter().map(|x| x * x).sum::<f64>().sqrt();
        for q in &basis {
            let dot: f64 = q.iter().zip(&col).map(|(x, y)| x * y).sum();
            for (c, x) in col.iter_mut().zip(q) {
                *c -= dot * x;
            }
        }
        let norm = col.iter().map(|x| x * x).sum::<f64>().sqrt();
        if !(norm0 > 0.0 && norm >= 1e-7 * norm0) {
            return false;
        }
        basis.push(col.iter().map(|x| x / norm).collect());
    }
    true
}

/// Per-group running values of `crst`.
struct GroupState {
    rs: Vec<i64>,
    f1m: Vec<f64>,
    f1: Vec<f64>,
    skmm: Vec<f64>,
    skm: Vec<f64>,
    v3: Vec<f64>,
    /// ng1 × ng, row-major.
    v2: Vec<f64>,
    /// ng × ng, row-major.
    c: Vec<f64>,
    a: Vec<f64>,
}

/// `crst` for one stratum: `obs` = (time, code 0/1/2, group) sorted by time.
fn crst(obs: &[(f64, u8, usize)], ng: usize) -> Scores {
    let ng1 = ng - 1;
    let mut g = GroupState {
        rs: vec![0; ng],
        f1m: vec![0.0; ng],
        f1: vec![0.0; ng],
        skmm: vec![1.0; ng],
        skm: vec![1.0; ng],
        v3: vec![0.0; ng],
        v2: vec![0.0; ng1 * ng],
        c: vec![0.0; ng * ng],
        a: vec![0.0; ng * ng],
    };
    for o in obs {
        g.rs[o.2] += 1;
    }
    let mut out = Scores::new(ng);
    let (mut fm, mut f) = (0.0_f64, 0.0_f64);
    let mut ll = 0;
    let mut d = vec![[0i64; 3]; ng];
    while ll < obs.len() {
        let lu = ll + obs[ll..].partition_point(|o| o.0 == obs[ll].0);
        d.fill([0; 3]);
        for o in &obs[ll..lu] {
            d[o.2][o.1 as usize] += 1;
        }
        let nd1: i64 = d.iter().map(|x| x[1]).sum();
        let nd2: i64 = d.iter().map(|x| x[2]).sum();
        if nd1 > 0 || nd2 > 0 {
            f = event_time(&mut g, &mut out, &d, nd1, nd2, fm);
        }
        for o in &obs[ll..lu] {
            g.rs[o.2] -= 1;
        }
        fm = f;
        g.f1m.clone_from(&g.f1);
        g.skmm.clone_from(&g.skm);
        ll = lu;
    }
    finish(&g, &mut out, ng);
    out
}

/// One event time of `crst` (labels 56–82 of the Fortran); returns the pooled F.
#[allow(clippy::needless_range_loop)] // the Fortran's parallel per-group arrays
fn event_time(
    g: &mut GroupState,
    out: &mut Scores,
    d: &[[i64; 3]],
    nd1: i64,
    nd2: i64,
    fm: f64,
) -> f64 {
    let ng = d.len();
    let (mut tr, mut tq) = (0.0, 0.0);
    for i in 0..ng {
        if g.rs[i] <= 0 {
            continue;
        }
        let rs = g.rs[i] as f64;
        let td = (d[i][1] + d[i][2]) as f64;
        g.skm[i] = g.skmm[i] * (rs - td) / rs;
        g.f1[i] = g.f1m[i] + (g.skmm[i] * d[i][1] as f64) / rs;
        tr += rs / g.skmm[i];
        tq += rs * (1.0 - g.f1m[i]) / g.skmm[i];
    }
    let f = fm + nd1 as f64 / tr;
    let fb = 1.0; // (1 − F(t−))^ρ with ρ = 0
    fill_a_c(g, nd1, tr, fm, fb);
    for i in 0..ng - 1 {
        if g.rs[i] <= 0 {
            continue;
        }
        let expected = (nd1 * g.rs[i]) as f64 * (1.0 - g.f1m[i]) / (g.skmm[i] * tq);
        out.s[i] += fb * (d[i][1] as f64 - expected);
    }
    if nd1 > 0 {
        cause_variance(g, out, nd1, tr, f);
    }
    if nd2 > 0 {
        other_variance(g, out, d, f);
    }
    f
}

/// The a and c matrices of `crst` (labels 66–69).
fn fill_a_c(g: &mut GroupState, nd1: i64, tr: f64, fm: f64, fb: f64) {
    let ng = g.rs.len();
    let nd1 = nd1 as f64;
    for i in 0..ng {
        for j in i..ng {
            g.a[i * ng + j] = 0.0;
        }
        if g.rs[i] <= 0 {
            continue;
        }
        let t1 = g.rs[i] as f64 / g.skmm[i];
        let aii = fb * t1 * (1.0 - t1 / tr);
        g.a[i * ng + i] = aii;
        g.c[i * ng + i] += aii * nd1 / (tr * (1.0 - fm));
        for j in i + 1..ng {
            if g.rs[j] <= 0 {
                continue;
            }
            let aij = -(fb * t1 * g.rs[j] as f64 / (g.skmm[j] * tr));
            g.a[i * ng + j] = aij;
            g.c[i * ng + j] += aij * nd1 / (tr * (1.0 - fm));
        }
    }
    for i in 1..ng {
        for j in 0..i {
            g.a[i * ng + j] = g.a[j * ng + i];
            g.c[i * ng + j] = g.c[j * ng + i];
        }
    }
}

/// Variance terms from the events of the cause (labels 72–71).
fn cause_variance(g: &mut GroupState, out: &mut Scores, nd1: i64, tr: f64, f: f64) {
    let ng = g.rs.len();
    for k in 0..ng {
        if g.rs[k] <= 0 {
            continue;
        }
        let t4 = if g.skm[k] > 0.0 {
            1.0 - (1.0 - f) / g.skm[k]
        } else {
            1.0
        };
        let t5 = if nd1 > 1 {
            1.0 - (nd1 - 1) as f64 / (tr * g.skmm[k] - 1.0)
        } else {
            1.0
        };
        let t3 = t5 * g.skmm[k] * nd1 as f64 / (tr * g.rs[k] as f64);
        g.v3[k] += t4 * t4 * t3;
        for i in 0..ng - 1 {
            let t1 = g.a[i * ng + k] - t4 * g.c[i * ng + k];
            g.v2[i * ng + k] += t1 * t4 * t3;
            for j in 0..=i {
                let t2 = g.a[j * ng + k] - t4 * g.c[j * ng + k];
                out.v[i * (i + 1) / 2 + j] += t1 * t2 * t3;
            }
        }
    }
}

/// Variance terms from the competing events (labels 82–81).
#[allow(clippy::needless_range_loop)] // the Fortran's parallel per-group arrays
fn other_variance(g: &mut GroupState, out: &mut Scores, d: &[[i64; 3]], f: f64) {
    let ng = g.rs.len();
    for k in 0..ng {
        if g.skm[k] <= 0.0 || d[k][2] <= 0 {
            continue;
        }
        let t4 = (1.0 - f) / g.skm[k];
        let t5 = if d[k][2] > 1 {
            1.0 - (d[k][2] as f64 - 1.0) / (g.rs[k] as f64 - 1.0)
        } else {
            1.0
        };
        let rs2 = (g.rs[k] * g.rs[k]) as f64;
        let t3 = t5 * ((g.skmm[k] * g.skmm[k]) * d[k][2] as f64) / rs2;
        g.v3[k] += t4 * t4 * t3;
        for i in 0..ng - 1 {
            let t1 = t4 * g.c[i * ng + k];
            g.v2[i * ng + k] -= t1 * t4 * t3;
            for j in 0..=i {
                let t2 = t4 * g.c[j * ng + k];
                out.v[i * (i + 1) / 2 + j] += t1 * t2 * t3;
            }
        }
    }
}

/// The closing sums of `crst` (label 30): V += c v3 c' + c v2' + v2 c'.
fn finish(g: &GroupState, out: &mut Scores, ng: usize) {
    for i in 0..ng - 1 {
        for j in 0..=i {
            let l = i * (i + 1) / 2 + j;
            for k in 0..ng {
                out.v[l] += g.c[i * ng + k] * g.c[j * ng + k] * g.v3[k];
                out.v[l] += g.c[i * ng + k] * g.v2[j * ng + k];
                out.v[l] += g.c[j * ng + k] * g.v2[i * ng + k];
            }
        }
    }
}

#[cfg(test)]
#[path = "gray_tests.rs"]
mod tests;
