//! Column arenas of the raw table: every cell of a column back to back in one text,
//! with the end offset of each row (no allocation per cell).

/// One column's cells: all texts back to back, `ends[r]` the end of row `r`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Column {
    text: String,
    ends: Vec<u32>,
}

impl Column {
    pub(super) fn get(&self, row: usize) -> &str {
        let start = match row.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(row).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }
}

/// A column being read: the cells' bytes are appended as they come (no per-cell
/// allocation or UTF-8 check) and validated once, as a whole, by [`Builder::finish`].
#[derive(Debug, Clone, Default)]
pub(super) struct Builder {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Builder {
    /// Appends one cell; `false` when the column passes 4 GiB of text.
    #[inline]
    pub(super) fn push(&mut self, cell: &[u8]) -> bool {
        self.bytes.extend_from_slice(cell);
        match u32::try_from(self.bytes.len()) {
            Ok(end) => {
                self.ends.push(end);
                true
            }
            Err(_) => false,
        }
    }

    /// The column as text. Every cell is a piece of valid UTF-8 split at ASCII bytes
    /// (delimiters, quotes, line ends), so the check cannot fail; if it ever did, the
    /// bytes are decoded as Windows-1252 (one char per byte, so offsets stay cell
    /// boundaries only for ASCII; the cells stay readable, never a panic).
    pub(super) fn finish(mut self) -> Column {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        let text = match String::from_utf8(self.bytes) {
            Ok(t) => t,
            Err(e) => super::windows1252::decode(e.as_bytes()),
        };
        Column {
            text,
            ends: self.ends,
        }
    }
}
