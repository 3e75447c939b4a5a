//! The `sensitivity` section: E-values (VanderWeele & Ding 2017) for the group hazard
//! ratios of the Cox sections present (`cox`, `adjusted.cox`, `time_dependent.cox`).

pub use survlens_contract::adjusted::{EValue, SensitivitySection};
pub use survlens_contract::spec::SensitivitySpec;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_stats::evalue;

/// One group hazard ratio of a Cox section, as input to the E-values.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupHr {
    /// `"cox"`, `"adjusted.cox"` or `"time_dependent.cox"`.
    pub source: String,
    /// Term name `<group column>=<level>`.
    pub name: String,
    pub hr: f64,
    /// CI limits of the HR (robust for adjusted).
    pub lower: f64,
    pub upper: f64,
}

/// The group terms (`<group column>=<level>`) of a Cox section's terms, with the CI of
/// the HR the section reports (from the robust SE when robust).
pub fn group_hazard_ratios(
    source: &str,
    group_column: &str,
    terms: &[super::cox_section::CoxTerm],
) -> Vec<GroupHr> {
    let prefix = format!("{group_column}=");
    terms
        .iter()
        .filter(|t| t.name.starts_with(&prefix))
        .filter_map(|t| {
            Some(GroupHr {
                source: source.to_string(),
                name: t.name.clone(),
                hr: t.hr?,
                lower: t.lower?,
                upper: t.upper?,
            })
        })
        .collect()
}

/// The group HRs of every Cox section present, in the order `cox`, `adjusted.cox`,
/// `time_dependent.cox` (the contract's sources). `None` for a section not computed.
pub fn all_group_hazard_ratios(
    group_column: Option<&str>,
    cox: Option<&[super::cox_section::CoxTerm]>,
    adjusted_cox: Option<&[super::cox_section::CoxTerm]>,
    time_dependent_cox: Option<&[super::cox_section::CoxTerm]>,
) -> Vec<GroupHr> {
    let Some(column) = group_column else {
        return Vec::new();
    };
    [
        ("cox", cox),
        ("adjusted.cox", adjusted_cox),
        ("time_dependent.cox", time_dependent_cox),
    ]
    .into_iter()
    .filter_map(|(source, terms)| terms.map(|t| group_hazard_ratios(source, column, t)))
    .flatten()
    .collect()
}

/// E-values of every given group HR. `n_events`, `n_used`: the main unweighted data
/// (for the default rare-outcome rule, events/n < 0.15).
///
/// # R equivalent
/// `EValue::evalues.HR(hr, lo, hi, rare = )` for each term (see [`evalue`]).
pub fn sensitivity_section(
    spec: &SensitivitySpec,
    n_events: usize,
    n_used: usize,
    terms: &[GroupHr],
    warnings: &mut Vec<Warning>,
) -> SensitivitySection {
    let rare = spec
        .outcome_rare
        .unwrap_or(n_events as f64 / (n_used as f64) < 0.15);
    if terms.is_empty() {
        warnings.push(survlens_text::warning(WarningCode::NoHazardRatios));
    }
    let evalues: Vec<EValue> = terms
        .iter()
        .map(|t| {
            let (e, ci) = evalue::evalue_hr(t.hr, t.lower, t.upper, rare);
            EValue {
                source: t.source.clone(),
                name: t.name.clone(),
                hr: t.hr,
                evalue: e,
                evalue_ci: ci,
            }
        })
        .collect();
    let notes = super::notes::evalue_notes(&evalues);
    SensitivitySection {
        rare_outcome: rare,
        evalues,
        notes,
    }
}
