//! Several hospitals, no patient data moved (docs/methods.md#sites).
//!
//! * [`site_summary`] — what `survlens site` writes: a site's aggregates (log-rank O, E,
//!   variance; its own Cox fit; the partial likelihood at the coordinator's β; binned
//!   Kaplan–Meier counts with small counts merged away), sealed by a checksum.
//! * [`pool`] — what `survlens pool` writes from several summaries: the stratified
//!   log-rank test, the meta-analysis of the sites' hazard ratios, the site-stratified
//!   Cox model by rounds and the pooled life table.
//! * [`read_summary`] / [`read_pooled`] — untrusted files: size limit, schema (unknown
//!   keys refused), checksum.

mod binned;
mod checksum;
mod error;
mod pool;
mod summary;

pub use binned::{bin_group, life_table};
pub use checksum::{read_pooled, read_summary, seal};
pub use error::{PlausibleRange, SitesError};
pub use pool::pool;
pub use summary::site_summary;
