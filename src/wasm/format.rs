//! The number formatter ([`crate::messages::numbers`]) for the page: `www/lib/format.js`
//! calls these on the main thread, so the page prints every p-value, ratio, interval,
//! percent, time and count with the report's rule and its very code. `undefined` and
//! `null` arrive as `None` and print as the missing value of the place.

use crate::messages::numbers;
use crate::report_html::Lang;
use wasm_bindgen::prelude::*;

fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// A p-value in a table cell: "< 0.001", "0.023", "> 0.99", "—".
#[wasm_bindgen]
pub fn format_p_value(p: Option<f64>) -> String {
    numbers::p_cell(p)
}

/// A p-value in a sentence: "p < 0.001", "p = 0.023", "p = NA".
#[wasm_bindgen]
pub fn format_p_sentence(p: Option<f64>) -> String {
    numbers::p_sentence(p)
}

/// A hazard ratio or another ratio: "0.31", "12.4", "154", "0.998", "—".
#[wasm_bindgen]
pub fn format_ratio(x: Option<f64>) -> String {
    numbers::ratio(x)
}

/// The confidence interval of a ratio in `lang_code`: "0.18 to 0.53", "0.18 至 0.53".
#[wasm_bindgen]
pub fn format_ratio_ci(lower: Option<f64>, upper: Option<f64>, lang_code: &str) -> String {
    numbers::ratio_ci(lower, upper, lang(lang_code))
}

/// A number with `digits` decimals, never "-0.00"; "—" when missing.
#[wasm_bindgen]
pub fn format_fixed(x: Option<f64>, digits: usize) -> String {
    numbers::fixed(x, digits)
}

/// An interval with `digits` decimals in `lang_code`: "-1.3 to 3.0".
#[wasm_bindgen]
pub fn format_fixed_ci(
    lower: Option<f64>,
    upper: Option<f64>,
    digits: usize,
    lang_code: &str,
) -> String {
    numbers::fixed_ci(lower, upper, digits, lang(lang_code))
}

/// A proportion as a percentage with one decimal: 0.734 → "73.4".
#[wasm_bindgen]
pub fn format_percent(proportion: Option<f64>) -> String {
    numbers::percent(proportion)
}

/// A time with one decimal.
#[wasm_bindgen]
pub fn format_time(x: Option<f64>) -> String {
    numbers::time(x)
}

/// A count: "42", a weighted "41.7".
#[wasm_bindgen]
pub fn format_count(x: f64) -> String {
    numbers::count(x)
}

/// The missing value of a table cell ("—").
#[wasm_bindgen]
pub fn format_missing() -> String {
    numbers::MISSING.to_string()
}

/// Two printed limits joined by the interval word of `lang_code`: "73.4 to 80.1".
#[wasm_bindgen]
pub fn format_interval(lower: &str, upper: &str, lang_code: &str) -> String {
    numbers::interval(lower, upper, lang(lang_code))
}
