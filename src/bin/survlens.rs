//! `survlens` — the command-line shell over the SurvLens core (docs/cli.md).
//!
//! ```text
//! survlens analyze DATA --spec SPEC.json [--out FILE] [--lang en|zh] [--timings]
//! survlens report DATA --spec SPEC.json --out report.html [--include-patient-data] [--lang en|zh]
//! survlens rscript --spec SPEC.json [--data-name file.csv] [--out script.R]
//! survlens guess DATA [--sheet NAME] [--out FILE] [--lang en|zh]
//! ```
//! Exit 0 with the results JSON; 2 on bad input or spec (`error: ` lines naming column
//! and line); 1 on an internal fault. Never a partial results document.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: survlens analyze DATA --spec SPEC.json [--out FILE] [--sheet NAME] [--lang en|zh] [--timings]
       survlens report DATA --spec SPEC.json [--out report.html] [--include-patient-data] [--sheet NAME] [--lang en|zh]
       survlens rscript --spec SPEC.json [--data-name file.csv] [--out script.R]
       survlens guess DATA [--sheet NAME] [--out FILE] [--lang en|zh]
       survlens --version

DATA is a CSV, TSV or ;-separated file, or an Excel .xlsx workbook (its first sheet,
or the one --sheet names); SPEC.json is the analysis spec (docs/spec.md in the SurvLens repository lists every key).
analyze writes the results JSON, report a self-contained HTML report, rscript an R
script that reproduces the analysis; to stdout, or to FILE with --out.
guess writes the suggested mapping as JSON: a spec for DATA, per field whether the
evidence is \"high\" or \"low\", and notes saying what to check.
--lang zh writes the report in Simplified Chinese, and error lines in Chinese
(the results JSON stays as docs/results.md defines it, English messages included).
--timings prints, after the analysis, one JSON line to stderr with the seconds of
each stage (file, spec, read, cohort, analysis and its sections, write) and the total.";

#[derive(Clone, Copy, PartialEq)]
enum Command {
    Analyze,
    Report,
    RScript,
    Guess,
}

struct Args {
    command: Command,
    data: String,
    spec: String,
    out: Option<String>,
    data_name: Option<String>,
    include_patient_data: bool,
    sheet: Option<String>,
    /// The language of the report and of the error lines (`--lang`).
    lang: survlens::report_html::Lang,
    /// `--timings`: the stage timings line on stderr (analyze only).
    timings: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some("analyze") => Command::Analyze,
        Some("report") => Command::Report,
        Some("rscript") => Command::RScript,
        Some("guess") => Command::Guess,
        Some(other) => {
            return Err(format!(
            "unknown command \"{other}\"; the commands are \"analyze\", \"report\", \"rscript\" and \"guess\""
        ))
        }
        None => return Err("no command given".to_string()),
    };
    let (mut data, mut spec, mut out, mut data_name, mut sheet) = (None, None, None, None, None);
    let mut include_patient_data = false;
    let mut timings = false;
    let mut lang = survlens::report_html::Lang::En;
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--spec" if command != Command::Guess => {
                spec = Some(it.next().ok_or("--spec needs a file name")?.clone())
            }
            "--out" => out = Some(it.next().ok_or("--out needs a file name")?.clone()),
            "--data-name" if command == Command::RScript => {
                data_name = Some(it.next().ok_or("--data-name needs a file name")?.clone())
            }
            "--include-patient-data" if command == Command::Report => include_patient_data = true,
            "--timings" if command == Command::Analyze => timings = true,
            "--sheet" if command != Command::RScript => {
                sheet = Some(it.next().ok_or("--sheet needs a sheet name")?.clone())
            }
            "--lang" if command != Command::RScript => {
                let code = it.next().ok_or("--lang needs a language: en or zh")?;
                lang = survlens::report_html::Lang::parse(code)
                    .ok_or_else(|| format!("unknown language \"{code}\"; use en or zh"))?;
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option \"{flag}\"")),
            path if data.is_none() && command != Command::RScript => data = Some(path.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"")),
        }
    }
    let data = match command {
        Command::RScript => String::new(),
        _ => data.ok_or("the data file is missing")?,
    };
    Ok(Args {
        command,
        data,
        spec: match command {
            Command::Guess => String::new(),
            _ => spec.ok_or("--spec SPEC.json is missing")?,
        },
        out,
        data_name,
        include_patient_data,
        sheet,
        lang,
        timings,
    })
}

fn fail(code: u8, lines: &str) -> ExitCode {
    let mut err = std::io::stderr().lock();
    for line in lines.lines() {
        let _ = writeln!(err, "error: {line}");
    }
    ExitCode::from(code)
}

/// `report` and `rscript`: the text to write, or the exit code of a failure.
fn export(args: &Args, spec: &str) -> Result<String, ExitCode> {
    if args.command == Command::RScript {
        let parsed = survlens::Spec::from_json(spec).map_err(|e| fail(2, &e.to_string()))?;
        let opts = survlens::rscript::RScriptOptions {
            data_name: args
                .data_name
                .clone()
                .unwrap_or_else(|| "data.csv".to_string()),
            ..Default::default()
        };
        return Ok(survlens::rscript::r_script(&parsed, &opts));
    }
    let data = std::fs::read(&args.data).map_err(|e| {
        fail(
            2,
            &format!("cannot read the data file \"{}\": {e}", args.data),
        )
    })?;
    let opts = survlens::report_html::ReportOptions {
        data_name: file_name(&args.data),
        include_patient_data: args.include_patient_data,
        lang: args.lang,
    };
    survlens::report_html::analyze_to_html(&data, spec, &opts).map_err(|e| {
        fail(
            if e.is_user_error() { 2 } else { 1 },
            &survlens::messages::error_text(&e, args.lang),
        )
    })
}

/// The last path component (a report never shows the user's folders).
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn write_out(out: &Option<String>, text: &str) -> ExitCode {
    let written = match out {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write \"{path}\": {e}")),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the output: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(2, &m),
    }
}

/// The spec text with `--sheet` set as its `sheet` key.
fn with_sheet(spec: String, sheet: &Option<String>) -> Result<String, String> {
    let Some(sheet) = sheet else { return Ok(spec) };
    let mut v: serde_json::Value = serde_json::from_str(&spec).map_err(|e| {
        format!(
            "the analysis spec is not valid JSON (line {}): {e}",
            e.line()
        )
    })?;
    match v.as_object_mut() {
        Some(o) => o.insert("sheet".into(), serde_json::Value::String(sheet.clone())),
        None => return Err("the analysis spec must be a JSON object".into()),
    };
    Ok(v.to_string())
}

fn run(args: Args) -> ExitCode {
    if args.command == Command::Guess {
        return guess(&args);
    }
    let spec_text = match std::fs::read_to_string(&args.spec) {
        Ok(s) => with_sheet(s, &args.sheet),
        Err(e) => Err(format!("cannot read the spec file \"{}\": {e}", args.spec)),
    };
    let spec = match spec_text {
        Ok(s) => s,
        Err(m) => return fail(2, &m),
    };
    if args.command != Command::Analyze {
        return match export(&args, &spec) {
            Ok(text) => write_out(&args.out, &text),
            Err(code) => code,
        };
    }
    if args.timings {
        let (code, stages) = survlens::timing::record(clock, || analyze(&args, &spec));
        let line = format!(
            "{{\"stages\":{},\"total\":{}}}",
            survlens::timing::to_json(&stages),
            clock()
        );
        let _ = writeln!(std::io::stderr().lock(), "{line}");
        return code;
    }
    analyze(&args, &spec)
}

/// `survlens guess`: the suggested mapping of DATA as pretty JSON.
fn guess(args: &Args) -> ExitCode {
    let data = match std::fs::read(&args.data) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                2,
                &format!("cannot read the data file \"{}\": {e}", args.data),
            )
        }
    };
    match survlens::ingest::guess::suggest_mapping_bytes(&data, args.sheet.as_deref()) {
        Ok(g) => match serde_json::to_string_pretty(&g) {
            Ok(text) => write_out(&args.out, &(text + "\n")),
            Err(e) => fail(1, &format!("internal error: {e}")),
        },
        Err(e) => fail(
            2,
            &survlens::messages::error_text(&survlens::error::Error::from(e), args.lang),
        ),
    }
}

/// Seconds since the process's first reading of it (the `--timings` clock).
fn clock() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// `survlens analyze`: reads the data, runs `spec`, writes the results JSON.
fn analyze(args: &Args, spec: &str) -> ExitCode {
    let read = survlens::timing::stage("file", || std::fs::read(&args.data));
    let data = match read {
        Ok(d) => d,
        Err(e) => {
            return fail(
                2,
                &format!("cannot read the data file \"{}\": {e}", args.data),
            )
        }
    };
    // The bytes are handed over and freed once the table is read.
    let report = match survlens::analysis::Analysis::from_json(spec).run(data) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                if e.is_user_error() { 2 } else { 1 },
                &survlens::messages::error_text(&e, args.lang),
            )
        }
    };
    // Streamed (no whole-document string: a million per-row scores are ~170 MB of JSON).
    let _stage = survlens::timing::enter("write");
    let written = match &args.out {
        Some(path) => std::fs::File::create(path)
            .map_err(|e| e.to_string())
            .and_then(|f| write_json(f, &report))
            .map_err(|e| format!("cannot write \"{path}\": {e}")),
        None => write_json(std::io::stdout().lock(), &report)
            .map_err(|e| format!("cannot write the results: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(2, &m),
    }
}

/// The results as pretty JSON and a final newline, through a buffer.
fn write_json(out: impl Write, report: &survlens::analysis::Report) -> Result<(), String> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut w, report).map_err(|e| e.to_string())?;
    w.write_all(b"\n").map_err(|e| e.to_string())?;
    w.flush().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    clock(); // the origin of --timings' "total"
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
