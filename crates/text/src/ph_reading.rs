//! The plain-language readings of the proportional-hazards test (`cox.ph_test`): one
//! rule, written once. A term's test reads "no evidence against proportional hazards"
//! when p >= 0.05; below it, the group column's hazards "are not proportional" (read the
//! RMST comparison), another column's effect "changes over follow-up". A test of a model
//! that did not converge or has a possibly infinite coefficient is not read at all.

use crate::numbers::p_sentence;
use survlens_contract::cox::{PhTest, PhVerdict};

/// Level below which a reading says "not proportional".
pub const ALPHA: f64 = 0.05;

/// The reading of a term whose test cannot be read (see [`not_readable`]).
pub fn unreliable_term(column: &str) -> String {
    UNRELIABLE_TERM.replace("{column}", column)
}

/// Reading of a term when the test cannot be read (see [`not_readable`]).
pub const UNRELIABLE_TERM: &str = "The proportional-hazards test of {column} cannot be read: the Cox model did not converge \
     or a coefficient may be infinite (see the warnings), so its statistics carry no evidence either way.";
/// Reading of the global test when it cannot be read.
pub const UNRELIABLE_GLOBAL: &str = "The global proportional-hazards test cannot be read: the Cox model did not converge or \
     a coefficient may be infinite (R's cox.zph stops on such a fit), so it carries no evidence either way; simplify the \
     model (fewer covariates, merge sparse levels) and look at the warnings.";

/// True when the readings must not interpret the test: the model did not converge or
/// has a possibly infinite coefficient (`sound` false), or the global statistic is
/// negative or not finite (a numerically singular information; cox.zph prints such
/// values, or stops with "system is computationally singular").
pub fn not_readable(sound: bool, global_chisq: f64) -> bool {
    !(sound && global_chisq.is_finite() && global_chisq >= 0.0)
}

/// The verdict of one test: `unreliable` from [`not_readable`], `p` its p-value,
/// `group` whether the term is the spec's group column. The one place the level
/// [`ALPHA`] is applied.
pub fn verdict(unreliable: bool, p: Option<f64>, group: bool) -> PhVerdict {
    match p {
        _ if unreliable => PhVerdict::NotReadable,
        None => PhVerdict::NotComputed,
        Some(p) if p >= ALPHA => PhVerdict::NoEvidence { p },
        Some(p) => PhVerdict::NotProportional { p, group },
    }
}

/// Restores the verdicts of a test read back from a results document (the page's copy
/// of the Report), where they are not stored: the English global reading says whether
/// the analysis found the test unreadable; `converged` is `cox.converged`; `group` the
/// spec's group column.
pub fn reread(test: &mut PhTest, converged: bool, group: Option<&str>) {
    let unreliable =
        test.reading == UNRELIABLE_GLOBAL || not_readable(converged, test.global.chisq);
    for t in &mut test.terms {
        t.verdict = verdict(unreliable, t.p, group == Some(t.name.as_str()));
    }
    test.verdict = verdict(unreliable, test.global.p, false);
}

/// The reading of one term's test. `group`: when the term is the group column, its
/// reference label and the compared levels (their hazards vs the reference's are read).
/// `rmst`: whether the report has an RMST comparison to point to.
pub fn term_reading(
    column: &str,
    verdict: PhVerdict,
    group: Option<(&str, &[&str])>,
    rmst: bool,
) -> String {
    let (p, is_group) = match verdict {
        PhVerdict::NotReadable => return unreliable_term(column),
        PhVerdict::NotComputed => {
            return format!("The proportional-hazards test of {column} could not be computed.")
        }
        PhVerdict::NoEvidence { p } => {
            return format!(
                "No evidence against proportional hazards for {column} ({}).",
                p_sentence(Some(p))
            )
        }
        PhVerdict::NotProportional { p, group } => (p, group),
    };
    let pt = p_sentence(Some(p));
    match group.filter(|_| is_group) {
        Some((reference, levels)) => {
            let next = if rmst {
                "read the RMST comparison"
            } else {
                "compare the Kaplan–Meier curves or restricted mean survival times (RMST) instead"
            };
            format!(
                "Hazards of {} vs {reference} are not proportional ({pt}): the hazard ratio averages an effect \
                 that changes over follow-up; {next}.",
                levels.join(" and ")
            )
        }
        None => format!(
            "The effect of {column} on the hazard changes over follow-up ({pt}): its hazard ratio is an average; \
             look at its residual plot, or stratify on it."
        ),
    }
}

/// The reading of the global test.
pub fn global_reading(verdict: PhVerdict) -> String {
    match verdict {
        PhVerdict::NotReadable => UNRELIABLE_GLOBAL.to_string(),
        PhVerdict::NotComputed => "The global proportional-hazards test could not be computed.".to_string(),
        PhVerdict::NoEvidence { p } => format!("Globally, no evidence against proportional hazards ({}).", p_sentence(Some(p))),
        PhVerdict::NotProportional { p, .. } => format!(
            "Globally, the hazards are not proportional ({}): see which terms above, and read their hazard ratios \
             as averages over follow-up.",
            p_sentence(Some(p))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{reread, verdict, UNRELIABLE_GLOBAL};
    use survlens_contract::cox::{PhTerm, PhTest, PhVerdict, Test};

    #[test]
    fn verdicts_at_the_level() {
        assert_eq!(verdict(true, Some(0.001), true), PhVerdict::NotReadable);
        assert_eq!(verdict(false, None, false), PhVerdict::NotComputed);
        assert_eq!(
            verdict(false, Some(0.05), true),
            PhVerdict::NoEvidence { p: 0.05 }
        );
        assert_eq!(
            verdict(false, Some(0.0499), true),
            PhVerdict::NotProportional {
                p: 0.0499,
                group: true
            }
        );
    }

    /// A test read back from JSON gets the analysis's verdicts: unreadable when the
    /// English reading said so or the fit did not converge, else by its p-values.
    #[test]
    fn reread_restores_the_verdicts() {
        let term = |name: &str, p| PhTerm {
            name: name.into(),
            chisq: 1.0,
            df: 1,
            p: Some(p),
            reading: String::new(),
            verdict: PhVerdict::default(),
        };
        let mut ph = PhTest {
            transform: "km".into(),
            terms: vec![term("arm", 0.01), term("age", 0.3)],
            global: Test {
                chisq: 5.0,
                df: 2,
                p: Some(0.04),
            },
            reading: String::new(),
            residuals: None,
            verdict: PhVerdict::default(),
        };
        reread(&mut ph, true, Some("arm"));
        assert_eq!(
            ph.terms[0].verdict,
            PhVerdict::NotProportional {
                p: 0.01,
                group: true
            }
        );
        assert_eq!(ph.terms[1].verdict, PhVerdict::NoEvidence { p: 0.3 });
        assert_eq!(
            ph.verdict,
            PhVerdict::NotProportional {
                p: 0.04,
                group: false
            }
        );
        reread(&mut ph, false, Some("arm"));
        assert_eq!(ph.terms[1].verdict, PhVerdict::NotReadable);
        ph.reading = UNRELIABLE_GLOBAL.to_string();
        reread(&mut ph, true, Some("arm"));
        assert_eq!(ph.verdict, PhVerdict::NotReadable);
    }
}
