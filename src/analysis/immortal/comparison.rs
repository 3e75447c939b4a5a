//! The guardrail: the group hazard ratios of the naive, landmark and time-dependent
//! analyses side by side, with a plain-language explanation written here (the page only
//! shows it).

use super::super::cox_section::{self, CoxSection};
use super::super::report::Skip;
use super::super::spec::Spec;
use super::{cox_options, data};
use crate::ingest::{Cohort, TimeMap};
use serde::Serialize;

/// `immortal_time` of the Report (an extension of the contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub reference: String,
    /// Treatment delays per treated group (u over its patients).
    pub treated: Vec<Delay>,
    /// Naive first, then each landmark, then time-dependent.
    pub analyses: Vec<Analysis>,
    /// Paragraphs for a clinician.
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delay {
    pub group: String,
    pub n: usize,
    pub median: Option<f64>,
    pub max: Option<f64>,
}

/// One analysis: its group terms (each group against the reference).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// "naive" | "landmark" | "time_dependent".
    pub analysis: String,
    pub landmark: Option<f64>,
    pub n: Option<usize>,
    pub n_events: Option<usize>,
    pub terms: Vec<GroupHr>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupHr {
    pub group: String,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub p: Option<f64>,
}

fn analysis(
    name: &str,
    landmark: Option<f64>,
    cox: &Skip<CoxSection>,
    column: &str,
    labels: &[String],
) -> Analysis {
    let fit = match cox {
        Skip::Value(c) => Some(c),
        _ => None,
    };
    let terms = labels
        .iter()
        .skip(1)
        .map(|label| {
            let term_name = format!("{column}={label}");
            let t = fit.and_then(|c| c.terms.iter().find(|t| t.name == term_name));
            GroupHr {
                group: label.clone(),
                hr: t.and_then(|t| t.hr),
                lower: t.and_then(|t| t.lower),
                upper: t.and_then(|t| t.upper),
                p: t.and_then(|t| t.p),
            }
        })
        .collect();
    Analysis {
        analysis: name.to_string(),
        landmark,
        n: fit.map(|c| c.n),
        n_events: fit.map(|c| c.n_events),
        terms,
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

/// Cox fits (the spec's covariates and ties; efron by default) on the full data, each
/// landmark and the split data; warnings of these fits are not repeated (the sections
/// report their own).
pub fn comparison(cohort: &Cohort, spec: &Spec, u: &[Option<f64>]) -> Comparison {
    let cox_spec = cox_options(spec);
    let column = spec.group.as_ref().map_or("", |g| g.column.as_str());
    let labels = &cohort.group_labels;
    let mut sink = Vec::new();
    let mut analyses = vec![analysis(
        "naive",
        None,
        &cox_section::cox_section(cohort, spec, &cox_spec, &mut sink),
        column,
        labels,
    )];
    for &l in spec.landmark.as_ref().map_or(&[][..], |lm| &lm.times) {
        let d = data::landmark(cohort, u, l);
        let cox = if d.cohort.time.is_empty() {
            Skip::Null
        } else {
            cox_section::cox_section(&d.cohort, spec, &cox_spec, &mut sink)
        };
        analyses.push(analysis("landmark", Some(l), &cox, column, labels));
    }
    let split = data::split(cohort, u, cox_spec.robust);
    analyses.push(analysis(
        "time_dependent",
        None,
        &cox_section::cox_section(&split, spec, &cox_spec, &mut sink),
        column,
        labels,
    ));
    let treated: Vec<Delay> = labels
        .iter()
        .enumerate()
        .skip(1)
        .map(|(g, label)| {
            let mut v: Vec<f64> = (0..cohort.time.len())
                .filter(|&i| cohort.group[i] as usize == g)
                .filter_map(|i| u.get(i).copied().flatten())
                .collect();
            Delay {
                group: label.clone(),
                n: v.len(),
                max: v
                    .iter()
                    .copied()
                    .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b)))),
                median: median(&mut v),
            }
        })
        .collect();
    let unit = match spec.time_map() {
        Ok(TimeMap::Dates { unit, .. }) => format!(" {unit:?}").to_lowercase(),
        _ => String::new(),
    };
    let reference = labels.first().cloned().unwrap_or_default();
    let explanation = explain(&reference, &treated, &analyses, &unit);
    Comparison {
        reference,
        treated,
        analyses,
        explanation,
    }
}

fn hr_text(t: &GroupHr) -> String {
    match (t.hr, t.lower, t.upper) {
        (Some(h), Some(l), Some(u)) => format!("HR {h:.2} (95% CI {l:.2}–{u:.2})"),
        (Some(h), _, _) => format!("HR {h:.2}"),
        _ => "not estimable".to_string(),
    }
}

fn explain(reference: &str, treated: &[Delay], analyses: &[Analysis], unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    let delays: Vec<String> = treated
        .iter()
        .filter_map(|d| {
            d.median
                .map(|m| format!("{} a median of {m:.1}{unit} after time zero", d.group))
        })
        .collect();
    out.push(format!(
        "Local treatment began later than time zero ({}). Until then a treated patient had to survive to be \
         treated: in the naive comparison that waiting time counts as treated time (immortal time), and a \
         patient who died before treatment counts in {reference}. This makes the treatment look better than it is.",
        delays.join("; ")
    ));
    let naive = analyses.first();
    let td = analyses.iter().find(|a| a.analysis == "time_dependent");
    for (j, d) in treated.iter().enumerate() {
        let mut parts = Vec::new();
        for a in analyses {
            let Some(t) = a.terms.get(j) else { continue };
            let name = match (a.analysis.as_str(), a.landmark) {
                ("landmark", Some(l)) => format!("landmark at {l}{unit}"),
                ("time_dependent", _) => "time-dependent".to_string(),
                _ => "naive".to_string(),
            };
            parts.push(format!("{name}: {}", hr_text(t)));
        }
        out.push(format!(
            "{} vs {reference} — {}.",
            d.group,
            parts.join("; ")
        ));
        let n_hr = naive.and_then(|a| a.terms.get(j)).and_then(|t| t.hr);
        let td_t = td.and_then(|a| a.terms.get(j));
        if let (Some(nh), Some(t)) = (n_hr, td_t) {
            if let Some(th) = t.hr {
                let verdict = if (nh / th - 1.0).abs() < 0.05 {
                    format!(
                        "The naive and time-dependent hazard ratios of {} are close ({nh:.2} and {th:.2}): \
                         with these treatment delays immortal time changes the estimate little.",
                        d.group
                    )
                } else if nh < th {
                    format!(
                        "The naive hazard ratio of {} ({nh:.2}) is lower than the time-dependent one ({th:.2}): \
                         part of the apparent benefit is immortal time.",
                        d.group
                    )
                } else {
                    format!(
                        "The time-dependent hazard ratio of {} ({th:.2}) is not higher than the naive one ({nh:.2}): \
                         immortal time does not explain the difference here.",
                        d.group
                    )
                };
                out.push(verdict);
                let naive_sig = naive
                    .and_then(|a| a.terms.get(j))
                    .and_then(|t| t.upper.zip(t.lower))
                    .is_some_and(|(u, l)| u < 1.0 || l > 1.0);
                let td_sig = t
                    .upper
                    .zip(t.lower)
                    .is_some_and(|(u, l)| u < 1.0 || l > 1.0);
                if naive_sig && !td_sig {
                    out.push(format!(
                        "Once the time before treatment is counted correctly, the difference between {} and {reference} \
                         is no longer statistically significant (its 95% CI includes 1).",
                        d.group
                    ));
                }
            }
        }
    }
    out.push(
        "Report the time-dependent estimate (every patient counts in the reference group until local treatment) \
         or a landmark estimate (patients alive at the landmark, grouped by the treatment received by then), \
         not the naive one."
            .to_string(),
    );
    out
}
