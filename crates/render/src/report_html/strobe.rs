//! The STROBE checklist (von Elm et al. 2007, cohort studies): for each item this
//! kind of analysis can document, where the report documents it, or that it does not.

use super::i18n::Texts;
use survlens_contract::report::{Report, Skip};

/// `(item, recommendation, where in the report)`; `where` says "not covered" when the
/// spec did not ask for what the item needs.
pub fn checklist(report: &Report, t: &Texts) -> Vec<(String, String, String)> {
    let cox = match &report.cox {
        Skip::Value(c) => Some(c),
        _ => None,
    };
    let logrank = match &report.logrank {
        Skip::Value(l) => Some(l),
        _ => None,
    };
    let propensity = report.propensity.is_some();
    let sensitivity = report.sensitivity.is_some();
    let rmst_difference = report.rmst_difference.is_some();
    let excluded = !report.data.excluded_by_reason.is_empty();
    let emulation = matches!(report.emulation, Skip::Value(_));
    let pairwise = logrank.is_some_and(|l| !l.pairwise.is_empty());
    let ph = cox.is_some_and(|c| c.ph_test.is_some());
    let times = report
        .km
        .as_ref()
        .is_some_and(|km| km.curves.iter().any(|c| !c.at_times.is_empty()));
    t.strobe_items
        .iter()
        .map(|(item, text)| {
            let covered: Option<String> = match *item {
                "7" => Some(t.s_variables.into()),
                "12a" => Some({
                    let mut s = if propensity {
                        format!("{}; {}", t.s_methods, t.s_confounding)
                    } else {
                        t.s_methods.to_string()
                    };
                    if emulation {
                        s = format!(
                            "{s}; {}",
                            survlens_text::emulation_words::emulation_words(t.lang).s_target
                        );
                    }
                    s
                }),
                "12c" => Some(match &report.imputation {
                    Some(imp) => format!(
                        "{}; {}",
                        t.s_missing,
                        super::tables_imputation::strobe_12c(imp, t)
                    ),
                    None => t.s_missing.into(),
                }),
                "12e" => sensitivity.then(|| t.s_sensitivity.into()),
                "13a" => Some(t.s_participants.into()),
                "13b" => excluded.then(|| t.s_exclusions.into()),
                "14a" => report.table1.is_some().then(|| t.s_descriptive.into()),
                "14c" => report.follow_up.as_ref().map(|_| {
                    survlens_text::follow_up_words::follow_up_words(t.lang)
                        .s_follow_up
                        .into()
                }),
                "15" => Some(t.s_outcome.into()),
                "16a" => (cox.is_some()
                    || logrank.is_some()
                    || rmst_difference
                    || report.adjusted.is_some()
                    || emulation)
                    .then(|| t.s_main.into()),
                "16c" => (times || rmst_difference || emulation).then(|| t.s_absolute.into()),
                "17" => (pairwise || ph || sensitivity).then(|| t.s_other.into()),
                _ => None,
            };
            (
                item.to_string(),
                text.to_string(),
                covered.unwrap_or_else(|| t.s_not_covered.to_string()),
            )
        })
        .collect()
}
