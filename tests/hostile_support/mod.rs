//! The harness of the hostile-input catalogue (tests/robustness/hostile_input.rs,
//! tests/robustness/hostile_more.rs): each case runs through the library (`Analysis`) and the
//! CLI and must end in a Report (with given warning codes) or a typed error whose
//! one-line message mentions given strings.
#![allow(dead_code)] // each test binary uses part of it

use std::process::Command;

/// What a case must give.
pub enum Expect {
    /// A Report (with these warning codes among its warnings).
    Report(&'static [&'static str]),
    /// An error of this kind whose message mentions each string.
    Error(&'static str, Vec<String>),
}

pub struct Case {
    pub name: &'static str,
    pub data: Vec<u8>,
    pub spec: String,
    pub expect: Expect,
}

pub fn err(kind: &'static str, mentions: &[&str]) -> Expect {
    Expect::Error(kind, mentions.iter().map(|s| s.to_string()).collect())
}

pub fn case(
    name: &'static str,
    data: impl Into<Vec<u8>>,
    spec: impl Into<String>,
    expect: Expect,
) -> Case {
    Case {
        name,
        data: data.into(),
        spec: spec.into(),
        expect,
    }
}

/// A message a clinician can act on: one line, short, and it says what to do.
pub fn check_message(name: &str, message: &str, mentions: &[String], failures: &mut Vec<String>) {
    if message.len() > 1_000 || message.contains('\n') {
        failures.push(format!(
            "{name}: message too long or not one line ({} bytes)",
            message.len()
        ));
    }
    for m in mentions {
        if !message.contains(m.as_str()) {
            failures.push(format!("{name}: message does not mention {m:?}: {message}"));
        }
    }
}

pub fn check_library(c: &Case, failures: &mut Vec<String>) {
    match (
        survlens::Analysis::from_json(&c.spec).run(&c.data),
        &c.expect,
    ) {
        (Ok(report), Expect::Report(codes)) => {
            for code in *codes {
                if !report.warnings.iter().any(|w| w.code == *code) {
                    failures.push(format!("{}: no warning {code}", c.name));
                }
            }
        }
        (Err(e), Expect::Error(kind, mentions)) => {
            if e.kind() != *kind {
                failures.push(format!(
                    "{}: kind {} (expected {kind}): {e}",
                    c.name,
                    e.kind()
                ));
            }
            check_message(c.name, &e.to_string(), mentions, failures);
        }
        (Ok(_), Expect::Error(kind, _)) => {
            failures.push(format!("{}: a report, expected {kind}", c.name))
        }
        (Err(e), Expect::Report(_)) => {
            failures.push(format!("{}: {} error: {e}", c.name, e.kind()))
        }
    }
}

pub fn check_cli(c: &Case, dir: &std::path::Path, i: usize, failures: &mut Vec<String>) {
    let data = dir.join(format!("{i}.csv"));
    let spec = dir.join(format!("{i}.json"));
    std::fs::write(&data, &c.data).expect("write data");
    std::fs::write(&spec, &c.spec).expect("write spec");
    let out = Command::new(env!("CARGO_BIN_EXE_survlens"))
        .args([
            "analyze".as_ref(),
            data.as_os_str(),
            "--spec".as_ref(),
            spec.as_os_str(),
        ])
        .output()
        .expect("run survlens");
    let stderr = String::from_utf8_lossy(&out.stderr);
    match &c.expect {
        Expect::Report(_) if out.status.code() == Some(0) && !out.stdout.is_empty() => {}
        Expect::Error(_, mentions) if out.status.code() == Some(2) && out.stdout.is_empty() => {
            if !stderr.lines().all(|l| l.starts_with("error: ")) {
                failures.push(format!(
                    "{} (CLI): stderr lines must start with 'error: '",
                    c.name
                ));
            }
            check_message(c.name, stderr.trim_end(), mentions, failures);
        }
        _ => failures.push(format!(
            "{} (CLI): exit {:?}, stderr {stderr}",
            c.name,
            out.status.code()
        )),
    }
}

/// Runs every case through the library and the CLI; panics with every failure.
pub fn run_all(cases: &[Case], tag: &str) {
    let dir = std::env::temp_dir().join(format!("survlens-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        check_library(c, &mut failures);
        check_cli(c, &dir, i, &mut failures);
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
