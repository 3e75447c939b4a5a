//! Greedy nearest-neighbour matching on a scalar score (the linear propensity score),
//! 1:k, with or without replacement, within an optional caliper; MatchIt's matching
//! weights.
//!
//! # Algorithm
//! Treated rows (`treated[i]`) are matched to control rows on `score` (the logit of the
//! propensity score), distance d(t, c) = |score_c − score_t| (computed as that f64).
//!
//! * **Order.** Treated rows choose in [`MatchOrder`]: largest score first, smallest
//!   first, or file order; ties in the score keep file order (R's stable `order()`).
//! * **Without replacement**, `ratio` k runs k rounds: round 1 takes every treated row in
//!   order, each taking the nearest control not yet used; round 2 does the same for the
//!   treated rows that found a control in round 1, and so on (MatchIt's `nn_matchC`: "all
//!   treated units will be attempted to be matched with a control unit before any
//!   treated unit is matched with a second control unit"). A treated row that found no
//!   control in round r finds none later: the set of eligible controls only shrinks.
//! * **With replacement** every control stays eligible: each treated row takes its k
//!   nearest controls at once (MatchIt's `replace = TRUE` routine, which has no rounds);
//!   the order of the treated rows changes nothing.
//! * **Caliper.** Only controls with d ≤ `caliper` (a width on the score's scale) are
//!   eligible; a treated row without one stays unmatched. Caliper 0 matches identical
//!   scores only.
//! * **Ties** in distance go to the control first in the file (MatchIt's `which_min`
//!   over the eligible controls in file order). Within a set, controls are listed in
//!   the order chosen: round by round, and with replacement by distance (ties: file
//!   order). MatchIt's replacement routine lists a set in file order instead when no
//!   more than k controls are eligible (which changes no weight and no analysis).
//!
//! # Weights (MatchIt's `weights_matrixC` / `get_weights_from_mm`)
//! A matched treated row weighs 1. A control weighs Σ over the sets it belongs to of
//! 1/(number of controls in the set); then the control weights are scaled so that they
//! sum to the number of controls with a positive weight: w_c ← w_c · m₀ / Σ w, m₀ =
//! #{w_c > 0}. Unmatched rows weigh 0. Without replacement and with full sets every
//! weight is 1; with replacement a control used by several treated rows weighs more.
//!
//! # Cost
//! O(n log n): the controls are sorted once and grouped into blocks of equal score (a
//! block hands out its controls in file order, so the control first in the file is the
//! one a tie gives); used-up blocks are skipped by two union–find structures over the
//! sorted blocks (nearest non-empty block to the left and to the right), so each
//! treated row's search is a binary search plus amortized near-constant skips.
//!
//! # References
//! * Ho, D. E., Imai, K., King, G. & Stuart, E. A. (2011). MatchIt: nonparametric
//!   preprocessing for parametric causal inference. *J. Stat. Softw.* 42(8), 1–28.
//! * MatchIt documentation, `method_nearest` ("greedy nearest neighbor matching") and
//!   the source of `nn_matchC` / `weights_matrixC`.
//! * Austin, P. C. (2011). An introduction to propensity score methods for reducing the
//!   effects of confounding in observational studies. *Multivar. Behav. Res.* 46, 399–424.
//!
//! # R equivalent
//! `MatchIt::matchit(treat ~ 1, data, method = "nearest", distance = score, caliper =
//! caliper, std.caliper = FALSE, ratio = k, replace = replace, m.order = order)`:
//! `match.matrix` (= [`Matching::sets`]), `weights`, `subclass`. MatchIt 4.5.1's fast
//! routine for a vector distance does not honour every caliper, so the project's R
//! reference is a plain greedy matcher written in `tests/r/make_reference_matching.R`,
//! cross-checked against MatchIt where MatchIt follows its documented algorithm.

mod pool;

use pool::ControlPool;

/// The order in which treated rows choose their controls (MatchIt's `m.order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchOrder {
    /// Largest score first.
    #[default]
    Largest,
    /// Smallest score first.
    Smallest,
    /// File order.
    Data,
}

/// Settings of [`nearest_neighbour`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// Controls per treated row (k ≥ 1).
    pub ratio: usize,
    /// The largest allowed distance, on the score's scale (see [`caliper_width`]);
    /// `None`: no caliper.
    pub caliper: Option<f64>,
    /// A control may serve several treated rows.
    pub replace: bool,
    pub order: MatchOrder,
}

/// Why no matching exists.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MatchError {
    /// `score` and `treated` differ in length, or `ratio` is 0.
    BadShape { message: String },
    /// A score or the caliper is not finite (or the caliper is negative).
    NotFinite { message: String },
}

impl std::fmt::Display for MatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MatchError::BadShape { message } | MatchError::NotFinite { message } => {
                write!(f, "matching: {message}")
            }
        }
    }
}

impl std::error::Error for MatchError {}

/// One treated row and the controls it took (row indices of the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedSet {
    pub treated: usize,
    /// In the order chosen (round 1 first).
    pub controls: Vec<usize>,
}

/// The result of [`nearest_neighbour`].
#[derive(Debug, Clone, PartialEq)]
pub struct Matching {
    /// The matched treated rows in file order (the rows of MatchIt's `match.matrix`
    /// that hold a match), each with its controls.
    pub sets: Vec<MatchedSet>,
    /// Matching weight of every input row (0: unmatched).
    pub weights: Vec<f64>,
    /// Without replacement: the matched set (index into `sets`) of every matched row,
    /// `None` for an unmatched row (MatchIt's `subclass`). With replacement: `None`
    /// (a control may belong to several sets).
    pub subclass: Option<Vec<Option<u32>>>,
}

impl Matching {
    /// Rows with a positive weight among the treated (`true`) or the controls.
    pub fn n_matched(&self, treated: &[bool], arm: bool) -> usize {
        self.weights
            .iter()
            .zip(treated)
            .filter(|(&w, &t)| t == arm && w > 0.0)
            .count()
    }
}

/// The caliper's width on the score scale: `caliper` × the sample SD (divisor n − 1)
/// of `score`; `None` for fewer than two rows.
///
/// # R equivalent
/// `caliper * sd(score)` (MatchIt's `std.caliper = TRUE` on the whole matching sample)
pub fn caliper_width(score: &[f64], caliper: f64) -> Option<f64> {
    crate::describe::variance(score).map(|v| caliper * v.sqrt())
}

/// Greedy nearest-neighbour matching of the `treated` rows to the others on `score`
/// (see the module docs for the algorithm, the weights and the R equivalent).
pub fn nearest_neighbour(
    score: &[f64],
    treated: &[bool],
    opts: &MatchOptions,
) -> Result<Matching, MatchError> {
    check(score, treated, opts)?;
    let n = score.len();
    let controls: Vec<usize> = (0..n).filter(|&i| !treated[i]).collect();
    let order = treated_order(score, treated, opts.order);
    let width = opts.caliper.unwrap_or(f64::INFINITY);
    let mut pool = ControlPool::new(score, &controls);
    // chosen[t]: the controls of treated row t, indexed by treated row.
    let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); n];
    if opts.replace {
        for &t in &order {
            chosen[t] = pool.k_nearest(score[t], width, opts.ratio);
        }
    } else {
        let mut active = order;
        for _round in 0..opts.ratio {
            if active.is_empty() || pool.is_empty() {
                break;
            }
            let mut next = Vec::with_capacity(active.len());
            for &t in &active {
                if let Some(c) = pool.take_nearest(score[t], width) {
                    chosen[t].push(c);
                    next.push(t);
                }
            }
            active = next;
        }
    }
    let sets: Vec<MatchedSet> = chosen
        .into_iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(treated, controls)| MatchedSet { treated, controls })
        .collect();
    let weights = matching_weights(&sets, treated);
    let subclass = (!opts.replace).then(|| {
        let mut s = vec![None; n];
        for (k, set) in sets.iter().enumerate() {
            s[set.treated] = Some(k as u32);
            for &c in &set.controls {
                s[c] = Some(k as u32);
            }
        }
        s
    });
    Ok(Matching {
        sets,
        weights,
        subclass,
    })
}

fn check(score: &[f64], treated: &[bool], opts: &MatchOptions) -> Result<(), MatchError> {
    if score.len() != treated.len() {
        return Err(MatchError::BadShape {
            message: format!(
                "{} scores for {} treatment indicators",
                score.len(),
                treated.len()
            ),
        });
    }
    if opts.ratio == 0 {
        return Err(MatchError::BadShape {
            message: "ratio 0: at least one control per treated row".into(),
        });
    }
    if let Some(i) = score.iter().position(|s| !s.is_finite()) {
        return Err(MatchError::NotFinite {
            message: format!("the score of row {i} is {}", score[i]),
        });
    }
    if let Some(c) = opts.caliper.filter(|c| c.is_nan() || *c < 0.0) {
        return Err(MatchError::NotFinite {
            message: format!("caliper {c} is not a width ≥ 0"),
        });
    }
    Ok(())
}

/// The treated rows in the order they choose: by score (descending or ascending, ties
/// in file order, as R's stable `order()`), or file order.
///
/// # R equivalent
/// `order(score[treat == 1], decreasing = TRUE)` (largest), `order(score[treat == 1])`
/// (smallest), `seq_len(n1)` (data)
pub fn treated_order(score: &[f64], treated: &[bool], order: MatchOrder) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..score.len()).filter(|&i| treated[i]).collect();
    match order {
        MatchOrder::Data => {}
        MatchOrder::Smallest => rows.sort_by(|&a, &b| score[a].total_cmp(&score[b])),
        MatchOrder::Largest => rows.sort_by(|&a, &b| score[b].total_cmp(&score[a])),
    }
    rows
}

/// MatchIt's matching weights of the `sets` (module docs, "Weights").
///
/// # R equivalent
/// `MatchIt:::weights_matrixC(match.matrix, treat)` followed by the scaling of the
/// control weights to sum to the number of matched controls.
pub fn matching_weights(sets: &[MatchedSet], treated: &[bool]) -> Vec<f64> {
    let mut w = vec![0.0; treated.len()];
    for set in sets {
        if set.controls.is_empty() {
            continue;
        }
        let share = 1.0 / set.controls.len() as f64;
        for &c in &set.controls {
            w[c] += share;
        }
        w[set.treated] += 1.0;
    }
    // Scale each arm's weights to sum to its number of matched rows (the treated arm
    // already does: every matched treated row weighs 1).
    for arm in [true, false] {
        let (mut sum, mut matched) = (0.0, 0usize);
        for (&wi, &t) in w.iter().zip(treated) {
            if t == arm {
                sum += wi;
                matched += usize::from(wi > 0.0);
            }
        }
        let m = matched as f64;
        if sum == 0.0 || sum == m {
            continue;
        }
        for (wi, &t) in w.iter_mut().zip(treated) {
            if t == arm {
                *wi *= m / sum;
            }
        }
    }
    w
}

#[cfg(test)]
mod tests;
