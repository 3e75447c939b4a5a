//! From file bytes to a validated survival cohort.
//!
//! * [`table`]: bytes → [`RawTable`] (encoding, BOM, delimiter, quotes; streaming, columnar).
//! * [`mapping`]: [`RawTable`] + [`ColumnMap`] → [`Cohort`] (missing tokens, numbers,
//!   dates, event coding, groups, covariates (missing kept: each model leaves its own
//!   incomplete rows out), the data's rows, timefix).
//!
//! Every input problem is an [`IngestError`] naming column and file line; rows left out
//! are reported in [`Cohort::excluded`], never silently dropped.

mod arena;
mod cohort;
mod dates;
mod described;
pub mod error;
mod error_zh;
mod event;
pub mod guess;
pub mod imputed_sets;
mod intern;
mod levels;
pub mod mapping;
mod missing;
mod number;
mod plain;
mod quoted;
mod sniff;
pub mod table;
mod text;
pub mod treatment;
pub mod windows1252;
#[cfg(feature = "xlsx")]
mod xlsx;
#[cfg(feature = "xlsx")]
pub use xlsx::sheet_names;

pub use described::{read_described_covariates, DescribedCovariate};
pub use error::{Emptiness, IngestError};
pub use event::EventProblem;
pub use mapping::{
    build_cohort, Cohort, ColumnMap, Covariate, CovariateKind, CovariateMap, CovariateValues,
    DateFormat, EventMap, Exclusion, ExclusionReason, GroupMap, TimeMap, TimeUnit, MISSING_CODE,
};
pub use table::{read_table, read_table_sheet, RawTable};
