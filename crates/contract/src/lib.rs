//! The results contract of SurvLens, as Rust types: the analysis spec (what to compute,
//! docs/spec.md), the results document (what was computed, docs/results.md), warnings.
//!
//! Every type here is data with serde derives and validation of the spec's ranges; no
//! statistics, no I/O. The analysis crate fills these types, the render crate (figures,
//! HTML report, R script) and the text crate (readings, translations) read them typed.
//! The spec's option names map to the statistics core's option types
//! (`ConfTypeName::conf_type`, `AdjustName::padjust`), the one arrow from here downwards.

pub mod adjusted;
pub mod competing;
pub mod cox;
pub mod digest;
pub mod follow_up;
pub mod immortal;
pub mod imputation;
pub mod limits;
pub mod mapping;
pub mod matching;
pub mod per_row;
pub mod periods;
pub mod propensity;
pub mod report;
pub mod schema;
pub mod sites;
pub mod spec;
pub mod subgroups;
pub mod table1;
pub mod warning;
pub mod warning_code;

/// The SurvLens version (the workspace's), as the results document's `software` names it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use report::Report;
pub use spec::{Spec, SpecError};
pub use warning::Warning;
