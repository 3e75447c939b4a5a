//! The command line's arguments, parsed by clap (derive API): the six commands with
//! exactly the options docs/cli.md lists, their `--help`, and `--version`.

use std::path::PathBuf;

use clap::Parser;
use survlens::report_html::Lang;

/// The top-level usage: the six commands' synopses (`survlens --help`, usage errors).
const USAGE: &str = "survlens analyze DATA --spec SPEC.json [--out FILE] [--sheet NAME] [--lang en|zh] [--timings]
       survlens report DATA --spec SPEC.json [--out report.html] [--include-patient-data] [--sheet NAME] [--lang en|zh]
       survlens rscript --spec SPEC.json [--data-name file.csv] [--out script.R]
       survlens guess DATA [--sheet NAME] [--out FILE] [--lang en|zh]
       survlens site DATA --spec SPEC.json --site NAME [--beta POOLED.json] --out SITE.json [--sheet NAME] [--lang en|zh]
       survlens pool SITE.json... [--out POOLED.json] [--lang en|zh]
       survlens --version";

/// What `survlens --help` says after the commands and options.
const AFTER_HELP: &str =
    "DATA is a CSV, TSV or ;-separated file, or an Excel .xlsx workbook (its first sheet,
or the one --sheet names); SPEC.json is the analysis spec (docs/spec.md in the SurvLens
repository lists every key). Without --out the output goes to stdout.
--lang zh writes the report in Simplified Chinese, and error lines in Chinese
(the results JSON stays as docs/results.md defines it, English messages included).

Exit status: 0 success; 2 a problem with the data, the spec or the arguments (error: lines
on stderr name the column, the file line (header = line 1) and what to do); 1 an internal
fault (a bug). A failure never leaves a partial results document.";

/// `survlens`: the command line (docs/cli.md). Each command's `display_name` is the tool's,
/// so that `survlens analyze --version` prints "survlens 0.1.0" as `survlens --version` does.
#[derive(Parser)]
#[command(
    name = "survlens",
    version = survlens::VERSION,
    about = "Survival analysis of a cohort file, checked against R's survival package",
    override_usage = USAGE,
    after_help = AFTER_HELP,
    arg_required_else_help = true,
    disable_help_subcommand = true,
    propagate_version = true,
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Runs the analysis and writes the results JSON
    ///
    /// Runs the analyses SPEC.json asks for on DATA and writes the results JSON
    /// (docs/results.md), to stdout or to --out FILE.
    #[command(display_name = "survlens")]
    Analyze {
        #[command(flatten)]
        data: DataFile,
        #[command(flatten)]
        spec: SpecFile,
        /// Writes the results JSON to FILE instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        reading: Reading,
        /// Prints each stage's seconds as one JSON line on stderr
        ///
        /// After the analysis, one JSON line on stderr with the seconds of each stage (file,
        /// spec, read, cohort, analysis and its sections, write) and the total; timings
        /// never enter the results.
        #[arg(long)]
        timings: bool,
    },
    /// Writes a self-contained HTML report
    ///
    /// Writes one self-contained HTML file: tables, figures, methods text and the spec that
    /// ran. It shows the data file's name, never its folder.
    #[command(display_name = "survlens")]
    Report {
        #[command(flatten)]
        data: DataFile,
        #[command(flatten)]
        spec: SpecFile,
        /// Writes the report to this file instead of stdout
        #[arg(long, value_name = "report.html")]
        out: Option<PathBuf>,
        /// Lists the file lines of the rows left out (patient-level data; off by default)
        #[arg(long)]
        include_patient_data: bool,
        #[command(flatten)]
        reading: Reading,
    },
    /// Writes an R script that reproduces the analysis
    ///
    /// Writes an R script that reproduces the analysis with R's survival package (and, for
    /// the weighting sections, the packages its header names) on the data file
    /// --data-name names; it writes R's numbers as a partial results document.
    #[command(name = "rscript", display_name = "survlens")]
    RScript {
        #[command(flatten)]
        spec: SpecFile,
        /// The data file the script reads
        #[arg(long, value_name = "file.csv", default_value = "data.csv")]
        data_name: String,
        /// Writes the script to this file instead of stdout
        #[arg(long, value_name = "script.R")]
        out: Option<PathBuf>,
    },
    /// Writes a site summary: aggregates only, for pooling several hospitals
    ///
    /// Runs the protocol SPEC.json on this site's DATA and writes its site summary
    /// (docs/methods.md#sites): log-rank counts, the site's own Cox fit, the partial
    /// likelihood at the coordinator's betas, binned Kaplan–Meier counts with small counts
    /// merged away. No row, line number, date or exact time leaves the site.
    #[command(display_name = "survlens")]
    Site {
        #[command(flatten)]
        data: DataFile,
        #[command(flatten)]
        spec: SpecFile,
        /// The site's name, as the pooled results show it
        #[arg(long, value_name = "NAME")]
        site: String,
        /// The coordinator's last pooled file: adds the Cox rounds it asks for
        #[arg(long, value_name = "POOLED.json")]
        beta: Option<PathBuf>,
        /// Writes the site summary to this file
        #[arg(long, value_name = "SITE.json")]
        out: PathBuf,
        #[command(flatten)]
        reading: Reading,
    },
    /// Pools site summaries: stratified log-rank, meta-analysis, Cox model by rounds
    ///
    /// Reads the site summaries (in the order given) and writes the pooled results: the
    /// log-rank test stratified by site, the meta-analysis of the sites' hazard ratios,
    /// the site-stratified Cox model (its next beta until it converges) and the pooled
    /// life table.
    #[command(display_name = "survlens")]
    Pool {
        /// The site summaries
        #[arg(value_name = "SITE.json", required = true)]
        files: Vec<PathBuf>,
        /// Writes the pooled results to this file instead of stdout
        #[arg(long, value_name = "POOLED.json")]
        out: Option<PathBuf>,
        /// The language of the error lines: en, or zh (Simplified Chinese)
        #[arg(long, value_name = "en|zh", value_parser = parse_lang, default_value = "en")]
        lang: Lang,
    },
    /// Suggests which columns hold the time, the event and the groups
    ///
    /// Writes the suggested mapping of DATA as JSON: a spec for DATA, per field whether the
    /// evidence is "high" or "low", and notes saying what to check.
    #[command(display_name = "survlens")]
    Guess {
        #[command(flatten)]
        data: DataFile,
        /// Writes the JSON to FILE instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        reading: Reading,
    },
}

/// The DATA argument.
#[derive(clap::Args)]
struct DataFile {
    /// The data: a CSV, TSV or ;-separated file, or an Excel .xlsx workbook
    #[arg(value_name = "DATA")]
    data: PathBuf,
}

/// `--spec SPEC.json`.
#[derive(clap::Args)]
struct SpecFile {
    /// The analysis spec (docs/spec.md lists every key)
    #[arg(long, value_name = "SPEC.json")]
    spec: PathBuf,
}

/// How DATA is read and in which language errors are told: the options of every command
/// that reads DATA.
#[derive(clap::Args)]
struct Reading {
    /// The sheet of an .xlsx workbook to read (default: its first sheet)
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The language of the report and of the error lines: en, or zh (Simplified Chinese)
    #[arg(long, value_name = "en|zh", value_parser = parse_lang, default_value = "en")]
    lang: Lang,
}

/// `--lang`: en or zh (also en-GB, zh-CN, ... and any case).
fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("unknown language \"{code}\"; use en or zh"))
}

/// Which command runs.
#[derive(Clone, Copy, PartialEq, Default)]
pub enum Kind {
    #[default]
    Analyze,
    Report,
    RScript,
    Guess,
    Site,
    Pool,
}

/// One command's arguments, flattened for the runner.
#[derive(Default)]
pub struct Args {
    pub kind: Kind,
    /// DATA (empty for `rscript`).
    pub data: PathBuf,
    /// SPEC.json (empty for `guess`).
    pub spec: PathBuf,
    pub out: Option<PathBuf>,
    /// `--data-name` of `rscript`.
    pub data_name: String,
    pub include_patient_data: bool,
    pub sheet: Option<String>,
    /// The language of the report and of the error lines (`--lang`).
    pub lang: Lang,
    /// `--timings`: the stage timings line on stderr (analyze only).
    pub timings: bool,
    /// `site --site NAME`.
    pub site: String,
    /// `site --beta POOLED.json`.
    pub beta: Option<PathBuf>,
    /// `pool SITE.json...`.
    pub files: Vec<PathBuf>,
}

/// The process's arguments: what to run, or clap's error, which is also how `--help` and
/// `--version` come back (`use_stderr()` false: print it to stdout and exit 0).
pub fn parse() -> Result<Args, clap::Error> {
    Cli::try_parse().map(|cli| Args::from(cli.command))
}

impl From<Command> for Args {
    fn from(command: Command) -> Args {
        let (args, data, reading) = match command {
            Command::Analyze {
                data,
                spec,
                out,
                reading,
                timings,
            } => (
                Args {
                    spec: spec.spec,
                    out,
                    timings,
                    ..Args::default()
                },
                data,
                reading,
            ),
            Command::Report {
                data,
                spec,
                out,
                include_patient_data,
                reading,
            } => (
                Args {
                    kind: Kind::Report,
                    spec: spec.spec,
                    out,
                    include_patient_data,
                    ..Args::default()
                },
                data,
                reading,
            ),
            Command::RScript {
                spec,
                data_name,
                out,
            } => {
                return Args {
                    kind: Kind::RScript,
                    spec: spec.spec,
                    out,
                    data_name,
                    ..Args::default()
                }
            }
            Command::Site {
                data,
                spec,
                site,
                beta,
                out,
                reading,
            } => (
                Args {
                    kind: Kind::Site,
                    spec: spec.spec,
                    out: Some(out),
                    site,
                    beta,
                    ..Args::default()
                },
                data,
                reading,
            ),
            Command::Pool { files, out, lang } => {
                return Args {
                    kind: Kind::Pool,
                    out,
                    files,
                    lang,
                    ..Args::default()
                }
            }
            Command::Guess { data, out, reading } => (
                Args {
                    kind: Kind::Guess,
                    out,
                    ..Args::default()
                },
                data,
                reading,
            ),
        };
        Args {
            data: data.data,
            sheet: reading.sheet,
            lang: reading.lang,
            ..args
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks a definition only when it parses; this checks all of it at once (unique
    /// names, a value name for each option, ...).
    #[test]
    fn the_argument_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
