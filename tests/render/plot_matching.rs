//! The matching figures (crates/render/src/plot/matching.rs) and the report's matching
//! parts (crates/render/src/report_html/tables_matching.rs), from matched comparisons
//! built here on the demo cohort's curves (the renderers' own input, whatever the
//! analysis computes): every covariate term and the legend words of the love plot, the
//! counts of matched and unmatched patients of the scores figure (its bins add up to
//! the rows), the stratified log-rank p of the matched curves, the comparison chosen by
//! the options, the errors; in the report the flow, balance (flagged > 0.1), log-rank,
//! Cox and RMST tables with the comparisons' numbers, the methods (settings, the
//! MatchIt call, the caliper note, Austin 2011 and MatchIt cited), the flow sentences,
//! the figures in order; both languages.

use serde_json::Value;
use survlens::contract::adjusted::AdjustedCox;
use survlens::contract::cox::CoxTerm;
use survlens::contract::matching::{
    ArmCounts, MatchedBalance, MatchedComparison, MatchedLogRank, MatchedRows, MatchedSet,
};
use survlens::contract::report::{KmSection, MissingCovariates, RmstDifference, Skip};
use survlens::messages::matching_words::matching_words;
use survlens::messages::numbers::{p_cell, p_sentence, ratio};
use survlens::messages::Lang;
use survlens::plot::matching::{
    balance_terms, score_histograms, MatchedPlot, ScoreHistograms, SCORE_BINS,
};
use survlens::plot::registry::{figure_kind, Options};
use survlens::plot::{FigureOptions, KmPlotOptions};
use survlens::report_html::{render, ReportOptions};

fn demo() -> (Vec<u8>, Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo");
    let data = std::fs::read(dir.join("gist_liver_mets_demo.csv")).unwrap();
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("demo_spec.json")).unwrap())
            .unwrap();
    (data, spec)
}

/// A group term with the hazard ratio `hr` (the limits need not be consistent: the
/// renderers only print them).
fn term(name: &str, hr: f64) -> CoxTerm {
    CoxTerm {
        name: name.into(),
        coef: Some(-0.5),
        se: Some(0.2),
        robust_se: Some(0.25),
        hr: Some(hr),
        lower: Some(hr * 0.6),
        upper: Some(hr * 1.6),
        z: Some(-2.0),
        p: Some(0.0123),
    }
}

/// A matched comparison of `a` against `b` on the demo's KM curves of the two groups;
/// `k` varies the numbers between comparisons.
fn comparison(km: &KmSection, a: &str, b: &str, k: usize) -> MatchedComparison {
    let curves = km
        .curves
        .iter()
        .filter(|c| c.group == a || c.group == b)
        .cloned()
        .collect();
    // 6 treated (4 matched), 9 controls (5 matched); scores spread over [-2, 1.5].
    let treated = [true, true, true, true, true, true];
    let controls = [false; 9];
    let flags: Vec<bool> = treated.iter().chain(&controls).copied().collect();
    let linear_score: Vec<f64> = (0..15).map(|i| -2.0 + 0.25 * i as f64).collect();
    let weight: Vec<f64> = flags
        .iter()
        .enumerate()
        .map(|(i, &t)| match (t, i) {
            (true, 0..=3) => 1.0,
            (false, 6..=10) => 0.8,
            _ => 0.0,
        })
        .collect();
    MatchedComparison {
        a: a.into(),
        b: b.into(),
        n: 15,
        n_events: 7,
        missing_covariates: MissingCovariates::default(),
        caliper_width: Some(0.1234 + k as f64 * 0.01),
        n_matched: ArmCounts { a: 4, b: 5 },
        n_unmatched: ArmCounts { a: 2, b: 4 },
        pairs: vec![
            MatchedSet {
                a_line: 2,
                b_lines: vec![9],
            },
            MatchedSet {
                a_line: 3,
                b_lines: vec![10, 11],
            },
        ],
        balance: vec![
            MatchedBalance {
                term: "age".into(),
                smd_before: Some(0.3123 + k as f64 * 0.1),
                smd_after: Some(0.0213),
            },
            MatchedBalance {
                term: "sex=F".into(),
                smd_before: Some(-0.0801),
                smd_after: Some(-0.1502),
            },
            MatchedBalance {
                term: "sex=M".into(),
                smd_before: Some(0.0801),
                smd_after: None,
            },
        ],
        km: KmSection {
            conf_type: "log".into(),
            conf_level: 0.95,
            curves,
        },
        logrank: Some(MatchedLogRank {
            chisq: 3.25 + k as f64,
            df: 1,
            p: 0.0762 / (k as f64 + 1.0),
            stratified: true,
        }),
        cox: Some(AdjustedCox {
            terms: vec![term(&format!("treatment={a}"), 0.61 + 0.1 * k as f64)],
        }),
        rmst_difference: Some(vec![RmstDifference {
            a: a.into(),
            b: b.into(),
            tau: 60.0,
            estimate: 7.25 + k as f64,
            se: 2.5,
            lower: 2.35,
            upper: 12.15,
            p: 0.0037,
        }]),
        per_row: MatchedRows {
            line: (2..17).collect(),
            treated: flags,
            linear_score,
            weight,
        },
    }
}

/// The demo's spec with matching asked, and its Report with two constructed comparisons.
fn matched_report(caliper: Option<f64>) -> (survlens::Spec, survlens::Report, Vec<u8>) {
    let (data, mut spec) = demo();
    for key in ["treatment_time", "landmark", "time_dependent", "subgroups"] {
        spec.as_object_mut().unwrap().remove(key);
    }
    spec["rmst"] = serde_json::json!({"tau": 60});
    spec["matching"] = serde_json::json!({"ratio": 2, "caliper": caliper, "order": "smallest"});
    let spec = survlens::Spec::from_json(&spec.to_string()).unwrap();
    let mut report = survlens::Analysis::new(&spec).run(&data).unwrap();
    let km = report.km.clone().unwrap();
    let reference = report.groups[0].label.clone();
    let list = report.groups[1..]
        .iter()
        .enumerate()
        .map(|(k, g)| comparison(&km, &g.label, &reference, k))
        .collect();
    report.matching = Skip::Value(list);
    (spec, report, data)
}

fn figure(name: &str, r: &Value, comparison: Option<&str>, lang: Lang) -> (f64, String) {
    let options = if name == "matching_km" {
        Options::Km(KmPlotOptions {
            lang,
            comparison: comparison.map(str::to_string),
            ..KmPlotOptions::default()
        })
    } else {
        Options::Figure(FigureOptions {
            lang,
            comparison: comparison.map(str::to_string),
            ..FigureOptions::default()
        })
    };
    let fig = figure_kind(name)
        .unwrap()
        .read(serde_json::from_value(r.clone()).unwrap(), options)
        .unwrap();
    let h = fig.height(720.0);
    (h, fig.svg(720, h as u32).unwrap())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn the_love_plot_shows_every_term_before_and_after_matching() {
    let (_, report, _) = matched_report(Some(0.2));
    let r = serde_json::to_value(&report).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let w = matching_words(lang);
        let (h, svg) = figure("matching_balance", &r, Some("IM+HR"), lang);
        assert!(h > 100.0);
        for text in [w.before_matching, w.after_matching, "age", "sex=F", "sex=M"] {
            assert!(svg.contains(&esc(text)), "{lang:?}: {text}");
        }
        let title = w.title_balance.replace("{a}", "IM+HR").replace("{b}", "IM");
        assert!(svg.contains(&esc(&title)), "{title}");
        // The weighting words are not this figure's.
        let fw = survlens::messages::figure_words::words(lang);
        assert!(!svg.contains(fw.before_weighting));
    }
    // The rows of the plot: |SMD| of the one pair; a missing SMD draws no point.
    let c = MatchedPlot::from(&comparison(&report.km.clone().unwrap(), "IM+HR", "IM", 0));
    let terms = balance_terms(&c);
    assert_eq!(terms.len(), 3);
    assert_eq!(terms[1].max_abs_smd_after, Some(0.1502));
    assert_eq!(terms[1].pairs[0].smd_after, Some(-0.1502));
    assert_eq!(terms[2].max_abs_smd_after, None);
    assert_eq!(
        (terms[0].pairs[0].a.as_str(), terms[0].pairs[0].b.as_str()),
        ("IM+HR", "IM")
    );
}

#[test]
fn the_scores_figure_counts_matched_and_unmatched_patients_per_arm() {
    let (_, report, _) = matched_report(Some(0.2));
    let c = MatchedPlot::from(&comparison(&report.km.clone().unwrap(), "IM+HR", "IM", 0));
    let ScoreHistograms { range, arms } = score_histograms(&c).unwrap();
    assert_eq!(range, (-2.0, 1.5));
    let sum = |b: &[usize; SCORE_BINS]| b.iter().sum::<usize>();
    assert_eq!((sum(&arms[0].matched), sum(&arms[0].unmatched)), (4, 2));
    assert_eq!((sum(&arms[1].matched), sum(&arms[1].unmatched)), (5, 4));
    // The lowest score is in the first bin, the highest (= the top) in the last.
    assert_eq!(arms[0].matched[0], 1);
    assert_eq!(arms[1].unmatched[SCORE_BINS - 1], 1);
    let r = serde_json::to_value(&report).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let w = matching_words(lang);
        let (_, svg) = figure("matching_scores", &r, None, lang);
        for (group, m, u) in [("IM+HR", 4, 2), ("IM", 5, 4)] {
            let head = w
                .panel
                .replace("{group}", group)
                .replace("{matched}", &m.to_string())
                .replace("{unmatched}", &u.to_string());
            assert!(svg.contains(&esc(&head)), "{head}");
        }
        for text in [w.matched, w.unmatched, w.score_axis, w.patients_axis] {
            assert!(svg.contains(&esc(text)), "{text}");
        }
    }
}

#[test]
fn the_matched_curves_carry_the_stratified_log_rank_p() {
    let (_, report, _) = matched_report(Some(0.2));
    let r = serde_json::to_value(&report).unwrap();
    let list = match &report.matching {
        Skip::Value(v) => v.clone(),
        _ => unreachable!(),
    };
    for c in &list {
        for lang in [Lang::En, Lang::Zh] {
            let w = matching_words(lang);
            let (_, svg) = figure("matching_km", &r, Some(&c.a), lang);
            let p = w
                .logrank_stratified
                .replace("{p}", &p_sentence(Some(c.logrank.as_ref().unwrap().p)));
            assert!(svg.contains(&esc(&p)), "{p}");
            let title = w.title_km.replace("{a}", &c.a).replace("{b}", &c.b);
            assert!(svg.contains(&esc(&title)), "{title}");
            // The two matched curves only, in the legend.
            assert!(svg.contains(&esc(&c.a)) && svg.contains(&esc(&c.b)));
        }
    }
    // The comparisons differ: the second one's p is not the first one's.
    let (_, first) = figure("matching_km", &r, None, Lang::En);
    let (_, second) = figure("matching_km", &r, Some(&list[1].a), Lang::En);
    assert!(first.contains(&p_sentence(Some(list[0].logrank.as_ref().unwrap().p))));
    assert!(second.contains(&p_sentence(Some(list[1].logrank.as_ref().unwrap().p))));
    assert_ne!(first, second);
    assert!(second.contains(&esc("IM+RFA/TACE")));
    // Without the p option, no corner label.
    let fig = figure_kind("matching_km")
        .unwrap()
        .read(
            serde_json::from_value(r.clone()).unwrap(),
            Options::Km(KmPlotOptions {
                p_value: false,
                ..KmPlotOptions::default()
            }),
        )
        .unwrap();
    assert!(!fig
        .svg(720, 600)
        .unwrap()
        .contains("stratified by matched set"));
}

#[test]
fn a_missing_or_unknown_comparison_says_what_to_do() {
    let (_, report, _) = matched_report(None);
    let r = serde_json::to_value(&report).unwrap();
    for name in ["matching_balance", "matching_scores", "matching_km"] {
        let kind = figure_kind(name).unwrap();
        assert_eq!(kind.sections, &["matching"]);
        let err = kind
            .read(
                serde_json::from_str("{}").unwrap(),
                Options::Figure(FigureOptions::default()),
            )
            .err()
            .unwrap();
        assert_eq!(err.kind, "no_matching", "{name}");
        assert!(err.message.contains("\"matching\""), "{}", err.message);
        let nobody = Some("nobody".to_string());
        let options = if name == "matching_km" {
            Options::Km(KmPlotOptions {
                comparison: nobody,
                ..KmPlotOptions::default()
            })
        } else {
            Options::Figure(FigureOptions {
                comparison: nobody,
                ..FigureOptions::default()
            })
        };
        let err = kind
            .read(serde_json::from_value(r.clone()).unwrap(), options)
            .err()
            .unwrap();
        assert_eq!(err.kind, "invalid_options", "{name}");
        assert!(err.message.contains("nobody"));
    }
    // A `null` section (matching without two groups) is no comparison either.
    let err = figure_kind("matching_km")
        .unwrap()
        .read(
            serde_json::from_str(r#"{"matching": null}"#).unwrap(),
            Options::Km(KmPlotOptions::default()),
        )
        .err()
        .unwrap();
    assert_eq!(err.kind, "no_matching");
}

/// The HTML of `<table id="id">`.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("table {id} missing"));
    let end = start + html[start..].find("</table>").unwrap();
    &html[start..end]
}

fn html(caliper: Option<f64>, lang: Lang) -> (String, survlens::Report) {
    let (spec, report, data) = matched_report(caliper);
    let opts = ReportOptions {
        lang,
        data_name: "demo.csv".into(),
        ..Default::default()
    };
    (render(&report, &spec, &data, &opts).unwrap(), report)
}

#[test]
fn the_report_has_the_matching_tables_with_each_comparisons_numbers() {
    for lang in [Lang::En, Lang::Zh] {
        let (html, report) = html(Some(0.2), lang);
        let w = matching_words(lang);
        let Skip::Value(list) = &report.matching else {
            unreachable!()
        };
        let flow = table(&html, "matching");
        assert!(flow.contains(&esc(w.t_flow)));
        for c in list {
            for cells in [
                format!("<td>{}</td><td>6</td><td>4</td><td>2</td>", esc(&c.a)),
                format!("<td>{}</td><td>9</td><td>5</td><td>4</td>", esc(&c.b)),
            ] {
                assert!(flow.contains(&cells), "{lang:?} {cells}");
            }
            assert!(flow.contains(&format!("{:.3}", c.caliper_width.unwrap())));
        }
        let bal = table(&html, "matching_balance");
        // Flagged when |SMD| > 0.1: 0.312 and -0.150, not 0.021 or -0.080.
        assert!(bal.contains("<td>0.312 *</td><td>0.021</td>"), "{bal}");
        assert!(bal.contains("<td>-0.080</td><td>-0.150 *</td>"));
        assert!(bal.contains("<td>0.080</td><td>—</td>"));
        let lr = table(&html, "matching_logrank");
        let cox = table(&html, "matching_cox");
        let rmst = table(&html, "matching_rmst_difference");
        for c in list {
            let l = c.logrank.as_ref().unwrap();
            assert!(lr.contains(&format!(
                "<td>{:.2}</td><td>1</td><td>{}</td><td>{}</td>",
                l.chisq,
                p_cell(Some(l.p)),
                esc(w.test_stratified)
            )));
            let t = &c.cox.as_ref().unwrap().terms[0];
            assert!(cox.contains(&esc(&t.name)) && cox.contains(&ratio(t.hr)));
            let d = &c.rmst_difference.as_ref().unwrap()[0];
            assert!(rmst.contains(&format!("{:.2}", d.estimate)));
        }
    }
}

#[test]
fn the_report_says_how_the_patients_were_matched_and_how_many() {
    let (html, report) = html(Some(0.2), Lang::En);
    let w = matching_words(Lang::En);
    for text in [
        "greedy nearest-neighbour matching on the linear propensity score",
        "1:2 matching, a caliper of 0.2 standard deviations of the linear score, without replacement, treated patients taken in order of increasing score",
        "stratified by matched set",
        "and by the difference in restricted mean survival time at 60",
        "MatchIt::matchit(treat ~ age + sex + ecog + n_liver_lesions + extrahepatic + tumour_size_cm + mitotic_index + kit_exon, data = d_ab, method = &quot;nearest&quot;, distance = &quot;glm&quot;, link = &quot;linear.logit&quot;, caliper = 0.2, std.caliper = TRUE, ratio = 2, replace = FALSE, m.order = &quot;smallest&quot;)",
        w.m_r_caliper_note,
        "Austin PC. Optimal caliper widths",
        "Ho DE, Imai K, King G, Stuart EA. MatchIt",
        "IM+HR vs IM: of 6 IM+HR patients, 4 were matched and 2 had no partner within the caliper; 5 of 9 IM patients served as matches.",
        "IM+RFA/TACE vs IM: of 6",
        "In the matched sample, the hazard ratio of IM+HR vs IM was 0.61",
    ] {
        assert!(
            html.contains(&text.replace('\'', "&#39;")),
            "{text}\n{}",
            &html[html.find("In R:").unwrap_or(0)..][..400]
        );
    }
    // Figures per comparison, in order, each an inline SVG.
    let mut at = 0;
    for id in [
        "figure-matching-balance-1",
        "figure-matching-scores-1",
        "figure-matching-km-1",
        "figure-matching-balance-2",
        "figure-matching-scores-2",
        "figure-matching-km-2",
    ] {
        at += html[at..]
            .find(&format!("<figure id=\"{id}\">\n<svg"))
            .unwrap_or_else(|| panic!("{id} missing or out of order"));
    }
    assert!(html.contains("Kaplan–Meier curves of the matched sample IM+RFA/TACE vs IM (weighted"));
    assert_eq!(
        html.matches("<figure id=\"figure-matching-").count(),
        3 * report.groups[1..].len()
    );
    // No caliper: no caliper note, the flow sentence without "within the caliper".
    let (html, _) = {
        let (spec, mut report, data) = matched_report(None);
        if let Skip::Value(list) = &mut report.matching {
            for c in list.iter_mut() {
                c.caliper_width = None;
            }
        }
        let opts = ReportOptions::default();
        (render(&report, &spec, &data, &opts).unwrap(), ())
    };
    assert!(html.contains("no caliper"));
    assert!(!html.contains(w.m_r_caliper_note));
    assert!(html.contains("caliper = NULL"));
    assert!(html.contains("4 were matched and 2 had no partner; 5 of 9"));
}

#[test]
fn the_chinese_report_is_chinese() {
    let (html, _) = html(Some(0.2), Lang::Zh);
    let w = matching_words(Lang::Zh);
    for text in [
        w.t_flow,
        w.t_balance,
        w.t_logrank,
        "贪婪最近邻匹配",
        "卡钳为线性评分的 0.2 个标准差",
        "按评分由低到高的顺序",
        "IM+HR 对比 IM：6 例 IM+HR 患者中 4 例完成匹配，2 例在卡钳范围内找不到对象；9 例 IM 患者中 5 例被选为匹配对象。",
        w.m_r_caliper_note,
    ] {
        assert!(html.contains(&esc(text)), "{text}");
    }
    for english in [
        "greedy nearest-neighbour",
        "had no partner",
        "Matched sample:",
    ] {
        assert!(!html.contains(english), "{english}");
    }
}

#[test]
fn a_comparison_without_pairs_draws_only_what_it_has() {
    let (spec, mut report, data) = matched_report(Some(0.2));
    if let Skip::Value(list) = &mut report.matching {
        // As the analysis writes a comparison whose arms are too small to model.
        let c = &mut list[1];
        c.pairs.clear();
        c.balance.clear();
        c.km.curves.clear();
        c.logrank = None;
        c.cox = None;
        c.rmst_difference = None;
        c.per_row = MatchedRows {
            line: vec![],
            treated: vec![],
            linear_score: vec![],
            weight: vec![],
        };
        c.n_matched = ArmCounts { a: 0, b: 0 };
    }
    let html = render(&report, &spec, &data, &ReportOptions::default()).unwrap();
    for id in [
        "figure-matching-balance-1",
        "figure-matching-scores-1",
        "figure-matching-km-1",
    ] {
        assert!(html.contains(&format!("<figure id=\"{id}\">")), "{id}");
    }
    for id in ["balance", "scores", "km"] {
        assert!(!html.contains(&format!("<figure id=\"figure-matching-{id}-2\">")));
    }
    // Its flow row is still in the table; its tests are not.
    let flow = table(&html, "matching");
    assert!(flow.contains("<td>IM+RFA/TACE</td><td>2</td><td>0</td><td>2</td>"));
    assert_eq!(table(&html, "matching_logrank").matches("<tr>").count(), 2);
}

#[test]
fn a_narrow_figure_keeps_the_comparison_of_its_title() {
    use survlens::plot::matching::fitted_title;
    for lang in [Lang::En, Lang::Zh] {
        let w = matching_words(lang);
        let title = w.title_balance.replace("{a}", "IM+HR").replace("{b}", "IM");
        assert_eq!(
            fitted_title(&Some(title.clone()), 720.0, 13.0),
            Some(title.clone())
        );
        let short = fitted_title(&Some(title.clone()), 200.0, 13.0).unwrap();
        assert_eq!(
            short,
            if lang == Lang::En {
                "IM+HR vs IM"
            } else {
                "IM+HR 对比 IM"
            }
        );
    }
    assert_eq!(fitted_title(&None, 300.0, 13.0), None);
    // The page's drawing at 300 px shows the short title; the 720-px export the whole.
    let (_, report, _) = matched_report(Some(0.2));
    let r = serde_json::to_value(&report).unwrap();
    let fig = figure_kind("matching_scores")
        .unwrap()
        .read(
            serde_json::from_value(r).unwrap(),
            Options::Figure(FigureOptions::default()),
        )
        .unwrap();
    let narrow = fig.svg(300, 500).unwrap();
    assert!(!narrow.contains("Propensity scores of matched"));
    assert!(narrow.contains("IM+HR vs IM"));
    assert!(fig
        .svg(720, 500)
        .unwrap()
        .contains("Propensity scores of matched"));
}
