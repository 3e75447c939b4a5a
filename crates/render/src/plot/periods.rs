//! The hazard ratios by period figure (`cox.periods`): the forest plot
//! ([`super::forest`]) of the period terms, one row per period and group term labelled
//! "(from, to] group: level", HR with its CI on a log axis and as text.

use super::forest::terms_only;
use survlens_contract::cox::{CoxSection, CoxTerm};
use survlens_contract::periods::CoxPeriod;
use survlens_text::period_words::period_words;
use survlens_text::Lang;

/// A number as written in a spec (`12`, `0.5`).
fn spec_number(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// "(from, to]" of a period, or "after from" for the last, open one.
pub fn period_label(p: &CoxPeriod, lang: Lang) -> String {
    match p.to {
        Some(to) => format!("({}, {}]", spec_number(p.from), spec_number(to)),
        None => period_words(lang)
            .open_period
            .replace("{from}", &spec_number(p.from)),
    }
}

/// The terms-only Cox section the forest plot draws: every period's terms, named
/// "<period> <term>" (`None` without `cox.periods`).
pub fn period_forest(cox: &CoxSection, lang: Lang) -> Option<CoxSection> {
    let periods = cox.periods.as_ref()?;
    let terms: Vec<CoxTerm> = periods
        .iter()
        .flat_map(|p| {
            let label = period_label(p, lang);
            p.terms.iter().map(move |t| CoxTerm {
                name: format!("{label} {}", t.name),
                ..t.clone()
            })
        })
        .collect();
    Some(terms_only(&terms))
}
