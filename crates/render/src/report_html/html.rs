//! HTML building blocks: escaping, tables, number formats. Every piece of text that
//! reaches the page goes through [`esc`]; SVG comes from plotters, which escapes its text.

use super::i18n::Texts;
use survlens_text::numbers;

/// Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table of text cells (escaped when rendered).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: &'static str,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(id: &'static str, caption: &str, headers: &[&str]) -> Table {
        Table {
            id,
            caption: caption.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// `<table>` with caption (`label` before it, e.g. "Table 2", when not empty; none
    /// when both are empty), header row and body, every cell escaped.
    pub fn render(&self, label: &str) -> String {
        let caption = match (label.is_empty(), self.caption.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!("<caption>{}</caption>\n", esc(&self.caption)),
            (false, _) => format!(
                "<caption>{}. {}</caption>\n",
                esc(label),
                esc(&self.caption)
            ),
        };
        let mut s = format!("<table id=\"{}\">\n{caption}<thead><tr>", esc(self.id));
        for h in &self.headers {
            s.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for r in &self.rows {
            s.push_str("<tr>");
            for c in r {
                s.push_str(&format!("<td>{}</td>", esc(c)));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n</table>\n");
        s
    }
}

// The number formats are the one formatter's (`survlens_text::numbers`, rule in
// docs/methods.md "Numbers"); these names stay for the report's many call sites.

// The report's names for the formatter's functions: a number with N decimals (`—` when
// missing or non-finite), a count, a p-value in a sentence / in a cell, a ratio.
pub use numbers::{count, fixed as num, p_cell, p_sentence as p_text, ratio};

/// `lower to upper` with `digits` decimals ([`numbers::fixed_ci`]).
pub fn ci(lower: Option<f64>, upper: Option<f64>, digits: usize, t: &Texts) -> String {
    numbers::fixed_ci(lower, upper, digits, t.lang)
}

/// The confidence interval of a ratio ([`numbers::ratio_ci`]).
pub fn ratio_ci(lower: Option<f64>, upper: Option<f64>, t: &Texts) -> String {
    numbers::ratio_ci(lower, upper, t.lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<img src=x onerror=\"a&b\">'"),
            "&lt;img src=x onerror=&quot;a&amp;b&quot;&gt;&#39;"
        );
    }

    #[test]
    fn helpers_are_the_one_formatter() {
        let en = super::super::i18n::texts(super::super::i18n::Lang::En);
        assert_eq!(num(Some(-0.001), 2), numbers::fixed(Some(-0.001), 2));
        assert_eq!(p_text(Some(0.0004)), "p < 0.001");
        assert_eq!(p_cell(Some(0.0234)), "0.023");
        assert_eq!(ci(Some(1.0), Some(2.5), 1, en), "1.0 to 2.5");
        assert_eq!(ratio_ci(Some(0.18), Some(12.44), en), "0.18 to 12.4");
        assert_eq!(count(12.0), "12");
    }
}
