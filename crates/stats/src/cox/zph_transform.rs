//! The time transform g(t) of the PH test (`cox.zph(transform = )`), for right-censored
//! and counting-process (start, stop] rows alike.
//!
//! # Formula
//! t is the exit (stop) time of each row. `km`: 1 − Ŝ(t−), Ŝ the Kaplan–Meier curve of
//! all rows pooled (strata ignored) and unweighted, left-continuous (the value just
//! before t); with (start, stop] rows its risk set at s is #{start < s ≤ stop}, so
//! Ŝ(t−) = Π_{s < t} (1 − d(s)/n(s)). `rank`: the rank of t among all rows' exits, ties
//! averaged. `identity`: t.
//!
//! # R equivalent
//! The `ttimes` of `cox.zph` (survival 3.5-3, R/cox.zph.R): `rank(times)`, `times`, or
//! `1 - c(1, km$surv)[findInterval(times, km$time, left.open = TRUE) + 1]` with
//! `km <- survfitKM(factor(rep(1L, n)), y, se.fit = FALSE)` (`y` the fit's `Surv`, two or
//! three columns).

/// Time transform g(t) (`cox.zph(transform = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZphTransform {
    /// 1 − Kaplan–Meier (pooled, unweighted, left-continuous): R's default `"km"`.
    #[default]
    Km,
    /// Rank of the time among all rows (`"rank"`).
    Rank,
    /// The time itself (`"identity"`).
    Identity,
}

/// g(t) of every row: `time` the exits, `event` the event flags, `entry` the starts of
/// (start, stop] rows (`None`: right-censored, every row at risk from time zero).
pub(super) fn transform_times(
    time: &[f64],
    event: &[bool],
    entry: Option<&[f64]>,
    transform: ZphTransform,
) -> Vec<f64> {
    if transform == ZphTransform::Identity {
        return time.to_vec();
    }
    let n = time.len();
    let order = crate::order::time_order(time, None);
    let mut out = vec![0.0; n];
    // Entries sorted, to count #{start < t} by bisection (all n without entry).
    let starts: Option<Vec<f64>> = entry.map(|e| {
        let mut s = e.to_vec();
        s.sort_unstable_by(f64::total_cmp);
        s
    });
    let entered_before = |t: f64| starts.as_ref().map_or(n, |s| s.partition_point(|&v| v < t));
    let mut surv = 1.0; // Ŝ just before the current time
    let mut g = 0;
    while g < n {
        let t = time[order[g]];
        let mut h = g + 1;
        while h < n && time[order[h]] == t {
            h += 1;
        }
        let tie = &order[g..h];
        match transform {
            ZphTransform::Rank => {
                let avg = (g + 1 + h) as f64 / 2.0;
                tie.iter().for_each(|&i| out[i] = avg);
            }
            _ => {
                tie.iter().for_each(|&i| out[i] = 1.0 - surv);
                let deaths = tie.iter().filter(|&&i| event[i]).count();
                if deaths > 0 {
                    // At risk: exit ≥ t (rows g.. of the sort) and entry < t.
                    let at_risk = entered_before(t).saturating_sub(g) as f64;
                    surv *= (at_risk - deaths as f64) / at_risk;
                }
            }
        }
        g = h;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{transform_times, ZphTransform};

    /// Hand check of the counting-process KM: rows (0, 2], (1, 3]†, (2.5, 4]†, (0, 5]†.
    /// At 3: at risk (1,3], (2.5,4], (0,5] → 3, Ŝ = 2/3; at 4: (2.5,4], (0,5] → 2,
    /// Ŝ = 1/3; at 5: 1 at risk, Ŝ = 0. g = 1 − Ŝ(t−).
    #[test]
    fn km_with_entry_by_hand() {
        let time = [2.0, 3.0, 4.0, 5.0];
        let event = [false, true, true, true];
        let entry = [0.0, 1.0, 2.5, 0.0];
        let g = transform_times(&time, &event, Some(&entry), ZphTransform::Km);
        let want = [0.0, 0.0, 1.0 - 2.0 / 3.0, 1.0 - 1.0 / 3.0];
        for (a, b) in g.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{g:?}");
        }
        // All entries at 0 give the right-censored curve.
        let zero = [0.0; 4];
        assert_eq!(
            transform_times(&time, &event, Some(&zero), ZphTransform::Km),
            transform_times(&time, &event, None, ZphTransform::Km)
        );
    }

    #[test]
    fn rank_averages_ties() {
        let g = transform_times(&[3.0, 1.0, 3.0, 2.0], &[true; 4], None, ZphTransform::Rank);
        assert_eq!(g, vec![3.5, 1.0, 3.5, 2.0]);
    }
}
