//! The plain-language readings of the proportional-hazards test (`cox.ph_test`): one
//! rule, written once. A term's test reads "no evidence against proportional hazards"
//! when p >= 0.05; below it, the group column's hazards "are not proportional" (read the
//! RMST comparison), another column's effect "changes over follow-up". A test of a model
//! that did not converge or has a possibly infinite coefficient is not read at all; a
//! test whose statistic is negative or not a number (a numerically singular information
//! matrix of the test, on a sound model) is not read either, and says so.

use crate::numbers::p_sentence;
use survlens_contract::cox::{PhTest, PhVerdict};

/// Level below which a reading says "not proportional".
pub const ALPHA: f64 = 0.05;

/// The reading of a term whose test cannot be read because of the fit (see [`unreadable`]).
pub fn unreliable_term(column: &str) -> String {
    UNRELIABLE_TERM.replace("{column}", column)
}

/// Reading of a term when the fit makes the test unreadable (see [`unreadable`]).
pub const UNRELIABLE_TERM: &str = "The proportional-hazards test of {column} cannot be read: the Cox model did not converge \
     or a coefficient may be infinite (see the warnings), so its statistics carry no evidence either way.";
/// Reading of the global test when the fit makes it unreadable.
pub const UNRELIABLE_GLOBAL: &str = "The global proportional-hazards test cannot be read: the Cox model did not converge or \
     a coefficient may be infinite, so the test is taken at an estimate that is not the model's maximum (R's cox.zph \
     still prints numbers for such a fit, or stops on a singular system), and it carries no evidence either way; simplify the \
     model (fewer covariates, merge sparse levels) and look at the warnings.";
/// Reading of a term whose statistic is not a valid chi-square on a sound fit.
pub const SINGULAR_TERM: &str = "The proportional-hazards test of {column} cannot be read: its statistic is negative or not \
     a number because the test's information matrix is numerically singular (R's cox.zph stops there, \"system is \
     exactly singular\" or \"computationally singular\", or prints the same unusable value). This is a numerical limit \
     of the test, not a problem of the Cox model, which converged; it carries no evidence either way.";
/// Reading of the global test when its statistic is not a valid chi-square on a sound fit.
pub const SINGULAR_GLOBAL: &str = "The global proportional-hazards test cannot be read: its statistic is negative or not a \
     number because the test's information matrix is numerically singular (R's cox.zph stops there, \"system is \
     exactly singular\" or \"computationally singular\", or prints the same unusable value), as when all deaths fall \
     at one time. This is a numerical limit of the test, not a problem of the Cox model, which converged; read the \
     tests of the single terms, and consider leaving out a covariate that barely varies among the patients at risk.";

/// Why a test cannot be read, if it cannot: `sound` is false when the model did not
/// converge or has a possibly infinite coefficient ([`PhVerdict::NotReadable`]); a
/// statistic `chisq` that is negative or not finite (a numerically singular information;
/// cox.zph prints such values, or stops with "system is computationally singular") on a
/// sound model is [`PhVerdict::Singular`].
pub fn unreadable(sound: bool, chisq: f64) -> Option<PhVerdict> {
    if !sound {
        Some(PhVerdict::NotReadable)
    } else if !(chisq.is_finite() && chisq >= 0.0) {
        Some(PhVerdict::Singular)
    } else {
        None
    }
}

/// The verdict of one test: `unreadable` from [`unreadable`] (of the fit and this
/// test's own statistic), `p` its p-value, `group` whether the term is the spec's group
/// column. The one place the level [`ALPHA`] is applied.
pub fn verdict(unreadable: Option<PhVerdict>, p: Option<f64>, group: bool) -> PhVerdict {
    match (unreadable, p) {
        (Some(why), _) => why,
        (None, None) => PhVerdict::NotComputed,
        (None, Some(p)) if p >= ALPHA => PhVerdict::NoEvidence { p },
        (None, Some(p)) => PhVerdict::NotProportional { p, group },
    }
}

/// Restores the verdicts of a test read back from a results document (the page's copy
/// of the Report), where they are not stored: the English global reading says whether
/// the analysis found the fit unsound; `converged` is `cox.converged`; `group` the
/// spec's group column. Each test's own statistic says whether it is singular.
pub fn reread(test: &mut PhTest, converged: bool, group: Option<&str>) {
    let sound = converged && test.reading != UNRELIABLE_GLOBAL;
    for t in &mut test.terms {
        let why = unreadable(sound, t.chisq);
        t.verdict = verdict(why, t.p, group == Some(t.name.as_str()));
    }
    test.verdict = verdict(unreadable(sound, test.global.chisq), test.global.p, false);
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
        PhVerdict::Singular => return SINGULAR_TERM.replace("{column}", column),
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
        PhVerdict::Singular => SINGULAR_GLOBAL.to_string(),
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
    use super::{global_reading, reread, term_reading, unreadable, verdict, UNRELIABLE_GLOBAL};
    use survlens_contract::cox::{PhTerm, PhTest, PhVerdict, Test};

    #[test]
    fn verdicts_at_the_level() {
        let unsound = Some(PhVerdict::NotReadable);
        assert_eq!(verdict(unsound, Some(0.001), true), PhVerdict::NotReadable);
        assert_eq!(verdict(None, None, false), PhVerdict::NotComputed);
        assert_eq!(
            verdict(None, Some(0.05), true),
            PhVerdict::NoEvidence { p: 0.05 }
        );
        assert_eq!(
            verdict(None, Some(0.0499), true),
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
        // A sound fit whose global statistic is not a number: singular, and only the
        // global test; the terms are read by their own statistics.
        ph.reading = String::new();
        ph.global.chisq = f64::NAN;
        ph.terms[1].chisq = -1e-9;
        reread(&mut ph, true, Some("arm"));
        assert_eq!(ph.verdict, PhVerdict::Singular);
        assert_eq!(ph.terms[1].verdict, PhVerdict::Singular);
        assert_eq!(
            ph.terms[0].verdict,
            PhVerdict::NotProportional {
                p: 0.01,
                group: true
            }
        );
    }

    /// The numerical failure of a sound fit is never explained by non-convergence or
    /// infinite coefficients; an unsound fit's is.
    #[test]
    fn singular_readings_say_what_happened() {
        assert_eq!(unreadable(true, f64::NAN), Some(PhVerdict::Singular));
        assert_eq!(unreadable(true, -0.5), Some(PhVerdict::Singular));
        assert_eq!(unreadable(false, f64::NAN), Some(PhVerdict::NotReadable));
        assert_eq!(unreadable(true, 0.0), None);
        let texts = [
            global_reading(PhVerdict::Singular),
            term_reading("age", PhVerdict::Singular, None, false),
        ];
        for t in &texts {
            assert!(
                t.contains("numerically singular") && t.contains("converged"),
                "{t}"
            );
            assert!(
                !t.contains("did not converge") && !t.contains("infinite"),
                "{t}"
            );
        }
        assert!(texts[1].contains("age"));
        assert!(global_reading(PhVerdict::NotReadable).contains("did not converge"));
    }
}
