//! Messages in the reader's language: one catalogue of every warning code and error
//! kind, rendered from the structured data (warning `code` + `context`; error kind +
//! column + line + value), in English and Simplified Chinese.
//!
//! The results document keeps its English `message` (docs/results.md#warnings); the page and the
//! CLI call [`localize`] / [`error_text`] to show the reader's language:
//! - warnings: [`warning_text`] (`None` for a code the catalogue does not know: show
//!   the English `message`);
//! - errors: [`error_text`] (English = the error's own sentence).

pub mod immortal_reading;
pub mod numbers;
mod readings;
pub mod rules;
mod warnings;
pub mod weighted_reading;

pub use crate::report_html::Lang;
pub use warnings::{Entry, WARNINGS};

use crate::analysis::SpecError;
use crate::error::Error;
use serde_json::{Map, Value};

/// The warning `code` with `context` in `lang`: the first template of the code whose
/// placeholders the context fills.
pub fn warning_text(code: &str, context: &Map<String, Value>, lang: Lang) -> Option<String> {
    // A model `source` code ("adjusted.cox") reads as its name in the language.
    let mut named;
    let context = match context.get("source").and_then(Value::as_str) {
        Some(source) if lang != Lang::En => {
            named = context.clone();
            let t = crate::report_html::i18n::texts(lang);
            let name = crate::report_html::i18n::source_name(source, t);
            named.insert("source".into(), Value::String(name));
            &named
        }
        _ => context,
    };
    if code == "adjusted_hr" {
        if let Some(text) = weighted_reading::from_context(context, lang) {
            return Some(text);
        }
    }
    WARNINGS
        .iter()
        .filter(|e| e.code == code)
        .find_map(|e| render(template(e, lang), context, lang))
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
fn render(template: &str, context: &Map<String, Value>, lang: Lang) -> Option<String> {
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

/// The error's sentence in `lang` (English: the error's own `Display`).
pub fn error_text(e: &Error, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => match e {
            Error::Ingest(i) => i.message_zh(),
            Error::Spec(s) => spec_zh(s),
            Error::Internal(m) => format!("内部错误（请报告此问题）：{m}"),
        },
    }
}

/// A spec error in Chinese. The detail of `Invalid` is a sentence written where the
/// rule is checked, in English; it is quoted after the Chinese lead.
fn spec_zh(e: &SpecError) -> String {
    match e {
        SpecError::Json {
            message,
            line,
            column,
        } => format!(
            "分析设定无效（设定第 {line} 行第 {column} 列）：{message}。请修正设定文件；SurvLens 仓库中的 docs/spec.md 列出了所有键，也可以用页面上的控件设定分析。"
        ),
        SpecError::Invalid { field, message } => {
            format!("分析设定中的字段“{field}”无效：{message}")
        }
    }
}

/// The texts of a results document in `lang`, for the page's language switch:
/// `{"warnings": [text | null, ...], "texts": {english: localized, ...}}`.
///
/// `warnings` has one entry per `warnings` item (null: the catalogue has no text, show
/// the English `message`). `texts` maps every English sentence the core wrote into the
/// document (warnings, the `notes` of propensity / adjusted / sensitivity, the
/// proportional-hazards readings, the immortal-time explanation) to its translation,
/// so the page can swap any of them wherever it shows them. English: `texts` is empty.
pub fn localize(value: &Value, lang: Lang) -> Value {
    let empty = Map::new();
    let text_of = |w: &Value| -> Option<String> {
        let code = w.get("code").and_then(Value::as_str).unwrap_or("");
        let ctx = w
            .get("context")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        warning_text(code, ctx, lang)
    };
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let warnings: Vec<Value> = list(&value["warnings"])
        .iter()
        .map(|w| match lang {
            Lang::En => w.get("message").cloned().unwrap_or(Value::Null),
            Lang::Zh => text_of(w).map_or(Value::Null, Value::String),
        })
        .collect();
    let mut texts = Map::new();
    if lang != Lang::En {
        let notes = [
            &value["warnings"],
            &value["propensity"]["notes"],
            &value["adjusted"]["notes"],
            &value["sensitivity"]["notes"],
        ];
        for w in notes.iter().flat_map(|v| list(v)) {
            if let (Some(en), Some(t)) = (w.get("message").and_then(Value::as_str), text_of(&w)) {
                texts.insert(en.to_string(), Value::String(t));
            }
        }
        let mut pair = |en: &Value, zh: &Value| {
            if let (Some(e), Some(z)) = (en.as_str(), zh.as_str()) {
                texts.insert(e.to_string(), Value::String(z.to_string()));
            }
        };
        let ph = &value["cox"]["ph_test"];
        let ph_zh = readings::ph_readings_zh(value);
        for (t, z) in list(&ph["terms"]).iter().zip(list(&ph_zh["terms"]).iter()) {
            pair(&t["reading"], z);
        }
        pair(&ph["reading"], &ph_zh["global"]);
        let en = list(&value["immortal_time"]["explanation"]);
        let (zh, labels) = readings::immortal_zh(value);
        if en.len() == list(&zh).len() {
            for (e, z) in en.iter().zip(list(&zh).iter()) {
                pair(e, z);
            }
        }
        for (e, z) in labels {
            texts.insert(e, Value::String(z));
        }
    }
    serde_json::json!({ "warnings": warnings, "texts": texts })
}

#[cfg(test)]
mod tests;
