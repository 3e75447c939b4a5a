//! Reads the spec, calls ingest and stats, builds the [`Report`] of CONTRACT.md.
//!
//! This is the only module that knows the results contract.

pub mod cox_section;
pub mod report;
pub mod spec;
mod steps;
pub mod table1_section;

pub use report::Report;
pub use spec::{Spec, SpecError};

use crate::error::Error;
use crate::ingest::{self, Cohort};
use crate::warning::Warning;
use report::{DataSummary, GroupCount, Skip};
use std::collections::BTreeMap;

/// Parse the spec JSON and analyse the file bytes.
///
/// This is the single entry point of the CLI and the wasm module, so both give the same
/// bytes of results for the same input.
pub fn analyze_bytes(data: &[u8], spec_json: &str) -> Result<Report, Error> {
    let spec = Spec::from_json(spec_json)?;
    analyze(data, &spec)
}

/// Analyse the file bytes with a parsed spec.
pub fn analyze(data: &[u8], spec: &Spec) -> Result<Report, Error> {
    spec.validate()?;
    let map = spec.column_map()?;
    let table = ingest::read_table(data)?;
    let cohort = ingest::build_cohort(&table, &map)?;
    // table1 describes its own rows (missing covariates allowed), read from the table.
    let table1 = match &spec.table1 {
        Some(t1) => Some(table1_section::build(
            &table,
            spec,
            t1,
            &cohort.group_labels,
        )?),
        None => None,
    };
    drop(table);
    // The cohort's warnings include the table's (encoding fallback, ...).
    let warnings = cohort.warnings.clone();
    let mut report = run(&cohort, spec, warnings)?;
    report.table1 = table1;
    Ok(report)
}

/// Run every analysis the spec asks for on a validated cohort.
pub fn run(cohort: &Cohort, spec: &Spec, mut warnings: Vec<Warning>) -> Result<Report, Error> {
    for section in spec.later_sections() {
        warnings.push(
            Warning::new(
                "not_implemented",
                format!(
                    "The \"{section}\" analysis is not available in this version of SurvLens; \
                     its results are left out. The other analyses ran."
                ),
            )
            .with("section", section),
        );
    }
    let sorted = steps::SortedCohort::new(cohort);
    let km = spec
        .km
        .as_ref()
        .map(|k| steps::km_section(&sorted, k, spec.rmst.as_ref()));
    let logrank = match &spec.logrank {
        Some(lr) => steps::logrank_section(&sorted, lr, &mut warnings),
        None => Skip::NotAsked,
    };
    let rmst_difference = match (&spec.rmst, &km) {
        (Some(_), Some(km)) if cohort.group_labels.len() > 1 => Some(steps::rmst_differences(km)),
        (Some(r), None) if cohort.group_labels.len() > 1 => {
            let km_default = spec::KmSpec {
                conf_type: Default::default(),
                conf_level: 0.95,
                times: vec![],
            };
            Some(steps::rmst_differences(&steps::km_section(
                &sorted,
                &km_default,
                Some(r),
            )))
        }
        _ => None,
    };
    let cox = match &spec.cox {
        Some(cox_spec) => cox_section::cox_section(cohort, spec, cox_spec, &mut warnings),
        None => Skip::NotAsked,
    };
    Ok(Report {
        version: 1,
        software: format!("SurvLens {}", crate::VERSION),
        spec: spec.echo(),
        data: data_summary(cohort),
        groups: group_counts(cohort),
        table1: None,
        km,
        logrank,
        rmst_difference,
        cox,
        warnings,
    })
}

fn data_summary(cohort: &Cohort) -> DataSummary {
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for e in &cohort.excluded {
        let key = serde_json::to_value(e.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *by_reason.entry(key).or_insert(0) += 1;
    }
    DataSummary {
        n_rows: cohort.n_rows,
        n_used: cohort.time.len(),
        n_events: cohort.event.iter().filter(|&&e| e).count(),
        excluded: cohort.excluded.clone(),
        excluded_by_reason: by_reason,
    }
}

fn group_counts(cohort: &Cohort) -> Vec<GroupCount> {
    let k = cohort.group_labels.len();
    let mut n = vec![0usize; k];
    let mut events = vec![0usize; k];
    for (g, e) in cohort.group.iter().zip(&cohort.event) {
        if let Some(slot) = n.get_mut(*g as usize) {
            *slot += 1;
        }
        if *e {
            if let Some(slot) = events.get_mut(*g as usize) {
                *slot += 1;
            }
        }
    }
    cohort
        .group_labels
        .iter()
        .enumerate()
        .map(|(i, label)| GroupCount {
            label: label.clone(),
            n: n[i],
            events: events[i],
        })
        .collect()
}
