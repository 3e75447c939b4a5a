//! TEMPORARY interface stub on main; the km branch replaces this file.
#![allow(missing_docs, unused_variables)]
use super::ConfType;
pub struct KmCurve { pub time: Vec<f64>, pub n_risk: Vec<f64>, pub n_event: Vec<f64>, pub n_censor: Vec<f64>, pub surv: Vec<f64>, pub se_log_surv: Vec<f64> }
pub struct KmLimits { pub std_err: Vec<Option<f64>>, pub lower: Vec<Option<f64>>, pub upper: Vec<Option<f64>> }
pub struct QuantileCi { pub estimate: Option<f64>, pub lower: Option<f64>, pub upper: Option<f64> }
pub struct SurvivalAt { pub time: f64, pub n_risk: f64, pub surv: f64, pub std_err: Option<f64>, pub lower: Option<f64>, pub upper: Option<f64> }
pub fn kaplan_meier(time: &[f64], event: &[bool], weight: Option<&[f64]>) -> KmCurve { todo!() }
pub fn confidence_limits(curve: &KmCurve, conf_type: ConfType, level: f64) -> KmLimits { todo!() }
pub fn median(curve: &KmCurve, limits: &KmLimits) -> QuantileCi { todo!() }
pub fn quantile(curve: &KmCurve, limits: &KmLimits, p: f64) -> QuantileCi { todo!() }
pub fn survival_at(curve: &KmCurve, limits: &KmLimits, times: &[f64]) -> Vec<SurvivalAt> { todo!() }
