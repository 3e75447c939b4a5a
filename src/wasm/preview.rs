//! The preview behind the mapping form: the first rows, each column's detected
//! type and values, and guesses for time, event and group. Reads only the head
//! of the file (a 200 MB file previews as fast as a small one).
//!
//! The JS side does no CSV parsing: the form is filled from this.

use crate::ingest::{read_table, IngestError, RawTable};
use serde::Serialize;
use std::collections::HashMap;

/// Rows scanned for types and distinct values.
const SCAN_ROWS: usize = 5000;
/// Distinct values listed per column (for the event / group pickers).
const MAX_DISTINCT: usize = 24;

#[derive(Debug, Serialize)]
pub struct Preview {
    pub delimiter: String,
    pub encoding: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Data rows read for the types (at most 5000).
    pub n_scanned: usize,
    pub columns: Vec<ColumnInfo>,
    pub guess: Guess,
}

#[derive(Debug, Serialize)]
pub struct ColumnInfo {
    pub name: String,
    /// number | date | text | empty
    pub kind: &'static str,
    /// For dates: the contract's format string.
    pub date_format: Option<&'static str>,
    pub missing: usize,
    /// Up to 24 values, most frequent first (ties: first seen).
    pub values: Vec<String>,
    pub n_distinct: usize,
}

#[derive(Debug, Serialize, Default)]
pub struct Guess {
    /// duration | dates
    pub time_mode: &'static str,
    pub time: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub date_format: Option<&'static str>,
    pub event: Option<String>,
    pub event_values: Vec<String>,
    pub group: Option<String>,
}

/// Why no preview: `kind` is a stable code, `message` says what to do.
#[derive(Debug)]
pub struct PreviewError {
    pub kind: &'static str,
    pub message: String,
    /// The same in Simplified Chinese (the page's language switch).
    pub message_zh: String,
}

impl From<IngestError> for PreviewError {
    fn from(e: IngestError) -> Self {
        PreviewError {
            kind: e.kind(),
            message: e.to_string(),
            message_zh: e.message_zh(),
        }
    }
}

const MISSING: [&str; 6] = ["", "NA", "N/A", "NaN", ".", "null"];

/// Reads the head of the file with the same reader as the analysis
/// ([`crate::ingest::read_table`]: delimiter, encoding, quotes, line numbers).
pub fn preview(data: &[u8], n_rows: usize) -> Result<Preview, PreviewError> {
    // A workbook (zip) is binary: read_head reads it, or says this build cannot.
    if !crate::ingest::table::is_workbook(data) && data.iter().take(4096).any(|&b| b == 0) {
        return Err(PreviewError { kind: "not_text", message: "The file is not a text table. Choose a CSV, TSV or Excel (.xlsx) file (one row per patient, a header row).".into(), message_zh: "该文件不是文本表格。请选择 CSV、TSV 或 Excel（.xlsx）文件（首行为表头，每名患者一行）。".into() });
    }
    let table = read_head(data)?;
    if table.n_cols() < 2 {
        let first = table.headers.first().cloned().unwrap_or_default();
        return Err(PreviewError { kind: "too_few_columns", message: format!("Only one column was found (\"{first}\"). The file needs a time column and an event column, separated by commas, semicolons or tabs."), message_zh: format!("只找到一列（“{first}”）。文件至少需要时间列和事件列，以逗号、分号或制表符分隔。") });
    }
    let scanned = table.n_rows().min(SCAN_ROWS);
    let cell = |c: usize, r: usize| table.cell(c, r).trim().to_string();
    let rows = (0..scanned.min(n_rows))
        .map(|r| (0..table.n_cols()).map(|c| cell(c, r)).collect())
        .collect();
    let columns: Vec<ColumnInfo> = (0..table.n_cols())
        .map(|c| {
            let values: Vec<String> = (0..scanned).map(|r| cell(c, r)).collect();
            describe(&table.headers[c], &values, table.decimal_comma())
        })
        .collect();
    let encoding = if table.warnings.iter().any(|w| w.code == "encoding_fallback") {
        "Windows-1252"
    } else {
        "UTF-8"
    };
    let guess = guess(&columns);
    Ok(Preview {
        delimiter: (table.delimiter() as char).to_string(),
        encoding: encoding.into(),
        headers: table.headers.clone(),
        rows,
        n_scanned: scanned,
        columns,
        guess,
    })
}

/// The first ~4 MB, cut after a line end (the whole file when the cut does not parse).
/// A workbook is read whole (its first sheet, as the analysis reads it); a build
/// without the `xlsx` feature answers [`IngestError::WorkbookNotSupported`].
fn read_head(data: &[u8]) -> Result<RawTable, IngestError> {
    const HEAD: usize = 4 << 20;
    if data.len() > HEAD && !crate::ingest::table::is_workbook(data) {
        if let Some(end) = data[..HEAD].iter().rposition(|&b| b == b'\n') {
            if let Ok(t) = read_table(&data[..=end]) {
                return Ok(t);
            }
        }
    }
    read_table(data)
}

fn is_number(s: &str, decimal_comma: bool) -> bool {
    let s = if decimal_comma {
        s.replace(',', ".")
    } else {
        s.to_string()
    };
    s.parse::<f64>().is_ok_and(|v| v.is_finite())
}

/// The date format of `s`, if it is a date: (format, first field, second field).
fn date_shape(s: &str) -> Option<(&'static str, u32, u32)> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let sep = s.chars().find(|c| !c.is_ascii_digit())?;
    match (sep, parts[0].len(), parts[2].len()) {
        ('-', 4, _) => Some(("%Y-%m-%d", n[1], n[2])),
        ('/', _, 4) => Some(("%d/%m/%Y", n[0], n[1])),
        ('.', _, 4) => Some(("%d.%m.%Y", n[0], n[1])),
        _ => None,
    }
}

fn describe(name: &str, values: &[String], decimal_comma: bool) -> ColumnInfo {
    let present: Vec<&str> = values
        .iter()
        .map(|s| s.as_str())
        .filter(|s| !MISSING.contains(s))
        .collect();
    let missing = values.len() - present.len();
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, v) in present.iter().enumerate() {
        counts.entry(v).or_insert((0, i)).0 += 1;
    }
    let mut distinct: Vec<(&str, usize, usize)> = counts
        .iter()
        .map(|(k, &(n, first))| (*k, n, first))
        .collect();
    distinct.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let (kind, date_format) = if present.is_empty() {
        ("empty", None)
    } else if present.iter().all(|v| is_number(v, decimal_comma)) {
        ("number", None)
    } else if let Some(fmt) = date_format(&present) {
        ("date", Some(fmt))
    } else {
        ("text", None)
    };
    ColumnInfo {
        name: name.to_string(),
        kind,
        date_format,
        missing,
        n_distinct: distinct.len(),
        values: distinct
            .iter()
            .take(MAX_DISTINCT)
            .map(|d| d.0.to_string())
            .collect(),
    }
}

fn date_format(present: &[&str]) -> Option<&'static str> {
    let shapes: Option<Vec<_>> = present.iter().map(|v| date_shape(v)).collect();
    let shapes = shapes?;
    let fmt = shapes[0].0;
    if shapes.iter().any(|s| s.0 != fmt) {
        return None;
    }
    if fmt == "%d/%m/%Y" && shapes.iter().all(|s| s.1 <= 12) && shapes.iter().any(|s| s.2 > 12) {
        return Some("%m/%d/%Y");
    }
    Some(fmt)
}

fn name_has(name: &str, words: &[&str]) -> bool {
    let n = name.to_lowercase();
    words.iter().any(|w| n.contains(w))
}

fn guess(cols: &[ColumnInfo]) -> Guess {
    let mut g = Guess {
        time_mode: "duration",
        ..Default::default()
    };
    let find =
        |pred: &dyn Fn(&ColumnInfo) -> bool| cols.iter().find(|c| pred(c)).map(|c| c.name.clone());
    g.event = find(&|c| {
        c.n_distinct <= 4
            && c.n_distinct >= 1
            && name_has(
                &c.name,
                &[
                    "status", "event", "death", "dead", "vital", "censor", "died", "outcome",
                ],
            )
    })
    .or_else(|| {
        find(&|c| {
            c.n_distinct == 2 && c.kind == "number" && c.values.iter().all(|v| v == "0" || v == "1")
        })
    });
    let time_words = [
        "time", "month", "os", "pfs", "follow", "surv", "days", "years", "weeks", "duration", "fu",
    ];
    g.time = find(&|c| {
        c.kind == "number" && Some(&c.name) != g.event.as_ref() && name_has(&c.name, &time_words)
    })
    .or_else(|| {
        find(&|c| c.kind == "number" && Some(&c.name) != g.event.as_ref() && c.n_distinct > 10)
    });
    let dates: Vec<&ColumnInfo> = cols.iter().filter(|c| c.kind == "date").collect();
    if dates.len() >= 2 {
        let start = dates
            .iter()
            .find(|c| {
                name_has(
                    &c.name,
                    &[
                        "diag", "start", "entry", "baseline", "rand", "surg", "enrol", "begin",
                    ],
                )
            })
            .unwrap_or(&dates[0]);
        let end = dates
            .iter()
            .find(|c| {
                c.name != start.name
                    && name_has(
                        &c.name,
                        &[
                            "last", "death", "end", "contact", "follow", "exit", "censor",
                        ],
                    )
            })
            .or_else(|| dates.iter().find(|c| c.name != start.name))
            .unwrap_or(&dates[1]);
        g.start = Some(start.name.clone());
        g.end = Some(end.name.clone());
        g.date_format = start.date_format;
        if g.time.is_none() {
            g.time_mode = "dates";
        }
    }
    if let Some(ev) = cols.iter().find(|c| Some(&c.name) == g.event.as_ref()) {
        g.event_values = event_values(&ev.values);
    }
    let taken =
        |c: &ColumnInfo| Some(&c.name) == g.event.as_ref() || Some(&c.name) == g.time.as_ref();
    g.group = find(&|c| {
        !taken(c)
            && (2..=8).contains(&c.n_distinct)
            && name_has(
                &c.name,
                &[
                    "treat", "arm", "group", "therapy", "cohort", "regimen", "tx",
                ],
            )
    })
    .or_else(|| find(&|c| !taken(c) && c.kind == "text" && (2..=6).contains(&c.n_distinct)));
    g
}

/// The tokens that mean "event" when the coding is recognisable; empty otherwise.
fn event_values(values: &[String]) -> Vec<String> {
    let set: Vec<String> = values.iter().map(|v| v.to_lowercase()).collect();
    let all_in = |allowed: &[&str]| set.iter().all(|v| allowed.contains(&v.as_str()));
    if all_in(&["0", "1"]) {
        return vec!["1".into()];
    }
    if all_in(&["1", "2"]) {
        return vec!["2".into()];
    }
    let words = [
        "dead",
        "died",
        "death",
        "deceased",
        "yes",
        "true",
        "event",
        "relapse",
        "progression",
    ];
    values
        .iter()
        .filter(|v| words.contains(&v.to_lowercase().as_str()))
        .cloned()
        .collect()
}
