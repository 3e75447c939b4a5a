//! The model of artificial censoring of one arm and the clones' weights.
//!
//! # Formula
//! `coxph(Surv(time_c, artificially_censored) ~ x, ties = "breslow")` on the arm's
//! clones (deaths and ordinary censorings are censored observations of this model), then
//! with the Breslow baseline Λ₀ ([`crate::cox::baseline`]) the probability of remaining
//! uncensored just before t, Ŝc(t⁻ | x), in one of two forms ([`CensoringSurvival`]):
//! * exponential (the default): Ŝc(t⁻ | x) = exp(−Λ₀(t⁻)·exp(xβ)), weight
//!   1 / Ŝc = exp(Λ₀(t⁻)·exp(xβ)) ≥ 1;
//! * product-limit: Ŝc(t⁻ | x) = Π_{s < t} (1 − dΛ₀(s)·exp(xβ)) over the jumps dΛ₀(s) of
//!   the baseline. Where a factor 1 − dΛ₀(s)·exp(xβ) ≤ 0 the clone's probability of
//!   remaining uncensored reaches 0 and its weight is undefined: the clone is left out
//!   (weight 0) of every risk set after s ([`CensoringModel::weight`] returns 0).
//!
//! Without covariates Λ₀ is the Nelson–Aalen estimator of censoring (and the
//! product-limit form its Kaplan–Meier). An aliased coefficient counts as 0 (as
//! `predict.coxph`). No artificial censoring in the arm, or a model that cannot be
//! fitted: every weight is 1.
//!
//! # R equivalent
//! `fit <- coxph(Surv(time_c, art) ~ x, data = arm, ties = "breslow")`;
//! `H <- basehaz(fit, centered = FALSE)`; exponential: w(t) = exp(H(t⁻)·exp(x β))
//! (= 1 / `survfit(fit, newdata)$surv` at t⁻, the default `stype = 2, ctype = 1`);
//! product-limit: w(t) = 1 / `cumprod(1 - diff(c(0, H$hazard)) * exp(x β))` at t⁻.
//! `survfit(fit, newdata, stype = 1)` is the Kalbfleisch–Prentice estimator instead: it
//! equals the product-limit form without covariates only.

use super::clones::ArmClones;
use crate::cox::baseline::{self, BaselineHazard};
use crate::cox::{self, CoxData, CoxOptions, Ties};
use crate::math;

/// The form of the predicted probability of remaining uncensored, Ŝc(t⁻ | x), from the
/// Breslow model (see the module's formula).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CensoringSurvival {
    /// exp(−Λ₀(t⁻)·exp(xβ)) (R's `survfit.coxph` default).
    #[default]
    Exponential,
    /// Π_{s < t} (1 − dΛ₀(s)·exp(xβ)).
    ProductLimit,
}

/// How the censoring model came out.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelStatus {
    Fitted,
    /// No clone of the arm is artificially censored: weights 1.
    NoCensoring,
    /// The Cox model could not be fitted (the reason): weights 1.
    Failed(String),
}

/// A fitted model of artificial censoring.
#[derive(Debug, Clone, PartialEq)]
pub struct CensoringModel {
    pub status: ModelStatus,
    /// Coefficients (`None`: aliased); empty without covariates or a fit.
    pub coef: Vec<Option<f64>>,
    pub se: Vec<Option<f64>>,
    /// Risk score of each clone (patient order): exp((x − m)β), m the fit's means.
    pub risk: Vec<f64>,
    /// Breslow baseline at the same centring.
    pub hazard: BaselineHazard,
}

impl CensoringModel {
    /// Weights 1 for `n` clones.
    fn unit(n: usize, status: ModelStatus) -> Self {
        CensoringModel {
            status,
            coef: Vec::new(),
            se: Vec::new(),
            risk: vec![1.0; n],
            hazard: BaselineHazard::default(),
        }
    }

    /// Weight 1/Ŝc(t⁻ | x_i) of clone i at time t in the form `form`; 0 where the
    /// product-limit Ŝc has reached 0 (the clone is left out).
    pub fn weight(&self, form: CensoringSurvival, i: usize, t: f64) -> f64 {
        match form {
            CensoringSurvival::Exponential => math::exp(self.hazard.before(t) * self.risk[i]),
            CensoringSurvival::ProductLimit => {
                let mut sc = 1.0;
                let mut prev = 0.0;
                for (&s, &h) in self.hazard.time.iter().zip(&self.hazard.cumhaz) {
                    if s >= t {
                        break;
                    }
                    let f = 1.0 - (h - prev) * self.risk[i];
                    prev = h;
                    if f <= 0.0 {
                        return 0.0;
                    }
                    sc *= f;
                }
                1.0 / sc
            }
        }
    }
}

/// The weights of clones grouped by distinct risk score, as time advances (the sweep of
/// [`super::weighted_km`]): O(1) per score and time for the exponential form, the
/// running product over the baseline's jumps for the product-limit form.
#[derive(Debug, Clone)]
pub struct ScoreWeights<'a> {
    model: &'a CensoringModel,
    form: CensoringSurvival,
    scores: &'a [f64],
    /// Product-limit Ŝc(t⁻) per score (0: reached 0).
    sc: Vec<f64>,
    /// The jump at which each score's Ŝc reached 0.
    pub zero_at: Vec<Option<f64>>,
    next_jump: usize,
    lambda: f64,
    /// Jumps of the baseline before the current time: the weights change only when it
    /// does.
    jumps_before: usize,
}

impl<'a> ScoreWeights<'a> {
    pub fn new(model: &'a CensoringModel, form: CensoringSurvival, scores: &'a [f64]) -> Self {
        ScoreWeights {
            model,
            form,
            scores,
            sc: vec![1.0; scores.len()],
            zero_at: vec![None; scores.len()],
            next_jump: 0,
            lambda: 0.0,
            jumps_before: 0,
        }
    }

    /// The number of baseline jumps before the current time: two times with the same
    /// count have the same weight for every score.
    pub fn epoch(&self) -> usize {
        self.jumps_before
    }

    /// Moves to time t (non-decreasing across calls): takes in the jumps before t.
    pub fn advance_to(&mut self, t: f64) {
        let h = &self.model.hazard;
        self.jumps_before = h.time.partition_point(|&s| s < t);
        self.lambda = h.before(t);
        if self.form == CensoringSurvival::Exponential {
            return;
        }
        while self.next_jump < h.time.len() && h.time[self.next_jump] < t {
            let j = self.next_jump;
            let dh = h.cumhaz[j] - if j == 0 { 0.0 } else { h.cumhaz[j - 1] };
            for (k, &v) in self.scores.iter().enumerate() {
                if self.sc[k] > 0.0 {
                    let f = 1.0 - dh * v;
                    if f <= 0.0 {
                        self.sc[k] = 0.0;
                        self.zero_at[k] = Some(h.time[j]);
                    } else {
                        self.sc[k] *= f;
                    }
                }
            }
            self.next_jump += 1;
        }
    }

    /// The weight at the current time of the clones with score `scores[k]` (0: left out).
    pub fn weight(&self, k: usize) -> f64 {
        match self.form {
            CensoringSurvival::Exponential => math::exp(self.lambda * self.scores[k]),
            CensoringSurvival::ProductLimit if self.sc[k] > 0.0 => 1.0 / self.sc[k],
            CensoringSurvival::ProductLimit => 0.0,
        }
    }
}

/// Fits the arm's censoring model on the clones, with the patients' covariates `x`
/// (column-major n×p).
pub fn fit(clones: &ArmClones, x: &[f64], p: usize) -> CensoringModel {
    let n = clones.time.len();
    if !clones.censored.iter().any(|&c| c) {
        return CensoringModel::unit(n, ModelStatus::NoCensoring);
    }
    if p == 0 {
        let risk = vec![1.0; n];
        let hazard = baseline::breslow(&clones.time, &clones.censored, &risk, None);
        return CensoringModel {
            status: ModelStatus::Fitted,
            coef: Vec::new(),
            se: Vec::new(),
            risk,
            hazard,
        };
    }
    let data = CoxData {
        time: &clones.time,
        event: &clones.censored,
        x,
        p,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let opts = CoxOptions {
        ties: Ties::Breslow,
        ..Default::default()
    };
    let fit = match cox::fit(&data, &opts) {
        Ok(f) => f,
        Err(e) => return CensoringModel::unit(n, ModelStatus::Failed(e.to_string())),
    };
    let beta: Vec<f64> = fit.coef.iter().map(|c| c.unwrap_or(0.0)).collect();
    if beta.iter().any(|b| !b.is_finite()) {
        return CensoringModel::unit(n, ModelStatus::Failed("non-finite coefficient".into()));
    }
    let mut lp = vec![0.0; n];
    for (j, b) in beta.iter().enumerate() {
        let m = fit.means.get(j).copied().unwrap_or(0.0);
        for (l, xv) in lp.iter_mut().zip(&x[j * n..(j + 1) * n]) {
            *l += b * (xv - m);
        }
    }
    let risk: Vec<f64> = lp.iter().map(|&l| math::exp(l)).collect();
    if risk.iter().any(|r| !r.is_finite()) {
        return CensoringModel::unit(n, ModelStatus::Failed("non-finite risk score".into()));
    }
    let hazard = baseline::breslow(&clones.time, &clones.censored, &risk, None);
    let se = fit.se();
    CensoringModel {
        status: ModelStatus::Fitted,
        coef: fit.coef,
        se,
        risk,
        hazard,
    }
}
