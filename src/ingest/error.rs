//! Typed input errors: what is wrong, where (column, file line), what to do.
//! INGEST HELPER: add variants as needed (keep `kind()` codes stable snake_case).

use std::fmt;

/// An input problem. Lines are file lines (header = line 1).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IngestError {
    /// The spec names a column the file does not have.
    UnknownColumn {
        column: String,
        available: Vec<String>,
    },
}

impl IngestError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            IngestError::UnknownColumn { .. } => "unknown_column",
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::UnknownColumn { column, available } => write!(
                f,
                "column \"{column}\" is not in the file; the file has: {}. Check the spelling in the spec.",
                available.join(", ")
            ),
        }
    }
}

impl std::error::Error for IngestError {}
