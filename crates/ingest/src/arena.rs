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

/// Bytes a [`Filler`] copies at once for a short cell (cells of the benchmark cohorts
/// are 1–12 bytes): one fixed-size copy instead of a `memcpy` call per cell.
const WIDE: usize = 16;

/// A column being filled by the quote-free reader ([`super::plain`]): like [`Builder`],
/// but its text buffer is kept zero-filled beyond `len`, so a short cell is copied as
/// [`WIDE`] bytes at once (the bytes past the cell are overwritten by the next one)
/// and the buffer can be sized once from an estimate of the file's rows.
#[derive(Debug, Default)]
pub(super) struct Filler {
    buf: Vec<u8>,
    len: usize,
    ends: Vec<u32>,
}

impl Filler {
    /// Bytes of text so far.
    pub(super) fn text_len(&self) -> usize {
        self.len
    }

    /// Makes room for `bytes` more bytes of text and `cells` more cells, at once (no
    /// doubling): called with an estimate of the whole file after its first rows.
    pub(super) fn reserve(&mut self, bytes: usize, cells: usize) {
        let want = self.len.saturating_add(bytes).saturating_add(WIDE);
        if want > self.buf.len() {
            let mut buf = vec![0u8; want];
            if let (Some(to), Some(from)) = (buf.get_mut(..self.len), self.buf.get(..self.len)) {
                to.copy_from_slice(from);
            }
            self.buf = buf;
        }
        self.ends.reserve(cells);
    }

    /// Appends `text[start..end]` (a cell of the file); `false` when the column passes
    /// 4 GiB of text. A short cell is copied as the [`WIDE`] bytes from `start` when
    /// the file has them (only `end - start` of them count).
    #[inline(always)]
    pub(super) fn push(&mut self, text: &[u8], start: usize, end: usize) -> bool {
        let n = end.saturating_sub(start);
        let len = self.len;
        match (
            text.get(start..start + WIDE),
            self.buf.get_mut(len..len + WIDE),
        ) {
            (Some(src), Some(dst)) if n <= WIDE => dst.copy_from_slice(src),
            _ => self.push_exact(text.get(start..end).unwrap_or(&[])),
        }
        self.len = len + n;
        match u32::try_from(self.len) {
            Ok(end) => {
                self.ends.push(end);
                true
            }
            Err(_) => false,
        }
    }

    /// Copies `cell` to the end of the text, growing the buffer first if needed
    /// (does not move `len`).
    #[cold]
    #[inline(never)]
    fn push_exact(&mut self, cell: &[u8]) {
        let (len, n) = (self.len, cell.len());
        if len + n + WIDE > self.buf.len() {
            self.grow(len + n + WIDE);
        }
        if let Some(dst) = self.buf.get_mut(len..len + n) {
            dst.copy_from_slice(cell);
        }
    }

    /// Doubles the buffer (at least to `need` bytes), zero-filled.
    fn grow(&mut self, need: usize) {
        let size = need.max(self.buf.len().saturating_mul(2)).max(256);
        self.buf.resize(size, 0);
    }

    /// The column as a [`Builder`] (whose `finish` validates the text).
    pub(super) fn into_builder(mut self) -> Builder {
        self.buf.truncate(self.len);
        Builder {
            bytes: self.buf,
            ends: self.ends,
        }
    }
}
