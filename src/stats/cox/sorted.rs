//! The one sort of a Cox analysis and the sorted, centred, scaled covariate rows the
//! Newton iterations read.

/// Rows sorted by (stratum, time) ascending, stable: the one sort of a Cox analysis
/// (fit, concordance and zph all walk the rows in this order). Time-only data sorts the
/// times alone.
pub fn time_order(time: &[f64], stratum: Option<&[u32]>) -> Vec<usize> {
    match stratum.filter(|s| s.len() >= time.len()) {
        Some(s) => {
            // (stratum, time key, row), unstable: the row breaks ties, so it is stable.
            let mut keyed: Vec<(u32, i64, usize)> = time
                .iter()
                .zip(s)
                .enumerate()
                .map(|(i, (&t, &st))| (st, crate::stats::surv::total_order_key(t), i))
                .collect();
            keyed.sort_unstable();
            keyed.into_iter().map(|(_, _, i)| i).collect()
        }
        None => crate::stats::surv::order_by_time(time),
    }
}

/// The covariates of the sorted rows, row-major n×p (`xs[k·p + j]` = column j of input
/// row `order[k]`), gathered once so every later pass reads rows contiguously.
///
/// Column by column: each pass reads one column and writes a stride. When the rows come
/// already in this order (the Cox section sorts its rows once), `order` is the identity
/// and this is a sequential copy; a random gather of p columns was most of the time of
/// `prepare` at a million rows.
pub(super) fn sorted_rows(x: &[f64], n: usize, p: usize, order: &[usize]) -> Vec<f64> {
    let mut xs = vec![0.0; n * p];
    for j in 0..p {
        let col = &x[j * n..(j + 1) * n];
        for (v, &i) in xs.iter_mut().skip(j).step_by(p).zip(order) {
            *v = col[i];
        }
    }
    xs
}

/// Centres every column by its weighted mean and scales it by wsum / Σ w|x − mean| as
/// `coxfit6` does (columns of 0/±1 values and `scale_cols = false`: untouched), in place
/// on the row-major matrix. Per column the arithmetic is R's: mean = Σ w x / Σ w, then
/// x − mean, then (x − mean)·scale, sums in row order.
pub(super) fn centre_scale(
    mut xs: Vec<f64>,
    p: usize,
    w: &[f64],
    scale_cols: bool,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut means = vec![0.0; p];
    let mut scale = vec![1.0; p];
    if !scale_cols || p == 0 {
        return (xs, means, scale);
    }
    let mut active = vec![false; p];
    let mut sums = vec![0.0; p];
    for (row, wk) in xs.chunks_exact(p).zip(w) {
        for j in 0..p {
            let v = row[j];
            active[j] |= !(v == 0.0 || v == 1.0 || v == -1.0);
            sums[j] += wk * v;
        }
    }
    let wsum: f64 = w.iter().sum();
    for j in 0..p {
        if active[j] {
            means[j] = sums[j] / wsum;
        }
    }
    let mut mad = vec![0.0; p];
    for (row, wk) in xs.chunks_exact_mut(p).zip(w) {
        for j in 0..p {
            if active[j] {
                row[j] -= means[j];
                mad[j] += wk * row[j].abs();
            }
        }
    }
    for j in 0..p {
        if active[j] && mad[j] > 0.0 {
            scale[j] = wsum / mad[j];
        }
    }
    for row in xs.chunks_exact_mut(p) {
        for j in 0..p {
            if active[j] {
                row[j] *= scale[j];
            }
        }
    }
    (xs, means, scale)
}
