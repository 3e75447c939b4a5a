//! Fuzz inputs shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`) and the corpus
//! replay test (`tests/robustness/fuzz_corpus.rs`): the same bytes decode to the same data file and
//! spec in both, so every committed corpus file is replayed by `cargo test`.

#![allow(dead_code)]

pub mod bytes_input;
pub mod dataset;
pub mod sites_input;

/// Upper bound on the rows a structured dataset renders (keeps one input cheap).
pub const MAX_ROWS: usize = 400;
