//! Kaplan–Meier estimate with Greenwood variance, pointwise confidence limits,
//! survival at chosen times, median and quantiles, as R `survival` 3.5-3.
//!
//! * [`kaplan_meier`]: the curve (`survfit(Surv(time, status) ~ 1, weights = w)`);
//!   [`kaplan_meier_by_group`]: every group's curve in one pass over sorted rows.
//! * [`confidence_limits`]: `std.err` of S and the CI of `survfit(conf.type =, conf.int =)`.
//! * [`survival_at`]: `summary(fit, times = t, extend = TRUE)`, each time flagged when
//!   past the curve's last time (the results report nothing there).
//! * [`median`], [`quantile`], [`quantiles`]: print.survfit's median and `quantile.survfit`.
//!
//! # References
//! * Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
//!   observations. *JASA* 53, 457–481.
//! * Greenwood, M. (1926). The natural duration of cancer. *Reports on Public Health and
//!   Medical Subjects* 33, HMSO.
//! * Klein, J. P. & Moeschberger, M. L. (2003). *Survival Analysis*, 2nd ed., §4.2–4.5.
//! * Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §2.1.

mod at_times;
mod by_group;
mod counting;
mod limits;
mod quantile;
pub mod robust;

pub use at_times::{survival_at, SurvivalAt};
pub use by_group::kaplan_meier_by_group;
pub use counting::kaplan_meier_counting;
pub use limits::{confidence_limits, KmLimits};
pub use quantile::{median, quantile, quantiles, QuantileCi};

/// A Kaplan–Meier curve: one row per distinct observed time (events and censorings).
///
/// All counts are case-weighted sums, as the `n.risk`, `n.event`, `n.censor` of a survfit
/// object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KmCurve {
    /// Distinct observed times, ascending (`fit$time`).
    pub time: Vec<f64>,
    /// Weighted number at risk, Σ w over rows with time ≥ t (`fit$n.risk`).
    pub n_risk: Vec<f64>,
    /// Weighted number of events at t (`fit$n.event`).
    pub n_event: Vec<f64>,
    /// Weighted number censored at t (`fit$n.censor`).
    pub n_censor: Vec<f64>,
    /// Ŝ(t) (`fit$surv`).
    pub surv: Vec<f64>,
    /// Greenwood SE of −log Ŝ(t) (`fit$std.err`, `logse = TRUE`); `+inf` from the first
    /// time with n = d on (where Ŝ = 0).
    pub se_log_surv: Vec<f64>,
}

impl KmCurve {
    /// Number of rows (distinct times).
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// True when the curve has no rows (no observations).
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Total weighted number of events, Σ n_event (print.survfit's "events").
    pub fn events(&self) -> f64 {
        self.n_event.iter().sum()
    }
}

/// Kaplan–Meier estimate of S(t) with the Greenwood variance of log S.
///
/// `time` should be sorted ascending (ties in any order) and already time-fixed
/// ([`crate::surv::timefix`]); unsorted input is sorted here (stably), so the
/// result never depends on row order. `weight` are case weights ≥ 0 (`None` = all 1).
/// Rows beyond the shortest of the slices are ignored. Times are compared with `==`.
///
/// # Formula
/// At each distinct time t_k: n_k = Σ_{t_i ≥ t_k} w_i, d_k = Σ events w_i, e_k = number
/// of event rows. If e_k > 0 and d_k > 0, Ŝ_k = Ŝ_{k−1}·(n_k − d_k)/n_k and
/// G_k = G_{k−1} + d_k / (n_k (n_k − d_k)); otherwise nothing changes (an event row whose
/// weights are all zero makes no step). `se_log_surv` = √G_k (Greenwood 1926), which is
/// `+inf` once n_k = d_k.
///
/// # R equivalent
/// `survfit(Surv(time, status) ~ 1, weights = w, robust = FALSE)` → `time`, `n.risk`,
/// `n.event`, `n.censor`, `surv`, `std.err` (non-integer weights switch R to a robust
/// variance unless `robust = FALSE`; this function is always Greenwood).
pub fn kaplan_meier(time: &[f64], event: &[bool], weight: Option<&[f64]>) -> KmCurve {
    let mut n = time.len().min(event.len());
    if let Some(w) = weight {
        n = n.min(w.len());
    }
    let wt = |i: usize| weight.map_or(1.0, |w| w[i]);
    let order = sorted_order(&time[..n]);
    curve_from_rows(count_rows(&order, time, event, &wt))
}

/// Row indices in ascending time order (identity when already sorted).
fn sorted_order(time: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..time.len()).collect();
    if time.windows(2).any(|w| w[0].total_cmp(&w[1]).is_gt()) {
        idx.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    }
    idx
}

/// One distinct time of a curve: (t, n_risk, n_event, n_censor, e) with e the unweighted
/// number of event rows (which decides whether S steps).
pub(super) type TimeRow = (f64, f64, f64, f64, usize);

/// One backward pass over the rows, as survfitkm.c: the weighted risk set grows by each
/// row's weight, in reverse time order. Returns the rows latest first.
fn count_rows(
    order: &[usize],
    time: &[f64],
    event: &[bool],
    wt: &dyn Fn(usize) -> f64,
) -> Vec<TimeRow> {
    let mut rows: Vec<TimeRow> = Vec::new();
    let mut at_risk = 0.0;
    let mut k = order.len();
    while k > 0 {
        let t = time[order[k - 1]];
        let (mut d, mut c, mut e) = (0.0, 0.0, 0usize);
        while k > 0 && time[order[k - 1]] == t {
            let i = order[k - 1];
            let w = wt(i);
            at_risk += w;
            if event[i] {
                d += w;
                e += 1;
            } else {
                c += w;
            }
            k -= 1;
        }
        rows.push((t, at_risk, d, c, e));
    }
    rows
}

/// The curve from its time rows as the backward passes make them (latest first): the
/// count columns, the product-limit S and the Greenwood SE of log S.
pub(super) fn curve_from_rows(mut rows: Vec<TimeRow>) -> KmCurve {
    rows.reverse();
    let n_risk: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let n_event: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let event_rows: Vec<usize> = rows.iter().map(|r| r.4).collect();
    let (surv, se_log_surv) = greenwood(&n_risk, &n_event, &event_rows);
    KmCurve {
        time: rows.iter().map(|r| r.0).collect(),
        n_risk,
        n_event,
        n_censor: rows.iter().map(|r| r.3).collect(),
        surv,
        se_log_surv,
    }
}

/// The product-limit recursion and the Greenwood sum (SE of log S).
pub(super) fn greenwood(
    n_risk: &[f64],
    n_event: &[f64],
    event_rows: &[usize],
) -> (Vec<f64>, Vec<f64>) {
    let mut km = 1.0;
    let mut var = 0.0;
    let mut surv = Vec::with_capacity(n_risk.len());
    let mut se = Vec::with_capacity(n_risk.len());
    for ((&n, &d), &e) in n_risk.iter().zip(n_event).zip(event_rows) {
        if e > 0 && d > 0.0 {
            km *= (n - d) / n;
            var += d / (n * (n - d));
        }
        surv.push(km);
        se.push(var.sqrt());
    }
    (surv, se)
}
