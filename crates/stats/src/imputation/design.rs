//! The design matrix of one imputation model: every other column at its current values
//! (a categorical one as indicators of its levels 1..L−1, level 0 the reference), the
//! event indicator and the cumulative hazard (White & Royston 2009), standardized.
//!
//! # Formula
//! Each raw predictor v is centred and scaled on the rows that fit the model (the rows
//! where the target is observed): z = (v − mean) / sd, the same map applied to every
//! row. Predictions, the posterior draws of the linear model and the augmented rows of
//! the logistic models are unchanged by this affine map (it only improves the
//! conditioning of XᵀX). A predictor with (near-)zero variance on those rows, sd ≤
//! 1e-8·max(1, |mean|), is left out, as mice's `remove.lindep` leaves out predictors
//! whose variance among the observed cases is ≤ eps (mice's eps = 1e-4 is absolute, so
//! scale-dependent; this threshold is relative).
//!
//! # R equivalent
//! mice's `predictorMatrix` with every other column as predictor
//! (`make.predictorMatrix`), factors entering through `model.matrix` (treatment
//! contrasts), plus the columns `status` and `nelsonaalen(data, time, status)`.

use super::ColumnValues;

/// Intercept-first, standardized design of all n rows: `x[i·q + j]`, q = 1 + predictors.
#[derive(Debug, Clone)]
pub(super) struct Design {
    /// Columns of the design, intercept included.
    pub q: usize,
    /// Row-major n×q.
    pub x: Vec<f64>,
}

impl Design {
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.q..(i + 1) * self.q]
    }
}

/// The raw predictor columns for `target` (current values of every other column, then
/// event and cumulative hazard).
fn raw_predictors<'a>(
    current: &'a [ColumnValues],
    target: usize,
    event: &'a [f64],
    cumulative_hazard: &'a [f64],
) -> Vec<Vec<f64>> {
    let mut raw = Vec::new();
    for (k, column) in current.iter().enumerate() {
        if k == target {
            continue;
        }
        match column {
            ColumnValues::Numeric(values) => raw.push(values.clone()),
            ColumnValues::Categorical { codes, n_levels } => {
                for level in 1..*n_levels {
                    raw.push(
                        codes
                            .iter()
                            .map(|&c| f64::from(u8::from(c as usize == level)))
                            .collect(),
                    );
                }
            }
        }
    }
    raw.push(event.to_vec());
    raw.push(cumulative_hazard.to_vec());
    raw
}

/// The standardized design of `target`'s model; `fit_rows` are the rows where the
/// target is observed (they set the centring and scaling and which predictors vary).
pub(super) fn design(
    current: &[ColumnValues],
    target: usize,
    event: &[f64],
    cumulative_hazard: &[f64],
    fit_rows: &[usize],
) -> Design {
    let n = event.len();
    let mut kept: Vec<(Vec<f64>, f64, f64)> = Vec::new();
    let m = fit_rows.len() as f64;
    for column in raw_predictors(current, target, event, cumulative_hazard) {
        if fit_rows.len() < 2 {
            break;
        }
        let mean = fit_rows.iter().map(|&i| column[i]).sum::<f64>() / m;
        let var = fit_rows
            .iter()
            .map(|&i| (column[i] - mean) * (column[i] - mean))
            .sum::<f64>()
            / (m - 1.0);
        let sd = var.sqrt();
        if sd.is_finite() && sd > 1e-8 * mean.abs().max(1.0) {
            kept.push((column, mean, sd));
        }
    }
    let q = 1 + kept.len();
    let mut x = vec![0.0; n * q];
    for (i, row) in x.chunks_exact_mut(q).enumerate() {
        row[0] = 1.0;
        for (slot, (column, mean, sd)) in row[1..].iter_mut().zip(&kept) {
            *slot = (column[i] - mean) / sd;
        }
    }
    Design { q, x }
}
