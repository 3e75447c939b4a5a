//! The quote-free fast path of `read_table` (crates/ingest/src/plain.rs) against the `csv`
//! reader (`read_table_with_csv`): thousands of generated small files — delimiters
//! `,` `;` tab, empty cells, blank and whitespace lines, `\n` / `\r\n` / `\r` mixes,
//! missing final line end, ragged rows, BOMs, non-UTF-8 bytes, unicode — must give
//! the same `RawTable` (headers, cells, lines, warnings, delimiter) or the same error.

use survlens::ingest::table::read_table_with_csv;
use survlens::ingest::{read_table, IngestError};

/// A small deterministic PRNG (splitmix64): the same files on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a [u8]]) -> &'a [u8] {
        items[self.below(items.len())]
    }
}

const LINE_ENDS: &[&[u8]] = &[b"\n", b"\n", b"\r\n", b"\r\n", b"\r", b"\r\r\n", b"\n\r"];
const BLANKS: &[&[u8]] = &[b"", b"", b"", b"", b" ", b"  ", b"\t", b"\x0c", b" \t "];
const PIECES: &[&[u8]] = &[
    b"1",
    b"42",
    b"3.5",
    b"2,5",
    b"-0.25",
    b"NA",
    b" ",
    b"x",
    b"IM+HR",
    b"No",
    b"\xc3\xa9",
    b"\xe4\xb8\xad",
    b"\xf0\x9f\x98\x80",
    b"\xe9",
    b"\x80",
    b"\xff",
    b"\t",
    b";",
    b",",
    b"\xef\xbb\xbf",
    b"patient P0000001 with a long note",
];

/// One cell: 0–3 pieces (may hold other delimiters, which then split the cell).
fn cell(rng: &mut Rng, out: &mut Vec<u8>) {
    let n = [0, 1, 1, 1, 2, 3][rng.below(6)];
    for _ in 0..n {
        out.extend_from_slice(rng.pick(PIECES));
    }
}

/// One random file; `quotes` lets a `"` in (that file then goes through csv as well).
fn file(rng: &mut Rng, quotes: bool) -> Vec<u8> {
    let delim: &[u8] = [&b","[..], b";", b"\t"][rng.below(3)];
    let mut out = Vec::new();
    if rng.chance(2) {
        // Nothing but marks, blanks and line ends.
        for _ in 0..rng.below(4) {
            out.extend_from_slice(rng.pick(&[b"\xef\xbb\xbf", b" ", b"\t", b"\n", b"\r"]));
        }
        return out;
    }
    if rng.chance(10) {
        out.extend_from_slice(b"\xef\xbb\xbf");
        if rng.chance(20) {
            out.extend_from_slice(b"\xef\xbb\xbf");
        }
    }
    for _ in 0..[0, 0, 0, 1, 2][rng.below(5)] {
        out.extend_from_slice(rng.pick(LINE_ENDS));
    }
    let cols = 1 + rng.below(5);
    let names: [&[u8]; 8] = [
        b"time",
        b"status",
        b" arm ",
        b"age",
        b"x",
        b"\xc3\xa9t",
        b"w",
        b"",
    ];
    for c in 0..cols {
        if c > 0 {
            out.extend_from_slice(delim);
        }
        let name = if rng.chance(3) {
            names[rng.below(8)]
        } else {
            names[c]
        };
        out.extend_from_slice(name);
    }
    for _ in 0..rng.below(9) {
        out.extend_from_slice(rng.pick(LINE_ENDS));
        if rng.chance(8) {
            out.extend_from_slice(rng.pick(BLANKS));
            continue;
        }
        let found = match rng.below(60) {
            0 => cols + 1,
            1 => cols.saturating_sub(1).max(1),
            _ => cols,
        };
        for c in 0..found {
            if c > 0 {
                out.extend_from_slice(delim);
            }
            cell(rng, &mut out);
        }
        if quotes && rng.chance(30) {
            out.extend_from_slice(b"\"q\"");
        }
    }
    if rng.chance(60) {
        out.extend_from_slice(rng.pick(LINE_ENDS));
    }
    if rng.chance(10) {
        out.extend_from_slice(rng.pick(BLANKS));
    }
    out
}

fn kind(r: &Result<survlens::ingest::RawTable, IngestError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(IngestError::RaggedRow { .. }) => "ragged",
        Err(IngestError::NoDataRows) => "no_rows",
        Err(IngestError::EmptyFile { .. }) => "empty",
        Err(IngestError::EmptyHeader { .. }) => "empty_header",
        Err(IngestError::DuplicateHeader { .. }) => "duplicate_header",
        Err(_) => "other",
    }
}

#[test]
fn fast_path_equals_csv_reader_on_generated_files() {
    let mut rng = Rng(7);
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    let mut non_utf8 = 0;
    for i in 0..20_000 {
        let bytes = file(&mut rng, i % 10 == 0);
        let fast = read_table(&bytes);
        let slow = read_table_with_csv(&bytes);
        assert_eq!(
            fast,
            slow,
            "file {i}: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        *seen.entry(kind(&fast)).or_default() += 1;
        non_utf8 += usize::from(fast.as_ref().is_ok_and(|t| !t.warnings.is_empty()));
    }
    // The generator reaches every outcome (else the comparison proves little).
    for k in [
        "ok",
        "ragged",
        "no_rows",
        "empty",
        "empty_header",
        "duplicate_header",
    ] {
        assert!(seen.get(k).copied().unwrap_or(0) >= 20, "{k}: {seen:?}");
    }
    assert!(seen["ok"] >= 5_000, "{seen:?}");
    assert!(non_utf8 >= 500, "{non_utf8}");
}

#[test]
fn tricky_line_ends_and_blank_lines() {
    let cases: &[&[u8]] = &[
        b"a,b\r\r\n1,2\r\r\n\r\n3,4",
        b"a,b\n\n\n1,2\n \n",
        b"a\n \n\t\n\n1",
        b"a\tb\n\t\n1\t2\n",
        b"a;b\r1;\r;2\r\r",
        b"a,b\n1,2,",
        b"a,b\n1,",
        b"a,b",
        b"a,b\n\r\n\r",
        b"\r\n\r\na,b\r\n1,2",
        b"\n\r\na\n\r1\n\r",
        b"a,b\n,\n,\n",
        b"a\n\xe9\n\xff\xfe\n",
        b"\xef\xbb\xbf\xef\xbb\xbfa,b\n1,2\n",
        b" a , b \n1,2\n",
        b"a,,b\n1,2,3\n",
        b"a,b\n1,2\n3\n",
        b"a,b\n1,2\n3,4,5\n",
        b"a,b\n1,23456789012345678901234567890\n12345678901234567,2",
        b"a,b\n1,2\n\x0c\n",
    ];
    for &bytes in cases {
        assert_eq!(
            read_table(bytes),
            read_table_with_csv(bytes),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let t = read_table(b"a,b\r\r\n1,2\r\r\n\r\n3,4").unwrap();
    assert_eq!(t.lines(), &[3, 6]);
    assert_eq!(t.cell(1, 1), "4");
}

/// Past the rows that size the columns: later rows much wider than the first ones
/// (the columns grow), short and long cells, and the last cells of the file (fewer
/// than 16 bytes left to copy from).
#[test]
fn large_files_with_growing_rows() {
    let mut rng = Rng(11);
    for (rows, end) in [(999, "\n"), (1000, "\r\n"), (1001, "\r"), (5000, "\n")] {
        let mut text = String::from("id;note;x\n");
        for r in 0..rows {
            let width = if r < 1000 { 1 } else { 1 + rng.below(40) };
            let note = "n".repeat(width);
            text.push_str(&format!("{r};{note};{}{end}", rng.below(1000)));
            if rng.chance(1) {
                text.push_str(end);
            }
        }
        text.push_str("last;z;9");
        let bytes = text.as_bytes();
        let fast = read_table(bytes).unwrap();
        assert_eq!(Ok(&fast), read_table_with_csv(bytes).as_ref());
        assert_eq!(fast.n_rows(), rows + 1);
        assert_eq!(fast.cell(2, rows), "9");
        assert_eq!(fast.delimiter(), b';');
    }
}
