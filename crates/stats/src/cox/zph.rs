//! The proportional-hazards test of `cox.zph` (survival ≥ 3.0) and scaled Schoenfeld
//! residuals.
//!
//! # Formula
//! An exact score test, at β̂, of adding x·g(t) for every column (no refit). g is the
//! transformed time (km: 1 − Ŝ(t−) of the pooled, unweighted Kaplan–Meier; rank: rank of
//! the time among all rows, ties averaged; identity: t), centred by its mean over event
//! rows. In one backward pass (Efron/Breslow as the fit) accumulate the 2p score
//! U = (Σ w(x − x̄), Σ_deaths g·w(x − x̄)) and the 2p×2p information
//! [[ΣV, ΣgV], [ΣgV, Σg²V]]. For a term with columns J, u = (0, U₂(J)) and
//! χ² = uᵀM⁻¹u with M the rows/columns {1..p} ∪ {p + J}; df = |J|. GLOBAL: all 2p, df = p.
//!
//! Scaled Schoenfeld residuals: r* = (I/d)⁻¹ r + β̂ with r = x − x̄(t) per event
//! (unweighted; Efron: the mean of the e partial means), I the p×p block, d the number
//! of events (per pair of columns, the strata where both vary). A multi-column term is
//! projected on β_J and 1 is added instead of β̂.
//!
//! # References
//! Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards tests and diagnostics
//! based on weighted residuals. *Biometrika* 81, 515–526.
//! Therneau, T. M. & Grambsch, P. M. (2000). *Modeling Survival Data*, §6.2.
//!
//! On (start, stop] rows ([`zph_counting`]) the pass runs over the counting-process risk
//! sets (start < t ≤ stop): a row leaves the running sums before the first death time at
//! or before its start; g is read at the stop times.
//!
//! # R equivalent
//! `cox.zph(fit, transform = "km", terms = TRUE)` (R/cox.zph.R and C `zph1`; C `zph2`
//! for `Surv(start, stop, event)` fits, survival 3.5-3): `$table`, `$x`, `$time`, `$y`.

use super::riskset;
use super::sorted::{is_identity, SortedX};
use super::zph_pass::{accumulate, Acc, Pass};
use super::zph_scaled::scaled_schoenfeld;
use super::zph_transform::transform_times;
pub use super::zph_transform::ZphTransform;
use super::{ChisqTest, CoxData, CoxFit, Ties};
use crate::linalg;
use crate::math;
use std::borrow::Cow;

/// One term of the test.
#[derive(Debug, Clone, PartialEq)]
pub struct ZphTerm {
    /// The columns tested (aliased ones removed).
    pub columns: Vec<usize>,
    pub test: ChisqTest,
}

/// Result of [`zph`].
#[derive(Debug, Clone, PartialEq)]
pub struct ZphResult {
    /// One entry per requested term; `None` when every column of the term is aliased.
    pub terms: Vec<Option<ZphTerm>>,
    pub global: ChisqTest,
    /// Event times (ordered by stratum then time) — `fit$time`.
    pub time: Vec<f64>,
    /// Transformed times g(t) at the events, before centring — `fit$x`.
    pub x: Vec<f64>,
    /// Scaled Schoenfeld residuals, one vector per requested term (`None` entries for
    /// aliased terms or strata where the term is constant) — `fit$y`.
    pub scaled: Vec<Vec<Option<f64>>>,
    /// Per requested term, the diagonal of `solve(vmean)` (the `cox.zph` object's `$var`),
    /// which `plot.cox.zph` uses for the band of the smooth; `None` for aliased terms.
    pub var: Vec<Option<f64>>,
}

/// The PH test of a fitted model.
///
/// `data` must be the data of `fit` (same rows, same order); `terms` lists the column
/// indices of each term in column order (e.g. all dummies of a categorical column
/// together) and must cover the columns in order.
///
/// # R equivalent
/// `cox.zph(fit, transform = c("km", "rank", "identity"))`.
pub fn zph(
    data: &CoxData,
    fit: &CoxFit,
    ties: Ties,
    transform: ZphTransform,
    terms: &[Vec<usize>],
) -> ZphResult {
    zph_with(data, fit, ties, transform, terms, true)
}

/// [`zph`]; with `residuals = false` only the tests: the scaled Schoenfeld residuals
/// (`scaled`, `var`) are left empty and their O(d·p) memory is never allocated.
pub fn zph_with(
    data: &CoxData,
    fit: &CoxFit,
    ties: Ties,
    transform: ZphTransform,
    terms: &[Vec<usize>],
    residuals: bool,
) -> ZphResult {
    zph_impl(
        data,
        None,
        fit,
        ZphOptions {
            ties,
            transform,
            residuals,
        },
        terms,
    )
}

/// [`zph_with`] for a fit on counting-process (start, stop] rows ([`super::fit_counting`]):
/// `data.time` holds the stops, `start` the entries. The risk set at t is
/// start < t ≤ stop in the stratum; g(t) is read at the stops, the `km` transform from
/// the counting-process Kaplan–Meier curve. Events tied at a stop come out in the
/// reverse of their input order, as R's `zph2` returns them.
///
/// # R equivalent
/// `cox.zph(coxph(Surv(start, stop, event) ~ ...), transform = )` (C `zph2`,
/// survival 3.5-3).
pub fn zph_counting(
    data: &CoxData,
    start: &[f64],
    fit: &CoxFit,
    opts: ZphOptions,
    terms: &[Vec<usize>],
) -> ZphResult {
    zph_impl(data, Some(start), fit, opts, terms)
}

/// The settings of one PH test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ZphOptions {
    /// The fit's tie method.
    pub ties: Ties,
    pub transform: ZphTransform,
    /// Whether to compute the scaled Schoenfeld residuals (`scaled`, `var`).
    pub residuals: bool,
}

fn zph_impl(
    data: &CoxData,
    entry: Option<&[f64]>,
    fit: &CoxFit,
    opts: ZphOptions,
    terms: &[Vec<usize>],
) -> ZphResult {
    let n = data.n();
    let keep: Vec<usize> = (0..fit.coef.len())
        .filter(|&j| fit.coef[j].is_some())
        .collect();
    let p = keep.len();
    // Terms in the kept-column index space.
    let kterms: Vec<Vec<usize>> = terms
        .iter()
        .map(|t| {
            t.iter()
                .filter_map(|c| keep.iter().position(|k| k == c))
                .collect()
        })
        .collect();
    let ttimes = transform_times(data.time, data.event, entry, opts.transform);
    let strat = dense_strata(data.stratum, n);
    // The fit's sort (the same function on the same rows gives the same order).
    let order: Cow<[usize]> = if fit.order.len() == n {
        Cow::Borrowed(&fit.order)
    } else {
        Cow::Owned(crate::order::fit_order(data.time, data.event, data.stratum))
    };
    let mut acc = run_pass(data, entry, fit, (&keep, &order, &strat), &ttimes, opts);
    let test_of = |cols: &[usize]| chisq_test(&acc, p, cols);
    let term_tests = kterms
        .iter()
        .map(|cols| {
            (!cols.is_empty()).then(|| ZphTerm {
                columns: cols.iter().map(|&c| keep[c]).collect(),
                test: test_of(cols),
            })
        })
        .collect();
    let all: Vec<usize> = (0..p).collect();
    let global = test_of(&all);
    let mut events: Vec<usize> = order.iter().copied().filter(|&i| data.event[i]).collect();
    if entry.is_some() {
        reverse_tied_events(&mut events, &mut acc.schoen, p, data.time, &strat);
    }
    let beta: Vec<f64> = keep.iter().map(|&j| fit.coef[j].unwrap_or(0.0)).collect();
    let (scaled, var) = if opts.residuals {
        scaled_schoenfeld(&acc, p, &kterms, &beta, &events, &strat)
    } else {
        (Vec::new(), Vec::new())
    };
    ZphResult {
        terms: term_tests,
        global,
        time: events.iter().map(|&i| data.time[i]).collect(),
        x: events.iter().map(|&i| ttimes[i]).collect(),
        scaled,
        var,
    }
}

/// The one pass over the rows in the fit's sort: every per-row input in sort order
/// (borrowed when the rows already come sorted), the kept columns recentred by their
/// unweighted means when read, g centred by its mean over the event rows.
fn run_pass(
    data: &CoxData,
    entry: Option<&[f64]>,
    fit: &CoxFit,
    (keep, order, strat): (&[usize], &[usize], &[usize]),
    ttimes: &[f64],
    opts: ZphOptions,
) -> Acc {
    let n = data.n();
    let nev = data.event.iter().filter(|&&e| e).count();
    let gmean = if nev > 0 {
        (0..n)
            .filter(|&i| data.event[i])
            .map(|i| ttimes[i])
            .sum::<f64>()
            / nev as f64
    } else {
        0.0
    };
    let mut x = SortedX::new(data.x, n, keep, order);
    x.centre_unweighted();
    let sorted = is_identity(order);
    let pick = |v: &[f64]| -> Vec<f64> { order.iter().map(|&i| v[i]).collect() };
    let pick_f = |v: &'_ [f64]| -> Option<Vec<f64>> { (!sorted).then(|| pick(v)) };
    let sorted_w = data
        .weight
        .map(|w| pick_f(w).map_or(Cow::Borrowed(w), Cow::Owned));
    let w_or_1 = |k: usize| sorted_w.as_ref().map_or(1.0, |w| w[k]);
    let risk: Vec<f64> = order
        .iter()
        .enumerate()
        .map(|(k, &i)| math::exp(fit.linear_predictors[i]) * w_or_1(k))
        .collect();
    let sorted_event: Cow<[bool]> = if sorted {
        Cow::Borrowed(data.event)
    } else {
        Cow::Owned(order.iter().map(|&i| data.event[i]).collect())
    };
    let gtime: Vec<f64> = order.iter().map(|&i| ttimes[i] - gmean).collect();
    let sorted_strat: Cow<[usize]> = if sorted {
        Cow::Borrowed(strat)
    } else {
        Cow::Owned(order.iter().map(|&i| strat[i]).collect())
    };
    let time = pick_f(data.time).map_or(Cow::Borrowed(data.time), Cow::Owned);
    let entry = entry.map(|e| {
        let codes: Vec<u32> = sorted_strat.iter().map(|&s| s as u32).collect();
        (riskset::Entry::new(pick(e), &codes), codes)
    });
    accumulate(&Pass {
        n,
        x: &x,
        time: &time,
        event: &sorted_event,
        strat: &sorted_strat,
        entry: entry.as_ref().map(|(e, codes)| (e, &codes[..])),
        gtime: &gtime,
        weight: sorted_w.as_deref(),
        risk: &risk,
        ties: opts.ties,
        residuals: opts.residuals,
    })
}

/// χ² of the columns `cols` (kept-column indices): u = (0, U₂(cols)), M the rows and
/// columns {1..p} ∪ {p + cols} of the information, χ² = uᵀM⁻¹u by an ordinary solve
/// (NaN where R's `solve` stops on a singular M); df = |cols|.
fn chisq_test(acc: &Acc, p: usize, cols: &[usize]) -> ChisqTest {
    let m = 2 * p;
    let kk: Vec<usize> = (0..p).chain(cols.iter().map(|c| p + c)).collect();
    let k = kk.len();
    let mut sub = vec![0.0; k * k];
    for (a, &i) in kk.iter().enumerate() {
        for (b, &j) in kk.iter().enumerate() {
            sub[a * k + b] = acc.imat[i * m + j];
        }
    }
    let u: Vec<f64> = kk
        .iter()
        .map(|&i| if i < p { 0.0 } else { acc.u[i] })
        .collect();
    let chisq = match linalg::solve(&sub, k, &u) {
        Ok(s) => s.iter().zip(&u).map(|(a, b)| a * b).sum(),
        Err(_) => f64::NAN,
    };
    ChisqTest::new(chisq, cols.len())
}

/// R's `zph2` numbers the events of a tie (same stratum and stop) in the reverse of
/// their input order: reverse each such run of `events` and of the Schoenfeld rows
/// (`schoen`, row-major events×p; empty when not kept).
fn reverse_tied_events(
    events: &mut [usize],
    schoen: &mut [f64],
    p: usize,
    time: &[f64],
    strat: &[usize],
) {
    let key = |i: usize| (strat[i], time[i]);
    let mut lo = 0;
    while lo < events.len() {
        let mut hi = lo + 1;
        while hi < events.len() && key(events[hi]) == key(events[lo]) {
            hi += 1;
        }
        events[lo..hi].reverse();
        if let Some(rows) = schoen.get_mut(lo * p..hi * p) {
            let mut taken: Vec<&[f64]> = rows.chunks(p.max(1)).collect();
            taken.reverse();
            let flipped: Vec<f64> = taken.concat();
            rows.copy_from_slice(&flipped);
        }
        lo = hi;
    }
}

fn dense_strata(stratum: Option<&[u32]>, n: usize) -> Vec<usize> {
    match stratum {
        Some(s) => {
            let mut codes: Vec<u32> = s.to_vec();
            codes.sort_unstable();
            codes.dedup();
            s.iter().map(|v| codes.partition_point(|c| c < v)).collect()
        }
        None => vec![0; n],
    }
}
