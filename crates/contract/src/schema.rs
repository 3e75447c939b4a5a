//! JSON Schema (draft 2020-12) of the spec and of the results document, generated from
//! the types of this crate, and a Markdown reference written from those schemas.
//!
//! The committed copies (`docs/schema/spec.schema.json`, `docs/schema/results.schema.json`,
//! `docs/reference/spec.md`, `docs/reference/results.md`) are checked against these
//! functions by `tests/docs/generated.rs`; `SURVLENS_BLESS=1 cargo test --test
//! docs generated` rewrites them. The page's TypeScript declarations (`www/survlens.d.ts`)
//! are generated from the schemas.
//!
//! The spec's schema describes what is read (`#[serde(default)]` keys are optional); the
//! results' schema what is written (keys skipped when empty are optional). Numbers that
//! are not finite are written as `null` by the JSON writer.

use crate::{Report, Spec};
use schemars::generate::SchemaSettings;
use serde_json::Value;
use std::fmt::Write as _;

/// The JSON Schema of the analysis spec.
pub fn spec_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    generator.into_root_schema_for::<Spec>().to_value()
}

/// The JSON Schema of the results document.
pub fn results_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    generator.into_root_schema_for::<Report>().to_value()
}

/// The JSON Schema of a site summary (`survlens site`, docs/methods.md#sites).
pub fn site_summary_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    generator
        .into_root_schema_for::<crate::sites::SiteSummary>()
        .to_value()
}

/// The JSON Schema of the coordinator's pooled document (`survlens pool`).
pub fn pooled_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    generator
        .into_root_schema_for::<crate::sites::Pooled>()
        .to_value()
}

/// A Markdown reference of `schema`: the root object, then every definition in
/// alphabetical order, each a table of its keys (type, required, description).
pub fn markdown(title: &str, intro: &str, schema: &Value) -> String {
    let mut out = format!("# {title}\n\n{intro}\n\n");
    out.push_str("<!-- Generated from the contract crate's types (crates/contract/src/schema.rs); do not edit. -->\n\n");
    write_object(&mut out, "(root)", schema);
    if let Some(defs) = schema.get("$defs").and_then(Value::as_object) {
        let mut names: Vec<&String> = defs.keys().collect();
        names.sort();
        for name in names {
            write_object(&mut out, name, &defs[name]);
        }
    }
    out
}

fn write_object(out: &mut String, name: &str, schema: &Value) {
    let _ = writeln!(out, "## {name}\n");
    if let Some(d) = description(schema) {
        let _ = writeln!(out, "{d}\n");
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.push_str("| key | type | required | description |\n|---|---|---|---|\n");
        for (key, prop) in props {
            let _ = writeln!(
                out,
                "| `{key}` | {} | {} | {} |",
                type_of(prop).replace('|', "\\|"),
                if required.contains(&key.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                description(prop).unwrap_or_default().replace('|', "\\|")
            );
        }
        out.push('\n');
    } else {
        let _ = writeln!(out, "Type: {}\n", type_of(schema));
    }
    for variant in alternatives(schema) {
        if variant.get("properties").is_some() {
            let title = variant
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or("one form");
            write_object(out, &format!("{name}: {title}"), variant);
        }
    }
}

fn alternatives(schema: &Value) -> Vec<&Value> {
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .collect()
}

/// The description of a schema, on one line.
fn description(schema: &Value) -> Option<String> {
    let d = schema.get("description")?.as_str()?;
    Some(d.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A short type expression: `number`, `string \| null`, `array of [KmSection](#kmsection)`.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[{name}](#{})", name.to_lowercase());
    }
    if let Some(c) = schema.get("const") {
        return format!("`{c}`");
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        let v: Vec<String> = e.iter().map(|x| format!("`{x}`")).collect();
        return v.join(", ");
    }
    let alts = alternatives(schema);
    if !alts.is_empty() {
        let v: Vec<String> = alts.iter().map(|a| type_of(a)).collect();
        return v.join(" or ");
    }
    let types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => vec![],
    };
    let named: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "array" => match schema.get("items") {
                Some(items) if items.is_object() => format!("array of {}", type_of(items)),
                Some(Value::Array(tuple)) => {
                    let v: Vec<String> = tuple.iter().map(type_of).collect();
                    format!("[{}]", v.join(", "))
                }
                _ => match schema.get("prefixItems").and_then(Value::as_array) {
                    Some(tuple) => {
                        let v: Vec<String> = tuple.iter().map(type_of).collect();
                        format!("[{}]", v.join(", "))
                    }
                    None => "array".to_string(),
                },
            },
            "object" => match schema.get("additionalProperties") {
                Some(v @ Value::Object(_)) if schema.get("properties").is_none() => {
                    format!("map of {}", type_of(v))
                }
                _ => "object".to_string(),
            },
            other => other.to_string(),
        })
        .collect();
    if named.is_empty() {
        "any".to_string()
    } else {
        named.join(" or ")
    }
}
