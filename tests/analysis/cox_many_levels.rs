//! A categorical covariate of 500 levels in the Cox model agrees with R's `coxph`
//! (issue 25: the limit was 200 though R fits it; now `limits::MAX_MODEL_LEVELS`).
//!
//! The data are not committed: `tests/r/make_reference_many_levels.R` and [`cohort`] build
//! the same file from one seeded integer generator (MINSTD), and R's fit is
//! `tests/reference_fits/cox_500_levels/r_coxph.json`.

use crate::common;

const N_ROWS: u64 = 10_000;
const N_LEVELS: u64 = 500;
const SEED: u64 = 20_251_207;

/// The cohort of the R script, row by row (every value an integer).
fn cohort() -> String {
    let mut state = SEED;
    let mut next = || {
        state = state * 48_271 % 2_147_483_647;
        state
    };
    let mut csv = String::from("time,status,g,x,c\n");
    for i in 0..N_ROWS {
        let l = i % N_LEVELS;
        let g = ["A", "B"][(next() % 2) as usize];
        let x = next() % 100;
        let scale = 100 + 3 * (l % 37) + x;
        let time = 1 + next() % scale;
        let status = u8::from(next() % 10 < 7);
        csv.push_str(&format!("{time},{status},{g},{x},L{l:03}\n"));
    }
    csv
}

#[test]
fn a_500_level_covariate_fits_and_agrees_with_r() {
    const { assert!(survlens::limits::MAX_MODEL_LEVELS >= 500) };
    let spec = serde_json::json!({
        "time": {"column": "time"},
        "event": {"column": "status", "values": ["1"]},
        "group": {"column": "g", "reference": "A"},
        "covariates": [
            {"column": "x"},
            {"column": "c", "type": "categorical", "reference": "L000"}
        ],
        "cox": {}
    });
    // Not under tests/reference: that folder holds whole cases (data, spec, expected) that
    // the per-case loops run; this fit's data are generated.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference_fits/cox_500_levels/r_coxph.json");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("r_coxph.json"))
            .expect("r_coxph.json parses");
    assert_eq!(expected["data"]["rows"], N_ROWS);
    assert_eq!(expected["data"]["seed"], SEED);
    let terms = expected["cox"]["terms"].as_array().expect("terms");
    assert_eq!(terms.len(), 1 + 1 + 499);
    let report = common::report_json(&cohort(), &spec).expect("the model fits");
    let partial = serde_json::json!({"cox": expected["cox"]});
    let mismatches = common::compare(&partial, &report);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
