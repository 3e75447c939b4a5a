//! Calendar dates in cells.
//!
//! Rules (docs/spec.md#time and docs/spec.md#input-rules): `auto` accepts ISO
//! `YYYY-MM-DD` only; day/month orders must be named (`%d/%m/%Y`, `%m/%d/%Y`,
//! `%d.%m.%Y`, and as extensions `%Y/%m/%d`, `%d-%m-%Y`, `%m-%d-%Y`); an impossible
//! date (31/02/2020) is an input error. Day and month may have one or two digits, the
//! year has four. R equivalent: `as.Date(x, format)` with the same format string.

use super::mapping::DateFormat;
use chrono::{Datelike, NaiveDate};

/// The outcome of reading one cell as a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Date {
    /// Days since 0001-01-01 (only differences are used).
    Days(i64),
    /// Not of the format's form.
    BadForm,
    /// Of the form, but not a calendar date.
    Impossible,
}

/// Reads a trimmed cell as a date in `format`.
pub(crate) fn parse_date(s: &str, format: DateFormat) -> Date {
    let s = s.trim();
    let (sep, order) = match format {
        DateFormat::Auto | DateFormat::Ymd => (b'-', [0, 1, 2]),
        DateFormat::DmySlash => (b'/', [2, 1, 0]),
        DateFormat::MdySlash => (b'/', [1, 2, 0]),
        DateFormat::DmyDot => (b'.', [2, 1, 0]),
        DateFormat::YmdSlash => (b'/', [0, 1, 2]),
        DateFormat::DmyDash => (b'-', [2, 1, 0]),
        DateFormat::MdyDash => (b'-', [1, 2, 0]),
    };
    let mut parts = s.as_bytes().split(|&b| b == sep);
    let mut fields = [0u32; 3];
    for (k, field) in fields.iter_mut().enumerate() {
        let Some(p) = parts.next() else {
            return Date::BadForm;
        };
        // order[k] is the position (0 = year, 1 = month, 2 = day) of the k-th field;
        // every index here is below 3 into arrays of length 3.
        let ok_len = if order[k] == 0 {
            p.len() == 4
        } else {
            (1..=2).contains(&p.len())
        };
        if !ok_len || !p.iter().all(u8::is_ascii_digit) {
            return Date::BadForm;
        }
        *field = p.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'));
    }
    if parts.next().is_some() {
        return Date::BadForm;
    }
    let mut ymd = [0u32; 3];
    for (k, &pos) in order.iter().enumerate() {
        ymd[pos] = fields[k];
    }
    let year = ymd[0] as i32; // four digits: no overflow
    if year == 0 {
        // The calendar has no year 0 (1 BC is followed by AD 1).
        return Date::Impossible;
    }
    match NaiveDate::from_ymd_opt(year, ymd[1], ymd[2]) {
        Some(d) => Date::Days(i64::from(d.num_days_from_ce())),
        None => Date::Impossible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = |s, f| parse_date(s, f);
        let base = match d("2020-03-01", DateFormat::Auto) {
            Date::Days(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(d("2020-02-29", DateFormat::Ymd), Date::Days(base - 1));
        assert_eq!(d("29/02/2020", DateFormat::DmySlash), Date::Days(base - 1));
        assert_eq!(d("2/29/2020", DateFormat::MdySlash), Date::Days(base - 1));
        assert_eq!(d("29.2.2020", DateFormat::DmyDot), Date::Days(base - 1));
        assert_eq!(d("2020/2/29", DateFormat::YmdSlash), Date::Days(base - 1));
        assert_eq!(d("29-02-2020", DateFormat::DmyDash), Date::Days(base - 1));
        assert_eq!(d("02-29-2020", DateFormat::MdyDash), Date::Days(base - 1));
        assert_eq!(d("2020-02-29", DateFormat::DmyDash), Date::BadForm);
        assert_eq!(d("29/02/2020", DateFormat::YmdSlash), Date::BadForm);
        assert_eq!(d("2019/02/29", DateFormat::YmdSlash), Date::Impossible);
        assert_eq!(d("31/02/2020", DateFormat::DmySlash), Date::Impossible);
        assert_eq!(d("2019-02-29", DateFormat::Auto), Date::Impossible);
        assert_eq!(d("2020-13-01", DateFormat::Auto), Date::Impossible);
        assert_eq!(d("0000-01-01", DateFormat::Auto), Date::Impossible);
        assert_eq!(d("99999-01-01", DateFormat::Auto), Date::BadForm);
        assert_eq!(d("01/03/2020", DateFormat::Auto), Date::BadForm);
        assert_eq!(d("2020-03-01 10:00", DateFormat::Auto), Date::BadForm);
        assert_eq!(d("20-03-01", DateFormat::Auto), Date::BadForm);
        assert_eq!(d("2020-03-01-", DateFormat::Auto), Date::BadForm);
        assert_eq!(d("", DateFormat::Auto), Date::BadForm);
    }
}
