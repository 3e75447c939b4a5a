//! The repository documents itself: no file outside `docs/` cites a document that lives
//! outside the repository (the team's briefs, absent from a clone), and every warning
//! code the code can emit is described in `docs/results.md`; the spec's syntax error points
//! to `docs/spec.md` and the page's controls.
//!
//! Warning codes are the contract's `WarningCode` enum (`WarningCode::ALL`): a code is
//! written once, and every one must be described here and have a text in the catalogue
//! (`survlens::messages::WARNINGS`, checked by the text crate's tests).

use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Folders that are build output or third-party code, never the repository's own text.
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", "pkg", "pkg-xlsx", "docs"];

/// Every file under `dir`, build output and `docs/` left out.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !SKIPPED_DIRS.iter().any(|s| name == *s) {
                files_under(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

/// The names of the outside documents, built so that this file does not mention them.
fn outside_documents() -> Vec<String> {
    ["CONTRACT", "METHODS", "ARCHITECTURE", "TOOLCHAIN"]
        .iter()
        .map(|name| format!("{name}.md"))
        .collect()
}

#[test]
fn no_file_outside_docs_cites_an_outside_document() {
    let mut files = Vec::new();
    files_under(Path::new(ROOT), &mut files);
    assert!(files.len() > 100, "found only {} files", files.len());
    let names = outside_documents();
    let mut citing = Vec::new();
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for name in &names {
            if text.contains(name.as_str()) {
                citing.push(format!("{} cites {name}", path.display()));
            }
        }
    }
    assert!(
        citing.is_empty(),
        "cite docs/ instead of a document outside the repository:\n{}",
        citing.join("\n")
    );
}

#[test]
fn every_warning_code_is_described_in_docs_results() {
    let codes = survlens::contract::warning::WarningCode::ALL;
    assert!(codes.len() >= 30, "only {} warning codes", codes.len());
    let results = std::fs::read_to_string(Path::new(ROOT).join("docs/results.md"))
        .unwrap_or_else(|e| panic!("docs/results.md: {e}"));
    let missing: Vec<_> = codes
        .iter()
        .filter(|code| !results.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "warning codes not described in docs/results.md: {missing:?}"
    );
}

/// A spec that is not valid JSON sends the user to something they have: the page's
/// controls or `docs/spec.md` in the repository, in both languages.
#[test]
fn the_spec_syntax_error_points_to_the_repositorys_own_spec() {
    let Err(error) = survlens::Spec::from_json("{\"time\": ") else {
        panic!("a truncated spec parsed");
    };
    let error = survlens::Error::Spec(error);
    for lang in [
        survlens::report_html::Lang::En,
        survlens::report_html::Lang::Zh,
    ] {
        let text = survlens::messages::error_text(&error, lang);
        assert!(text.contains("docs/spec.md"), "{text}");
        assert!(
            outside_documents()
                .iter()
                .all(|d| !text.contains(d.as_str())),
            "{text}"
        );
    }
    let en = survlens::messages::error_text(&error, survlens::report_html::Lang::En);
    assert!(en.contains("the page's controls"), "{en}");
}
