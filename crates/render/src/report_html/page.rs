//! The page: sections in order, the CSS (screen and print), no script.

use super::cite::Citations;
use super::figures::{all_figures, FigureInput};
use super::html::{esc, Table};
use super::i18n::{fill, texts, Texts};
use super::tables::TABLES;
use super::{methods, results, strobe, ReportOptions};
use crate::plot::PlotError;
use survlens_contract::mapping::TimeMap;
use survlens_contract::{Report, Spec};

pub struct PageInput<'a> {
    pub report: &'a Report,
    pub spec: &'a Spec,
    pub data_sha256: String,
    /// The protocol file text (its SHA-256 is shown).
    pub spec_text: String,
    pub opts: &'a ReportOptions,
}

pub(super) const CSS: &str = "
:root{--ink:#1a1a1a;--muted:#555;--rule:#ccc;--accent:#0b5394}
*{box-sizing:border-box}
body{font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--rule);padding-bottom:.2rem;color:var(--accent)}
p.meta{color:var(--muted);margin:0 0 1rem}
table{border-collapse:collapse;margin:1rem 0 1.5rem;font:13px/1.35 Helvetica,Arial,sans-serif;width:100%}
caption{text-align:left;font-weight:bold;padding-bottom:.3rem}
th,td{padding:.25rem .5rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--rule)}
thead th{border-bottom:2px solid var(--ink)}
td{white-space:pre-wrap}
figure{margin:1rem 0 2rem;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font:13px/1.4 Helvetica,Arial,sans-serif;color:var(--muted)}
pre{font:12px/1.4 Menlo,Consolas,monospace;background:#f6f6f6;padding:.7rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
code{font-family:Menlo,Consolas,monospace;word-break:break-all}
ol.refs li{margin-bottom:.3rem}
.note{color:var(--muted);font-size:.9rem}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}table,figure{break-inside:avoid}.noprint{display:none}a{color:inherit;text-decoration:none}}
@page{margin:18mm}
";

/// The whole page.
pub fn render(input: &PageInput) -> Result<String, PlotError> {
    let t = texts(input.opts.lang);
    let r = input.report;
    let unit = methods::unit_name(input.spec, t);
    let unit_code = match input.spec.time_map() {
        Ok(TimeMap::Dates { unit, .. }) => Some(unit.name()),
        _ => None,
    };
    let mut cites = Citations::default();
    let methods = methods::methods(input.spec, r, t, &mut cites);
    let results = results::results(r, input.spec, unit, t);
    let mut h = String::with_capacity(64 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        input.opts.lang.tag(),
        esc(t.title),
        CSS
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n<p class=\"note noprint\">{}</p>\n",
        esc(t.title),
        esc(&fill(
            t.generated_by,
            &[("software", &r.software), ("file", &input.opts.data_name)]
        )),
        esc(t.print_hint)
    ));
    section(&mut h, "methods", t.h_methods, &paragraphs(&methods));
    section(
        &mut h,
        "results",
        t.h_results,
        &paragraphs(&[results.join(t.sentence_sep)]),
    );
    let fig_input = FigureInput {
        report: r,
        texts: t,
        unit,
        unit_code,
        lang: input.opts.lang,
    };
    let mut figs = String::new();
    for (i, fig) in all_figures(&fig_input)?.iter().enumerate() {
        figs.push_str(&format!(
            "<figure id=\"{}\">\n{}\n<figcaption>{}. {}</figcaption>\n</figure>\n",
            esc(&fig.id),
            strip_xml_decl(&fig.svg),
            esc(&fill(t.label_figure, &[("n", &(i + 1).to_string())])),
            esc(&fig.caption)
        ));
    }
    if !figs.is_empty() {
        section(&mut h, "figures", t.h_figures, &figs);
    }
    let tables: Vec<Table> = TABLES.iter().flat_map(|b| b(r, input.spec, t)).collect();
    let body: String = tables
        .iter()
        .enumerate()
        .map(|(i, tab)| tab.render(&fill(t.label_table, &[("n", &(i + 1).to_string())])))
        .collect();
    section(&mut h, "tables", t.h_tables, &body);
    section(
        &mut h,
        "warnings",
        t.h_warnings,
        &warnings(r, t, input.opts.lang),
    );
    section(&mut h, "strobe", t.h_strobe, &strobe_table(r, t));
    let refs: String = cites
        .works
        .iter()
        .map(|w| format!("<li>{}</li>\n", esc(w.reference())))
        .collect();
    if !refs.is_empty() {
        section(
            &mut h,
            "references",
            t.h_references,
            &format!("<ol class=\"refs\">\n{refs}</ol>\n"),
        );
    }
    section(&mut h, "provenance", t.h_provenance, &provenance(input, t));
    section(
        &mut h,
        "spec",
        t.h_spec,
        &format!("<pre>{}</pre>\n", esc(&input.spec_text)),
    );
    if input.opts.include_patient_data {
        section(
            &mut h,
            "patient-data",
            t.h_patient_data,
            &excluded_rows(r, t),
        );
    }
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

pub(super) fn section(h: &mut String, id: &str, title: &str, body: &str) {
    h.push_str(&format!(
        "<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n",
        esc(id),
        esc(title),
        body
    ));
}

pub(super) fn paragraphs(ps: &[String]) -> String {
    ps.iter()
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", esc(p)))
        .collect()
}

/// plotters writes an XML declaration before `<svg`: not allowed inside HTML.
pub(super) fn strip_xml_decl(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg.get(i..).unwrap_or(svg),
        None => svg,
    }
}

/// The warnings in the report's language (the catalogue of [`survlens_text`]; the
/// English `message` for a code it does not know).
fn warnings(r: &Report, t: &Texts, lang: super::Lang) -> String {
    let list = &r.warnings;
    if list.is_empty() {
        return format!("<p>{}</p>\n", esc(t.no_warnings));
    }
    let mut tab = Table::new("warnings-table", t.h_warnings, &[t.c_code, t.c_message]);
    for w in list {
        let localized = match lang {
            super::Lang::En => None,
            _ => survlens_text::warning_text(w.code, &w.context, lang),
        };
        tab.row(vec![
            w.code.to_string(),
            localized.unwrap_or_else(|| w.message.clone()),
        ]);
    }
    tab.caption.clear();
    tab.render("")
}

fn strobe_table(r: &Report, t: &Texts) -> String {
    let mut tab = Table::new(
        "strobe-table",
        "",
        &[t.c_item, t.c_recommendation, t.c_where],
    );
    for (item, text, place) in strobe::checklist(r, t) {
        tab.row(vec![item, text, place]);
    }
    format!(
        "<p class=\"note\">{}</p>\n{}",
        esc(t.strobe_intro),
        tab.render("")
    )
}

fn provenance(input: &PageInput, t: &Texts) -> String {
    let d = &input.report.data;
    let rows = fill(
        t.prov_rows_value,
        &[
            ("used", &d.n_used.to_string()),
            ("rows", &d.n_rows.to_string()),
        ],
    );
    let spec_sha = super::sha256_hex(input.spec_text.as_bytes());
    let items = [
        (t.prov_software, input.report.software.clone()),
        (t.prov_file, input.opts.data_name.clone()),
        (t.prov_file_sha, input.data_sha256.clone()),
        (t.prov_rows, rows),
        (t.prov_spec_sha, spec_sha),
    ];
    let mut h = String::from("<table id=\"provenance-table\">\n<tbody>\n");
    for (k, v) in items {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td><code>{}</code></td></tr>\n",
            esc(k),
            esc(&v)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    if !input.opts.include_patient_data {
        h.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            esc(t.prov_no_patient_data)
        ));
    }
    h
}

fn excluded_rows(r: &Report, t: &Texts) -> String {
    let mut tab = Table::new(
        "excluded-rows",
        t.t_excluded_rows,
        &[t.c_line, t.c_column, t.c_reason],
    );
    for e in &r.data.excluded {
        tab.row(vec![
            e.line.to_string(),
            e.column.clone(),
            super::i18n::reason_name(e.reason.code(), t),
        ]);
    }
    tab.render("")
}
