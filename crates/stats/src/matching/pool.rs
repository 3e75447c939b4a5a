//! The controls of a matching, sorted by score and grouped into blocks of equal score,
//! with the nearest available control found in O(log n) amortized.
//!
//! A block's controls are kept in file order, and every choice from a block takes its
//! first unused control (they all lie at the same distance, and a tie goes to the
//! control first in the file), so a block is a queue: `used[b]` counts its used
//! controls. Empty blocks are skipped by two union–find structures with path
//! compression: `right[b]` leads to the first non-empty block at or after b, `left[b + 1]`
//! to the last non-empty block at or before b (0 there = none).

/// Controls sorted by (score, file order), in blocks of equal score.
pub(super) struct ControlPool {
    /// Distinct scores, ascending.
    value: Vec<f64>,
    /// Block b holds `rows[start[b]..start[b + 1]]` (file order).
    start: Vec<usize>,
    rows: Vec<usize>,
    used: Vec<usize>,
    /// Union–find to the next non-empty block at or after b (`value.len()` = none).
    right: Vec<usize>,
    /// Union–find, shifted by one: `left[b + 1]` leads to 1 + the last non-empty block
    /// at or before b; 0 = none.
    left: Vec<usize>,
    remaining: usize,
}

/// A candidate: its distance and the file index of the control it would give.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    block: usize,
    distance: f64,
    row: usize,
}

impl ControlPool {
    /// The pool of `controls` (row indices into `score`, any order).
    pub(super) fn new(score: &[f64], controls: &[usize]) -> ControlPool {
        let mut rows = controls.to_vec();
        rows.sort_by(|&a, &b| score[a].total_cmp(&score[b]).then(a.cmp(&b)));
        let mut value = Vec::new();
        let mut start = Vec::new();
        for (k, &r) in rows.iter().enumerate() {
            if value.last() != Some(&score[r]) {
                value.push(score[r]);
                start.push(k);
            }
        }
        start.push(rows.len());
        let nb = value.len();
        ControlPool {
            used: vec![0; nb],
            right: (0..=nb).collect(),
            left: (0..=nb).collect(),
            remaining: rows.len(),
            value,
            start,
            rows,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    fn block_len(&self, b: usize) -> usize {
        self.start[b + 1] - self.start[b]
    }

    /// The first non-empty block at or after `b` (`value.len()`: none).
    fn find_right(&mut self, b: usize) -> usize {
        let mut root = b;
        while self.right[root] != root {
            root = self.right[root];
        }
        let mut x = b;
        while self.right[x] != root {
            let next = self.right[x];
            self.right[x] = root;
            x = next;
        }
        root
    }

    /// The last non-empty block at or before `b`; `None` when there is none. `b` may be
    /// −1 (as `None`).
    fn find_left(&mut self, b: Option<usize>) -> Option<usize> {
        let start = b.map_or(0, |b| b + 1);
        let mut root = start;
        while self.left[root] != root {
            root = self.left[root];
        }
        let mut x = start;
        while self.left[x] != root {
            let next = self.left[x];
            self.left[x] = root;
            x = next;
        }
        root.checked_sub(1)
    }

    /// The number of blocks with a score below `s`.
    fn below(&self, s: f64) -> usize {
        self.value.partition_point(|&v| v < s)
    }

    fn candidate(&self, b: usize, s: f64) -> Candidate {
        Candidate {
            block: b,
            distance: (self.value[b] - s).abs(),
            row: self.rows[self.start[b] + self.used[b]],
        }
    }

    /// Takes the nearest unused control of score `s` within `width` (ties: first in the
    /// file) and marks it used.
    pub(super) fn take_nearest(&mut self, s: f64, width: f64) -> Option<usize> {
        let nb = self.value.len();
        let p = self.below(s);
        let mut best: Option<Candidate> = None;
        fn consider(c: Candidate, best: &mut Option<Candidate>) {
            let better = match best {
                None => true,
                Some(b) => c.distance < b.distance || (c.distance == b.distance && c.row < b.row),
            };
            if better {
                *best = Some(c);
            }
        }
        // Right side: blocks with score ≥ s, nearest first; further blocks only while
        // their f64 distance equals the nearest's (a tie across distinct scores).
        let mut b = self.find_right(p);
        let mut right_d = None;
        while b < nb {
            let c = self.candidate(b, s);
            if right_d.is_some_and(|d| c.distance != d) {
                break;
            }
            right_d = Some(c.distance);
            consider(c, &mut best);
            b = self.find_right(b + 1);
        }
        // Left side: blocks with score < s, nearest first.
        let mut b = self.find_left(p.checked_sub(1));
        let mut left_d = None;
        while let Some(lb) = b {
            let c = self.candidate(lb, s);
            if left_d.is_some_and(|d| c.distance != d) {
                break;
            }
            left_d = Some(c.distance);
            consider(c, &mut best);
            b = self.find_left(lb.checked_sub(1));
        }
        let best = best.filter(|c| c.distance <= width)?;
        self.use_one(best.block);
        Some(best.row)
    }

    fn use_one(&mut self, b: usize) {
        self.used[b] += 1;
        self.remaining -= 1;
        if self.used[b] == self.block_len(b) {
            self.right[b] = b + 1;
            self.left[b + 1] = b;
        }
    }

    /// The `k` nearest controls of score `s` within `width`, none used up (matching with
    /// replacement), ordered by distance, ties by file order.
    pub(super) fn k_nearest(&self, s: f64, width: f64, k: usize) -> Vec<usize> {
        let nb = self.value.len();
        let p = self.below(s);
        // A cursor per side: (block, offset within the block).
        let mut right = (p < nb).then_some((p, 0usize));
        let mut left = p.checked_sub(1).map(|b| (b, 0usize));
        let head = |cur: Option<(usize, usize)>| {
            cur.map(|(b, o)| {
                let row = self.rows[self.start[b] + o];
                ((self.value[b] - s).abs(), row)
            })
        };
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let (hr, hl) = (head(right), head(left));
            let take_right = match (hr, hl) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(r), Some(l)) => r.0 < l.0 || (r.0 == l.0 && r.1 < l.1),
            };
            let (d, row) = if take_right { hr } else { hl }.unwrap_or((f64::INFINITY, 0));
            if d > width {
                break;
            }
            out.push(row);
            if take_right {
                right = right.and_then(|(b, o)| {
                    if o + 1 < self.block_len(b) {
                        Some((b, o + 1))
                    } else {
                        (b + 1 < nb).then_some((b + 1, 0))
                    }
                });
            } else {
                left = left.and_then(|(b, o)| {
                    if o + 1 < self.block_len(b) {
                        Some((b, o + 1))
                    } else {
                        b.checked_sub(1).map(|b| (b, 0))
                    }
                });
            }
        }
        out
    }
}
