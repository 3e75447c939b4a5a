//! The failure paths: a site without events, a site without a group, an edited summary,
//! mismatched protocols, summaries of different rounds, hostile files, and protocols that
//! cannot run at several sites. Where the pooled numbers exist they are checked against
//! the one-file analysis of the stacked rows stratified by site (`survlens analyze` with
//! `strata: ["site"]`), which agrees with R elsewhere.

use super::common::close;
use super::support::{case, run_rounds, through_file};
use survlens::analysis::sites::{pool, read_summary, seal, site_summary, SitesError};
use survlens::contract::warning_code::WarningCode;
use survlens::Spec;

/// The site CSVs stacked into one file with a `site` column.
fn stacked(sites: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = String::new();
    for (i, (name, bytes)) in sites.iter().enumerate() {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        if i == 0 {
            out.push_str(&format!("{header},site\n"));
        }
        for l in lines {
            out.push_str(&format!("{l},{name}\n"));
        }
    }
    out.into_bytes()
}

/// The one-file analysis of the stacked rows: log-rank and Cox stratified by site.
fn stratified_report(spec: &Spec, sites: &[(String, Vec<u8>)]) -> serde_json::Value {
    let mut v = serde_json::to_value(spec).unwrap();
    v["strata"] = serde_json::json!(["site"]);
    v["logrank"] = serde_json::json!({});
    v["cox"] = serde_json::json!({});
    v.as_object_mut().unwrap().remove("sites");
    let report = survlens::Analysis::from_json(&v.to_string())
        .run(stacked(sites))
        .unwrap();
    serde_json::to_value(&report).unwrap()
}

/// Pooled by rounds = the stacked analysis stratified by site (log-rank and Cox).
fn pooled_equals_stratified(
    spec: &Spec,
    sites: &[(String, Vec<u8>)],
) -> survlens::contract::sites::Pooled {
    let (pooled, _) = run_rounds(spec, sites);
    let r = stratified_report(spec, sites);
    let lr = pooled.sites.logrank.as_ref().unwrap();
    let want = r["logrank"]["chisq"].as_f64().unwrap();
    assert!(
        close(lr.chisq, want, 1e-9, 1e-12),
        "log-rank {} vs {want}",
        lr.chisq
    );
    let cox = pooled.sites.cox.as_ref().unwrap();
    assert!(cox.converged);
    for t in cox.terms.as_ref().unwrap() {
        let rt = r["cox"]["terms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == t.name.as_str())
            .unwrap_or_else(|| panic!("{} in the stacked fit", t.name));
        let (a, b) = (t.coef.unwrap(), rt["coef"].as_f64().unwrap());
        assert!(close(a, b, 1e-7, 1e-9), "{}: {a} vs {b}", t.name);
        let (a, b) = (t.se.unwrap(), rt["se"].as_f64().unwrap());
        assert!(close(a, b, 1e-7, 1e-9), "{} se: {a} vs {b}", t.name);
    }
    pooled
}

/// The lung case with one more site built from `rows` of site A's file, each changed by
/// `edit` (a CSV line → a CSV line).
fn with_extra_site(
    name: &str,
    rows: usize,
    edit: impl Fn(&str) -> String,
) -> (Spec, Vec<(String, Vec<u8>)>) {
    let (spec, mut sites, _) = case("sites_lung");
    let text = String::from_utf8(sites[0].1.clone()).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines.take(rows) {
        out.push_str(&edit(l));
        out.push('\n');
    }
    sites.push((name.to_string(), out.into_bytes()));
    (spec, sites)
}

#[test]
fn a_site_without_events_adds_nothing_and_is_left_out_of_the_meta_analysis() {
    // time,status,sex,age,ph.ecog: every status 0.
    let (spec, sites) = with_extra_site("D", 30, |l| {
        let mut f: Vec<&str> = l.split(',').collect();
        f[1] = "0";
        f.join(",")
    });
    let d = site_summary(&sites[3].1, &spec, "D", None).unwrap();
    assert!(d.cox.is_none());
    assert!(d
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::SiteCoxFailed));
    assert_eq!(
        d.logrank.groups.iter().map(|g| g.observed).sum::<f64>(),
        0.0
    );
    let pooled = pooled_equals_stratified(&spec, &sites);
    for m in &pooled.sites.meta {
        let row = m.forest.iter().find(|r| r.site == "D").unwrap();
        assert!(!row.included && row.hr.is_none(), "{}", m.name);
    }
    assert!(pooled
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::SiteLeftOutOfMeta && w.context["site"] == "D"));
    // Without D the same numbers: a site without events adds nothing.
    let (without, _) = run_rounds(&spec, &sites[..3]);
    let a = pooled.sites.cox.unwrap().terms.unwrap();
    let b = without.sites.cox.unwrap().terms.unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert!(close(x.coef.unwrap(), y.coef.unwrap(), 1e-9, 1e-12));
    }
}

#[test]
fn a_site_without_a_group_adds_zeros_with_a_warning() {
    // Only sex = 1 rows at site E.
    let (spec, mut sites) = with_extra_site("E", 60, |l| l.to_string());
    let text = String::from_utf8(sites[3].1.clone()).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.split(',').nth(2) == Some("1"))
        .map(|(_, l)| l)
        .collect();
    sites[3].1 = (kept.join("\n") + "\n").into_bytes();
    let e = site_summary(&sites[3].1, &spec, "E", None).unwrap();
    // The protocol's levels keep the group's slot: n = 0, O = E = 0, its dummy aliased.
    let g2 = e.logrank.groups.iter().find(|g| g.label == "2").unwrap();
    assert_eq!((g2.n, g2.observed, g2.expected), (0, 0.0, 0.0));
    let own = e.cox.as_ref().unwrap();
    assert!(own
        .terms
        .iter()
        .find(|t| t.name == "sex=2")
        .unwrap()
        .coef
        .is_none());
    let pooled = pooled_equals_stratified(&spec, &sites);
    assert!(pooled
        .warnings
        .iter()
        .any(|w| { w.code == WarningCode::SiteMissingGroup && w.context["site"] == "E" }));
    let sex = pooled
        .sites
        .meta
        .iter()
        .find(|m| m.name == "sex=2")
        .unwrap();
    assert!(!sex.forest.iter().find(|r| r.site == "E").unwrap().included);
    // The life table of group 2 has no site E counts; of group 1 it has.
    assert_eq!(pooled.sites.life_table.method, "life_table");
}

#[test]
fn an_edited_summary_is_refused_naming_its_file_and_site() {
    let (spec, sites, _) = case("sites_lung");
    let s = site_summary(&sites[1].1, &spec, &sites[1].0, None).unwrap();
    let text = serde_json::to_string_pretty(&s).unwrap();
    assert!(read_summary("B.json", text.as_bytes()).is_ok());
    // One observed count changed by hand.
    let obs = format!("\"observed\": {:?}", s.logrank.groups[0].observed);
    assert!(text.contains(&obs));
    let edited = text.replacen(&obs, "\"observed\": 99.0", 1);
    match read_summary("B.json", edited.as_bytes()) {
        Err(SitesError::Checksum { file, site }) => {
            assert_eq!(file, "B.json");
            assert_eq!(site, "B");
        }
        other => panic!("{other:?}"),
    }
    let e = read_summary("B.json", edited.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), "sites_checksum");
    assert!(
        e.to_string().contains("B.json")
            && e.message(survlens::messages::Lang::Zh).contains("B.json")
    );
}

#[test]
fn summaries_of_different_protocols_are_refused_naming_the_sites() {
    let (spec, sites, _) = case("sites_lung");
    let mut other = spec.clone();
    other.sites.as_mut().unwrap().min_cell = 10;
    let a = through_file(&site_summary(&sites[0].1, &spec, "A", None).unwrap());
    let b = through_file(&site_summary(&sites[1].1, &other, "B", None).unwrap());
    let e = pool(&[a, b]).unwrap_err();
    assert_eq!(e.kind(), "sites_protocol_mismatch");
    let text = e.to_string();
    assert!(text.contains("A (") && text.contains("B ("), "{text}");
}

#[test]
fn summaries_of_different_rounds_are_refused() {
    let (spec, sites, _) = case("sites_lung");
    let first: Vec<_> = sites
        .iter()
        .map(|(n, d)| site_summary(d, &spec, n, None).unwrap())
        .collect();
    let p = pool(&first).unwrap();
    let a1 = site_summary(&sites[0].1, &spec, "A", Some(&p)).unwrap();
    let e = pool(&[a1, first[1].clone(), first[2].clone()]).unwrap_err();
    assert_eq!(e.kind(), "sites_rounds_mismatch");
    assert!(e.to_string().contains('B'));
}

#[test]
fn the_same_site_twice_is_refused() {
    let (spec, sites, _) = case("sites_lung");
    let a = site_summary(&sites[0].1, &spec, "A", None).unwrap();
    assert_eq!(
        pool(&[a.clone(), a]).unwrap_err().kind(),
        "sites_duplicate_site"
    );
    assert_eq!(pool(&[]).unwrap_err().kind(), "sites_none");
}

#[test]
fn hostile_files_are_not_summaries() {
    let (spec, sites, _) = case("sites_lung");
    let s = site_summary(&sites[0].1, &spec, "A", None).unwrap();
    let mut v = serde_json::to_value(&s).unwrap();
    v["patients"] = serde_json::json!([1, 2]);
    let e = read_summary("x.json", v.to_string().as_bytes()).unwrap_err();
    assert_eq!(e.kind(), "sites_not_a_summary", "unknown key");
    let mut v = serde_json::to_value(&s).unwrap();
    v["logrank"]["variance"] = serde_json::json!([[1.0]]);
    let e = read_summary("x.json", v.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        e.kind(),
        "sites_not_a_summary",
        "variance of the wrong size"
    );
    let mut v = serde_json::to_value(&s).unwrap();
    v["survlens_site_summary"] = serde_json::json!(2);
    assert_eq!(
        read_summary("x.json", v.to_string().as_bytes())
            .unwrap_err()
            .kind(),
        "sites_not_a_summary"
    );
    assert_eq!(
        read_summary("x.json", b"\xff\xfe").unwrap_err().kind(),
        "sites_not_a_summary"
    );
    // Bin edges far beyond any follow-up (a loop over them would never end).
    let mut v = serde_json::to_value(&s).unwrap();
    v["km_binned"]["groups"][0]["edges"][1] = serde_json::json!(3e15);
    let e = read_summary("x.json", v.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        e.kind(),
        "sites_not_a_summary",
        "edges beyond the bin limit"
    );
    assert_eq!(
        read_summary("x.json", b"[]").unwrap_err().kind(),
        "sites_not_a_summary"
    );
}

/// A summary of a lung site, changed by `edit` and sealed again: it matches its checksum.
fn forged(
    spec: &Spec,
    data: &[u8],
    site: &str,
    edit: impl FnOnce(&mut survlens::contract::sites::SiteSummary),
) -> Result<survlens::contract::sites::SiteSummary, SitesError> {
    let mut s = site_summary(data, spec, site, None).unwrap();
    edit(&mut s);
    let text = serde_json::to_string_pretty(&seal(s)).unwrap();
    read_summary(&format!("{site}.json"), text.as_bytes())
}

#[test]
fn a_forged_summary_with_numbers_no_cohort_gives_is_refused_naming_the_field() {
    let (spec, sites, _) = case("sites_lung");
    let data = &sites[0].1;
    let kind_and_text = |r: Result<_, SitesError>| {
        let e = r.unwrap_err();
        (
            e.kind(),
            e.to_string(),
            e.message(survlens::messages::Lang::Zh),
        )
    };
    // More observed events than the site's events.
    let (kind, en, zh) = kind_and_text(forged(&spec, data, "A", |s| {
        s.logrank.groups[1].observed = s.n_events as f64 + 1.0
    }));
    assert_eq!(kind, "sites_implausible");
    assert!(
        en.contains("\"A.json\" (site A)") && en.contains("logrank.groups[1].observed"),
        "{en}"
    );
    assert!(
        zh.contains("logrank.groups[1].observed") && zh.contains("重新导出"),
        "{zh}"
    );
    // A negative variance, a covariance beyond the events, a zero SE, a score of 1e200.
    for (field, edit) in [
        (
            "logrank.variance[0][0]",
            Box::new(|s: &mut survlens::contract::sites::SiteSummary| {
                s.logrank.variance[0][0] = -1.0
            }) as Box<dyn FnOnce(&mut _)>,
        ),
        (
            "logrank.variance[0][1]",
            Box::new(|s: &mut survlens::contract::sites::SiteSummary| {
                s.logrank.variance[0][1] = -(s.n_events as f64) * 2.0
            }),
        ),
        (
            "cox.terms[1].se",
            Box::new(|s: &mut survlens::contract::sites::SiteSummary| {
                s.cox.as_mut().unwrap().terms[1].se = Some(0.0)
            }),
        ),
        (
            "cox_rounds[0].score[0]",
            Box::new(|s: &mut survlens::contract::sites::SiteSummary| {
                s.cox_rounds[0].score[0] = 1e200
            }),
        ),
        (
            "n_events",
            Box::new(|s: &mut survlens::contract::sites::SiteSummary| s.n_events = s.n + 1),
        ),
    ] {
        let (kind, en, _) = kind_and_text(forged(&spec, data, "A", edit));
        assert_eq!(kind, "sites_implausible", "{field}");
        assert!(en.contains(field), "{field}: {en}");
    }
    // The unchanged summary, sealed again, reads.
    forged(&spec, data, "A", |_| {}).unwrap();
}

/// The open fuzz finding of session 11: an SE of 8.9e19 (its limits are exp(±∞)) was
/// pooled into a meta-analysis whose limits were infinite, written `null`, and the pooled
/// file did not read back. Now that site is left out of the term (R's limits are `Inf`:
/// undefined), and the pooled file reads back, alone or with the other sites.
#[test]
fn a_term_whose_limits_overflow_is_left_out_and_the_pooled_file_reads_back() {
    let (spec, sites, _) = case("sites_lung");
    let a = forged(&spec, &sites[0].1, "A", |s| {
        s.cox.as_mut().unwrap().terms[1].se = Some(8.888_888_888_888_889e19)
    })
    .unwrap();
    let name = a.cox.as_ref().unwrap().terms[1].name.clone();
    let others: Vec<_> = sites[1..]
        .iter()
        .map(|(n, d)| site_summary(d, &spec, n, None).unwrap())
        .collect();
    for set in [vec![a.clone()], [vec![a.clone()], others.clone()].concat()] {
        let pooled = pool(&set).unwrap();
        let text = serde_json::to_string_pretty(&pooled).unwrap();
        let back = survlens::analysis::sites::read_pooled("pooled.json", text.as_bytes()).unwrap();
        assert_eq!(back, pooled);
        let term = pooled.sites.meta.iter().find(|m| m.name == name).unwrap();
        let row = term.forest.iter().find(|r| r.site == "A").unwrap();
        assert!(!row.included && row.hr.is_none());
        assert_eq!(term.fixed.is_some(), set.len() > 1, "{} sites", set.len());
        assert!(pooled.warnings.iter().any(|w| {
            w.code == WarningCode::SiteLeftOutOfMeta && w.context["term"] == name.as_str()
        }));
    }
}

#[test]
fn a_protocol_that_cannot_run_at_several_sites_is_refused() {
    let (spec, sites, _) = case("sites_lung");
    let mut no_ref = spec.clone();
    no_ref.group.as_mut().unwrap().reference = None;
    let e = site_summary(&sites[0].1, &no_ref, "A", None).unwrap_err();
    assert_eq!(e.kind(), "sites_protocol");
    assert!(e.to_string().contains("group.reference"));
    let bad = r#"{"time": {"column": "time"}, "event": {"column": "status", "values": ["1"]}, "sites": {"km_width": 0}}"#;
    let e = Spec::from_json(bad).unwrap_err();
    assert!(e.to_string().contains("sites.km_width"));
    let bad = r#"{"time": {"column": "time"}, "event": {"column": "status", "values": ["1"]}, "sites": {"min_cell": 0}}"#;
    assert!(Spec::from_json(bad)
        .unwrap_err()
        .to_string()
        .contains("sites.min_cell"));
}
