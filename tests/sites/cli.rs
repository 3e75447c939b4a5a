//! `survlens site` and `survlens pool` end to end: files in, files out, rounds until the
//! Cox model converges; errors exit 2 with `error: ` lines naming the site or file.

use super::support::case_dir;
use std::path::PathBuf;
use std::process::{Command, Output};

fn survlens(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_survlens"))
        .args(args)
        .output()
        .expect("run survlens")
}

/// A file in a folder of this process and this test (tests run in parallel threads
/// named after them).
fn tmp(name: &str) -> PathBuf {
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    let dir = std::env::temp_dir().join(format!("survlens-sites-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn site(name: &str, beta: Option<&PathBuf>) -> PathBuf {
    let dir = case_dir("sites_lung");
    let out = tmp(&format!("{name}.json"));
    let data = dir.join(format!("site_{name}.csv"));
    let spec = dir.join("spec.json");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "site".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--site".as_ref(),
        name.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    if let Some(b) = beta {
        args.push("--beta".as_ref());
        args.push(b.as_os_str());
    }
    let o = survlens(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

#[test]
fn site_and_pool_run_the_rounds_to_convergence() {
    let pooled = tmp("pooled.json");
    let mut beta: Option<PathBuf> = None;
    for _ in 0..20 {
        let files: Vec<PathBuf> = ["A", "B", "C"]
            .iter()
            .map(|s| site(s, beta.as_ref()))
            .collect();
        let mut args: Vec<&std::ffi::OsStr> = vec!["pool".as_ref()];
        args.extend(files.iter().map(|f| f.as_os_str()));
        args.push("--out".as_ref());
        args.push(pooled.as_os_str());
        let o = survlens(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&pooled).unwrap()).unwrap();
        assert_eq!(v["sites"]["n_sites"], 3);
        if v["sites"]["cox"]["converged"] == true {
            assert!(v["sites"]["cox"]["terms"].as_array().unwrap().len() == 3);
            assert!(v["sites"]["cox"]["loglik"]["fit"].is_number());
            return;
        }
        assert!(v["sites"]["cox"]["next_beta"].is_array());
        beta = Some(pooled.clone());
    }
    panic!("no convergence in 20 rounds");
}

#[test]
fn pool_errors_exit_2_naming_the_file() {
    let a = site("A", None);
    let text = std::fs::read_to_string(&a).unwrap();
    let edited = tmp("edited.json");
    std::fs::write(&edited, text.replacen("\"n\": ", "\"n\": 1", 1)).unwrap();
    let o = survlens(&["pool".as_ref(), edited.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("edited.json") && err.contains("site A"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let o = survlens(&["pool".as_ref(), "no-such.json".as_ref()]);
    assert_eq!(o.status.code(), Some(2));
    let o = survlens(&["pool".as_ref()]);
    assert_eq!(o.status.code(), Some(2), "no file: a usage error");
}

#[test]
fn mismatched_protocols_exit_2_naming_the_sites_in_either_language() {
    let a = site("A", None);
    // Site B under another protocol (min_cell 10).
    let dir = case_dir("sites_lung");
    let spec = std::fs::read_to_string(dir.join("spec.json")).unwrap();
    let other = tmp("other_spec.json");
    std::fs::write(&other, spec.replace("\"min_cell\": 5", "\"min_cell\": 10")).unwrap();
    let b = tmp("B_other.json");
    let data = dir.join("site_B.csv");
    let o = survlens(&[
        "site".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        other.as_os_str(),
        "--site".as_ref(),
        "B".as_ref(),
        "--out".as_ref(),
        b.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for (lang, word) in [("en", "different protocols"), ("zh", "方案")] {
        let o = survlens(&[
            "pool".as_ref(),
            a.as_os_str(),
            b.as_os_str(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("error: ") && err.contains(word), "{err}");
        assert!(err.contains("A (") && err.contains("B ("), "{err}");
    }
    // A pooled file of another protocol given to --beta.
    let pooled = tmp("pooled_other.json");
    let o = survlens(&[
        "pool".as_ref(),
        b.as_os_str(),
        "--out".as_ref(),
        pooled.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let spec_path = dir.join("spec.json");
    let out = tmp("A2.json");
    let data = dir.join("site_A.csv");
    let o = survlens(&[
        "site".as_ref(),
        data.as_os_str(),
        "--spec".as_ref(),
        spec_path.as_os_str(),
        "--site".as_ref(),
        "A".as_ref(),
        "--beta".as_ref(),
        pooled.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another protocol"));
}
