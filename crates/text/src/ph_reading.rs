//! The plain-language readings of the proportional-hazards test (`cox.ph_test`): one
//! rule, written once. A term's test reads "no evidence against proportional hazards"
//! when p >= 0.05; below it, the group column's hazards "are not proportional" (read the
//! RMST comparison), another column's effect "changes over follow-up". A test of a model
//! that did not converge or has a possibly infinite coefficient is not read at all.

/// Level below which a reading says "not proportional".
pub const ALPHA: f64 = 0.05;

/// The reading of a term whose test cannot be read (see [`not_readable`]).
pub fn unreliable_term(column: &str) -> String {
    UNRELIABLE_TERM.replace("{column}", column)
}

/// A p-value for a sentence: "p < 0.001", "p = 0.0037", "p = 0.43". Two significant
/// digits below 0.1, unless rounding would cross 0.05 (then three).
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        return "p < 0.001".to_string();
    }
    if p >= 0.1 {
        return format!("p = {p:.2}");
    }
    let exponent = if p < 0.01 { 3 } else { 2 }; // −floor(log10 p) on [0.001, 0.1)
    let decimals = |sig: usize| sig - 1 + exponent;
    let two = format!("{p:.*}", decimals(2));
    let crosses = two.parse::<f64>().is_ok_and(|r| (r < ALPHA) != (p < ALPHA));
    if crosses {
        format!("p = {p:.*}", decimals(3))
    } else {
        format!("p = {two}")
    }
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

/// The reading of one term's test. `group`: when the term is the group column, its
/// reference label and the compared levels (their hazards vs the reference's are read).
/// `rmst`: whether the report has an RMST comparison to point to.
pub fn term_reading(
    column: &str,
    p: Option<f64>,
    group: Option<(&str, &[&str])>,
    rmst: bool,
) -> String {
    let Some(p) = p else {
        return format!("The proportional-hazards test of {column} could not be computed.");
    };
    let pt = p_text(p);
    if p >= ALPHA {
        return format!("No evidence against proportional hazards for {column} ({pt}).");
    }
    match group {
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

pub fn global_reading(p: Option<f64>) -> String {
    match p {
        None => "The global proportional-hazards test could not be computed.".to_string(),
        Some(p) if p >= ALPHA => format!("Globally, no evidence against proportional hazards ({}).", p_text(p)),
        Some(p) => format!(
            "Globally, the hazards are not proportional ({}): see which terms above, and read their hazard ratios \
             as averages over follow-up.",
            p_text(p)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::p_text;

    #[test]
    fn p_values_in_words() {
        assert_eq!(p_text(0.4321), "p = 0.43");
        assert_eq!(p_text(0.0123), "p = 0.012");
        assert_eq!(p_text(0.00371), "p = 0.0037");
        assert_eq!(p_text(0.0004), "p < 0.001");
        assert_eq!(
            p_text(0.0496),
            "p = 0.0496",
            "0.050 would read as not significant"
        );
        assert_eq!(p_text(0.0504), "p = 0.050");
        assert_eq!(p_text(0.1), "p = 0.10");
    }
}
