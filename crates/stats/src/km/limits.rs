//! Pointwise standard errors and confidence limits of a Kaplan–Meier curve.

use super::KmCurve;
use crate::dist::z_for_level;
use crate::math;
use crate::ConfType;

/// Standard error of Ŝ and its pointwise confidence limits, one entry per curve row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KmLimits {
    /// SE of Ŝ(t) = Ŝ·se(−log Ŝ) (summary.survfit's `std.err`); `None` where Ŝ = 0.
    pub std_err: Vec<Option<f64>>,
    /// Lower limit; `None` where Ŝ = 0 (all types) and, for log-log, where Ŝ = 1.
    pub lower: Vec<Option<f64>>,
    /// Upper limit; `None` as for `lower`.
    pub upper: Vec<Option<f64>>,
}

/// Standard errors of Ŝ and pointwise confidence limits at `level` (e.g. 0.95).
///
/// # Formula
/// With s = se(−log Ŝ) (`curve.se_log_surv`) and z = Φ⁻¹(1 − (1 − level)/2):
/// * std_err = Ŝ·s;
/// * `Log`: exp(log Ŝ ∓ z s), upper capped at 1;
/// * `LogLog`: exp(−exp(log(−log Ŝ) ∓ z s / log Ŝ)) (Kalbfleisch & Prentice 1980);
/// * `Plain`: Ŝ ∓ z s Ŝ, clipped to [0, 1].
///
/// Where Ŝ = 0 every value is `None` (R gives NA, or NaN = Inf·0); log-log limits are
/// `None` where Ŝ = 1. Before the first event (Ŝ = 1, s = 0) log and plain give [1, 1].
///
/// # References
/// Klein & Moeschberger (2003) §4.3; Therneau & Grambsch (2000) §2.1.
///
/// # R equivalent
/// `fit <- survfit(Surv(time, status) ~ 1, conf.type = "log" | "log-log" | "plain",
/// conf.int = level)`; `fit$lower`, `fit$upper`, and `summary(fit)$std.err`
/// (= `fit$std.err * fit$surv`), i.e. `survival:::survfit_confint`.
pub fn confidence_limits(curve: &KmCurve, conf_type: ConfType, level: f64) -> KmLimits {
    let z = z_for_level(level);
    let mut out = KmLimits::default();
    for (&s_hat, &se) in curve.surv.iter().zip(&curve.se_log_surv) {
        let (std_err, lower, upper) = row_limits(s_hat, se, conf_type, z);
        out.std_err.push(std_err);
        out.lower.push(lower);
        out.upper.push(upper);
    }
    out
}

/// One row of [`confidence_limits`]: (std_err, lower, upper).
fn row_limits(
    s_hat: f64,
    se: f64,
    conf_type: ConfType,
    z: f64,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    if s_hat.is_nan() || s_hat <= 0.0 {
        return (None, None, None);
    }
    let std_err = Some(se * s_hat);
    let (lower, upper) = match conf_type {
        ConfType::Log => {
            let log_s = math::ln(s_hat);
            let half = z * se;
            (
                Some(math::exp(log_s - half)),
                Some(math::exp(log_s + half).min(1.0)),
            )
        }
        ConfType::LogLog => {
            if s_hat == 1.0 {
                (None, None)
            } else {
                let log_s = math::ln(s_hat);
                let half = z * se / log_s;
                let cll = math::ln(-log_s);
                (
                    Some(math::exp(-math::exp(cll - half))),
                    Some(math::exp(-math::exp(cll + half))),
                )
            }
        }
        ConfType::Plain => {
            let half = se * s_hat * z;
            (Some((s_hat - half).max(0.0)), Some((s_hat + half).min(1.0)))
        }
    };
    (std_err, finite(lower), finite(upper))
}

/// `None` for NaN (never produced for Ŝ > 0, kept as a guard for degenerate weights).
fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| !v.is_nan())
}
