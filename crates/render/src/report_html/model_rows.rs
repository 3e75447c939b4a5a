//! Each model states its own rows: `n`, `n_events` and `missing_covariates` of the
//! `cox`, `propensity` and `adjusted` sections (complete cases per model), in table
//! captions and in the results paragraph.

use super::i18n::{fill, Texts};
use survlens_contract::adjusted::AdjustedSection;
use survlens_contract::competing::{CauseSpecificModel, FineGrayModel};
use survlens_contract::cox::CoxSection;
use survlens_contract::propensity::PropensitySection;
use survlens_contract::report::MissingCovariates;
use survlens_contract::report::{Report, Skip};

/// A section fitted on its own complete cases: its rows, events and rows left out.
pub(super) trait ModelRows {
    fn n(&self) -> usize;
    fn n_events(&self) -> usize;
    fn missing(&self) -> &MissingCovariates;
}

macro_rules! model_rows {
    ($($section:ty),*) => {$(
        impl ModelRows for $section {
            fn n(&self) -> usize {
                self.n
            }
            fn n_events(&self) -> usize {
                self.n_events
            }
            fn missing(&self) -> &MissingCovariates {
                &self.missing_covariates
            }
        }
    )*};
}

model_rows!(
    CoxSection,
    PropensitySection,
    AdjustedSection,
    FineGrayModel,
    CauseSpecificModel
);

/// "n = 170, 120 events; 58 left out for a missing covariate: meal_cal 47, wt_loss 14"
/// (the last part only when the model left rows out).
pub(super) fn note(section: &dyn ModelRows, t: &Texts) -> String {
    let mut out = fill(
        t.model_n,
        &[
            ("n", &section.n().to_string()),
            ("events", &section.n_events().to_string()),
        ],
    );
    let missing = section.missing();
    if missing.n > 0 {
        out.push_str("; ");
        out.push_str(&fill(
            t.model_left_out,
            &[
                ("n", &missing.n.to_string()),
                ("columns", &columns(missing)),
            ],
        ));
    }
    out
}

/// `caption (note)`.
pub(super) fn caption(caption: &str, section: &dyn ModelRows, t: &Texts) -> String {
    format!("{caption} ({})", note(section, t))
}

/// "meal_cal 47, wt_loss 14": the rows missing each covariate.
fn columns(missing: &MissingCovariates) -> String {
    missing
        .by_column
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One sentence per model that left rows out for a missing covariate: which model, its
/// rows and events, how many it left out and for which columns.
pub(super) fn sentences(report: &Report, t: &Texts, out: &mut Vec<String>) {
    let cox = match &report.cox {
        Skip::Value(c) => Some(c as &dyn ModelRows),
        _ => None,
    };
    for (section, model) in [
        (cox, t.t_cox),
        (
            report.propensity.as_ref().map(|p| p as &dyn ModelRows),
            t.t_ps_model_short,
        ),
        (
            report.adjusted.as_ref().map(|a| a as &dyn ModelRows),
            t.t_adjusted_short,
        ),
    ] {
        let Some(section) = section.filter(|s| s.missing().n > 0) else {
            continue;
        };
        let missing = section.missing();
        out.push(fill(
            t.r_model_rows,
            &[
                ("model", model),
                ("n", &section.n().to_string()),
                ("used", &report.data.n_used.to_string()),
                ("events", &section.n_events().to_string()),
                ("missing", &missing.n.to_string()),
                ("columns", &columns(missing)),
            ],
        ));
    }
}
