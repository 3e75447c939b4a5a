//! Weighted Gram sums Σ_k r_k x_k x_kᵀ of a block of rows, added into a running
//! lower-triangular p×p sum: the O(n·p²) part of the Cox partial-likelihood pass.
//!
//! Rows are buffered column-major (p columns of up to [`BLOCK`] values) and summed one
//! block at a time with contiguous dot products over the rows, two lanes at a time
//! ([`crate::lanes::F2`]: SSE2 on x86-64, f64x2 on wasm32 with simd128, two scalars in the
//! scalar wasm build; one order of roundings in all three). Row by row, the same sums
//! are 78 scattered read-modify-writes of lengths 1…p (p = 12), which do not vectorize.
//! The evaluation fills the buffer column by column ([`Gram::room`], [`Gram::slots`],
//! [`Gram::commit`]) straight from the sorted design.
//!
//! # Formula
//! S0 += Σ_k r_k, S1_j += Σ_k r_k x_kj and T_ij = Σ_k (r_k x_ki) x_kj for i ≥ j: the
//! products r·x are formed once per block, then each T_ij is accumulated in two
//! interleaved partial sums (rows k even, k odd) combined as (s₀ + s₁) + the odd last
//! row, two triangle rows at a time (S0, S1: four partial sums), then added to the
//! running sums. The order of the additions is fixed by the code, not by the target, so
//! native and wasm results are bit-identical; they differ from a row-by-row running sum
//! (R's `coxfit6` order) only in the last bits.
//!
//! # R equivalent
//! The `cmat`/`cmat2` updates of C `coxfit6_iter` (survival 3.5-3).

use crate::lanes::{Lanes, F2};

/// Rows per block: p·BLOCK values (24 KB at p = 12) stay in the L1/L2 cache.
pub(crate) const BLOCK: usize = 256;

/// Buffered rows whose weighted Gram sum is still to be added.
#[derive(Debug, Clone)]
pub(crate) struct Gram {
    p: usize,
    len: usize,
    /// Column j of the buffered rows: `x[j·BLOCK .. j·BLOCK + len]`.
    x: Vec<f64>,
    /// r_k · x_kj, same layout (filled when the block is summed).
    rx: Vec<f64>,
    r: Vec<f64>,
}

impl Gram {
    pub(crate) fn new(p: usize) -> Self {
        Gram {
            p,
            len: 0,
            x: vec![0.0; p * BLOCK],
            rx: vec![0.0; p * BLOCK],
            r: vec![0.0; BLOCK],
        }
    }

    /// Forget the buffered rows (a new stratum, or every row left the risk set).
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// Room for the next rows: up to `want` (≥ 1) slots, the buffer first added to
    /// `sums` when it is full. Returns the number of slots m (1 ≤ m ≤ want) to fill with
    /// [`Self::slots`] and then [`Self::commit`].
    #[inline]
    pub(crate) fn room(&mut self, want: usize, sums: Sums) -> usize {
        if self.len == BLOCK {
            self.flush(sums);
        }
        want.min(BLOCK - self.len)
    }

    /// The next m slots, column by column: `(x, r)` where column j of the new rows is
    /// `x[j·BLOCK .. j·BLOCK + m]` and their weights `r[..m]` (m from [`Self::room`]).
    #[inline]
    pub(crate) fn slots(&mut self, m: usize) -> (SlotColumns<'_>, &mut [f64]) {
        let len = self.len;
        let end = (len + m).min(BLOCK);
        (
            SlotColumns {
                x: &mut self.x,
                range: len..end,
            },
            &mut self.r[len..end],
        )
    }

    /// The m slots just filled now hold rows.
    #[inline]
    pub(crate) fn commit(&mut self, m: usize) {
        self.len = (self.len + m).min(BLOCK);
    }

    /// Add the buffered rows to `sums` (S0 += Σ r, S1 += Σ r x, S2's lower triangle
    /// += Σ r x xᵀ, `tri[i·p + j]`, i ≥ j) and empty the buffer.
    pub(crate) fn flush(&mut self, sums: Sums) {
        self.flush_with::<F2>(sums);
    }

    /// [`Self::flush`] over the lanes `L` (tests run the scalar [`crate::lanes::Pair`] too).
    fn flush_with<L: Lanes>(&mut self, sums: Sums) {
        let (p, m) = (self.p, self.len);
        if m == 0 {
            return;
        }
        let Sums { s0, s1, s2: tri } = sums;
        let r = &self.r[..m];
        *s0 += sum::<L>(r);
        for ((rxc, xc), s1j) in self
            .rx
            .chunks_exact_mut(BLOCK)
            .zip(self.x.chunks_exact(BLOCK))
            .zip(s1.iter_mut())
        {
            for ((o, &rk), &xk) in rxc.iter_mut().zip(r).zip(xc) {
                *o = rk * xk;
            }
            *s1j += sum::<L>(&rxc[..m]);
        }
        let x = &self.x;
        let col = |j: usize| &x[j * BLOCK..j * BLOCK + m];
        let rx = |i: usize| &self.rx[i * BLOCK..i * BLOCK + m];
        // Rows of the triangle two at a time: each load of a column serves two sums.
        let mut i = 0;
        while i + 1 < p {
            let (i1, a0, a1) = (i + 1, rx(i), rx(i + 1));
            let mut j = 0;
            while j + 3 <= i1 {
                let d = dot2x4::<L>(a0, a1, [col(j), col(j + 1), col(j + 2), col(j + 3)]);
                for q in 0..4 {
                    if j + q <= i {
                        tri[i * p + j + q] += d[0][q];
                    }
                    tri[i1 * p + j + q] += d[1][q];
                }
                j += 4;
            }
            for jj in j..=i1 {
                let [d0, d1] = dot2x1::<L>(a0, a1, col(jj));
                if jj <= i {
                    tri[i * p + jj] += d0;
                }
                tri[i1 * p + jj] += d1;
            }
            i += 2;
        }
        if i < p {
            let a0 = rx(i);
            for jj in 0..=i {
                tri[i * p + jj] += dot2x1::<L>(a0, a0, col(jj))[0];
            }
        }
        self.len = 0;
    }
}

/// The running sums a [`Gram`] adds its rows into: S0 = Σ r, S1 = Σ r x (p) and the
/// lower triangle of S2 = Σ r x xᵀ (row-major p×p).
pub(crate) struct Sums<'a> {
    pub s0: &'a mut f64,
    pub s1: &'a mut [f64],
    pub s2: &'a mut [f64],
}

/// The columns of the slots being filled (see [`Gram::slots`]).
pub(crate) struct SlotColumns<'a> {
    x: &'a mut [f64],
    range: std::ops::Range<usize>,
}

impl SlotColumns<'_> {
    /// Column j of the slots.
    #[inline]
    pub(crate) fn col(&mut self, j: usize) -> &mut [f64] {
        let r = self.range.clone();
        &mut self.x[j * BLOCK + r.start..j * BLOCK + r.end]
    }

    /// Column j of the slots, read only.
    #[inline]
    pub(crate) fn get(&self, j: usize) -> &[f64] {
        let r = self.range.clone();
        &self.x[j * BLOCK + r.start..j * BLOCK + r.end]
    }
}

/// Σ a_k in four interleaved partial sums, (s₀ + s₁) + (s₂ + s₃) + the tail: two
/// two-lane registers, (s₀, s₁) and (s₂, s₃).
#[inline]
fn sum<L: Lanes>(a: &[f64]) -> f64 {
    let (mut s01, mut s23) = (L::ZERO, L::ZERO);
    let chunks = a.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().fold(0.0, |t, v| t + v);
    for x in chunks {
        s01 = s01.add(L::load(&x[..2]));
        s23 = s23.add(L::load(&x[2..]));
    }
    s01.total() + s23.total() + tail
}

/// The eight sums Σ_k a_k b_qk and Σ_k a′_k b_qk (q = 0…3) over the rows, each in two
/// interleaved partial sums (rows k even, k odd) plus the last row when m is odd:
/// (s₀ + s₁) + tail. One two-lane register per sum ([`Lanes`]); the order of the additions
/// is fixed by the code, so every target gives the same bits.
#[inline]
fn dot2x4<L: Lanes>(a0: &[f64], a1: &[f64], b: [&[f64]; 4]) -> [[f64; 4]; 2] {
    let mut s = [[L::ZERO; 4]; 2];
    let rows = a0
        .chunks_exact(2)
        .zip(a1.chunks_exact(2))
        .zip(b[0].chunks_exact(2))
        .zip(b[1].chunks_exact(2))
        .zip(b[2].chunks_exact(2))
        .zip(b[3].chunks_exact(2));
    for (((((x0, x1), y0), y1), y2), y3) in rows {
        let (x0, x1) = (L::load(x0), L::load(x1));
        for (q, y) in [y0, y1, y2, y3].into_iter().enumerate() {
            let y = L::load(y);
            s[0][q] = s[0][q].mul_add(x0, y);
            s[1][q] = s[1][q].mul_add(x1, y);
        }
    }
    let mut out = [[0.0; 4]; 2];
    let last = a0.len() / 2 * 2;
    for q in 0..4 {
        let tail = |a: &[f64]| a.get(last).map_or(0.0, |v| v * b[q][last]);
        out[0][q] = s[0][q].total() + tail(a0);
        out[1][q] = s[1][q].total() + tail(a1);
    }
    out
}

/// [`dot2x4`] for one column: the same two sums, in the same order.
#[inline]
fn dot2x1<L: Lanes>(a0: &[f64], a1: &[f64], b: &[f64]) -> [f64; 2] {
    let mut s = [L::ZERO; 2];
    let rows = a0
        .chunks_exact(2)
        .zip(a1.chunks_exact(2))
        .zip(b.chunks_exact(2));
    for ((x0, x1), y) in rows {
        let y = L::load(y);
        s[0] = s[0].mul_add(L::load(x0), y);
        s[1] = s[1].mul_add(L::load(x1), y);
    }
    let last = a0.len() / 2 * 2;
    let tail = |a: &[f64]| a.get(last).map_or(0.0, |v| v * b[last]);
    [s[0].total() + tail(a0), s[1].total() + tail(a1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row-by-row running sum, for comparison.
    fn naive(rows: &[(Vec<f64>, f64)], p: usize) -> Vec<f64> {
        let mut t = vec![0.0; p * p];
        for (x, r) in rows {
            for i in 0..p {
                for j in 0..=i {
                    t[i * p + j] += r * x[i] * x[j];
                }
            }
        }
        t
    }

    /// Append `rows` in runs of `run` rows through room/slots/commit; then flush.
    fn append(
        g: &mut Gram,
        rows: &[(Vec<f64>, f64)],
        run: usize,
        s: (&mut f64, &mut [f64], &mut [f64]),
    ) {
        let (s0, s1, s2) = s;
        let mut k = 0;
        while k < rows.len() {
            let want = run.min(rows.len() - k);
            let m = g.room(
                want,
                Sums {
                    s0: &mut *s0,
                    s1: &mut *s1,
                    s2: &mut *s2,
                },
            );
            assert!((1..=want).contains(&m));
            let p = g.p;
            let (mut cols, r) = g.slots(m);
            for (i, slot) in r.iter_mut().enumerate() {
                *slot = rows[k + i].1;
            }
            for j in 0..p {
                for (i, slot) in cols.col(j).iter_mut().enumerate() {
                    *slot = rows[k + i].0[j];
                }
            }
            g.commit(m);
            k += m;
        }
        g.flush(Sums { s0, s1, s2 });
    }

    /// One block of rows of p = 12 (Cox's 12-parameter benchmark) with weights over six
    /// orders of magnitude, buffered (no flush yet).
    fn one_block(m: usize) -> (Gram, Vec<(Vec<f64>, f64)>) {
        let p = 12;
        let rows: Vec<(Vec<f64>, f64)> = (0..m)
            .map(|k| {
                let x = (0..p)
                    .map(|j| ((k * 7919 + j * 104_729) % 1013) as f64 / 101.0 - 4.9)
                    .collect();
                (
                    x,
                    10f64.powi((k % 7) as i32 - 3) * (1.0 + (k % 11) as f64 / 13.0),
                )
            })
            .collect();
        let mut g = Gram::new(p);
        let (mut cols, r) = g.slots(m);
        for (i, slot) in r.iter_mut().enumerate() {
            *slot = rows[i].1;
        }
        for j in 0..p {
            for (i, slot) in cols.col(j).iter_mut().enumerate() {
                *slot = rows[i].0[j];
            }
        }
        g.commit(m);
        (g, rows)
    }

    /// The sums (S0, S1, S2) of `g` through the lanes `L`, starting from fixed non-zero
    /// running sums (as mid-pass).
    fn flushed<L: Lanes>(mut g: Gram) -> Vec<u64> {
        let p = g.p;
        let mut s0 = 0.25;
        let mut s1: Vec<f64> = (0..p).map(|j| j as f64 / 3.0).collect();
        let mut s2: Vec<f64> = (0..p * p).map(|j| j as f64 / 7.0).collect();
        g.flush_with::<L>(Sums {
            s0: &mut s0,
            s1: &mut s1,
            s2: &mut s2,
        });
        std::iter::once(s0)
            .chain(s1)
            .chain(s2)
            .map(f64::to_bits)
            .collect()
    }

    /// The scalar-lane path (the scalar wasm build's) equals the straightforward
    /// row-by-row loop within 1e-12, is deterministic, and gives the bits of this
    /// target's SIMD lanes (SSE2 here; the wasm SIMD build is compared with the scalar
    /// one by tests/browser).
    #[test]
    fn scalar_lanes_are_the_reference_loop_and_the_simd_bits() {
        for m in [1usize, 2, 3, 5, 8, 63, 100, BLOCK - 1, BLOCK] {
            let (g, rows) = one_block(m);
            let p = g.p;
            let pair = flushed::<crate::lanes::Pair>(g.clone());
            assert_eq!(pair, flushed::<crate::lanes::Pair>(g.clone()), "m={m}");
            assert_eq!(
                pair,
                flushed::<F2>(g),
                "m={m}: SIMD and scalar lanes differ"
            );
            let got: Vec<f64> = pair.iter().map(|&b| f64::from_bits(b)).collect();
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
            let want_s0 = 0.25 + rows.iter().map(|(_, r)| r).sum::<f64>();
            assert!(close(got[0], want_s0), "m={m} S0 {} {want_s0}", got[0]);
            for j in 0..p {
                let want = j as f64 / 3.0 + rows.iter().map(|(x, r)| r * x[j]).sum::<f64>();
                assert!(close(got[1 + j], want), "m={m} S1[{j}]");
            }
            let t = naive(&rows, p);
            for i in 0..p {
                for j in 0..p {
                    let start = (i * p + j) as f64 / 7.0;
                    let want = if j > i { start } else { start + t[i * p + j] };
                    let a = got[1 + p + i * p + j];
                    assert!(close(a, want), "m={m} S2[{i},{j}] {a} {want}");
                }
            }
        }
    }

    #[test]
    fn blocks_give_the_row_by_row_sums() {
        let p = 5;
        for n in [0usize, 1, 3, 4, 7, BLOCK, BLOCK + 1, 3 * BLOCK + 5] {
            for run in [1usize, 3, 100, BLOCK, 2 * BLOCK] {
                let rows: Vec<(Vec<f64>, f64)> = (0..n)
                    .map(|k| {
                        let x = (0..p)
                            .map(|j| ((k * 7 + j * 3) % 11) as f64 / 3.0 - 1.5)
                            .collect();
                        (x, 0.5 + (k % 5) as f64 / 4.0)
                    })
                    .collect();
                let mut g = Gram::new(p);
                let (mut s0, mut s1, mut t) = (0.0, vec![0.0; p], vec![0.0; p * p]);
                append(&mut g, &rows, run, (&mut s0, &mut s1, &mut t));
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
                let want_s0: f64 = rows.iter().map(|(_, r)| r).sum();
                assert!(close(s0, want_s0), "n={n} S0 {s0} {want_s0}");
                for j in 0..p {
                    let want: f64 = rows.iter().map(|(x, r)| r * x[j]).sum();
                    assert!(close(s1[j], want), "n={n} S1[{j}] {} {want}", s1[j]);
                }
                let want = naive(&rows, p);
                for i in 0..p {
                    for j in 0..p {
                        let (a, b) = (t[i * p + j], want[i * p + j]);
                        if j > i {
                            assert_eq!(a, 0.0, "upper triangle untouched");
                        } else {
                            assert!(close(a, b), "n={n} run={run} {i},{j}: {a} {b}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn dot2x4_gives_the_bits_of_dot2x1() {
        for m in [0usize, 1, 2, 3, 4, 5, 9, 31] {
            let a: Vec<Vec<f64>> = (0..2)
                .map(|i| {
                    (0..m)
                        .map(|k| ((k * 7 + i) % 13) as f64 / 7.0 - 0.9)
                        .collect()
                })
                .collect();
            let b: Vec<Vec<f64>> = (0..4)
                .map(|j| {
                    (0..m)
                        .map(|k| ((k * 3 + j) % 11) as f64 / 3.0 - 1.7)
                        .collect()
                })
                .collect();
            let d = dot2x4::<F2>(&a[0], &a[1], [&b[0], &b[1], &b[2], &b[3]]);
            for j in 0..4 {
                let one = dot2x1::<F2>(&a[0], &a[1], &b[j]);
                for i in 0..2 {
                    assert_eq!(d[i][j].to_bits(), one[i].to_bits(), "m={m} i={i} j={j}");
                    let naive: f64 = a[i].iter().zip(&b[j]).map(|(x, y)| x * y).sum();
                    assert!((one[i] - naive).abs() <= 1e-12 * naive.abs().max(1.0));
                }
            }
        }
    }

    #[test]
    fn clear_drops_the_buffered_rows() {
        let mut g = Gram::new(2);
        let (mut s0, mut s1, mut t) = (0.0, vec![0.0; 2], vec![0.0; 4]);
        append(
            &mut g,
            &[(vec![1.0, 2.0], 3.0)],
            1,
            (&mut s0, &mut s1, &mut t),
        );
        assert_eq!(
            (s0, s1.clone(), t.clone()),
            (3.0, vec![3.0, 6.0], vec![3.0, 0.0, 6.0, 12.0])
        );
        let m = g.room(
            1,
            Sums {
                s0: &mut s0,
                s1: &mut s1,
                s2: &mut t,
            },
        );
        let (mut cols, r) = g.slots(m);
        r[0] = 5.0;
        cols.col(0)[0] = 1.0;
        cols.col(1)[0] = 1.0;
        g.commit(m);
        g.clear();
        g.flush(Sums {
            s0: &mut s0,
            s1: &mut s1,
            s2: &mut t,
        });
        assert_eq!(
            (s0, s1, t),
            (3.0, vec![3.0, 6.0], vec![3.0, 0.0, 6.0, 12.0])
        );
    }
}
