//! The model of artificial censoring of one arm and the clones' weights.
//!
//! # Formula
//! `coxph(Surv(time_c, artificially_censored) ~ x, ties = "breslow")` on the arm's
//! clones (deaths and ordinary censorings are censored observations of this model), then
//! with the Breslow baseline Λ₀ ([`crate::cox::baseline`]) the probability of remaining
//! uncensored just before t is Ŝc(t⁻ | x) = exp(−Λ₀(t⁻)·exp(xβ)) and the clone's weight
//! at t is 1 / Ŝc(t⁻ | x) = exp(Λ₀(t⁻)·exp(xβ)) ≥ 1. Without covariates Λ₀ is the
//! Nelson–Aalen estimator of censoring. An aliased coefficient counts as 0 (as
//! `predict.coxph`). No artificial censoring in the arm, or a model that cannot be
//! fitted: every weight is 1.
//!
//! # R equivalent
//! `fit <- coxph(Surv(time_c, art) ~ x, data = arm, ties = "breslow")`;
//! `H <- basehaz(fit, centered = FALSE)`; w(t) = exp(H(t⁻)·exp(x β)).

use super::clones::ArmClones;
use crate::cox::baseline::{self, BaselineHazard};
use crate::cox::{self, CoxData, CoxOptions, Ties};
use crate::math;

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

    /// Weight 1/Ŝc(t⁻ | x_i) of clone i at time t.
    pub fn weight(&self, i: usize, t: f64) -> f64 {
        math::exp(self.hazard.before(t) * self.risk[i])
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
