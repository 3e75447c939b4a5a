//! Messages in the reader's language: one catalogue of every warning code and error
//! kind, rendered from the structured data (warning `code` + `context`; error kind +
//! column + line + value), in English and Simplified Chinese.
//!
//! The results document keeps its English `message` (docs/results.md#warnings); the page and the
//! CLI call [`localize`] (and the analysis error's `error_text`) to show the reader's language:
//! - warnings: [`warning_text`] (`None` for a code the catalogue does not know: show
//!   the English `message`);
//! - errors: ingest errors' own `message_zh`, [`spec_error_zh`].

pub mod emulation_words;
pub mod figure_words;
pub mod follow_up_words;
pub mod i18n;
pub mod immortal_reading;
pub mod imputation_words;
pub mod matching_words;
pub mod numbers;
pub mod period_reasons;
pub mod period_words;
pub mod ph_reading;
pub mod readings;
pub mod rules;
pub mod sites_words;
mod text_en;
mod text_zh;
mod warnings;
pub mod weighted_reading;

pub use crate::i18n::Lang;
pub use warnings::{Entry, WARNINGS};

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use survlens_contract::cox::PhTest;
use survlens_contract::immortal::Comparison;
use survlens_contract::report::{Report, Skip};
use survlens_contract::warning::{Warning, WarningCode};
use survlens_contract::SpecError;

/// A warning's `context`.
pub type Context = BTreeMap<String, Value>;

/// The warning `code` with `context` in `lang`: the first template of the code whose
/// placeholders the context fills.
pub fn warning_text(code: WarningCode, context: &Context, lang: Lang) -> Option<String> {
    // A model `source` code ("adjusted.cox") reads as its name in the language.
    let mut named;
    let context = match context.get("source").and_then(Value::as_str) {
        Some(source) if lang != Lang::En => {
            named = context.clone();
            let t = crate::i18n::texts(lang);
            let name = crate::i18n::source_name(source, t);
            named.insert("source".into(), Value::String(name));
            &named
        }
        _ => context,
    };
    // An emulation arm code ("treat", "control") reads as the strategy's name.
    let mut armed;
    let context = match context.get("arm").and_then(Value::as_str) {
        Some(arm) if lang != Lang::En => match emulation_words::arm_name(arm, lang) {
            Some(name) => {
                armed = context.clone();
                armed.insert("arm".into(), Value::String(name.into()));
                &armed
            }
            None => context,
        },
        _ => context,
    };
    // The reason the period model failed reads in the language (period_reasons).
    let mut reasoned;
    let context = match context.get("reason").and_then(Value::as_str) {
        Some(reason) if code == WarningCode::CoxPeriodsFailed && lang != Lang::En => {
            match period_reasons::CoxPeriodsReason::from_en(reason) {
                Some(r) => {
                    reasoned = context.clone();
                    reasoned.insert("reason".into(), Value::String(r.text(lang).into()));
                    &reasoned
                }
                None => context,
            }
        }
        _ => context,
    };
    if code == WarningCode::AdjustedHr {
        if let Some(text) = weighted_reading::from_context(context, lang) {
            return Some(text);
        }
    }
    WARNINGS
        .iter()
        .filter(|e| e.code == code)
        .find_map(|e| render(template(e, lang), context, lang))
}

/// The warning `code` with its English sentence from the catalogue (the code's first
/// template without placeholders): the one home of a fixed text, so the results'
/// `message` and the catalogue cannot drift apart. Context is added with
/// [`Warning::with`]. A code without such a template (a bug: the tests check every
/// call) gets the code itself as its message.
pub fn warning(code: WarningCode) -> Warning {
    let empty = Context::new();
    let message = WARNINGS
        .iter()
        .filter(|e| e.code == code)
        .find_map(|e| render(e.en, &empty, Lang::En))
        .unwrap_or_else(|| code.to_string());
    Warning::new(code, message)
}

/// The warning `code` with `context`, its English sentence rendered from the catalogue's
/// first template the context fills (as [`warning_text`] in English): the one home of
/// a text with values. A code without such a template (a bug: the tests check every
/// call) gets the code itself as its message.
pub fn warning_with<'a>(
    code: WarningCode,
    context: impl IntoIterator<Item = (&'a str, Value)>,
) -> Warning {
    let context: Context = context
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let message = WARNINGS
        .iter()
        .filter(|e| e.code == code)
        .find_map(|e| render(e.en, &context, Lang::En))
        .unwrap_or_else(|| code.to_string());
    let mut w = Warning::new(code, message);
    w.context = context;
    w
}

/// The template of `entry` in `lang`.
pub fn template(entry: &Entry, lang: Lang) -> &'static str {
    match lang {
        Lang::En => entry.en,
        Lang::Zh => entry.zh,
    }
}

/// The names of the `{placeholders}` of a template (without their `:format`), in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let inner = &after[..close];
        let name = inner.split(':').next().unwrap_or(inner);
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out
}

/// How a number placeholder prints (after the `:` of `{name:…}`), by the number rule of
/// [`numbers`]: `.N` N decimals, `ratio` a ratio (HR, E-value), `p` a p-value; none:
/// the JSON number as it is (a count, a landmark time).
#[derive(Clone, Copy)]
enum NumberFormat {
    Plain,
    Fixed(usize),
    Ratio,
    P,
}

impl NumberFormat {
    fn of(spec: Option<&str>) -> Option<NumberFormat> {
        match spec {
            None => Some(NumberFormat::Plain),
            Some("ratio") => Some(NumberFormat::Ratio),
            Some("p") => Some(NumberFormat::P),
            Some(s) => s.strip_prefix('.')?.parse().ok().map(NumberFormat::Fixed),
        }
    }
}

/// Fills `template` from `context`; `None` when a placeholder has no value.
fn render(template: &str, context: &Context, lang: Lang) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let inner = &after[..close];
        let (name, spec) = match inner.split_once(':') {
            Some((n, f)) => (n, Some(f)),
            None => (inner, None),
        };
        let format = NumberFormat::of(spec)?;
        out.push_str(&value_text(context.get(name)?, format, lang)?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn value_text(v: &Value, format: NumberFormat, lang: Lang) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => {
            let x = n.as_f64()?;
            Some(match format {
                // A float as its shortest exact decimal (200.0 → "200"), as the same
                // value reads after a trip through JavaScript (the page's copy).
                NumberFormat::Plain if n.is_f64() => numbers::label_value(x),
                NumberFormat::Plain => n.to_string(),
                NumberFormat::Fixed(d) => numbers::fixed(Some(x), d),
                NumberFormat::Ratio => numbers::ratio(Some(x)),
                NumberFormat::P => numbers::p_cell(Some(x)),
            })
        }
        Value::Array(items) => {
            let parts: Option<Vec<String>> =
                items.iter().map(|i| value_text(i, format, lang)).collect();
            let sep = match lang {
                Lang::En => ", ",
                Lang::Zh => "、",
            };
            Some(parts?.join(sep))
        }
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Object(_) => None,
    }
}

/// A spec error in Chinese. The detail of `Invalid` is a sentence written where the
/// rule is checked, in English; it is quoted after the Chinese lead. `Translated` carries
/// its Chinese detail.
pub fn spec_error_zh(e: &SpecError) -> String {
    match e {
        SpecError::Json {
            message,
            line,
            column,
        } => format!(
            "分析设定无效（设定第 {line} 行第 {column} 列；JSON 解析器的原文：“{message}”）。请修正设定文件；SurvLens 仓库中的 docs/spec.md 列出了所有键，也可以用页面上的控件设定分析。"
        ),
        SpecError::Invalid { field, message } => {
            format!("分析设定中的字段“{field}”无效：{message}")
        }
        SpecError::Translated {
            field, message_zh, ..
        } => format!("分析设定中的字段“{field}”无效：{message_zh}"),
    }
}

/// The texts of a results document in `lang`, for the page's language switch
/// (serialized `{"warnings": [text | null, ...], "texts": {english: localized, ...}}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Localized {
    /// Every English sentence the core wrote into the document (warnings, the `notes`
    /// of propensity / adjusted / sensitivity, the proportional-hazards readings, the
    /// immortal-time explanation) to its translation, so the page can swap any of them
    /// wherever it shows them. English: empty.
    pub texts: BTreeMap<String, String>,
    /// One entry per `warnings` item (`None`: the catalogue has no text, show the
    /// English `message`).
    pub warnings: Vec<Option<String>>,
}

/// What [`localize`] reads of a results document: the typed [`Report`], or the parts
/// of the page's copy of it that the WebAssembly shell reads back.
#[derive(Debug, Clone, Default)]
pub struct Sentences<'a> {
    pub warnings: &'a [Warning],
    /// The `notes` of `propensity`, `adjusted` and `sensitivity`.
    pub notes: Vec<&'a [Warning]>,
    /// The proportional-hazards tests with their verdicts: `cox.ph_test`, then
    /// `time_dependent.cox.ph_test` (the test on the (start, stop] rows).
    pub ph_tests: Vec<&'a PhTest>,
    /// The group labels, reference first.
    pub labels: Vec<&'a str>,
    /// Whether the report has an RMST comparison.
    pub rmst: bool,
    pub immortal_time: Option<&'a Comparison>,
}

impl<'a> From<&'a Report> for Sentences<'a> {
    fn from(r: &'a Report) -> Self {
        let mut notes: Vec<&[Warning]> = Vec::new();
        notes.extend(r.propensity.as_ref().map(|p| &p.notes[..]));
        notes.extend(r.adjusted.as_ref().map(|p| &p.notes[..]));
        notes.extend(r.sensitivity.as_ref().map(|p| &p.notes[..]));
        Sentences {
            warnings: &r.warnings,
            notes,
            ph_tests: [Some(&r.cox), r.time_dependent.as_ref().map(|td| &td.cox)]
                .into_iter()
                .flatten()
                .filter_map(|cox| match cox {
                    Skip::Value(cox) => cox.ph_test.as_ref(),
                    _ => None,
                })
                .collect(),
            labels: r.groups.iter().map(|g| g.label.as_str()).collect(),
            rmst: r.rmst_difference.as_ref().is_some_and(|d| !d.is_empty()),
            immortal_time: r.immortal_time.as_ref(),
        }
    }
}

/// The texts of `report` in `lang` (see [`Localized`]).
pub fn localize(report: &Report, lang: Lang) -> Localized {
    localize_sentences(&Sentences::from(report), lang)
}

/// [`localize`] of what the caller read of a results document.
pub fn localize_sentences(doc: &Sentences, lang: Lang) -> Localized {
    let text_of = |w: &Warning| warning_text(w.code, &w.context, lang);
    let warnings = doc
        .warnings
        .iter()
        .map(|w| match lang {
            Lang::En => Some(w.message.clone()),
            Lang::Zh => text_of(w),
        })
        .collect();
    let mut texts = BTreeMap::new();
    if lang != Lang::En {
        for w in std::iter::once(doc.warnings)
            .chain(doc.notes.iter().copied())
            .flatten()
        {
            if let Some(t) = text_of(w) {
                texts.insert(w.message.clone(), t);
            }
        }
        for ph in &doc.ph_tests {
            let zh = readings::ph_readings_zh(ph, &doc.labels, doc.rmst);
            for (t, z) in ph.terms.iter().zip(zh.terms) {
                texts.insert(t.reading.clone(), z);
            }
            texts.insert(ph.reading.clone(), zh.global);
        }
        if let Some(cmp) = doc.immortal_time {
            let (zh, labels) = readings::immortal_zh(cmp);
            if cmp.explanation.len() == zh.len() {
                texts.extend(cmp.explanation.iter().cloned().zip(zh));
            }
            texts.extend(labels);
        }
    }
    Localized { texts, warnings }
}

#[cfg(test)]
mod tests;
