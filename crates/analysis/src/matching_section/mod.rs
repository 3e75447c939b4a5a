//! The `matching` section (docs/results.md#matching): each non-reference group a (group
//! order) is matched to the reference group b by greedy nearest-neighbour matching on
//! the linear propensity score, and the matched sample is analysed in ways that respect
//! its pairs ([`matched`]).
//!
//! Per comparison:
//! 1. Rows: the data's rows of a and b complete for the matching covariates (the
//!    section's list, else the spec's covariates), each categorical covariate's
//!    reference taken on those rows ([`complete_cases`]).
//! 2. Model: binary logistic regression of treat = (group == a) on the covariates
//!    ([`survlens_stats::logistic`], the design of the `propensity` section); the
//!    linear score is the fitted linear predictor (the logit of the propensity score).
//! 3. Matching: [`survlens_stats::matching::nearest_neighbour`] with the caliper's width
//!    = caliper × SD of the linear score over the comparison's rows.
//! 4. Balance: for every covariate term (a numeric column, every level of a categorical
//!    one, design order) the SMD before (all model rows) and after (matched rows weighted
//!    by the matching weights), with the contract's denominator over the two arms before
//!    matching ([`survlens_stats::balance::smd_pairs`]).
//!
//! # R equivalent
//! ```r
//! d <- na.omit(rows of a and b)[, c("time", "status", "g", covariates)]
//! d$treat <- d$g == a
//! lp <- predict(glm(treat ~ covariates, binomial, d))       # the linear score
//! m <- matchit(treat ~ covariates, d, method = "nearest", distance = lp,
//!              caliper = caliper, std.caliper = TRUE, ratio = k, replace = replace,
//!              m.order = order)     # MatchIt's general routine; see stats::matching
//! matched <- match.data(m)
//! ```
//! then the analyses of [`matched`].

mod matched;

use crate::complete_cases::{self, MissingCovariates};
use crate::propensity_section;
use crate::report::Skip;
use crate::spec::SpecError;
use crate::Spec;
pub use survlens_contract::matching::{
    ArmCounts, MatchOrder, MatchedBalance, MatchedComparison, MatchedRows, MatchedSet, MatchingSpec,
};
use survlens_contract::report::KmSection;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::Cohort;
use survlens_stats::logistic::{self, LogisticOptions};
use survlens_stats::{balance, matching};
use survlens_timing as timing;

/// The section: one comparison per non-reference group; `Skip::Null` with a warning
/// `matching_needs_groups` when the data hold fewer than two groups.
pub fn matching_section(
    cohort: &Cohort,
    spec: &Spec,
    m: &MatchingSpec,
    warnings: &mut Vec<Warning>,
) -> Result<Skip<Vec<MatchedComparison>>, SpecError> {
    let present = crate::group_counts(cohort)
        .iter()
        .filter(|g| g.n > 0)
        .count();
    if cohort.group_labels.len() < 2 || present < 2 {
        warnings.push(survlens_text::warning(WarningCode::MatchingNeedsGroups));
        return Ok(Skip::Null);
    }
    let columns: Vec<String> = m
        .covariates
        .clone()
        .unwrap_or_else(|| spec.covariates.iter().map(|c| c.column.clone()).collect());
    let mut out = Vec::with_capacity(cohort.group_labels.len() - 1);
    for a in 1..cohort.group_labels.len() as u32 {
        out.push(comparison(cohort, spec, m, &columns, a, warnings)?);
    }
    Ok(Skip::Value(out))
}

/// The rows of groups `a` and `b` (= 0), recoded b → 0, a → 1 with labels [b, a].
fn arms(cohort: &Cohort, a: u32) -> Cohort {
    let rows: Vec<usize> = (0..cohort.time.len())
        .filter(|&i| cohort.group[i] == a || cohort.group[i] == 0)
        .collect();
    let mut sub = complete_cases::pick_rows(cohort, &rows);
    for g in sub.group.iter_mut() {
        *g = u32::from(*g == a);
    }
    sub.group_labels = vec![
        cohort.group_labels[0].clone(),
        cohort.group_labels[a as usize].clone(),
    ];
    // The arms' own warnings and exclusions belong to the whole data.
    sub
}

/// One comparison: group `a` against the reference group.
fn comparison(
    cohort: &Cohort,
    spec: &Spec,
    m: &MatchingSpec,
    columns: &[String],
    a: u32,
    warnings: &mut Vec<Warning>,
) -> Result<MatchedComparison, SpecError> {
    let (label_a, label_b) = (
        cohort.group_labels[a as usize].clone(),
        cohort.group_labels[0].clone(),
    );
    let rows_stage = timing::enter("rows");
    let both = arms(cohort, a);
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let model = complete_cases::complete_cases(&both, &names, &spec.all_covariates());
    drop(rows_stage);
    let rows: &Cohort = &model.cohort;
    let treated: Vec<bool> = rows.group.iter().map(|&g| g == 1).collect();
    let n_a = treated.iter().filter(|&&t| t).count();
    let n_b = treated.len() - n_a;
    let mut out = empty_comparison(rows, &label_a, &label_b, model.missing.clone(), spec);
    if n_a < 2 || n_b < 2 {
        warnings.push(survlens_text::warning_with(
            WarningCode::MatchingArmTooSmall,
            [
                ("a", label_a.as_str().into()),
                ("b", label_b.as_str().into()),
                ("n_a", n_a.into()),
                ("n_b", n_b.into()),
            ],
        ));
        return Ok(out);
    }
    let model_stage = timing::enter("model");
    let d = propensity_section::design(rows, columns, "matching.covariates")?;
    let fit =
        logistic::fit(&d.x, d.p, &rows.group, 2, &LogisticOptions::default()).map_err(|e| {
            SpecError::Invalid {
                field: "matching".into(),
                message: e.to_string(),
            }
        })?;
    drop(model_stage);
    model_warnings(&fit, &label_a, &label_b, warnings);
    let score: Vec<f64> =
        d.x.chunks_exact(d.p)
            .map(|row| (0..d.p).map(|j| row[j] * fit.coef_of(1, j)).sum())
            .collect();
    let caliper_width = m.caliper.and_then(|c| matching::caliper_width(&score, c));
    let opts = matching::MatchOptions {
        ratio: m.ratio,
        caliper: caliper_width,
        replace: m.replace,
        order: match m.order {
            MatchOrder::Largest => matching::MatchOrder::Largest,
            MatchOrder::Smallest => matching::MatchOrder::Smallest,
            MatchOrder::Data => matching::MatchOrder::Data,
        },
    };
    let matched = timing::stage("nearest_neighbour", || {
        matching::nearest_neighbour(&score, &treated, &opts)
    })
    .map_err(|e| SpecError::Invalid {
        field: "matching".into(),
        message: e.to_string(),
    })?;
    let w = &matched.weights;
    out.caliper_width = caliper_width;
    out.n_matched = ArmCounts {
        a: matched.n_matched(&treated, true),
        b: matched.n_matched(&treated, false),
    };
    out.n_unmatched = ArmCounts {
        a: n_a - out.n_matched.a,
        b: n_b - out.n_matched.b,
    };
    let line = |i: usize| rows.line[i] as usize;
    out.pairs = matched
        .sets
        .iter()
        .map(|s| MatchedSet {
            a_line: line(s.treated),
            b_lines: s.controls.iter().map(|&c| line(c)).collect(),
        })
        .collect();
    let _balance = timing::enter("balance");
    out.balance = d
        .balance
        .iter()
        .map(|(term, v)| {
            let pair = balance::smd_pairs(&v.values(), &rows.group, 2, Some(w));
            MatchedBalance {
                term: term.clone(),
                smd_before: pair.first().and_then(|p| p.before),
                smd_after: pair.first().and_then(|p| p.after),
            }
        })
        .collect();
    drop(_balance);
    out.per_row = MatchedRows {
        line: rows.line.iter().map(|&l| l as usize).collect(),
        treated: treated.clone(),
        linear_score: score,
        weight: w.clone(),
    };
    if matched.sets.is_empty() {
        warnings.push(survlens_text::warning_with(
            WarningCode::MatchingNoPairs,
            [
                ("a", label_a.as_str().into()),
                ("b", label_b.as_str().into()),
            ],
        ));
        return Ok(out);
    }
    let group_column = spec.group.as_ref().map_or("group", |g| g.column.as_str());
    let analyses = matched::analyses(
        &matched::MatchedInput {
            rows,
            weight: w,
            subclass: matched.subclass.as_deref(),
            group_column,
            a: &label_a,
            b: &label_b,
        },
        spec,
        warnings,
    );
    out.km = analyses.km;
    out.logrank = analyses.logrank;
    out.cox = analyses.cox;
    out.rmst_difference = analyses.rmst_difference;
    Ok(out)
}

/// A comparison with its counts and nothing matched (the analyses empty): what a
/// comparison that cannot be matched reports.
fn empty_comparison(
    rows: &Cohort,
    a: &str,
    b: &str,
    missing: MissingCovariates,
    spec: &Spec,
) -> MatchedComparison {
    let n_a = rows.group.iter().filter(|&&g| g == 1).count();
    let km_spec = matched::km_spec(spec);
    MatchedComparison {
        a: a.to_string(),
        b: b.to_string(),
        n: rows.time.len(),
        n_events: rows.event.iter().filter(|&&e| e).count(),
        missing_covariates: missing,
        caliper_width: None,
        n_matched: ArmCounts { a: 0, b: 0 },
        n_unmatched: ArmCounts {
            a: n_a,
            b: rows.time.len() - n_a,
        },
        pairs: Vec::new(),
        balance: Vec::new(),
        km: KmSection {
            conf_type: km_spec.conf_type.name().to_string(),
            conf_level: km_spec.conf_level,
            curves: Vec::new(),
        },
        logrank: None,
        cox: None,
        rmst_difference: spec.rmst.as_ref().map(|_| Vec::new()),
        per_row: MatchedRows {
            line: Vec::new(),
            treated: Vec::new(),
            linear_score: Vec::new(),
            weight: Vec::new(),
        },
    }
}

/// `propensity_not_converged` and `positivity` for the model of one comparison.
fn model_warnings(fit: &logistic::LogisticFit, a: &str, b: &str, warnings: &mut Vec<Warning>) {
    if !fit.converged {
        warnings.push(survlens_text::warning_with(
            WarningCode::PropensityNotConverged,
            [
                ("iterations", fit.iterations.into()),
                ("section", "matching".into()),
                ("a", a.into()),
                ("b", b.into()),
            ],
        ));
    }
    if fit.positivity_problem() {
        warnings.push(survlens_text::warning_with(
            WarningCode::Positivity,
            [
                ("min_fitted", fit.min_fitted.into()),
                ("section", "matching".into()),
                ("a", a.into()),
                ("b", b.into()),
            ],
        ));
    }
}
