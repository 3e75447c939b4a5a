//! Each model states its own rows: `n`, `n_events` and `missing_covariates` of the
//! `cox`, `propensity` and `adjusted` sections (complete cases per model), in table
//! captions and in the results paragraph.

use super::i18n::{fill, Texts};
use super::tables::{f, s};
use serde_json::Value;

/// "n = 170, 120 events; 58 left out for a missing covariate: meal_cal 47, wt_loss 14"
/// (the last part only when the model left rows out); empty without `n`.
pub(super) fn note(section: &Value, t: &Texts) -> String {
    if section["n"].is_null() {
        return String::new();
    }
    let mut out = fill(
        t.model_n,
        &[
            ("n", &s(&section["n"])),
            ("events", &s(&section["n_events"])),
        ],
    );
    let missing = &section["missing_covariates"];
    if f(&missing["n"]).is_some_and(|n| n > 0.0) {
        out.push_str("; ");
        out.push_str(&fill(
            t.model_left_out,
            &[("n", &s(&missing["n"])), ("columns", &columns(missing))],
        ));
    }
    out
}

/// `caption (note)`, or the caption alone when the section has no `n`.
pub(super) fn caption(caption: &str, section: &Value, t: &Texts) -> String {
    let n = note(section, t);
    if n.is_empty() {
        caption.to_string()
    } else {
        format!("{caption} ({n})")
    }
}

/// "meal_cal 47, wt_loss 14": the rows missing each covariate.
fn columns(missing: &Value) -> String {
    missing["by_column"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k} {}", s(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// One sentence per model that left rows out for a missing covariate: which model, its
/// rows and events, how many it left out and for which columns.
pub(super) fn sentences(report: &Value, t: &Texts, out: &mut Vec<String>) {
    for (key, model) in [
        ("cox", t.t_cox),
        ("propensity", t.t_ps_model_short),
        ("adjusted", t.t_adjusted_short),
    ] {
        let section = &report[key];
        let missing = &section["missing_covariates"];
        if !f(&missing["n"]).is_some_and(|n| n > 0.0) {
            continue;
        }
        out.push(fill(
            t.r_model_rows,
            &[
                ("model", model),
                ("n", &s(&section["n"])),
                ("used", &s(&report["data"]["n_used"])),
                ("events", &s(&section["n_events"])),
                ("missing", &s(&missing["n"])),
                ("columns", &columns(missing)),
            ],
        ));
    }
}
