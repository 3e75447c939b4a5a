//! One site summary from another hospital (`tests/fuzz_support/sites_input.rs`): read as
//! `survlens pool` reads it (size, schema, version, checksum; or re-sealed, to reach what
//! follows), previewed in both languages and pooled alone: a result or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|input: &[u8]| {
    let _ = fuzz_support::sites_input::site_summary(input);
});
