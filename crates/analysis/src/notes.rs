//! Plain-language notes for the confounding step: what the balance diagnostics, the
//! weights, the hazard ratios and the E-values say, in sentences a clinician can read.
//! Notes are data (`{code, message, context}`, like warnings); the page shows them as
//! they are.
//!
//! Thresholds: |SMD| < 0.1 is the usual balance rule (Austin 2009); an effective sample
//! size below half of a group's n is called out as a loss of precision.
//!
//! # References
//! Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
//! covariates between treatment groups in propensity-score matched samples. *Stat. Med.*
//! 28, 3083–3107.

use super::cox_section::CoxTerm;
use super::propensity_section::PropensitySection;
use super::sensitivity_section::EValue;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_text::rules::Estimate;
use survlens_text::weighted_reading::{adjusted_hr_text, Crude};
use survlens_text::Lang;

/// The balance threshold on |SMD|.
pub const SMD_LIMIT: f64 = 0.1;

/// Notes on balance before / after weighting and on the effective sample sizes.
///
/// A term without an SMD (constant in every group) counts as balanced.
pub fn balance_notes(ps: &PropensitySection) -> Vec<Warning> {
    let mut notes = Vec::new();
    let before_of =
        |t: &super::propensity_section::BalanceTerm| t.max_abs_smd_before.unwrap_or(0.0);
    let after_of = |t: &super::propensity_section::BalanceTerm| t.max_abs_smd_after.unwrap_or(0.0);
    let m = ps.balance.len();
    let before: Vec<_> = ps
        .balance
        .iter()
        .filter(|t| before_of(t) >= SMD_LIMIT)
        .collect();
    if let Some(worst) = ps
        .balance
        .iter()
        .max_by(|a, b| before_of(a).total_cmp(&before_of(b)))
        .filter(|_| !before.is_empty())
    {
        notes.push(
            Warning::new(
                WarningCode::ImbalancedBefore,
                format!(
                    "Before weighting, {} of {m} covariate terms differ between the groups \
                     (|SMD| ≥ 0.1); the largest difference is in {} (SMD {:.2}).",
                    before.len(),
                    worst.term,
                    before_of(worst)
                ),
            )
            .with("n_terms", before.len())
            .with("term", worst.term.as_str()),
        );
    }
    let after: Vec<_> = ps
        .balance
        .iter()
        .filter(|t| after_of(t) >= SMD_LIMIT)
        .collect();
    if after.is_empty() && m > 0 {
        let largest = ps.balance.iter().map(after_of).fold(0.0, f64::max);
        notes.push(survlens_text::warning_with(
            WarningCode::BalanceAdequate,
            [("max_abs_smd_after", largest.into())],
        ));
    }
    if !after.is_empty() {
        let list: Vec<String> = after
            .iter()
            .map(|t| format!("{} (SMD {:.2})", t.term, after_of(t)))
            .collect();
        let head = if after.len() == 1 {
            format!("{} is still imbalanced after weighting", list[0])
        } else {
            format!(
                "{} covariate terms are still imbalanced after weighting (|SMD| ≥ 0.1): {}",
                after.len(),
                list.join(", ")
            )
        };
        let terms: Vec<serde_json::Value> = after.iter().map(|t| t.term.as_str().into()).collect();
        notes.push(
            Warning::new(
                WarningCode::StillImbalanced,
                format!(
                    "{head}; consider another form of these covariates in the propensity model, \
                     overlap weights (ATO), or adjusting for them in the outcome model."
                ),
            )
            .with("terms", terms),
        );
    }
    for s in &ps.weights_summary {
        if s.ess < 0.5 * s.n as f64 {
            notes.push(
                Warning::new(
                    WarningCode::LowEffectiveSampleSize,
                    format!(
                        "Weighting leaves {} with an effective sample size of {:.0} of {} \
                         patients: a few patients carry large weights, so the adjusted \
                         estimates for this group are imprecise.",
                        s.group, s.ess, s.n
                    ),
                )
                .with("group", s.group.as_str())
                .with("ess", s.ess),
            );
        }
    }
    notes
}

fn estimate(t: &CoxTerm) -> Estimate {
    Estimate {
        hr: t.hr,
        lower: t.lower,
        upper: t.upper,
        p: t.p,
        reliable: true,
    }
}

/// One note per adjusted group term: the weighted HR read by the reading rule table
/// (`messages::rules`), beside the unweighted Cox model's HR named with what it is
/// adjusted for (`adjusted_for`: the spec's covariates).
pub fn hr_notes(
    crude: Option<&[CoxTerm]>,
    adjusted: &[CoxTerm],
    reference: &str,
    adjusted_for: &[String],
) -> Vec<Warning> {
    adjusted
        .iter()
        .filter_map(|a| {
            let level = a.name.split_once('=').map_or(a.name.as_str(), |(_, l)| l);
            let c = crude.and_then(|c| c.iter().find(|t| t.name == a.name && t.hr.is_some()));
            let crude_reading = c.map(|c| Crude {
                estimate: estimate(c),
                adjusted_for,
            });
            let message = adjusted_hr_text(
                level,
                reference,
                &estimate(a),
                crude_reading.as_ref(),
                Lang::En,
            );
            let mut w = Warning::new(WarningCode::AdjustedHr, message)
                .with("term", a.name.as_str())
                .with("hr", a.hr?)
                .with("reference", reference);
            for (k, v) in [("lower", a.lower), ("upper", a.upper), ("p", a.p)] {
                if let Some(v) = v {
                    w = w.with(k, v);
                }
            }
            if let Some(c) = c {
                for (k, v) in [
                    ("crude_hr", c.hr),
                    ("crude_lower", c.lower),
                    ("crude_upper", c.upper),
                    ("crude_p", c.p),
                ] {
                    if let Some(v) = v {
                        w = w.with(k, v);
                    }
                }
                w = w.with("crude_adjusted_for", adjusted_for.to_vec());
            }
            Some(w)
        })
        .collect()
}

/// One note per E-value of `adjusted.cox` (or of `cox` when there is no adjusted model).
/// By the reading rule table (`messages::rules`): an estimate whose CI includes 1
/// (E-value of the CI = 1) shows no association to explain away, and its note says so
/// instead of speaking of explaining it away (context `no_evidence_hr`).
pub fn evalue_notes(evalues: &[EValue]) -> Vec<Warning> {
    let adjusted = evalues.iter().any(|e| e.source == "adjusted.cox");
    evalues
        .iter()
        .filter(|e| e.source == if adjusted { "adjusted.cox" } else { "cox" })
        .filter_map(|e| {
            let (ev, ci) = (e.evalue?, e.evalue_ci?);
            let (name, source, hr) = (e.name.as_str(), e.source.as_str(), e.hr);
            let values = [
                ("term", name.into()),
                ("source", source.into()),
                ("hr", hr.into()),
                ("evalue", ev.into()),
                ("evalue_ci", ci.into()),
            ];
            // The catalogue's first `evalue` template needs `no_evidence_hr`: an estimate
            // whose CI includes 1 reads as no evidence, the others as what explains it away.
            let no_evidence = (ci <= 1.0).then(|| ("no_evidence_hr", hr.into()));
            Some(survlens_text::warning_with(
                WarningCode::Evalue,
                values.into_iter().chain(no_evidence),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An E-value note claims something to explain away only when the CI excludes 1;
    /// the Chinese template follows the same split.
    #[test]
    fn evalue_notes_follow_the_reading_rules() {
        let ev = |hr: f64, ci: f64| EValue {
            source: "cox".into(),
            name: "g=b".into(),
            hr,
            evalue: Some(1.2),
            evalue_ci: Some(ci),
        };
        let notes = evalue_notes(&[ev(1.0, 1.0), ev(0.31, 3.0)]);
        assert!(notes.iter().all(|n| !n.message.contains("  ")), "{notes:?}");
        assert!(
            notes[0]
                .message
                .contains("includes 1: there is no evidence"),
            "{}",
            notes[0].message
        );
        assert!(!notes[0].message.contains("explain away the hazard ratio"));
        assert!(notes[1]
            .message
            .contains("To explain away the hazard ratio 0.31"));
        let ctx = |w: &Warning| w.context.clone().into_iter().collect();
        let zh = survlens_text::warning_text(
            WarningCode::Evalue,
            &ctx(&notes[0]),
            survlens_text::Lang::Zh,
        )
        .unwrap_or_default();
        assert!(zh.contains("无证据") && !zh.contains("完全解释"), "{zh}");
        let zh = survlens_text::warning_text(
            WarningCode::Evalue,
            &ctx(&notes[1]),
            survlens_text::Lang::Zh,
        )
        .unwrap_or_default();
        assert!(zh.contains("完全解释"), "{zh}");
    }
}
