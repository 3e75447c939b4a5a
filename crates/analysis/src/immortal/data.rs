//! The data of the immortal-time-safe comparisons, built from the cohort: a subset of
//! rows, the landmark data at L, and the (start, stop] split at the treatment time.

use survlens_ingest::Cohort;
use survlens_stats::counting::{timefix_counting, timefix_counting_dropping_empty};
use survlens_stats::surv::timefix;

/// The cohort restricted to `rows` (in that order). Covariate levels and references are
/// kept from the full cohort (each Cox model relevels its own rows:
/// [`crate::complete_cases`]).
pub fn subset(cohort: &Cohort, rows: &[usize]) -> Cohort {
    crate::complete_cases::pick_rows(cohort, rows)
}

/// The landmark data at L and its counts.
pub struct LandmarkData {
    pub cohort: Cohort,
    pub left_out_before: usize,
    /// Per group code: kept patients with u > L moved to the reference group.
    pub reassigned: Vec<usize>,
    /// Labels of groups without any patient at L (left out of the comparisons).
    pub empty: Vec<String>,
}

/// Landmark at L: keep rows with time > L; a kept patient treated after L (u > L) joins
/// the reference group (code 0); times restart at L (entry: max(entry − L, 0)).
///
/// # R equivalent
/// `d <- subset(data, time > L); d$group[d$u > L] <- ref; d$time <- d$time - L`.
pub fn landmark(cohort: &Cohort, u: &[Option<f64>], l: f64) -> LandmarkData {
    let rows: Vec<usize> = (0..cohort.time.len())
        .filter(|&i| cohort.time[i] > l)
        .collect();
    let k = cohort.group_labels.len();
    let mut c = subset(cohort, &rows);
    let mut reassigned = vec![0usize; k];
    for (pos, &i) in rows.iter().enumerate() {
        if u.get(i).copied().flatten().is_some_and(|v| v > l) {
            if let Some(slot) = reassigned.get_mut(cohort.group[i] as usize) {
                *slot += 1;
            }
            c.group[pos] = 0;
        }
    }
    c.time.iter_mut().for_each(|t| *t -= l);
    let tied = restart_entry(&mut c, l);
    let empty = drop_empty_groups(&mut c);
    LandmarkData {
        cohort: c,
        left_out_before: cohort.time.len() - rows.len() + tied,
        reassigned,
        empty,
    }
}

/// Entry times restart at L (max(entry − L, 0)) and the near-tie rule is applied again;
/// with entry, a row whose exit is within rounding of L ((0, 1e-12] after the restart)
/// has no time at risk after L and leaves the landmark data. Returns how many left.
pub(crate) fn restart_entry(c: &mut Cohort, l: f64) -> usize {
    let Some(mut entry) = c.entry.take() else {
        timefix(&mut c.time);
        return 0;
    };
    entry.iter_mut().for_each(|v| *v = (*v - l).max(0.0));
    let mut time = c.time.clone();
    let gone = timefix_counting_dropping_empty(&mut entry, &mut time);
    if !gone.is_empty() {
        let kept: Vec<usize> = (0..c.time.len())
            .filter(|i| gone.binary_search(i).is_err())
            .collect();
        *c = subset(c, &kept);
    }
    c.time = time;
    c.entry = Some(entry);
    gone.len()
}

/// Remove groups without rows from the labels (codes renumbered); returns their labels.
fn drop_empty_groups(c: &mut Cohort) -> Vec<String> {
    let k = c.group_labels.len();
    let mut count = vec![0usize; k];
    for &g in &c.group {
        if let Some(slot) = count.get_mut(g as usize) {
            *slot += 1;
        }
    }
    let empty: Vec<String> = (0..k)
        .filter(|&g| count[g] == 0)
        .map(|g| c.group_labels[g].clone())
        .collect();
    if empty.is_empty() {
        return empty;
    }
    let mut new_code = vec![0u32; k];
    let mut labels = Vec::new();
    for g in 0..k {
        if count[g] > 0 {
            new_code[g] = labels.len() as u32;
            labels.push(c.group_labels[g].clone());
        }
    }
    c.group.iter_mut().for_each(|g| *g = new_code[*g as usize]);
    c.group_labels = labels;
    empty
}

/// After the near-tie rule a piece of a split patient can have length 0 (u within
/// R's tolerance of the entry or of the exit, e.g. u = 1e-300): it has no time at risk
/// and would leave the risk set before entering it. An empty first piece is dropped
/// (treated from entry); an empty last piece too, its event moving to the first piece
/// (treated at the exit = not treated while at risk, as `tmerge`'s `tdc`). A row whose
/// whole interval is empty has no time at risk and is left out of the fit.
pub(crate) fn drop_empty_pieces(
    rows: &mut Vec<usize>,
    start: &mut Vec<f64>,
    stop: &mut Vec<f64>,
    group: &mut Vec<u32>,
    event: &mut Vec<bool>,
) {
    for j in 1..rows.len() {
        if rows[j - 1] == rows[j] && stop[j] <= start[j] {
            event[j - 1] = event[j]; // an empty last piece: its event to the first
        }
    }
    // Empty pieces, and rows whose whole interval is empty (t within the tolerance of
    // the entry, e.g. t = 1e-300 from 0, which R's coxph refuses), leave the fit.
    let keep: Vec<bool> = (0..rows.len()).map(|j| stop[j] > start[j]).collect();
    let mut k = keep.iter();
    rows.retain(|_| k.next().copied().unwrap_or(true));
    for v in [&mut *start, &mut *stop] {
        let mut k = keep.iter();
        v.retain(|_| k.next().copied().unwrap_or(true));
    }
    let mut k = keep.iter();
    group.retain(|_| k.next().copied().unwrap_or(true));
    let mut k = keep.iter();
    event.retain(|_| k.next().copied().unwrap_or(true));
}

/// Split each treated patient with u > 0 (after entry) into (entry, u] in the reference
/// group and (u, t] in their own group; the event stays on the last interval. With
/// `by_patient`, the cluster of every interval is its patient (robust variance by
/// patient) unless the cohort already has a cluster column.
///
/// # R equivalent
/// `tmerge(base, base, id = id, death = event(time, status), tx = tdc(u))` and
/// `coxph(Surv(tstart, tstop, death) ~ tx, ...)`.
pub fn split(cohort: &Cohort, u: &[Option<f64>], by_patient: bool) -> Cohort {
    let n = cohort.time.len();
    let mut rows = Vec::with_capacity(n);
    let mut start = Vec::with_capacity(n);
    let mut stop = Vec::with_capacity(n);
    let mut group = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    for i in 0..n {
        let entry = cohort.entry.as_ref().map_or(0.0, |e| e[i]);
        match u.get(i).copied().flatten() {
            Some(ui) if ui > entry && cohort.group[i] != 0 => {
                rows.extend([i, i]);
                start.extend([entry, ui]);
                stop.extend([ui, cohort.time[i]]);
                group.extend([0, cohort.group[i]]);
                event.extend([false, cohort.event[i]]);
            }
            _ => {
                rows.push(i);
                start.push(entry);
                stop.push(cohort.time[i]);
                group.push(cohort.group[i]);
                event.push(cohort.event[i]);
            }
        }
    }
    timefix_counting(&mut start, &mut stop);
    drop_empty_pieces(&mut rows, &mut start, &mut stop, &mut group, &mut event);
    let mut c = subset(cohort, &rows);
    c.time = stop;
    c.entry = Some(start);
    c.group = group;
    c.event = event;
    // The immortal-time sections are two-state (a competing event censors there).
    c.competing = None;
    if by_patient && cohort.cluster.is_none() {
        c.cluster = Some(rows.iter().map(|&i| i as u32).collect());
    }
    c
}
