//! R script export: a plain R script (survival and base R only) that reproduces the
//! analysis of a spec from the user's own CSV, so a reviewer can check every number.
//!
//! The script reads the file with every column as text and applies the contract's
//! ingest rules (missing tokens, dates, event coding, recode and levels, complete cases,
//! R's near-tie rule), then calls survfit / summary / quantile / survdiff / p.adjust /
//! coxph / cox.zph / concordance as METHODS.md names them. It prints R's usual output
//! and writes the numbers as a partial results document (CONTRACT.md "Results" keys) to
//! the file named by its second argument, or to stdout.
//!
//! The propensity model (a base-R Newton–Raphson logit), weights, balance, the weighted
//! Kaplan–Meier curves, RMST differences and Cox model, and the E-values are reproduced
//! too ([`confounding`]). Not reproduced (the script says so in its header): table1, the
//! bootstrap, treatment_time / landmark / time_dependent (and the E-values of the
//! time-dependent model), cox.univariable, the PH residuals; a spec with delayed entry
//! (`time.entry`) gives a script that stops.

mod analyses;
mod confounding;
mod ingest;

use crate::analysis::Spec;

/// What the script needs to know besides the spec.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RScriptOptions {
    /// The data file name the script reads by default (its first argument overrides).
    pub data_name: String,
    /// The delimiter (`,`, `;` or tab) when known; otherwise the script detects it from
    /// the header line as SurvLens does.
    pub delimiter: Option<char>,
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
    let mut s = header(spec, opts);
    s.push_str(include_str!("prelude.R"));
    s.push_str(&ingest::read_and_ingest(spec, opts));
    s.push_str(&analyses::analyses(spec));
    if confounding::asked(spec) {
        s.push_str(confounding::FUNCTIONS);
        s.push_str(&confounding::sections(spec));
    }
    s.push_str(
        "\n# ---- the numbers, as SurvLens's results JSON (partial) ----------------------------\n\
         json <- to_json(res)\n\
         if (nzchar(out_file)) writeLines(json, out_file, useBytes = TRUE) else cat(\"\\n## results (JSON)\\n\", json, \"\\n\", sep = \"\")\n",
    );
    s
}

fn header(spec: &Spec, opts: &RScriptOptions) -> String {
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
        ("table1", spec.table1.is_some()),
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
            "sensitivity",
            spec.sensitivity.is_some() && !confounding::sensitivity_reproduced(spec),
        ),
        ("treatment_time", spec.treatment_time.is_some()),
        ("landmark", spec.landmark.is_some()),
        ("time_dependent", spec.time_dependent.is_some()),
        ("cox.univariable", cox.is_some_and(|c| c.univariable)),
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
    let mut h = format!(
        "# R script exported by SurvLens {version}: reproduces its analysis with R's survival\n\
         # package and base R only.\n\
         # Spec SHA-256 (protocol file): {sha}\n\
         #\n\
         # Run:  Rscript this_script.R [DATA.csv [RESULTS.json]]\n\
         # DATA defaults to {name_lit}; the numbers go to RESULTS.json as SurvLens's results\n\
         # document (same keys), or to the end of the output.\n",
        version = crate::VERSION,
        name_lit = lit(name),
    );
    if !skipped.is_empty() {
        h.push_str(&format!(
            "# Not reproduced by this script: {} (see SurvLens's report).\n",
            skipped.join(", ")
        ));
    }
    h.push_str("#\n# The spec that ran:\n");
    for line in protocol.lines() {
        h.push_str(&format!("#   {line}\n"));
    }
    if spec.time.entry.is_some() {
        h.push_str("#\n# Delayed entry (time.entry) is not reproduced by this script: it stops.\n");
    }
    h.push_str(&format!(
        "\nargs <- commandArgs(trailingOnly = TRUE)\n\
         data_file <- if (length(args) >= 1) args[1] else {}\n\
         out_file <- if (length(args) >= 2) args[2] else \"\"\n\n",
        lit(name)
    ));
    if spec.time.entry.is_some() {
        h.push_str("stop(\"delayed entry (time.entry) is not reproduced by this script; see SurvLens's report\")\n");
    }
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
}
