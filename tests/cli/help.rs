//! The CLI's arguments (clap): `--help` of the tool and of each command lists what
//! docs/cli.md lists, `--version` works everywhere, and a usage error (unknown option or
//! command, an option of another command, a missing argument) exits 2 with an `error: `
//! line, the usage, and nothing on stdout.

use std::path::Path;
use std::process::{Command, Output};

fn survlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_survlens"))
        .args(args)
        .output()
        .expect("run survlens")
}

/// The synopsis lines of docs/cli.md (`survlens COMMAND …`), spaces collapsed.
fn documented_synopses() -> Vec<String> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md"))
        .expect("docs/cli.md");
    let block = doc
        .split("```text")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/cli.md opens with a text block of the commands");
    block
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| l.starts_with("survlens "))
        .collect()
}

/// The `--flags` of one documented synopsis line.
fn flags_of(synopsis: &str) -> Vec<String> {
    synopsis
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| w.starts_with("--"))
        .map(str::to_string)
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_shows_the_documented_usage_of_every_command() {
    let synopses = documented_synopses();
    assert_eq!(synopses.len(), 7, "{synopses:?}");
    for flag in ["--help", "-h"] {
        let out = survlens(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(out.stderr.is_empty(), "{flag}: {}", text(&out.stderr));
        let help = text(&out.stdout);
        let shown: Vec<String> = help
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for line in &synopses {
            assert!(
                shown
                    .iter()
                    .any(|s| s == line || s.strip_prefix("Usage: ") == Some(line.as_str())),
                "{flag} does not show the documented \"{line}\":\n{help}"
            );
        }
    }
}

#[test]
fn each_command_has_help_listing_exactly_its_documented_options() {
    let synopses = documented_synopses();
    let every_flag: Vec<String> = synopses.iter().flat_map(|s| flags_of(s)).collect();
    for command in ["analyze", "report", "rscript", "guess", "site", "pool"] {
        let synopsis = synopses
            .iter()
            .find(|s| s.starts_with(&format!("survlens {command} ")))
            .unwrap_or_else(|| panic!("docs/cli.md has no synopsis of {command}"));
        let out = survlens(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command} --help");
        let help = text(&out.stdout);
        assert!(
            help.contains(&format!("Usage: survlens {command} ")),
            "{help}"
        );
        let own = flags_of(synopsis);
        for flag in &every_flag {
            // Option lines start with the option ("      --spec <SPEC.json>"), not text
            // that mentions one.
            let listed = help
                .lines()
                .map(str::trim_start)
                .any(|l| l.starts_with('-') && l.split([' ', ',']).any(|w| w == flag.as_str()));
            let documented = own.contains(flag) || flag == "--version";
            assert_eq!(
                listed, documented,
                "{command} --help lists {flag}: {listed}, docs/cli.md: {documented}\n{help}"
            );
        }
    }
}

#[test]
fn version_is_printed_by_the_tool_and_by_each_command() {
    let want = format!("survlens {}", env!("CARGO_PKG_VERSION"));
    for args in [
        vec!["--version"],
        vec!["-V"],
        vec!["analyze", "--version"],
        vec!["guess", "--version"],
    ] {
        let out = survlens(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(text(&out.stdout).trim(), want, "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
    }
}

/// A usage error: exit 2, nothing on stdout, and on stderr an `error: ` message that
/// contains `names`, then the usage.
fn assert_usage_error(args: &[&str], names: &str) {
    let out = survlens(args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let (error, usage) = stderr
        .split_once("Usage: survlens")
        .unwrap_or_else(|| panic!("{args:?}: no usage in {stderr}"));
    assert!(
        error.starts_with("error: ") && error.contains(names),
        "{args:?}: {stderr}"
    );
    assert!(!usage.is_empty());
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo/gist_liver_mets_demo.csv");
    let data = demo.to_str().expect("a UTF-8 path");
    assert_usage_error(
        &["analyze", data, "--spec", "s.json", "--frobnicate"],
        "'--frobnicate'",
    );
    // An option of another command.
    assert_usage_error(
        &["rscript", "--spec", "s.json", "--sheet", "x"],
        "'--sheet'",
    );
    assert_usage_error(&["guess", data, "--timings"], "'--timings'");
    assert_usage_error(&["analyse", data], "'analyse'");
    assert_usage_error(&["report", data], "--spec");
}

#[test]
fn a_bad_language_is_a_usage_error_naming_it() {
    let out = survlens(&["guess", "x.csv", "--lang", "fr"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.starts_with("error: ") && stderr.contains("\"fr\"") && stderr.contains("en or zh"),
        "{stderr}"
    );
    // Region subtags are the language (zh-CN is zh): the file is then missing, not the
    // language.
    let out = survlens(&["guess", "no-such-file.csv", "--lang", "zh-CN"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-file.csv"));
}

#[test]
fn no_arguments_print_the_usage_and_exit_2() {
    let out = survlens(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    for command in ["analyze", "report", "rscript", "guess", "site", "pool"] {
        assert!(stderr.contains(&format!("survlens {command} ")), "{stderr}");
    }
}
