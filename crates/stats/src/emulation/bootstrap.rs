//! Percentile bootstrap of the emulation: patients resampled with replacement (both
//! clones of a patient together), the censoring models refitted and the curves
//! recomputed in every replicate.
//!
//! # Method
//! Replicate r (0-based) draws n patient indices from its own SplitMix64 stream seeded
//! with the (r + 1)-th output of `SplitMix64(seed)` (as [`crate::imputation::set_seed`]),
//! so a replicate's draws do not depend on the order in which replicates run. Limits are
//! the type-7 2.5% and 97.5% quantiles of the replicates' values where they exist (a
//! time past a replicate's curve has no value there); a limit needs two values, and a
//! point of the pointwise band needs at least half the replicates.
//!
//! # References
//! Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, §13.3.
//!
//! # R equivalent
//! `boot::boot(patients, function(d, i) emulate(d[i, ]), R = replicates)` and
//! `quantile(t, c(.025, .975), type = 7)` (R's random numbers differ: only the method is
//! comparable).

use super::{estimate, surv_at, CensoringSurvival, Patients};
use crate::rng::{substream_seed, SplitMix64};
use crate::weights::quantile_type7;

/// What to bootstrap.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub replicates: usize,
    pub seed: u64,
    /// The form of Ŝc, as in the point estimate.
    pub censoring_survival: CensoringSurvival,
    /// Times of the survival differences.
    pub times: &'a [f64],
    /// Horizon of the RMST difference.
    pub tau: Option<f64>,
    /// The curves' times (treat, control) for the pointwise band.
    pub curve_times: [&'a [f64]; 2],
}

/// A percentile interval (`None` where too few replicates have a value).
pub type Limits = (Option<f64>, Option<f64>);

/// The bootstrap limits.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapLimits {
    /// Of treat − control at each of `times`.
    pub at_times: Vec<Limits>,
    /// Of the RMST difference.
    pub rmst_difference: Option<Limits>,
    /// Pointwise band of each arm's S at its curve times.
    pub band: [Vec<Limits>; 2],
}

/// The progress callback asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// The seed of replicate r's stream, for r = 0, 1, …, `replicates` − 1
/// ([`substream_seed`]).
pub fn replicate_seeds(seed: u64, replicates: usize) -> Vec<u64> {
    (0..replicates).map(|r| substream_seed(seed, r)).collect()
}

/// The patients of the replicate drawn with `seed`.
fn resample(p: &Patients, seed: u64) -> (Vec<f64>, Vec<bool>, Vec<Option<f64>>, Vec<f64>) {
    let n = p.n();
    let mut rng = SplitMix64(seed);
    let rows: Vec<usize> = (0..n).map(|_| rng.index(n)).collect();
    let time = rows.iter().map(|&i| p.time[i]).collect();
    let event = rows.iter().map(|&i| p.event[i]).collect();
    let treatment = rows.iter().map(|&i| p.treatment[i]).collect();
    let mut x = Vec::with_capacity(n * p.p);
    for j in 0..p.p {
        let col = &p.x[j * n..(j + 1) * n];
        x.extend(rows.iter().map(|&i| col[i]));
    }
    (time, event, treatment, x)
}

/// Replicate `r`'s values: treat − control at each of `req.times`, then the RMST
/// difference (with `req.tau`), then each arm's S at its curve times (`None` where the
/// replicate has no value). One work unit of the page's worker pool: it depends on
/// (`req.seed`, r) only.
pub fn replicate(patients: &Patients, grace: f64, req: &Request, r: usize) -> Vec<Option<f64>> {
    let (time, event, treatment, x) = resample(patients, substream_seed(req.seed, r));
    let rep = Patients {
        time: &time,
        event: &event,
        treatment: &treatment,
        x: &x,
        p: patients.p,
    };
    let est = estimate(&rep, grace, req.censoring_survival, false);
    let mut out = Vec::with_capacity(
        req.times.len() + 1 + req.curve_times[0].len() + req.curve_times[1].len(),
    );
    out.extend(req.times.iter().map(|&t| est.difference_at(t)));
    if let Some(tau) = req.tau {
        out.push(Some(est.rmst_difference(tau)).filter(|v| v.is_finite()));
    }
    for (a, times) in req.curve_times.iter().enumerate() {
        out.extend(times.iter().map(|&t| surv_at(&est.arms[a].curve, t)));
    }
    out
}

/// The limits of the replicates' values ([`replicate`], index order).
pub fn limits_of(req: &Request, units: &[Vec<Option<f64>>]) -> BootstrapLimits {
    let r_total = req.replicates;
    let mut diff_draws: Vec<Vec<f64>> = vec![Vec::with_capacity(r_total); req.times.len()];
    let mut rmst_draws: Vec<f64> = Vec::with_capacity(r_total);
    let mut band_draws: [Vec<Vec<f64>>; 2] = req
        .curve_times
        .map(|t| vec![Vec::with_capacity(r_total); t.len()]);
    for unit in units {
        let mut values = unit.iter().copied();
        for d in &mut diff_draws {
            d.extend(values.next().flatten());
        }
        if req.tau.is_some() {
            rmst_draws.extend(values.next().flatten());
        }
        for draws in &mut band_draws {
            for d in draws.iter_mut() {
                d.extend(values.next().flatten());
            }
        }
    }
    let limits = |d: &mut Vec<f64>, min: usize| -> Limits {
        if d.len() < min.max(2) {
            return (None, None);
        }
        d.sort_by(f64::total_cmp);
        (
            Some(quantile_type7(d, 0.025)),
            Some(quantile_type7(d, 0.975)),
        )
    };
    let half = r_total.div_ceil(2);
    BootstrapLimits {
        at_times: diff_draws.iter_mut().map(|d| limits(d, 2)).collect(),
        rmst_difference: req.tau.map(|_| limits(&mut rmst_draws, 2)),
        band: band_draws.map(|arm| arm.into_iter().map(|mut d| limits(&mut d, half)).collect()),
    }
}

/// Runs the replicates; `progress(done, total)` every 1% (returning `false` cancels).
pub fn bootstrap(
    patients: &Patients,
    grace: f64,
    req: &Request,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<BootstrapLimits, Cancelled> {
    let r_total = req.replicates;
    let every = (r_total / 100).max(1);
    let mut units = Vec::with_capacity(r_total);
    for r in 0..r_total {
        units.push(replicate(patients, grace, req, r));
        if ((r + 1) % every == 0 || r + 1 == r_total) && !progress(r + 1, r_total) {
            return Err(Cancelled);
        }
    }
    Ok(limits_of(req, &units))
}
