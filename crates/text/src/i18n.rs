//! Every word the generated texts use (report page, methods and results paragraphs,
//! STROBE checklist), in one table per language.
//!
//! Templates hold named placeholders `{name}` that [`fill`] replaces; a placeholder
//! may move within a sentence, so a translation is a new table of the same shape
//! ([`Texts`]) and one arm in [`texts`]. Numbers are never formatted for a locale
//! here: exports carry plain `.`-decimal numbers in every language.

use serde::{Deserialize, Serialize};
use survlens_contract::Spec;

/// Languages of the generated texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese (`zh`, `<html lang="zh-CN">`).
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    /// The BCP 47 tag written in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Every language, in the order the page's switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The short code (`en`, `zh`) used in specs, options and `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Parses `en` / `zh` (also `zh-CN`, `zh-Hans`, any case); `None` for others.
    pub fn parse(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        if c == "en" || c.starts_with("en-") {
            Some(Lang::En)
        } else if c == "zh" || c.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }
}

/// The words of one language. Field names say where a string is used.
#[derive(Debug)]
pub struct Texts {
    // Page structure.
    pub title: &'static str,
    pub label_table: &'static str,
    pub label_figure: &'static str,
    pub generated_by: &'static str,
    pub h_summary: &'static str,
    pub h_methods: &'static str,
    pub h_results: &'static str,
    pub h_figures: &'static str,
    pub h_tables: &'static str,
    pub h_strobe: &'static str,
    pub h_references: &'static str,
    pub h_provenance: &'static str,
    pub h_spec: &'static str,
    pub h_warnings: &'static str,
    pub h_patient_data: &'static str,
    pub no_warnings: &'static str,
    pub print_hint: &'static str,
    // Provenance table.
    pub prov_software: &'static str,
    pub prov_file: &'static str,
    pub prov_file_sha: &'static str,
    pub prov_spec_sha: &'static str,
    pub prov_rows: &'static str,
    pub prov_rows_value: &'static str,
    pub prov_no_patient_data: &'static str,
    // Table captions and headers.
    pub t_groups: &'static str,
    pub t_exclusions: &'static str,
    pub t_km: &'static str,
    pub t_at_times: &'static str,
    pub t_logrank: &'static str,
    pub t_pairwise: &'static str,
    pub t_rmst: &'static str,
    pub t_rmst_diff: &'static str,
    pub t_cox: &'static str,
    pub t_cox_tests: &'static str,
    pub t_ph: &'static str,
    /// `time_dependent.cox.ph_test`: the test of the (start, stop] model.
    pub t_ph_time_dependent: &'static str,
    pub t_table1: &'static str,
    pub t_balance: &'static str,
    pub t_weights: &'static str,
    pub t_adjusted_cox: &'static str,
    pub t_adjusted_rmst: &'static str,
    pub t_evalues: &'static str,
    pub t_excluded_rows: &'static str,
    pub c_group: &'static str,
    pub c_n: &'static str,
    pub c_events: &'static str,
    pub c_reason: &'static str,
    pub c_median: &'static str,
    pub c_ci: &'static str,
    pub c_time: &'static str,
    pub c_at_risk: &'static str,
    pub c_survival: &'static str,
    pub c_observed: &'static str,
    pub c_expected: &'static str,
    pub c_chisq: &'static str,
    pub c_df: &'static str,
    pub c_p: &'static str,
    pub c_p_adjusted: &'static str,
    pub c_comparison: &'static str,
    pub c_rmst: &'static str,
    pub c_se: &'static str,
    pub c_difference: &'static str,
    pub c_term: &'static str,
    pub c_hr: &'static str,
    pub c_test: &'static str,
    pub c_covariate: &'static str,
    pub c_overall: &'static str,
    pub c_smd_before: &'static str,
    pub c_smd_after: &'static str,
    pub c_min: &'static str,
    pub c_max: &'static str,
    pub c_mean: &'static str,
    pub c_sum: &'static str,
    pub c_ess: &'static str,
    pub c_source: &'static str,
    pub c_evalue: &'static str,
    pub c_evalue_ci: &'static str,
    pub c_line: &'static str,
    pub c_column: &'static str,
    pub c_code: &'static str,
    pub c_message: &'static str,
    pub c_item: &'static str,
    pub c_recommendation: &'static str,
    pub c_where: &'static str,
    pub not_reached: &'static str,
    pub test_lr: &'static str,
    pub test_wald: &'static str,
    pub test_score: &'static str,
    pub global: &'static str,
    pub all_patients: &'static str,
    pub fig_km: &'static str,
    pub fig_forest: &'static str,
    pub km_y_label: &'static str,
    pub km_x_label: &'static str,
    // Methods paragraph (templates).
    pub m_time_dates: &'static str,
    pub m_time_column: &'static str,
    pub m_time_entry: &'static str,
    pub m_event_values: &'static str,
    pub m_event_censored: &'static str,
    pub m_event_detected: &'static str,
    pub m_groups: &'static str,
    pub m_recode: &'static str,
    pub m_complete_cases: &'static str,
    pub m_km: &'static str,
    pub m_km_times: &'static str,
    pub m_logrank: &'static str,
    pub m_peto: &'static str,
    pub m_stratified: &'static str,
    pub m_pairwise: &'static str,
    pub m_rmst: &'static str,
    pub m_cox: &'static str,
    pub m_cox_adjusted: &'static str,
    pub m_cox_strata: &'static str,
    pub m_cox_robust: &'static str,
    pub m_cox_cluster: &'static str,
    pub m_cox_weights: &'static str,
    pub m_ph: &'static str,
    pub m_concordance: &'static str,
    pub m_table1: &'static str,
    pub m_propensity: &'static str,
    pub m_weights_ate: &'static str,
    pub m_weights_att: &'static str,
    pub m_weights_ato: &'static str,
    pub m_truncate: &'static str,
    pub m_balance: &'static str,
    pub m_adjusted: &'static str,
    pub m_bootstrap: &'static str,
    pub m_evalue: &'static str,
    pub m_immortal: &'static str,
    pub m_landmark: &'static str,
    pub m_time_dependent: &'static str,
    pub m_software: &'static str,
    pub m_alpha: &'static str,
    pub conf_type_log: &'static str,
    pub conf_type_loglog: &'static str,
    pub conf_type_plain: &'static str,
    pub ties_efron: &'static str,
    pub ties_breslow: &'static str,
    pub adjust_none: &'static str,
    pub adjust_holm: &'static str,
    pub adjust_bonferroni: &'static str,
    pub adjust_bh: &'static str,
    pub transform_km: &'static str,
    pub transform_rank: &'static str,
    pub transform_identity: &'static str,
    pub unit_days: &'static str,
    pub unit_weeks: &'static str,
    pub unit_months: &'static str,
    pub unit_years: &'static str,
    /// Between the last two items of a list, spaces included (" and ", "和").
    pub list_and: &'static str,
    /// Between the other items of a list (", ", "、").
    pub list_sep: &'static str,
    /// Between sentences of a paragraph (" " in English, nothing in Chinese).
    pub sentence_sep: &'static str,
    /// The language of this table (the number formats' interval word comes from it:
    /// `crate::numbers::interval_word`).
    pub lang: Lang,
    // Reasons a row was left out (the `reason` codes of the contract).
    pub reason_missing: &'static str,
    pub reason_other_group: &'static str,
    pub reason_negative_time: &'static str,
    pub reason_entry_not_before_exit: &'static str,
    // Table 1 row suffixes (after the covariate's name).
    pub mean_sd: &'static str,
    pub n_percent: &'static str,
    // Names of the models an estimate comes from (`source` codes of the contract).
    pub source_cox: &'static str,
    pub source_adjusted_cox: &'static str,
    pub source_time_dependent_cox: &'static str,
    pub pairwise_all: &'static str,
    pub pairwise_reference: &'static str,
    pub stabilized: &'static str,
    pub model_binary: &'static str,
    pub model_multinomial: &'static str,
    pub concordance: &'static str,
    pub versus: &'static str,
    // Results paragraph (templates).
    pub r_cohort: &'static str,
    pub r_excluded: &'static str,
    pub r_median: &'static str,
    pub r_median_nr: &'static str,
    /// The sentence of the medians (`{list}`: the `r_median` / `r_median_nr` parts).
    pub r_medians: &'static str,
    pub r_at_time: &'static str,
    pub r_at_time_value: &'static str,
    /// A requested time later than a curve's last observed time (`beyond_follow_up`).
    pub r_at_time_beyond: &'static str,
    /// The words written instead of numbers past a curve's follow-up (tables).
    pub beyond_follow_up: &'static str,
    /// A model's rows: `{n}`, `{events}`.
    pub model_n: &'static str,
    /// Rows a model left out for a missing covariate: `{n}`, `{columns}`.
    pub model_left_out: &'static str,
    /// The sentence of a model that left rows out: `{model}`, `{n}`, `{used}`,
    /// `{events}`, `{missing}`, `{columns}`.
    pub r_model_rows: &'static str,
    pub t_ps_model_short: &'static str,
    pub t_adjusted_short: &'static str,
    pub r_logrank: &'static str,
    pub r_rmst_diff: &'static str,
    pub r_rmst_diff_adjusted: &'static str,
    pub r_hr: &'static str,
    pub r_hr_adjusted: &'static str,
    pub r_evalue: &'static str,
    pub r_no_events: &'static str,
    // STROBE.
    pub strobe_intro: &'static str,
    pub strobe_items: &'static [(&'static str, &'static str)],
    pub s_not_covered: &'static str,
    pub s_methods: &'static str,
    pub s_variables: &'static str,
    pub s_missing: &'static str,
    pub s_participants: &'static str,
    pub s_exclusions: &'static str,
    pub s_descriptive: &'static str,
    pub s_outcome: &'static str,
    pub s_main: &'static str,
    pub s_absolute: &'static str,
    pub s_other: &'static str,
    pub s_sensitivity: &'static str,
    pub s_confounding: &'static str,
    // Issue 9, full report: every figure and table (figures, tables, cells).
    pub fig_loglog: &'static str,
    pub fig_schoenfeld: &'static str,
    pub fig_love: &'static str,
    pub fig_overlap: &'static str,
    /// Caption of the observed vs imputed values figure (multiple imputation).
    pub fig_imputation: &'static str,
    pub fig_adjusted_km: &'static str,
    /// Caption of the hazard ratios by period figure (`cox.periods`).
    pub fig_periods: &'static str,
    pub fig_adjusted_forest: &'static str,
    pub fig_landmark: &'static str,
    pub fig_simon_makuch: &'static str,
    pub t_cox_univariable: &'static str,
    pub t_ps_model: &'static str,
    pub t_adjusted_km: &'static str,
    pub t_adjusted_at_times: &'static str,
    pub t_bootstrap: &'static str,
    pub t_landmark: &'static str,
    pub t_landmark_tests: &'static str,
    pub t_time_dependent_cox: &'static str,
    pub t_simon_makuch: &'static str,
    pub t_simon_makuch_at_times: &'static str,
    pub t_immortal: &'static str,
    pub c_coef: &'static str,
    pub c_landmark: &'static str,
    pub c_left_out_before: &'static str,
    pub c_reassigned: &'static str,
    pub c_analysis: &'static str,
    pub bootstrap_log_hr: &'static str,
    pub bootstrap_rmst: &'static str,
    pub analysis_naive: &'static str,
    pub analysis_landmark: &'static str,
    pub analysis_time_dependent: &'static str,
    /// A model's adjustment: "adjusted for {covariates}" / "unadjusted", and a name
    /// followed by it: "{name} ({adjustment})".
    pub adjusted_for: &'static str,
    pub unadjusted: &'static str,
    pub with_adjustment: &'static str,
    // Issue 18, competing risks: figures, tables, methods and results.
    pub fig_cif: &'static str,
    pub fig_cif_adjusted: &'static str,
    /// The conditional survival figure (issue 19).
    pub fig_conditional: &'static str,
    // Issue 19, subgroups: the subgroup forest plots' captions.
    pub fig_subgroups: &'static str,
    pub fig_subgroups_adjusted: &'static str,
    /// Tables and methods of `subgroups` (docs/methods.md#subgroups).
    pub t_subgroups: &'static str,
    pub t_adjusted_subgroups: &'static str,
    pub t_interaction: &'static str,
    pub t_adjusted_interaction: &'static str,
    pub c_subgroup: &'static str,
    pub c_events_n: &'static str,
    pub subgroup_no_estimate: &'static str,
    pub test_wald_robust: &'static str,
    /// `{columns}`: "age (≤60, >60) and sex (F, M)"; `{adjustment}`: [`Texts::adjusted_for`]
    /// or [`Texts::unadjusted`]; `{test}`: [`Texts::m_subgroups_lr`] or `_wald`.
    pub m_subgroups: &'static str,
    pub m_subgroups_lr: &'static str,
    pub m_subgroups_wald: &'static str,
    pub m_subgroups_adjusted: &'static str,
    /// `{column}`, `{test}` ([`Texts::test_lr`] / `test_wald_robust`), `{chisq}`, `{df}`, `{p}`.
    pub r_interaction: &'static str,
    pub r_interaction_adjusted: &'static str,
    pub t_cif_at_times: &'static str,
    pub t_adjusted_cif_at_times: &'static str,
    pub t_gray: &'static str,
    pub t_fine_gray: &'static str,
    /// `{cause}`: the cause's name ([`Texts::cause_event`], [`Texts::cause_competing`]).
    pub t_cause_specific: &'static str,
    pub c_cause: &'static str,
    pub c_incidence: &'static str,
    pub c_shr: &'static str,
    pub cause_event: &'static str,
    pub cause_competing: &'static str,
    /// `{values}`: the competing tokens; `{c_aj}`, `{level}`, `{conf_type}`.
    pub m_competing: &'static str,
    pub m_competing_times: &'static str,
    pub m_gray: &'static str,
    pub m_gray_stratified: &'static str,
    pub m_fine_gray: &'static str,
    pub m_cause_specific: &'static str,
    pub m_competing_weighted: &'static str,
    pub r_gray: &'static str,
    pub r_shr: &'static str,
}

/// What the spec's Cox models are adjusted for, in words: "adjusted for age, sex" or
/// "unadjusted" (the covariates of the spec that ran).
pub fn adjustment(spec: &Spec, t: &Texts) -> String {
    let covs: Vec<&str> = spec.covariates.iter().map(|c| c.column.as_str()).collect();
    if covs.is_empty() {
        t.unadjusted.to_string()
    } else {
        fill(t.adjusted_for, &[("covariates", &covs.join(t.list_sep))])
    }
}

/// `name` followed by the spec's adjustment: "Cox proportional hazards model (adjusted
/// for age, sex)".
pub fn with_adjustment(name: &str, spec: &Spec, t: &Texts) -> String {
    fill(
        t.with_adjustment,
        &[("name", name), ("adjustment", &adjustment(spec, t))],
    )
}

/// The table of `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &crate::text_en::EN,
        Lang::Zh => &crate::text_zh::ZH,
    }
}

/// Replaces every `{name}` in `template` by its value; unknown names stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// "a, b and c" with the language's conjunction.
pub fn join_list(items: &[String], t: &Texts) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{}{}{}", head.join(t.list_sep), t.list_and, last),
    }
}

/// The name of a model `source` code (`cox`, `adjusted.cox`, `time_dependent.cox`);
/// the code itself for another.
pub fn source_name(code: &str, t: &Texts) -> String {
    match code {
        "cox" => t.source_cox.to_string(),
        "adjusted.cox" => t.source_adjusted_cox.to_string(),
        "time_dependent.cox" => t.source_time_dependent_cox.to_string(),
        other => other.to_string(),
    }
}

/// The name of an exclusion `reason` code; the code itself (underscores as spaces)
/// for a code this table does not know.
pub fn reason_name(code: &str, t: &Texts) -> String {
    match code {
        "missing" => t.reason_missing.to_string(),
        "other_group" => t.reason_other_group.to_string(),
        "negative_time" => t.reason_negative_time.to_string(),
        "entry_not_before_exit" => t.reason_entry_not_before_exit.to_string(),
        other => other.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_anywhere() {
        assert_eq!(fill("{b} then {a}", &[("a", "1"), ("b", "2")]), "2 then 1");
        assert_eq!(fill("{x} {", &[]), "{x} {");
    }

    #[test]
    fn lists_read_as_prose() {
        let t = texts(Lang::En);
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&v(&["a"]), t), "a");
        assert_eq!(join_list(&v(&["a", "b", "c"]), t), "a, b and c");
    }

    /// Every name of a model's estimate says whether and for what it is adjusted.
    #[test]
    fn model_names_say_adjusted_or_unadjusted() {
        let spec = |extra: &str| {
            Spec::from_json(&format!(
                r#"{{"time": {{"column": "t"}}, "event": {{"column": "e"}}{extra}}}"#
            ))
            .expect("a valid spec")
        };
        let with = spec(r#", "covariates": [{"column": "age"}, {"column": "sex"}]"#);
        let without = spec("");
        let (en, zh) = (texts(Lang::En), texts(Lang::Zh));
        assert_eq!(
            with_adjustment(en.t_cox, &with, en),
            "Cox proportional hazards model (adjusted for age, sex)"
        );
        assert_eq!(
            with_adjustment(en.analysis_naive, &without, en),
            "Naive comparison, group as finally treated (unadjusted)"
        );
        assert_eq!(adjustment(&with, zh), "校正 age、sex");
        assert_eq!(adjustment(&without, zh), "未校正");
    }
}
