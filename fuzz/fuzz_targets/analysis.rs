//! Structured random cohorts and specs (`tests/fuzz_support/dataset.rs`): every section
//! of the contract on ties, zero/huge times, constant or collinear covariates, empty
//! groups and extreme weights must end in a Report or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|dataset: fuzz_support::dataset::Dataset| {
    let (csv, spec) = dataset.render();
    if let Ok(report) = survlens::Analysis::from_json(&spec).run(csv.as_bytes()) {
        serde_json::to_vec(&report).expect("report serializes");
    }
});
