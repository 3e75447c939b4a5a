//! Analysis orchestration (lead writes this).
pub mod report;
pub mod spec;
pub use report::Report;

/// Placeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec;

/// Placeholder spec error.
#[derive(Debug, Clone, PartialEq)]
pub enum SpecError { Invalid(String) }
impl SpecError { pub fn kind(&self) -> &'static str { "invalid_spec" } }
impl std::fmt::Display for SpecError { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { match self { SpecError::Invalid(m) => write!(f, "{m}") } } }

/// Placeholder.
pub fn analyze_bytes(_data: &[u8], _spec: &str) -> Result<Report, crate::Error> { Err(crate::Error::Internal("not yet".into())) }
