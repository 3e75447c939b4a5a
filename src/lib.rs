//! SurvLens: survival analysis for observational cohorts.
//!
//! Data flows one way (see `docs/architecture.md`):
//!
//! ```text
//! file bytes ──ingest──▶ RawTable ──mapping──▶ Cohort ──stats──▶ fits
//! spec JSON ──────────────────────────▶ analysis::Analysis ──▶ Report (docs/results.md)
//! ```
//!
//! * [`stats`] is pure arithmetic on validated, time-sorted data (no I/O, no JSON).
//! * [`ingest`] turns bytes into typed columns and a validated [`ingest::Cohort`].
//! * [`analysis`] reads the spec, calls ingest and stats, builds the [`analysis::Report`];
//!   it is the only module that knows the results contract.
//! * [`plot`] draws figures from a Report on any plotters backend.

pub mod analysis;
pub mod error;
pub mod ingest;
pub mod limits;
pub mod messages;
pub mod plot;
pub mod report_html;
pub mod rscript;
pub mod stats;
pub mod timing;
pub mod warning;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use analysis::{Analysis, Report, Spec};
pub use error::Error;
pub use warning::Warning;

/// The crate version, as reported by the CLI and the wasm module.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
