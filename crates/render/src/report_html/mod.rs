//! The reproducible report: one self-contained HTML page (inline SVG figures, inline
//! CSS, no script, print-to-PDF friendly) generated from a [`Report`] and its spec.
//!
//! It holds the methods paragraph with citations, the results paragraph, every figure
//! and table, the warnings, a STROBE checklist, the spec as it ran, the software
//! version and a fingerprint of the data (SHA-256 of the file bytes, rows used). No
//! patient-level data (not even the line numbers of left-out rows) unless asked.
//! Every text is HTML-escaped; the words come from [`i18n`] tables.

mod cite;
mod figures;
mod html;
pub use survlens_text::i18n;
mod methods;
mod methods_competing;
mod model_rows;
mod page;
mod results;
mod strobe;
mod tables;
mod tables_competing;
mod tables_confounding;
mod tables_emulation;
mod tables_follow_up;
mod tables_imputation;
mod tables_matching;
mod tables_more;
mod tables_periods;
mod tables_subgroups;

pub use figures::{all_figures, Figure, FigureFn, FigureInput, FIGURES};
pub use i18n::Lang;

use crate::plot::PlotError;
use sha2::{Digest, Sha256};
use survlens_contract::{Report, Spec};

/// Choices of the report's reader.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportOptions {
    pub lang: Lang,
    /// The data file's name as shown in the report (never its folder).
    pub data_name: String,
    /// Add the file line numbers of the rows left out (patient-level; off by default).
    pub include_patient_data: bool,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The protocol file of a spec: the spec as it runs (defaults filled in), pretty JSON
/// with a final newline. The report names its SHA-256, so `sha256sum protocol.json`
/// checks that a site ran the protocol it was sent. (Written by [`Spec::protocol_text`]:
/// the report reads no JSON.)
pub fn protocol_text(spec: &Spec) -> String {
    spec.protocol_text()
}

/// Render the report page of `report` (computed from `data` with `spec`).
pub fn render(
    report: &Report,
    spec: &Spec,
    data: &[u8],
    opts: &ReportOptions,
) -> Result<String, PlotError> {
    let input = page::PageInput {
        report,
        spec,
        data_sha256: sha256_hex(data),
        spec_text: protocol_text(spec),
        opts,
    };
    page::render(&input)
}
