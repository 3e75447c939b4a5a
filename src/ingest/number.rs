//! Numbers in cells.
//!
//! Rules (CONTRACT.md "Definitions → Input"): a decimal point; a decimal comma only
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
    }
}
