//! Integration tests of reading files into a cohort (`survlens::ingest`), one binary:
//! well-formed and malformed input, the quote-free fast path, properties, the mapping
//! guesser and Excel import. Run one module with `cargo test --test ingest ingest_errors`.

mod support;

mod guess_corpus;
mod ingest_cohort;
mod ingest_errors;
mod ingest_fast_path;
mod ingest_props;
mod xlsx_import;
