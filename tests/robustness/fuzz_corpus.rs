//! Replays the committed fuzz corpus (`fuzz/seeds/<target>/*`) through the public API,
//! decoded exactly as the cargo-fuzz targets decode it (`tests/fuzz_support/`): every
//! input must end in a Report (that serializes) or a typed user error — never a panic,
//! never an `internal` error, never a hang — and give the same bytes run after run.
//!
//! The hang check is a generous budget (60 s per input, where each takes milliseconds):
//! it catches an infinite loop without being sensitive to a slow or busy machine.

use crate::fuzz_support;

use arbitrary::{Arbitrary, Unstructured};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const BUDGET: Duration = Duration::from_secs(60);

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {}", dir.display());
    files
}

/// The outcome as bytes: the Report JSON, or the error kind and message.
fn outcome(data: &[u8], spec: &str) -> Result<Vec<u8>, String> {
    match survlens::Analysis::from_json(spec).run(data) {
        Ok(report) => Ok(serde_json::to_vec(&report).expect("report serializes")),
        Err(e) => {
            assert!(e.is_user_error(), "internal error: {e}");
            assert!(!e.to_string().is_empty(), "empty message for {}", e.kind());
            Err(format!("{}: {e}", e.kind()))
        }
    }
}

/// Run `f` on its own thread; fail on a panic or when it exceeds the budget.
fn bounded(
    name: &str,
    f: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
) -> Result<Vec<u8>, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(BUDGET) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no result within {BUDGET:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: panicked"),
    }
}

/// With `SURVLENS_WASM_CASES=DIR` (scripts/test-web), writes each decoded input and its
/// native outcome (`<name>.csv`, `<name>.spec.json`, `<name>.out`: the Report JSON as
/// the CLI writes it, or `error <kind>: <message>`) for tests/wasm_api.rs.
fn export_for_wasm(target: &str, path: &Path, data: &[u8], spec: &str) {
    let Ok(dir) = std::env::var("SURVLENS_WASM_CASES") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("wasm cases dir");
    let name = format!(
        "{target}-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    );
    std::fs::write(dir.join(format!("{name}.csv")), data).expect("write");
    std::fs::write(dir.join(format!("{name}.spec.json")), spec).expect("write");
    let out = match survlens::Analysis::from_json(spec).run(data) {
        Ok(r) => serde_json::to_string_pretty(&r).expect("json") + "\n",
        Err(e) => format!("error {}: {e}", e.kind()),
    };
    std::fs::write(dir.join(format!("{name}.out")), out).expect("write");
}

fn replay(target: &str, decode: fn(&[u8]) -> (Vec<u8>, String)) -> (usize, usize) {
    let (mut reports, mut errors) = (0, 0);
    for path in corpus(target) {
        let bytes = std::fs::read(&path).expect("read corpus file");
        let (data, spec) = decode(&bytes);
        export_for_wasm(target, &path, &data, &spec);
        let name = path.display().to_string();
        let (d, s) = (data.clone(), spec.clone());
        let first = bounded(&name, move || outcome(&d, &s));
        let second = bounded(&name, move || outcome(&data, &spec));
        assert!(first == second, "{name}: two runs gave different bytes");
        match first {
            Ok(_) => reports += 1,
            Err(_) => errors += 1,
        }
    }
    println!("{target}: {reports} reports, {errors} typed errors");
    (reports, errors)
}

fn decode_ingest(bytes: &[u8]) -> (Vec<u8>, String) {
    let (data, spec) = fuzz_support::bytes_input::split(bytes);
    (data.to_vec(), spec)
}

fn decode_analysis(bytes: &[u8]) -> (Vec<u8>, String) {
    let mut u = Unstructured::new(bytes);
    let dataset = fuzz_support::dataset::Dataset::arbitrary(&mut u).expect("arbitrary dataset");
    let (csv, spec) = dataset.render();
    (csv.into_bytes(), spec)
}

#[test]
fn ingest_corpus_ends_in_report_or_typed_error() {
    let (reports, errors) = replay("ingest", decode_ingest);
    // The corpus holds valid files too: a replay that only ever errs tests nothing.
    assert!(
        reports > 0 && errors > 0,
        "reports {reports}, errors {errors}"
    );
}

#[test]
fn analysis_corpus_ends_in_report_or_typed_error() {
    let (reports, errors) = replay("analysis", decode_analysis);
    assert!(reports > 0, "reports {reports}, errors {errors}");
}

/// Replays an untrusted-file target's corpus (`tests/fuzz_support/sites_input.rs` holds
/// what each input must satisfy): every input twice, the same outcome both times.
fn replay_sites(target: &str, run: fn(&[u8]) -> Result<Vec<u8>, String>) -> (usize, usize) {
    let (mut results, mut errors) = (0, 0);
    for path in corpus(target) {
        let bytes = std::fs::read(&path).expect("read corpus file");
        let name = path.display().to_string();
        let again = bytes.clone();
        let first = bounded(&name, move || run(&bytes));
        let second = bounded(&name, move || run(&again));
        assert!(first == second, "{name}: two runs gave different bytes");
        match first {
            Ok(_) => results += 1,
            Err(_) => errors += 1,
        }
    }
    println!("{target}: {results} results, {errors} typed errors");
    (results, errors)
}

#[test]
fn site_summary_corpus_ends_in_result_or_typed_error() {
    let (results, errors) = replay_sites("site_summary", fuzz_support::sites_input::site_summary);
    assert!(
        results > 0 && errors > 0,
        "results {results}, errors {errors}"
    );
}

#[test]
fn pool_corpus_ends_in_result_or_typed_error() {
    let (results, errors) = replay_sites("pool", fuzz_support::sites_input::pool);
    assert!(
        results > 0 && errors > 0,
        "results {results}, errors {errors}"
    );
}

#[test]
fn protocol_corpus_ends_in_result_or_typed_error() {
    let (results, errors) = replay_sites("protocol", fuzz_support::sites_input::protocol);
    assert!(
        results > 0 && errors > 0,
        "results {results}, errors {errors}"
    );
}
