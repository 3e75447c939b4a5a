//! Integration tests of what is made from a Report, one binary: the HTML report in both
//! languages, the figures as SVG, the exported R script run under R, and the escaping of
//! data-derived text. Run one module with `cargo test --test render report_html`.

#[path = "../common/mod.rs"]
mod common;
#[path = "../rscript_support/mod.rs"]
mod rscript_support;

mod cox_plots;
mod output_safety;
mod plot_balance;
mod plot_cif;
mod plot_conditional;
mod plot_emulation;
mod plot_matching;
mod plot_subgroups;
mod plot_svg;
mod report_competing;
mod report_follow_up;
mod report_full;
mod report_html;
mod report_i18n;
mod report_imputation;
mod report_periods;
mod rscript_export;
