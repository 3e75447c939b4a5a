//! Numbers in cells.
//!
//! Rules (docs/spec.md#input-rules): a decimal point; a decimal comma only
//! when the file's delimiter is `;`; `-0` is 0; a number that overflows a double
//! (`1e309`) is an input error. Text such as `inf`, `nan` or `1,000` is not a number.

/// The outcome of reading one trimmed cell as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    /// A finite number (`-0` read as `0`).
    Value(f64),
    /// Not of the form `[+-]digits[.digits][e[+-]digits]`.
    NotNumber,
    /// Of that form, but beyond the range of a double.
    Overflow,
}

/// Reads `s` (trimmed here) as a decimal number; `decimal_comma` also accepts `,`
/// as the decimal mark (then a `.` in the same cell is not allowed).
pub(crate) fn parse_number(s: &str, decimal_comma: bool) -> Num {
    let s = super::text::trim(s);
    if let Some(v) = short_decimal(s.as_bytes(), decimal_comma) {
        return Num::Value(v);
    }
    let Some(has_comma) = well_formed(s.as_bytes(), decimal_comma) else {
        return Num::NotNumber;
    };
    let parsed = if has_comma {
        s.replace(',', ".").parse::<f64>()
    } else {
        s.parse::<f64>()
    };
    match parsed {
        Ok(v) if v.is_finite() => Num::Value(if v == 0.0 { 0.0 } else { v }),
        Ok(_) => Num::Overflow,
        Err(_) => Num::NotNumber,
    }
}

/// Powers of ten exactly representable as doubles (10^0 … 10^22).
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Most significant digits [`short_decimal`] reads: below 10^15 < 2^53, so the digits
/// as an integer are an exact double.
const SHORT_DIGITS: usize = 15;

/// The value of `[+-]digits[mark digits]` with at most [`SHORT_DIGITS`] digits and no
/// exponent (a clinical cell: `55.2`, `-3`, `0.125`), or `None` for anything else,
/// which [`parse_number`] then reads with the standard parser.
///
/// # Formula
/// With the digits read as the integer `m < 2^53` and `k` digits after the mark, the
/// value is `m / 10^k`: both operands are exact doubles (10^k is exact for k ≤ 22) and
/// IEEE division rounds correctly, so the result is the correctly rounded decimal —
/// the same double `str::parse::<f64>` returns (Clinger's fast path; W. D. Clinger,
/// "How to read floating point numbers accurately", PLDI 1990).
#[inline]
fn short_decimal(b: &[u8], decimal_comma: bool) -> Option<f64> {
    let (negative, digits) = match b {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > SHORT_DIGITS + 1 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut mark = usize::MAX;
    for (i, &c) in digits.iter().enumerate() {
        let digit = c.wrapping_sub(b'0');
        if digit < 10 {
            mantissa = mantissa * 10 + u64::from(digit);
        } else if mark == usize::MAX && (c == b'.' || (decimal_comma && c == b',')) {
            mark = i;
        } else {
            return None;
        }
    }
    let has_mark = mark != usize::MAX;
    let count = digits.len() - usize::from(has_mark);
    if count == 0 || count > SHORT_DIGITS {
        return None;
    }
    let after_mark = if has_mark { digits.len() - 1 - mark } else { 0 };
    let magnitude = mantissa as f64 / EXACT_POWERS_OF_TEN.get(after_mark)?;
    // `-0` is 0 (docs/spec.md#input-rules); a zero magnitude is +0.0 whatever the sign.
    Some(if negative && magnitude != 0.0 {
        -magnitude
    } else {
        magnitude
    })
}

/// Checks the grammar `[+-]digits[mark digits][(e|E)[+-]digits]` with at least one
/// mantissa digit; returns whether the decimal mark is a comma.
fn well_formed(b: &[u8], decimal_comma: bool) -> Option<bool> {
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_digits = count_digits(b, i);
    i += int_digits;
    let comma = decimal_comma && b.get(i) == Some(&b',');
    let mut frac_digits = 0;
    if comma || b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(b, i);
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = count_digits(b, i);
        if exp_digits == 0 {
            return None;
        }
        i += exp_digits;
    }
    (i == b.len()).then_some(comma)
}

fn count_digits(b: &[u8], from: usize) -> usize {
    b.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        assert_eq!(parse_number(" 12.5 ", false), Num::Value(12.5));
        assert_eq!(parse_number("-0", false), Num::Value(0.0));
        assert!(parse_number("-0", false) == Num::Value(0.0));
        if let Num::Value(v) = parse_number("-0.0", false) {
            assert!(v.is_sign_positive());
        }
        assert_eq!(parse_number(".5", false), Num::Value(0.5));
        assert_eq!(parse_number("5.", false), Num::Value(5.0));
        assert_eq!(parse_number("+3e2", false), Num::Value(300.0));
        assert_eq!(parse_number("1e309", false), Num::Overflow);
        assert_eq!(parse_number("-1e309", false), Num::Overflow);
        for bad in [
            "", ".", "-", "e5", "1e", "inf", "nan", "NaN", "1,5", "1 2", "0x10", "1.2.3",
        ] {
            assert_eq!(parse_number(bad, false), Num::NotNumber, "{bad}");
        }
        assert_eq!(parse_number("1,5", true), Num::Value(1.5));
        assert_eq!(parse_number("1.5", true), Num::Value(1.5));
        assert_eq!(parse_number("1.000,5", true), Num::NotNumber);
        assert_eq!(parse_number("1,000", false), Num::NotNumber);
        assert_eq!(parse_number("+", false), Num::NotNumber);
        assert_eq!(parse_number("-.", false), Num::NotNumber);
        assert_eq!(parse_number(",5", true), Num::Value(0.5));
    }

    /// The short-decimal path gives the bits of the standard parser, on cells of every
    /// length up to and past its 15-digit limit (deterministic xorshift sample).
    #[test]
    fn short_decimals_match_the_standard_parser_bit_for_bit() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let r = next();
            let n_digits = 1 + (r % 18) as usize;
            let mut digits: String = (0..n_digits)
                .map(|i| char::from(b'0' + ((next() >> (i % 8)) % 10) as u8))
                .collect();
            match (r >> 8) % 4 {
                0 => {}
                _ => {
                    let at = ((r >> 16) as usize) % (n_digits + 1);
                    digits.insert(at, '.');
                }
            }
            let cell = match (r >> 24) % 3 {
                0 => format!("-{digits}"),
                1 => format!("+{digits}"),
                _ => digits,
            };
            let expected = cell.parse::<f64>().map(|v| if v == 0.0 { 0.0 } else { v });
            match (parse_number(&cell, false), expected) {
                (Num::Value(v), Ok(e)) => assert_eq!(v.to_bits(), e.to_bits(), "{cell}"),
                (Num::NotNumber, Err(_)) => {}
                (got, e) => panic!("{cell}: {got:?} vs {e:?}"),
            }
            let comma_cell = cell.replace('.', ",");
            if let (Num::Value(v), Ok(e)) = (parse_number(&comma_cell, true), cell.parse::<f64>()) {
                assert_eq!(
                    v.to_bits(),
                    (if e == 0.0 { 0.0 } else { e }).to_bits(),
                    "{comma_cell}"
                );
            }
        }
        for (cell, v) in [
            ("0.1", 0.1),
            ("55.2", 55.2),
            ("999999999999999", 999999999999999.0),
            ("0.000000000000001", 1e-15),
            ("-0.0", 0.0),
            ("123456789.012345", 123456789.012345),
        ] {
            assert_eq!(parse_number(cell, false), Num::Value(v), "{cell}");
        }
    }
}
