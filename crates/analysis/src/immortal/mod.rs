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
use super::spec::{CoxSpec, KmSpec, Spec};
use super::steps;
use survlens_contract::immortal::{Comparison, TreatmentTimeSection};
pub use survlens_contract::immortal::{LandmarkResult, Reassigned, TimeDependentSection};
pub use survlens_contract::spec::{
    cox_options, validate_spec, LandmarkSpec, TimeDependentSpec, TreatmentTimeSpec,
};
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::treatment::{TreatmentSource, TreatmentTimes};
use survlens_ingest::{Cohort, TimeMap};

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
        if spec.landmark.is_none() && spec.time_dependent.is_none() && spec.emulation.is_none() {
            warnings.push(survlens_text::warning(WarningCode::ImmortalTimeNaiveOnly));
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
            Warning::new(WarningCode::EmptyGroup,
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

fn time_dependent(
    cohort: &Cohort,
    spec: &Spec,
    u: &[Option<f64>],
    warnings: &mut Vec<Warning>,
) -> TimeDependentSection {
    // `time_dependent.cox.ph_test`: cox.zph on the (start, stop] fit, as `cox.ph_test` asks.
    let cox_spec = CoxSpec {
        ph_test: spec.cox.as_ref().and_then(|c| c.ph_test),
        ..cox_options(spec)
    };
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

/// Everything this module adds to the Report.
#[derive(Debug, Default)]
pub struct ImmortalSections {
    pub landmark: Option<Vec<LandmarkResult>>,
    pub time_dependent: Option<TimeDependentSection>,
    pub comparison: Option<Comparison>,
    /// Rows left out of the sections above for their treatment time.
    pub treatment_time: Option<TreatmentTimeSection>,
}
