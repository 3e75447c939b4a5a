//! The Kaplan–Meier curves of every group in one backward pass over the time-sorted rows
//! of the whole cohort: no per-group copies, no per-group sort.

use super::{curve_from_rows, kaplan_meier, KmCurve, TimeRow};

/// One group's running sums in the backward pass, and its curve rows (latest first).
#[derive(Default)]
struct GroupAcc {
    at_risk: f64,
    /// The current tie block: its time, weighted events and censorings, event rows.
    t: f64,
    d: f64,
    c: f64,
    e: usize,
    in_block: bool,
    rows: Vec<TimeRow>,
}

/// [`kaplan_meier`] of the rows of each group `0..n_groups`: curve `g` is exactly (to
/// the bit) `kaplan_meier` of the rows with `group[i] == g`, in their order.
///
/// Rows should be sorted by time ascending ([`f64::total_cmp`], as
/// [`crate::order::time_order`]); otherwise each group is computed on its own
/// (same result, slower). Rows whose group is ≥ `n_groups`, and rows beyond the shortest
/// slice, are ignored. Cost O(n + Σ_g rows of curve g).
///
/// # Formula
/// As [`kaplan_meier`]: walking the rows from the latest time back, each group's
/// weighted risk set grows by each of its rows' weight; at the end of a block of equal
/// times (`==`) every group with rows in the block records (t, n, d, c, e). Each group's
/// sums see its rows in the same order as `kaplan_meier` on that group alone, so every
/// rounding is the same.
///
/// # R equivalent
/// `survfit(Surv(time, status) ~ group, weights = w, robust = FALSE)`, one curve per
/// level (`fit[g]`).
pub fn kaplan_meier_by_group(
    time: &[f64],
    event: &[bool],
    weight: Option<&[f64]>,
    group: &[u32],
    n_groups: usize,
) -> Vec<KmCurve> {
    let mut n = time.len().min(event.len()).min(group.len());
    if let Some(w) = weight {
        n = n.min(w.len());
    }
    if time[..n].windows(2).any(|w| w[0].total_cmp(&w[1]).is_gt()) {
        return each_group_alone(&time[..n], event, weight, &group[..n], n_groups);
    }
    let wt = |i: usize| weight.map_or(1.0, |w| w[i]);
    let mut acc: Vec<GroupAcc> = (0..n_groups).map(|_| GroupAcc::default()).collect();
    let mut touched: Vec<usize> = Vec::with_capacity(n_groups);
    let mut k = n;
    while k > 0 {
        let t = time[k - 1];
        while k > 0 && time[k - 1] == t {
            let i = k - 1;
            k -= 1;
            let Some(a) = acc.get_mut(group[i] as usize) else {
                continue;
            };
            if !a.in_block {
                a.in_block = true;
                a.t = time[i];
                touched.push(group[i] as usize);
            }
            // Selects, not branches (the event is unpredictable): adding +0.0 leaves
            // the sums' bits unchanged (they are never −0), so this is kaplan_meier's
            // arithmetic exactly.
            let (w, ev) = (wt(i), event[i]);
            a.at_risk += w;
            a.d += if ev { w } else { 0.0 };
            a.c += if ev { 0.0 } else { w };
            a.e += usize::from(ev);
        }
        for g in touched.drain(..) {
            let a = &mut acc[g];
            a.rows.push((a.t, a.at_risk, a.d, a.c, a.e));
            (a.d, a.c, a.e, a.in_block) = (0.0, 0.0, 0, false);
        }
    }
    acc.into_iter().map(|a| curve_from_rows(a.rows)).collect()
}

/// Unsorted rows: each group's rows gathered and passed to [`kaplan_meier`].
fn each_group_alone(
    time: &[f64],
    event: &[bool],
    weight: Option<&[f64]>,
    group: &[u32],
    n_groups: usize,
) -> Vec<KmCurve> {
    (0..n_groups)
        .map(|g| {
            let idx: Vec<usize> = (0..group.len())
                .filter(|&i| group[i] as usize == g)
                .collect();
            let t: Vec<f64> = idx.iter().map(|&i| time[i]).collect();
            let e: Vec<bool> = idx.iter().map(|&i| event[i]).collect();
            let w: Option<Vec<f64>> = weight.map(|w| idx.iter().map(|&i| w[i]).collect());
            kaplan_meier(&t, &e, w.as_deref())
        })
        .collect()
}
