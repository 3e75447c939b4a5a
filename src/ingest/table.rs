//! Bytes → columnar raw table. INGEST HELPER implements.

use super::IngestError;
use crate::warning::Warning;

/// The file as text cells, column by column (one arena per column, no per-cell allocation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl RawTable {
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        todo!("ingest helper")
    }
}

/// Parse a CSV/TSV/`;` file (delimiter detected, UTF-8 with or without BOM,
/// Windows-1252 fallback with warning `encoding_fallback`).
pub fn read_table(bytes: &[u8]) -> Result<RawTable, IngestError> {
    let _ = bytes;
    todo!("ingest helper")
}
