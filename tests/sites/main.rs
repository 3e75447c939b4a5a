//! The multi-site analyses (docs/methods.md#sites): site summaries pooled by rounds
//! agree with R on the pooled rows (tests/r/make_reference_sites.R), the failure paths
//! are typed errors naming the site or file, and a summary carries no patient data.

#[path = "../common/mod.rs"]
mod common;

mod agreement;
mod cli;
mod failures;
mod privacy;
mod properties;
mod support;
