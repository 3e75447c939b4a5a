//! The report of a pooled analysis of several sites (`survlens pool`, the page's
//! "Combine site summaries"): one self-contained HTML page like the analysis report
//! ([`super::page`]: its CSS, sections and escaping), built from the pooled document
//! alone — methods (stratified log-rank, fixed-effect and REML random-effects
//! meta-analysis as `metafor::rma`, the distributed Newton–Raphson of the site-stratified
//! Cox model, the life table), results, the forest plot by site and the pooled life table,
//! the tables, the warnings and the provenance (protocol SHA-256, each site's summary
//! checksum). Aggregates only: the pooled document holds no patient-level data.

use super::html::{count, esc, num, p_cell, p_text, ratio, Table};
use super::i18n::fill;
use super::page::{paragraphs, section, strip_xml_decl, CSS};
use super::Lang;
use crate::plot::sites::{
    life_table_corner, life_table_curves, life_table_options, render_sites_forest_svg,
};
use crate::plot::PlotError;
use crate::plot::{km_figure_height, render_km_labelled_svg, FigureOptions, KmPlotOptions};
use survlens_contract::cox::CoxTerm;
use survlens_contract::sites::{Pooled, SitesSection};
use survlens_text::numbers;
use survlens_text::sites_words::{sites_words, SitesWords};

/// The report's reader's choices: its language.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SitesReportOptions {
    pub lang: Lang,
}

/// Width (layout px) of the report's figures.
const FIGURE_WIDTH: u32 = 720;

/// The report page of the pooled document `pooled`.
pub fn render_pooled(pooled: &Pooled, opts: &SitesReportOptions) -> Result<String, PlotError> {
    let w = sites_words(opts.lang);
    let s = &pooled.sites;
    let title = fill(w.title, &[("n", &s.n_sites.to_string())]);
    let mut h = String::with_capacity(32 * 1024);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        opts.lang.tag(),
        esc(&title),
        CSS
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(&title),
        esc(&fill(
            w.generated_by,
            &[
                ("software", &pooled.software),
                ("sites", &s.sites.join(", "))
            ]
        ))
    ));
    section(
        &mut h,
        "methods",
        w.h_methods,
        &paragraphs(&methods(pooled, w)),
    );
    section(
        &mut h,
        "results",
        w.h_results,
        &paragraphs(&[results(s, w, opts.lang).join(" ")]),
    );
    let figs = figures(s, w, opts.lang)?;
    if !figs.is_empty() {
        section(&mut h, "figures", w.h_figures, &figs);
    }
    let tables: String = tables(s, w, opts.lang)
        .iter()
        .enumerate()
        .map(|(i, t)| t.render(&fill(w.label_table, &[("n", &(i + 1).to_string())])))
        .collect();
    section(&mut h, "tables", w.h_tables, &tables);
    section(
        &mut h,
        "warnings",
        w.h_warnings,
        &warnings(pooled, w, opts.lang),
    );
    section(&mut h, "provenance", w.h_provenance, &provenance(pooled, w));
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

/// The methods paragraphs: the design, then each pooled analysis the document holds.
fn methods(p: &Pooled, w: &SitesWords) -> Vec<String> {
    let s = &p.sites;
    let mut out = vec![fill(
        w.m_design,
        &[
            ("n", &s.n_sites.to_string()),
            ("sites", &s.sites.join(", ")),
            ("sha", &p.protocol_sha256),
        ],
    )];
    if s.logrank.is_some() {
        out.push(w.m_logrank.to_string());
    }
    if !s.meta.is_empty() {
        out.push(w.m_meta.to_string());
    }
    if s.cox.is_some() {
        out.push(w.m_cox.to_string());
    }
    if !s.life_table.groups.is_empty() {
        out.push(fill(
            w.m_life,
            &[("width", &numbers::label_value(s.life_table.width))],
        ));
    }
    out
}

/// The results sentences: counts, each term's meta-analysis, the pooled Cox model.
fn results(s: &SitesSection, w: &SitesWords, lang: Lang) -> Vec<String> {
    let n: usize = s.per_site.iter().map(|c| c.n).sum();
    let events: usize = s.per_site.iter().map(|c| c.n_events).sum();
    let mut out = vec![fill(
        w.r_counts,
        &[
            ("sites", &s.n_sites.to_string()),
            ("n", &count(n as f64)),
            ("events", &count(events as f64)),
        ],
    )];
    if let Some(lr) = &s.logrank {
        out.push(format!(
            "{}: {}",
            w.t_logrank,
            logrank_line(lr.chisq, lr.df, lr.p, w)
        ));
    }
    for m in &s.meta {
        if let (Some(f), Some(r)) = (&m.fixed, &m.random) {
            out.push(fill(
                w.r_meta,
                &[
                    ("term", &m.name),
                    ("fe", &ratio(Some(f.hr))),
                    (
                        "fe_ci",
                        &numbers::ratio_ci(Some(f.lower), Some(f.upper), lang),
                    ),
                    ("re", &ratio(Some(r.hr))),
                    (
                        "re_ci",
                        &numbers::ratio_ci(Some(r.lower), Some(r.upper), lang),
                    ),
                    ("i2", &num(Some(r.i2), 1)),
                    ("tau2", &num(Some(r.tau2), 4)),
                ],
            ));
        }
    }
    match &s.cox {
        Some(c) if c.converged => {
            for t in c.terms.iter().flatten() {
                out.push(fill(
                    w.r_cox,
                    &[
                        ("term", &t.name),
                        ("hr", &ratio(t.hr)),
                        ("ci", &numbers::ratio_ci(t.lower, t.upper, lang)),
                        ("p", &p_text(t.p)),
                    ],
                ));
            }
        }
        Some(_) => out.push(w.not_converged.to_string()),
        None => {}
    }
    out
}

fn logrank_line(chisq: f64, df: usize, p: f64, w: &SitesWords) -> String {
    fill(
        w.logrank_line,
        &[
            ("chisq", &num(Some(chisq), 2)),
            ("df", &df.to_string()),
            ("p", &p_text(Some(p))),
        ],
    )
}

/// The forest plot by site and the pooled life table, as inline SVG.
fn figures(s: &SitesSection, w: &SitesWords, lang: Lang) -> Result<String, PlotError> {
    let mut out = String::new();
    let mut n = 0;
    let mut push = |id: &str, svg: String, caption: String| {
        n += 1;
        out.push_str(&format!(
            "<figure id=\"{}\">\n{}\n<figcaption>{}. {}</figcaption>\n</figure>\n",
            esc(id),
            strip_xml_decl(&svg),
            esc(&fill(w.label_figure, &[("n", &n.to_string())])),
            esc(&caption)
        ));
    };
    if !s.meta.is_empty() {
        let o = FigureOptions {
            lang,
            ..FigureOptions::default()
        };
        push(
            "fig-sites-forest",
            render_sites_forest_svg(s, &o, FIGURE_WIDTH)?,
            w.fig_forest.to_string(),
        );
    }
    let km = life_table_curves(&s.life_table);
    if !km.curves.is_empty() {
        let o = life_table_options(
            &s.life_table,
            KmPlotOptions {
                lang,
                ..KmPlotOptions::default()
            },
        );
        let height = km_figure_height(FIGURE_WIDTH as f64, &km, &o).round() as u32;
        let corner = life_table_corner(&o);
        push(
            "fig-sites-life-table",
            render_km_labelled_svg(&km, Some(&corner), &o, FIGURE_WIDTH, height)?,
            fill(
                w.fig_life,
                &[("width", &numbers::label_value(s.life_table.width))],
            ),
        );
    }
    Ok(out)
}

/// "0.54 (0.36 to 0.82)" of an estimate.
fn hr_ci(hr: Option<f64>, lower: Option<f64>, upper: Option<f64>, lang: Lang) -> String {
    format!("{} ({})", ratio(hr), numbers::ratio_ci(lower, upper, lang))
}

fn tables(s: &SitesSection, w: &SitesWords, lang: Lang) -> Vec<Table> {
    let mut out = Vec::new();
    let mut sites = Table::new(
        "sites-counts",
        w.t_sites,
        &[w.c_site, w.c_patients, w.c_deaths],
    );
    for c in &s.per_site {
        sites.row(vec![
            c.site.clone(),
            count(c.n as f64),
            count(c.n_events as f64),
        ]);
    }
    let (n, e) = s
        .per_site
        .iter()
        .fold((0, 0), |(n, e), c| (n + c.n, e + c.n_events));
    sites.row(vec![
        w.all_sites.to_string(),
        count(n as f64),
        count(e as f64),
    ]);
    out.push(sites);
    if let Some(lr) = &s.logrank {
        let mut t = Table::new(
            "sites-logrank",
            &format!(
                "{} ({})",
                w.t_logrank,
                logrank_line(lr.chisq, lr.df, lr.p, w)
            ),
            &[w.c_group, w.c_observed, w.c_expected],
        );
        for g in &lr.groups {
            t.row(vec![
                g.label.clone(),
                num(Some(g.observed), 0),
                num(Some(g.expected), 2),
            ]);
        }
        out.push(t);
    }
    if !s.meta.is_empty() {
        let mut t = Table::new(
            "sites-meta",
            w.t_meta,
            &[w.c_term, w.c_fixed, w.c_random, w.c_tau2, w.c_i2, w.c_q],
        );
        for m in &s.meta {
            let fe = m.fixed.as_ref().map_or_else(
                || numbers::MISSING.to_string(),
                |f| {
                    format!(
                        "{}; {}",
                        hr_ci(Some(f.hr), Some(f.lower), Some(f.upper), lang),
                        p_text(Some(f.p))
                    )
                },
            );
            let re = m.random.as_ref().map_or_else(
                || numbers::MISSING.to_string(),
                |r| {
                    format!(
                        "{}; {}",
                        hr_ci(Some(r.hr), Some(r.lower), Some(r.upper), lang),
                        p_text(Some(r.p))
                    )
                },
            );
            let q = m.heterogeneity.as_ref().map_or_else(
                || numbers::MISSING.to_string(),
                |h| format!("{} ({})", num(Some(h.q), 2), p_cell(Some(h.p))),
            );
            t.row(vec![
                m.name.clone(),
                fe,
                re,
                num(m.random.as_ref().map(|r| r.tau2), 4),
                m.random.as_ref().map_or_else(
                    || numbers::MISSING.to_string(),
                    |r| format!("{}%", num(Some(r.i2), 1)),
                ),
                q,
            ]);
        }
        out.push(t);
    }
    if let Some(c) = &s.cox {
        let caption = match (&c.loglik, c.converged) {
            (Some(l), true) => format!(
                "{} ({})",
                w.t_cox,
                fill(
                    w.converged_line,
                    &[
                        ("round", &c.round.to_string()),
                        ("null", &num(Some(l.null), 3)),
                        ("fit", &num(Some(l.fit), 3)),
                    ],
                )
            ),
            _ => format!(
                "{} ({})",
                w.t_cox,
                // The round the pooled file asks the sites for (as the page says it).
                fill(w.pending_line, &[("round", &(c.round + 1).to_string())])
            ),
        };
        let mut t = Table::new("sites-cox", &caption, &[w.c_term, w.c_hr, w.c_p]);
        for term in c.terms.iter().flatten() {
            t.row(cox_row(term, lang));
        }
        out.push(t);
    }
    for g in &s.life_table.groups {
        let mut t = Table::new(
            "sites-life-table",
            &format!(
                "{}: {}",
                fill(
                    w.t_life,
                    &[("width", &numbers::label_value(s.life_table.width))]
                ),
                g.label
            ),
            &[
                w.c_interval,
                w.c_at_risk,
                w.c_events,
                w.c_censored,
                w.c_surv,
            ],
        );
        for k in 0..g.surv.len() {
            let edge = |i: usize| {
                g.edges
                    .get(i)
                    .map_or(numbers::MISSING.to_string(), |&x| numbers::label_value(x))
            };
            let c = |v: &[usize]| {
                v.get(k)
                    .map_or(numbers::MISSING.to_string(), |&x| count(x as f64))
            };
            t.row(vec![
                format!("[{}, {})", edge(k), edge(k + 1)),
                c(&g.n_risk),
                c(&g.n_event),
                c(&g.n_censor),
                num(g.surv.get(k).copied(), 3),
            ]);
        }
        out.push(t);
    }
    out
}

fn cox_row(t: &CoxTerm, lang: Lang) -> Vec<String> {
    vec![
        t.name.clone(),
        hr_ci(t.hr, t.lower, t.upper, lang),
        p_cell(t.p),
    ]
}

/// The pooled document's warnings in the report's language.
fn warnings(p: &Pooled, w: &SitesWords, lang: Lang) -> String {
    if p.warnings.is_empty() {
        return format!("<p>{}</p>\n", esc(w.no_warnings));
    }
    let items: String = p
        .warnings
        .iter()
        .map(|x| {
            let text = match lang {
                Lang::En => None,
                _ => survlens_text::warning_text(x.code, &x.context, lang),
            };
            format!(
                "<li>{}</li>\n",
                esc(&text.unwrap_or_else(|| x.message.clone()))
            )
        })
        .collect();
    format!("<ul>\n{items}</ul>\n")
}

fn provenance(p: &Pooled, w: &SitesWords) -> String {
    let mut h = String::from("<table id=\"provenance-table\">\n<tbody>\n");
    let files: Vec<String> = p
        .sites
        .per_site
        .iter()
        .map(|c| format!("{}: {}", c.site, c.checksum))
        .collect();
    for (k, v) in [
        (w.prov_software, p.software.clone()),
        (w.prov_protocol, p.protocol_sha256.clone()),
        (w.prov_files, files.join("\n")),
    ] {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td><code>{}</code></td></tr>\n",
            esc(k),
            esc(&v)
        ));
    }
    h.push_str("</tbody>\n</table>\n");
    h
}
