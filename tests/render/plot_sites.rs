//! The figures of the pooled analysis of several sites (crates/render/src/plot/sites.rs),
//! the pooled-analysis report (crates/render/src/report_html/sites.rs) and the words of
//! the site summary's preview and of the rounds (crates/text/src/sites_words.rs), from a
//! pooled document and a site summary written here (the renderers' own input, whatever
//! the engine computes): every site's row, both pooled diamonds and the heterogeneity of
//! the forest plot; the life table's curve (S = 1 at the first edge, then the survival at
//! each interval's end) and its number at risk at every edge; the report's tables,
//! methods (stratified log-rank, metafor's REML, coxph with strata(site)), results
//! sentences with the formatter's numbers, escaping; both languages; the errors of the
//! figure registry without a `sites` section.

use serde_json::{json, Value};
use survlens::contract::sites::{Pooled, SiteSummary};
use survlens::messages::numbers::{fixed, p_sentence, ratio, ratio_ci};
use survlens::messages::sites_words::{guidance, preview, rounds_estimate, sites_words};
use survlens::messages::Lang;
use survlens::plot::registry::{figure_kind, FigureReport, Options};
use survlens::plot::sites::life_table_curves;
use survlens::plot::{FigureOptions, KmPlotOptions};
use survlens::report_html::{render_pooled, SitesReportOptions};
use survlens::stats::math::ln;

fn forest_row(site: &str, hr: Option<f64>, included: bool) -> Value {
    json!({"site": site, "hr": hr, "lower": hr.map(|h| h * 0.5), "upper": hr.map(|h| h * 2.0),
           "coef": hr.map(ln), "se": hr.map(|_| 0.35), "included": included,
           "weight_fixed": if included { Some(40.0) } else { None },
           "weight_random": if included { Some(38.5) } else { None }})
}

fn term(name: &str, hr: f64, p: f64) -> Value {
    json!({"name": name, "coef": ln(hr), "se": 0.2, "robust_se": null, "hr": hr,
           "lower": hr * 0.7, "upper": hr * 1.4, "z": ln(hr) / 0.2, "p": p})
}

/// A pooled document of three sites, `sites[1]` named by `middle`; converged or at round 2.
fn pooled(middle: &str, converged: bool) -> Pooled {
    let cox = if converged {
        json!({"converged": true, "round": 5, "next_beta": null,
               "history": [[0.0], [-0.5], [-0.61], [-0.613], [-0.6131]], "names": ["treatment=IM+HR"],
               "terms": [term("treatment=IM+HR", 0.5417, 0.0031)],
               "loglik": {"null": -400.25, "fit": -394.5}, "vcov": [[0.04]], "n": 300, "n_events": 120})
    } else {
        json!({"converged": false, "round": 2, "next_beta": [-0.61],
               "history": [[0.0], [-0.5]], "names": ["treatment=IM+HR"],
               "terms": null, "loglik": null, "vcov": null, "n": 300, "n_events": 120})
    };
    let v = json!({
        "survlens_pooled": 1, "software": "survlens 0.0.0", "protocol_sha256": "ab".repeat(32),
        "sites": {
            "n_sites": 3, "sites": ["Guangzhou", middle, "Lyon"],
            "per_site": [
                {"site": "Guangzhou", "n": 120, "n_events": 50, "checksum": "c1"},
                {"site": middle, "n": 100, "n_events": 40, "checksum": "c2"},
                {"site": "Lyon", "n": 80, "n_events": 30, "checksum": "c3"}],
            "logrank": {"chisq": 9.1234, "df": 1, "p": 0.00252,
                        "groups": [{"label": "IM", "observed": 70.0, "expected": 55.25},
                                   {"label": "IM+HR", "observed": 50.0, "expected": 64.75}],
                        "variance": [[20.0, -20.0], [-20.0, 20.0]]},
            "meta": [{"name": "treatment=IM+HR",
                      "fixed": {"hr": 0.55, "lower": 0.38, "upper": 0.79, "p": 0.0012, "coef": -0.598, "se": 0.186},
                      "random": {"hr": 0.56, "lower": 0.36, "upper": 0.87, "p": 0.0101, "coef": -0.58, "se": 0.22,
                                 "tau2": 0.0123, "i2": 12.3456},
                      "heterogeneity": {"q": 2.5, "df": 2, "p": 0.2865},
                      "forest": [forest_row("Guangzhou", Some(0.5), true), forest_row(middle, Some(0.7), true),
                                 forest_row("Lyon", None, false)]}],
            "cox": cox,
            "life_table": {"method": "life_table", "width": 3.0, "groups": [
                {"label": "IM", "edges": [0.0, 3.0, 6.0, 12.0], "n_risk": [150, 120, 90],
                 "n_event": [20, 15, 10], "n_censor": [10, 15, 20], "surv": [0.8621, 0.7443, 0.6584],
                 "sites_left_out": []},
                {"label": "IM+HR", "edges": [0.0, 6.0, 12.0], "n_risk": [150, 110],
                 "n_event": [25, 20], "n_censor": [15, 30], "surv": [0.8276, 0.6686], "sites_left_out": ["Lyon"]}]}
        },
        "warnings": []
    });
    serde_json::from_value(v).expect("a pooled document of the contract")
}

fn figure(name: &str, p: &Pooled, lang: Lang) -> String {
    let kind = figure_kind(name).unwrap();
    let text = serde_json::to_string(p).unwrap();
    let report: FigureReport = serde_json::from_str(&text).unwrap();
    let options = match kind.options {
        survlens::plot::registry::OptionsKind::Km => Options::Km(KmPlotOptions {
            lang,
            ..Default::default()
        }),
        survlens::plot::registry::OptionsKind::Figure => Options::Figure(FigureOptions {
            lang,
            ..Default::default()
        }),
    };
    let fig = kind.read(report, options).unwrap();
    let height = fig.height(720.0);
    assert!(height > 100.0, "{name}: height {height}");
    fig.svg(720, height as u32).unwrap()
}

#[test]
fn forest_by_site_has_every_site_both_diamonds_and_the_heterogeneity() {
    let p = pooled("Paris", true);
    for lang in [Lang::En, Lang::Zh] {
        let w = sites_words(lang);
        let svg = figure("sites_forest", &p, lang);
        for site in ["Guangzhou", "Paris", "Lyon"] {
            assert!(svg.contains(site), "{site} missing");
        }
        assert!(
            svg.contains(w.f_fixed) && svg.contains(w.f_random),
            "{lang:?}"
        );
        assert!(
            svg.contains(w.f_not_included),
            "Lyon is shown as not estimable"
        );
        // The formatter's numbers: the site's HR with its CI, the pooled estimates, I² and τ².
        assert!(svg.contains(&ratio(Some(0.55))) && svg.contains(&ratio(Some(0.56))));
        assert!(svg.contains(&ratio_ci(Some(0.38), Some(0.79), lang)));
        assert!(svg.contains(&format!("{}%", fixed(Some(12.3456), 1))));
        assert!(svg.contains(&fixed(Some(0.0123), 4)));
        // Two diamonds: the polygons of the pooled estimates.
        assert_eq!(svg.matches("<polygon").count(), 2, "{lang:?}");
    }
    assert!(figure("sites_forest", &p, Lang::Zh).contains("随机效应（REML）"));
}

#[test]
fn forest_grows_with_the_sites() {
    let kind = figure_kind("sites_forest").unwrap();
    let height = |p: &Pooled| {
        let report: FigureReport =
            serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap();
        kind.read(report, Options::Figure(FigureOptions::default()))
            .unwrap()
            .height(720.0)
    };
    let p = pooled("Paris", true);
    let mut more = p.clone();
    let extra = more.sites.meta[0].forest[0].clone();
    more.sites.meta[0].forest.push(extra);
    assert!(height(&more) > height(&p));
}

#[test]
fn life_table_is_drawn_as_a_life_table_with_its_counts_at_each_edge() {
    let p = pooled("Paris", false);
    let km = life_table_curves(&p.sites.life_table);
    assert_eq!(km.curves.len(), 2);
    for (c, g) in km.curves.iter().zip(&p.sites.life_table.groups) {
        // S = 1 at the first edge, then the survival at the end of each interval.
        assert_eq!(c.time.first(), g.edges.first());
        assert_eq!(&c.time[1..], &g.edges[1..]);
        assert_eq!(c.surv[0], 1.0);
        assert_eq!(&c.surv[1..], &g.surv[..]);
        // The number at risk at every edge but the last is the interval's that starts there.
        for (k, &n) in g.n_risk.iter().enumerate() {
            assert_eq!(c.n_risk[k], n as f64, "{} at edge {}", g.label, g.edges[k]);
        }
        // After the last edge: those followed beyond it.
        let last = g.n_risk.len() - 1;
        let beyond = g.n_risk[last] - g.n_event[last] - g.n_censor[last];
        assert_eq!(*c.n_risk.last().unwrap(), beyond as f64);
        let events: f64 = c.n_event.iter().sum();
        assert_eq!(events, g.n_event.iter().sum::<usize>() as f64);
    }
    for lang in [Lang::En, Lang::Zh] {
        let w = sites_words(lang);
        let svg = figure("sites_life_table", &p, lang);
        assert!(
            svg.contains(w.f_life_corner),
            "{lang:?}: labelled a life table"
        );
        assert!(svg.contains(&w.f_life_title.replace("{width}", "3")));
        assert!(svg.contains(w.f_life_axis));
        assert!(svg.contains("IM+HR"));
    }
}

#[test]
fn figures_of_a_report_without_sites_say_so() {
    let report: FigureReport = serde_json::from_str("{}").unwrap();
    let e = figure_kind("sites_forest")
        .unwrap()
        .read(report, Options::Figure(FigureOptions::default()))
        .err()
        .unwrap();
    assert_eq!(e.kind, "no_sites");
    let mut p = pooled("Paris", true);
    p.sites.meta.clear();
    let report: FigureReport = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    let e = figure_kind("sites_forest")
        .unwrap()
        .read(report, Options::Figure(FigureOptions::default()))
        .err()
        .unwrap();
    assert_eq!(e.kind, "no_sites_meta");
}

#[test]
fn pooled_report_holds_methods_results_tables_and_figures_in_both_languages() {
    let p = pooled("Paris", true);
    let en = render_pooled(&p, &SitesReportOptions { lang: Lang::En }).unwrap();
    for needle in [
        "Pooled analysis of 3 sites",
        "strata(site)",
        "metafor::rma(yi, sei, method = &quot;FE&quot;)",
        "method = &quot;REML&quot;",
        "Newton–Raphson",
        "not a Kaplan–Meier curve",
        "id=\"sites-counts\"",
        "id=\"sites-logrank\"",
        "id=\"sites-meta\"",
        "id=\"sites-cox\"",
        "id=\"sites-life-table\"",
        "id=\"fig-sites-forest\"",
        "id=\"fig-sites-life-table\"",
        &"ab".repeat(32),
    ] {
        assert!(en.contains(needle), "English report lacks {needle}");
    }
    // The numbers are the formatter's: the pooled Cox HR, its p, the log-rank statistic.
    assert!(en.contains(&format!(
        "the hazard ratio of treatment=IM+HR was {} (95% CI {}; {})",
        ratio(Some(0.5417)),
        ratio_ci(Some(0.5417 * 0.7), Some(0.5417 * 1.4), Lang::En),
        p_sentence(Some(0.0031))
    )));
    assert!(en.contains(&fixed(Some(9.1234), 2)));
    assert!(en.contains("All sites") && en.contains(">300<"));
    let zh = render_pooled(&p, &SitesReportOptions { lang: Lang::Zh }).unwrap();
    assert!(zh.contains("<html lang=\"zh-CN\">") || zh.contains("lang=\"zh"));
    for needle in [
        "3 个中心的合并分析",
        "按中心分层的对数秩检验",
        "随机效应",
        "寿命表",
    ] {
        assert!(zh.contains(needle), "Chinese report lacks {needle}");
    }
}

#[test]
fn pooled_report_before_convergence_says_so_and_escapes_site_names() {
    let p = pooled("<script>alert(1)</script>", false);
    let en = render_pooled(&p, &SitesReportOptions { lang: Lang::En }).unwrap();
    assert!(!en.contains("<script>"));
    assert!(en.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(en.contains(sites_words(Lang::En).not_converged));
    assert!(en.contains("Round 3: not converged yet."));
}

fn summary() -> SiteSummary {
    let v = json!({
        "survlens_site_summary": 1, "software": "survlens 0.0.0", "protocol_sha256": "cd".repeat(32),
        "site": "Guangzhou", "n": 120, "n_events": 50, "groups": ["IM", "IM+HR"],
        "logrank": {"groups": [{"label": "IM", "observed": 30.0, "expected": 22.5, "n": 60},
                               {"label": "IM+HR", "observed": 20.0, "expected": 27.5, "n": 60}],
                    "variance": [[10.0, -10.0], [-10.0, 10.0]]},
        "cox": {"n": 118, "n_events": 49, "terms": [term("treatment=IM+HR", 0.5, 0.01), term("age", 1.02, 0.2)],
                "vcov": [[0.04, 0.0], [0.0, 0.0001]], "infinite": []},
        "cox_names": ["treatment=IM+HR", "age"], "cox_n": 118, "cox_n_events": 49,
        "cox_rounds": [{"beta": [0.0, 0.0], "loglik": -200.0, "score": [1.0, 2.0], "information": [[1.0, 0.0], [0.0, 1.0]]},
                       {"beta": [-0.5, 0.01], "loglik": -198.0, "score": [0.1, 0.2], "information": [[1.0, 0.0], [0.0, 1.0]]}],
        "km_binned": {"width": 3.0, "groups": [
            {"label": "IM", "edges": [0.0, 3.0, 9.0], "n_risk": [60, 45], "n_event": [10, 8], "n_censor": [5, 6], "suppressed": false},
            {"label": "IM+HR", "edges": [], "n_risk": [], "n_event": [], "n_censor": [], "suppressed": true}]},
        "min_cell": 5, "warnings": [], "checksum": "ef".repeat(32)
    });
    serde_json::from_value(v).expect("a site summary of the contract")
}

#[test]
fn preview_says_in_plain_words_what_the_file_holds() {
    let s = summary();
    let en = preview(&s, Lang::En).join("\n");
    for needle in [
        "Site name: Guangzhou.",
        &"cd".repeat(32),
        "(120) and of deaths (50)",
        "Per group (IM, IM+HR): the number of patients, the observed and expected deaths, and their 2 × 2 covariance matrix",
        "2 coefficients (treatment=IM+HR, age)",
        "every round so far (β = 0, then those the coordinator sent; 2 in all)",
        "per 3-unit interval for each group (2 intervals in all); where a count would be below 5",
        "No interval counts for IM+HR",
        "No patient row, no line number, no date",
    ] {
        assert!(en.contains(needle), "preview lacks {needle}:\n{en}");
    }
    let zh = preview(&s, Lang::Zh).join("\n");
    assert!(zh.contains("中心名称：Guangzhou。") && zh.contains("不含任何患者行、行号、日期"));
    assert!(zh.contains("IM、IM+HR"));
}

#[test]
fn rounds_guidance_counts_down_to_convergence() {
    let p = pooled("Paris", false);
    let g = guidance(&p, Lang::En);
    // Two Newton steps taken: the file asks the sites for round 3.
    assert_eq!((g.round, g.converged, g.has_cox), (3, false, true));
    assert!(g.about > g.round);
    assert_eq!(
        g.text,
        format!(
            "Round 3 of about {}: send this file to every site.",
            g.about
        )
    );
    let done = guidance(&pooled("Paris", true), Lang::Zh);
    assert!(done.converged && done.text == "经 5 轮后收敛。");
    // Quadratic convergence: a small last step needs few more rounds, a large one more.
    let small = rounds_estimate(&[vec![0.0], vec![-0.5]], Some(&[-0.5001]), 2);
    let large = rounds_estimate(&[vec![0.0], vec![-0.5]], Some(&[-0.9]), 2);
    assert!(small < large, "{small} {large}");
    assert!(small > 2);
    // Never fewer than one more round, never more than ten.
    for step in [0.0, 1e-12, 0.3, 2.0, 50.0] {
        let about = rounds_estimate(&[vec![0.0], vec![1.0]], Some(&[1.0 + step]), 3);
        assert!((4..=13).contains(&about), "{step}: {about}");
    }
}
