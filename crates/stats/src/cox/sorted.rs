//! The sorted, centred, scaled covariate rows the Newton iterations read (the rows'
//! order comes from [`crate::order`]).

/// The covariates of the sorted rows, read on the fly: value (k, j) is
/// `(x[col_j][order[k]] − shift_j) · scale_j`, computed when read, so no centred copy of
/// the n×p matrix is ever made (at a million rows × 12 columns a copy is 96 MB).
///
/// The source stays column-major. When the rows already come in sort order (the Cox
/// section sorts them once) it is borrowed as it is; otherwise the chosen columns are
/// gathered into sort order once. The arithmetic is exactly that of centring a copy in
/// place (`(x − shift)·scale`, the same two roundings), so the results are identical.
#[derive(Debug, Clone)]
pub(crate) struct SortedX<'a> {
    /// Column-major n_src × (columns), in sort order.
    src: std::borrow::Cow<'a, [f64]>,
    n: usize,
    /// The source column of each read column j.
    cols: Vec<usize>,
    shift: Vec<f64>,
    scale: Vec<f64>,
    /// Columns of 0/±1 values (the dummies of groups and factors) kept also as bytes by
    /// [`Self::centre_scale`], which [`Self::column_into`] then reads: an eighth of the
    /// memory traffic of the Newton evaluations for those columns, the same values (a
    /// −0 reads as +0, which no sum can tell apart).
    unit: Vec<Option<Vec<i8>>>,
}

impl<'a> SortedX<'a> {
    /// The columns `cols` of the column-major n×· matrix `x`, rows in the order `order`
    /// (borrowed when `order` is the identity), not yet centred (shift 0, scale 1).
    pub(crate) fn new(x: &'a [f64], n: usize, cols: &[usize], order: &[usize]) -> Self {
        let p = cols.len();
        let (src, cols) = if is_identity(order) {
            (std::borrow::Cow::Borrowed(x), cols.to_vec())
        } else {
            let mut out = Vec::with_capacity(n * p);
            for &c in cols {
                let col = &x[c * n..(c + 1) * n];
                out.extend(order.iter().map(|&i| col[i]));
            }
            (std::borrow::Cow::Owned(out), (0..p).collect())
        };
        SortedX {
            src,
            n,
            cols,
            shift: vec![0.0; p],
            scale: vec![1.0; p],
            unit: vec![None; p],
        }
    }

    /// Number of columns read.
    pub(crate) fn p(&self) -> usize {
        self.cols.len()
    }

    /// The raw (not shifted) sorted column j.
    fn raw_col(&self, j: usize) -> &[f64] {
        let c = self.cols[j];
        &self.src[c * self.n..(c + 1) * self.n]
    }

    /// Value (k, j), shifted and scaled.
    #[inline]
    pub(crate) fn get(&self, k: usize, j: usize) -> f64 {
        (self.src[self.cols[j] * self.n + k] - self.shift[j]) * self.scale[j]
    }

    /// Row k, shifted and scaled, into `out` (p values).
    #[inline]
    pub(crate) fn row_into(&self, k: usize, out: &mut [f64]) {
        for (j, o) in out.iter_mut().enumerate() {
            *o = self.get(k, j);
        }
    }

    /// Column j of the rows `rows` (in order), shifted and scaled, into `out`
    /// (`rows.len()` values), each computed as [`Self::get`] does.
    #[inline]
    pub(crate) fn column_into(&self, j: usize, rows: std::ops::Range<usize>, out: &mut [f64]) {
        let (shift, scale) = (self.shift[j], self.scale[j]);
        if let Some(bytes) = &self.unit[j] {
            let col = bytes.get(rows).unwrap_or(&[]);
            for (o, &v) in out.iter_mut().zip(col) {
                *o = (f64::from(v) - shift) * scale;
            }
            return;
        }
        let col = self.raw_col(j).get(rows).unwrap_or(&[]);
        for (o, &v) in out.iter_mut().zip(col) {
            *o = (v - shift) * scale;
        }
    }

    /// Centres every column by its unweighted mean (no scaling), as `cox.zph` does.
    pub(crate) fn centre_unweighted(&mut self) {
        for j in 0..self.p() {
            let col = self.raw_col(j);
            self.shift[j] = col.iter().sum::<f64>() / col.len() as f64;
        }
    }

    /// Centres every column by its weighted mean and scales it by wsum / Σ w|x − mean|
    /// as `coxfit6` does (columns of 0/±1 values and `scale_cols = false`: untouched).
    /// Per column the arithmetic is R's: mean = Σ w x / Σ w, then x − mean, then
    /// (x − mean)·scale, sums in row order. Returns (means, scale).
    pub(crate) fn centre_scale(&mut self, w: &[f64], scale_cols: bool) -> (Vec<f64>, Vec<f64>) {
        let p = self.p();
        if !scale_cols || p == 0 {
            return (vec![0.0; p], vec![1.0; p]);
        }
        let wsum: f64 = w.iter().sum();
        for j in 0..p {
            let col = self.raw_col(j);
            if is_unit_valued(col) {
                // Left alone; read from a byte copy (see [`Self::column_into`]).
                self.unit[j] = Some(col.iter().map(|&v| v as i8).collect());
                continue;
            }
            let mut sum = 0.0;
            for (v, wk) in col.iter().zip(w) {
                sum += wk * v;
            }
            let mean = sum / wsum;
            let mut mad = 0.0;
            for (v, wk) in col.iter().zip(w) {
                mad += wk * (v - mean).abs();
            }
            self.shift[j] = mean;
            if mad > 0.0 {
                self.scale[j] = wsum / mad;
            }
        }
        (self.shift.clone(), self.scale.clone())
    }
}

/// Whether every value is 0, 1 or −1 (such columns are not centred or scaled). Checked
/// by chunks without a branch per value (the compiler vectorizes the chunk).
pub(crate) fn is_unit_valued(col: &[f64]) -> bool {
    col.chunks(256).all(|c| {
        c.iter()
            .fold(true, |ok, &v| ok & ((v == 0.0) | (v.abs() == 1.0)))
    })
}

/// Whether `order` is 0, 1, …, n − 1 (the rows already come sorted).
pub(crate) fn is_identity(order: &[usize]) -> bool {
    order.iter().enumerate().all(|(k, &i)| k == i)
}
