//! R script export: a plain R script (survival and base R only) that reproduces the
//! analysis of a spec from the user's own CSV, so a reviewer can check every number.
//!
//! The script reads the file with every column as text and applies the contract's
//! ingest rules (missing tokens, dates, event coding, recode and levels, complete cases,
//! R's near-tie rule), then calls survfit / summary / quantile / survdiff / p.adjust /
//! coxph / cox.zph / concordance as docs/methods.md names them. It prints R's usual output
//! and writes the numbers as a partial results document (docs/results.md keys) to
//! the file named by its second argument, or to stdout.
//!
//! The propensity model (a base-R Newton–Raphson logit), weights, balance, the weighted
//! Kaplan–Meier curves, RMST differences and Cox model, and the E-values are reproduced
//! too ([`confounding`]); so are delayed entry (`Surv(entry, exit, event)`, the
//! left-truncated log-rank test as the exact-ties score test), the landmark analyses,
//! the time-dependent (start, stop] Cox model with Simon–Makuch curves (the rows built
//! in base R, no tmerge) and the naive / landmark / time-dependent comparison
//! ([`immortal`]), table1 ([`table1`]), the competing-risks section with cmprsk
//! (Aalen–Johansen curves, Gray's test, Fine–Gray, cause-specific Cox: [`competing`];
//! the ingest codes the status 0/1/2 from `event.competing_values`), the median
//! follow-up and conditional survival ([`follow_up`]), the subgroups with their interaction
//! tests ([`subgroups`]), the hazard ratios by period (`cox.periods`: [`periods`]), the
//! propensity-score matching with MatchIt and the matched analyses ([`matching`]), the
//! target-trial emulation by clone–censor–weight ([`emulation`]). Not
//! reproduced (the script says so in its
//! header): the bootstrap, cox.univariable, the PH residuals.

mod analyses;
mod competing;
mod confounding;
mod emulation;
mod follow_up;
mod immortal;
mod imputation;
mod ingest;
mod matching;
mod periods;
mod subgroups;
mod table1;
mod workbook;

use survlens_contract::Spec;

/// What the script needs to know besides the spec.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RScriptOptions {
    /// The data file name the script reads by default (its first argument overrides).
    pub data_name: String,
    /// The delimiter (`,`, `;` or tab) when known; otherwise the script detects it from
    /// the header line as SurvLens does.
    pub delimiter: Option<char>,
    /// The data is an Excel workbook (also implied by a `data_name` ending in `.xlsx`):
    /// the script reads a CSV saved from its sheet, and its header says how to save it.
    pub workbook: bool,
    /// The workbook's sheet SurvLens read (default: the spec's `sheet`, else "the first
    /// sheet").
    pub sheet: Option<String>,
}

/// An R string literal.
pub(crate) fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An R character vector `c("a", "b")`.
pub(crate) fn lits<S: AsRef<str>>(v: &[S]) -> String {
    let items: Vec<String> = v.iter().map(|s| lit(s.as_ref())).collect();
    format!("c({})", items.join(", "))
}

/// An R numeric literal that reads back as the same double.
pub(crate) fn rnum(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else {
        "NA".to_string()
    }
}

/// A column name as an R formula term (backquoted).
pub(crate) fn term(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

/// The whole script.
pub fn r_script(spec: &Spec, opts: &RScriptOptions) -> String {
    let book = workbook::Workbook::of(spec, opts);
    let csv_opts;
    let opts = match &book {
        Some(b) => {
            csv_opts = b.csv_options(opts);
            &csv_opts
        }
        None => opts,
    };
    let mut s = header(spec, opts, book.as_ref());
    s.push_str(include_str!("prelude.R"));
    if immortal::needs_counting(spec) {
        s.push_str(immortal::COUNTING);
    }
    s.push_str(&ingest::read_and_ingest(spec, opts));
    s.push_str(&analyses::analyses(spec));
    s.push_str(&competing::counts(spec));
    s.push_str(&follow_up::sections(spec));
    s.push_str(&table1::section(spec));
    s.push_str(&immortal::sections(spec));
    s.push_str(&competing::section(spec));
    if subgroups::asked(spec) {
        s.push_str(subgroups::FUNCTIONS);
        s.push_str(&subgroups::section(spec));
    }
    if imputation::asked(spec) {
        s.push_str(&imputation::section(spec));
    }
    if confounding::asked(spec) {
        s.push_str(confounding::FUNCTIONS);
        s.push_str(&confounding::sections(spec));
        s.push_str(&subgroups::adjusted(spec));
    }
    if matching::asked(spec) {
        s.push_str(matching::FUNCTIONS);
        s.push_str(&matching::section(spec));
    }
    s.push_str(
        "\n# ---- the numbers, as SurvLens's results JSON (partial) ----------------------------\n\
         json <- to_json(res)\n\
         if (nzchar(out_file)) writeLines(json, out_file, useBytes = TRUE) else cat(\"\\n## results (JSON)\\n\", json, \"\\n\", sep = \"\")\n",
    );
    s
}

fn header(spec: &Spec, opts: &RScriptOptions, book: Option<&workbook::Workbook>) -> String {
    let protocol = crate::report_html::protocol_text(spec);
    let sha = crate::report_html::sha256_hex(protocol.as_bytes());
    let name = if opts.data_name.is_empty() {
        "data.csv"
    } else {
        &opts.data_name
    };
    let mut skipped: Vec<&str> = Vec::new();
    let cox = spec.cox.as_ref();
    for (key, present) in [
        (
            "table1 (no group)",
            spec.table1.is_some() && !table1::reproduced(spec),
        ),
        (
            "propensity (no group)",
            spec.propensity.is_some() && spec.group.is_none(),
        ),
        (
            "adjusted.bootstrap",
            spec.adjusted
                .as_ref()
                .is_some_and(|a| a.bootstrap.is_some()),
        ),
        (
            "emulation.bootstrap (its limits)",
            spec.emulation
                .as_ref()
                .is_some_and(|e| e.bootstrap.is_some()),
        ),
        ("cox.univariable", cox.is_some_and(|c| c.univariable)),
        (
            "imputation.adjusted",
            spec.imputation.is_some() && spec.propensity.is_some() && spec.adjusted.is_some(),
        ),
        (
            "competing_risks (delayed entry)",
            spec.competing_risks.is_some() && spec.time.entry.is_some(),
        ),
        (
            "cox.ph_test.residuals",
            cox.and_then(|c| c.ph_test.as_ref())
                .is_some_and(|p| p.residuals),
        ),
    ] {
        if present {
            skipped.push(key);
        }
    }
    // The packages beyond survival, each with what it computes.
    let mut extra: Vec<(&str, &str)> = Vec::new();
    if competing::needs_cmprsk(spec) {
        extra.push(("cmprsk", "Gray's test, Fine-Gray"));
    }
    if matching::asked(spec) {
        extra.push(("MatchIt", "matching"));
    }
    if imputation::asked(spec) {
        extra.push(("mice", "multiple imputation, Rubin's rules"));
    }
    let packages = match extra.as_slice() {
        [] => "survival\n# package and base R only".to_string(),
        [(name, why)] => format!("survival\n# and {name} packages ({why}) and base R only"),
        more => format!(
            "survival,\n# {} packages and base R only",
            more.iter()
                .map(|(name, why)| format!("{name} ({why})"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut h = format!(
        "# R script exported by SurvLens {version}: reproduces its analysis with R's {packages}.\n\
         # Spec SHA-256 (protocol file): {sha}\n\
         #\n\
         # Run:  Rscript this_script.R [DATA.csv [RESULTS.json]]\n\
         # DATA defaults to {name_lit}; the numbers go to RESULTS.json as SurvLens's results\n\
         # document (same keys), or to the end of the output.\n",
        version = survlens_contract::VERSION,
        name_lit = lit(name),
    );
    if !skipped.is_empty() {
        h.push_str(&format!(
            "# Not reproduced by this script: {} (see SurvLens's report).\n",
            skipped.join(", ")
        ));
    }
    if let Some(b) = book {
        h.push_str(&b.instructions(spec));
    }
    h.push_str("#\n# The spec that ran:\n");
    for line in protocol.lines() {
        h.push_str(&format!("#   {line}\n"));
    }
    h.push_str(&format!(
        "\nargs <- commandArgs(trailingOnly = TRUE)\n\
         data_file <- if (length(args) >= 1) args[1] else {}\n\
         out_file <- if (length(args) >= 2) args[2] else \"\"\n",
        lit(name)
    ));
    if let Some(b) = book {
        h.push_str(&b.guard());
    }
    h.push('\n');
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(lits(&["x", "y"]), "c(\"x\", \"y\")");
        assert_eq!(rnum(30.4375), "30.4375");
        assert_eq!(rnum(12.0), "12.0");
        assert_eq!(term("a`b"), "`a\\`b`");
    }

    #[test]
    fn immortal_time_and_table1_sections_are_written() {
        let mut v: serde_json::Value =
            serde_json::from_str(include_str!("../../../../www/demo/demo_spec.json")).unwrap();
        v["table1"] = serde_json::json!({});
        let spec = Spec::from_json(&v.to_string()).unwrap();
        let s = r_script(&spec, &RScriptOptions::default());
        for part in [
            "u <- rep(NA_real_, n_rows)",
            "res$landmark <- lapply(c(6.0, 12.0), function(L) {",
            "res$time_dependent <- local({",
            "res$immortal_time <- list(",
            "res$table1 <- table1_section(",
        ] {
            assert!(s.contains(part), "{part}");
        }
        assert!(!s.contains("# Not reproduced by this script: table1"));
    }

    #[test]
    fn delayed_entry_is_analysed_on_entry_exit_rows() {
        let spec = Spec::from_json(
            r#"{"time": {"entry": "age", "column": "exit"}, "event": {"column": "death"},
                "group": {"column": "sex"}, "km": {}, "logrank": {}, "cox": {}}"#,
        )
        .unwrap();
        let s = r_script(&spec, &RScriptOptions::default());
        assert!(s.contains("survfit(Surv(entry, time, status) ~ `sex`"));
        assert!(s.contains("coxph(Surv(entry, time, status) ~ `sex`"));
        assert!(
            s.contains("survdiff_stat <- function(dd) score_logrank(dd, \"sex\", character(0))")
        );
        assert!(!s.contains("stop(\"delayed entry"));
    }
}
