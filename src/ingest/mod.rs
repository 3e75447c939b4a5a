//! From file bytes to a validated survival cohort.
//!
//! * [`table`]: bytes → [`RawTable`] (encoding, BOM, delimiter, quotes; streaming, columnar).
//! * [`mapping`]: [`RawTable`] + [`ColumnMap`] → [`Cohort`] (missing tokens, numbers,
//!   dates, event coding, groups, covariates, complete cases, timefix).
//!
//! Every input problem is an [`IngestError`] naming column and file line; rows left out
//! are reported in [`Cohort::excluded`], never silently dropped.

pub mod error;
pub mod mapping;
pub mod table;

pub use error::IngestError;
pub use mapping::{
    build_cohort, Cohort, ColumnMap, Covariate, CovariateKind, CovariateMap, CovariateValues,
    DateFormat, EventMap, Exclusion, ExclusionReason, GroupMap, TimeMap, TimeUnit,
};
pub use table::{read_table, RawTable};
