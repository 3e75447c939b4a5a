//! Warms the engine up (issue 7): one small synthetic analysis that the worker runs
//! on request (`Engine#warmUp`), before a large one.
//!
//! Why: the browser compiles WebAssembly lazily (each function at its first call, with
//! a quick baseline compiler) and re-compiles a function with its optimising compiler
//! only once it has run for a while — and the optimised code is used from the
//! function's *next* call (no on-stack replacement). The ingest and the models are a
//! few long calls (one loop over a million rows), so a cold engine runs a whole
//! 10⁶-row analysis in baseline code: measured in chromium, the cohort build and the
//! Cox fit took ~2× as long on the first analysis of a fresh page as on the second.
//! A warm-up of [`WARM_ROWS`] rows through every hot path (CSV ingest, cohort, sort,
//! Kaplan–Meier, log-rank, Efron Cox with its PH test and concordance, the
//! multinomial propensity model, weights, balance, the weighted KM and robust Cox,
//! the results JSON) makes the browser compile and optimise them ahead of time.
//!
//! The data are generated here (deterministic, no randomness source), the Report is
//! dropped: nothing of it is kept or shown.

use std::fmt::Write;
use wasm_bindgen::prelude::*;

/// Rows of the warm-up cohort: enough loop iterations for the browser to optimise
/// the per-row loops, small enough to take a fraction of a second.
pub const WARM_ROWS: usize = 10_000;

/// The warm-up spec: the sections a large analysis spends its time in.
pub const SPEC: &str = r#"{"time": {"column": "t"}, "event": {"column": "d"},
 "group": {"column": "g", "reference": "A"},
 "covariates": [{"column": "age"}, {"column": "sex", "type": "categorical", "reference": "F"},
  {"column": "stage", "type": "categorical", "reference": "1"}, {"column": "size"}],
 "km": {}, "logrank": {"pairwise": "none"},
 "cox": {"ties": "efron", "ph_test": {"transform": "km"}},
 "propensity": {"estimand": "ATE"}, "adjusted": {}}"#;

/// A synthetic cohort of `n` rows as CSV text: three groups, a 0.1-grid time with
/// ties, ~70 % events, two numeric and two categorical covariates.
pub fn cohort_csv(n: usize) -> String {
    let mut s = String::with_capacity(n * 32 + 32);
    s.push_str("t,d,g,age,sex,stage,size\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift64: a fixed, portable sequence.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..n {
        let (a, b, c) = (next(), next(), next());
        let g = ["A", "B", "C"][(a % 3) as usize];
        let t = 1 + (b % 600);
        let d = u64::from(c % 10 < 7);
        let age = 30 + (a >> 8) % 50;
        let sex = ["F", "M"][((b >> 8) % 2) as usize];
        let stage = 1 + (c >> 8) % 3;
        let size = (a >> 16) % 150;
        let _ = writeln!(
            s,
            "{}.{},{d},{g},{age},{sex},{stage},{}.{}",
            t / 10,
            t % 10,
            size / 10,
            size % 10
        );
    }
    s
}

/// Runs the warm-up analysis of `rows` synthetic rows (0: [`WARM_ROWS`]) and writes
/// its results JSON, discarding both; returns the rows analysed. The worker calls it
/// once, on request; an error here is a bug and is returned like any other.
#[wasm_bindgen]
pub fn warm_up(rows: usize) -> Result<usize, JsValue> {
    let n = if rows == 0 { WARM_ROWS } else { rows };
    let csv = cohort_csv(n);
    let report = crate::analysis::Analysis::from_json(SPEC)
        .run(csv.as_bytes())
        .map_err(super::error_value)?;
    let json = serde_json::to_vec_pretty(&report).map_err(|e| super::internal(&e.to_string()))?;
    std::hint::black_box(&json);
    Ok(report.data.n_used)
}
