//! One to four site summaries and a protocol (`tests/fuzz_support/sites_input.rs`): read,
//! pooled, the pooled document written and read back and rendered, then a site runs the
//! protocol with it (`survlens site --beta`): a result or a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fuzz_support/mod.rs"]
mod fuzz_support;

fuzz_target!(|input: &[u8]| {
    let _ = fuzz_support::sites_input::pool(input);
});
