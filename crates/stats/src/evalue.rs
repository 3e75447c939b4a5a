//! E-values for unmeasured confounding (VanderWeele & Ding 2017) of hazard ratios.
//!
//! # Formula
//! RR = HR for a rare outcome; for a common one (VanderWeele 2017's approximation)
//! RR = (1 − 0.5^√HR)/(1 − 0.5^√(1/HR)). For RR < 1 use 1/RR. E = RR + √(RR(RR − 1)).
//! The E-value of the CI transforms the limit nearer 1 the same way, and is 1 when the
//! interval contains 1.
//!
//! # References
//! * VanderWeele, T. J. & Ding, P. (2017). Sensitivity analysis in observational
//!   research: introducing the E-value. *Ann. Intern. Med.* 167, 268–274.
//! * VanderWeele, T. J. (2017). On a square-root transformation of the odds ratio for a
//!   common outcome. *Epidemiology* 28, e58–e60.
//!
//! # R equivalent
//! `EValue::evalues.HR(est, lo, hi, rare = TRUE | FALSE)` (row "E-values"); by hand
//! `rr <- if (rare) hr else (1 - 0.5^sqrt(hr))/(1 - 0.5^sqrt(1/hr)); rr <- max(rr, 1/rr);
//! rr + sqrt(rr * (rr - 1))`.

use crate::math;

/// Risk ratio approximated from a hazard ratio (rare: HR itself).
pub fn hr_to_rr(hr: f64, rare: bool) -> f64 {
    if rare {
        hr
    } else {
        let r = hr.sqrt();
        (1.0 - math::pow(0.5, r)) / (1.0 - math::pow(0.5, 1.0 / r))
    }
}

/// E-value of a risk ratio: RR + √(RR(RR − 1)) after RR ↦ max(RR, 1/RR). `None` unless
/// RR is finite and > 0.
pub fn evalue_rr(rr: f64) -> Option<f64> {
    if !(rr.is_finite() && rr > 0.0) {
        return None;
    }
    let rr = if rr < 1.0 { 1.0 / rr } else { rr };
    Some(rr + (rr * (rr - 1.0)).sqrt())
}

/// E-values (point, CI) of a hazard ratio with its confidence limits.
///
/// The CI's E-value uses the limit nearer 1 (the lower for HR > 1, the upper for
/// HR < 1) and is 1 when the interval contains 1.
pub fn evalue_hr(hr: f64, lower: f64, upper: f64, rare: bool) -> (Option<f64>, Option<f64>) {
    let point = evalue_rr(hr_to_rr(hr, rare));
    let ci = if !(lower.is_finite() && upper.is_finite()) {
        None
    } else if lower <= 1.0 && upper >= 1.0 {
        Some(1.0)
    } else {
        let near = if lower > 1.0 { lower } else { upper };
        evalue_rr(hr_to_rr(near, rare))
    };
    (point, ci)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_of_vanderweele_and_ding() {
        // RR 3.9 (95% CI 1.8–8.7): E-value 7.26, CI 3.00.
        let (e, ci) = evalue_hr(3.9, 1.8, 8.7, true);
        assert!((e.unwrap() - (3.9 + (3.9f64 * 2.9).sqrt())).abs() < 1e-12);
        assert!((ci.unwrap() - 3.0).abs() < 1e-12);
    }

    #[test]
    fn protective_and_null_intervals() {
        let (e, ci) = evalue_hr(1.0 / 3.9, 1.0 / 8.7, 1.0 / 1.8, true);
        assert!((e.unwrap() - (3.9 + (3.9f64 * 2.9).sqrt())).abs() < 1e-12);
        assert!((ci.unwrap() - 3.0).abs() < 1e-12);
        assert_eq!(evalue_hr(0.8, 0.5, 1.2, true).1, Some(1.0));
        assert_eq!(evalue_rr(1.0), Some(1.0));
        assert_eq!(evalue_rr(f64::NAN), None);
    }

    #[test]
    fn common_outcome_transform() {
        // HR 2: RR = (1 − 0.5^√2)/(1 − 0.5^√0.5)
        let rr = hr_to_rr(2.0, false);
        let want = (1.0 - math::pow(0.5, 2f64.sqrt())) / (1.0 - math::pow(0.5, 0.5f64.sqrt()));
        assert!((rr - want).abs() < 1e-14);
        assert!(hr_to_rr(1.0, false) == 1.0);
    }
}
