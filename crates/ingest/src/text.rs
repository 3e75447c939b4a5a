//! Cell text helpers on the hot path of ingest.

/// `s.trim()` (Unicode whitespace), without scanning when the first and last bytes are
/// visible ASCII characters — the common case of a million-row file, where the std
/// trim's char decoding showed up in profiles.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// `a == b` for short cell texts: lengths, then first and last bytes, then the rest —
/// most unequal pairs (a cell against a missing token or a level) are told apart
/// without a call to `memcmp`.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

/// Whether any byte of `bytes` equals `byte`, for whole-file scans (a NUL, a quote):
/// natively chunked so the compiler vectorizes the comparisons (a plain `contains`
/// stops at each byte); in WebAssembly, built without SIMD, eight bytes per step
/// ([`has_byte_swar`]).
pub(crate) fn has_byte(bytes: &[u8], byte: u8) -> bool {
    if cfg!(target_arch = "wasm32") {
        return has_byte_swar(bytes, byte);
    }
    bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |acc, &b| acc | (b == byte)))
}

/// What one pass over a file's bytes finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ByteScan {
    /// A NUL byte (binary data, UTF-16).
    pub nul: bool,
    /// A `"` (quoted values: the `csv` reader).
    pub quote: bool,
    /// Every byte is ASCII (so the text is UTF-8 without a check).
    pub ascii: bool,
}

/// NUL, quote and non-ASCII bytes found in one pass (three whole-file scans before; in
/// WebAssembly each cost ~40 ms at 50 MB), by 64-bit words as [`has_byte_swar`].
pub(crate) fn scan_bytes(bytes: &[u8]) -> ByteScan {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = LOW * b'"' as u64;
    let has_zero = |v: u64| v.wrapping_sub(LOW) & !v & HIGH;
    let (mut nul, mut quote, mut high) = (0u64, 0u64, 0u64);
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        for word in block.chunks_exact(8) {
            let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            nul |= has_zero(w);
            quote |= has_zero(w ^ QUOTES);
            high |= w & HIGH;
        }
    }
    let rest = blocks.remainder();
    ByteScan {
        nul: nul != 0 || rest.contains(&0),
        quote: quote != 0 || rest.contains(&b'"'),
        ascii: high == 0 && rest.is_ascii(),
    }
}

/// [`has_byte`] by 64-bit words ("SIMD within a register"): with `v` a word XOR the
/// byte repeated, `(v - 0x01…01) & !v & 0x80…80` is non-zero exactly when some byte
/// of `v` is zero (S. E. Anderson, *Bit Twiddling Hacks*, "Determine if a word has a
/// zero byte").
pub(crate) fn has_byte_swar(bytes: &[u8], byte: u8) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = LOW * u64::from(byte);
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        let mut found = 0u64;
        for word in block.chunks_exact(8) {
            let v = u64::from_le_bytes(word.try_into().unwrap_or([0; 8])) ^ pattern;
            found |= v.wrapping_sub(LOW) & !v & HIGH;
        }
        if found != 0 {
            return true;
        }
    }
    blocks.remainder().contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn same_as_std_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "\u{a0}x\u{a0}",
            "é",
            " é ",
            "\u{2003}",
            "a b",
            "\r\n",
            "x\u{3000}",
            "NA",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn one_scan_finds_what_three_would() {
        use super::{scan_bytes, ByteScan};
        let naive = |b: &[u8]| ByteScan {
            nul: b.contains(&0),
            quote: b.contains(&b'"'),
            ascii: b.is_ascii(),
        };
        for len in [0, 1, 8, 63, 64, 65, 129, 200] {
            let plain = vec![b'a'; len];
            assert_eq!(scan_bytes(&plain), naive(&plain));
            for pos in 0..len {
                for byte in [0u8, b'"', 0x80, 0xFF, 0x01, 0x22 ^ 0x80, 0x7F] {
                    let mut v = plain.clone();
                    v[pos] = byte;
                    assert_eq!(scan_bytes(&v), naive(&v), "{len} {pos} {byte}");
                }
            }
        }
    }

    #[test]
    fn same_and_has_byte() {
        use super::{has_byte, same};
        for (a, b) in [
            ("", ""),
            ("NA", "NA"),
            ("NA", "No"),
            ("a", ""),
            ("null", "55.2"),
            ("xyx", "xzx"),
        ] {
            assert_eq!(same(a, b), a == b, "{a} {b}");
        }
        let long: Vec<u8> = (0..1000).map(|i| b'a' + (i % 20) as u8).collect();
        assert!(!has_byte(&long, b'"'));
        for pos in [0, 63, 64, 999] {
            let mut v = long.clone();
            v[pos] = b'"';
            assert!(has_byte(&v, b'"'), "{pos}");
        }
        assert!(!has_byte(b"", b'"'));
        // The word version, at every position of blocks and remainders, for bytes
        // that differ from the sought one in one bit (0x80 / 0x01 borrows).
        use super::has_byte_swar;
        for len in [0, 1, 7, 8, 63, 64, 65, 130, 200] {
            for sought in [0u8, b'"', 0x80, 0xFF, 0x01] {
                for filler in [b'a', sought ^ 0x80, sought ^ 0x01, sought.wrapping_add(1)] {
                    let plain = vec![filler; len];
                    assert!(!has_byte_swar(&plain, sought), "{len} {sought} {filler}");
                    for pos in 0..len {
                        let mut v = plain.clone();
                        v[pos] = sought;
                        assert!(has_byte_swar(&v, sought), "{len} {sought} {pos}");
                    }
                }
            }
        }
    }
}
