//! What a reader sees of a results document: the figures (plotters: canvas in the page,
//! SVG and PNG everywhere), the self-contained HTML report, and the R script that
//! reproduces the analysis. Everything here reads the typed results (`survlens_contract`)
//! and the words of `survlens_text`.

pub mod plot;
pub mod report_html;
pub mod rscript;
