//! The `csv` reader's path of [`super::table`], for text holding a `"` (quoted values
//! may hold delimiters, doubled quotes and line ends); the quote-free text takes the
//! fast path of [`super::plain`], which gives the same tables.

use super::table::{read_headers, Building};
use super::IngestError;

/// The `csv` reader's table (quoted values, doubled quotes, line ends in quotes).
pub(super) fn read_quoted(text: &[u8], delimiter: u8) -> Result<Building, IngestError> {
    if let Some(line) = super::sniff::unclosed_quote(text, delimiter) {
        return Err(IngestError::MalformedCsv {
            line,
            message: "a quoted value that starts on this line is never closed".to_string(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    if !next_record(&mut reader, &mut record)? {
        return Err(IngestError::EmptyFile {
            what: super::error::Emptiness::BlankLines,
        });
    }
    let headers = read_headers(&record)?;
    let mut table = Building::new(headers, delimiter);
    let mut lines = LineCounter::default();
    while next_record(&mut reader, &mut record)? {
        let start = record.position().map_or(0, |p| p.byte());
        let line = lines.line_at(text, start);
        push_row(&mut table, &record, line)?;
    }
    Ok(table)
}

/// File lines of records, counted from the bytes: csv's own `Position::line` is off
/// after blank lines and with CRLF endings, so lines are counted here (`\n`, `\r\n`
/// and a lone `\r` each end a line), incrementally, O(file size) in all.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: u64,
}

impl LineCounter {
    /// Line of the record whose bytes start at `start` (the end of the previous
    /// record): blank lines and the rest of a line ending are skipped first.
    fn line_at(&mut self, text: &[u8], start: u64) -> u64 {
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(text.len());
        let rest = text.get(start..).unwrap_or(&[]);
        let first = start
            + rest
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
        let from = self.pos.min(first);
        let span = text.get(from..first).unwrap_or(&[]);
        if !span.contains(&b'\r') {
            // No carriage return: count the line feeds (vectorized).
            self.line += span.iter().filter(|&&b| b == b'\n').count() as u64;
            self.pos = first;
            return self.line + 1;
        }
        for (i, &b) in span.iter().enumerate() {
            let lone_cr = b == b'\r' && text.get(from + i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                self.line += 1;
            }
        }
        self.pos = first;
        self.line + 1
    }
}

/// Reads the next record; `false` at the end of the file.
fn next_record(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::ByteRecord,
) -> Result<bool, IngestError> {
    reader.read_byte_record(record).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        IngestError::MalformedCsv {
            line,
            message: e.to_string(),
        }
    })
}

/// Appends one data record to the column arenas.
pub(super) fn push_row(
    table: &mut Building,
    record: &csv::ByteRecord,
    line: u64,
) -> Result<(), IngestError> {
    if record.len() != table.columns.len() {
        return Err(IngestError::RaggedRow {
            line,
            expected: table.columns.len(),
            found: record.len(),
        });
    }
    for (i, (col, field)) in table.columns.iter_mut().zip(record.iter()).enumerate() {
        if !col.push(field) {
            let column = table.headers.get(i).cloned().unwrap_or_default();
            return Err(IngestError::TooLarge { column });
        }
    }
    table.lines.push(line);
    Ok(())
}
