//! The STROBE checklist (von Elm et al. 2007, cohort studies): for each item this
//! kind of analysis can document, where the report documents it, or that it does not.

use super::i18n::Texts;
use serde_json::Value;

/// `(item, recommendation, where in the report)`; `where` says "not covered" when the
/// spec did not ask for what the item needs.
pub fn checklist(report: &Value, t: &Texts) -> Vec<(String, String, String)> {
    let has = |k: &str| report.get(k).is_some_and(|v| !v.is_null());
    let excluded = report["data"]["excluded_by_reason"]
        .as_object()
        .is_some_and(|m| !m.is_empty());
    let pairwise = report["logrank"]["pairwise"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    let ph = !report["cox"]["ph_test"].is_null() && has("cox");
    let times = report["km"]["curves"].as_array().is_some_and(|c| {
        c.iter()
            .any(|x| x["at_times"].as_array().is_some_and(|a| !a.is_empty()))
    });
    t.strobe_items
        .iter()
        .map(|(item, text)| {
            let covered: Option<String> = match *item {
                "7" => Some(t.s_variables.into()),
                "12a" => Some(if has("propensity") {
                    format!("{}; {}", t.s_methods, t.s_confounding)
                } else {
                    t.s_methods.into()
                }),
                "12c" => Some(t.s_missing.into()),
                "12e" => has("sensitivity").then(|| t.s_sensitivity.into()),
                "13a" => Some(t.s_participants.into()),
                "13b" => excluded.then(|| t.s_exclusions.into()),
                "14a" => has("table1").then(|| t.s_descriptive.into()),
                "15" => Some(t.s_outcome.into()),
                "16a" => {
                    (has("cox") || has("logrank") || has("rmst_difference") || has("adjusted"))
                        .then(|| t.s_main.into())
                }
                "16c" => (times || has("rmst_difference")).then(|| t.s_absolute.into()),
                "17" => (pairwise || ph || has("sensitivity")).then(|| t.s_other.into()),
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
