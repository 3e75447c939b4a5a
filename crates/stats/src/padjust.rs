//! Multiple-testing adjustment of p-values, as R's `stats::p.adjust`.
//!
//! With m = `p.len()` and p₍₁₎ ≤ … ≤ p₍ₘ₎ the sorted p-values:
//!
//! * Bonferroni: min(1, m·p).
//! * Holm (step-down): p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m + 1 − j)·p₍ⱼ₎).
//! * Benjamini–Hochberg (step-up, FDR): p̃₍ᵢ₎ = min(1, min_{j ≥ i} (m/j)·p₍ⱼ₎).
//!
//! As in R, m ≤ 1 returns the input unchanged (not even capped at 1), and the arithmetic
//! follows R's expression order (`(n + 1 - i) * p`, `n / i * p`), so results agree to the
//! last bit in ordinary cases. NaN entries are treated as R treats `NA` (see [`adjust`]).
//!
//! # References
//! Holm, S. (1979). A simple sequentially rejective multiple test procedure.
//! *Scand. J. Statist.* 6, 65–70.
//! Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
//! *J. R. Statist. Soc. B* 57, 289–300.
//!
//! # R equivalent
//! `p.adjust(p, method = "none" | "holm" | "bonferroni" | "BH")`

/// Adjustment method (R's `p.adjust` `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PAdjust {
    /// `"none"`: p unchanged.
    None,
    /// `"holm"` (R's default): Holm's step-down.
    #[default]
    Holm,
    /// `"bonferroni"`: m·p capped at 1.
    Bonferroni,
    /// `"BH"` / `"fdr"`: Benjamini–Hochberg step-up.
    BenjaminiHochberg,
}

/// Adjust `p` for multiple comparisons; output in the input order.
///
/// NaN entries stay NaN and are left out entirely: m counts only the non-NaN values.
/// That is what R does with `NA`, although its signature reads `n = length(p)`: the
/// default is evaluated lazily, after `p` has been subset to its non-NA values, so
/// `p.adjust(c(0.01, NA, 0.02), "holm")` is `0.02 NA 0.02`.
///
/// # R equivalent
/// `p.adjust(p, method)`
pub fn adjust(p: &[f64], method: PAdjust) -> Vec<f64> {
    let m = p.iter().filter(|x| !x.is_nan()).count();
    if m <= 1 {
        return p.to_vec();
    }
    let nf = m as f64;
    let mut out = p.to_vec();
    match method {
        PAdjust::None => {}
        PAdjust::Bonferroni => {
            for x in out.iter_mut().filter(|x| !x.is_nan()) {
                *x = (nf * *x).min(1.0);
            }
        }
        PAdjust::Holm => {
            // R: i <- seq_len(lp); o <- order(p); pmin(1, cummax((n + 1L - i) * p[o]))[ro]
            let mut run = f64::NEG_INFINITY;
            for (i0, idx) in sorted_order(p).into_iter().enumerate() {
                run = run.max((nf + 1.0 - (i0 + 1) as f64) * p[idx]);
                out[idx] = run.min(1.0);
            }
        }
        PAdjust::BenjaminiHochberg => {
            // R: i <- lp:1L; o <- order(p, decreasing = TRUE); pmin(1, cummin(n/i * p[o]))[ro]
            let mut run = f64::INFINITY;
            for (i0, idx) in sorted_order(p).into_iter().enumerate().rev() {
                run = run.min(nf / (i0 + 1) as f64 * p[idx]);
                out[idx] = run.min(1.0);
            }
        }
    }
    out
}

/// Indices of the non-NaN entries of `p`, sorted ascending (stable).
fn sorted_order(p: &[f64]) -> Vec<usize> {
    let mut o: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    o.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    o
}
