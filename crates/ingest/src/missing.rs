//! Missing-value tokens (docs/spec.md#missing): a cell is missing when its
//! trimmed text equals one of the tokens (trimmed), exactly.
//!
//! At a million rows every used cell is tested, so the test first rejects cells by
//! their length and first byte (a number never starts like `NA`, `.` or `null`), and
//! compares texts only for the few cells that pass.

use super::text::{same, trim};

/// The missing-value tokens of a spec, ready for fast tests.
#[derive(Debug, Clone)]
pub(crate) struct MissingTokens<'m> {
    tokens: Vec<&'m str>,
    /// Bit `l` set when a token has length `l` (`l` < 63); bit 63: a longer token.
    lengths: u64,
    /// Whether a token starts with this byte.
    first_bytes: [bool; 256],
    /// Whether the empty cell is missing.
    empty: bool,
}

impl<'m> MissingTokens<'m> {
    /// The tokens, trimmed (duplicates are harmless).
    pub(crate) fn new(tokens: &'m [String]) -> Self {
        let tokens: Vec<&str> = tokens.iter().map(|t| t.trim()).collect();
        let mut first_bytes = [false; 256];
        let mut lengths = 0u64;
        for t in &tokens {
            lengths |= 1u64 << t.len().min(63);
            if let Some(&b) = t.as_bytes().first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        MissingTokens {
            empty: tokens.iter().any(|t| t.is_empty()),
            tokens,
            lengths,
            first_bytes,
        }
    }

    /// Whether the cell of these bytes (untrimmed, valid UTF-8) is missing: most cells
    /// are told not missing from their length and first byte when they start and end
    /// with visible ASCII characters.
    #[inline]
    pub(crate) fn is_missing_bytes(&self, cell: &[u8]) -> bool {
        match (cell.first(), cell.last()) {
            (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => {
                self.lengths & (1u64 << cell.len().min(63)) != 0
                    && self.first_bytes[usize::from(*f)]
                    && self.tokens.iter().any(|t| t.as_bytes() == cell)
            }
            _ => std::str::from_utf8(cell).is_ok_and(|c| self.is_missing(c)),
        }
    }

    /// Whether `cell` (untrimmed) is missing.
    #[inline]
    pub(crate) fn is_missing(&self, cell: &str) -> bool {
        let cell = trim(cell);
        if self.lengths & (1u64 << cell.len().min(63)) == 0 {
            return false;
        }
        match cell.as_bytes().first() {
            None => self.empty,
            Some(&b) => {
                self.first_bytes[usize::from(b)] && self.tokens.iter().any(|t| same(t, cell))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MissingTokens;

    #[test]
    fn same_answer_as_comparing_every_token() {
        let lists: [&[&str]; 4] = [
            &["", "NA", "N/A", "NaN", ".", "null"],
            &[" -99 ", "unknown"],
            &["a-very-long-missing-token-that-is-longer-than-sixty-three-bytes-in-all"],
            &[],
        ];
        let cells = [
            "",
            " ",
            "NA",
            " NA ",
            "na",
            "N/A",
            "NaN",
            "nan",
            ".",
            "..",
            "null",
            "NULL",
            "55.2",
            "-99",
            " -99",
            "-9",
            "unknown",
            "Unknown",
            "No",
            "N",
            "\u{a0}NA\u{a0}",
            "a-very-long-missing-token-that-is-longer-than-sixty-three-bytes-in-all",
            "a-very-long-missing-token-that-is-longer-than-sixty-three-bytes-in-alL",
        ];
        for list in lists {
            let owned: Vec<String> = list.iter().map(|s| s.to_string()).collect();
            let m = MissingTokens::new(&owned);
            for cell in cells {
                let expected = owned.iter().any(|t| t.trim() == cell.trim());
                assert_eq!(m.is_missing(cell), expected, "{list:?} {cell:?}");
                assert_eq!(
                    m.is_missing_bytes(cell.as_bytes()),
                    expected,
                    "{list:?} {cell:?}"
                );
            }
        }
    }
}
