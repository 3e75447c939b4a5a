//! Arbitrary file bytes with a fixed valid spec or an arbitrary spec text
//! (`tests/fuzz_support/bytes_input.rs`): must end in a Report or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|input: &[u8]| {
    let (data, spec) = fuzz_support::bytes_input::split(input);
    if let Ok(report) = survlens::Analysis::from_json(&spec).run(data) {
        // The results document always serializes (no NaN/Infinity reaching JSON).
        serde_json::to_vec(&report).expect("report serializes");
    }
});
