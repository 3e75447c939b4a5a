//! The weighted Kaplan–Meier curve of one arm with time-varying weights, computed by
//! sweeping the death times instead of materializing the split data.
//!
//! # Formula
//! The cloned data split at every distinct death time c_1 < … < c_D of both arms
//! (`survSplit`) gives each clone the intervals (c_{k−1}, c_k] up to its own end, each
//! weighted w_i(c_k) = 1/Ŝc(c_k⁻ | x_i) (in the chosen [`CensoringSurvival`] form; a
//! clone whose product-limit Ŝc has reached 0 weighs 0 from then on: left out). The weighted KM of the (tstart, tstop] rows
//! steps only at the arm's own death times t, where every at-risk clone's interval ends
//! at t: n_w(t) = Σ_{i: time_i ≥ t} w_i(t), d_w(t) = Σ_{i: time_i = t, death} w_i(t),
//! Ŝ(t) = Π_{s ≤ t} (1 − d_w(s)/n_w(s)). Its times (R's `fit$time`) are every distinct
//! tstop of the arm: the clones' end times and the death times (of either arm) before
//! the arm's last end time. Clones with no time at risk (end time 0) are left out, as
//! `survSplit` cannot hold them.
//!
//! # Cost
//! The split data would have up to n × D rows. A clone's weight changes only where the
//! censoring baseline Λ₀ jumps (the arm's artificial censoring times), so the death
//! times fall into R runs of constant weights, R ≤ 1 + the distinct artificial censoring
//! times that precede a death (treat arm: censored at G only, R ≤ 2; control arm: the
//! distinct treatment times within G followed by a death, at most the distinct death
//! times within G). At the first death time of a run the weights of the K distinct risk
//! scores are evaluated once (K exponentials) and the weighted numbers at risk of the
//! whole run are suffix sums over the clones in time order (O(n)); each death time then
//! reads its n_w in O(1). Total O(n log n + (n + K)·R + D) time and O(n + D) memory,
//! instead of O(K·D) (K ≈ n with a continuous covariate) for one sum over the scores at
//! every death time. The weight summary's cells (when asked) add O(K) at each kept death
//! time, at most about `MAX_WEIGHT_CELLS` + K in all.
//!
//! # R equivalent
//! `s <- survSplit(Surv(time, event) ~ ., clones[clones$time > 0, ], cut = deaths)`;
//! `s$w <- 1 / Sc(s$tstop⁻ | x)`; `survfit(Surv(tstart, time, event) ~ arm, s, weights
//! = w)` → `time`, `surv`.

use super::censoring::{CensoringModel, CensoringSurvival, ScoreWeights};
use super::clones::ArmClones;

/// One arm's curve.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArmCurve {
    pub time: Vec<f64>,
    pub surv: Vec<f64>,
    /// Deaths of the arm's clones (time > 0) counted by the curve (not left out).
    pub n_events: usize,
    /// The distinct weights at risk at the arm's death times with their multiplicities
    /// (when asked; thinned to every k-th death time beyond `MAX_WEIGHT_CELLS` cells).
    pub weights: Vec<(f64, usize)>,
    /// Clones followed beyond the time their product-limit probability of remaining
    /// uncensored reached 0 (left out of the risk sets from then on; always 0 in the
    /// exponential form).
    pub left_out_zero_probability: usize,
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

/// The weighted KM of `clones` weighted by `model` in the form `form`, split at `deaths`
/// (all arms').
pub fn weighted_km(
    clones: &ArmClones,
    model: &CensoringModel,
    form: CensoringSurvival,
    deaths: &[f64],
    keep_weights: bool,
) -> ArmCurve {
    let mut order: Vec<usize> = (0..clones.time.len())
        .filter(|&i| clones.time[i] > 0.0)
        .collect();
    order.sort_by(|&a, &b| clones.time[a].total_cmp(&clones.time[b]));
    let mut out = ArmCurve::default();
    if order.is_empty() {
        return out;
    }
    // Distinct risk scores and the number of clones at risk with each.
    let mut scores: Vec<f64> = order.iter().map(|&i| model.risk[i]).collect();
    scores.sort_by(f64::total_cmp);
    scores.dedup();
    let slot = |i: usize| {
        scores
            .binary_search_by(|s| s.total_cmp(&model.risk[i]))
            .unwrap_or(0)
    };
    // The score slot of each clone of `order`.
    let slot_of: Vec<usize> = order.iter().map(|&i| slot(i)).collect();
    let mut count = vec![0usize; scores.len()];
    for &k in &slot_of {
        count[k] += 1;
    }
    // Clones followed beyond the jump at which their product-limit Ŝc reached 0: left
    // out from then on (their later split rows dropped, so neither their end time nor
    // their death enters the fit).
    let mut all_jumps = ScoreWeights::new(model, form, &scores);
    all_jumps.advance_to(f64::INFINITY);
    let left_out = |i: usize| all_jumps.zero_at[slot(i)].is_some_and(|z| z < clones.time[i]);
    let kept: Vec<usize> = order.iter().copied().filter(|&i| !left_out(i)).collect();
    out.left_out_zero_probability = order.len() - kept.len();
    let Some(&last) = kept.last().map(|&i| &clones.time[i]) else {
        return out;
    };
    // Curve times: the kept clones' end times and the death times before the last.
    let mut times: Vec<f64> = kept.iter().map(|&i| clones.time[i]).collect();
    times.extend(deaths.iter().copied().filter(|&c| c < last));
    times.sort_by(f64::total_cmp);
    times.dedup();
    let own_deaths = kept.iter().filter(|&&i| clones.event[i]).count();
    out.n_events = own_deaths;
    let thin = if keep_weights {
        (scores.len().saturating_mul(own_deaths) / MAX_WEIGHT_CELLS).max(1)
    } else {
        0
    };
    let mut weights = ScoreWeights::new(model, form, &scores);
    // The weighted number at risk from each position of `order` on, Σ_{j' ≥ j} w(j'),
    // for the current run of constant weights (`run_epoch`); positions before `run_from`
    // are not filled.
    let mut at_risk_from = vec![0.0; order.len() + 1];
    let mut run_epoch: Option<usize> = None;
    let mut score_weight = vec![0.0; scores.len()];
    let mut death_index = 0usize;
    let mut s = 1.0;
    let mut k = 0; // next clone of `order` not yet removed from the risk set
    for &t in &times {
        // Remove clones that ended before t.
        while k < order.len() && clones.time[order[k]] < t {
            count[slot_of[k]] -= 1;
            k += 1;
        }
        weights.advance_to(t);
        let mut d_w = 0.0;
        let mut j = k;
        let mut any_death = false;
        while j < order.len() && clones.time[order[j]] == t {
            let i = order[j];
            // A left-out clone's death (weight 0) is not a death of the curve.
            let w = weights.weight(slot_of[j]);
            if clones.event[i] && w > 0.0 {
                any_death = true;
                d_w += w;
            }
            j += 1;
        }
        if any_death {
            if run_epoch != Some(weights.epoch()) {
                // A new run of constant weights: every score's weight once, then the
                // suffix sums over the clones still at risk.
                run_epoch = Some(weights.epoch());
                for (w, kk) in score_weight.iter_mut().zip(0..) {
                    *w = weights.weight(kk);
                }
                let mut acc = 0.0;
                at_risk_from[order.len()] = 0.0;
                for p in (k..order.len()).rev() {
                    acc += score_weight[slot_of[p]];
                    at_risk_from[p] = acc;
                }
            }
            let n_w = at_risk_from[k];
            if thin > 0 && death_index.is_multiple_of(thin) {
                for (&c, &w) in count.iter().zip(&score_weight) {
                    if c > 0 && w > 0.0 {
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
