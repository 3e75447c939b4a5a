//! Binned Kaplan–Meier counts with small counts merged away, and the pooled life table.
//!
//! # Formula
//! Bin k is [k·w, (k+1)·w); a time t falls in the bin with k·w ≤ t < (k+1)·w. Per bin:
//! n_event and n_censor (exits), n_risk = patients with t ≥ k·w. Suppression (min_cell
//! m): going forward, consecutive bins are merged until the merged bin's event count and
//! censor count are each 0 or ≥ m; a last merged bin that falls short is merged into the
//! one before it, and backwards again while the last bin has a count of 1 to m − 1. Every shown non-zero count is then ≥ m, and so is every shown n_risk
//! (the patients at risk at a bin start all exit in a later shown bin). A group whose
//! events or censored patients number 1 to m − 1 in all cannot be shown so: it shows
//! no bins (`suppressed`), and the pooled life table leaves that site out of the group. Edges stay
//! multiples of w, so sites' bins merge exactly onto the edges common to every site.
//!
//! The pooled **life table** (actuarial estimate) on those common edges: per interval j,
//! summing the sites, S_j = Π_{i≤j} (1 − d_i / (n_i − c_i/2)) (n_i at risk at the
//! interval's start, d_i events, c_i censored within it). It is not a Kaplan–Meier curve
//! (exact times never leave the sites).
//!
//! # R equivalent
//! `findInterval(time, seq(0, max, by = w))` counts; the life table of
//! `KMsurv::lifetab`, S = cumprod(1 − d / (n − c/2)).

use survlens_contract::sites::{KmBinnedGroup, LifeTableGroup};

/// The bin of `t` ≥ 0 for width `w`: the largest k with k·w ≤ t.
fn bin_of(t: f64, w: f64) -> usize {
    let mut k = (t / w).floor().max(0.0) as usize;
    while ((k + 1) as f64) * w <= t {
        k += 1;
    }
    while k > 0 && (k as f64) * w > t {
        k -= 1;
    }
    k
}

/// One group's binned, suppressed counts from its rows' times and events (t ≥ 0).
/// `None` when the number of bins would exceed `max_bins`.
pub fn bin_group(
    label: &str,
    time: &[f64],
    event: &[bool],
    width: f64,
    min_cell: usize,
    max_bins: usize,
) -> Option<KmBinnedGroup> {
    let last = time.iter().map(|&t| bin_of(t, width)).max();
    let empty = |suppressed| KmBinnedGroup {
        label: label.to_string(),
        edges: Vec::new(),
        n_risk: Vec::new(),
        n_event: Vec::new(),
        n_censor: Vec::new(),
        suppressed,
    };
    let Some(last) = last else {
        return Some(empty(false));
    };
    if last >= max_bins {
        return None;
    }
    let mut ev = vec![0usize; last + 1];
    let mut ce = vec![0usize; last + 1];
    for (&t, &e) in time.iter().zip(event) {
        let k = bin_of(t, width);
        if e {
            ev[k] += 1;
        } else {
            ce[k] += 1;
        }
    }
    // Merge forward: (start bin, events, censored) of each closed bin.
    let ok = |n: usize| n == 0 || n >= min_cell;
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize, usize)> = None;
    for k in 0..=last {
        let (s, e, c) = open.unwrap_or((k, 0, 0));
        let cur = (s, e + ev[k], c + ce[k]);
        if ok(cur.1) && ok(cur.2) {
            merged.push(cur);
            open = None;
        } else {
            open = Some(cur);
        }
    }
    if let Some((_, e, c)) = open {
        // The tail falls short: merge it into the last closed bin that has exits.
        match merged.iter().rposition(|b| b.1 + b.2 > 0) {
            Some(i) => {
                merged.truncate(i + 1);
                merged[i].1 += e;
                merged[i].2 += c;
            }
            None => return Some(empty(true)),
        }
    }
    // Drop trailing bins without exits (there is none after the last exit anyway).
    while merged.last().is_some_and(|b| b.1 + b.2 == 0) {
        merged.pop();
    }
    // A merged tail may have brought a count of 1 to m − 1 into the last bin: merge it
    // backwards until it is shown or it is the only bin.
    while merged.len() > 1 && merged.last().is_some_and(|b| !ok(b.1) || !ok(b.2)) {
        let (_, e, c) = merged.pop().unwrap_or_default();
        if let Some(prev) = merged.last_mut() {
            prev.1 += e;
            prev.2 += c;
        }
    }
    // A total of events or of censored patients below m cannot be shown in any bin.
    if merged.iter().any(|b| !ok(b.1) || !ok(b.2)) {
        return Some(empty(true));
    }
    let n = time.len();
    let mut edges = Vec::with_capacity(merged.len() + 1);
    let mut n_risk = Vec::with_capacity(merged.len());
    let mut n_event = Vec::with_capacity(merged.len());
    let mut n_censor = Vec::with_capacity(merged.len());
    let mut left = n;
    for (i, &(s, e, c)) in merged.iter().enumerate() {
        edges.push(s as f64 * width);
        n_risk.push(left);
        n_event.push(e);
        n_censor.push(c);
        left -= e + c;
        if i + 1 == merged.len() {
            // The end of the last merged bin: the start of the next closed one, or of
            // the bin after the last exit.
            edges.push((last + 1) as f64 * width);
        }
    }
    Some(KmBinnedGroup {
        label: label.to_string(),
        edges,
        n_risk,
        n_event,
        n_censor,
        suppressed: false,
    })
}

/// One bin as bin indices and counts: (start, end, n_risk, d, c).
type Bin = (usize, usize, usize, usize, usize);

/// The bins of one site's group.
fn indexed(g: &KmBinnedGroup, width: f64) -> Vec<Bin> {
    let idx = |e: f64| (e / width).round() as usize;
    (0..g.n_risk.len())
        .map(|i| {
            (
                idx(g.edges[i]),
                idx(g.edges[i + 1]),
                g.n_risk[i],
                g.n_event[i],
                g.n_censor[i],
            )
        })
        .collect()
}

/// The pooled life table of one group from the sites' binned counts, on the edges
/// common to every site. Linear in the number of edges and bins (a cursor per site).
pub fn life_table(label: &str, sites: &[&KmBinnedGroup], width: f64) -> LifeTableGroup {
    let binned: Vec<Vec<Bin>> = sites.iter().map(|g| indexed(g, width)).collect();
    let end = binned
        .iter()
        .filter_map(|b| b.last().map(|x| x.1))
        .max()
        .unwrap_or(0);
    // An edge is common when every site has a bin starting there or has ended by then.
    let mut common: Vec<usize> = Vec::new();
    let mut cursor = vec![0usize; binned.len()];
    for k in 0..=end {
        let all = binned.iter().zip(cursor.iter_mut()).all(|(b, c)| {
            while *c < b.len() && b[*c].0 < k {
                *c += 1;
            }
            match b.last() {
                None => true,
                Some(last) => k >= last.1 || (*c < b.len() && b[*c].0 == k),
            }
        });
        if all {
            common.push(k);
        }
    }
    let mut out = LifeTableGroup {
        label: label.to_string(),
        edges: common.iter().map(|&k| k as f64 * width).collect(),
        n_risk: Vec::new(),
        n_event: Vec::new(),
        n_censor: Vec::new(),
        surv: Vec::new(),
        sites_left_out: Vec::new(),
    };
    let mut s = 1.0;
    let mut cursor = vec![0usize; binned.len()];
    for w in common.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (mut n, mut d, mut c) = (0usize, 0usize, 0usize);
        for (bins, cur) in binned.iter().zip(cursor.iter_mut()) {
            if *cur < bins.len() && bins[*cur].0 == a {
                n = n.saturating_add(bins[*cur].2);
            }
            while *cur < bins.len() && bins[*cur].0 < b {
                d = d.saturating_add(bins[*cur].3);
                c = c.saturating_add(bins[*cur].4);
                *cur += 1;
            }
        }
        let eff = n as f64 - c as f64 / 2.0;
        if eff > 0.0 {
            s *= 1.0 - d as f64 / eff;
        }
        out.n_risk.push(n);
        out.n_event.push(d);
        out.n_censor.push(c);
        out.surv.push(s);
    }
    if out.edges.len() < 2 {
        out.edges.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shown non-zero count is at least min_cell; the totals are kept.
    #[test]
    fn merged_bins_show_no_small_count() {
        let time: Vec<f64> = (0..40).map(|i| (i * 7 % 23) as f64 * 1.3).collect();
        let event: Vec<bool> = (0..40).map(|i| i % 3 != 0).collect();
        for m in [1, 2, 5, 10] {
            let g = bin_group("a", &time, &event, 3.0, m, 1000).unwrap();
            assert!(!g.suppressed);
            let shown = g.n_event.iter().chain(&g.n_censor).chain(&g.n_risk);
            assert!(
                shown.clone().all(|&n| n == 0 || n >= m),
                "min_cell {m}: {g:?}"
            );
            assert_eq!(g.n_event.iter().sum::<usize>(), 26);
            assert_eq!(g.n_censor.iter().sum::<usize>(), 14);
            assert_eq!(g.n_risk[0], 40);
            assert_eq!(g.edges.len(), g.n_risk.len() + 1);
            assert!(g.edges.iter().all(|e| (e / 3.0).fract() == 0.0));
        }
    }

    #[test]
    fn a_group_smaller_than_min_cell_is_suppressed() {
        let g = bin_group("a", &[1.0, 2.0, 4.0], &[true, false, true], 3.0, 5, 1000).unwrap();
        assert!(g.suppressed);
        assert!(g.edges.is_empty() && g.n_risk.is_empty());
        // 1 event among 10: no bin can show it.
        let time: Vec<f64> = (0..10).map(|i| 10.0 + i as f64).collect();
        let event: Vec<bool> = (0..10).map(|i| i == 9).collect();
        assert!(
            bin_group("a", &time, &event, 3.0, 5, 1000)
                .unwrap()
                .suppressed
        );
    }

    /// One site's life table equals the actuarial estimate on its own bins.
    #[test]
    fn life_table_of_one_site_is_actuarial() {
        let time = [1.0, 2.0, 4.0, 5.0, 7.0, 8.0];
        let event = [true, false, true, true, false, true];
        let g = bin_group("a", &time, &event, 3.0, 1, 1000).unwrap();
        let lt = life_table("a", &[&g], 3.0);
        assert_eq!(lt.edges, vec![0.0, 3.0, 6.0, 9.0]);
        assert_eq!(lt.n_risk, vec![6, 4, 2]);
        let s1 = 1.0 - 1.0 / 5.5;
        let s2 = s1 * (1.0 - 2.0 / 4.0);
        let s3 = s2 * (1.0 - 1.0 / 1.5);
        for (a, b) in lt.surv.iter().zip([s1, s2, s3]) {
            assert!((a - b).abs() < 1e-15);
        }
    }

    /// Two sites with different merges pool on their common edges.
    #[test]
    fn sites_pool_on_common_edges() {
        let a = KmBinnedGroup {
            label: "x".into(),
            edges: vec![0.0, 6.0, 9.0],
            n_risk: vec![10, 5],
            n_event: vec![5, 5],
            n_censor: vec![0, 0],
            suppressed: false,
        };
        let b = KmBinnedGroup {
            label: "x".into(),
            edges: vec![0.0, 3.0, 9.0, 12.0],
            n_risk: vec![20, 15, 5],
            n_event: vec![5, 10, 0],
            n_censor: vec![0, 0, 5],
            suppressed: false,
        };
        let lt = life_table("x", &[&a, &b], 3.0);
        assert_eq!(lt.edges, vec![0.0, 9.0, 12.0]);
        assert_eq!(lt.n_risk, vec![30, 5]);
        assert_eq!(lt.n_event, vec![25, 0]);
        assert_eq!(lt.n_censor, vec![0, 5]);
    }
}
