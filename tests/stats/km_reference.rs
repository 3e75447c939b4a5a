//! Kaplan–Meier, confidence limits, median, quantiles, summary(times) and RMST against
//! R 4.2.2 / survival 3.5-3. The expected numbers (tests/km_reference/data.rs) were written
//! by tests/km_reference/make.R; each case carries the survfit call above it.

use survlens::stats::km::{
    confidence_limits, kaplan_meier, median, quantile, quantiles, survival_at, KmCurve,
};
use survlens::stats::rmst::restricted_mean;
use survlens::stats::ConfType;

#[allow(clippy::excessive_precision)] // R prints 17 significant digits
#[rustfmt::skip]
#[path = "../km_reference/data.rs"]
mod data;

/// Relative tolerance for hand cases (same algorithm as R, so rounding-level agreement).
const REL_TOL: f64 = 1e-9;
/// Absolute tolerance near zero.
const ABS_TOL: f64 = 1e-12;

pub struct KmRef {
    pub time: &'static [f64],
    pub n_risk: &'static [f64],
    pub n_event: &'static [f64],
    pub n_censor: &'static [f64],
    pub surv: &'static [f64],
    pub std_err: &'static [f64],
}

pub struct AtRef {
    pub time: f64,
    pub n_risk: f64,
    pub surv: f64,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

pub struct CiRef {
    pub conf_type: ConfType,
    pub level: f64,
    pub std_err: &'static [Option<f64>],
    pub lower: &'static [Option<f64>],
    pub upper: &'static [Option<f64>],
    /// print(fit): median, LCL, UCL.
    pub median: [Option<f64>; 3],
    /// quantile(fit, c(.25, .5, .75)): [estimate, lower, upper] per probability.
    pub quantiles: [[Option<f64>; 3]; 3],
    pub at: &'static [AtRef],
}

pub struct Case {
    pub name: &'static str,
    pub time: &'static [f64],
    pub status: &'static [bool],
    pub weight: Option<&'static [f64]>,
    pub km: KmRef,
    pub ci: Vec<CiRef>,
    /// (tau, rmean, se(rmean)) from print(fit, rmean = tau).
    pub rmst: &'static [(f64, f64, f64)],
}

fn close(a: f64, b: f64) -> bool {
    if a == b {
        return true; // also +inf == +inf
    }
    (a - b).abs() <= ABS_TOL.max(REL_TOL * b.abs())
}

fn check(what: &str, got: f64, want: f64) {
    assert!(close(got, want), "{what}: got {got:e}, R {want:e}");
}

fn check_opt(what: &str, got: Option<f64>, want: Option<f64>) {
    match (got, want) {
        (Some(g), Some(w)) => check(what, g, w),
        (None, None) => {}
        _ => panic!("{what}: got {got:?}, R {want:?}"),
    }
}

fn check_all(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        check(&format!("{what}[{i}]"), g, w);
    }
}

fn check_all_opt(what: &str, got: &[Option<f64>], want: &[Option<f64>]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        check_opt(&format!("{what}[{i}]"), g, w);
    }
}

fn fit(case: &Case) -> KmCurve {
    kaplan_meier(case.time, case.status, case.weight)
}

fn check_curve(case: &Case) {
    let c = fit(case);
    let n = case.name;
    check_all(&format!("{n} time"), &c.time, case.km.time);
    check_all(&format!("{n} n_risk"), &c.n_risk, case.km.n_risk);
    check_all(&format!("{n} n_event"), &c.n_event, case.km.n_event);
    check_all(&format!("{n} n_censor"), &c.n_censor, case.km.n_censor);
    check_all(&format!("{n} surv"), &c.surv, case.km.surv);
    check_all(&format!("{n} se_log_surv"), &c.se_log_surv, case.km.std_err);
}

fn check_ci(case: &Case) {
    let c = fit(case);
    for ci in &case.ci {
        let tag = format!("{} {:?} {}", case.name, ci.conf_type, ci.level);
        let lim = confidence_limits(&c, ci.conf_type, ci.level);
        check_all_opt(&format!("{tag} std_err"), &lim.std_err, ci.std_err);
        check_all_opt(&format!("{tag} lower"), &lim.lower, ci.lower);
        check_all_opt(&format!("{tag} upper"), &lim.upper, ci.upper);

        let m = median(&c, &lim);
        check_opt(&format!("{tag} median"), m.estimate, ci.median[0]);
        check_opt(&format!("{tag} median LCL"), m.lower, ci.median[1]);
        check_opt(&format!("{tag} median UCL"), m.upper, ci.median[2]);

        let qs = quantiles(&c, &lim, &[0.25, 0.5, 0.75]);
        for (k, (q, want)) in qs.iter().zip(&ci.quantiles).enumerate() {
            let qt = format!("{tag} quantile #{k}");
            check_opt(&format!("{qt} estimate"), q.estimate, want[0]);
            check_opt(&format!("{qt} lower"), q.lower, want[1]);
            check_opt(&format!("{qt} upper"), q.upper, want[2]);
        }

        let times: Vec<f64> = ci.at.iter().map(|a| a.time).collect();
        let at = survival_at(&c, &lim, &times);
        assert_eq!(at.len(), ci.at.len(), "{tag} at_times length");
        for (g, w) in at.iter().zip(ci.at) {
            let at_tag = format!("{tag} at {}", w.time);
            check(&format!("{at_tag} time"), g.time, w.time);
            check(&format!("{at_tag} n_risk"), g.n_risk, w.n_risk);
            check(&format!("{at_tag} surv"), g.surv, w.surv);
            check_opt(&format!("{at_tag} std_err"), g.std_err, w.std_err);
            check_opt(&format!("{at_tag} lower"), g.lower, w.lower);
            check_opt(&format!("{at_tag} upper"), g.upper, w.upper);
        }
    }
}

fn check_rmst(case: &Case) {
    let c = fit(case);
    for &(tau, est, se) in case.rmst {
        let r = restricted_mean(&c, tau);
        check(&format!("{} rmst({tau}) tau", case.name), r.tau, tau);
        check(&format!("{} rmst({tau})", case.name), r.estimate, est);
        check(&format!("{} se rmst({tau})", case.name), r.se, se);
    }
}

fn run(case: Case) {
    check_curve(&case);
    check_ci(&case);
    check_rmst(&case);
}

#[test]
fn aml_pooled_tied_event_and_censor() {
    run(data::aml_pooled());
}

#[test]
fn curve_ending_at_zero() {
    run(data::aml_nonmaintained_ends_at_zero());
}

#[test]
fn integer_weights() {
    run(data::aml_integer_weights());
}

#[test]
fn fractional_and_zero_weights_greenwood() {
    run(data::aml_fractional_weights());
}

#[test]
fn median_not_reached() {
    run(data::median_not_reached());
}

#[test]
fn flat_at_half_interior() {
    run(data::flat_half_interior());
}

#[test]
fn flat_at_half_at_the_end_print_vs_quantile() {
    let case = data::flat_half_at_end();
    let c = fit(&case);
    let lim = confidence_limits(&c, ConfType::Log, 0.95);
    // print(fit) median 2, quantile(fit, 0.5) 3 (METHODS §2)
    assert_eq!(median(&c, &lim).estimate, Some(2.0));
    assert_eq!(quantile(&c, &lim, 0.5).estimate, Some(3.0));
    run(case);
}

#[test]
fn one_to_hundred_median_is_50_5() {
    let case = data::one_to_hundred();
    let c = fit(&case);
    let lim = confidence_limits(&c, ConfType::Log, 0.95);
    assert_eq!(median(&c, &lim).estimate, Some(50.5));
    run(case);
}

#[test]
fn ties_of_events_and_censorings() {
    run(data::ties_event_censor());
}

#[test]
fn zero_weight_event_row_makes_no_step() {
    let case = data::zero_weight_event_row();
    let c = fit(&case);
    assert_eq!(c.surv[0], c.surv[1]); // time 2: events weigh 0
    run(case);
}

#[test]
fn censored_before_first_event_loglog_rows_are_none() {
    let case = data::censored_before_first_event();
    let c = fit(&case);
    let lim = confidence_limits(&c, ConfType::LogLog, 0.95);
    assert_eq!((lim.lower[0], lim.upper[0]), (None, None)); // real S = 1 row: NA
    let at = survival_at(&c, &lim, &[0.0, 1.0]);
    assert_eq!((at[0].lower, at[0].upper), (Some(1.0), Some(1.0))); // survfit0 row
    assert_eq!((at[1].lower, at[1].upper), (None, None));
    run(case);
}

#[test]
fn event_at_time_zero_has_no_inserted_row() {
    run(data::event_at_time_zero());
}

/// A curve with given survival values (times 1, 2, …) and a given lower curve.
fn synthetic(surv: &[f64], lower: &[Option<f64>]) -> (KmCurve, survlens::stats::km::KmLimits) {
    let n = surv.len();
    let curve = KmCurve {
        time: (1..=n).map(|t| t as f64).collect(),
        n_risk: vec![1.0; n],
        n_event: vec![0.0; n],
        n_censor: vec![0.0; n],
        surv: surv.to_vec(),
        se_log_surv: vec![0.0; n],
    };
    let limits = survlens::stats::km::KmLimits {
        std_err: vec![Some(0.0); n],
        lower: lower.to_vec(),
        upper: surv.iter().map(|&s| Some(s)).collect(),
    };
    (curve, limits)
}

#[test]
fn quantile_rule_depends_on_min_probability_like_findq() {
    // tol <- sqrt(.Machine$double.eps)
    // survival:::findq(c(0,1,2,3), c(0,.3,.5-1e-10,.5-1e-10), 0.5, tol)          # NA
    // survival:::findq(c(0,1,2,3), c(0,.3,.5-1e-10,.5-1e-10), c(0.25,0.5), tol)  # 1.0 2.5
    let s = [0.7, 0.5 + 1e-10, 0.5 + 1e-10];
    let (c, lim) = synthetic(&s, &[Some(0.7), Some(0.5 + 1e-10), Some(0.5 + 1e-10)]);
    assert_eq!(quantile(&c, &lim, 0.5).estimate, None);
    let q = quantiles(&c, &lim, &[0.25, 0.5]);
    assert_eq!((q[0].estimate, q[1].estimate), (Some(1.0), Some(2.5)));
}

#[test]
fn quantile_of_a_curve_with_missing_values_like_findq() {
    // survival:::findq(c(0,1,2,3,4), c(0,.3,NA,.6,NA), 0.5, tol)   # 3
    let (c, lim) = synthetic(&[0.7, 0.5, 0.4, 0.3], &[Some(0.7), None, Some(0.4), None]);
    assert_eq!(quantile(&c, &lim, 0.5).lower, Some(3.0));
    // survival:::findq(c(0,1,2,3,4), c(0,NA,.3,.6,NA), 0.6, tol)   # 3.5: the second NA
    // is a duplicate, so the last kept value .6 triggers the "ends on a flat" rule.
    let (c, lim) = synthetic(&[0.7, 0.5, 0.4, 0.3], &[None, Some(0.7), Some(0.4), None]);
    assert_eq!(quantile(&c, &lim, 0.6).lower, Some(3.5));
}
