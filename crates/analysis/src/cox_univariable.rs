//! `cox.univariable` (an extension of the contract): one Cox model per spec column —
//! the group and each covariate alone — on the rows and with the options of the main
//! (multivariable) model, for the "univariable and multivariable" table.
//!
//! A categorical column (the group too) enters with all its dummies, so its entry
//! has one term per non-reference level and its tests are the column's joint tests.
//!
//! # R equivalent
//! For each column `v`: `coxph(Surv(time, status) ~ v + strata(s), data, weights = w,
//! ties = , robust = , cluster = id)` on the complete cases of the main model.

use super::cox_section::{terms, CoxTests, Design};
pub use survlens_contract::cox::UnivariableFit;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::cox::{self, CoxData, CoxOptions};

/// One model per term of `design`, with the rows, weights, strata and cluster of `data`.
pub fn univariable(
    data: &CoxData,
    opts: &CoxOptions,
    design: &Design,
    warnings: &mut Vec<Warning>,
) -> Vec<UnivariableFit> {
    let n = data.n();
    design
        .term_names
        .iter()
        .enumerate()
        .filter_map(|(t, column)| {
            let cols: Vec<usize> = (0..design.names.len())
                .filter(|&j| design.term_of[j] == t)
                .collect();
            let x: Vec<f64> = cols
                .iter()
                .flat_map(|&j| design.x[j * n..(j + 1) * n].iter().copied())
                .collect();
            let names: Vec<String> = cols.iter().map(|&j| design.names[j].clone()).collect();
            let sub = CoxData {
                x: &x,
                p: cols.len(),
                ..*data
            };
            let fit = match cox::fit(&sub, opts) {
                Ok(f) => f,
                Err(e) => {
                    warnings.push(
                        Warning::new(
                            WarningCode::CoxUnivariableFailed,
                            format!("{e}; the univariable Cox model of {column} was not fitted."),
                        )
                        .with("column", column.as_str()),
                    );
                    return None;
                }
            };
            trouble(&fit, column, &names, warnings);
            Some(UnivariableFit {
                column: column.clone(),
                terms: terms(&fit, &names),
                n: fit.n,
                n_events: fit.n_events,
                tests: CoxTests::of(&fit),
                converged: fit.converged,
            })
        })
        .collect()
}

/// Warnings for a univariable model: non-convergence, infinite or aliased coefficients.
fn trouble(fit: &cox::CoxFit, column: &str, names: &[String], warnings: &mut Vec<Warning>) {
    if !fit.converged || fit.maybe_infinite {
        warnings.push(survlens_text::warning_with(
            WarningCode::CoxUnivariableNotConverged,
            [("column", column.into())],
        ));
    }
    for (j, name) in names.iter().enumerate() {
        let (infinite, aliased) = (
            fit.infinite.get(j).copied().unwrap_or(false),
            fit.coef.get(j).is_some_and(Option::is_none),
        );
        if infinite {
            warnings.push(survlens_text::warning_with(
                WarningCode::CoxUnivariableInfiniteCoef,
                [("term", name.as_str().into()), ("column", column.into())],
            ));
        }
        if aliased {
            warnings.push(survlens_text::warning_with(
                WarningCode::CoxUnivariableAliased,
                [("term", name.as_str().into()), ("column", column.into())],
            ));
        }
    }
}
