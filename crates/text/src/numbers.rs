//! The one formatter of every number a reader sees: the HTML report, the figures, the
//! readings, notes and warnings, and the page (through the wasm shell,
//! `www/lib/format.js`). The results JSON and the CSV exports keep full precision; only
//! what is *printed* goes through here. The rule (docs/methods.md, "Numbers"):
//!
//! | quantity | rule | examples |
//! |---|---|---|
//! | p-value | below 0.001: "< 0.001"; above 0.99: "> 0.99"; otherwise two significant digits with at least two decimals, three (or more) when two would round across 0.05 | 0.43, 0.10, 0.023, 0.0037, 0.0010, 0.0496 (never "0.050") |
//! | p in a sentence | "p" and the value: "p < 0.001", "p = 0.023", "p > 0.99" | |
//! | ratio (HR, its CI limits, E-value) | 2 decimals below 10, 1 below 100, else 0; a value that would print as 1.00 but is not 1 gets up to 4 decimals, so its side of 1 shows | 0.31, 0.998, 12.4, 154 |
//! | interval | lower, the language's word, upper: "0.18 to 0.53", "0.18 至 0.53" (a dash would read as a minus sign before a negative limit) | |
//! | percent | a proportion × 100 with one decimal, no sign | 73.4 |
//! | time | one decimal, in the analysis unit | 12.5 |
//! | count | a whole number without decimals, a weighted one with one | 42, 41.7 |
//! | other statistics | a fixed number of decimals chosen by the caller (χ² 2, SMD 2 or 3, coefficients 4) | |
//!
//! A missing value (absent, NaN, ±∞, a negative p) prints as [`MISSING`] ("—") in a
//! value cell and as [`MISSING_IN_SENTENCE`] ("NA") inside a sentence ("p = NA"). Every
//! number uses a `.` decimal point in every language and never prints as "-0.00".
//!
//! R equivalent of the p rule (for checking): `format.pval(signif(p, 2), eps = 0.001)`,
//! save for the 0.05 guard, the two-decimal floor and "> 0.99".

use super::Lang;

/// A missing value in a table cell or a card.
pub const MISSING: &str = "—";
/// A missing value inside a sentence.
pub const MISSING_IN_SENTENCE: &str = "NA";
/// The significance level the p rule protects from rounding across.
const ALPHA: f64 = 0.05;

/// `x` with `digits` decimals, or `None` when not finite; never "-0.00".
fn decimals(x: f64, digits: usize) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let s = format!("{x:.digits$}");
    // "-0.00" reads as a sign error.
    Some(match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    })
}

/// `x` with `digits` decimals; [`MISSING`] when absent or not finite.
pub fn fixed(x: Option<f64>, digits: usize) -> String {
    x.and_then(|v| decimals(v, digits))
        .unwrap_or_else(|| MISSING.to_string())
}

/// `p` with `sig` significant digits (at least two decimals), given p in [0.001, 0.99].
fn p_digits(p: f64, sig: usize) -> String {
    // p in [10^-k, 10^-(k-1)) needs k - 1 + sig decimals (k = 1, 2 or 3 here; found by
    // comparison, not log10, which is not bit-identical across platforms).
    let k = [0.1, 0.01].iter().take_while(|&&d| p < d).count() + 1;
    let mut d = (k - 1 + sig).max(2);
    let mut s = format!("{p:.d$}");
    // Rounding up into the next decade (0.0999 → "0.100") adds a digit: drop it.
    let decade = [1.0, 0.1, 0.01][k - 1];
    if d > 2 && s.parse::<f64>().is_ok_and(|r| r >= decade) {
        d -= 1;
        s = format!("{p:.d$}");
    }
    s
}

/// A p-value, value form: "< 0.001", "0.023", "> 0.99"; `None` when `p` is not a
/// p-value (NaN, infinite, negative). Values just above 1 (rounding) read "> 0.99".
pub fn p_value(p: f64) -> Option<String> {
    if !p.is_finite() || p < 0.0 {
        return None;
    }
    if p < 0.001 {
        return Some("< 0.001".to_string());
    }
    if p > 0.99 {
        return Some("> 0.99".to_string());
    }
    // Two significant digits, more while the printed value falls on the other side
    // of 0.05 than p (0.0496 → "0.050" would read as not significant).
    let mut shown = p_digits(p, 2);
    for sig in 3..=8 {
        let crosses = shown
            .parse::<f64>()
            .is_ok_and(|r| (r < ALPHA) != (p < ALPHA));
        if !crosses {
            break;
        }
        shown = p_digits(p, sig);
    }
    Some(shown)
}

/// A p-value in a table cell: [`p_value`], or [`MISSING`].
pub fn p_cell(p: Option<f64>) -> String {
    p.and_then(p_value).unwrap_or_else(|| MISSING.to_string())
}

/// A p-value in a sentence: "p < 0.001", "p = 0.023", "p > 0.99", "p = NA".
pub fn p_sentence(p: Option<f64>) -> String {
    match p.and_then(p_value) {
        Some(v) if v.starts_with(['<', '>']) => format!("p {v}"),
        Some(v) => format!("p = {v}"),
        None => format!("p = {MISSING_IN_SENTENCE}"),
    }
}

/// A ratio (hazard ratio, its CI limits, an E-value), or `None` when not finite: 2
/// decimals below 10, 1 below 100, else 0; a value that would print as 1.00 but is not
/// 1 gets up to 4 decimals, so that its side of 1 shows.
pub fn ratio_value(x: f64) -> Option<String> {
    let digits = match x.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let mut s = decimals(x, digits)?;
    if digits == 2 && x != 1.0 {
        for d in 3..=4 {
            if s.parse::<f64>() != Ok(1.0) {
                break;
            }
            s = decimals(x, d)?;
        }
    }
    Some(s)
}

/// A ratio in a table cell: [`ratio_value`], or [`MISSING`].
pub fn ratio(x: Option<f64>) -> String {
    x.and_then(ratio_value)
        .unwrap_or_else(|| MISSING.to_string())
}

/// The word between the limits of an interval in `lang`.
pub fn interval_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " to ",
        Lang::Zh => " 至 ",
    }
}

/// An interval of two printed limits: "0.18 to 0.53" / "0.18 至 0.53".
pub fn interval(lower: &str, upper: &str, lang: Lang) -> String {
    format!("{lower}{}{upper}", interval_word(lang))
}

/// A confidence interval of a ratio, each limit by [`ratio`].
pub fn ratio_ci(lower: Option<f64>, upper: Option<f64>, lang: Lang) -> String {
    interval(&ratio(lower), &ratio(upper), lang)
}

/// A confidence interval with `digits` decimals on both limits (see [`fixed`]).
pub fn fixed_ci(lower: Option<f64>, upper: Option<f64>, digits: usize, lang: Lang) -> String {
    interval(&fixed(lower, digits), &fixed(upper, digits), lang)
}

/// A proportion as a percentage with one decimal, without the sign: 0.734 → "73.4".
pub fn percent(proportion: Option<f64>) -> String {
    fixed(proportion.map(|p| 100.0 * p), 1)
}

/// A time in the analysis unit with one decimal: "12.5".
pub fn time(x: Option<f64>) -> String {
    fixed(x, 1)
}

/// A count: whole numbers without decimals ("42"), weighted counts with one ("41.7").
pub fn count(x: f64) -> String {
    if x.is_finite() && (x - x.round()).abs() < 1e-9 {
        decimals(x.round(), 0).unwrap_or_else(|| MISSING.to_string())
    } else {
        fixed(Some(x), 1)
    }
}

/// A value the user wrote or a value of the data, as a label (subgroup levels "≤60",
/// "60–70", ">70", or one level per value "2"): the shortest decimal that reads back as
/// the same number (60, 62.5, 0.1), never "-0"; [`MISSING`] when not finite.
pub fn label_value(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let x = if x == 0.0 { 0.0 } else { x };
    format!("{x}")
}

/// A number as a file held it, quoted back in an error (a value of another program's
/// file): the shortest decimal that reads back as the same number, in exponent form
/// from 10¹⁵ up and below 10⁻⁶ (1e127 rather than 128 digits, 8.9e-7), never "-0";
/// "NaN", "inf" or "-inf" as they are.
pub fn written_value(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x != 0.0 && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        label_value(x)
    }
}

#[cfg(test)]
#[path = "numbers_tests.rs"]
mod tests;
