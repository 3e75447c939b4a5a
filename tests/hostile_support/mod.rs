//! The harness of the hostile-input catalogue (tests/robustness/hostile_input.rs,
//! tests/robustness/hostile_more.rs, tests/robustness/hostile_sites.rs): each case runs
//! through the library and the CLI and must end in a Report (with given warning codes) or
//! a typed error whose one-line message mentions given strings, and whose Chinese message
//! exists and is Chinese (no English sentence in it).
//!
//! With `SURVLENS_HOSTILE_CASES=DIR`, [`run_all`] also writes its cases there (one
//! `<tag>.json` index and a data file per case) for the page's test,
//! tests/browser/hostile.test.mjs: the catalogue has one source, this one.
#![allow(dead_code)] // each test binary uses part of it

use std::process::Command;
use survlens::analysis::sites::{self, SitesError};
use survlens::messages::Lang;

/// What a case must give.
pub enum Expect {
    /// A Report (with these warning codes among its warnings).
    Report(&'static [&'static str]),
    /// An error of this kind whose message mentions each string.
    Error(&'static str, Vec<String>),
}

/// How a case runs.
pub enum Run {
    /// `survlens analyze DATA --spec SPEC` (the page: Analyze).
    Analyze,
    /// `survlens site DATA --spec PROTOCOL --site NAME` (the page: Export site summary).
    Site(&'static str),
    /// `survlens pool FILE...` of these files (name, bytes) (the page: Combine site
    /// summaries); `data` and `spec` are unused.
    Pool(Vec<(String, Vec<u8>)>),
}

pub struct Case {
    pub name: &'static str,
    pub data: Vec<u8>,
    pub spec: String,
    pub expect: Expect,
    pub run: Run,
}

pub fn err(kind: &'static str, mentions: &[&str]) -> Expect {
    Expect::Error(kind, mentions.iter().map(|s| s.to_string()).collect())
}

/// A case that runs as `survlens site` with the site name `site`.
pub fn site_case(
    name: &'static str,
    data: impl Into<Vec<u8>>,
    protocol: impl Into<String>,
    site: &'static str,
    expect: Expect,
) -> Case {
    Case {
        run: Run::Site(site),
        ..case(name, data, protocol, expect)
    }
}

/// A case that runs as `survlens pool` on `files`.
pub fn pool_case(name: &'static str, files: Vec<(String, Vec<u8>)>, expect: Expect) -> Case {
    Case {
        run: Run::Pool(files),
        ..case(name, Vec::new(), String::new(), expect)
    }
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
        run: Run::Analyze,
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

/// The Chinese message: there, not the English one, and no English sentence in it (four
/// English words in a row, outside quotes; names such as `survlens site` are fine).
pub fn check_chinese(name: &str, en: &str, zh: &str, failures: &mut Vec<String>) {
    let cjk = zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if zh.is_empty() || zh == en || !cjk {
        failures.push(format!("{name}: no Chinese message: {zh}"));
        return;
    }
    // Quoted names (“…”, "…") are the user's own words.
    let mut outside = String::new();
    let mut quoted = false;
    for ch in zh.chars() {
        match ch {
            '“' | '”' | '"' => {
                quoted = ch == '“' || (ch == '"' && !quoted);
                outside.push(' ');
            }
            _ if quoted => {}
            _ => outside.push(ch),
        }
    }
    let mut run = 0;
    for w in outside.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')) {
        if w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
            run += 1;
            if run >= 4 {
                failures.push(format!("{name}: English in the Chinese message: {zh}"));
                return;
            }
        } else if !w.is_empty() || run > 0 {
            run = 0;
        }
    }
}

/// A case's outcome in the library: the Report's warning codes, or the error's kind and
/// its message in English and Chinese.
pub fn outcome(c: &Case) -> Result<Vec<String>, (String, String, String)> {
    let sites_err = |e: SitesError| {
        (
            e.kind().to_string(),
            e.message(Lang::En),
            e.message(Lang::Zh),
        )
    };
    match &c.run {
        Run::Analyze => match survlens::Analysis::from_json(&c.spec).run(&c.data) {
            Ok(report) => Ok(report
                .warnings
                .iter()
                .map(|w| w.code.as_str().to_string())
                .collect()),
            Err(e) => Err((
                e.kind().to_string(),
                e.to_string(),
                survlens::messages::error_text(&e, Lang::Zh),
            )),
        },
        Run::Site(site) => {
            let spec =
                survlens::Spec::from_json(&c.spec).map_err(|e| sites_err(SitesError::from(e)))?;
            sites::site_summary(&c.data, &spec, site, None)
                .map(|s| {
                    s.warnings
                        .iter()
                        .map(|w| w.code.as_str().to_string())
                        .collect()
                })
                .map_err(sites_err)
        }
        Run::Pool(files) => {
            let summaries = files
                .iter()
                .map(|(name, bytes)| sites::read_summary(name, bytes))
                .collect::<Result<Vec<_>, _>>()
                .map_err(sites_err)?;
            sites::pool(&summaries)
                .map(|p| {
                    p.warnings
                        .iter()
                        .map(|w| w.code.as_str().to_string())
                        .collect()
                })
                .map_err(sites_err)
        }
    }
}

pub fn check_library(c: &Case, failures: &mut Vec<String>) {
    match (outcome(c), &c.expect) {
        (Ok(warnings), Expect::Report(codes)) => {
            for code in *codes {
                if !warnings.iter().any(|w| w == code) {
                    failures.push(format!("{}: no warning {code}", c.name));
                }
            }
        }
        (Err((k, en, zh)), Expect::Error(kind, mentions)) => {
            if k != *kind {
                failures.push(format!("{}: kind {k} (expected {kind}): {en}", c.name));
            }
            check_message(c.name, &en, mentions, failures);
            check_chinese(c.name, &en, &zh, failures);
        }
        (Ok(_), Expect::Error(kind, _)) => {
            failures.push(format!("{}: a result, expected {kind}", c.name))
        }
        (Err((k, en, _)), Expect::Report(_)) => {
            failures.push(format!("{}: {k} error: {en}", c.name))
        }
    }
}

pub fn check_cli(c: &Case, dir: &std::path::Path, i: usize, failures: &mut Vec<String>) {
    let data = dir.join(format!("{i}.csv"));
    let spec = dir.join(format!("{i}.json"));
    std::fs::write(&data, &c.data).expect("write data");
    std::fs::write(&spec, &c.spec).expect("write spec");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_survlens"));
    match &c.run {
        Run::Analyze => {
            cmd.arg("analyze").arg(&data).arg("--spec").arg(&spec);
        }
        Run::Site(site) => {
            let out = dir.join(format!("{i}.site.json"));
            cmd.arg("site").arg(&data).arg("--spec").arg(&spec);
            cmd.args(["--site", site]).arg("--out").arg(out);
        }
        Run::Pool(files) => {
            let sub = dir.join(format!("{i}.pool"));
            std::fs::create_dir_all(&sub).expect("pool dir");
            cmd.arg("pool");
            for (name, bytes) in files {
                std::fs::write(sub.join(name), bytes).expect("write summary");
                cmd.arg(sub.join(name));
            }
        }
    }
    let out = cmd.output().expect("run survlens");
    // `site` writes its summary to --out, not stdout.
    let wrote = !out.stdout.is_empty() || matches!(c.run, Run::Site(_));
    let stderr = String::from_utf8_lossy(&out.stderr);
    match &c.expect {
        Expect::Report(_) if out.status.code() == Some(0) && wrote => {}
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
    export(cases, tag);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// With `SURVLENS_HOSTILE_CASES=DIR`: `DIR/<tag>.json`, the cases for the page's test
/// (`[{name, run, site, data, files, spec, expect}]`; `data` and each of `files` name a
/// file of `DIR` holding the bytes).
fn export(cases: &[Case], tag: &str) {
    let Ok(dir) = std::env::var("SURVLENS_HOSTILE_CASES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("hostile cases dir");
    let mut index = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let data = format!("{tag}-{i}.data");
        std::fs::write(dir.join(&data), &c.data).expect("write");
        let (run, site, files) = match &c.run {
            Run::Analyze => ("analyze", None, Vec::new()),
            Run::Site(s) => ("site", Some(*s), Vec::new()),
            Run::Pool(files) => {
                let names = files
                    .iter()
                    .enumerate()
                    .map(|(j, (name, bytes))| {
                        let f = format!("{tag}-{i}-{j}.json");
                        std::fs::write(dir.join(&f), bytes).expect("write");
                        serde_json::json!({"name": name, "file": f})
                    })
                    .collect();
                ("pool", None, names)
            }
        };
        let expect = match &c.expect {
            Expect::Report(codes) => serde_json::json!({"report": codes}),
            Expect::Error(kind, mentions) => {
                serde_json::json!({"error": kind, "mentions": mentions})
            }
        };
        index.push(serde_json::json!({
            "name": c.name, "run": run, "site": site, "data": data, "files": files,
            "spec": c.spec, "expect": expect,
        }));
    }
    std::fs::write(
        dir.join(format!("{tag}.json")),
        serde_json::to_string_pretty(&index).expect("json"),
    )
    .expect("write index");
}
