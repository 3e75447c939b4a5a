//! Descriptive statistics of one numeric sample: n, mean, SD, quartiles, range.
//!
//! Undefined values are `None` (JSON `null`), as R gives `NA`: every summary of an
//! empty sample, and the SD of fewer than two values.

/// Summary of one sample, as a baseline table shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericSummary {
    /// Number of values.
    pub n: usize,
    pub mean: Option<f64>,
    /// Sample standard deviation (denominator n − 1); `None` for n < 2.
    pub sd: Option<f64>,
    pub median: Option<f64>,
    /// First and third quartiles, R's `quantile(type = 7)`.
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl NumericSummary {
    /// Summarise `x` (finite values; order does not matter).
    ///
    /// # R equivalent
    /// `c(length(x), mean(x), sd(x), quantile(x, c(0.5, 0.25, 0.75), type = 7), min(x), max(x))`
    pub fn of(x: &[f64]) -> NumericSummary {
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        NumericSummary {
            n: x.len(),
            mean: mean(x),
            sd: variance(x).map(f64::sqrt),
            median: quantile_sorted(&sorted, 0.5),
            q1: quantile_sorted(&sorted, 0.25),
            q3: quantile_sorted(&sorted, 0.75),
            min: sorted.first().copied(),
            max: sorted.last().copied(),
        }
    }
}

/// Arithmetic mean; `None` for an empty sample.
///
/// # Formula
/// m = Σx / n, then refined once by m + Σ(x − m) / n (the second pass R's `mean` also
/// makes), which removes most of the rounding of the first sum.
///
/// # R equivalent
/// `mean(x)`
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let correction = x.iter().map(|v| v - m).sum::<f64>() / n;
    Some(m + correction)
}

/// Sample variance with denominator n − 1; `None` for fewer than two values.
///
/// # Formula
/// Σ(x − m)² / (n − 1) about the two-pass mean m (numerically stable).
///
/// # R equivalent
/// `var(x)`
pub fn variance(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let m = mean(x)?;
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    Some(ss / (x.len() as f64 - 1.0))
}

/// The sample quantile of R's default type 7 for a sorted sample; `None` when empty.
///
/// # Formula
/// h = 1 + (n − 1)p; with lo = ⌊h⌋, hi = ⌈h⌉: Q = (1 − (h − lo))·x₍lo₎ + (h − lo)·x₍hi₎,
/// written exactly as `quantile.default` computes it (and x₍lo₎ itself when
/// x₍hi₎ = x₍lo₎), so the result has R's bits.
///
/// # References
/// Hyndman & Fan (1996), *Sample quantiles in statistical packages*, definition 7.
///
/// # R equivalent
/// `quantile(x, p, type = 7, names = FALSE)`
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let index = 1.0 + (n as f64 - 1.0) * p;
    let lo = index.floor();
    let hi = index.ceil();
    let x_lo = *sorted.get(lo as usize - 1)?;
    let x_hi = *sorted.get(hi as usize - 1)?;
    if index > lo && x_hi != x_lo {
        let h = index - lo;
        Some((1.0 - h) * x_lo + h * x_hi)
    } else {
        Some(x_lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_summary() {
        // x = 1..=10 shuffled: mean 5.5, var = 110/12, quartiles (type 7) 3.25, 7.75.
        let x = [4.0, 9.0, 1.0, 10.0, 3.0, 7.0, 2.0, 8.0, 6.0, 5.0];
        let s = NumericSummary::of(&x);
        assert_eq!(s.n, 10);
        assert_eq!(s.mean, Some(5.5));
        assert!((s.sd.unwrap_or(0.0) - (110.0f64 / 12.0).sqrt()).abs() < 1e-15);
        assert_eq!(s.median, Some(5.5));
        assert_eq!(s.q1, Some(3.25));
        assert_eq!(s.q3, Some(7.75));
        assert_eq!((s.min, s.max), (Some(1.0), Some(10.0)));
    }

    #[test]
    fn small_samples_give_none_like_r_na() {
        let empty = NumericSummary::of(&[]);
        assert_eq!(empty.n, 0);
        assert!(empty.mean.is_none() && empty.sd.is_none() && empty.median.is_none());
        assert!(empty.min.is_none() && empty.max.is_none());
        let one = NumericSummary::of(&[3.5]);
        assert_eq!(one.mean, Some(3.5));
        assert_eq!(one.sd, None);
        assert_eq!(
            (one.q1, one.median, one.q3),
            (Some(3.5), Some(3.5), Some(3.5))
        );
        let constant = NumericSummary::of(&[2.0, 2.0, 2.0]);
        assert_eq!(constant.sd, Some(0.0));
    }

    #[test]
    fn quantile_type_7_matches_r() {
        // quantile(c(1, 3, 4, 10), c(0.25, 0.5, 0.75)) = 2.5, 3.5, 5.5
        let x = [1.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&x, 0.25), Some(2.5));
        assert_eq!(quantile_sorted(&x, 0.5), Some(3.5));
        assert_eq!(quantile_sorted(&x, 0.75), Some(5.5));
        assert_eq!(quantile_sorted(&x, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&x, 1.0), Some(10.0));
    }
}
