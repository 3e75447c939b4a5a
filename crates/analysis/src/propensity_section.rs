//! The `propensity` section (docs/results.md#propensity): the
//! propensity model of group on covariates, the weights, their summaries and balance.

use super::spec::SpecError;
pub use survlens_contract::propensity::{
    BalancePair, BalanceTerm, PerRow, PropensitySection, PsCoefficient, WeightSummaryReport,
};
pub use survlens_contract::spec::{EstimandName, PropensitySpec};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::{Cohort, CovariateValues};
use survlens_stats::logistic::{self, LogisticOptions};
use survlens_stats::weights::{self, Estimand};
use survlens_stats::{balance, smd};

/// The model's design: row-major n×p with the intercept first, coefficient term names,
/// and the balance terms (every level of a categorical) with where their values are.
pub(crate) struct Design<'c> {
    pub(crate) x: Vec<f64>,
    pub(crate) p: usize,
    pub(crate) terms: Vec<String>,
    pub(crate) balance: Vec<(String, BalanceValues<'c>)>,
}

/// The values of a balance term, read from the cohort when needed (a copy of every
/// term at once cost ~100 MB at a million rows).
pub(crate) enum BalanceValues<'c> {
    Numeric(&'c [f64]),
    /// 1 where `codes[i] == level`, else 0.
    Level(&'c [u32], u32),
}

impl BalanceValues<'_> {
    pub(crate) fn values(&self) -> std::borrow::Cow<'_, [f64]> {
        match self {
            BalanceValues::Numeric(v) => std::borrow::Cow::Borrowed(v),
            BalanceValues::Level(codes, l) => std::borrow::Cow::Owned(
                codes
                    .iter()
                    .map(|&c| f64::from(u8::from(c == *l)))
                    .collect(),
            ),
        }
    }
}

/// The model's design over the cohort's rows; `field` names the spec's list of columns
/// in an error (`propensity.covariates`, `matching.covariates`).
pub(crate) fn design<'c>(
    cohort: &'c Cohort,
    columns: &[String],
    field: &str,
) -> Result<Design<'c>, SpecError> {
    let n = cohort.time.len();
    let mut terms = vec!["(Intercept)".to_string()];
    let mut bal = Vec::new();
    // Model columns: (source, level) with level None for a numeric column.
    let mut model: Vec<BalanceValues> = Vec::new();
    for name in columns {
        let cov = cohort
            .covariates
            .iter()
            .find(|c| &c.column == name)
            .ok_or_else(|| SpecError::Invalid {
                field: field.into(),
                message: format!("\"{name}\" is not a column of the analysis"),
            })?;
        match &cov.values {
            CovariateValues::Numeric(v) => {
                model.push(BalanceValues::Numeric(v));
                terms.push(name.clone());
                bal.push((name.clone(), BalanceValues::Numeric(v)));
            }
            CovariateValues::Categorical { codes, levels } => {
                for (l, level) in levels.iter().enumerate() {
                    let term = format!("{name}={level}");
                    if l > 0 {
                        model.push(BalanceValues::Level(codes, l as u32));
                        terms.push(term.clone());
                    }
                    bal.push((term, BalanceValues::Level(codes, l as u32)));
                }
            }
        }
    }
    let p = model.len() + 1;
    let mut x = vec![0.0; n * p];
    x.iter_mut().step_by(p).for_each(|v| *v = 1.0);
    for (j, src) in model.iter().enumerate() {
        let cells = x.iter_mut().skip(j + 1).step_by(p);
        match src {
            BalanceValues::Numeric(v) => cells.zip(v.iter()).for_each(|(c, v)| *c = *v),
            BalanceValues::Level(codes, l) => cells
                .zip(codes.iter())
                .for_each(|(c, &code)| *c = f64::from(u8::from(code == *l))),
        }
    }
    Ok(Design {
        x,
        p,
        terms,
        balance: bal,
    })
}

/// The propensity columns: the section's list, or the spec's covariates.
pub fn model_columns(spec: &PropensitySpec, spec_covariates: &[String]) -> Vec<String> {
    spec.covariates
        .clone()
        .unwrap_or_else(|| spec_covariates.to_vec())
}

/// Fits the model, computes the weights and balance.
pub fn propensity_section(
    cohort: &Cohort,
    spec: &PropensitySpec,
    columns: &[String],
    warnings: &mut Vec<Warning>,
) -> Result<PropensityResult, SpecError> {
    let labels = &cohort.group_labels;
    let k = labels.len();
    if k < 2 {
        return Err(SpecError::invalid_zh(
            "propensity",
            "propensity scores compare groups; map a \"group\" column with at least two groups",
            "倾向性评分用于比较各组；请映射至少含两个组的“group”分组列",
        ));
    }
    let estimand = match spec.estimand {
        EstimandName::Ate => Estimand::Ate,
        EstimandName::Ato => Estimand::Ato,
        EstimandName::Att => Estimand::Att {
            focal: focal_index(spec, labels)?,
        },
    };
    let d = design(cohort, columns, "propensity.covariates")?;
    let rule = WeightRule {
        estimand,
        stabilize: spec.stabilize,
        truncate: spec.truncate,
    };
    let WeightedFit {
        mut fit,
        weights: w,
        truncated_at,
    } = fit_weights(&d.x, d.p, &cohort.group, k, &rule).map_err(|e| SpecError::Invalid {
        field: "propensity".into(),
        message: e.to_string(),
    })?;
    positivity_warnings(&fit, warnings);
    let coefficients = (1..k)
        .flat_map(|c| {
            let fit = &fit;
            let d = &d;
            (0..d.p).map(move |j| PsCoefficient {
                group: labels[c].clone(),
                term: d.terms[j].clone(),
                coef: fit.coef_of(c, j),
                se: fit.se[(c - 1) * d.p + j],
            })
        })
        .collect();
    let weights_summary = weights::summarize(&w, &cohort.group, k)
        .into_iter()
        .zip(labels)
        .map(|(s, g)| WeightSummaryReport {
            group: g.clone(),
            n: s.n,
            min: s.min,
            max: s.max,
            mean: s.mean,
            sum: s.sum,
            ess: s.ess,
        })
        .collect();
    let balance = d
        .balance
        .iter()
        .map(|(term, v)| balance_term(term, &v.values(), &cohort.group, k, &w, labels))
        .collect();
    let per_row = PerRow {
        line: cohort.line.clone(),
        group: super::per_row::GroupColumn::new(labels.clone(), cohort.group.clone()),
        weight: w.clone(),
        ps: super::per_row::PsRows::new(k, std::mem::take(&mut fit.fitted)),
    };
    let mut section = PropensitySection {
        n: cohort.time.len(),
        n_events: cohort.event.iter().filter(|&&e| e).count(),
        missing_covariates: Default::default(),
        model: if k == 2 { "binomial" } else { "multinomial" }.to_string(),
        estimand: spec.estimand.name().to_string(),
        focal: match estimand {
            Estimand::Att { focal } => Some(labels[focal].clone()),
            _ => None,
        },
        stabilized: spec.stabilize,
        truncated_at,
        converged: fit.converged,
        iterations: fit.iterations,
        coefficients,
        weights_summary,
        balance,
        notes: Vec::new(),
        per_row,
    };
    section.notes = super::notes::balance_notes(&section);
    Ok(PropensityResult {
        section,
        weights: w,
        x: d.x,
        p: d.p,
        rule,
    })
}

/// How weights are made from fitted probabilities (the spec's estimand, stabilization,
/// truncation), reusable by the bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightRule {
    pub estimand: Estimand,
    pub stabilize: bool,
    pub truncate: Option<[f64; 2]>,
}

/// Fits the propensity model on the row-major design `x` and returns the fit, the
/// weights and the truncation limits applied.
pub fn fit_weights(
    x: &[f64],
    p: usize,
    group: &[u32],
    k: usize,
    rule: &WeightRule,
) -> Result<WeightedFit, logistic::LogisticError> {
    let fit = logistic::fit(x, p, group, k, &LogisticOptions::default())?;
    let mut w = weights::propensity_weights(&fit.fitted, group, k, rule.estimand, rule.stabilize);
    let truncated_at = rule.truncate.map(|[lo, hi]| {
        let exempt: Vec<bool> = match rule.estimand {
            Estimand::Att { focal } => group.iter().map(|&g| g as usize == focal).collect(),
            _ => vec![false; w.len()],
        };
        let (a, b) = weights::truncate(&mut w, &exempt, lo, hi);
        [a, b]
    });
    Ok(WeightedFit {
        fit,
        weights: w,
        truncated_at,
    })
}

/// A propensity fit with its weights and the truncation limits applied.
pub struct WeightedFit {
    pub fit: logistic::LogisticFit,
    pub weights: Vec<f64>,
    pub truncated_at: Option<[f64; 2]>,
}

/// The section plus what the adjusted analyses and the bootstrap need.
pub struct PropensityResult {
    pub section: PropensitySection,
    /// Weight of every cohort row (file order).
    pub weights: Vec<f64>,
    /// The model's row-major design (intercept first) and its width.
    pub x: Vec<f64>,
    pub p: usize,
    pub rule: WeightRule,
}

fn focal_index(spec: &PropensitySpec, labels: &[String]) -> Result<usize, SpecError> {
    match &spec.focal {
        None => Ok(1),
        Some(f) => labels
            .iter()
            .position(|l| l == f)
            .ok_or_else(|| SpecError::Invalid {
                field: "propensity.focal".into(),
                message: format!("\"{f}\" is not one of the groups ({})", labels.join(", ")),
            }),
    }
}

fn balance_term(
    term: &str,
    v: &[f64],
    group: &[u32],
    k: usize,
    w: &[f64],
    labels: &[String],
) -> BalanceTerm {
    let pairs = balance::smd_pairs(v, group, k, Some(w));
    BalanceTerm {
        term: term.to_string(),
        max_abs_smd_before: smd::max_abs(pairs.iter().map(|p| p.before)),
        max_abs_smd_after: smd::max_abs(pairs.iter().map(|p| p.after)),
        pairs: pairs
            .iter()
            .map(|p| BalancePair {
                a: labels[p.a].clone(),
                b: labels[p.b].clone(),
                smd_before: p.before,
                smd_after: p.after,
            })
            .collect(),
    }
}

fn positivity_warnings(fit: &logistic::LogisticFit, warnings: &mut Vec<Warning>) {
    if !fit.converged {
        warnings.push(survlens_text::warning_with(
            WarningCode::PropensityNotConverged,
            [("iterations", fit.iterations.into())],
        ));
    }
    if fit.positivity_problem() {
        warnings.push(
            Warning::new(
                WarningCode::Positivity,
                format!(
                    "Some patients have a fitted probability of {:.1e} or less of being in one \
                     of the groups (near 0: groups barely overlap or are separated by a \
                     covariate), so their weights are extreme; consider overlap weights (ATO), \
                     truncation, or fewer covariates.",
                    logistic::POSITIVITY_LIMIT
                ),
            )
            .with("min_fitted", fit.min_fitted),
        );
    }
}
