//! Harrell's concordance of a Cox fit and its infinitesimal-jackknife standard error,
//! in O(n log K): the rows become points on the time axis (K keys: two per distinct
//! time), sorted by linear predictor in expected O(n) (module `points`), then swept in that
//! order with a Fenwick tree over the time axis (module `sweep`); exact integer counts when
//! unweighted. (start, stop] rows add a point at their entry with negative weight.
//!
//! # Formula
//! Within each stratum, over pairs (i, j) with i an event at t_i and j either alive
//! longer (t_j > t_i) or censored at t_i: concordant if η_i > η_j (the earlier event had
//! the higher risk), discordant if η_i < η_j, tied.x if η_i = η_j (exact equality); each
//! pair counts w_i·w_j. Pairs of events at the same time are not comparable. With
//! N = C + D + T: C-index = (C + T/2)/N. For row i let I^C_i, I^D_i, I^T_i be the sums of
//! partner weights over its concordant / discordant / tied.x pairs; with σ = (C − D)/N,
//! g_i = w_i[(I^C_i − I^D_i) − σ(I^C_i + I^D_i + I^T_i)]/N, summed within clusters;
//! var = Σ g²/4.
//!
//! # References
//! Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L. & Rosati, R. A. (1982).
//! Evaluating the yield of medical tests. *JAMA* 247, 2543–2546.
//! Therneau, T. M. & Atkinson, E. (2020). *The concordance statistic* (survival vignette).
//!
//! # R equivalent
//! `concordance(fit)` for a `coxph` fit (`concordancefit(y, fit$linear.predictors,
//! strata, weights, cluster, reverse = TRUE)`, C `concordance3`): `$concordance` and
//! `sqrt($var)`.

mod points;
mod sweep;

use points::Point;
use std::borrow::Cow;
use sweep::{sweep, Axis, Counts, Weight};

/// Concordance counts and estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Concordance {
    /// (C + T/2)/N; NaN when no pair is comparable.
    pub estimate: f64,
    /// Infinitesimal-jackknife standard error.
    pub std_err: f64,
    pub concordant: f64,
    pub discordant: f64,
    pub tied_x: f64,
}

/// Concordance of the risk score `lp` with the outcome.
///
/// `time`, `event`, `lp` per row (any order); `weight`, `stratum`, `cluster` optional.
/// Lengths must agree (shorter optional slices are ignored).
pub fn concordance(
    time: &[f64],
    event: &[bool],
    lp: &[f64],
    weight: Option<&[f64]>,
    stratum: Option<&[u32]>,
    cluster: Option<&[u32]>,
) -> Concordance {
    concordance_impl(None, None, time, event, lp, weight, stratum, cluster)
}

/// [`concordance`] with the rows already sorted: `order` must be the rows by (stratum,
/// time) ascending, stable — [`super::CoxFit::order`] of the fit of the same rows (the
/// sort is then not repeated). An `order` of the wrong length is ignored (rows sorted here).
pub fn concordance_in_order(
    order: &[usize],
    time: &[f64],
    event: &[bool],
    lp: &[f64],
    weight: Option<&[f64]>,
    stratum: Option<&[u32]>,
    cluster: Option<&[u32]>,
) -> Concordance {
    concordance_impl(None, Some(order), time, event, lp, weight, stratum, cluster)
}

/// Concordance on (start, stop] rows: a pair (i, j) is comparable when i has an event at
/// t_i and j is at risk then (start_j < t_i, and stop_j > t_i or j censored at t_i).
///
/// # R equivalent
/// `concordance(fit)` of `coxph(Surv(start, stop, event) ~ ...)` (C `concordance4`).
pub fn concordance_counting(
    start: &[f64],
    time: &[f64],
    event: &[bool],
    lp: &[f64],
    weight: Option<&[f64]>,
    stratum: Option<&[u32]>,
    cluster: Option<&[u32]>,
) -> Concordance {
    concordance_impl(Some(start), None, time, event, lp, weight, stratum, cluster)
}

#[allow(clippy::too_many_arguments)]
fn concordance_impl<'a>(
    entry: Option<&'a [f64]>,
    sorted: Option<&[usize]>,
    time: &'a [f64],
    event: &'a [bool],
    lp: &'a [f64],
    weight: Option<&'a [f64]>,
    stratum: Option<&'a [u32]>,
    cluster: Option<&'a [u32]>,
) -> Concordance {
    let mut n = time.len().min(event.len()).min(lp.len());
    if let Some(e) = entry {
        n = n.min(e.len());
    }
    let s = |i: usize| stratum.filter(|s| s.len() >= n).map_or(0, |s| s[i]);
    let order: std::borrow::Cow<[usize]> = match sorted.filter(|o| o.len() == n) {
        Some(o) => std::borrow::Cow::Borrowed(o),
        None => {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| s(a).cmp(&s(b)).then(time[a].total_cmp(&time[b])));
            std::borrow::Cow::Owned(order)
        }
    };
    // Every input gathered into sort order once (borrowed when the rows already come
    // sorted); the passes then read memory sequentially (row k = sorted position k).
    let sorted = super::sorted::is_identity(&order);
    let pick_f = |v: &'a [f64]| -> Cow<'a, [f64]> {
        if sorted {
            Cow::Borrowed(&v[..n])
        } else {
            Cow::Owned(order.iter().map(|&i| v[i]).collect())
        }
    };
    let pick_u = |v: &'a [u32]| -> Cow<'a, [u32]> {
        if sorted {
            Cow::Borrowed(&v[..n])
        } else {
            Cow::Owned(order.iter().map(|&i| v[i]).collect())
        }
    };
    let gathered = Gathered {
        entry: entry.map(pick_f),
        time: pick_f(time),
        event: if sorted {
            Cow::Borrowed(&event[..n])
        } else {
            Cow::Owned(order.iter().map(|&i| event[i]).collect())
        },
        lp: pick_f(lp),
        weight: weight.filter(|w| w.len() >= n).map(pick_f),
        stratum: stratum.filter(|s| s.len() >= n).map(pick_u),
        cluster: cluster.filter(|c| c.len() >= n).map(pick_u),
    };
    drop(order);
    sorted_concordance(&gathered)
}

/// The rows in (stratum, time) order.
struct Gathered<'a> {
    entry: Option<Cow<'a, [f64]>>,
    time: Cow<'a, [f64]>,
    event: Cow<'a, [bool]>,
    lp: Cow<'a, [f64]>,
    weight: Option<Cow<'a, [f64]>>,
    stratum: Option<Cow<'a, [u32]>>,
    cluster: Option<Cow<'a, [u32]>>,
}

/// The counts and the IJ variance over rows already in (stratum, time) order: exact
/// integer counts when unweighted.
fn sorted_concordance(g: &Gathered) -> Concordance {
    match g.weight.as_deref() {
        Some(w) => counted(g, &|i| w.get(i).copied().unwrap_or(0.0)),
        None => counted(g, &|_| 1i64),
    }
}

/// One stratum's points, sorted and swept.
struct Swept<W> {
    /// The stratum's points in `points`.
    range: std::ops::Range<usize>,
    axis: Axis<W>,
}

/// [`sorted_concordance`] with weights of type `W`.
fn counted<W: Weight>(g: &Gathered, weight: &impl Fn(usize) -> W) -> Concordance {
    let n = g.time.len();
    let per_row = if g.entry.is_some() { 2 } else { 1 };
    let mut points = vec![Point::default(); per_row * n];
    let mut strata: Vec<Swept<W>> = Vec::new();
    let mut counts = Counts::<W>::default();
    let mut first = 0;
    while first < n {
        let s = |i: usize| g.stratum.as_deref().map_or(0, |s| s[i]);
        let end = first + (first..n).take_while(|&i| s(i) == s(first)).count();
        let range = per_row * first..per_row * end;
        let Some(out) = points.get_mut(range.clone()) else {
            break;
        };
        let axis = stratum_points(g, first..end, out);
        let axis = Axis::new(out, 2 * axis.len(), weight);
        let c = sweep(out, &axis, weight);
        counts.concordant += c.concordant;
        counts.discordant += c.discordant;
        counts.tied += c.tied;
        strata.push(Swept { range, axis });
        first = end;
    }
    let (c, d, t) = (
        counts.concordant.to_f64(),
        counts.discordant.to_f64(),
        counts.tied.to_f64(),
    );
    let npair = c + d + t;
    let sigma = (c - d) / npair;
    // g_i = w_i (a_i − σ b_i)/N: a = ic − id (left in the points' values), b = ic + id + it.
    let influence = |w: f64, a: f64, b: f64| w * (a / npair - sigma / npair * b);
    let mut by_row: Option<(Vec<f64>, Vec<f64>)> =
        (per_row > 1).then(|| (vec![0.0; n], vec![0.0; n]));
    let cluster = g.cluster.as_deref();
    let mut by_cluster: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
    let mut var = 0.0;
    let mut add = |row: usize, gi: f64| match cluster.and_then(|c| c.get(row)) {
        Some(&cl) => *by_cluster.entry(cl).or_insert(0.0) += gi,
        None => var += gi * gi,
    };
    for st in &strata {
        for p in points.get(st.range.clone()).unwrap_or(&[]) {
            let b = st.axis.partners(p).to_f64();
            match by_row.as_mut() {
                Some((ra, rb)) => {
                    if let (Some(a), Some(bb)) = (ra.get_mut(p.row()), rb.get_mut(p.row())) {
                        *a += p.value;
                        *bb += b;
                    }
                }
                None => add(p.row(), influence(weight(p.row()).to_f64(), p.value, b)),
            }
        }
    }
    if let Some((ra, rb)) = by_row {
        for (row, (&a, &b)) in ra.iter().zip(&rb).enumerate() {
            add(row, influence(weight(row).to_f64(), a, b));
        }
    }
    var += by_cluster.values().map(|g| g * g).sum::<f64>();
    Concordance {
        estimate: (c + t / 2.0) / npair,
        std_err: (var / 4.0).sqrt(),
        concordant: c,
        discordant: d,
        tied_x: t,
    }
}

/// Writes the points of the stratum's rows `rows` into `out`, sorted by score; the
/// stratum's time axis.
fn stratum_points(g: &Gathered, rows: std::ops::Range<usize>, out: &mut [Point]) -> Vec<f64> {
    let first = rows.start;
    let stop = g.time.get(rows.clone()).unwrap_or(&[]);
    let event = g.event.get(rows.clone()).unwrap_or(&[]);
    let lp = g.lp.get(rows.clone()).unwrap_or(&[]);
    let start = g.entry.as_deref().and_then(|e| e.get(rows.clone()));
    let axis = points::axis(stop, start);
    let (lo, hi) = lp
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let stops = points::stop_points(&axis, first, stop, event, lp);
    match start {
        Some(s) => {
            let starts = points::start_points(&axis, first, s, lp);
            points::sort_points(out, lp, 2, stops.chain(starts), (lo, hi));
        }
        None => points::sort_points(out, lp, 1, stops, (lo, hi)),
    }
    axis
}
