//! Immortal time (docs/methods.md#immortal-time):
//! the landmark analyses, the time-dependent (start, stop] analysis with Simon–Makuch
//! curves, and the side-by-side comparison that guards the page against a naive
//! comparison that counts the wait before local treatment as treated time.
//!
//! # References
//! Suissa, S. (2008). Immortal time bias in pharmacoepidemiology. *Am. J. Epidemiol.*
//! 167, 492–499.
//! Anderson, J. R., Cain, K. C. & Gelber, R. D. (1983). Analysis of survival by tumor
//! response. *J. Clin. Oncol.* 1, 710–719 (landmark method).
//! Simon, R. & Makuch, R. W. (1984). *Stat. Med.* 3, 35–44.
//! Mantel, N. & Byar, D. P. (1974). Evaluation of response-time data involving transient
//! states. *JASA* 69, 81–86.
//!
//! # R equivalent
//! Landmark: the cohort subset by hand (see [`data::landmark`]) and `survfit`, `survdiff`,
//! `coxph` on it; time-dependent: `tmerge(..., tx = tdc(u))`, `coxph(Surv(tstart, tstop,
//! event) ~ tx + covariates, cluster = id)`, `survfit(Surv(tstart, tstop, event) ~ tx)`.

pub mod comparison;
pub mod data;
pub mod misfits;

use super::cox_section::{self, CoxSection};
use super::report::{KmSection, LogRankSection, Skip};
use super::spec::{CoxSpec, KmSpec, Spec, SpecError};
use super::steps;
use crate::ingest::treatment::{TreatmentSource, TreatmentTimes};
use crate::ingest::{Cohort, TimeMap};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};

/// `treatment_time`: `{"column": "months_to_local_tx"}` or `{"date": "local_tx_date"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentTimeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// `landmark`: `{"times": [3, 6, 12]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandmarkSpec {
    pub times: Vec<f64>,
}

/// `time_dependent`: `{}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeDependentSpec {}

/// Check the immortal-time keys against each other and the time mapping.
pub fn validate_spec(spec: &Spec) -> Result<(), SpecError> {
    if let Some(tt) = &spec.treatment_time {
        match (&tt.column, &tt.date) {
            (Some(_), None) => {}
            (None, Some(_)) => {
                if !matches!(spec.time_map()?, TimeMap::Dates { .. }) {
                    return Err(SpecError::invalid(
                        "treatment_time.date",
                        "a treatment date needs the follow-up time as two dates (\"time\": {\"start\": ..., \"end\": ...}); \
                         with a duration time give the treatment time as a duration \"column\"",
                    ));
                }
            }
            _ => {
                return Err(SpecError::invalid(
                    "treatment_time",
                    "give either {\"column\": <time from time zero to local treatment>} or {\"date\": <date of local treatment>}",
                ))
            }
        }
        if spec.group.is_none() {
            return Err(SpecError::invalid(
                "treatment_time",
                "the treatment time belongs to a comparison of groups; map the \"group\" column (the group each patient eventually belongs to)",
            ));
        }
    }
    let needs = |key: &str| {
        SpecError::invalid(
            key,
            "needs \"treatment_time\": when each patient's local treatment began",
        )
    };
    if let Some(lm) = &spec.landmark {
        if spec.treatment_time.is_none() {
            return Err(needs("landmark"));
        }
        if lm.times.is_empty() || lm.times.iter().any(|t| !(t.is_finite() && *t >= 0.0)) {
            return Err(SpecError::invalid(
                "landmark.times",
                "give one or more landmark times >= 0 in the analysis unit, e.g. [3, 6, 12]",
            ));
        }
        if lm.times.len() > crate::limits::MAX_LANDMARK_TIMES {
            return Err(SpecError::invalid(
                "landmark.times",
                format!(
                    "{} times asked; at most {} are allowed (each landmark reruns the analyses; \
                     a few such as 3, 6, 12 are usual)",
                    lm.times.len(),
                    crate::limits::MAX_LANDMARK_TIMES
                ),
            ));
        }
    }
    if spec.time_dependent.is_some() && spec.treatment_time.is_none() {
        return Err(needs("time_dependent"));
    }
    Ok(())
}

/// Where to read the treatment times, from the spec.
pub fn treatment_source(spec: &Spec) -> Option<TreatmentSource> {
    let tt = spec.treatment_time.as_ref()?;
    if let Some(column) = &tt.column {
        return Some(TreatmentSource::Duration {
            column: column.clone(),
        });
    }
    match (spec.time_map().ok()?, &tt.date) {
        (
            TimeMap::Dates {
                start,
                unit,
                date_format,
                ..
            },
            Some(column),
        ) => Some(TreatmentSource::Date {
            column: column.clone(),
            start,
            unit,
            format: date_format,
        }),
        _ => None,
    }
}

/// One entry of `reassigned`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reassigned {
    pub from: String,
    pub to: String,
    pub n: usize,
}

/// One entry of `landmark`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandmarkResult {
    pub time: f64,
    pub n: usize,
    pub left_out_before: usize,
    pub reassigned: Vec<Reassigned>,
    /// Groups per label with their n at the landmark (after reassignment).
    pub groups: Vec<super::report::GroupCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<KmSection>,
    #[serde(skip_serializing_if = "Skip::skip")]
    pub logrank: Skip<LogRankSection>,
    #[serde(skip_serializing_if = "Skip::skip")]
    pub cox: Skip<CoxSection>,
}

/// `time_dependent`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeDependentSection {
    pub n_intervals: usize,
    pub cox: Skip<CoxSection>,
    pub km: KmSection,
}

/// Everything this module adds to the Report.
#[derive(Debug, Default)]
pub struct ImmortalSections {
    pub landmark: Option<Vec<LandmarkResult>>,
    pub time_dependent: Option<TimeDependentSection>,
    pub comparison: Option<comparison::Comparison>,
    /// Rows left out of the sections above for their treatment time.
    pub treatment_time: Option<misfits::TreatmentTimeSection>,
}

/// `km`, `logrank` and `cox` as the spec asks, on `cohort`.
pub(crate) fn core_sections(
    cohort: &Cohort,
    spec: &Spec,
    warnings: &mut Vec<Warning>,
) -> (Option<KmSection>, Skip<LogRankSection>, Skip<CoxSection>) {
    let sorted = steps::SortedCohort::new(cohort);
    let rmst = if cohort.entry.is_some() {
        None
    } else {
        spec.rmst.as_ref()
    };
    let km = spec
        .km
        .as_ref()
        .map(|k| steps::km_section(&sorted, k, rmst));
    if let Some(km) = km.as_ref().filter(|_| rmst.is_some()) {
        steps::warn_rmst_beyond_follow_up("landmark", km, warnings);
    }
    let logrank = match &spec.logrank {
        Some(lr) => steps::logrank_section(&sorted, lr, warnings),
        None => Skip::NotAsked,
    };
    let cox = match &spec.cox {
        Some(c) => cox_section::cox_section(cohort, spec, c, warnings),
        None => Skip::NotAsked,
    };
    (km, logrank, cox)
}

fn tag(mut new: Vec<Warning>, key: &str, value: serde_json::Value, out: &mut Vec<Warning>) {
    for w in new.drain(..) {
        out.push(w.with(key, value.clone()));
    }
}

/// The landmark, time-dependent and comparison sections, on the rows whose treatment
/// time fits (`times`: treatment time per cohort row and the rows it does not fit).
pub fn sections(
    cohort: &Cohort,
    spec: &Spec,
    times: &TreatmentTimes,
    warnings: &mut Vec<Warning>,
) -> ImmortalSections {
    let mut out = ImmortalSections {
        treatment_time: Some(misfits::section(times)),
        ..Default::default()
    };
    let column = treatment_source(spec).map_or(String::new(), |s| s.column().to_string());
    warnings.extend(misfits::warning(times, &column));
    let (fitting, u) = misfits::fitting(cohort, times);
    let (cohort, u) = (fitting.as_ref(), u.as_slice());
    if let Some(lm) = &spec.landmark {
        let results = lm
            .times
            .iter()
            .map(|&l| {
                let mut w = Vec::new();
                let r = landmark_result(cohort, spec, u, l, &mut w);
                tag(w, "landmark", l.into(), warnings);
                r
            })
            .collect();
        out.landmark = Some(results);
    }
    if spec.time_dependent.is_some() {
        let mut w = Vec::new();
        out.time_dependent = Some(time_dependent(cohort, spec, u, &mut w));
        tag(w, "section", "time_dependent".into(), warnings);
    }
    if spec.treatment_time.is_some() {
        out.comparison = Some(comparison::comparison(cohort, spec, u, times.misfits.len()));
        if spec.landmark.is_none() && spec.time_dependent.is_none() {
            warnings.push(crate::messages::warning("immortal_time_naive_only"));
        }
    }
    out
}

fn landmark_result(
    cohort: &Cohort,
    spec: &Spec,
    u: &[Option<f64>],
    l: f64,
    warnings: &mut Vec<Warning>,
) -> LandmarkResult {
    let d = data::landmark(cohort, u, l);
    for label in &d.empty {
        warnings.push(
            Warning::new(
                "empty_group",
                format!(
                    "No patient of {label} is alive and followed at the {l} landmark, so {label} is left out of this \
                     landmark's comparisons."
                ),
            )
            .with("group", label.as_str())
            .with("landmark", l),
        );
    }
    let reference = cohort.group_labels.first().cloned().unwrap_or_default();
    let reassigned = cohort
        .group_labels
        .iter()
        .enumerate()
        .skip(1)
        .map(|(g, label)| Reassigned {
            from: label.clone(),
            to: reference.clone(),
            n: d.reassigned[g],
        })
        .collect();
    let (km, logrank, cox) = if d.cohort.time.is_empty() {
        (None, Skip::Null, Skip::Null)
    } else {
        core_sections(&d.cohort, spec, warnings)
    };
    LandmarkResult {
        time: l,
        n: d.cohort.time.len(),
        left_out_before: d.left_out_before,
        reassigned,
        groups: super::group_counts(&d.cohort),
        km,
        logrank,
        cox,
    }
}

/// The Cox options for the time-dependent fit and the comparison: the spec's, else
/// R's defaults (efron, model-based variance).
pub(crate) fn cox_options(spec: &Spec) -> CoxSpec {
    let mut c = spec.cox.unwrap_or_default();
    c.ph_test = None;
    c
}

fn time_dependent(
    cohort: &Cohort,
    spec: &Spec,
    u: &[Option<f64>],
    warnings: &mut Vec<Warning>,
) -> TimeDependentSection {
    let cox_spec = cox_options(spec);
    let split = data::split(cohort, u, cox_spec.robust);
    let km_spec = spec.km.clone().unwrap_or(KmSpec {
        conf_type: Default::default(),
        conf_level: 0.95,
        times: vec![],
    });
    let sorted = steps::SortedCohort::new(&split);
    let km = steps::km_section(&sorted, &km_spec, None);
    let cox = cox_section::cox_section(&split, spec, &cox_spec, warnings);
    TimeDependentSection {
        n_intervals: split.time.len(),
        cox,
        km,
    }
}
