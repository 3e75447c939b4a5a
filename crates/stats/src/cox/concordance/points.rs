//! The points of the concordance sweep and their sort by (linear predictor, time key).
//!
//! Each row is a point on the time axis at its stop time; a (start, stop] row is also a
//! point at its start, with its weight negated (it leaves the partners of every event
//! up to its entry). The points are sorted by score once, here, in O(n) expected time:
//! a bucket pass on a monotone map of the score, then each small bucket by comparison.

/// One point of the sweep.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Point {
    /// The linear predictor (−0 made +0) until the sweep; then the point's
    /// concordant-minus-discordant partner weight. The slot is reused: at a million rows
    /// a new buffer costs as much as the sweep itself (fresh memory is paged in).
    pub value: f64,
    /// Place on the time axis: 2r for an event at the r-th distinct time of the stratum,
    /// 2r + 1 for a censoring or an entry (start) there. A pair (event i, point j) is
    /// comparable when j's key is above i's (alive longer, censored at t_i, or entered
    /// at or after t_i for a start point, which then takes the pair off again).
    pub key: u32,
    /// Row (in the gathered order) × 2, + 1 for a start point.
    pub tag: u32,
}

impl Point {
    /// Row of the point, in the gathered order.
    pub fn row(&self) -> usize {
        (self.tag >> 1) as usize
    }
    /// A start (entry) point: its weight counts negatively.
    pub fn is_start(&self) -> bool {
        self.tag & 1 == 1
    }
    /// An event (its stop point).
    pub fn is_event(&self) -> bool {
        self.key & 1 == 0
    }
}

/// Points per fine bucket on average: most fine buckets then hold at most 4 points,
/// sorted by a branch-free network.
const PER_BUCKET: usize = 2;
/// log2 of the fine buckets per coarse bucket.
const FINE_SHIFT: u32 = 7;
/// Buckets up to this size are sorted by insertion, larger ones by `sort_unstable_by`.
const INSERTION: usize = 24;
/// Coarse buckets larger than this are sorted in place by comparison (no scratch).
const MAX_SCRATCH: usize = 1 << 16;

/// The sorted distinct values of the stratum's time axis: its stop times (ascending,
/// −0 = +0) merged with its start times, if any.
pub(super) fn axis(stop: &[f64], start: Option<&[f64]>) -> Vec<f64> {
    let mut stops: Vec<f64> = Vec::new();
    for &t in stop {
        if stops.last() != Some(&t) {
            stops.push(t + 0.0);
        }
    }
    let Some(start) = start else {
        return stops;
    };
    let mut starts: Vec<f64> = start.iter().map(|&s| s + 0.0).collect();
    starts.sort_unstable_by(f64::total_cmp);
    starts.dedup_by(|a, b| a == b);
    let mut out = Vec::with_capacity(stops.len() + starts.len());
    let (mut i, mut j) = (0, 0);
    while i < stops.len() || j < starts.len() {
        let next = match (stops.get(i), starts.get(j)) {
            (Some(&a), Some(&b)) if a == b => {
                i += 1;
                j += 1;
                a
            }
            (Some(&a), Some(&b)) if a < b => {
                i += 1;
                a
            }
            (Some(&a), None) => {
                i += 1;
                a
            }
            (_, Some(&b)) => {
                j += 1;
                b
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

/// The stop points of rows `first..first + stop.len()` (stop times ascending), keyed on
/// `axis`.
pub(super) fn stop_points<'a>(
    axis: &'a [f64],
    first: usize,
    stop: &'a [f64],
    event: &'a [bool],
    lp: &'a [f64],
) -> impl Iterator<Item = Point> + 'a {
    let mut r = 0usize;
    stop.iter()
        .zip(event)
        .zip(lp)
        .enumerate()
        .map(move |(k, ((&t, &e), &v))| {
            // Times ascend: move along the axis to t.
            while axis.get(r).is_some_and(|&a| a < t) {
                r += 1;
            }
            Point {
                value: v + 0.0,
                key: (2 * r + usize::from(!e)) as u32,
                tag: ((first + k) << 1) as u32,
            }
        })
}

/// The start points of rows `first..first + start.len()`, keyed on `axis`.
pub(super) fn start_points<'a>(
    axis: &'a [f64],
    first: usize,
    start: &'a [f64],
    lp: &'a [f64],
) -> impl Iterator<Item = Point> + 'a {
    start.iter().zip(lp).enumerate().map(move |(k, (&s, &v))| {
        let r = axis.partition_point(|&a| a < s);
        Point {
            value: v + 0.0,
            key: (2 * r + 1) as u32,
            tag: (((first + k) << 1) | 1) as u32,
        }
    })
}

/// The order of the sweep: by value, then key, then tag (a total order, so the result
/// does not depend on the sorting method), as one integer.
#[inline]
fn order(p: &Point) -> u128 {
    let v = crate::order::total_order_key(p.value) as u64 ^ (1 << 63);
    (u128::from(v) << 64) | (u128::from(p.key) << 32) | u128::from(p.tag)
}

/// Writes the points made by `points` into `out` (their number long) sorted by
/// [`order`]: each of `values` is the value of `copies` points; `lo`, `hi`: the least
/// and greatest value.
///
/// # Method
/// Bucket b(v) = ⌊(v − lo)·s⌋ with s = buckets/(hi − lo): rounded subtraction and
/// multiplication are monotone, so v ≤ v' implies b(v) ≤ b(v') and equal values share a
/// bucket. A counting pass and a scatter pass place the points by coarse bucket
/// (b / 128: few enough that the scatter writes stay in cache), then each coarse bucket
/// is placed by fine bucket in a scratch buffer, and each fine bucket (2 points on
/// average) sorted by a network or by insertion. Expected O(n) for scores spread over an interval; all
/// in one bucket (scores all equal but a few outliers) is a comparison sort,
/// O(n log n).
pub(super) fn sort_points(
    out: &mut [Point],
    values: &[f64],
    copies: u32,
    points: impl Iterator<Item = Point>,
    (lo, hi): (f64, f64),
) {
    let coarse_n = ((out.len() / PER_BUCKET) >> FINE_SHIFT).max(1);
    let fine_n = coarse_n << FINE_SHIFT;
    let scale = fine_n as f64 / (hi - lo);
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        0.0
    };
    // `as usize` saturates (and maps NaN to 0): every index is in range.
    let fine = |v: f64| (((v - lo) * scale) as usize).min(fine_n - 1);
    let mut next = vec![0u32; coarse_n + 1];
    for &v in values {
        next[(fine(v + 0.0) >> FINE_SHIFT) + 1] += copies;
    }
    for b in 1..next.len() {
        next[b] += next[b - 1];
    }
    let starts = next.clone();
    for p in points {
        let slot = &mut next[fine(p.value) >> FINE_SHIFT];
        if let Some(o) = out.get_mut(*slot as usize) {
            *o = p;
        }
        *slot += 1;
    }
    let largest = starts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let mut scratch = vec![Point::default(); (largest as usize).min(MAX_SCRATCH)];
    for (c, w) in starts.windows(2).enumerate() {
        if let Some(b) = out.get_mut(w[0] as usize..w[1] as usize) {
            let first = c << FINE_SHIFT;
            by_fine_bucket(b, &mut scratch, |v| fine(v).saturating_sub(first));
        }
    }
}

/// Sorts one coarse bucket: places its points by fine bucket (`local`: 0..128) in
/// `scratch`, sorts each fine bucket, and copies them back.
fn by_fine_bucket(b: &mut [Point], scratch: &mut [Point], local: impl Fn(f64) -> usize) {
    const FINE: usize = 1 << FINE_SHIFT;
    if b.len() <= INSERTION {
        return insertion_sort(b);
    }
    let Some(tmp) = scratch.get_mut(..b.len()) else {
        return b.sort_unstable_by_key(order);
    };
    let mut next = [0u32; FINE + 1];
    for p in b.iter() {
        next[local(p.value).min(FINE - 1) + 1] += 1;
    }
    for f in 1..next.len() {
        next[f] += next[f - 1];
    }
    let starts = next;
    for p in b.iter() {
        let slot = &mut next[local(p.value).min(FINE - 1)];
        if let Some(t) = tmp.get_mut(*slot as usize) {
            *t = *p;
        }
        *slot += 1;
    }
    for w in starts.windows(2) {
        if let Some(f) = tmp.get_mut(w[0] as usize..w[1] as usize) {
            if f.len() <= 4 {
                network(f);
            } else if f.len() <= INSERTION {
                insertion_sort(f);
            } else {
                f.sort_unstable_by_key(order);
            }
        }
    }
    b.copy_from_slice(tmp);
}

/// Sorts up to 4 points by [`order`] with a sorting network whose exchanges select by
/// index instead of branching (a fine bucket's order is random: branches would
/// mispredict).
fn network(v: &mut [Point]) {
    match v.len() {
        2 => exchange(v, 0, 1),
        3 => {
            exchange(v, 0, 1);
            exchange(v, 1, 2);
            exchange(v, 0, 1);
        }
        4 => {
            exchange(v, 0, 1);
            exchange(v, 2, 3);
            exchange(v, 0, 2);
            exchange(v, 1, 3);
            exchange(v, 1, 2);
        }
        _ => {}
    }
}

/// Puts v[i], v[j] in [`order`], selecting by index.
#[inline]
fn exchange(v: &mut [Point], i: usize, j: usize) {
    if let (Some(&a), Some(&b)) = (v.get(i), v.get(j)) {
        let pair = [a, b];
        let swap = usize::from(order(&a) > order(&b));
        v[i] = pair[swap];
        v[j] = pair[1 - swap];
    }
}

/// Sorts a short slice by [`order`].
fn insertion_sort(v: &mut [Point]) {
    for i in 1..v.len() {
        let x = v[i];
        let kx = order(&x);
        let mut j = i;
        while j > 0 && order(&v[j - 1]) > kx {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}
