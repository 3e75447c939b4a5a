//! Cumulative incidence of each cause by the Aalen–Johansen estimator, with the
//! infinitesimal-jackknife (IJ) standard error survival 3.x gives multi-state curves,
//! in O(n log n) for the sort and O(n) after it (no n × times matrix).
//!
//! # Formula (docs/methods.md#competing-risks-cumulative-incidence-and-grays-test)
//! At each distinct time t_k, with W_k = Σ w_i over the rows still at risk (time ≥ t_k,
//! no event before) and d1_k, d2_k the weighted events of each cause at t_k, the
//! hazards are h1_k = d1_k/W_k, h2_k = d2_k/W_k and, where d1_k + d2_k > 0,
//! * event-free probability S_k = S_{k−1}·(1 − (d1_k + d2_k)/W_k) (all-cause KM);
//! * cumulative incidence F_c(t_k) = F_c(t_{k−1}) + S_{k−1}·h_c(t_k) (Aalen & Johansen
//!   1978: the product of the 3 × 3 transition matrices I + dH, one initial state, two
//!   absorbing ones).
//!
//! IJ variance: V(t) = Σ_i (w_i U_i(t))² where U_i = ∂(S, F1, F2)(t)/∂w_i follows the
//! recursion of survival's `survfitci.c`: at a step U ← U·H (H = I + dH), then every
//! row at risk before the step subtracts H[0, ·]·S_{k−1}/W_k and adds S_{k−1}/W_k in
//! the state it is in after t_k. Two facts make it O(n):
//! * all rows still at risk share one U (call it r_k);
//! * once a row has left the risk set its U only moves by U ← U·H: U_0 ← H00·U_0 and
//!   U_c ← U_c + H0c·U_0, the same linear map for every such row.
//!
//! So V_c(t_k) = r_c(t_k)² Σ_{y_i > t_k} w_i² + Q_c, where the sums over the rows that
//! have left, Q_c = Σ w²U_c², P_c = Σ w²U_cU_0 and R = Σ w²U_0², follow each step
//! exactly: Q_c ← Q_c + 2H0c·P_c + H0c²·R, P_c ← H00·(P_c + H0c·R), R ← H00²·R.
//! These sums cancel where V is 0 (F = 1 once every row has failed), so they are kept
//! in double-double precision. As R, V changes only where a step happens.
//!
//! # References
//! * Aalen, O. O. & Johansen, S. (1978). An empirical transition matrix for
//!   non-homogeneous Markov chains based on censored observations. *Scand. J. Stat.* 5,
//!   141–150.
//! * Therneau, T. M. & Grambsch, P. M. (2000), §2.2 and §7.2 (infinitesimal jackknife);
//!   survival's `src/survfitci.c` and vignette "Multi-state models and competing risks".
//!
//! # R equivalent
//! `fit <- survfit(Surv(time, factor(status, levels = c(cens, ev, comp))) ~ 1,
//! weights = w)` (survival 3.5-3; multi-state fits are always robust): `fit$time`,
//! `fit$n.risk[, 1]`, `fit$n.censor`, `fit$n.event[, 2:3]`, `fit$pstate[, 2:3]`,
//! `fit$std.err[, 2:3]`. The counts are **unweighted** row counts even with weights
//! (survfitci.c keeps them as integers); the estimates and SEs are weighted.

use super::double_double::Dd;
use super::Outcome;
use crate::order::time_order;

/// The estimate of one cause at every time of a [`CumulativeIncidence`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CauseIncidence {
    /// Rows ending with this cause at t (unweighted count; `fit$n.event[, cause]`).
    pub n_event: Vec<f64>,
    /// Aalen–Johansen cumulative incidence F(t) (`fit$pstate[, cause]`).
    pub estimate: Vec<f64>,
    /// IJ standard error of F(t) (`fit$std.err[, cause]`, `logse = FALSE`).
    pub std_err: Vec<f64>,
}

/// The cumulative incidence of both causes for one group, one row per distinct time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CumulativeIncidence {
    /// Every distinct observed time, ascending (`fit$time`).
    pub time: Vec<f64>,
    /// Rows still at risk, neither event yet (unweighted; `fit$n.risk[, 1]`).
    pub n_risk: Vec<f64>,
    /// Rows censored at t (unweighted; `fit$n.censor`).
    pub n_censor: Vec<f64>,
    /// The event of interest.
    pub event: CauseIncidence,
    /// The competing event.
    pub competing: CauseIncidence,
}

impl CumulativeIncidence {
    /// Number of rows (distinct times).
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The curve of `cause` (`None` for `Censored`).
    pub fn cause(&self, cause: Outcome) -> Option<&CauseIncidence> {
        match cause {
            Outcome::Event => Some(&self.event),
            Outcome::Competing => Some(&self.competing),
            Outcome::Censored => None,
        }
    }
}

/// The running state of the forward pass (see the module docs).
struct Pass {
    /// (S, F1, F2).
    p: [f64; 3],
    /// U shared by the rows still at risk.
    r: [f64; 3],
    /// Over the rows that have left the risk set: Q_c and P_c of each cause (index 1,
    /// 2; index 0 unused) and R.
    q: [Dd; 3],
    pc: [Dd; 3],
    rr: Dd,
    /// Weighted number at risk (survfitci's `ws[0]`: summed once, then decremented).
    w_at_risk: f64,
}

impl Pass {
    /// Adds one row that leaves the risk set with influence `u` (after the step).
    fn end_row(&mut self, w: f64, u: [f64; 3]) {
        let w2 = Dd::from(w * w);
        for c in 1..3 {
            let a = w2.mul(u[c]);
            self.q[c] = self.q[c].add(a.mul(u[c]));
            self.pc[c] = self.pc[c].add(a.mul(u[0]));
        }
        self.rr = self.rr.add(w2.mul(u[0]).mul(u[0]));
    }

    /// Moves the sums of the rows that have left through one step's H.
    fn carry_ended(&mut self, h: [f64; 3]) {
        for c in 1..3 {
            let cross = self.pc[c].mul(2.0 * h[c]);
            self.q[c] = self.q[c].add(cross).add(self.rr.mul(h[c]).mul(h[c]));
            self.pc[c] = self.pc[c].add(self.rr.mul(h[c])).mul(h[0]);
        }
        self.rr = self.rr.mul(h[0]).mul(h[0]);
    }

    /// V of F_c now, given Σ w² of the rows still at risk.
    fn variance(&self, cause: usize, w2_at_risk: f64) -> f64 {
        let r = self.r[cause];
        (r * r * w2_at_risk + self.q[cause].value()).max(0.0)
    }
}

/// One block of tied times: weighted events of each cause and their weight sum.
struct Block {
    d: [f64; 3],
    wevent: f64,
}

/// Aalen–Johansen cumulative incidence of both causes, with IJ standard errors.
///
/// `time` may come in any order (sorted here, stably); times must already be
/// time-fixed (exact ties, [`crate::surv::timefix`]). `weight` are case weights ≥ 0
/// (`None` = all 1). Rows beyond the shortest slice are ignored. See the module docs
/// for the formula and the R call; an empty input gives an empty curve.
pub fn cumulative_incidence(
    time: &[f64],
    outcome: &[Outcome],
    weight: Option<&[f64]>,
) -> CumulativeIncidence {
    let mut n = time.len().min(outcome.len());
    if let Some(w) = weight {
        n = n.min(w.len());
    }
    let wt = |i: usize| weight.map_or(1.0, |w| w[i]);
    let order = time_order(&time[..n], None);
    // Σ w² of the sorted rows from position j on (exactly 0 past the last row).
    let mut w2_from = vec![0.0; n + 1];
    for j in (0..n).rev() {
        w2_from[j] = w2_from[j + 1] + wt(order[j]) * wt(order[j]);
    }
    let mut pass = Pass {
        p: [1.0, 0.0, 0.0],
        r: [0.0; 3],
        q: [Dd::default(); 3],
        pc: [Dd::default(); 3],
        rr: Dd::default(),
        // survfitci adds the rows in entry order (all equal: row order).
        w_at_risk: (0..n).map(wt).sum(),
    };
    let mut out = CumulativeIncidence::default();
    let mut se = [0.0_f64; 3];
    let mut k = 0;
    while k < n {
        let t = time[order[k]];
        let end = k + order[k..].partition_point(|&i| time[i] == t);
        let rows = &order[k..end];
        let (block, counts) = tally(rows, outcome, &wt);
        let stepped = block.wevent > 0.0;
        let failing = if stepped {
            step(&mut pass, &block)
        } else {
            [pass.r; 3]
        };
        for &i in rows {
            pass.end_row(wt(i), failing[state(outcome[i])]);
        }
        if stepped {
            let w2 = w2_from[end];
            se = [
                0.0,
                pass.variance(1, w2).sqrt(),
                pass.variance(2, w2).sqrt(),
            ];
        }
        push_row(&mut out, t, n - k, counts, &pass.p, &se);
        for &i in rows {
            pass.w_at_risk -= wt(i);
        }
        k = end;
    }
    out
}

/// Weighted events by cause and unweighted (censored, event, competing) row counts.
fn tally(rows: &[usize], outcome: &[Outcome], wt: &dyn Fn(usize) -> f64) -> (Block, [usize; 3]) {
    let mut block = Block {
        d: [0.0; 3],
        wevent: 0.0,
    };
    let mut counts = [0usize; 3];
    for &i in rows {
        let s = state(outcome[i]);
        counts[s] += 1;
        if s > 0 {
            block.d[s] += wt(i);
            block.wevent += wt(i);
        }
    }
    (block, counts)
}

/// 0 = censored (stays in the initial state), 1 = event, 2 = competing.
fn state(o: Outcome) -> usize {
    match o {
        Outcome::Censored => 0,
        Outcome::Event => 1,
        Outcome::Competing => 2,
    }
}

/// One Aalen–Johansen step (survfitci.c's order of operations): moves the sums of the
/// rows that have left, updates the shared influence `r` and (S, F1, F2); returns the
/// influence after the step of a row at risk before it that is censored or still at
/// risk (index 0), fails from cause 1 (index 1) or from cause 2 (index 2).
fn step(pass: &mut Pass, block: &Block) -> [[f64; 3]; 3] {
    let w = pass.w_at_risk;
    let h01 = block.d[1] / w;
    let h02 = block.d[2] / w;
    let h00 = 1.0 - (block.d[1] + block.d[2]) / w;
    let h = [h00, h01, h02];
    pass.carry_ended(h);
    let p0 = pass.p[0];
    // U·H for a row in the initial state, then the dH term.
    let r = pass.r;
    let mut base = [r[0] * h00, r[1] + r[0] * h01, r[2] + r[0] * h02];
    for (b, hk) in base.iter_mut().zip(h) {
        *b -= hk * p0 / w;
    }
    let jump = p0 / w;
    let mut f = [base; 3];
    for (s, row) in f.iter_mut().enumerate() {
        row[s] += jump;
    }
    pass.r = f[0];
    pass.p = [p0 * h00, pass.p[1] + p0 * h01, pass.p[2] + p0 * h02];
    f
}

/// Appends one time row to the output.
fn push_row(
    out: &mut CumulativeIncidence,
    t: f64,
    at_risk: usize,
    counts: [usize; 3],
    p: &[f64; 3],
    se: &[f64; 3],
) {
    out.time.push(t);
    out.n_risk.push(at_risk as f64);
    out.n_censor.push(counts[0] as f64);
    for (s, cause) in [(1, &mut out.event), (2, &mut out.competing)] {
        cause.n_event.push(counts[s] as f64);
        cause.estimate.push(p[s]);
        cause.std_err.push(se[s]);
    }
}

/// [`cumulative_incidence`] of the rows of each group `0..n_groups` (rows whose group
/// is ≥ `n_groups` are ignored): curve `g` is that of the rows with `group[i] == g`,
/// in their order (R: `survfit(Surv(time, factor(status)) ~ group, weights = w)`,
/// `fit[g, ]`). A group without rows gives an empty curve.
pub fn cumulative_incidence_by_group(
    time: &[f64],
    outcome: &[Outcome],
    group: &[u32],
    n_groups: usize,
    weight: Option<&[f64]>,
) -> Vec<CumulativeIncidence> {
    let mut n = time.len().min(outcome.len()).min(group.len());
    if let Some(w) = weight {
        n = n.min(w.len());
    }
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for (i, &g) in group[..n].iter().enumerate() {
        if let Some(r) = rows.get_mut(g as usize) {
            r.push(i);
        }
    }
    rows.iter()
        .map(|idx| {
            let t: Vec<f64> = idx.iter().map(|&i| time[i]).collect();
            let o: Vec<Outcome> = idx.iter().map(|&i| outcome[i]).collect();
            let w: Option<Vec<f64>> = weight.map(|w| idx.iter().map(|&i| w[i]).collect());
            cumulative_incidence(&t, &o, w.as_deref())
        })
        .collect()
}

#[cfg(test)]
#[path = "aalen_johansen_tests.rs"]
mod tests;
