//! HTML building blocks: escaping, tables, number formats. Every piece of text that
//! reaches the page goes through [`esc`]; SVG comes from plotters, which escapes its text.

use super::i18n::Texts;

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

/// A number with `digits` decimals; `—` for a missing or non-finite value. Plain
/// `.`-decimal in every language (exports are never locale-formatted).
pub fn num(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.digits$}");
            // "-0.00" reads as a sign error.
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else {
                s
            }
        }
        _ => "—".to_string(),
    }
}

/// A count.
pub fn count(x: f64) -> String {
    if x.is_finite() && x == x.trunc() {
        format!("{x:.0}")
    } else {
        num(Some(x), 2)
    }
}

/// A p-value as journals print it: `p < 0.001`, else `p = 0.023`.
pub fn p_text(p: Option<f64>, t: &Texts) -> String {
    match p {
        Some(v) if v.is_finite() && v < 0.001 => "p < 0.001".to_string(),
        Some(v) if v.is_finite() => format!("p = {v:.3}"),
        _ => t.p_na.to_string(),
    }
}

/// A p-value for a table cell: `<0.001` or `0.023`.
pub fn p_cell(p: Option<f64>) -> String {
    match p {
        Some(v) if v.is_finite() && v < 0.001 => "<0.001".to_string(),
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "—".to_string(),
    }
}

/// `lower to upper`.
pub fn ci(lower: Option<f64>, upper: Option<f64>, digits: usize, t: &Texts) -> String {
    format!("{}{}{}", num(lower, digits), t.range_to, num(upper, digits))
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
    fn numbers_are_plain_and_never_negative_zero() {
        assert_eq!(num(Some(-0.001), 2), "0.00");
        assert_eq!(num(Some(1234.5678), 1), "1234.6");
        assert_eq!(num(None, 2), "—");
        assert_eq!(num(Some(f64::NAN), 2), "—");
        assert_eq!(
            p_text(
                Some(0.0004),
                super::super::i18n::texts(super::super::i18n::Lang::En)
            ),
            "p < 0.001"
        );
        assert_eq!(p_cell(Some(0.0234)), "0.023");
        assert_eq!(count(12.0), "12");
    }
}
