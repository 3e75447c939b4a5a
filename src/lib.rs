//! SurvLens: survival analysis for observational cohorts.
//!
//! Data flows one way (see `docs/architecture.md`):
//!
//! ```text
//! file bytes ──ingest──▶ RawTable ──mapping──▶ Cohort ──stats──▶ fits
//! spec JSON ──────────────────────────▶ analysis::Analysis ──▶ Report (docs/results.md)
//! ```
//!
//! * [`stats`] is pure arithmetic on validated, time-sorted data (no I/O, no JSON).
//! * [`ingest`] turns bytes into typed columns and a validated [`ingest::Cohort`].
//! * [`analysis`] reads the spec, calls ingest and stats, builds the [`analysis::Report`];
//!   it is the only module that knows the results contract.
//! * [`plot`] draws figures from a Report on any plotters backend.

pub use survlens_analysis as analysis;
pub use survlens_analysis::error;
pub use survlens_contract::limits;
pub use survlens_ingest as ingest;
/// Messages in the reader's language (the text crate) and the analysis error's text.
pub mod messages {
    pub use crate::error::error_text;
    pub use survlens_text::*;
}
pub use survlens_contract::warning;
pub use survlens_render::plot;
/// The HTML report (the render crate's) and the one call that analyses and renders.
pub mod report_html {
    pub use survlens_render::report_html::*;

    /// Analyse `data` with `spec_json` and render the report page.
    pub fn analyze_to_html(
        data: &[u8],
        spec_json: &str,
        opts: &ReportOptions,
    ) -> Result<String, crate::Error> {
        let spec = crate::Spec::from_json(spec_json)?;
        let report = crate::analysis::Analysis::new(&spec).run(data)?;
        render(&report, &spec, data, opts).map_err(|e| crate::Error::Internal(e.to_string()))
    }
}
pub use survlens_contract as contract;
pub use survlens_render::rscript;
pub use survlens_stats as stats;
pub use survlens_timing as timing;

pub mod missing_data;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use analysis::{Analysis, Report, Spec};
pub use error::Error;
pub use warning::Warning;

/// The crate version, as reported by the CLI and the wasm module.
pub const VERSION: &str = survlens_analysis::VERSION;
