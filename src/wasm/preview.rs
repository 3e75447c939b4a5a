//! The preview behind the mapping form: the first rows, each column's detected
//! type and values with their counts, and the suggested mapping of the core's
//! guesser ([`crate::ingest::guess`], the same as `survlens guess`). Reads only the
//! head of the file (a 200 MB file previews as fast as a small one); types, values
//! and dates are read by ingest's own readers, never a second copy here.
//!
//! The JS side does no CSV parsing: the form is filled from this.

use crate::ingest::guess::{
    columns, suggest_mapping, suggest_times_for_map, SuggestedMapping, SuggestedTimes,
};
use crate::ingest::{read_table, IngestError, RawTable};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Preview {
    pub delimiter: String,
    pub encoding: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Data rows read for the types and values (at most [`columns::SCAN_ROWS`]).
    pub n_scanned: usize,
    pub columns: Vec<ColumnInfo>,
    /// The suggested mapping (the same JSON as `survlens guess`), of the rows read.
    pub suggested: SuggestedMapping,
}

#[derive(Debug, Serialize)]
pub struct ColumnInfo {
    pub name: String,
    /// number | date | text | empty
    pub kind: &'static str,
    /// For dates: the contract's format string (the first that reads every value;
    /// `%d/%m/%Y` before `%m/%d/%Y` when both do).
    pub date_format: Option<&'static str>,
    pub missing: usize,
    /// Up to 24 values, most frequent first (ties: first seen).
    pub values: Vec<String>,
    /// How many rows hold each of `values` (the event picker shows them).
    pub counts: Vec<usize>,
    pub n_distinct: usize,
}

/// Reads the head of the file with the same reader as the analysis
/// ([`crate::ingest::read_table`]: delimiter, encoding, quotes, line numbers).
/// Bytes that are not a text table (binary, UTF-16, NUL bytes) are refused by that
/// reader's own check; a header of one column is [`IngestError::OneColumn`].
pub fn preview(data: &[u8], n_rows: usize) -> Result<Preview, IngestError> {
    let table = read_head(data)?;
    if table.n_cols() < 2 {
        let header = table.headers.first().cloned().unwrap_or_default();
        return Err(IngestError::OneColumn { header });
    }
    let scanned = table.n_rows().min(columns::SCAN_ROWS);
    let cell = |c: usize, r: usize| table.cell(c, r).trim().to_string();
    let rows = (0..scanned.min(n_rows))
        .map(|r| (0..table.n_cols()).map(|c| cell(c, r)).collect())
        .collect();
    let columns = columns::describe(&table).iter().map(info).collect();
    let encoding = if table
        .warnings
        .iter()
        .any(|w| w.code == crate::contract::warning::WarningCode::EncodingFallback)
    {
        "Windows-1252"
    } else {
        "UTF-8"
    };
    let suggested = suggest_mapping(&table);
    Ok(Preview {
        delimiter: (table.delimiter() as char).to_string(),
        encoding: encoding.into(),
        headers: table.headers.clone(),
        rows,
        n_scanned: scanned,
        columns,
        suggested,
    })
}

/// KM times and τ suggested from the follow-up of the file under `spec_json`'s time,
/// event and group (the page asks when the time mapping changes):
/// [`crate::ingest::guess::suggest_times_for_map`] on the whole file.
pub fn suggest_times(data: &[u8], spec_json: &str) -> Result<SuggestedTimes, crate::Error> {
    let spec = crate::analysis::Spec::from_json(spec_json)?;
    let map = spec.column_map()?;
    let table = crate::ingest::read_table_sheet(data, spec.sheet.as_deref())?;
    Ok(suggest_times_for_map(&table, &map)?)
}

/// The first ~4 MB, cut after a line end (the whole file when the cut does not parse).
/// A workbook is read whole (its first sheet, as the analysis reads it); a build
/// without the `xlsx` feature answers [`IngestError::WorkbookNotSupported`].
fn read_head(data: &[u8]) -> Result<RawTable, IngestError> {
    const HEAD: usize = 4 << 20;
    if data.len() > HEAD && !crate::ingest::table::is_workbook(data) {
        if let Some(end) = data[..HEAD].iter().rposition(|&b| b == b'\n') {
            if let Ok(t) = read_table(&data[..=end]) {
                return Ok(t);
            }
        }
    }
    read_table(data)
}

/// The form's view of a column's evidence (the guesser's, not a second reading).
fn info(c: &columns::Column) -> ColumnInfo {
    let kind = if c.present == 0 {
        "empty"
    } else if c.is_numeric() {
        "number"
    } else if c.is_date() {
        "date"
    } else {
        "text"
    };
    ColumnInfo {
        name: c.name.clone(),
        kind,
        date_format: c
            .date_formats
            .first()
            .filter(|_| kind == "date")
            .map(|f| f.spec_name()),
        missing: c.missing,
        values: c.levels.iter().map(|(v, _)| v.clone()).collect(),
        counts: c.levels.iter().map(|(_, n)| *n).collect(),
        n_distinct: c.n_distinct,
    }
}
