//! Axis ticks of every figure: time-axis steps a reader expects for the unit (months:
//! 3, 6, 12, 24 ...), the power of ten the 1-2-5 steps of the other axes start from
//! ([`magnitude`]: `figure::nice_axis`, `panel::linear_ticks`), and the one tick label.

/// Tick step and axis end for follow-up up to `max_t`, with at most `max_intervals`
/// (clamped to 3–10) intervals between ticks unless the caller fixed the step: a narrow
/// figure (a phone) gets fewer, wider-spaced ticks so that their labels and the at-risk
/// counts under them do not run into each other.
pub fn time_ticks(
    max_t: f64,
    unit: Option<&str>,
    step: Option<f64>,
    max_intervals: f64,
) -> (f64, f64) {
    let max_t = if max_t.is_finite() && max_t > 0.0 {
        max_t
    } else {
        1.0
    };
    let step = match step {
        Some(s) if s > 0.0 && max_t / s <= 60.0 => s,
        _ => choose_step(max_t, unit, max_intervals.clamp(3.0, 10.0)),
    };
    let end = (max_t / step - 1e-9).ceil().max(1.0) * step;
    (step, end)
}

fn choose_step(max_t: f64, unit: Option<&str>, max_intervals: f64) -> f64 {
    let candidates: &[f64] = match unit {
        Some("days") => &[1.0, 2.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0],
        Some("weeks") => &[1.0, 2.0, 4.0, 8.0, 13.0, 26.0, 52.0, 104.0],
        Some("years") => &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0],
        _ => &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0],
    };
    for &c in candidates {
        if max_t / c <= max_intervals {
            return c;
        }
    }
    // Beyond the unit's list: 1, 2, 5 × 10^k.
    let raw = max_t / max_intervals;
    let mag = magnitude(raw);
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| max_t / s <= max_intervals)
        .unwrap_or(mag * 10.0)
}

/// The ticks 0, step, ..., end.
pub fn tick_values(step: f64, end: f64) -> Vec<f64> {
    let n = (end / step).round() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// The power of ten at or below `raw` (> 0): 0.37 → 0.1, 12 → 10, 100 → 100.
pub fn magnitude(raw: f64) -> f64 {
    let mut mag = 1.0;
    while mag * 10.0 <= raw {
        mag *= 10.0;
    }
    while mag > raw && mag > 1e-9 {
        mag /= 10.0;
    }
    mag
}

/// A tick label without trailing zeros, at most 3 decimals (0.1, 0.25, 1, 24).
pub fn tick_label(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_magnitudes() {
        assert_eq!(tick_label(24.0), "24");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(0.1 + 0.2), "0.3");
        assert_eq!(tick_label(-0.0001), "0");
        assert_eq!(magnitude(0.37), 0.1);
        assert_eq!(magnitude(12.0), 10.0);
        assert_eq!(magnitude(100.0), 100.0);
    }

    #[test]
    fn month_ticks() {
        assert_eq!(time_ticks(200.0, Some("months"), None, 10.0), (24.0, 216.0));
        assert_eq!(time_ticks(118.0, None, None, 10.0), (12.0, 120.0));
        assert_eq!(time_ticks(60.0, None, None, 10.0), (6.0, 60.0));
        assert_eq!(
            time_ticks(1500.0, Some("days"), None, 10.0),
            (180.0, 1620.0)
        );
        assert_eq!(
            time_ticks(4000.0, Some("days"), None, 10.0),
            (730.0, 4380.0)
        );
        assert_eq!(time_ticks(5000.0, None, None, 10.0), (500.0, 5000.0));
        assert_eq!(time_ticks(0.8, Some("years"), None, 10.0), (0.25, 1.0));
    }

    #[test]
    fn fewer_ticks_on_a_narrow_figure() {
        // 200 months in at most 6 intervals: 24 gives 9 > 6, 36 gives 5.6 -> 36, axis to 216.
        assert_eq!(time_ticks(200.0, Some("months"), None, 6.0), (36.0, 216.0));
        // A fixed step is kept.
        assert_eq!(
            time_ticks(200.0, Some("months"), Some(12.0), 4.0),
            (12.0, 204.0)
        );
        // Never fewer than 3 intervals: 1500 days with "1" asks for 3 -> 730 (2.05 intervals).
        assert_eq!(time_ticks(1500.0, Some("days"), None, 1.0), (730.0, 2190.0));
    }
}
