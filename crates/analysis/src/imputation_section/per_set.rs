//! The estimates of one imputed set, read from the existing sections run on its cohort:
//! the `cox` model (`cox_section`), the RMST differences (`km` + `rmst_difference`),
//! and the confounding step (`propensity` refitted on the set, then `adjusted`).
//!
//! A model that cannot be fitted in the set (no complete row, no event, no estimate, a
//! Cox model or propensity model that did not converge) is a failure of that set, with
//! the codes of the warnings it raised; a term without an estimate in a fitted model
//! (aliased, or possibly infinite) is missing from that set only.

use crate::report::Skip;
use crate::spec::{KmSpec, Spec};
use crate::{confounding, cox_section, steps};
use survlens_contract::cox::CoxTerm;
use survlens_contract::report::RmstDifference;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;

/// What one estimate is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Label {
    /// A Cox term, by name.
    Term(String),
    /// An RMST difference a − b at τ.
    Difference { a: String, b: String, tau: f64 },
}

/// One estimate with its variance; `None` when the set has none (aliased term).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Estimate {
    pub label: Label,
    pub value: Option<(f64, f64)>,
}

/// A model fitted in one set.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fitted {
    pub estimates: Vec<Estimate>,
    /// The complete-data degrees of freedom (∞: large sample).
    pub dfcom: f64,
}

/// A model's result in one set: fitted, or failed with the codes of its warnings.
pub(super) type ModelResult = Result<Fitted, Vec<String>>;

/// Everything pooled, for one set (`None`: not asked).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SetResults {
    pub cox: Option<ModelResult>,
    pub rmst_difference: Option<ModelResult>,
    pub adjusted_cox: Option<ModelResult>,
    pub adjusted_rmst_difference: Option<ModelResult>,
}

/// The analyses of `spec` (the per-set spec) on one set.
pub(super) fn analyse(set: &Cohort, spec: &Spec) -> SetResults {
    let (adjusted_cox, adjusted_rmst_difference) = adjusted(set, spec);
    SetResults {
        cox: cox(set, spec),
        rmst_difference: rmst_difference(set, spec),
        adjusted_cox,
        adjusted_rmst_difference,
    }
}

fn codes(warnings: &[Warning]) -> Vec<String> {
    let mut c: Vec<String> = warnings.iter().map(|w| w.code.to_string()).collect();
    c.dedup();
    c
}

/// Cox terms with the variance the model reports (robust when it has one, as
/// `mice::pool` takes `robust.se`); the terms the fit flagged as possibly infinite
/// have none.
fn cox_estimates(terms: &[CoxTerm], warnings: &[Warning]) -> Vec<Estimate> {
    let infinite = |name: &str| {
        warnings.iter().any(|w| {
            w.code == WarningCode::CoxInfiniteCoef
                && w.context.get("term").and_then(|t| t.as_str()) == Some(name)
        })
    };
    terms
        .iter()
        .map(|t| {
            let se = t.robust_se.or(t.se);
            let value = match (t.coef, se) {
                (Some(b), Some(s)) if !infinite(&t.name) && b.is_finite() && s.is_finite() => {
                    Some((b, s * s))
                }
                _ => None,
            };
            Estimate {
                label: Label::Term(t.name.clone()),
                value,
            }
        })
        .collect()
}

/// mice's complete-data df of a Cox model: events − coefficients, at least 1.
fn cox_dfcom(n_events: usize, n_coef: usize) -> f64 {
    (n_events as f64 - n_coef as f64).max(1.0)
}

fn cox(set: &Cohort, spec: &Spec) -> Option<ModelResult> {
    let cox_spec = spec.cox.as_ref()?;
    let mut w = Vec::new();
    let section = cox_section::cox_section(set, spec, cox_spec, &mut w);
    Some(match section {
        Skip::Value(c) if c.converged => Ok(Fitted {
            estimates: cox_estimates(&c.terms, &w),
            dfcom: cox_dfcom(c.n_events, c.terms.len()),
        }),
        // Not converged (cox_section warned `cox_not_converged`), or no model.
        _ => Err(codes(&w)),
    })
}

fn differences(diffs: &[RmstDifference]) -> Vec<Estimate> {
    diffs
        .iter()
        .map(|d| Estimate {
            label: Label::Difference {
                a: d.a.clone(),
                b: d.b.clone(),
                tau: d.tau,
            },
            value: (d.estimate.is_finite() && d.se.is_finite())
                .then_some((d.estimate, d.se * d.se)),
        })
        .collect()
}

/// The RMST differences of the data (`rmst` with groups, no delayed entry), as the
/// `rmst_difference` section: dfcom ∞ (normal-theory estimates).
fn rmst_difference(set: &Cohort, spec: &Spec) -> Option<ModelResult> {
    let rmst = spec.rmst.as_ref()?;
    if set.group_labels.len() < 2 || set.entry.is_some() {
        return None;
    }
    let km_spec = KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: vec![],
    };
    let sorted = steps::SortedCohort::new(set);
    let km = steps::km_section(&sorted, &km_spec, Some(rmst));
    Some(Ok(Fitted {
        estimates: differences(&steps::rmst_differences(&km)),
        dfcom: f64::INFINITY,
    }))
}

/// The propensity model refitted on the set, then the adjusted Cox model (robust
/// variance; dfcom = events − coefficients) and RMST differences (dfcom ∞).
fn adjusted(set: &Cohort, spec: &Spec) -> (Option<ModelResult>, Option<ModelResult>) {
    if spec.propensity.is_none() || spec.adjusted.is_none() {
        return (None, None);
    }
    let wants_rmst = spec.rmst.is_some() && set.group_labels.len() > 1 && set.entry.is_none();
    let mut w = Vec::new();
    let sorted_cell = std::cell::OnceCell::new();
    let sorted = || sorted_cell.get_or_init(|| steps::SortedCohort::new(set));
    let mut no_progress = |_: usize, _: usize| {};
    let result = confounding::confounding(
        set,
        spec,
        &sorted,
        &mut w,
        &mut no_progress,
        &crate::units::Plan::All,
    );
    let failed = |w: &[Warning]| {
        let c = codes(w);
        (Some(Err(c.clone())), wants_rmst.then_some(Err(c)))
    };
    let (ps, adjusted) = match result {
        Ok((Some(ps), Some(a))) => (ps, a),
        _ => return failed(&w),
    };
    if !ps.converged {
        return failed(&w);
    }
    let cox = Some(match &a_cox(&adjusted) {
        Some(terms) => Ok(Fitted {
            estimates: cox_estimates(terms, &w),
            dfcom: cox_dfcom(adjusted.n_events, terms.len()),
        }),
        None => Err(codes(&w)),
    });
    let rmst = wants_rmst.then(|| match &adjusted.rmst_difference {
        Some(d) => Ok(Fitted {
            estimates: differences(d),
            dfcom: f64::INFINITY,
        }),
        None => Err(codes(&w)),
    });
    (cox, rmst)
}

fn a_cox(a: &survlens_contract::adjusted::AdjustedSection) -> Option<&[CoxTerm]> {
    a.cox.as_ref().map(|c| c.terms.as_slice())
}
