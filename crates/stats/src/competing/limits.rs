//! Pointwise confidence limits of a cumulative incidence curve, and its value at chosen
//! times, as survfit and `summary(fit, times)` give them for a multi-state `pstate`.

use super::aalen_johansen::CauseIncidence;
use crate::dist::z_for_level;
use crate::math;
use crate::ConfType;

/// Pointwise limits of a probability-in-state curve (one entry per curve row).
///
/// # Formula
/// With p the estimate, se its standard error, s = se/p (0 where se = 0) and
/// z = Φ⁻¹(1 − (1 − level)/2):
/// * `Log` (R's default): exp(log p ∓ z s), the upper capped at 1; `None` where p = 0;
/// * `LogLog`: exp(−exp(log(−log p) ∓ z s / log p)), on p itself (not 1 − p: for a
///   cumulative incidence this is R's interval all the same); `None` where p = 0 or 1;
/// * `Plain`: p ∓ z·se, clipped to [0, 1] (never `None`; [0, 0] where p = se = 0).
///
/// # R equivalent
/// `fit$lower`, `fit$upper` of `survfit(Surv(time, factor(status)) ~ 1, conf.type =,
/// conf.int = level)`, i.e. `survival:::survfit_confint(p, se, logse = FALSE,
/// conf.type, conf.int)`.
pub fn cif_limits(
    estimate: &[f64],
    std_err: &[f64],
    conf_type: ConfType,
    level: f64,
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let z = z_for_level(level);
    estimate
        .iter()
        .zip(std_err)
        .map(|(&p, &se)| row_limits(p, se, conf_type, z))
        .unzip()
}

/// One row of [`cif_limits`].
fn row_limits(p: f64, se: f64, conf_type: ConfType, z: f64) -> (Option<f64>, Option<f64>) {
    let s = if se == 0.0 { 0.0 } else { se / p };
    let (lower, upper) = match conf_type {
        ConfType::Log => {
            if p == 0.0 {
                return (None, None);
            }
            let half = z * s;
            let log_p = math::ln(p);
            (math::exp(log_p - half), math::exp(log_p + half).min(1.0))
        }
        ConfType::LogLog => {
            if p == 0.0 || p == 1.0 {
                return (None, None);
            }
            let log_p = math::ln(p);
            let half = z * s / log_p;
            let cll = math::ln(-log_p);
            (
                math::exp(-math::exp(cll - half)),
                math::exp(-math::exp(cll + half)),
            )
        }
        ConfType::Plain => {
            let half = s * p * z;
            ((p - half).max(0.0), (p + half).min(1.0))
        }
    };
    (finite(lower), finite(upper))
}

/// `None` for NaN (R's NA from degenerate inputs).
fn finite(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// One requested time of [`incidence_at`].
#[derive(Debug, Clone, PartialEq)]
pub struct IncidenceAt {
    /// The requested time.
    pub time: f64,
    /// F at the last curve time ≤ `time` (0 before the first time); `None` when
    /// `beyond_follow_up`.
    pub estimate: Option<f64>,
    /// Its standard error (0 before the first time); `None` when `beyond_follow_up`.
    pub std_err: Option<f64>,
    /// Lower limit (as [`cif_limits`]; 0 before the first time).
    pub lower: Option<f64>,
    /// Upper limit (as [`cif_limits`]; 0 before the first time).
    pub upper: Option<f64>,
    /// `time` is later than the curve's last observed time: R's `summary(fit, times)`
    /// without `extend` leaves it out; no values are given.
    pub beyond_follow_up: bool,
}

/// The cumulative incidence, its SE and limits at each requested time (sorted as R
/// sorts them; non-finite times dropped; repeats kept).
///
/// `time` is the curve's time, `cause` one cause of it, `lower`/`upper` from
/// [`cif_limits`] of that cause.
///
/// # Formula
/// As `summary.survfit` after `survfit0`: a row at t₀ = min(0, t_1) is prepended unless
/// t_1 = t₀, with estimate, std_err, lower and upper all 0 (R fills the prepended row
/// of a multi-state curve's limits with 0). For a requested t the row of the last time
/// ≤ t (the first row if none); past the last time: `beyond_follow_up`, no values.
///
/// # R equivalent
/// `summary(survfit(Surv(time, factor(status)) ~ 1), times = t)` → `pstate[, cause]`,
/// `std.err[, cause]`, `lower[, cause]`, `upper[, cause]`.
pub fn incidence_at(
    time: &[f64],
    cause: &CauseIncidence,
    lower: &[Option<f64>],
    upper: &[Option<f64>],
    times: &[f64],
) -> Vec<IncidenceAt> {
    let n = time
        .len()
        .min(cause.estimate.len())
        .min(cause.std_err.len())
        .min(lower.len())
        .min(upper.len());
    let mut wanted: Vec<f64> = times.iter().copied().filter(|t| t.is_finite()).collect();
    wanted.sort_by(f64::total_cmp);
    let Some(&last) = time[..n].last() else {
        return Vec::new();
    };
    let start = time[0].min(0.0);
    wanted
        .into_iter()
        .map(|t| {
            let at_or_before = time[..n].partition_point(|&x| x <= t);
            let mut row = IncidenceAt {
                time: t,
                estimate: None,
                std_err: None,
                lower: None,
                upper: None,
                beyond_follow_up: t > last,
            };
            if row.beyond_follow_up {
                return row;
            }
            if at_or_before == 0 && time[0] != start {
                (row.estimate, row.std_err) = (Some(0.0), Some(0.0));
                (row.lower, row.upper) = (Some(0.0), Some(0.0));
            } else {
                let k = at_or_before.max(1) - 1;
                row.estimate = Some(cause.estimate[k]);
                row.std_err = Some(cause.std_err[k]);
                (row.lower, row.upper) = (lower[k], upper[k]);
            }
            row
        })
        .collect()
}
