//! The sweep over the points in score order: for each point, the weight of its
//! comparable partners with a lower, equal and higher score, from two Fenwick trees over
//! the time axis (a few thousand keys when times are recorded in days or months: the
//! trees stay in the first-level cache).
//!
//! # Formula
//! With the points in ascending score η and keys x (see [`super::points::Point`]):
//! for an event p, below_p = Σ w_q over points q with η_q < η_p and x_q > x_p (its
//! concordant partners), at_p the same with η_q = η_p, above_p = L(x_p) − below_p − at_p
//! where L(x) is the weight of all points keyed above x. For any point p, its partner
//! weight with the events i keyed below it: less_p (η_i < η_p: discordant for p),
//! tied_p, and greater_p = E(x_p) − less_p − tied_p (concordant), where E(x) is the event
//! weight keyed below x. Start points count with weight −w.

use super::points::Point;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

/// A weight: an exact count (`i64`, unweighted data) or a case weight (`f64`).
pub(super) trait Weight:
    Copy
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + From<bool>
{
    fn to_f64(self) -> f64;
}

impl Weight for i64 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Weight for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// Fenwick tree: prefix sums by key.
struct Fenwick<N> {
    /// Node i (1-based) at `tree[i]`.
    tree: Vec<N>,
}

impl<N: Copy + Default + AddAssign> Fenwick<N> {
    fn new(keys: usize) -> Self {
        Fenwick {
            tree: vec![N::default(); keys + 1],
        }
    }
    /// Adds `w` at `key` (< keys).
    #[inline]
    fn add(&mut self, key: usize, w: N) {
        let mut i = key + 1;
        while let Some(t) = self.tree.get_mut(i) {
            *t += w;
            i += i & i.wrapping_neg();
        }
    }
    /// Σ of the weights at keys below `end` (≤ keys).
    #[inline]
    fn below(&self, end: usize) -> N {
        let mut s = N::default();
        let mut i = end.min(self.tree.len() - 1);
        while i > 0 {
            s += self.tree[i];
            i &= i - 1;
        }
        s
    }
}

/// The static sums over the time axis of one stratum's points.
pub(super) struct Axis<W> {
    /// `later[x]`: signed weight of all points keyed at or above x (length keys + 1).
    later: Vec<W>,
    /// `earlier_events[x]`: weight of the events keyed below x (length keys + 1).
    earlier_events: Vec<W>,
}

impl<W: Weight> Axis<W> {
    /// The sums of `points` (`keys` keys); `weight` of a row.
    pub fn new(points: &[Point], keys: usize, weight: &impl Fn(usize) -> W) -> Self {
        let mut later = vec![W::default(); keys + 1];
        let mut earlier_events = vec![W::default(); keys + 1];
        for p in points {
            let (x, w) = (p.key as usize, weight(p.row()));
            if let Some(l) = later.get_mut(x) {
                *l += if p.is_start() { -w } else { w };
            }
            if p.is_event() {
                if let Some(e) = earlier_events.get_mut(x + 1) {
                    *e += w;
                }
            }
        }
        for x in (0..keys).rev() {
            let above = later[x + 1];
            later[x] += above;
        }
        for x in 1..=keys {
            let below = earlier_events[x - 1];
            earlier_events[x] += below;
        }
        Axis {
            later,
            earlier_events,
        }
    }
    fn keys(&self) -> usize {
        self.later.len() - 1
    }
    fn later_than(&self, x: usize) -> W {
        self.later.get(x + 1).copied().unwrap_or_default()
    }
    fn events_before(&self, x: usize) -> W {
        self.earlier_events.get(x).copied().unwrap_or_default()
    }
    /// The signed weight of all comparable partners of point `p` (ic + id + it).
    pub fn partners(&self, p: &Point) -> W {
        let x = p.key as usize;
        let mut b = self.events_before(x);
        if p.is_start() {
            b = -b;
        }
        if p.is_event() {
            b += self.later_than(x);
        }
        b
    }
}

/// Weighted pair counts: concordant, discordant, tied on the score.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Counts<W> {
    pub concordant: W,
    pub discordant: W,
    pub tied: W,
}

/// Two weights added together (one walk of the tree updates or reads both).
#[derive(Clone, Copy, Default)]
struct Pair<W>(W, W);

impl<W: Weight> AddAssign for Pair<W> {
    #[inline]
    fn add_assign(&mut self, o: Self) {
        self.0 += o.0;
        self.1 += o.1;
    }
}

/// The points of lower score than the current group: one Fenwick tree of (signed
/// weight, event weight) by reversed key (so that "keyed above x" is a prefix), and the
/// event weight at each key. Events keyed below x are the events less those keyed
/// above or at x: one walk answers both questions of a point.
struct Trees<W> {
    tree: Fenwick<Pair<W>>,
    events_at: Vec<W>,
    events: W,
    keys: usize,
}

impl<W: Weight> Trees<W> {
    fn new(keys: usize) -> Self {
        Trees {
            tree: Fenwick::new(keys),
            events_at: vec![W::default(); keys],
            events: W::default(),
            keys,
        }
    }
    fn insert(&mut self, p: &Point, w: W) {
        let x = p.key as usize;
        let signed = if p.is_start() { -w } else { w };
        let we = w * W::from(p.is_event());
        self.tree.add(self.keys - 1 - x, Pair(signed, we));
        if let Some(e) = self.events_at.get_mut(x) {
            *e += we;
        }
        self.events += we;
    }
    /// (signed weight keyed above x, event weight keyed below x).
    #[inline]
    fn around(&self, x: usize) -> (W, W) {
        let Pair(above, events_above) = self.tree.below(self.keys - 1 - x);
        let at = self.events_at.get(x).copied().unwrap_or_default();
        (above, self.events - events_above - at)
    }
}

/// Sweeps `points` (one stratum, sorted by score then key): their counts, and each
/// point's concordant-minus-discordant partner weight left in its `value`.
pub(super) fn sweep<W: Weight>(
    points: &mut [Point],
    axis: &Axis<W>,
    weight: &impl Fn(usize) -> W,
) -> Counts<W> {
    let keys = axis.keys();
    let mut trees = Trees::new(keys);
    let mut counts = Counts::default();
    let mut i = 0;
    while i < points.len() {
        let v = points[i].value;
        let end = i + points[i..]
            .iter()
            .take_while(|p| p.value == v)
            .count()
            .max(1);
        if end == i + 1 {
            // A score of its own (most points): no tied partners.
            if let Some(p) = points.get_mut(i) {
                let w = weight(p.row());
                single(p, w, axis, &trees, &mut counts);
                trees.insert(p, w);
            }
            i = end;
            continue;
        }
        let group = &mut points[i..end];
        first_pass(group, axis, &trees, weight, &mut counts);
        tied_pass(group, weight, &mut counts);
        for p in group.iter() {
            trees.insert(p, weight(p.row()));
        }
        i = end;
    }
    counts
}

/// [`first_pass`] for a point whose score no other point has.
#[inline]
fn single<W: Weight>(
    p: &mut Point,
    w: W,
    axis: &Axis<W>,
    trees: &Trees<W>,
    counts: &mut Counts<W>,
) {
    let x = p.key as usize;
    let event = W::from(p.is_event());
    let (below, less) = trees.around(x);
    let above = axis.later_than(x) - below;
    let we = w * event;
    counts.concordant += we * below;
    counts.discordant += we * above;
    let greater = axis.events_before(x) - less;
    let partner = if p.is_start() {
        less - greater
    } else {
        greater - less
    };
    p.value = ((below - above) * event + partner).to_f64();
}

/// The partners of lower score (from the trees) and of equal score keyed below (events
/// of the group before each point's key). Leaves the partial partner balance in `value`.
fn first_pass<W: Weight>(
    group: &mut [Point],
    axis: &Axis<W>,
    trees: &Trees<W>,
    weight: &impl Fn(usize) -> W,
    counts: &mut Counts<W>,
) {
    // Event weight of the group at keys below the current run of equal keys.
    let (mut tied_below, mut run_events, mut run_key) = (W::default(), W::default(), u32::MAX);
    for p in group.iter_mut() {
        if p.key != run_key {
            tied_below += run_events;
            run_events = W::default();
            run_key = p.key;
        }
        let (x, w) = (p.key as usize, weight(p.row()));
        // Event or not, without a branch (half the points are events, in no pattern).
        let we = w * W::from(p.is_event());
        let (below, less) = trees.around(x);
        let above = axis.later_than(x) - below; // less the tied part, in tied_pass
        let mut balance = (below - above) * W::from(p.is_event());
        counts.concordant += we * below;
        counts.discordant += we * above;
        run_events += we;
        let greater = axis.events_before(x) - less - tied_below;
        balance += if p.is_start() {
            less - greater
        } else {
            greater - less
        };
        p.value = balance.to_f64();
    }
}

/// The tied-score partners of a group's events: the group's signed weight keyed above
/// each event (taken from its discordant part, where the first pass counted it).
fn tied_pass<W: Weight>(group: &mut [Point], weight: &impl Fn(usize) -> W, counts: &mut Counts<W>) {
    let (mut tied_above, mut run_weight, mut run_key) = (W::default(), W::default(), u32::MAX);
    for p in group.iter_mut().rev() {
        if p.key != run_key {
            tied_above += run_weight;
            run_weight = W::default();
            run_key = p.key;
        }
        let w = weight(p.row());
        run_weight += if p.is_start() { -w } else { w };
        if p.is_event() {
            // above was L − below; the tied part moves from discordant to tied.
            p.value += tied_above.to_f64();
            counts.tied += w * tied_above;
            counts.discordant -= w * tied_above;
        }
    }
}
