//! The layers of the workspace, checked: each crate depends only on the crates below it
//! and on the outside crates its job needs. The compiler enforces what a manifest allows
//! (a `use survlens_contract` in the statistics core does not compile, because the core's
//! manifest does not name the contract); this test keeps the manifests from growing the
//! forbidden arrows back:
//!
//! ```text
//! root (wasm shell, CLI) ─▶ render ─▶ text ─▶ contract ─▶ stats ─▶ timing
//!                        └─▶ analysis ─▶ ingest ─┘
//! ```
//!
//! * stats: numbers in, fits out: no serde, no JSON, no contract;
//! * render (figures, HTML report, R script) reads the typed results: no serde_json, so
//!   no results read back as `serde_json::Value` by key; no analysis, no ingest.
//!
//! The manifests are read line by line (the `[dependencies]` table's keys): they are
//! ours and written in one style, so a TOML parser would add a dependency for nothing.

use std::collections::BTreeSet;
use std::path::Path;

/// The `[dependencies]` names of a crate's manifest.
fn dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut in_deps = false;
    let mut names = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && !line.is_empty() && !line.starts_with('#') {
            let key = line.split(['=', '.']).next().unwrap_or("").trim();
            names.insert(key.to_string());
        }
    }
    names
}

fn crate_deps(name: &str) -> BTreeSet<String> {
    dependencies(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates")
            .join(name)
            .join("Cargo.toml"),
    )
}

/// What each crate may depend on.
const ALLOWED: &[(&str, &[&str])] = &[
    ("timing", &["serde_json"]),
    ("stats", &["libm", "rustc-hash", "survlens-timing"]),
    (
        "contract",
        &["serde", "serde_json", "schemars", "sha2", "survlens-stats"],
    ),
    (
        "ingest",
        &[
            "survlens-contract",
            "survlens-stats",
            "survlens-timing",
            "serde",
            "serde_json",
            "csv",
            "chrono",
            "rustc-hash",
            "calamine",
        ],
    ),
    (
        "text",
        &["survlens-contract", "survlens-stats", "serde", "serde_json"],
    ),
    (
        "analysis",
        &[
            "survlens-contract",
            "survlens-ingest",
            "survlens-stats",
            "survlens-text",
            "survlens-timing",
            "serde",
            "serde_json",
            "rustc-hash",
        ],
    ),
    (
        "render",
        &[
            "survlens-contract",
            "survlens-text",
            "survlens-stats",
            "serde",
            "plotters",
            "sha2",
        ],
    ),
];

#[test]
fn every_crate_depends_only_on_its_layers() {
    let crates_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates");
    let mut on_disk: Vec<String> = std::fs::read_dir(&crates_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = ALLOWED.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every crate of crates/ has its layer here");
    for (name, allowed) in ALLOWED {
        let extra: Vec<String> = crate_deps(name)
            .into_iter()
            .filter(|d| !allowed.contains(&d.as_str()))
            .collect();
        assert!(
            extra.is_empty(),
            "crates/{name} depends on {extra:?}, outside its layer"
        );
    }
}

#[test]
fn the_forbidden_arrows_are_absent() {
    let stats = crate_deps("stats");
    for d in ["serde", "serde_json", "survlens-contract"] {
        assert!(
            !stats.contains(d),
            "the statistics core must not depend on {d}"
        );
    }
    let render = crate_deps("render");
    for d in ["serde_json", "survlens-analysis", "survlens-ingest"] {
        assert!(!render.contains(d), "render must not depend on {d}");
    }
}
