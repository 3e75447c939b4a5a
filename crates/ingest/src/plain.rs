//! The quote-free fast path of [`super::table`]: a text with no `"` byte at all (the
//! common export of a spreadsheet or a database) is split into lines and cells here, in
//! one pass over its bytes, with exactly the reader's results for such a text.
//!
//! # Rules (those of `csv::Reader` with our settings, for text without quotes)
//! * `\n`, `\r` and `\r\n` end a record; a line with nothing on it is skipped (a line of
//!   spaces is a record of one cell of spaces); the last record may lack its line end.
//! * Every delimiter ends a cell: `a,` is two cells, `a` and the empty cell.
//! * A UTF-8 byte-order mark at the very start is dropped (csv-core does; the file's
//!   own mark is dropped before, so this is a second one).
//! * The first record is the header; a data record's line is 1 + the line ends
//!   before it, where `\n`, `\r\n` and a lone `\r` each count once (`LineCounter`).
//! * Errors come in the reader's order: a row with the wrong number of cells
//!   ([`IngestError::RaggedRow`]) before a column passing 4 GiB in that row
//!   ([`IngestError::TooLarge`]).
//!
//! `tests/ingest/ingest_fast_path.rs` checks this against the `csv` reader on thousands of
//! generated files.
//!
//! # Speed
//! Separators are found 64 bytes at a time as a bit mask (SSE2 compares on x86_64,
//! word-wide compares elsewhere: no branch per byte), then visited bit by bit; each
//! short cell is copied into its column with one fixed-size copy
//! ([`super::arena::Filler`]), whose buffers are sized once from the first rows
//! (no regrowth copies). 1e6 rows × 13 columns (49 MB), `read/parse` best of 5: 0.14 s
//! against the csv reader's 0.31 s (load ~1; 0.20 against 0.40 s at load ~2). About a
//! third of what is left is the first touch of the columns' fresh memory (~23,000 page
//! faults for 96 MB of text, cell ends and lines).

use super::arena::Filler;
use super::table::{read_headers, Building};
use super::IngestError;

/// Rows read before the columns are sized for the whole file.
const SAMPLE_ROWS: usize = 1000;

/// The table of a text without `"` (the caller checks): header, data rows, lines.
pub(super) fn read_plain(text: &[u8], delimiter: u8) -> Result<Building, IngestError> {
    let is_end = |b: &u8| *b == b'\n' || *b == b'\r';
    // csv drops a UTF-8 BOM at the very start of what it reads (the caller has dropped
    // the file's own BOM: this is a second one).
    let bom = if text.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let start = bom
        + text
            .get(bom..)
            .unwrap_or(&[])
            .iter()
            .position(|b| !is_end(b))
            .ok_or(IngestError::EmptyFile {
                what: super::error::Emptiness::BlankLines,
            })?;
    let rest = text.get(start..).unwrap_or(&[]);
    let end = start + rest.iter().position(is_end).unwrap_or(rest.len());
    let header = text.get(start..end).unwrap_or(&[]);
    let record: csv::ByteRecord = header.split(|&b| b == delimiter).collect();
    let headers = read_headers(&record)?;
    let mut columns: Vec<Filler> = std::iter::repeat_with(Filler::default)
        .take(headers.len())
        .collect();
    let mut rows = Rows {
        text,
        headers: &headers,
        lines: Vec::new(),
        line_ends: line_ends(text.get(..start).unwrap_or(&[]), text.get(start)),
        too_large: None,
    };
    split(text, end, delimiter, &mut columns, &mut rows)?;
    let lines = rows.lines;
    let mut table = Building::new(headers, delimiter);
    table.columns = columns.into_iter().map(Filler::into_builder).collect();
    table.lines = lines;
    Ok(table)
}

/// Line ends in `span` (`\n`, `\r\n`, lone `\r`); `next` is the byte after it.
fn line_ends(span: &[u8], next: Option<&u8>) -> u64 {
    let mut n = 0;
    for (i, &b) in span.iter().enumerate() {
        let after = span.get(i + 1).or(next);
        n += u64::from(b == b'\n' || (b == b'\r' && after != Some(&b'\n')));
    }
    n
}

/// The rows read so far and the line count.
struct Rows<'a> {
    text: &'a [u8],
    headers: &'a [String],
    lines: Vec<u64>,
    /// Line ends before the current position.
    line_ends: u64,
    /// The first column of the current record that passed 4 GiB.
    too_large: Option<usize>,
}

/// Splits `text[from..]` into cells (appended to `columns`) and records (checked and
/// counted in `rows`), 64 bytes at a time ([`separators`]); `from` is the line end of
/// the header, so the state starts between records.
fn split(
    text: &[u8],
    from: usize,
    delimiter: u8,
    columns: &mut [Filler],
    rows: &mut Rows,
) -> Result<(), IngestError> {
    let rest = text.get(from..).unwrap_or(&[]);
    let mut blocks = rest.chunks_exact(64);
    let (mut base, mut field_start, mut field) = (from, from, 0usize);
    for block in &mut blocks {
        let Ok(block) = <&[u8; 64]>::try_from(block) else {
            break;
        };
        let mut hits = separators(block, delimiter);
        while hits != 0 {
            let i = hits.trailing_zeros() as usize;
            hits &= hits - 1;
            let at = base + i;
            if block.get(i) == Some(&delimiter) {
                end_cell(columns, rows, field, text, field_start, at);
                field += 1;
            } else {
                field = rows.line_end(columns, field, field_start, at)?;
            }
            field_start = at + 1;
        }
        base += 64;
    }
    for (i, &byte) in blocks.remainder().iter().enumerate() {
        let at = base + i;
        if byte == delimiter {
            end_cell(columns, rows, field, text, field_start, at);
            field += 1;
            field_start = at + 1;
        } else if byte == b'\n' || byte == b'\r' {
            field = rows.line_end(columns, field, field_start, at)?;
            field_start = at + 1;
        }
    }
    if field > 0 || field_start < text.len() {
        rows.line_end(columns, field, field_start, text.len())?;
    }
    Ok(())
}

/// Bit `i` is set when `block[i]` is the delimiter, `\n` or `\r`.
#[inline(always)]
fn separators(block: &[u8; 64], delimiter: u8) -> u64 {
    #[cfg(target_arch = "x86_64")]
    return separators_sse2(block, delimiter);
    #[cfg(not(target_arch = "x86_64"))]
    return separators_swar(block, delimiter);
}

/// [`separators`] with SSE2, 16 bytes at a time.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn separators_sse2(block: &[u8; 64], delimiter: u8) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut mask = 0u64;
    for (k, lane) in block.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 CPU; `lane` holds 16 readable bytes and
        // `_mm_loadu_si128` needs no alignment.
        let bits = unsafe {
            let v = _mm_loadu_si128(lane.as_ptr().cast::<__m128i>());
            let d = _mm_cmpeq_epi8(v, _mm_set1_epi8(delimiter as i8));
            let lf = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8));
            let cr = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\r' as i8));
            _mm_movemask_epi8(_mm_or_si128(d, _mm_or_si128(lf, cr)))
        };
        mask |= u64::from(bits as u16) << (16 * k);
    }
    mask
}

/// [`separators`] 8 bytes at a time in a word: the portable version, used by the
/// WebAssembly build.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn separators_swar(block: &[u8; 64], delimiter: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of every byte of `v` that is zero (exactly: no false positives).
    let zero_bytes = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    let [d, lf, cr] = [delimiter, b'\n', b'\r'].map(|b| u64::from(b) * ONES);
    let mut mask = 0u64;
    for (k, word) in block.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let w = u64::from_le_bytes(bytes);
        let high = zero_bytes(w ^ d) | zero_bytes(w ^ lf) | zero_bytes(w ^ cr);
        // Gathers the 8 high bits into one byte (bit i from byte i).
        let byte = ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= byte << (8 * k);
    }
    mask
}

/// Appends `text[start..end]` to column `field` (cells past the last column are only
/// counted by the caller).
#[inline(always)]
fn end_cell(
    columns: &mut [Filler],
    rows: &mut Rows,
    field: usize,
    text: &[u8],
    start: usize,
    end: usize,
) {
    if let Some(column) = columns.get_mut(field) {
        if !column.push(text, start, end) && rows.too_large.is_none() {
            rows.too_large = Some(field);
        }
    }
}

impl Rows<'_> {
    /// The line end at `at` (or the end of the text): ends the record when it has a
    /// cell (else the line is blank) and counts the line; the cells of the next record.
    #[inline]
    fn line_end(
        &mut self,
        columns: &mut [Filler],
        field: usize,
        field_start: usize,
        at: usize,
    ) -> Result<usize, IngestError> {
        if field > 0 || at > field_start {
            end_cell(columns, self, field, self.text, field_start, at);
            self.end_record(columns, field + 1, at)?;
        }
        let byte = self.text.get(at).copied();
        let lone_cr = byte == Some(b'\r') && self.text.get(at + 1) != Some(&b'\n');
        self.line_ends += u64::from(byte == Some(b'\n') || lone_cr);
        Ok(0)
    }

    /// Checks the record of `found` cells that ends at `at` and records its line.
    fn end_record(
        &mut self,
        columns: &mut [Filler],
        found: usize,
        at: usize,
    ) -> Result<(), IngestError> {
        let line = self.line_ends + 1;
        if found != columns.len() {
            return Err(IngestError::RaggedRow {
                line,
                expected: columns.len(),
                found,
            });
        }
        if let Some(column) = self.too_large {
            let column = self.headers.get(column).cloned().unwrap_or_default();
            return Err(IngestError::TooLarge { column });
        }
        self.lines.push(line);
        if self.lines.len() == SAMPLE_ROWS {
            self.size_columns(columns, at);
        }
        Ok(())
    }

    /// Sizes every column (text and cells) and the line list for the rows the rest of
    /// the file should hold, extrapolated from the rows read so far, ending at `at`
    /// (plus 2%).
    #[cold]
    fn size_columns(&mut self, columns: &mut [Filler], at: usize) {
        let rows = self.lines.len().max(1) as u64;
        let read = at.max(1) as u64;
        let left = self.text.len().saturating_sub(at) as u64;
        let more_rows = left.saturating_mul(rows) / read;
        let more_rows = more_rows + more_rows / 50 + 16;
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        for column in columns {
            let text = (column.text_len() as u64).saturating_mul(more_rows) / rows;
            column.reserve(size(text + text / 64 + 64), size(more_rows));
        }
        self.lines.reserve(size(more_rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both block scanners against the plain definition, on blocks mixing separators
    /// with bytes one bit away from them and non-ASCII bytes.
    #[test]
    fn separators_of_a_block() {
        let alphabet = [
            b',', b';', b'\t', b'\n', b'\r', b'a', 0x0b, 0x0c, 0x2d, 0x8a, 0x8d, 0xac, 0xff, 0,
        ];
        let mut state = 12345u64;
        for round in 0..2000 {
            let mut block = [0u8; 64];
            for b in block.iter_mut() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = alphabet[(state >> 33) as usize % alphabet.len()];
            }
            let delimiter = [b',', b';', b'\t'][round % 3];
            let mut want = 0u64;
            for (i, &b) in block.iter().enumerate() {
                if b == delimiter || b == b'\n' || b == b'\r' {
                    want |= 1 << i;
                }
            }
            assert_eq!(separators_swar(&block, delimiter), want, "{block:?}");
            assert_eq!(separators(&block, delimiter), want, "{block:?}");
        }
    }
}
