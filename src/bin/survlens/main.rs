//! `survlens` — the command-line shell over the SurvLens core (docs/cli.md).
//!
//! ```text
//! survlens analyze DATA --spec SPEC.json [--out FILE] [--sheet NAME] [--lang en|zh] [--timings]
//! survlens report DATA --spec SPEC.json [--out report.html] [--include-patient-data] [--sheet NAME] [--lang en|zh]
//! survlens rscript --spec SPEC.json [--data-name file.csv] [--out script.R]
//! survlens guess DATA [--sheet NAME] [--out FILE] [--lang en|zh]
//! survlens site DATA --spec SPEC.json --site NAME [--beta POOLED.json] --out SITE.json
//! survlens pool SITE.json... [--out POOLED.json]
//! ```
//! The arguments are parsed by clap in `args.rs`: `--help` for the tool and each command,
//! `--version`. Exit 0 with the output (and for `--help`, `--version`); 2 on bad input, spec
//! or arguments (`error: ` lines naming column and line; clap's usage message); 1 on an
//! internal fault. Never a partial results document.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use survlens::report_html::Lang;

mod args;
use args::{Args, Kind};

/// The exit status of bad input, a bad spec or bad arguments (docs/cli.md#exit-status).
const BAD_INPUT: u8 = 2;

fn fail(code: u8, lines: &str) -> ExitCode {
    let mut err = std::io::stderr().lock();
    for line in lines.lines() {
        let _ = writeln!(err, "error: {line}");
    }
    ExitCode::from(code)
}

/// The exit status of an analysis error: 2 for the user's data or spec, 1 for a bug.
fn fail_analysis(e: &survlens::Error, lang: Lang) -> ExitCode {
    fail(
        if e.is_user_error() { BAD_INPUT } else { 1 },
        &survlens::messages::error_text(e, lang),
    )
}

/// The bytes of DATA, or the exit code of a file that cannot be read.
fn read_data(path: &Path) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(path).map_err(|e| {
        fail(
            BAD_INPUT,
            &format!("cannot read the data file \"{}\": {e}", path.display()),
        )
    })
}

/// `report` and `rscript`: the text to write, or the exit code of a failure.
fn export(args: &Args, spec: &str) -> Result<String, ExitCode> {
    if args.kind == Kind::RScript {
        let parsed =
            survlens::Spec::from_json(spec).map_err(|e| fail(BAD_INPUT, &e.to_string()))?;
        let opts = survlens::rscript::RScriptOptions {
            data_name: args.data_name.clone(),
            ..Default::default()
        };
        return Ok(survlens::rscript::r_script(&parsed, &opts));
    }
    let data = read_data(&args.data)?;
    let opts = survlens::report_html::ReportOptions {
        data_name: file_name(&args.data),
        include_patient_data: args.include_patient_data,
        lang: args.lang,
    };
    survlens::report_html::analyze_to_html(&data, spec, &opts)
        .map_err(|e| fail_analysis(&e, args.lang))
}

/// The last path component (a report never shows the user's folders).
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.to_string_lossy().into_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn write_out(out: &Option<PathBuf>, text: &str) -> ExitCode {
    let written = match out {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(|e| format!("cannot write \"{}\": {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the output: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(BAD_INPUT, &m),
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
    if args.kind == Kind::Guess {
        return guess(&args);
    }
    if args.kind == Kind::Pool {
        return pool(&args);
    }
    let spec_text = match std::fs::read_to_string(&args.spec) {
        Ok(s) => with_sheet(s, &args.sheet),
        Err(e) => Err(format!(
            "cannot read the spec file \"{}\": {e}",
            args.spec.display()
        )),
    };
    let spec = match spec_text {
        Ok(s) => s,
        Err(m) => return fail(BAD_INPUT, &m),
    };
    if args.kind == Kind::Site {
        return site(&args, &spec);
    }
    if args.kind != Kind::Analyze {
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
    let data = match read_data(&args.data) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match survlens::ingest::guess::suggest_mapping_bytes(&data, args.sheet.as_deref()) {
        Ok(g) => match serde_json::to_string_pretty(&g) {
            Ok(text) => write_out(&args.out, &(text + "\n")),
            Err(e) => fail(1, &format!("internal error: {e}")),
        },
        Err(e) => fail(
            BAD_INPUT,
            &survlens::messages::error_text(&survlens::error::Error::from(e), args.lang),
        ),
    }
}

/// A sites error's exit: 2 for the user's files, 1 for a bug.
fn fail_sites(e: &survlens::analysis::sites::SitesError, lang: Lang) -> ExitCode {
    fail(
        if e.is_user_error() { BAD_INPUT } else { 1 },
        &e.message(lang),
    )
}

/// Pretty JSON of `value` and a final newline, to `out` (stdout when `None`).
fn write_pretty<T: serde::Serialize>(out: &Option<PathBuf>, value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => write_out(out, &(text + "\n")),
        Err(e) => fail(1, &format!("internal error: {e}")),
    }
}

/// `survlens site`: the site summary of DATA under the protocol.
fn site(args: &Args, spec_text: &str) -> ExitCode {
    use survlens::analysis::sites;
    let spec = match survlens::Spec::from_json(spec_text) {
        Ok(s) => s,
        Err(e) => return fail_analysis(&survlens::Error::Spec(e), args.lang),
    };
    let data = match read_data(&args.data) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let pooled = match &args.beta {
        Some(path) => {
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    return fail(
                        BAD_INPUT,
                        &format!("cannot read the pooled file \"{}\": {e}", path.display()),
                    )
                }
            };
            match sites::read_pooled(&file_name(path), &bytes) {
                Ok(p) => Some(p),
                Err(e) => return fail_sites(&e, args.lang),
            }
        }
        None => None,
    };
    match sites::site_summary(&data, &spec, &args.site, pooled.as_ref()) {
        Ok(summary) => write_pretty(&args.out, &summary),
        Err(e) => fail_sites(&e, args.lang),
    }
}

/// `survlens pool`: the pooled results of the site summaries, in the order given.
fn pool(args: &Args) -> ExitCode {
    use survlens::analysis::sites;
    if args.files.len() > survlens::limits::MAX_SITES {
        return fail_sites(
            &sites::SitesError::Limit {
                what: "Site summaries".into(),
                limit: survlens::limits::MAX_SITES,
            },
            args.lang,
        );
    }
    let mut summaries = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let too_big = std::fs::metadata(path)
            .is_ok_and(|m| m.len() > survlens::limits::MAX_SITE_SUMMARY_BYTES as u64);
        let bytes = if too_big {
            // Read no more than the limit: read_summary refuses it by its size.
            vec![0u8; survlens::limits::MAX_SITE_SUMMARY_BYTES + 1]
        } else {
            match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    return fail(
                        BAD_INPUT,
                        &format!("cannot read the site summary \"{}\": {e}", path.display()),
                    )
                }
            }
        };
        match sites::read_summary(&file_name(path), &bytes) {
            Ok(s) => summaries.push(s),
            Err(e) => return fail_sites(&e, args.lang),
        }
    }
    match sites::pool(&summaries) {
        Ok(pooled) => write_pretty(&args.out, &pooled),
        Err(e) => fail_sites(&e, args.lang),
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
    let data = match survlens::timing::stage("file", || read_data(&args.data)) {
        Ok(d) => d,
        Err(code) => return code,
    };
    // The bytes are handed over and freed once the table is read.
    let report = match survlens::analysis::Analysis::from_json(spec).run(data) {
        Ok(r) => r,
        Err(e) => return fail_analysis(&e, args.lang),
    };
    // Streamed (no whole-document string: a million per-row scores are ~170 MB of JSON).
    let _stage = survlens::timing::enter("write");
    let written = match &args.out {
        Some(path) => std::fs::File::create(path)
            .map_err(|e| e.to_string())
            .and_then(|f| write_json(f, &report))
            .map_err(|e| format!("cannot write \"{}\": {e}", path.display())),
        None => write_json(std::io::stdout().lock(), &report)
            .map_err(|e| format!("cannot write the results: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => fail(BAD_INPUT, &m),
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
    let args = match args::parse() {
        Ok(args) => args,
        // --help and --version print to stdout and exit 0; a usage error (unknown command or
        // option, a missing argument, no arguments at all) prints clap's `error: ` message
        // with the usage to stderr and exits 2, as bad input does.
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(BAD_INPUT)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(|| run(args)) {
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
