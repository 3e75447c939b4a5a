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

/// Whether `any` byte of `bytes` equals `byte`: chunked so the compiler vectorizes it
/// (a plain `contains` stops at each byte), for whole-file scans.
pub(crate) fn has_byte(bytes: &[u8], byte: u8) -> bool {
    bytes
        .chunks(64)
        .any(|c| c.iter().fold(false, |acc, &b| acc | (b == byte)))
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
    }
}
