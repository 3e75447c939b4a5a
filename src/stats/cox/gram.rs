//! Weighted Gram sums Σ_k r_k x_k x_kᵀ of a block of rows, added into a running
//! lower-triangular p×p sum: the O(n·p²) part of the Cox partial-likelihood pass.
//!
//! Rows are buffered column-major (p columns of up to [`BLOCK`] values) and summed one
//! block at a time with contiguous dot products over the rows, which the compiler turns
//! into 2-lane SIMD on x86-64 (SSE2) and wasm32 (simd128) alike. Row by row, the same
//! sums are 78 scattered read-modify-writes of lengths 1…p (p = 12), which do not
//! vectorize; by block they cost about a third of that.
//!
//! # Formula
//! T_ij = Σ_k (r_k x_ki) x_kj for i ≥ j, accumulated in four interleaved partial sums
//! (rows k ≡ 0, 1, 2, 3 mod 4) combined as (s₀ + s₁) + (s₂ + s₃), then added to the
//! running sum. The order of the additions is fixed by the code, not by the target, so
//! native and wasm results are bit-identical; they differ from a row-by-row running sum
//! (R's `coxfit6` order) only in the last bits.
//!
//! # R equivalent
//! The `cmat`/`cmat2` updates of C `coxfit6_iter` (survival 3.5-3).

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

    /// Buffer row `x` (p values) with weight `r`; a full buffer is first added to
    /// `tri` (lower triangle, row-major p×p).
    #[inline]
    pub(crate) fn push(&mut self, x: &[f64], r: f64, tri: &mut [f64]) {
        if self.len == BLOCK {
            self.flush(tri);
        }
        let k = self.len;
        for (col, &v) in self.x.chunks_exact_mut(BLOCK).zip(x) {
            if let Some(c) = col.get_mut(k) {
                *c = v;
            }
        }
        if let Some(c) = self.r.get_mut(k) {
            *c = r;
        }
        self.len += 1;
    }

    /// Add Σ r x xᵀ of the buffered rows to the lower triangle `tri` (`tri[i·p + j]`,
    /// i ≥ j) and empty the buffer.
    pub(crate) fn flush(&mut self, tri: &mut [f64]) {
        let (p, m) = (self.p, self.len);
        if m == 0 {
            return;
        }
        let r = &self.r[..m];
        for (rxc, xc) in self
            .rx
            .chunks_exact_mut(BLOCK)
            .zip(self.x.chunks_exact(BLOCK))
        {
            for ((o, &rk), &xk) in rxc.iter_mut().zip(r).zip(xc) {
                *o = rk * xk;
            }
        }
        let col = |j: usize| &self.x[j * BLOCK..j * BLOCK + m];
        for i in 0..p {
            let rxi = &self.rx[i * BLOCK..i * BLOCK + m];
            let row = &mut tri[i * p..i * p + i + 1];
            // Four columns at a time share the loads of r·x_i (same sums as `dot`).
            let j0 = row.len() / 4 * 4;
            let mut quads = row.chunks_exact_mut(4);
            for (q, tq) in (&mut quads).enumerate() {
                let j = 4 * q;
                let d = dot4(rxi, [col(j), col(j + 1), col(j + 2), col(j + 3)]);
                for (t, v) in tq.iter_mut().zip(d) {
                    *t += v;
                }
            }
            for (j, t) in quads.into_remainder().iter_mut().enumerate() {
                *t += dot(rxi, col(j0 + j));
            }
        }
        self.len = 0;
    }
}

/// [`dot`] of `a` with four vectors at once, each sum in exactly `dot`'s order.
#[inline]
fn dot4(a: &[f64], b: [&[f64]; 4]) -> [f64; 4] {
    let mut s = [[0.0f64; 4]; 4];
    let chunks = a
        .chunks_exact(4)
        .zip(b[0].chunks_exact(4))
        .zip(b[1].chunks_exact(4))
        .zip(b[2].chunks_exact(4))
        .zip(b[3].chunks_exact(4));
    for ((((x, y0), y1), y2), y3) in chunks {
        for l in 0..4 {
            s[0][l] += x[l] * y0[l];
            s[1][l] += x[l] * y1[l];
            s[2][l] += x[l] * y2[l];
            s[3][l] += x[l] * y3[l];
        }
    }
    let tail = a.len() / 4 * 4;
    let mut out = [0.0; 4];
    for (o, (sj, bj)) in out.iter_mut().zip(s.iter().zip(b)) {
        let mut t = 0.0;
        for (x, y) in a[tail..].iter().zip(&bj[tail..]) {
            t += x * y;
        }
        *o = (sj[0] + sj[1]) + (sj[2] + sj[3]) + t;
    }
    out
}

/// Σ a_k b_k in four interleaved partial sums, (s₀ + s₁) + (s₂ + s₃) + the tail.
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let (at, bt) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for l in 0..4 {
            s[l] += x[l] * y[l];
        }
    }
    let mut tail = 0.0;
    for (x, y) in at.iter().zip(bt) {
        tail += x * y;
    }
    (s[0] + s[1]) + (s[2] + s[3]) + tail
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

    #[test]
    fn blocks_give_the_row_by_row_sums() {
        let p = 5;
        for n in [0usize, 1, 3, 4, 7, BLOCK, BLOCK + 1, 3 * BLOCK + 5] {
            let rows: Vec<(Vec<f64>, f64)> = (0..n)
                .map(|k| {
                    let x = (0..p)
                        .map(|j| ((k * 7 + j * 3) % 11) as f64 / 3.0 - 1.5)
                        .collect();
                    (x, 0.5 + (k % 5) as f64 / 4.0)
                })
                .collect();
            let mut g = Gram::new(p);
            let mut t = vec![0.0; p * p];
            for (x, r) in &rows {
                g.push(x, *r, &mut t);
            }
            g.flush(&mut t);
            let want = naive(&rows, p);
            for i in 0..p {
                for j in 0..p {
                    let (a, b) = (t[i * p + j], want[i * p + j]);
                    if j > i {
                        assert_eq!(a, 0.0, "upper triangle untouched");
                    } else {
                        assert!(
                            (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                            "n={n} {i},{j}: {a} {b}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn dot4_gives_the_bits_of_dot() {
        for m in [0usize, 1, 3, 4, 5, 9, 31] {
            let a: Vec<f64> = (0..m).map(|k| ((k * 7) % 13) as f64 / 7.0 - 0.9).collect();
            let b: Vec<Vec<f64>> = (0..4)
                .map(|j| {
                    (0..m)
                        .map(|k| ((k * 3 + j) % 11) as f64 / 3.0 - 1.7)
                        .collect()
                })
                .collect();
            let d = dot4(&a, [&b[0], &b[1], &b[2], &b[3]]);
            for j in 0..4 {
                assert_eq!(d[j].to_bits(), dot(&a, &b[j]).to_bits(), "m={m} j={j}");
            }
        }
    }

    #[test]
    fn clear_drops_the_buffered_rows() {
        let mut g = Gram::new(2);
        let mut t = vec![0.0; 4];
        g.push(&[1.0, 2.0], 3.0, &mut t);
        g.clear();
        g.push(&[1.0, 1.0], 1.0, &mut t);
        g.flush(&mut t);
        assert_eq!(t, vec![1.0, 0.0, 1.0, 1.0]);
    }
}
