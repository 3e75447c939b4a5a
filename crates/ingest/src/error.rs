//! Typed input errors: what is wrong, where (column, file line), what to do.
//!
//! Every variant whose cause is one row carries the row's **file line**
//! (header = line 1, as docs/cli.md asks). `kind()` codes are stable
//! snake_case; programs branch on them, never on the message text.

use super::event::EventProblem;
use std::fmt;

/// An input problem. Lines are file lines (header = line 1).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IngestError {
    /// The file holds no table: no bytes, only a byte-order mark / blank lines, or an
    /// empty sheet (`what` says which, for a message that names it).
    EmptyFile { what: Emptiness },
    /// The file has a header line but no data row.
    NoDataRows,
    /// A header cell is empty; `position` is 1-based.
    EmptyHeader { position: usize },
    /// Two header cells have the same name.
    DuplicateHeader { column: String },
    /// A data row has more or fewer cells than the header.
    RaggedRow {
        line: u64,
        expected: usize,
        found: usize,
    },
    /// The CSV reader failed (e.g. a line too long to read); `line` where known.
    MalformedCsv { line: u64, message: String },
    /// A column holds more text than one table column can address (4 GiB).
    TooLarge { column: String },
    /// An Excel workbook that cannot be read (damaged, encrypted, not .xlsx).
    Workbook { message: String },
    /// An Excel workbook reached a build without Excel support (the page's small
    /// WebAssembly module, built without the `xlsx` feature; its worker loads the
    /// full module for workbooks, so this is a fault of the embedding).
    WorkbookNotSupported,
    /// The sheet the spec (or `--sheet`) names is not in the workbook.
    UnknownSheet { sheet: String, sheets: Vec<String> },
    /// The spec names a column the file does not have.
    UnknownColumn {
        column: String,
        available: Vec<String>,
        suggestion: Option<String>,
    },
    /// A cell that must be a number is not one.
    NotNumeric {
        column: String,
        line: u64,
        value: String,
    },
    /// A number too large for a double (`1e309`).
    NumberOverflow {
        column: String,
        line: u64,
        value: String,
    },
    /// A cell that must be a date does not have the expected form.
    BadDate {
        column: String,
        line: u64,
        value: String,
        format: String,
    },
    /// A date of the expected form that does not exist (31/02/2020).
    ImpossibleDate {
        column: String,
        line: u64,
        value: String,
        format: String,
    },
    /// An event token outside the coding (given or detected).
    UnknownEventValue {
        column: String,
        line: u64,
        value: String,
        /// Why the token does not fit.
        problem: super::event::EventProblem,
        /// Every distinct value of the column's used rows with its count, first seen
        /// first (the message lists them so the user can choose).
        found: Vec<(String, usize)>,
    },
    /// The same token is listed in two of the event's lists (`first`, `second`: the spec
    /// keys `values`, `censored_values`, `competing_values`).
    ConflictingEventValues {
        column: String,
        value: String,
        first: &'static str,
        second: &'static str,
    },
    /// A case weight below zero.
    NegativeWeight {
        column: String,
        line: u64,
        value: String,
    },
    /// A reference level that is not among the levels.
    UnknownReference {
        column: String,
        value: String,
        levels: Vec<String>,
    },
    /// `levels` given as an empty list.
    EmptyLevels { column: String },
    /// The file is text in an encoding SurvLens does not read (UTF-16, UTF-32).
    UnsupportedEncoding { encoding: String },
    /// The file is not a text table (NUL bytes, a workbook or other binary format).
    NotText { line: u64, what: String },
    /// The header has a single column: no delimiter was found.
    OneColumn { header: String },
    /// More columns in the header than SurvLens reads (see `limits`).
    TooManyColumns { found: usize, limit: usize },
    /// A column with more distinct values than an analysis allows (see `limits`).
    TooManyLevels {
        column: String,
        found: usize,
        limit: usize,
        analysis: String,
    },
    /// A cell of the column that numbers imported imputed sets is not a whole number
    /// ≥ 0 (or is missing).
    BadImputedSetNumber {
        column: String,
        line: u64,
        value: String,
    },
    /// The column of imputed sets holds set 0 only (the original data): no imputed set.
    NoImputedSets { column: String },
    /// An imported imputed set's survival data (time, event, group, strata, weights,
    /// cluster, rows left out) differ from the first set's, first at `line` (a row of
    /// `set`).
    ImputedSetsDiffer {
        column: String,
        set: u32,
        first_set: u32,
        line: u64,
    },
    /// Every row was left out (missing values, other groups, negative times).
    NoUsableRows {
        n_rows: usize,
        missing: usize,
        other_group: usize,
        negative_time: usize,
    },
}

/// What an empty file holds ([`IngestError::EmptyFile`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emptiness {
    /// No byte at all (0 bytes).
    NoBytes,
    /// Only a byte-order mark, blank lines or spaces.
    BlankLines,
    /// A workbook whose sheet has no cell (or no header cell).
    EmptySheet,
}

impl IngestError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        use IngestError::*;
        match self {
            EmptyFile { .. } => "empty_file",
            NoDataRows => "no_data_rows",
            EmptyHeader { .. } => "empty_header",
            DuplicateHeader { .. } => "duplicate_header",
            RaggedRow { .. } => "ragged_row",
            MalformedCsv { .. } => "malformed_csv",
            TooLarge { .. } => "file_too_large",
            Workbook { .. } => "bad_workbook",
            WorkbookNotSupported => "workbook_not_supported",
            UnknownSheet { .. } => "unknown_sheet",
            UnknownColumn { .. } => "unknown_column",
            NotNumeric { .. } => "not_numeric",
            NumberOverflow { .. } => "number_overflow",
            BadDate { .. } => "bad_date",
            ImpossibleDate { .. } => "impossible_date",
            UnknownEventValue { .. } => "unknown_event_value",
            ConflictingEventValues { .. } => "conflicting_event_values",
            NegativeWeight { .. } => "negative_weight",
            UnknownReference { .. } => "unknown_reference",
            EmptyLevels { .. } => "empty_levels",
            NoUsableRows { .. } => "no_usable_rows",
            UnsupportedEncoding { .. } => "unsupported_encoding",
            NotText { .. } => "not_a_text_table",
            OneColumn { .. } => "too_few_columns",
            TooManyColumns { .. } => "too_many_columns",
            TooManyLevels { .. } => "too_many_levels",
            BadImputedSetNumber { .. } => "bad_imputed_set_number",
            NoImputedSets { .. } => "no_imputed_sets",
            ImputedSetsDiffer { .. } => "imputed_sets_differ",
        }
    }

    /// The column at fault, where there is one.
    pub fn column(&self) -> Option<&str> {
        use IngestError::*;
        match self {
            DuplicateHeader { column }
            | TooLarge { column }
            | UnknownColumn { column, .. }
            | NotNumeric { column, .. }
            | NumberOverflow { column, .. }
            | BadDate { column, .. }
            | ImpossibleDate { column, .. }
            | UnknownEventValue { column, .. }
            | ConflictingEventValues { column, .. }
            | NegativeWeight { column, .. }
            | UnknownReference { column, .. }
            | EmptyLevels { column }
            | TooManyLevels { column, .. }
            | BadImputedSetNumber { column, .. }
            | NoImputedSets { column }
            | ImputedSetsDiffer { column, .. } => Some(column),
            _ => None,
        }
    }

    /// The file line at fault (header = 1), where one row is at fault.
    pub fn line(&self) -> Option<u64> {
        use IngestError::*;
        match self {
            DuplicateHeader { .. } | EmptyHeader { .. } | OneColumn { .. } => Some(1),
            RaggedRow { line, .. }
            | MalformedCsv { line, .. }
            | NotNumeric { line, .. }
            | NumberOverflow { line, .. }
            | BadDate { line, .. }
            | ImpossibleDate { line, .. }
            | UnknownEventValue { line, .. }
            | NegativeWeight { line, .. }
            | BadImputedSetNumber { line, .. }
            | ImputedSetsDiffer { line, .. }
            | NotText { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// At most this many characters of a cell value in a message (a 10 MB cell must not
/// make a 10 MB message).
const MAX_VALUE_CHARS: usize = 60;
/// At most this many names of a list (columns, levels) in a message.
const MAX_LIST_ITEMS: usize = 20;

/// A cell value as messages quote it: at most [`MAX_VALUE_CHARS`] characters, control
/// characters (NUL, line breaks) shown escaped so the message stays one line.
pub(super) fn short(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(MAX_VALUE_CHARS)
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    let n = value.chars().count();
    if n > MAX_VALUE_CHARS {
        out.push_str(&format!("… ({n} characters)"));
    }
    out
}

/// Values with their counts as messages show them: `0 (232 rows), 1 (25 rows)`.
pub(super) fn counts(found: &[(String, usize)], one: &str, many: &str) -> String {
    let items: Vec<String> = found
        .iter()
        .map(|(v, n)| {
            format!(
                "\"{}\" ({n} {})",
                short(v),
                if *n == 1 { one } else { many }
            )
        })
        .collect();
    list(&items)
}

/// A list of names as messages show it: the first [`MAX_LIST_ITEMS`], then how many more.
pub(super) fn list(items: &[String]) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(MAX_LIST_ITEMS)
        .map(|s| short(s))
        .collect();
    let mut out = shown.join(", ");
    if items.len() > MAX_LIST_ITEMS {
        out.push_str(&format!(" and {} more", items.len() - MAX_LIST_ITEMS));
    }
    out
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use IngestError::*;
        match self {
            UnsupportedEncoding { encoding } => write!(f, "the file is {encoding} text, which SurvLens does not read; in Excel use \"Save as\" → \"CSV UTF-8 (comma delimited)\", or save it as UTF-8 in a text editor."),
            NotText { line, what } => write!(f, "the file is not a text table: {what} (line {line}); export the data as CSV (\"Save as\" → \"CSV UTF-8\") and choose that file."),
            OneColumn { header } => write!(f, "only one column was found in the header (line 1): \"{}\"; the file needs a time column and an event column, separated by commas, semicolons or tabs.", short(header)),
            TooManyColumns { found, limit } => write!(f, "the header (line 1) has {found} columns; SurvLens reads at most {limit}; keep the columns the analysis needs (time, event, group, covariates) and export again."),
            TooManyLevels { column, found, limit, analysis } => write!(f, "column \"{}\" has {found} different values; the {analysis} allows at most {limit}; check that this is the intended column (an identifier or free text is not a category), or group its values (recode) first.", short(column)),
            EmptyFile { what: Emptiness::NoBytes } => write!(f, "the file is empty (0 bytes): choose the exported data file, a CSV, TSV or Excel (.xlsx) file with a header line, then one line per patient (an export that stopped early, or a file never saved, has 0 bytes)."),
            EmptyFile { what: Emptiness::BlankLines } => write!(f, "the file is empty: it holds only blank lines, no header and no data; choose the exported data file, a CSV, TSV or Excel (.xlsx) file with a header line, then one line per patient."),
            EmptyFile { what: Emptiness::EmptySheet } => write!(f, "the sheet is empty: no header row and no data; choose the sheet that holds the table, or export it again (a header row, then one row per patient)."),
            NoDataRows => write!(f, "the file has a header line but no data rows; export the patients' rows too."),
            EmptyHeader { position } => write!(f, "column {position} has no name in the header (line 1); give every column a name, or delete the empty column (often a trailing separator)."),
            DuplicateHeader { column } => write!(f, "column \"{}\" appears twice in the header (line 1); rename one of them.", short(column)),
            RaggedRow { line, expected, found } => write!(f, "line {line} has {found} cells but the header has {expected}; check that line for an extra or missing separator, or a value that contains the separator without quotes."),
            MalformedCsv { line, message } => write!(f, "the file cannot be read as a table near line {line} ({message}); export it again as CSV."),
            TooLarge { column } => {
                let column = short(column);
                write!(f, "column \"{column}\" holds more than 4 GiB of text; split the file or remove unused columns.")
            }
            Workbook { message } => write!(f, "the Excel file cannot be read ({message}); save it again as .xlsx (not password-protected), or export the sheet as CSV."),
            WorkbookNotSupported => write!(f, "this build of SurvLens does not read Excel workbooks; open the file in the page (it loads Excel support when needed), or save the sheet as CSV (File → Save As → CSV UTF-8) and open the CSV."),
            UnknownSheet { sheet, sheets } => write!(f, "the workbook has no sheet \"{sheet}\"; its sheets are: {}. Check the sheet name.", sheets.join(", ")),
            UnknownColumn { column, available, suggestion } => {
                write!(f, "column \"{}\" is not in the file", short(column))?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean \"{}\"?)", short(s))?;
                }
                write!(f, "; the file has: {}. Choose one of these columns, or check the spelling in the protocol (spec) file.", list(available))
            }
            NotNumeric { column, line, value } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: \"{}\" is not a number; correct the value, or, if it means unknown, add it to the values read as missing (\"Also read as missing\" on the page; \"missing\" in a protocol file).", short(value))
            }
            NumberOverflow { column, line, value } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: \"{}\" is too large to be a number; correct the value.", short(value))
            }
            BadDate { column, line, value, format } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: \"{}\" is not a date in the format {format}; correct the value, or choose the date format the file uses (\"Date format\" on the page; \"date_format\" in a protocol file).", short(value))
            }
            ImpossibleDate { column, line, value, format } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: \"{}\" is not a real calendar date (format {format}); correct the date, or check the day/month order in date_format.", short(value))
            }
            UnknownEventValue { column, line, value, problem, found } => {
                let column = short(column);
                let value = short(value);
                let found = counts(found, "row", "rows");
                let what = match problem {
                    EventProblem::NotListed => format!("line {line}: the value \"{value}\" is neither among the values marked as the event nor among those marked as censored"),
                    EventProblem::ThreeOrMoreValues => format!("has more than two different values (the first third one, \"{value}\", on line {line}), so SurvLens cannot tell by itself which mean the event; a third value often is another outcome, such as transplant or death from another cause"),
                    EventProblem::NotRecognised => format!("line {line}: the value \"{value}\" is not a coding SurvLens recognises (0/1, 1/2, yes/no, true/false, dead/alive, and the same words in Chinese or German)"),
                };
                write!(f, "column \"{column}\" {what}. Values found: {found}. Mark the values that mean death (the event) and those that mean censored, and run again; in a spec file, list them under \"event\" as \"values\" and \"censored_values\".")
            }
            ConflictingEventValues { column, value, first, second } => {
                let column = short(column);
                let meaning = |list: &str| match list {
                    "values" => "the event",
                    "censored_values" => "censored",
                    _ => "a competing event",
                };
                write!(f, "column \"{column}\": \"{}\" is listed both in \"{first}\" ({}) and in \"{second}\" ({}); keep it in one list only.", short(value), meaning(first), meaning(second))
            }
            NegativeWeight { column, line, value } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: the weight {} is negative; case weights must be 0 or more.", short(value))
            }
            UnknownReference { column, value, levels } => {
                let column = short(column);
                write!(f, "column \"{column}\": the reference \"{}\" is not one of its levels ({}); choose one of these.", short(value), list(levels))
            }
            EmptyLevels { column } => {
                let column = short(column);
                write!(f, "column \"{column}\": the spec's levels list is empty; list the groups to compare, or leave levels out to use every value.")
            }
            BadImputedSetNumber { column, line, value } => {
                let column = short(column);
                write!(f, "column \"{column}\", line {line}: \"{}\" is not the number of an imputed set; this column (named by \"imputation.imputed\") must hold 0 for the original data and 1, 2, … for the imputed sets on every line, as mice's complete(imp, \"long\", include = TRUE) writes it.", short(value))
            }
            NoImputedSets { column } => {
                let column = short(column);
                write!(f, "column \"{column}\" holds set 0 (the original data) only, so the file has no imputed set to pool; export the imputed sets too (mice: complete(imp, \"long\", include = TRUE)), or leave out \"imputed\" to let SurvLens impute.")
            }
            ImputedSetsDiffer { column, set, first_set, line } => {
                let column = short(column);
                write!(f, "imputed set {set} (column \"{column}\") does not hold the same patients as set {first_set}: from line {line} its follow-up time, event, group, strata, weights, cluster or the rows left out differ. Every set must repeat the same rows in the same order, with only the covariates imputed; export the sets again from one imputation.")
            }
            NoUsableRows { n_rows, missing, other_group, negative_time } => write!(f, "no row can be analysed: all {n_rows} rows were left out ({missing} with missing values, {other_group} in other groups, {negative_time} with negative follow-up); check the missing tokens, the group levels and the time columns."),
        }
    }
}

impl std::error::Error for IngestError {}
