//! The rows of a Fine–Gray fit in time order, coded for one cause, with the censoring
//! weights `cmprsk::crr` uses.
//!
//! # Formula
//! Ĝ is the Kaplan–Meier estimate of the censoring distribution (censorings are its
//! events; every row with time ≥ u is at risk at u, whatever its outcome):
//! Ĝ(t) = Π_{u ≤ t} (1 − c(u)/Y(u)). Each row gets Ĝ evaluated where crr evaluates it,
//! at t·(1 − 100ε): just before t for t > 0 (the censorings at t are not yet counted),
//! at t itself for t ≤ 0 (crr's quirk: there the censorings at t are counted).
//!
//! # R equivalent
//! In `crr`: `survfit(Surv(ftime, fstatus == cencode) ~ 1)` then
//! `approx(c(min(0, time) - 10 eps, time, max(time) (1 + 10 eps)), c(1, surv, 0),
//! xout = ftime * (1 - 100 eps), method = "constant", f = 0, rule = 2)`.

use super::super::Outcome;
use crate::order::time_order;

/// A row's role for the cause being modelled (crr's `fstatus` after recoding: 1, 2, 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The event of the modelled cause (`failcode`).
    Cause,
    /// The other cause: the row stays in the risk set after its event, down-weighted.
    Other,
    /// Censored (`cencode`).
    Censored,
}

/// Sorted, coded, centred rows.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub n: usize,
    pub p: usize,
    pub role: Vec<Role>,
    /// Covariates centred by their column means, column-major n×p in time order. The
    /// partial likelihood, its score and information, and the variance are unchanged by
    /// centring; the sums lose less to rounding.
    pub x: Vec<f64>,
    /// Ĝ at crr's evaluation point of each row's time (see the module's formula).
    pub g: Vec<f64>,
    /// First row of each block of tied times, then n.
    pub blocks: Vec<usize>,
}

impl Prepared {
    /// Sort the rows by time (ties in input order, as R's stable `order`) and code them
    /// for `cause` (Event or Competing).
    pub fn new(time: &[f64], outcome: &[Outcome], x: &[f64], p: usize, cause: Outcome) -> Self {
        let n = time.len();
        let order = time_order(time, None);
        let sorted_time: Vec<f64> = order.iter().map(|&i| time[i]).collect();
        let role: Vec<Role> = order
            .iter()
            .map(|&i| match outcome[i] {
                Outcome::Censored => Role::Censored,
                o if o == cause => Role::Cause,
                _ => Role::Other,
            })
            .collect();
        let mut xs = Vec::with_capacity(n * p);
        for j in 0..p {
            let col = &x[j * n..(j + 1) * n];
            let mean = if n > 0 {
                col.iter().sum::<f64>() / n as f64
            } else {
                0.0
            };
            xs.extend(order.iter().map(|&i| col[i] - mean));
        }
        let blocks = tie_blocks(&sorted_time);
        let g = censoring_weights(&sorted_time, &role, &blocks);
        Prepared {
            n,
            p,
            role,
            x: xs,
            g,
            blocks,
        }
    }

    /// Covariate j of sorted row i.
    #[inline]
    pub fn x(&self, i: usize, j: usize) -> f64 {
        self.x[j * self.n + i]
    }

    /// The covariate vector of sorted row i into `out` (length p).
    #[inline]
    pub fn row_into(&self, i: usize, out: &mut [f64]) {
        for (j, o) in out.iter_mut().enumerate() {
            *o = self.x(i, j);
        }
    }

    /// Number of tied-time blocks.
    pub fn n_blocks(&self) -> usize {
        self.blocks.len().saturating_sub(1)
    }

    /// Rows of block b.
    #[inline]
    pub fn block(&self, b: usize) -> std::ops::Range<usize> {
        self.blocks[b]..self.blocks[b + 1]
    }
}

/// Starts of the runs of equal times in sorted `time`, then its length.
fn tie_blocks(time: &[f64]) -> Vec<usize> {
    let mut blocks = Vec::new();
    for i in 0..time.len() {
        if i == 0 || time[i] != time[i - 1] {
            blocks.push(i);
        }
    }
    blocks.push(time.len());
    blocks
}

/// Ĝ of each sorted row at crr's evaluation point (module doc).
fn censoring_weights(time: &[f64], role: &[Role], blocks: &[usize]) -> Vec<f64> {
    let n = time.len();
    let mut g = vec![1.0; n];
    let mut before = 1.0;
    for w in blocks.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let at_risk = (n - lo) as f64;
        let censored = role[lo..hi]
            .iter()
            .filter(|&&r| r == Role::Censored)
            .count() as f64;
        let after = before * (1.0 - censored / at_risk);
        let value = if time[lo] > 0.0 { before } else { after };
        g[lo..hi].fill(value);
        before = after;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn censoring_km_is_evaluated_just_before_each_time() {
        // Times 1 (event), 2 (censored), 2 (other), 3 (censored), 4 (event).
        // Censoring KM: at 2, Y = 4, c = 1 → 3/4; at 3, Y = 2, c = 1 → 3/8.
        let time = [4.0, 2.0, 1.0, 3.0, 2.0];
        let outcome = [
            Outcome::Event,
            Outcome::Censored,
            Outcome::Event,
            Outcome::Censored,
            Outcome::Competing,
        ];
        let prep = Prepared::new(&time, &outcome, &[], 0, Outcome::Event);
        assert_eq!(prep.blocks, vec![0, 1, 3, 4, 5]);
        assert_eq!(prep.g, vec![1.0, 1.0, 1.0, 0.75, 0.375]);
        assert_eq!(prep.role[2], Role::Other);
    }

    #[test]
    fn at_time_zero_the_censorings_at_zero_count() {
        // crr evaluates Ĝ at 0 · (1 − 100ε) = 0: the censoring at 0 is included.
        let time = [0.0, 0.0, 1.0, 2.0];
        let outcome = [
            Outcome::Censored,
            Outcome::Competing,
            Outcome::Event,
            Outcome::Event,
        ];
        let prep = Prepared::new(&time, &outcome, &[], 0, Outcome::Event);
        assert_eq!(prep.g, vec![0.75, 0.75, 0.75, 0.75]);
    }

    #[test]
    fn covariates_are_centred_and_sorted() {
        let time = [2.0, 1.0, 3.0];
        let outcome = [Outcome::Event; 3];
        let x = [1.0, 2.0, 6.0];
        let prep = Prepared::new(&time, &outcome, &x, 1, Outcome::Event);
        assert_eq!(prep.x, vec![-1.0, -2.0, 3.0]);
    }
}
