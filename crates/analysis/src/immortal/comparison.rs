//! The guardrail: the group hazard ratios of the naive, landmark and time-dependent
//! analyses side by side, each labelled with its model (adjusted for what, or
//! unadjusted), with a plain-language explanation written by the reading rule table
//! (`messages::rules`, `messages::immortal_reading`; the page only shows it).

use super::super::cox_section::{self, CoxSection};
use super::super::report::Skip;
use super::super::spec::Spec;
use super::{cox_options, data};
pub use survlens_contract::immortal::{Analysis, Comparison, Delay, GroupHr};
use survlens_contract::warning::Warning;
use survlens_ingest::{Cohort, TimeMap};
use survlens_text::immortal_reading;
use survlens_text::Lang;

/// Whether the fit's warnings flag `term` (or the whole fit) as unreliable.
fn flagged(warnings: &[Warning], term: &str) -> bool {
    warnings.iter().any(|w| match w.code.as_str() {
        "cox_not_converged" => true,
        "cox_infinite_coef" => w
            .context
            .get("term")
            .is_none_or(|t| t.as_str() == Some(term)),
        _ => false,
    })
}

fn analysis(
    name: &str,
    landmark: Option<f64>,
    (cox, warnings): (&Skip<CoxSection>, &[Warning]),
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
                reliable: !flagged(warnings, &term_name),
            }
        })
        .collect();
    Analysis {
        analysis: name.to_string(),
        label: String::new(),
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

/// Treatment delays per treated group.
fn delays(cohort: &Cohort, u: &[Option<f64>]) -> Vec<Delay> {
    let labels = &cohort.group_labels;
    labels
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
        .collect()
}

/// Cox fits (the spec's covariates and ties; efron by default) on the immortal-time data
/// (`cohort`: the rows whose treatment time fits; `left_out`: how many did not), each
/// landmark and the split data; warnings of these fits are not repeated (the sections
/// report their own) but mark the hazard ratios they make unreliable.
pub fn comparison(cohort: &Cohort, spec: &Spec, u: &[Option<f64>], left_out: usize) -> Comparison {
    let cox_spec = cox_options(spec);
    let column = spec.group.as_ref().map_or("", |g| g.column.as_str());
    let labels = &cohort.group_labels;
    let row = |name: &str, landmark: Option<f64>, data: Option<&Cohort>| {
        let mut sink = Vec::new();
        let cox = match data {
            Some(d) => cox_section::cox_section(d, spec, &cox_spec, &mut sink),
            None => Skip::Null,
        };
        analysis(name, landmark, (&cox, &sink), column, labels)
    };
    let mut analyses = vec![row("naive", None, Some(cohort))];
    for &l in spec.landmark.as_ref().map_or(&[][..], |lm| &lm.times) {
        let d = data::landmark(cohort, u, l);
        let data = (!d.cohort.time.is_empty()).then_some(&d.cohort);
        analyses.push(row("landmark", Some(l), data));
    }
    let split = data::split(cohort, u, cox_spec.robust);
    analyses.push(row("time_dependent", None, Some(&split)));
    let unit = match spec.time_map() {
        Ok(TimeMap::Dates { unit, .. }) => Some(format!("{unit:?}").to_lowercase()),
        _ => None,
    };
    let mut cmp = Comparison {
        reference: labels.first().cloned().unwrap_or_default(),
        adjusted_for: spec.covariates.iter().map(|c| c.column.clone()).collect(),
        unit,
        left_out,
        n: cohort.time.len(),
        treated: delays(cohort, u),
        analyses,
        explanation: Vec::new(),
    };
    let names: Vec<String> = cmp
        .analyses
        .iter()
        .map(|a| immortal_reading::analysis_label(a, &cmp, Lang::En))
        .collect();
    for (a, name) in cmp.analyses.iter_mut().zip(names) {
        a.label = name;
    }
    cmp.explanation = immortal_reading::explain(&cmp, Lang::En);
    cmp
}
