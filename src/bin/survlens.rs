//! `survlens` — the command-line shell over the SurvLens core (CONTRACT.md "CLI").
//!
//! ```text
//! survlens analyze DATA --spec SPEC.json [--out FILE]
//! ```
//! Exit 0 with the results JSON; 2 on bad input or spec (`error: ` lines naming column
//! and line); 1 on an internal fault. Never a partial results document.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: survlens analyze DATA --spec SPEC.json [--out FILE]
       survlens --version

DATA is a CSV, TSV or ;-separated file; SPEC.json is the analysis spec (see CONTRACT.md).
The results JSON goes to stdout, or to FILE with --out.";

struct Args {
    data: String,
    spec: String,
    out: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("analyze") => {}
        Some(other) => {
            return Err(format!(
                "unknown command \"{other}\"; the command is \"analyze\""
            ))
        }
        None => return Err("no command given".to_string()),
    }
    let (mut data, mut spec, mut out) = (None, None, None);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--spec" => spec = Some(it.next().ok_or("--spec needs a file name")?.clone()),
            "--out" => out = Some(it.next().ok_or("--out needs a file name")?.clone()),
            flag if flag.starts_with("--") => return Err(format!("unknown option \"{flag}\"")),
            path if data.is_none() => data = Some(path.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"")),
        }
    }
    Ok(Args {
        data: data.ok_or("the data file is missing")?,
        spec: spec.ok_or("--spec SPEC.json is missing")?,
        out,
    })
}

fn fail(code: u8, lines: &str) -> ExitCode {
    let mut err = std::io::stderr().lock();
    for line in lines.lines() {
        let _ = writeln!(err, "error: {line}");
    }
    ExitCode::from(code)
}

fn run(args: Args) -> ExitCode {
    let data = match std::fs::read(&args.data) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                2,
                &format!("cannot read the data file \"{}\": {e}", args.data),
            )
        }
    };
    let spec = match std::fs::read_to_string(&args.spec) {
        Ok(s) => s,
        Err(e) => {
            return fail(
                2,
                &format!("cannot read the spec file \"{}\": {e}", args.spec),
            )
        }
    };
    let report = match survlens::analyze_bytes(&data, &spec) {
        Ok(r) => r,
        Err(e) => return fail(if e.is_user_error() { 2 } else { 1 }, &e.to_string()),
    };
    let mut json = match serde_json::to_string_pretty(&report) {
        Ok(j) => j,
        Err(e) => return fail(1, &format!("internal error while writing the results: {e}")),
    };
    json.push('\n');
    let written = match &args.out {
        Some(path) => std::fs::write(path, json.as_bytes())
            .map_err(|e| format!("cannot write \"{path}\": {e}")),
        None => std::io::stdout()
            .lock()
            .write_all(json.as_bytes())
            .map_err(|e| format!("cannot write the results: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(2, &m),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("survlens {}", survlens::VERSION);
        return ExitCode::SUCCESS;
    }
    if args.is_empty() || args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return if args.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let parsed = match parse_args(&args) {
        Ok(a) => a,
        Err(m) => return fail(2, &format!("{m}\n{USAGE}")),
    };
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(|| run(parsed)) {
        Ok(code) => code,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            fail(
                1,
                &format!("internal error (a bug in SurvLens; please report it): {what}"),
            )
        }
    }
}
