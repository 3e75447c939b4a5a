//! Integration tests of the statistics core (`survlens::stats`), one binary: Kaplan–Meier,
//! log-rank, Cox and concordance against R fixtures and hand calculations, their
//! properties, and the shared time order. Each module was once its own test file; run one
//! with `cargo test --test stats km_reference`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../logrank_data/mod.rs"]
mod logrank_data;

mod competing;
mod competing_properties;
mod concordance_pairs;
mod cox_hand;
mod cox_properties;
mod cox_reference;
mod empty_intervals;
mod fine_gray;
mod km_properties;
mod km_reference;
mod logrank_linalg;
mod logrank_padjust;
mod logrank_properties;
mod logrank_survdiff;
mod matching_properties;
mod perf_internals;
mod shared_order;
mod time_order;
mod zph_counting;
