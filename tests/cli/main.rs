//! Integration tests of the `survlens` command line, one binary: the success path, usage
//! and help, the catalogue of malformed input, and `--timings`. Run one module with
//! `cargo test --test cli cli_errors`.

mod cli;
mod cli_errors;
mod cli_timings;
mod help;
