//! Palette, line styles, text and dashes shared by the figures.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

/// Okabe–Ito colour-blind-safe palette (yellow left out: too faint on white).
pub const OKABE_ITO: [(u8, u8, u8); 7] = [
    (0x00, 0x72, 0xB2), // blue
    (0xD5, 0x5E, 0x00), // vermillion
    (0x00, 0x9E, 0x73), // bluish green
    (0xCC, 0x79, 0xA7), // reddish purple
    (0xE6, 0x9F, 0x00), // orange
    (0x56, 0xB4, 0xE9), // sky blue
    (0x00, 0x00, 0x00), // black
];

/// Dash patterns (on, off, ...) in layout px, one per group, so curves stay
/// distinct when printed in grey. Empty = solid.
pub const DASH_PATTERNS: [&[f64]; 6] = [
    &[],
    &[9.0, 4.0],
    &[2.5, 3.0],
    &[9.0, 3.0, 2.5, 3.0],
    &[14.0, 4.0],
    &[5.0, 2.5],
];

pub fn group_color(i: usize) -> RGBColor {
    let (r, g, b) = OKABE_ITO[i % OKABE_ITO.len()];
    RGBColor(r, g, b)
}

pub fn group_dash(i: usize) -> &'static [f64] {
    DASH_PATTERNS[i % DASH_PATTERNS.len()]
}

pub const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
pub const GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);

/// A text style: family, size in device px, weight, colour, anchor.
pub fn text<'a>(
    family: &'a str,
    size: f64,
    bold: bool,
    color: RGBColor,
    h: HPos,
    v: VPos,
) -> TextStyle<'a> {
    let weight = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    TextStyle {
        font: (family, size, weight).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// The default font list: Latin faces first, then CJK faces (Chinese labels, Chinese
/// group names), unquoted so it fits an SVG attribute and a canvas `font`.
pub const FONT_FAMILY: &str =
    "Helvetica, Arial, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// Estimated width of `s` at font size `size` (Helvetica/Arial average advance).
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | ' ' | 'I' | 'f' | 't'
            | '(' | ')' | '[' | ']' => 0.3,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.86,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.56,
            // CJK ideographs, kana, full-width punctuation: one em.
            c if c >= '\u{2E80}' => 1.0,
            _ => 0.55,
        })
        .sum::<f64>()
        * size
}

/// Splits a polyline into its visible dashes (device px). An empty pattern is solid.
pub fn dash(points: &[(f64, f64)], pattern: &[f64]) -> Vec<Vec<(f64, f64)>> {
    if pattern.is_empty() || points.len() < 2 {
        return vec![points.to_vec()];
    }
    let mut out = Vec::new();
    let mut current: Vec<(f64, f64)> = vec![points[0]];
    let (mut k, mut left, mut on) = (0usize, pattern[0], true);
    for w in points.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut seg = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        while seg > left {
            let f = left / seg;
            let p = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
            if on {
                current.push(p);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![p];
            }
            seg -= left;
            a = p;
            on = !on;
            k = (k + 1) % pattern.len();
            left = pattern[k];
        }
        left -= seg;
        if on {
            current.push(b);
        }
    }
    if on && current.len() > 1 {
        out.push(current);
    }
    out
}

/// Rounds device coordinates for plotters.
pub fn px(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// `s` broken into lines no wider than `max_width` at font size `size` (estimated as
/// [`text_width`]): at spaces, and between any two CJK characters; a word wider than
/// the line stays whole.
pub fn wrap_text(s: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for word in s.split(' ') {
        let mut cur = String::new();
        for c in word.chars() {
            if c >= '\u{2E80}' && !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        tokens.push(cur + " ");
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        let candidate = format!("{line}{t}");
        if !line.is_empty() && text_width(candidate.trim_end(), size) > max_width {
            lines.push(line.trim_end().to_string());
            line = t;
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// A figure title's lines at `width` layout px (bold, 1.15 × the base font `size`): as
/// given, or wrapped ([`wrap_text`]) on a narrow figure.
pub fn title_lines(title: Option<&str>, size: f64, width: f64) -> Vec<String> {
    title
        .map(|t| wrap_text(t, size * 1.15, width - 24.0))
        .unwrap_or_default()
}

/// The layout px a title of `lines` takes at base font `size` (0 without one).
pub fn title_height(lines: &[String], size: f64) -> f64 {
    if lines.is_empty() {
        0.0
    } else {
        8.0 + lines.len() as f64 * size * 1.15 * 1.3 + 6.0
    }
}

/// Draws a figure's title `lines` ([`title_lines`]: bold, 1.15 × the base font `size`
/// layout px, `scale` the font scale) at the top left of `area`, `u` device px per layout px.
pub fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[String],
    family: &str,
    (size, scale): (f64, f64),
    u: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            px((12.0 * u, (8.0 + i as f64 * size * 1.15 * 1.3) * u)),
            text(
                family,
                size * scale * 1.15 * u,
                true,
                INK,
                HPos::Left,
                VPos::Top,
            ),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_cover_the_pattern() {
        let d = dash(&[(0.0, 0.0), (20.0, 0.0)], &[5.0, 5.0]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0], vec![(0.0, 0.0), (5.0, 0.0)]);
        assert_eq!(d[1], vec![(10.0, 0.0), (15.0, 0.0)]);
    }

    #[test]
    fn text_wraps_at_spaces_and_between_cjk_characters() {
        let lines = wrap_text("untreated at the end of the grace period", 10.0, 90.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "untreated at the end of the grace period");
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 90.0));
        let zh = wrap_text("宽限期结束时仍未治疗", 10.0, 50.0);
        assert_eq!(zh, vec!["宽限期结束", "时仍未治疗"]);
        assert_eq!(wrap_text("", 10.0, 50.0), Vec::<String>::new());
    }
}
