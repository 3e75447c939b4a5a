//! Windows-1252 decoding (Excel's "CSV" export on Western-language Windows).
//!
//! The WHATWG Encoding Standard's windows-1252 index: bytes below 0x80 and from 0xA0 are
//! the Unicode code point of the same value; 0x80–0x9F map through the table below
//! (the five bytes WHATWG leaves undefined map to the C1 control of the same value).
//! A 32-entry table instead of `encoding_rs`, whose decoder dispatch links every
//! encoding's tables into the wasm bundle (~190 KB). `encoding_rs` stays the reference
//! in the tests.

/// Code points of bytes 0x80..=0x9F.
const HIGH_CONTROL_RANGE: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The character a Windows-1252 byte stands for.
pub fn decode_byte(byte: u8) -> char {
    match byte {
        0x80..=0x9F => HIGH_CONTROL_RANGE[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Decode a whole Windows-1252 byte string (every byte is a character: no errors).
pub fn decode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    out.extend(bytes.iter().map(|&b| decode_byte(b)));
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_byte_decodes_as_encoding_rs_does() {
        let all: Vec<u8> = (0..=255u8).collect();
        let (reference, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&all);
        assert_eq!(decode(&all), reference);
    }

    #[test]
    fn accented_letters() {
        assert_eq!(decode(b"caf\xe9 \x80 \x93x\x94"), "café € “x”");
    }
}
