//! The stable ascending order of survival times in O(n) (the time-alone case of the
//! crate's one sort, see the parent module).
//!
//! The result is exactly that of a stable comparison sort by [`f64::total_cmp`]
//! (−NaN < −∞ < … < −0 < +0 < … < +∞ < NaN; equal times keep their row order), whatever
//! the values: no grid, no rounding, no assumption on their range.
//!
//! * Few distinct times (registries record months or days: a million rows hold a few
//!   thousand values): the distinct bit patterns are counted in a hash table, sorted
//!   (d log d for d distinct values), and the rows are placed by a stable counting sort.
//! * Many distinct times: an LSD radix sort on the order-preserving integer key of
//!   each time ([`super::total_order_key`]), one byte per pass, skipping the bytes
//!   all keys share. LSD radix sorting is stable, so the row order of ties is kept.
//!
//! # References
//! Knuth, D. E. (1998). *The Art of Computer Programming*, vol. 3, 2nd ed., §5.2
//! (distribution counting) and §5.2.5 (radix sorting).
//!
//! # R equivalent
//! `order(time)` (R's default `order` is stable) on the time-fixed times.

use super::total_order_key;
use std::cell::OnceCell;

/// Below this many rows a comparison sort is as fast and simpler.
const SMALL: usize = 256;
/// At most this many distinct times for the counting path (its table stays in cache).
const MAX_DISTINCT: usize = 1 << 16;

/// The stable time order of the rows, the sorted times, and the means to put other
/// columns in that order.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeOrder {
    /// `order[k]` = row at sorted position k; made on first use when the counting path
    /// sorted (its positions are enough to put columns in order, and a million-row
    /// permutation written in sorted order is a third of the sort's time).
    order: OnceCell<Vec<usize>>,
    /// The times in sorted order (`time[order[k]]`), bit for bit.
    pub time: Vec<f64>,
    /// The sorted position of each row (the inverse of `order`), when the counting path
    /// made it: columns are then scattered, not gathered.
    position: Option<Vec<u32>>,
}

impl TimeOrder {
    /// Sort the rows of `time` (see the module's documentation for the method).
    pub fn new(time: &[f64]) -> Self {
        Self::build(time, true)
    }

    /// Row indices ordering `time` ascending by [`f64::total_cmp`], stable (the sort
    /// without the sorted times): [`super::time_order`] without strata.
    pub(super) fn order_only(time: &[f64]) -> Vec<usize> {
        Self::build(time, false).into_order()
    }

    /// The sort; `with_time`: also the sorted times (else `time` is left empty).
    fn build(time: &[f64], with_time: bool) -> Self {
        let n = time.len();
        if n >= SMALL && u32::try_from(n).is_ok() {
            if let Some(c) = counting_order(time, MAX_DISTINCT.min(n / 8)) {
                let mut sorted = Vec::with_capacity(if with_time { n } else { 0 });
                for &(key, count) in c.runs.iter().filter(|_| with_time) {
                    sorted.extend(std::iter::repeat_n(time_of_key(key), count as usize));
                }
                return TimeOrder {
                    order: OnceCell::new(),
                    time: sorted,
                    position: Some(c.position),
                };
            }
            let (order, keys) = radix_order(time.iter().map(|&t| unsigned_key(t)).collect());
            return TimeOrder {
                order: OnceCell::from(order),
                time: keys
                    .into_iter()
                    .filter(|_| with_time)
                    .map(time_of_key)
                    .collect(),
                position: None,
            };
        }
        let order = comparison_order(time);
        TimeOrder {
            time: order
                .iter()
                .filter(|_| with_time)
                .map(|&i| time[i])
                .collect(),
            order: OnceCell::from(order),
            position: None,
        }
    }

    /// `order[k]` = row at sorted position k.
    pub fn order(&self) -> &[usize] {
        self.order
            .get_or_init(|| order_from_positions(self.position.as_deref().unwrap_or_default()))
    }

    /// [`TimeOrder::order`], taken.
    pub fn into_order(self) -> Vec<usize> {
        let TimeOrder {
            order, position, ..
        } = self;
        order
            .into_inner()
            .unwrap_or_else(|| order_from_positions(position.as_deref().unwrap_or_default()))
    }

    /// The sort as a [`Placement`]: the positions when the counting path made them (a
    /// column is then best scattered, see [`TimeOrder::pick`]), else the order.
    pub fn into_placement(self) -> Placement {
        match self.position {
            Some(position) => Placement::Positions(position),
            None => Placement::Order(self.order.into_inner().unwrap_or_default()),
        }
    }

    /// `column` in the sorted order: `column[order[k]]` at k. Reading a column through
    /// `order` jumps around memory at every row; with the counting path's positions the
    /// column is read in row order and written to its few thousand sorted runs, which
    /// stay in cache, several times faster at a million rows.
    pub fn pick<T: Copy + Default>(&self, column: &[T]) -> Vec<T> {
        match &self.position {
            Some(position) if column.len() == position.len() => {
                let mut out = vec![T::default(); column.len()];
                for (&v, &p) in column.iter().zip(position) {
                    if let Some(slot) = out.get_mut(p as usize) {
                        *slot = v;
                    }
                }
                out
            }
            _ => self.order().iter().map(|&i| column[i]).collect(),
        }
    }
}

/// Where a sort puts the rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// The sorted position of each row (rows with a position past the sorted rows are
    /// left out).
    Positions(Vec<u32>),
    /// `order[k]` = row at sorted position k.
    Order(Vec<usize>),
}

/// The inverse of the positions: `order[position[i]] = i`.
fn order_from_positions(position: &[u32]) -> Vec<usize> {
    let mut order = vec![0usize; position.len()];
    for (i, &p) in position.iter().enumerate() {
        if let Some(slot) = order.get_mut(p as usize) {
            *slot = i;
        }
    }
    order
}

/// The total-order key as an unsigned integer (same order, sign bit flipped).
#[inline]
fn unsigned_key(t: f64) -> u64 {
    (total_order_key(t) as u64) ^ (1 << 63)
}

/// The time of an [`unsigned_key`], bit for bit.
#[inline]
fn time_of_key(u: u64) -> f64 {
    let k = u ^ (1 << 63);
    // Negative times had every bit but the sign flipped: flip them back.
    f64::from_bits(k ^ (((k as i64 >> 63) as u64) >> 1))
}

/// The reference order: (key, row) pairs sorted; the row breaks ties, so it is stable.
fn comparison_order(time: &[f64]) -> Vec<usize> {
    let mut keyed: Vec<(i64, usize)> = time
        .iter()
        .enumerate()
        .map(|(i, &t)| (total_order_key(t), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Open-addressing table of the distinct keys: `count[s] == 0` marks an empty slot.
struct Distinct {
    key: Vec<u64>,
    count: Vec<u32>,
    mask: usize,
    shift: u32,
    len: usize,
}

impl Distinct {
    fn with_limit(limit: usize) -> Self {
        let size = (2 * limit.max(1)).next_power_of_two();
        Distinct {
            key: vec![0; size],
            count: vec![0; size],
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
            len: 0,
        }
    }

    /// Count one occurrence of `k`; its slot.
    #[inline]
    fn add(&mut self, k: u64) -> usize {
        // Fibonacci hashing: the top bits of the product depend on every bit of k.
        let mut s = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            if self.count[s] == 0 {
                self.key[s] = k;
                self.count[s] = 1;
                self.len += 1;
                return s;
            }
            if self.key[s] == k {
                self.count[s] += 1;
                return s;
            }
            s = (s + 1) & self.mask;
        }
    }
}

/// The counting path's result.
struct Counted {
    /// Sorted position of each row.
    position: Vec<u32>,
    /// (key, number of rows) of each distinct time, ascending.
    runs: Vec<(u64, u32)>,
}

/// Stable counting sort over the distinct times (each row's sorted position), or `None` when there are more than
/// `limit` of them (then the radix sort is the better tool).
fn counting_order(time: &[f64], limit: usize) -> Option<Counted> {
    let mut table = Distinct::with_limit(limit);
    let mut slot: Vec<u32> = Vec::with_capacity(time.len());
    for &t in time {
        let s = table.add(unsigned_key(t));
        if table.len > limit {
            return None;
        }
        slot.push(s as u32);
    }
    // Distinct slots in ascending key order; their counts become start positions.
    let mut used: Vec<usize> = (0..table.count.len())
        .filter(|&s| table.count[s] > 0)
        .collect();
    used.sort_unstable_by_key(|&s| table.key[s]);
    let runs: Vec<(u64, u32)> = used
        .iter()
        .map(|&s| (table.key[s], table.count[s]))
        .collect();
    let mut start = table.count;
    let mut next = 0u32;
    for &s in &used {
        let c = start[s];
        start[s] = next;
        next += c;
    }
    // The slots become the positions in place.
    let mut position = slot;
    for s in position.iter_mut() {
        let p = &mut start[*s as usize];
        *s = *p;
        *p += 1;
    }
    Some(Counted { position, runs })
}

/// LSD radix sort of the rows by `keys`, one byte per pass (stable): the order and the
/// sorted keys.
fn radix_order(mut keys: Vec<u64>) -> (Vec<usize>, Vec<u64>) {
    let n = keys.len();
    let mut hist = vec![[0u32; 256]; 8];
    for &k in &keys {
        for (b, h) in hist.iter_mut().enumerate() {
            h[((k >> (8 * b)) & 0xff) as usize] += 1;
        }
    }
    let mut rows: Vec<u32> = (0..n as u32).collect();
    let mut keys_out = vec![0u64; n];
    let mut rows_out = vec![0u32; n];
    for (b, h) in hist.iter().enumerate() {
        if h.iter().any(|&c| c as usize == n) {
            continue; // every key has this byte: the pass would change nothing
        }
        let mut start = [0u32; 256];
        let mut next = 0u32;
        for (s, &c) in start.iter_mut().zip(h) {
            *s = next;
            next += c;
        }
        for (&k, &r) in keys.iter().zip(&rows) {
            let p = &mut start[((k >> (8 * b)) & 0xff) as usize];
            keys_out[*p as usize] = k;
            rows_out[*p as usize] = r;
            *p += 1;
        }
        std::mem::swap(&mut keys, &mut keys_out);
        std::mem::swap(&mut rows, &mut rows_out);
    }
    (rows.into_iter().map(|r| r as usize).collect(), keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(t: &[f64]) -> Vec<usize> {
        let mut want: Vec<usize> = (0..t.len()).collect();
        want.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
        want
    }

    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            s >> 11
        }
    }

    #[test]
    fn both_paths_are_the_stable_total_order() {
        let mut next = lcg(7);
        let specials = [-0.0, 0.0, 5e-324, -5e-324, f64::MAX, f64::INFINITY, -1.5];
        // Few distinct values (counting path) and nearly all distinct (radix path).
        for distinct in [3u64, 40, 1 << 40] {
            let t: Vec<f64> = (0..5000)
                .map(|i| match i % 97 {
                    0 => specials[(next() % specials.len() as u64) as usize],
                    _ => (next() % distinct) as f64 * 0.1,
                })
                .collect();
            let keys: Vec<u64> = t.iter().map(|&x| unsigned_key(x)).collect();
            let want = reference(&t);
            let want_time: Vec<u64> = want.iter().map(|&i| t[i].to_bits()).collect();
            let sorted = TimeOrder::new(&t);
            assert_eq!(sorted.order(), want, "{distinct}");
            assert_eq!(TimeOrder::order_only(&t), want, "{distinct}");
            let bits: Vec<u64> = sorted.time.iter().map(|x| x.to_bits()).collect();
            assert_eq!(bits, want_time, "sorted times {distinct}");
            let by_gather: Vec<u64> = want.iter().map(|&i| keys[i]).collect();
            assert_eq!(sorted.pick(&keys), by_gather, "pick {distinct}");
            let (radix, radix_keys) = radix_order(keys.clone());
            assert_eq!(radix, want, "radix {distinct}");
            assert_eq!(radix_keys, by_gather, "radix keys {distinct}");
            if let Some(c) = counting_order(&t, 1 << 16) {
                assert_eq!(
                    order_from_positions(&c.position),
                    want,
                    "counting {distinct}"
                );
                let mut inverse = vec![0u32; want.len()];
                for (k, &i) in want.iter().enumerate() {
                    inverse[i] = k as u32;
                }
                assert_eq!(c.position, inverse, "positions {distinct}");
            }
        }
    }

    #[test]
    fn keys_map_back_to_the_same_bits() {
        for t in [
            -0.0,
            0.0,
            5e-324,
            -5e-324,
            -1.5,
            2.5,
            f64::MAX,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(time_of_key(unsigned_key(t)).to_bits(), t.to_bits(), "{t}");
        }
        let nan = f64::from_bits(0xfff8_0000_0000_0001);
        assert_eq!(time_of_key(unsigned_key(nan)).to_bits(), nan.to_bits());
    }

    #[test]
    fn counting_gives_up_beyond_its_limit() {
        let t: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(counting_order(&t, 99).is_none());
        let c = counting_order(&t, 100).map(|c| (c.position, c.runs.len()));
        let positions: Vec<u32> = (0..100).collect();
        assert_eq!(c, Some((positions, 100)));
    }
}
