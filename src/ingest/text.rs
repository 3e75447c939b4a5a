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

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn same_as_std_trim() {
        for s in [
            "", " ", "a", " a", "a ", "\ta\n", "\u{a0}x\u{a0}", "é", " é ", "\u{2003}", "a b",
            "\r\n", "x\u{3000}", "NA",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
