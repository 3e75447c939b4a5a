//! Ŝ(t), its SE and limits at requested times, as `summary(fit, times, extend = TRUE)`.

use super::{KmCurve, KmLimits};

/// One requested time of [`survival_at`].
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalAt {
    /// The requested time.
    pub time: f64,
    /// Weighted number at risk at the first stored time ≥ `time`; 0 past the last time.
    pub n_risk: f64,
    /// Ŝ at the last stored time ≤ `time` (1 before the first time).
    pub surv: f64,
    /// SE of Ŝ; `None` where Ŝ = 0.
    pub std_err: Option<f64>,
    /// Lower confidence limit (see [`KmLimits`]).
    pub lower: Option<f64>,
    /// Upper confidence limit (see [`KmLimits`]).
    pub upper: Option<f64>,
    /// `time` is later than the curve's last observed time (event or censoring): R's
    /// `summary(fit, times)` without `extend` leaves such a time out; the values above
    /// are those of `extend = TRUE`.
    pub beyond_follow_up: bool,
}

/// Survival and its limits at each requested time (R sorts them; non-finite are dropped;
/// repeats are kept).
///
/// # Formula
/// As `summary.survfit` after `survfit0`: a row is prepended at t₀ = min(0, t_1) unless
/// t_1 = t₀, with Ŝ = 1, std_err = 0, lower = upper = 1 (**for every conf type, log-log
/// included**) and n_risk copied from the first row. For a requested t:
/// * Ŝ, std_err, lower, upper: the row of the last time ≤ t (the first row if none, i.e.
///   t < t₀); past the last time they carry forward (`extend = TRUE`);
/// * n_risk: n_risk of the first time ≥ t; 0 beyond the last time.
///
/// An empty curve (no rows) gives an empty vector (R's survfit refuses zero rows).
///
/// # References
/// Therneau & Grambsch (2000) §2.1; Klein & Moeschberger (2003) §4.2.
///
/// # R equivalent
/// `summary(survfit(Surv(time, status) ~ 1, conf.type = ...), times = t, extend = TRUE)`
/// → `time`, `n.risk`, `surv`, `std.err`, `lower`, `upper`.
pub fn survival_at(curve: &KmCurve, limits: &KmLimits, times: &[f64]) -> Vec<SurvivalAt> {
    let rows = Extended::new(curve, limits);
    if rows.time.is_empty() {
        return Vec::new();
    }
    let mut wanted: Vec<f64> = times.iter().copied().filter(|t| t.is_finite()).collect();
    wanted.sort_by(f64::total_cmp);
    wanted.iter().map(|&t| rows.at(t)).collect()
}

/// The curve as `survfit0` returns it: possibly one row prepended at the start time.
struct Extended {
    time: Vec<f64>,
    n_risk: Vec<f64>,
    surv: Vec<f64>,
    std_err: Vec<Option<f64>>,
    lower: Vec<Option<f64>>,
    upper: Vec<Option<f64>>,
}

impl Extended {
    fn new(curve: &KmCurve, limits: &KmLimits) -> Self {
        let n = curve
            .time
            .len()
            .min(curve.surv.len())
            .min(curve.n_risk.len());
        let n = n
            .min(limits.std_err.len())
            .min(limits.lower.len())
            .min(limits.upper.len());
        let mut rows = Extended {
            time: Vec::with_capacity(n + 1),
            n_risk: Vec::with_capacity(n + 1),
            surv: Vec::with_capacity(n + 1),
            std_err: Vec::with_capacity(n + 1),
            lower: Vec::with_capacity(n + 1),
            upper: Vec::with_capacity(n + 1),
        };
        if n == 0 {
            return rows;
        }
        let start = curve.time[0].min(0.0);
        if curve.time[0] != start {
            rows.time.push(start);
            rows.n_risk.push(curve.n_risk[0]);
            rows.surv.push(1.0);
            rows.std_err.push(Some(0.0));
            rows.lower.push(Some(1.0));
            rows.upper.push(Some(1.0));
        }
        rows.time.extend_from_slice(&curve.time[..n]);
        rows.n_risk.extend_from_slice(&curve.n_risk[..n]);
        rows.surv.extend_from_slice(&curve.surv[..n]);
        rows.std_err.extend_from_slice(&limits.std_err[..n]);
        rows.lower.extend_from_slice(&limits.lower[..n]);
        rows.upper.extend_from_slice(&limits.upper[..n]);
        rows
    }

    /// R's `findInterval(t, time)` (rows ≤ t, floored at the first row) and
    /// `1 + findInterval(t, time, left.open = TRUE)` (first row ≥ t) for n.risk.
    fn at(&self, t: f64) -> SurvivalAt {
        let at_or_before = self.time.partition_point(|&x| x <= t);
        let row = at_or_before.max(1) - 1;
        let first_ge = self.time.partition_point(|&x| x < t);
        let last = self.time.last().copied().unwrap_or(f64::NEG_INFINITY);
        SurvivalAt {
            beyond_follow_up: t > last,
            time: t,
            n_risk: self.n_risk.get(first_ge).copied().unwrap_or(0.0),
            surv: self.surv[row],
            std_err: self.std_err[row],
            lower: self.lower[row],
            upper: self.upper[row],
        }
    }
}
