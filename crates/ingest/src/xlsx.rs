//! Excel workbooks (`.xlsx`) → the same [`RawTable`] a CSV gives, through `calamine`
//! (pure Rust, no C dependency; builds for wasm32).
//!
//! Rules: the first sheet, or the one named; its first used row is the header; line
//! numbers are the sheet's row numbers (as Excel shows them), so errors and left-out
//! rows name the row the user sees. Cells become the text a CSV export would hold:
//! numbers in shortest round-trip form (`9.5`, `57`), booleans `true`/`false`, dates
//! (the 1900 date system with Excel's 1900-02-29 leap-year bug, or the 1904 system)
//! as ISO `YYYY-MM-DD` (the time of day is dropped), error cells as their code
//! (`#N/A`, which is then not a number, or a missing token if the spec lists it).

use super::{IngestError, RawTable};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The names of the workbook's sheets, in workbook order (empty when it cannot be read).
pub fn sheet_names(bytes: &[u8]) -> Vec<String> {
    Xlsx::new(Cursor::new(bytes))
        .map(|book: Xlsx<_>| book.sheet_names())
        .unwrap_or_default()
}

/// The sheet `sheet` (default: the first) of the workbook `bytes` as a table.
pub(crate) fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<RawTable, IngestError> {
    let bad = |e: &dyn std::fmt::Display| IngestError::Workbook {
        message: e.to_string(),
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(s) => sheets
            .iter()
            .find(|n| n.as_str() == s || n.trim().eq_ignore_ascii_case(s.trim()))
            .cloned()
            .ok_or_else(|| IngestError::UnknownSheet {
                sheet: s.to_string(),
                sheets: sheets.clone(),
            })?,
        None => sheets.first().cloned().ok_or(IngestError::EmptyFile {
            what: crate::error::Emptiness::EmptySheet,
        })?,
    };
    let range = book.worksheet_range(&name).map_err(|e| bad(&e))?;
    let Some((first_row, _)) = range.start() else {
        return Err(IngestError::EmptyFile {
            what: crate::error::Emptiness::EmptySheet,
        });
    };
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        // Sheet row numbers are 1-based.
        let line = u64::from(first_row) + i as u64 + 1;
        (line, r.iter().map(cell_text).collect::<Vec<String>>())
    });
    let Some((_, header)) = rows.next() else {
        return Err(IngestError::EmptyFile {
            what: crate::error::Emptiness::EmptySheet,
        });
    };
    // Trailing empty header cells are a used range wider than the table, not columns.
    let width = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let header: Vec<String> = header.into_iter().take(width).collect();
    if header.is_empty() {
        return Err(IngestError::EmptyFile {
            what: crate::error::Emptiness::EmptySheet,
        });
    }
    let rows = rows.map(move |(line, mut cells)| {
        // Cells right of the header are ignored only when empty (else: a ragged row).
        if cells.iter().skip(width).all(|c| c.is_empty()) {
            cells.truncate(width);
        }
        (line, cells)
    });
    RawTable::from_rows(&header, rows)
}

/// The text of one cell, as a CSV export would hold it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) => format!("{x}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn date(serial: f64, is_1904: bool) -> String {
        cell_text(&Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            is_1904,
        )))
    }

    #[test]
    fn excel_serials_become_iso_dates() {
        assert_eq!(date(1.0, false), "1900-01-01");
        assert_eq!(date(59.0, false), "1900-02-28");
        // Excel's leap-year bug: serial 60 is the non-existent 1900-02-29 (ingest then
        // reports an impossible date, naming the row); serial 61 is 1 March.
        assert_eq!(date(60.0, false), "1900-02-29");
        assert_eq!(date(61.0, false), "1900-03-01");
        assert_eq!(date(44197.0, false), "2021-01-01");
        assert_eq!(date(44197.75, false), "2021-01-01");
        assert_eq!(date(0.0, true), "1904-01-01");
    }

    #[test]
    fn numbers_read_back_as_the_same_double() {
        for x in [9.5, 57.0, 0.1 + 0.2, 1e-7, 123456789.125] {
            let s = cell_text(&Data::Float(x));
            assert_eq!(s.parse::<f64>().unwrap(), x);
        }
        assert_eq!(cell_text(&Data::Float(57.0)), "57");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
    }

    #[test]
    fn not_a_workbook_is_a_typed_error() {
        let err = read_xlsx(b"PK\x03\x04 not really a zip", None).unwrap_err();
        assert_eq!(err.kind(), "bad_workbook");
    }
}
