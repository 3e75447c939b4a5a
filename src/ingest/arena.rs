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

    /// The bytes of every cell, row 0 first: as [`Column::cells`] without the UTF-8
    /// boundary checks of slicing a `str`, for tests of bytes.
    pub(super) fn byte_cells(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let bytes = self.text.as_bytes();
        let mut start = 0usize;
        self.ends.iter().map(move |&end| {
            let end = end as usize;
            let cell = bytes.get(start..end).unwrap_or(&[]);
            start = end;
            cell
        })
    }

    /// Every cell, row 0 first (one pass over the text, no lookups per row).
    pub(super) fn cells(&self) -> Cells<'_> {
        Cells {
            text: &self.text,
            ends: self.ends.iter(),
            start: 0,
        }
    }
}

/// The cells of a [`Column`] in row order (see [`Column::cells`]).
#[derive(Clone)]
pub(crate) struct Cells<'a> {
    text: &'a str,
    ends: std::slice::Iter<'a, u32>,
    start: usize,
}

impl<'a> Cells<'a> {
    /// No cells.
    pub(super) fn empty() -> Self {
        Cells {
            text: "",
            ends: [].iter(),
            start: 0,
        }
    }
}

impl<'a> Iterator for Cells<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()? as usize;
        let cell = self.text.get(self.start..end).unwrap_or("");
        self.start = end;
        Some(cell)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
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
