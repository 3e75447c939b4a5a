//! Hostile input, one binary: the malformed-input catalogue through the library and the
//! CLI, and the replay of the committed fuzz corpus (`cargo test --test robustness
//! fuzz_corpus`; scripts/test-web runs it with `SURVLENS_WASM_CASES` set).

#[path = "../fuzz_support/mod.rs"]
mod fuzz_support;
#[path = "../hostile_support/mod.rs"]
mod hostile_support;

mod fuzz_corpus;
mod hostile_input;
mod hostile_more;
mod hostile_sites;
