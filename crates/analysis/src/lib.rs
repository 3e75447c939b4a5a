//! Reads the spec, calls ingest and stats, builds the [`Report`] (docs/results.md).
//!
//! This is the only module that knows the results contract.

pub mod adjusted_cox;
pub mod adjusted_section;
pub mod bootstrap;
pub mod competing_section;
pub mod complete_cases;
mod confounding;
pub mod cox_design;
pub mod cox_periods;
pub mod cox_ph;
mod cox_rows;
pub mod cox_section;
pub mod cox_univariable;
pub mod emulation_section;
mod entry;
pub mod error;
pub mod follow_up_section;
pub mod immortal;
mod imputation_section;
pub mod notes;
pub use survlens_contract::per_row;
use survlens_contract::warning_code::WarningCode;
pub mod propensity_section;
pub use survlens_contract::report;
pub mod sensitivity_section;
pub mod sites;
pub mod subgroups;
pub use survlens_contract::spec;
pub mod limits;
pub mod matching_section;
mod steps;
pub mod table1_section;
pub mod units;

pub use entry::{Analysis, Input};
pub use error::Error;
pub use report::Report;

pub use spec::{Spec, SpecError};
pub use survlens_contract::VERSION;

use report::{DataSummary, GroupCount, Skip};
use std::collections::BTreeMap;
use survlens_contract::warning::Warning;
use survlens_ingest::{self as ingest, Cohort};
use survlens_timing as timing;

/// The spec's checks and column map, then the file read into a table.
fn read_table(data: &[u8], spec: &Spec) -> Result<(ingest::RawTable, ingest::ColumnMap), Error> {
    spec.validate()?;
    let map = spec.column_map()?;
    let table = timing::stage("read", || {
        ingest::read_table_sheet(data, spec.sheet.as_deref())
    })?;
    Ok((table, map))
}

/// The analysis of a table read from the file; the table is freed once the cohort,
/// the table-1 rows and the treatment times (which read it) are built.
fn analyze_table(
    table: ingest::RawTable,
    map: &ingest::ColumnMap,
    spec: &Spec,
    progress: bootstrap::Progress,
    plan: &units::Plan,
) -> Result<Report, Error> {
    let cohort_stage = timing::enter("cohort");
    let cohort = ingest::build_cohort(&table, map)?;
    limits::check_cohort(&cohort, spec)?;
    // Imported imputed sets: the original data is the data of the other sections.
    let (cohort, imputed) = match spec.imputation.as_ref().and_then(|i| i.imputed.as_deref()) {
        Some(column) => {
            let sets = ingest::imputed_sets::imputed_sets(&table, &cohort, column, &spec.missing)?;
            let (data, imputed) = imputation_section::split_imported(cohort, &sets, spec);
            (data, Some(imputed))
        }
        None => (cohort, None),
    };
    // table1 describes the data's rows (missing covariates counted), read from the table.
    let table1 = match &spec.table1 {
        Some(t1) => Some(table1_section::build(&table, spec, t1, &cohort)?),
        None => None,
    };
    // Immortal time: the treatment time of each used row, read from the table.
    let treatment = match immortal::treatment_source(spec) {
        Some(source) => {
            let reference = 0; // the reference group is first in the cohort's labels
            Some(ingest::treatment::treatment_times(
                &table,
                &cohort,
                &source,
                &spec.missing,
                reference,
            )?)
        }
        None => None,
    };
    drop(table);
    drop(cohort_stage);
    // The cohort's warnings include the table's (encoding fallback, ...).
    let warnings = cohort.warnings.clone();
    let mut report = timing::stage("analysis", || {
        run_sections(
            &cohort,
            spec,
            warnings,
            treatment.as_ref(),
            imputed,
            progress,
            plan,
        )
    })?;
    report.table1 = table1;
    Ok(report)
}

/// Run every analysis the spec asks for on a validated cohort, with the
/// local-treatment time of each row (`None` = not mapped) for the immortal-time
/// sections and the imputed sets read from the file (`None`: none imported), reporting
/// the progress of long steps (the bootstrap's replicates, the imputed sets) to
/// `progress(done, total)`.
fn run_sections(
    cohort: &Cohort,
    spec: &Spec,
    mut warnings: Vec<Warning>,
    treatment: Option<&ingest::treatment::TreatmentTimes>,
    imputed: Option<imputation_section::ImportedSets>,
    progress: bootstrap::Progress,
    plan: &units::Plan,
) -> Result<Report, Error> {
    limits::check_cohort(cohort, spec)?;
    if cohort.entry.is_some() && spec.rmst.is_some() {
        warnings.push(survlens_text::warning(WarningCode::RmstWithEntry));
    }
    // The time-sorted cohort, built on first use (a Cox-only analysis never sorts it).
    let sorted_cell = std::cell::OnceCell::new();
    let sorted =
        || sorted_cell.get_or_init(|| timing::stage("sort", || steps::SortedCohort::new(cohort)));
    let rmst_spec = spec.rmst.as_ref().filter(|_| cohort.entry.is_none());
    let km = spec
        .km
        .as_ref()
        .map(|k| timing::stage("km", || steps::km_section(sorted(), k, rmst_spec)));
    let logrank = match &spec.logrank {
        Some(lr) => timing::stage("logrank", || {
            steps::logrank_section(sorted(), lr, &mut warnings)
        }),
        None => Skip::NotAsked,
    };
    let rmst_difference = match (&rmst_spec, &km) {
        (Some(_), Some(km)) if cohort.group_labels.len() > 1 => Some(steps::rmst_differences(km)),
        (Some(r), None) if cohort.group_labels.len() > 1 => {
            let km_default = spec::KmSpec {
                conf_type: Default::default(),
                conf_level: 0.95,
                times: vec![],
            };
            let km = steps::km_section(sorted(), &km_default, Some(r));
            steps::warn_rmst_beyond_follow_up("rmst", &km, &mut warnings);
            Some(steps::rmst_differences(&km))
        }
        _ => None,
    };
    if let Some(km) = km.as_ref().filter(|_| rmst_spec.is_some()) {
        steps::warn_rmst_beyond_follow_up("rmst", km, &mut warnings);
    }
    if let Some(w) = competing_section::km_warning(cohort) {
        warnings.push(w);
    }
    let competing_risks = spec.competing_risks.as_ref().and_then(|cr| {
        timing::stage("competing_risks", || {
            competing_section::competing_risks_section(sorted(), spec, cr, &mut warnings)
        })
    });
    let follow_up = spec.follow_up.as_ref().map(|_| {
        timing::stage("follow_up", || {
            follow_up_section::follow_up_section(cohort, spec)
        })
    });
    let conditional = spec.conditional.as_ref().map(|c| {
        timing::stage("conditional", || {
            follow_up_section::conditional_section(cohort, spec, c, &mut warnings)
        })
    });
    let subgroups = match &spec.subgroups {
        Some(sg) => timing::stage("subgroups", || {
            subgroups::subgroups_section(cohort, spec, sg, "subgroups", &mut warnings)
        })?,
        None => Skip::NotAsked,
    };
    let (propensity, mut adjusted) =
        confounding::confounding(cohort, spec, &sorted, &mut warnings, progress, plan)?;
    let matching = match &spec.matching {
        Some(m) => timing::stage("matching", || {
            matching_section::matching_section(cohort, spec, m, &mut warnings)
        })?,
        None => Skip::NotAsked,
    };
    // The Cox models sort their own rows: the time-sorted copy is freed before them.
    drop(sorted_cell);
    let cox = match &spec.cox {
        Some(cox_spec) => timing::stage("cox", || {
            cox_section::cox_section(cohort, spec, cox_spec, &mut warnings)
        }),
        None => Skip::NotAsked,
    };
    let immortal = match treatment {
        Some(u) => immortal::sections(cohort, spec, u, &mut warnings),
        None => immortal::ImmortalSections::default(),
    };
    let crude_terms = match &cox {
        Skip::Value(c) => Some(c.terms.as_slice()),
        _ => None,
    };
    if let (Some(a), Some(reference)) = (adjusted.as_mut(), cohort.group_labels.first()) {
        let terms = a.cox.as_ref().map_or(&[][..], |c| c.terms.as_slice());
        let covariates: Vec<String> = spec.covariates.iter().map(|c| c.column.clone()).collect();
        a.notes = notes::hr_notes(crude_terms, terms, reference, &covariates);
    }
    let adjusted_terms = adjusted
        .as_ref()
        .and_then(|a| a.cox.as_ref())
        .map(|c| c.terms.as_slice());
    let time_dependent_terms = match immortal.time_dependent.as_ref().map(|t| &t.cox) {
        Some(Skip::Value(c)) => Some(c.terms.as_slice()),
        _ => None,
    };
    let hazard_ratios = sensitivity_section::all_group_hazard_ratios(
        spec.group.as_ref().map(|g| g.column.as_str()),
        crude_terms,
        adjusted_terms,
        time_dependent_terms,
    );
    let sensitivity = spec.sensitivity.as_ref().map(|s| {
        let d = data_summary(cohort);
        sensitivity_section::sensitivity_section(
            s,
            d.n_events,
            d.n_used,
            &hazard_ratios,
            &mut warnings,
        )
    });
    // A pool worker running units of another section skips the imputed sets (its
    // Report is not a result: units::Plan::Range).
    let imputation = if plan.skips_whole_sections() {
        None
    } else {
        timing::stage("imputation", || {
            imputation_section::imputation_section(cohort, imputed, spec, &mut warnings, progress)
        })?
    };
    let emulation = match &spec.emulation {
        Some(e) => timing::stage("emulation", || {
            emulation_section::emulation_section(
                cohort,
                spec,
                e,
                treatment,
                &mut warnings,
                progress,
                plan,
            )
        })?,
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
        competing_risks,
        follow_up,
        conditional,
        subgroups,
        propensity,
        adjusted,
        sensitivity,
        matching,
        imputation,
        emulation,
        cox,
        landmark: immortal.landmark,
        time_dependent: immortal.time_dependent,
        immortal_time: immortal.comparison,
        treatment_time: immortal.treatment_time,
        warnings,
    })
}

fn data_summary(cohort: &Cohort) -> DataSummary {
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for e in &cohort.excluded {
        *by_reason.entry(e.reason.code().to_string()).or_insert(0) += 1;
    }
    DataSummary {
        n_rows: cohort.n_rows,
        n_used: cohort.time.len(),
        n_events: cohort.event.iter().filter(|&&e| e).count(),
        n_competing: cohort
            .competing
            .as_ref()
            .map(|c| c.iter().filter(|&&e| e).count()),
        excluded: cohort.excluded.clone(),
        excluded_by_reason: by_reason,
    }
}

pub(crate) fn group_counts(cohort: &Cohort) -> Vec<GroupCount> {
    let k = cohort.group_labels.len();
    let mut n = vec![0usize; k];
    let mut events = vec![0usize; k];
    for (g, e) in cohort.group.iter().zip(&cohort.event) {
        if let (Some(slot), Some(ev)) = (n.get_mut(*g as usize), events.get_mut(*g as usize)) {
            *slot += 1;
            *ev += usize::from(*e); // no branch on the event: it is unpredictable
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
            competing: cohort.competing.as_ref().map(|c| {
                c.iter()
                    .zip(&cohort.group)
                    .filter(|(&c, &g)| c && g as usize == i)
                    .count()
            }),
        })
        .collect()
}
