//! Shared test helpers: the contract's tolerances (docs/methods.md#agreement) in one place,
//! and a comparator of a Report against a partial expected document written by R.
#![allow(dead_code)]

use serde_json::Value;

/// Estimates, standard errors, limits, statistics: relative tolerance.
pub const REL_TOL: f64 = 1e-6;
/// ... and absolute tolerance near zero.
pub const ABS_TOL: f64 = 1e-9;
/// p-values: relative tolerance.
pub const P_REL_TOL: f64 = 1e-4;
/// ... and absolute tolerance.
pub const P_ABS_TOL: f64 = 1e-12;

/// Keys whose values are p-values.
fn is_p_value_key(key: &str) -> bool {
    key == "p" || key == "p_adjusted"
}

/// Keys never compared: metadata of the R script, and what the contract exempts.
fn is_skipped_key(key: &str) -> bool {
    key.starts_with("r_") || key == "iterations" || key == "survival_version"
}

/// True when `a` and `b` agree within the given tolerances.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a == b {
        return true;
    }
    let diff = (a - b).abs();
    diff <= abs || diff <= rel * b.abs().max(a.abs())
}

/// Compare `actual` with `expected`: every key of `expected` must be in `actual` with an
/// agreeing value; arrays must have equal length. Returns the list of mismatches.
pub fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(expected, actual, "", false, &mut out);
    out
}

fn walk(expected: &Value, actual: &Value, path: &str, p_value: bool, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if is_skipped_key(k) || (path.contains("excluded[") && k == "column") {
                    continue;
                }
                let sub = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => walk(ev, av, &sub, is_p_value_key(k), out),
                    None => out.push(format!("{sub}: missing in the report")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: length {} expected, {} found",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(ev, av, &format!("{path}[{i}]"), p_value, out);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            let (rel, abs) = if p_value {
                (P_REL_TOL, P_ABS_TOL)
            } else {
                (REL_TOL, ABS_TOL)
            };
            if !close(a, e, rel, abs) {
                out.push(format!("{path}: expected {e:e}, found {a:e}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {e}, found {a}")),
    }
}

/// The folder of a reference case: `tests/reference/<case>/`.
pub fn reference_dir(case: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(case)
}

/// A reference case's `data.csv` (as text) and `spec.json` (parsed).
pub fn reference_case(case: &str) -> (String, Value) {
    let d = reference_dir(case);
    let data = std::fs::read_to_string(d.join("data.csv")).expect("data.csv");
    let spec = std::fs::read_to_string(d.join("spec.json")).expect("spec.json");
    (data, serde_json::from_str(&spec).expect("spec parses"))
}

/// Run the analysis of `spec` on `data`; the Report as JSON.
pub fn report_json(data: &str, spec: &Value) -> Result<Value, survlens::Error> {
    survlens::Analysis::from_json(&spec.to_string())
        .run(data.as_bytes())
        .map(|r| serde_json::to_value(&r).expect("serializes"))
}
