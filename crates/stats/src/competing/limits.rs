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
            // R's pmax/pmin keep a NaN (f64::max would drop it).
            let half = s * p * z;
            let clip = |x: f64, lo: f64, hi: f64| if x.is_nan() { x } else { x.clamp(lo, hi) };
            (
                clip(p - half, 0.0, f64::INFINITY),
                clip(p + half, f64::NEG_INFINITY, 1.0),
            )
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

#[cfg(test)]
mod tests {
    use super::{cif_limits, incidence_at};
    use crate::competing::aalen_johansen::CauseIncidence;
    use crate::math::{exp, ln};
    use crate::ConfType;

    const Z95: f64 = 1.959_963_984_540_054;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs().max(1e-300))
    }

    /// By hand at p = 0.25, se = 0.05 (s = se/p = 0.2), and R's NA rules at p = 0 and 1.
    #[test]
    fn limits_by_hand_and_where_r_gives_na() {
        let p = [0.25, 0.0, 1.0];
        let se = [0.05, 0.0, 0.0];
        let (lo, up) = cif_limits(&p, &se, ConfType::Log, 0.95);
        assert!(close(lo[0], 0.25 * exp(-Z95 * 0.2)));
        assert!(close(up[0], 0.25 * exp(Z95 * 0.2)));
        assert_eq!((lo[1], up[1]), (None, None));
        assert_eq!((lo[2], up[2]), (Some(1.0), Some(1.0)));
        let (lo, up) = cif_limits(&p, &se, ConfType::LogLog, 0.95);
        let (cll, half) = (ln(-ln(0.25)), Z95 * 0.2 / ln(0.25));
        assert!(close(lo[0], exp(-exp(cll - half))));
        assert!(close(up[0], exp(-exp(cll + half))));
        assert_eq!((lo[1], up[1], lo[2], up[2]), (None, None, None, None));
        let (lo, up) = cif_limits(&p, &se, ConfType::Plain, 0.95);
        assert!(close(lo[0], 0.25 - Z95 * 0.05));
        assert!(close(up[0], 0.25 + Z95 * 0.05));
        assert_eq!((lo[1], up[1]), (Some(0.0), Some(0.0)));
    }

    /// summary(fit, times): 0 before the first time, the last time ≤ t inside, flagged
    /// and empty past the last time; times sorted, non-finite dropped.
    #[test]
    fn values_at_times() {
        let cause = CauseIncidence {
            n_event: vec![1.0, 0.0, 1.0],
            estimate: vec![0.1, 0.1, 0.3],
            std_err: vec![0.01, 0.01, 0.02],
        };
        let time = [2.0, 4.0, 6.0];
        let (lo, up) = cif_limits(&cause.estimate, &cause.std_err, ConfType::Log, 0.95);
        let at = incidence_at(&time, &cause, &lo, &up, &[7.0, 1.0, f64::NAN, 5.0, 6.0]);
        let times: Vec<f64> = at.iter().map(|a| a.time).collect();
        assert_eq!(times, vec![1.0, 5.0, 6.0, 7.0]);
        assert_eq!((at[0].estimate, at[0].std_err), (Some(0.0), Some(0.0)));
        assert_eq!((at[0].lower, at[0].upper), (Some(0.0), Some(0.0)));
        assert_eq!(
            (at[1].estimate, at[1].std_err, at[1].lower),
            (Some(0.1), Some(0.01), lo[1])
        );
        assert_eq!(
            (at[2].estimate, at[2].upper, at[2].beyond_follow_up),
            (Some(0.3), up[2], false)
        );
        assert!(at[3].beyond_follow_up && at[3].estimate.is_none() && at[3].upper.is_none());
        assert!(incidence_at(&[], &cause, &lo, &up, &[1.0]).is_empty());
    }
}
