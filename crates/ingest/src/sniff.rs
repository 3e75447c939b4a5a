//! Refuses bytes that are not a text table before parsing: UTF-16/UTF-32 text (a
//! byte-order mark), binary formats (a workbook is a zip archive) and NUL bytes, each
//! with a message saying how to export a CSV instead.

use super::IngestError;

/// `Ok` when the bytes may be a UTF-8 or Windows-1252 table.
/// `has_nul`: whether the bytes hold a NUL (from [`super::text::scan_bytes`]).
pub(crate) fn check_text(bytes: &[u8], has_nul: bool) -> Result<(), IngestError> {
    let encoding = match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16 (Excel's \"Unicode text\")"),
        _ => None,
    };
    if let Some(encoding) = encoding {
        return Err(IngestError::UnsupportedEncoding {
            encoding: encoding.to_string(),
        });
    }
    let what = match bytes {
        [b'P', b'K', 3, 4, ..] => Some("it is a zip archive, such as an Excel workbook (.xlsx)"),
        [0xD0, 0xCF, 0x11, 0xE0, ..] => Some("it is an old Excel workbook (.xls)"),
        [b'%', b'P', b'D', b'F', ..] => Some("it is a PDF document"),
        _ => None,
    };
    if let Some(what) = what {
        return Err(IngestError::NotText {
            line: 1,
            what: what.to_string(),
        });
    }
    if !has_nul {
        return Ok(());
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let line = 1 + bytes.iter().take(pos).filter(|&&b| b == b'\n').count() as u64;
        return Err(IngestError::NotText {
            line,
            what: "it contains NUL bytes (binary data, or UTF-16 text without a byte-order mark)"
                .to_string(),
        });
    }
    Ok(())
}

/// The file line of a quote that opens a quoted value never closed (csv reads the rest
/// of the file into that one cell), following the reader's rules: a quote opens a
/// quoted value only at the start of a field; `""` inside one is a literal quote.
pub fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<u64> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    if !super::text::has_byte(text, b'"') {
        return None; // no quote at all (the common case): nothing to scan
    }
    let mut state = State::FieldStart;
    let (mut line, mut opened_at) = (1u64, 1u64);
    let mut prev = 0u8;
    for &b in text {
        // `\n`, `\r\n` and a lone `\r` each end a line (counted at their first byte).
        if b == b'\r' || (b == b'\n' && prev != b'\r') {
            line += 1;
        }
        prev = b;
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        state = match (state, b) {
            (State::FieldStart, b'"') => {
                opened_at = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, _) if ends_field => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    (state == State::Quoted).then_some(opened_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_quotes_are_found_on_their_line() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\n2,3\n", b','), Some(2));
        assert_eq!(unclosed_quote(b"a,b\r\n1,2\r\n\"3", b','), Some(3));
        assert_eq!(
            unclosed_quote(b"a,b\n1,\"x\"\"y\"\n2,\"p\nq\"\n", b','),
            None
        );
        assert_eq!(unclosed_quote(b"a,b\n5\" tall,x\n", b','), None);
        assert_eq!(unclosed_quote(b"a;b\n\"x;y\";\"z", b';'), Some(2));
    }
}
