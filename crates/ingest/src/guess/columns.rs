//! What the values of one column say: numbers (range, integers, unique, increasing),
//! dates (which of the contract's formats read every value), levels with counts.
//!
//! Read with ingest's own readers — [`MissingTokens`] (the contract's default
//! tokens), [`parse_number`], [`parse_date`] — so a column the guesser calls a date
//! or a number is read the same way by the analysis.

use super::super::dates::{parse_date, Date};
use super::super::intern::Interner;
use super::super::mapping::{default_missing_tokens, DateFormat};
use super::super::missing::MissingTokens;
use super::super::number::{parse_number, Num};
use super::super::RawTable;

/// Rows read for the evidence: enough to see every level and range of a cohort,
/// bounded so a million-row file is guessed in a moment.
pub const SCAN_ROWS: usize = 50_000;

/// Levels listed with counts (the event and group pickers; more is free text).
pub(crate) const MAX_LEVELS: usize = 24;

/// The date formats tried, in the order a tie is resolved (`%d/%m/%Y` before
/// `%m/%d/%Y`: most hospital exports outside the US write the day first).
pub(crate) const DATE_FORMATS: [DateFormat; 7] = [
    DateFormat::Ymd,
    DateFormat::YmdSlash,
    DateFormat::DmySlash,
    DateFormat::MdySlash,
    DateFormat::DmyDot,
    DateFormat::DmyDash,
    DateFormat::MdyDash,
];

/// Range and shape of a column whose every present value is a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numbers {
    pub min: f64,
    pub max: f64,
    /// Every value a whole number.
    pub integers: bool,
    /// Every value different.
    pub unique: bool,
    /// Each value larger than the one above it (file order).
    pub increasing: bool,
}

/// The evidence of one column.
#[derive(Debug, Clone)]
pub struct Column {
    pub index: usize,
    pub name: String,
    /// Rows read with a value (not a missing token).
    pub present: usize,
    pub missing: usize,
    /// Set when every present value is a number.
    pub numbers: Option<Numbers>,
    /// The formats that read every present value as a calendar date (empty: no dates).
    pub date_formats: Vec<DateFormat>,
    /// Distinct present values, most frequent first (ties: first seen), at most
    /// [`MAX_LEVELS`], with their counts.
    pub levels: Vec<(String, usize)>,
    /// Number of distinct present values.
    pub n_distinct: usize,
}

impl Column {
    /// Present values that are all numbers.
    pub fn is_numeric(&self) -> bool {
        self.numbers.is_some()
    }

    /// Present values that are all dates.
    pub fn is_date(&self) -> bool {
        !self.date_formats.is_empty()
    }

    /// Text that is neither numbers nor dates.
    pub fn is_text(&self) -> bool {
        self.present > 0 && !self.is_numeric() && !self.is_date()
    }

    /// Every present value different, over at least ten rows.
    pub fn all_distinct(&self) -> bool {
        self.present >= 10 && self.n_distinct == self.present
    }
}

/// The evidence of every column of the table (the first [`SCAN_ROWS`] rows).
pub fn describe(table: &RawTable) -> Vec<Column> {
    let tokens = default_missing_tokens();
    let missing = MissingTokens::new(&tokens);
    (0..table.n_cols())
        .map(|c| describe_one(table, c, &missing))
        .collect()
}

fn describe_one(table: &RawTable, c: usize, missing: &MissingTokens) -> Column {
    let rows = table.n_rows().min(SCAN_ROWS);
    let cells: Vec<&str> = table
        .column_cells(c)
        .take(rows)
        .map(str::trim)
        .filter(|s| !missing.is_missing(s))
        .collect();
    let (levels, _) = Interner::of(cells.iter().copied());
    let mut order: Vec<usize> = (0..levels.values.len()).collect();
    order.sort_by(|&a, &b| levels.counts[b].cmp(&levels.counts[a]).then(a.cmp(&b)));
    Column {
        index: c,
        name: table.headers.get(c).cloned().unwrap_or_default(),
        present: cells.len(),
        missing: rows - cells.len(),
        numbers: numbers(&cells, table.decimal_comma(), levels.values.len()),
        date_formats: date_formats(&cells),
        levels: order
            .iter()
            .take(MAX_LEVELS)
            .map(|&i| (levels.values[i].to_string(), levels.counts[i]))
            .collect(),
        n_distinct: levels.values.len(),
    }
}

fn numbers(cells: &[&str], decimal_comma: bool, n_distinct: usize) -> Option<Numbers> {
    let mut out = Numbers {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
        integers: true,
        unique: n_distinct == cells.len(),
        increasing: true,
    };
    let mut previous = f64::NEG_INFINITY;
    for cell in cells {
        let Num::Value(v) = parse_number(cell, decimal_comma) else {
            return None;
        };
        out.min = out.min.min(v);
        out.max = out.max.max(v);
        out.integers &= v.fract() == 0.0;
        out.increasing &= v > previous;
        previous = v;
    }
    (!cells.is_empty()).then_some(out)
}

fn date_formats(cells: &[&str]) -> Vec<DateFormat> {
    if cells.is_empty() {
        return Vec::new();
    }
    DATE_FORMATS
        .into_iter()
        .filter(|&f| {
            cells
                .iter()
                .all(|c| matches!(parse_date(c, f), Date::Days(_)))
        })
        .collect()
}

/// The day number of a cell in `format` (`None`: missing or not a date).
pub(crate) fn day_of(cell: &str, format: DateFormat) -> Option<i64> {
    match parse_date(cell, format) {
        Date::Days(d) => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_table;

    #[test]
    fn evidence_from_values() {
        let csv = "id,age,dx,status,arm\n\
                   1,64,03/04/2020,Dead,A\n\
                   2,71,13/04/2020,Alive,B\n\
                   3,NA,01/12/2020,Alive,A\n";
        let t = read_table(csv.as_bytes()).unwrap();
        let cols = describe(&t);
        let id = cols[0].numbers.unwrap();
        assert!(id.unique && id.increasing && id.integers);
        assert_eq!((cols[1].present, cols[1].missing), (2, 1));
        assert_eq!(cols[2].date_formats, vec![DateFormat::DmySlash]);
        assert_eq!(
            cols[3].levels,
            vec![("Alive".into(), 2), ("Dead".into(), 1)]
        );
        assert!(cols[4].is_text() && cols[4].n_distinct == 2);
        let ambiguous = read_table(b"d\n03/04/2020\n05/06/2021\n").unwrap();
        assert_eq!(
            describe(&ambiguous)[0].date_formats,
            vec![DateFormat::DmySlash, DateFormat::MdySlash]
        );
    }
}
