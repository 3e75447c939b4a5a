//! A protocol file from the coordinator (`tests/fuzz_support/sites_input.rs`): read as a
//! site reads it; one that reads writes the same protocol text again and runs at a site
//! (a summary or a typed error).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|input: &[u8]| {
    let _ = fuzz_support::sites_input::protocol(input);
});
