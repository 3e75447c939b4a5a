//! Bytes → columnar raw table.
//!
//! Rules (docs/spec.md#input-rules, issue 2 "Ingest"): delimiter detected
//! among `,` `\t` `;` from the header line (quote-aware); UTF-8 with or without BOM;
//! a file that is not valid UTF-8 is read as Windows-1252 (Excel's export) with a
//! warning `encoding_fallback`; quoted fields may hold delimiters, doubled quotes
//! and newlines; every data row must have as many cells as the header.
//!
//! Two readers give the same tables: a text without any `"` (the usual export) is
//! split by [`super::plain`] in one pass over its bytes; a text with quotes goes
//! through the `csv` reader ([`super::quoted`]).
//!
//! Memory: both readers append the cells into one text arena per column (`String` +
//! `Vec<u32>` end offsets), so the table is about one copy of the file plus 4 bytes
//! per cell and 8 bytes per row.

use super::arena::{Builder, Column};
use super::IngestError;
use std::borrow::Cow;
use survlens_contract::warning::Warning;
use survlens_contract::warning_code::WarningCode;

/// The file as text cells, column by column (one arena per column, no per-cell allocation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawTable {
    /// Header names, trimmed, in file order.
    pub headers: Vec<String>,
    /// Reading warnings (e.g. `encoding_fallback`).
    pub warnings: Vec<Warning>,
    columns: Vec<Column>,
    lines: Vec<u64>,
    delimiter: u8,
}

impl RawTable {
    /// Number of data rows (header excluded; blank lines are not rows).
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.headers.len()
    }

    /// The text of one cell, untrimmed; `""` when `col` or `row` is out of range.
    pub fn cell(&self, col: usize, row: usize) -> &str {
        self.columns.get(col).map_or("", |c| c.get(row))
    }

    /// The cells of column `col`, untrimmed, row 0 first (none when out of range):
    /// a sequential pass, for work done column by column.
    pub(crate) fn column_cells(&self, col: usize) -> super::arena::Cells<'_> {
        self.columns
            .get(col)
            .map_or_else(super::arena::Cells::empty, |c| c.cells())
    }

    /// The bytes of the cells of column `col`, row 0 first (none when out of range).
    pub(crate) fn column_bytes(&self, col: usize) -> impl Iterator<Item = &[u8]> + '_ {
        self.columns
            .get(col)
            .into_iter()
            .flat_map(|c| c.byte_cells())
    }

    /// Index of the column whose header is exactly `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// File line where data row `row` starts (header = line 1); 0 when out of range.
    pub fn line(&self, row: usize) -> u64 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    /// File line of every data row.
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// The detected delimiter: `b','`, `b'\t'` or `b';'`.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether numbers may use a decimal comma (only with the `;` delimiter).
    pub fn decimal_comma(&self) -> bool {
        self.delimiter == b';'
    }
}

/// Parse a CSV/TSV/`;` file (delimiter detected, UTF-8 with or without BOM,
/// Windows-1252 fallback with warning `encoding_fallback`).
///
/// Errors: [`IngestError::EmptyFile`], [`IngestError::NoDataRows`],
/// [`IngestError::EmptyHeader`], [`IngestError::DuplicateHeader`],
/// [`IngestError::RaggedRow`] (naming the file line), [`IngestError::MalformedCsv`];
/// [`IngestError::UnsupportedEncoding`] and [`IngestError::NotText`] for bytes that are
/// no text table, [`IngestError::TooManyColumns`] ([`survlens_contract::limits::MAX_COLUMNS`]).
///
/// An Excel workbook (`.xlsx`, recognised by its zip signature) is read from its
/// first sheet ([`read_table_sheet`] chooses another).
pub fn read_table(bytes: &[u8]) -> Result<RawTable, IngestError> {
    read_table_sheet(bytes, None)
}

/// Whether `bytes` start as a zip archive (an `.xlsx` workbook): the test
/// [`read_table_sheet`] uses (and the page's worker, which loads the module with
/// Excel support for such files: www/worker.js).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// As [`read_table`]; for an `.xlsx` workbook, `sheet` names the sheet (default: the
/// first). Ignored for text files.
pub fn read_table_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<RawTable, IngestError> {
    if is_workbook(bytes) {
        #[cfg(feature = "xlsx")]
        return super::xlsx::read_xlsx(bytes, sheet);
        #[cfg(not(feature = "xlsx"))]
        return {
            let _ = sheet;
            Err(IngestError::WorkbookNotSupported)
        };
    }
    read_text_table(bytes)
}

fn read_text_table(bytes: &[u8]) -> Result<RawTable, IngestError> {
    let FileText {
        text,
        warning,
        scan,
    } = text_of(bytes)?;
    let delimiter = detect_delimiter(&text);
    let parse_stage = survlens_timing::enter("parse");
    let mut table = if scan.quote {
        super::quoted::read_quoted(&text, delimiter)?
    } else {
        super::plain::read_plain(&text, delimiter)?
    };
    table.warnings.extend(warning);
    drop(parse_stage);
    survlens_timing::stage("finish", || table.finish())
}

/// [`read_table`] with the `csv` reader for every text (not only quoted ones): the
/// reference the quote-free fast path is tested against (tests/ingest/ingest_fast_path.rs).
#[doc(hidden)]
pub fn read_table_with_csv(bytes: &[u8]) -> Result<RawTable, IngestError> {
    let FileText { text, warning, .. } = text_of(bytes)?;
    let mut table = super::quoted::read_quoted(&text, detect_delimiter(&text))?;
    table.warnings.extend(warning);
    table.finish()
}

/// A text file ready for a reader.
struct FileText<'a> {
    /// UTF-8 bytes without the byte-order mark.
    text: Cow<'a, [u8]>,
    /// `encoding_fallback` when the file was read as Windows-1252.
    warning: Option<Warning>,
    /// What one pass over the file's bytes found ([`super::text::scan_bytes`]).
    scan: super::text::ByteScan,
}

/// The [`FileText`] of a file's bytes. Errors: not text
/// ([`super::sniff::check_text`]), [`IngestError::EmptyFile`].
fn text_of(bytes: &[u8]) -> Result<FileText<'_>, IngestError> {
    let scan = super::text::scan_bytes(bytes);
    super::sniff::check_text(bytes, scan.nul)?;
    let (text, warning) = decode(bytes, scan.ascii);
    let text = match text {
        Cow::Borrowed(b) => Cow::Borrowed(b.strip_prefix(BOM).unwrap_or(b)),
        Cow::Owned(mut v) => {
            if v.starts_with(BOM) {
                v.drain(..BOM.len());
            }
            Cow::Owned(v)
        }
    };
    if is_blank(&text) {
        let what = if bytes.is_empty() {
            super::error::Emptiness::NoBytes
        } else {
            super::error::Emptiness::BlankLines
        };
        return Err(IngestError::EmptyFile { what });
    }
    Ok(FileText {
        text,
        warning,
        scan,
    })
}

/// U+FEFF in UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether UTF-8 `text` is only whitespace (as `str::trim` sees it): decided at the
/// first byte that is no ASCII whitespace, so without a pass over the whole text.
fn is_blank(text: &[u8]) -> bool {
    // `char::is_whitespace` for ASCII: space and \t \n \x0B \x0C \r.
    let first_other = text
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t'..=b'\r'));
    match first_other {
        None => true,
        Some(i) if text.get(i).is_some_and(|b| b.is_ascii()) => false,
        // Non-ASCII whitespace (no-break space, ideographic space, ...) is possible.
        Some(_) => std::str::from_utf8(text).is_ok_and(|t| t.trim().is_empty()),
    }
}

/// A table being read (column builders instead of columns).
pub(super) struct Building {
    pub(super) headers: Vec<String>,
    warnings: Vec<Warning>,
    pub(super) columns: Vec<Builder>,
    pub(super) lines: Vec<u64>,
    delimiter: u8,
}

impl Building {
    pub(super) fn new(headers: Vec<String>, delimiter: u8) -> Self {
        Building {
            columns: vec![Builder::default(); headers.len()],
            headers,
            warnings: Vec::new(),
            lines: Vec::new(),
            delimiter,
        }
    }

    /// The table; [`IngestError::NoDataRows`] without rows.
    fn finish(self) -> Result<RawTable, IngestError> {
        if self.lines.is_empty() {
            return Err(IngestError::NoDataRows);
        }
        Ok(RawTable {
            headers: self.headers,
            warnings: self.warnings,
            columns: self.columns.into_iter().map(Builder::finish).collect(),
            lines: self.lines,
            delimiter: self.delimiter,
        })
    }
}

impl RawTable {
    /// A table from cells already split (an Excel sheet): `header` is validated as a
    /// CSV header line; `rows` are `(line, cells)` with the sheet row number as line;
    /// a row with fewer cells is padded with empty cells, blank rows are skipped.
    /// Numbers use the decimal point (delimiter `,`).
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub(crate) fn from_rows(
        header: &[String],
        rows: impl Iterator<Item = (u64, Vec<String>)>,
    ) -> Result<RawTable, IngestError> {
        let record: csv::ByteRecord = header.iter().map(|h| h.as_bytes()).collect();
        let headers = read_headers(&record)?;
        let mut table = Building::new(headers, b',');
        for (line, mut cells) in rows {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            cells.resize(table.columns.len().max(cells.len()), String::new());
            let record: csv::ByteRecord = cells.iter().map(|c| c.as_bytes()).collect();
            super::quoted::push_row(&mut table, &record, line)?;
        }
        table.finish()
    }
}

/// UTF-8 as it is; otherwise Windows-1252 with a warning naming the first bad line.
/// `ascii`: the bytes are known to be ASCII (valid UTF-8 without a check).
fn decode(bytes: &[u8], ascii: bool) -> (Cow<'_, [u8]>, Option<Warning>) {
    if ascii {
        return (Cow::Borrowed(bytes), None);
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => (Cow::Borrowed(bytes), None),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or(bytes);
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            let text = Cow::Owned(super::windows1252::decode(bytes).into_bytes());
            let warning = Warning::new(WarningCode::EncodingFallback,
                format!(
                    "The file is not UTF-8 (first at line {line}); it was read as Windows-1252 \
                     (Excel's export). Check that accented letters look right, or save the file as UTF-8."
                ),
            )
            .with("line", line as u64)
            .with("encoding", "windows-1252");
            (text, Some(warning))
        }
    }
}

/// The delimiter most frequent outside quotes on the header line; ties (and a
/// one-column file) prefer `,`, then `\t`, then `;`.
fn detect_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let header = text.iter().skip_while(|b| b.is_ascii_whitespace());
    for &b in header {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b',' if !in_quotes => counts[0] += 1,
            b'\t' if !in_quotes => counts[1] += 1,
            b';' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b'\t', b';'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Header names, trimmed; empty and duplicate names are errors.
pub(super) fn read_headers(record: &csv::ByteRecord) -> Result<Vec<String>, IngestError> {
    if record.len() > survlens_contract::limits::MAX_COLUMNS {
        return Err(IngestError::TooManyColumns {
            found: record.len(),
            limit: survlens_contract::limits::MAX_COLUMNS,
        });
    }
    let mut headers: Vec<String> = Vec::with_capacity(record.len());
    let mut seen = std::collections::HashSet::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        let name = String::from_utf8_lossy(field).trim().to_string();
        if name.is_empty() {
            return Err(IngestError::EmptyHeader { position: i + 1 });
        }
        if !seen.insert(name.clone()) {
            return Err(IngestError::DuplicateHeader { column: name });
        }
        headers.push(name);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_quote_aware() {
        assert_eq!(detect_delimiter(b"\"a;b;c\",d,e\n1;2"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"a;b\n1,5;2"), b';');
        assert_eq!(detect_delimiter(b"a\n1"), b',');
        assert_eq!(detect_delimiter(b"\r\n\na;b\n1"), b';');
    }

    #[test]
    fn arena_cells_round_trip() {
        let t = read_table(b"a,b\n1,x\n,yy\n333,\n").unwrap();
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.cell(0, 0), "1");
        assert_eq!(t.cell(1, 1), "yy");
        assert_eq!(t.cell(0, 1), "");
        assert_eq!(t.cell(0, 2), "333");
        assert_eq!(t.cell(1, 2), "");
        assert_eq!(t.cell(5, 0), "");
        assert_eq!(t.cell(0, 9), "");
        assert_eq!(t.lines(), &[2, 3, 4]);
    }

    #[test]
    fn lines_after_blank_lines_crlf_cr_and_quoted_newlines() {
        let lines = |s: &[u8]| read_table(s).unwrap().lines().to_vec();
        assert_eq!(lines(b"h\n1\n\n2\nx\n"), [2, 4, 5]);
        assert_eq!(lines(b"h\r\n1\r\n\r\n2\r\nx\r\n"), [2, 4, 5]);
        assert_eq!(lines(b"h\r1\r2"), [2, 3]);
        assert_eq!(lines(b"\n\nh\n1"), [4]);
        assert_eq!(lines(b"h\n\"a\nb\"\n\n\nx\n"), [2, 6]);
        assert_eq!(lines(b"h\n\"\n\nb\"\nx"), [2, 5]);
    }
}
