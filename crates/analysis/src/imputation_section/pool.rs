//! Rubin's rules over the sets' estimates ([`survlens_stats::pooling::pool`]), into the
//! contract's types.
//!
//! A quantity is pooled only when every set gave it: a model that failed in some set
//! leaves the whole pooled model `null` with one warning `imputation_model_failed`
//! naming the sets (and the codes of their warnings); a term without an estimate in
//! some set (aliased, possibly infinite) is `null` with a warning naming the term. Rubin's
//! rules over the sets that happened to fit would describe a different, selected
//! population of sets, so they are not used. The complete-data df is that of the first
//! set (as `mice::pool`, which reads the first fit).

use super::per_set::{Estimate, Fitted, Label, ModelResult, SetResults};
use crate::spec::Spec;
use survlens_contract::imputation::{PooledAdjusted, PooledCox, PooledRmstDifference, PooledTerm};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::math;
use survlens_stats::pooling::{self, Pooled};

/// Confidence level of the pooled limits (the contract's 95%).
const LEVEL: f64 = 0.95;

/// The pooled parts of the section.
pub(super) struct PooledSections {
    pub cox: Option<PooledCox>,
    pub rmst_difference: Option<Vec<PooledRmstDifference>>,
    pub adjusted: Option<PooledAdjusted>,
}

/// Pools every model of `results` (one per set, numbered `numbers`).
pub(super) fn pool_sets(
    results: &[SetResults],
    numbers: &[u32],
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> PooledSections {
    let mut pool_model = |section: &str, pick: fn(&SetResults) -> Option<&ModelResult>| {
        let per_set: Option<Vec<&ModelResult>> = results.iter().map(pick).collect();
        pool_model(section, &per_set?, numbers, warnings)
    };
    let cox = pool_model("imputation.cox", |r| r.cox.as_ref());
    let rmst = pool_model("imputation.rmst_difference", |r| r.rmst_difference.as_ref());
    let adjusted_cox = pool_model("imputation.adjusted.cox", |r| r.adjusted_cox.as_ref());
    let adjusted_rmst = pool_model("imputation.adjusted.rmst_difference", |r| {
        r.adjusted_rmst_difference.as_ref()
    });
    let asked_adjusted = spec.propensity.is_some() && spec.adjusted.is_some();
    PooledSections {
        cox: spec
            .cox
            .as_ref()
            .and(cox)
            .map(|p| PooledCox { terms: terms(&p) }),
        rmst_difference: rmst.map(|p| differences(&p)),
        adjusted: asked_adjusted.then(|| PooledAdjusted {
            cox: adjusted_cox.map(|p| PooledCox { terms: terms(&p) }),
            rmst_difference: adjusted_rmst.map(|p| differences(&p)),
        }),
    }
}

/// One model pooled: `None` (with a warning) unless it was fitted in every set; each
/// estimate pooled when every set has it.
fn pool_model(
    section: &str,
    per_set: &[&ModelResult],
    numbers: &[u32],
    warnings: &mut Vec<Warning>,
) -> Option<Vec<(Label, Option<Pooled>)>> {
    let failed: Vec<u32> = per_set
        .iter()
        .zip(numbers)
        .filter(|(r, _)| r.is_err())
        .map(|(_, &n)| n)
        .collect();
    if !failed.is_empty() {
        let mut codes: Vec<String> = per_set
            .iter()
            .filter_map(|r| r.as_ref().err())
            .flatten()
            .cloned()
            .collect();
        codes.sort();
        codes.dedup();
        warnings.push(survlens_text::warning_with(
            WarningCode::ImputationModelFailed,
            [
                ("section", section.into()),
                ("sets", failed.into()),
                ("m", per_set.len().into()),
                ("codes", codes.into()),
            ],
        ));
        return None;
    }
    let fitted: Vec<&Fitted> = per_set.iter().filter_map(|r| r.as_ref().ok()).collect();
    let first = fitted.first()?;
    let pooled = first
        .estimates
        .iter()
        .map(|e| {
            let values: Vec<Option<(f64, f64)>> = fitted
                .iter()
                .map(|f| find(&f.estimates, &e.label))
                .collect();
            let missing: Vec<u32> = values
                .iter()
                .zip(numbers)
                .filter(|(v, _)| v.is_none())
                .map(|(_, &n)| n)
                .collect();
            if !missing.is_empty() {
                warnings.push(survlens_text::warning_with(
                    WarningCode::ImputationModelFailed,
                    [
                        ("section", section.into()),
                        ("term", label_name(&e.label).into()),
                        ("sets", missing.into()),
                        ("m", per_set.len().into()),
                    ],
                ));
                return (e.label.clone(), None);
            }
            let (q, u): (Vec<f64>, Vec<f64>) = values.into_iter().flatten().unzip();
            (e.label.clone(), pooling::pool(&q, &u, first.dfcom, LEVEL))
        })
        .collect();
    Some(pooled)
}

fn find(estimates: &[Estimate], label: &Label) -> Option<(f64, f64)> {
    estimates.iter().find(|e| &e.label == label)?.value
}

fn label_name(label: &Label) -> String {
    match label {
        Label::Term(name) => name.clone(),
        Label::Difference { a, b, .. } => format!("{a} − {b}"),
    }
}

/// The complete-data df as the results write it (`null` = ∞, large sample).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn terms(pooled: &[(Label, Option<Pooled>)]) -> Vec<PooledTerm> {
    pooled
        .iter()
        .filter_map(|(label, p)| match label {
            Label::Term(name) => Some(term(name, p.as_ref())),
            Label::Difference { .. } => None,
        })
        .collect()
}

/// A pooled Cox term: coef = Q̄ (log HR), HR and limits exponentiated, as
/// `summary(pool(fits), conf.int = TRUE, exponentiate = TRUE)`.
fn term(name: &str, p: Option<&Pooled>) -> PooledTerm {
    PooledTerm {
        name: name.to_string(),
        coef: p.map(|p| p.estimate),
        se: p.map(|p| p.se),
        hr: p.map(|p| math::exp(p.estimate)),
        lower: p.map(|p| math::exp(p.lower)),
        upper: p.map(|p| math::exp(p.upper)),
        p: p.map(|p| p.p),
        df: p.map(|p| p.df),
        dfcom: p.and_then(|p| finite(p.dfcom)),
        fmi: p.map(|p| p.fmi),
        riv: p.map(|p| p.riv),
        ubar: p.map(|p| p.ubar),
        b: p.map(|p| p.b),
        t: p.map(|p| p.t),
    }
}

/// Pooled RMST differences; `None` unless every difference pooled.
fn differences(pooled: &[(Label, Option<Pooled>)]) -> Vec<PooledRmstDifference> {
    pooled
        .iter()
        .filter_map(|(label, p)| match (label, p) {
            (Label::Difference { a, b, tau }, Some(p)) => Some(PooledRmstDifference {
                a: a.clone(),
                b: b.clone(),
                tau: *tau,
                estimate: p.estimate,
                se: p.se,
                lower: p.lower,
                upper: p.upper,
                p: p.p,
                df: Some(p.df),
                dfcom: finite(p.dfcom),
                fmi: Some(p.fmi),
                riv: Some(p.riv),
            }),
            _ => None,
        })
        .collect()
}
