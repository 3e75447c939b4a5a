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

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("survlens-sites-{}", std::process::id()));
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
