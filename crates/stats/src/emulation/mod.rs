//! Target-trial emulation by clone–censor–weight: the survival of two strategies,
//! "local treatment within the grace period G" (`treat`) and "no local treatment within
//! G" (`control`), from observational data where treatment starts at varying times.
//!
//! # Method
//! 1. Cloning and artificial censoring ([`clones`]): every patient gives a `treat` and a
//!    `control` clone; a clone is censored when the patient's history deviates from its
//!    strategy (treat: still untreated at G; control: treated at u ≤ G).
//! 2. In each arm the artificial censoring is modelled by a Cox model with Breslow ties
//!    ([`censoring`]); a clone's weight at t is 1/Ŝc(t⁻ | x), Ŝc in the exponential
//!    (default) or product-limit form ([`CensoringSurvival`]).
//! 3. The weighted Kaplan–Meier curve of each arm on the data split at every death time
//!    ([`weighted_km`]); survival at chosen times, their difference treat − control, and
//!    the RMST difference to τ.
//! 4. Percentile bootstrap over patients (both clones of a patient together), every
//!    model refitted ([`bootstrap`]).
//!
//! # References
//! Hernán, M. A. & Robins, J. M. (2016). Using big data to emulate a target trial when a
//! randomized trial is not available. *Am. J. Epidemiol.* 183, 758–764.
//! Maringe, C., Benitez Majano, S., Exarchakou, A. et al. (2020). Reflection on modern
//! methods: trial emulation in the presence of immortal-time bias. Assessing the benefit
//! of major surgery for elderly lung cancer patients using observational data. *Int. J.
//! Epidemiol.* 49, 1719–1729.
//!
//! # R equivalent
//! The clone data by hand, `coxph(Surv(time_c, art) ~ x, ties = "breslow")` and
//! `basehaz(centered = FALSE)` per arm, `survSplit` at the death times and
//! `survfit(Surv(tstart, tstop, event) ~ arm, weights = w)` (tests/r/
//! make_reference_emulation.R).

pub mod bootstrap;
pub mod censoring;
pub mod clones;
pub mod weighted_km;

pub use censoring::{CensoringModel, CensoringSurvival, ModelStatus};
pub use clones::{clone_arm, ArmClones, Strategy};
pub use weighted_km::{rmst, surv_at, ArmCurve};

/// The patients of an emulation.
#[derive(Debug, Clone, Copy)]
pub struct Patients<'a> {
    /// Follow-up time (≥ 0) and death.
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// Local treatment time u (0 ≤ u < time), `None`: never treated locally.
    pub treatment: &'a [Option<f64>],
    /// Censoring-model covariates, column-major n×p.
    pub x: &'a [f64],
    pub p: usize,
}

impl Patients<'_> {
    pub fn n(&self) -> usize {
        self.time.len()
    }
}

/// One arm's estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmEstimate {
    pub clones: ArmClones,
    pub model: CensoringModel,
    pub curve: ArmCurve,
    pub artificially_censored: usize,
}

/// Both arms (`treat`, `control`).
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub arms: [ArmEstimate; 2],
}

impl Estimate {
    /// treat − control at t (`None` past either curve's last time).
    pub fn difference_at(&self, t: f64) -> Option<f64> {
        Some(surv_at(&self.arms[0].curve, t)? - surv_at(&self.arms[1].curve, t)?)
    }

    /// RMST(τ) of treat − control.
    pub fn rmst_difference(&self, tau: f64) -> f64 {
        rmst(&self.arms[0].curve, tau) - rmst(&self.arms[1].curve, tau)
    }
}

/// Clones, censoring models and weighted curves of both arms with Ŝc in the form `form`;
/// `keep_weights` collects the weights at the death times for [`summarize_weights`].
pub fn estimate(
    patients: &Patients,
    grace: f64,
    form: CensoringSurvival,
    keep_weights: bool,
) -> Estimate {
    let clones = Strategy::BOTH
        .map(|s| clone_arm(patients.time, patients.event, patients.treatment, grace, s));
    let deaths = weighted_km::death_times(&[&clones[0], &clones[1]]);
    let arms = clones.map(|c| {
        let model = censoring::fit(&c, patients.x, patients.p);
        let curve = weighted_km::weighted_km(&c, &model, form, &deaths, keep_weights);
        let artificially_censored = c.censored.iter().filter(|&&a| a).count();
        ArmEstimate {
            clones: c,
            model,
            curve,
            artificially_censored,
        }
    });
    Estimate { arms }
}

/// min, median, 99th percentile (type 7), max and mean of a multiset of weights given
/// as (value, multiplicity); `None` when empty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightStats {
    pub min: f64,
    pub median: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

/// Summary of (weight, count) cells.
pub fn summarize_weights(cells: &[(f64, usize)]) -> Option<WeightStats> {
    let mut cells: Vec<(f64, usize)> = cells.iter().copied().filter(|c| c.1 > 0).collect();
    if cells.is_empty() {
        return None;
    }
    cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = cells.iter().map(|c| c.1).sum();
    let sum: f64 = cells.iter().map(|c| c.0 * c.1 as f64).sum();
    // The k-th smallest value (0-based).
    let nth = |k: usize| {
        let mut seen = 0;
        for &(v, c) in &cells {
            seen += c;
            if k < seen {
                return v;
            }
        }
        cells[cells.len() - 1].0
    };
    let q = |p: f64| {
        let h = (total - 1) as f64 * p;
        let lo = h.floor();
        let j = lo as usize;
        let frac = h - lo;
        if frac == 0.0 || j + 1 >= total {
            nth(j)
        } else {
            let a = nth(j);
            a + frac * (nth(j + 1) - a)
        }
    };
    Some(WeightStats {
        min: cells[0].0,
        median: q(0.5),
        p99: q(0.99),
        max: cells[cells.len() - 1].0,
        mean: sum / total as f64,
    })
}

#[cfg(test)]
mod tests;
