//! The weighted Kaplan–Meier curve of one arm with time-varying weights, computed by
//! sweeping the death times instead of materializing the split data.
//!
//! # Formula
//! The cloned data split at every distinct death time c_1 < … < c_D of both arms
//! (`survSplit`) gives each clone the intervals (c_{k−1}, c_k] up to its own end, each
//! weighted w_i(c_k) = 1/Ŝc(c_k⁻ | x_i). The weighted KM of the (tstart, tstop] rows
//! steps only at the arm's own death times t, where every at-risk clone's interval ends
//! at t: n_w(t) = Σ_{i: time_i ≥ t} w_i(t), d_w(t) = Σ_{i: time_i = t, death} w_i(t),
//! Ŝ(t) = Π_{s ≤ t} (1 − d_w(s)/n_w(s)). Its times (R's `fit$time`) are every distinct
//! tstop of the arm: the clones' end times and the death times (of either arm) before
//! the arm's last end time. Clones with no time at risk (end time 0) are left out, as
//! `survSplit` cannot hold them.
//!
//! # Cost
//! The split data would have up to n × D rows. Clones of equal risk score share their
//! weight, so with K distinct scores in the arm each death time costs O(K) exponentials:
//! O(n log n + K·D_arm) time and O(n + D) memory (K = 1 without covariates).
//!
//! # R equivalent
//! `s <- survSplit(Surv(time, event) ~ ., clones[clones$time > 0, ], cut = deaths)`;
//! `s$w <- 1 / Sc(s$tstop⁻ | x)`; `survfit(Surv(tstart, time, event) ~ arm, s, weights
//! = w)` → `time`, `surv`.

use super::censoring::CensoringModel;
use super::clones::ArmClones;
use crate::math;

/// One arm's curve.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArmCurve {
    pub time: Vec<f64>,
    pub surv: Vec<f64>,
    /// Deaths of the arm's clones (time > 0).
    pub n_events: usize,
    /// The distinct weights at risk at the arm's death times with their multiplicities
    /// (when asked; thinned to every k-th death time beyond `MAX_WEIGHT_CELLS` cells).
    pub weights: Vec<(f64, usize)>,
}

/// (weight, count) cells kept for the weight summary before thinning.
pub const MAX_WEIGHT_CELLS: usize = 1 << 22;

/// The distinct death times (> 0) of both arms, ascending.
pub fn death_times(arms: &[&ArmClones]) -> Vec<f64> {
    let mut d: Vec<f64> = arms
        .iter()
        .flat_map(|a| {
            a.time
                .iter()
                .zip(&a.event)
                .filter(|(t, e)| **e && **t > 0.0)
                .map(|(t, _)| *t)
        })
        .collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}

/// The weighted KM of `clones` weighted by `model`, split at `deaths` (all arms').
pub fn weighted_km(
    clones: &ArmClones,
    model: &CensoringModel,
    deaths: &[f64],
    keep_weights: bool,
) -> ArmCurve {
    let mut order: Vec<usize> = (0..clones.time.len())
        .filter(|&i| clones.time[i] > 0.0)
        .collect();
    order.sort_by(|&a, &b| clones.time[a].total_cmp(&clones.time[b]));
    let mut out = ArmCurve::default();
    let Some(&last) = order.last().map(|&i| &clones.time[i]) else {
        return out;
    };
    // Distinct risk scores and the number of clones at risk with each.
    let mut scores: Vec<f64> = order.iter().map(|&i| model.risk[i]).collect();
    scores.sort_by(f64::total_cmp);
    scores.dedup();
    let slot = |i: usize| {
        scores
            .binary_search_by(|s| s.total_cmp(&model.risk[i]))
            .unwrap_or(0)
    };
    let mut count = vec![0usize; scores.len()];
    for &i in &order {
        count[slot(i)] += 1;
    }
    // Curve times: the arm's end times and the death times before its last.
    let mut times: Vec<f64> = order.iter().map(|&i| clones.time[i]).collect();
    times.extend(deaths.iter().copied().filter(|&c| c < last));
    times.sort_by(f64::total_cmp);
    times.dedup();
    let own_deaths = order.iter().filter(|&&i| clones.event[i]).count();
    out.n_events = own_deaths;
    let thin = if keep_weights {
        (scores.len().saturating_mul(own_deaths) / MAX_WEIGHT_CELLS).max(1)
    } else {
        0
    };
    let mut death_index = 0usize;
    let mut s = 1.0;
    let mut k = 0; // next clone of `order` not yet removed from the risk set
    for &t in &times {
        // Remove clones that ended before t.
        while k < order.len() && clones.time[order[k]] < t {
            count[slot(order[k])] -= 1;
            k += 1;
        }
        let lambda = model.hazard.before(t);
        let mut d_w = 0.0;
        let mut j = k;
        let mut any_death = false;
        while j < order.len() && clones.time[order[j]] == t {
            let i = order[j];
            if clones.event[i] {
                any_death = true;
                d_w += math::exp(lambda * model.risk[i]);
            }
            j += 1;
        }
        if any_death {
            let mut n_w = 0.0;
            let keep = thin > 0 && death_index.is_multiple_of(thin);
            for (v, &c) in scores.iter().zip(&count) {
                if c > 0 {
                    let w = math::exp(lambda * v);
                    n_w += c as f64 * w;
                    if keep {
                        out.weights.push((w, c));
                    }
                }
            }
            death_index += 1;
            if n_w > 0.0 {
                s *= 1.0 - d_w / n_w;
            }
        }
        out.time.push(t);
        out.surv.push(s);
    }
    out
}

/// Ŝ(t) of a step curve: 1 before its first time, `None` after its last.
pub fn surv_at(curve: &ArmCurve, t: f64) -> Option<f64> {
    let last = *curve.time.last()?;
    if t > last {
        return None;
    }
    let k = curve.time.partition_point(|&s| s <= t);
    Some(if k == 0 { 1.0 } else { curve.surv[k - 1] })
}

/// ∫₀^τ Ŝ(u) du of a step curve extended flat beyond its last time (R's `survmean`
/// with `rmean = τ`, the curve starting at time 0 with Ŝ = 1).
pub fn rmst(curve: &ArmCurve, tau: f64) -> f64 {
    let mut area = 0.0;
    let (mut prev_t, mut prev_s) = (0.0, 1.0);
    for (&t, &s) in curve.time.iter().zip(&curve.surv) {
        if t >= tau {
            break;
        }
        area += (t - prev_t) * prev_s;
        prev_t = t;
        prev_s = s;
    }
    area + (tau - prev_t) * prev_s
}
