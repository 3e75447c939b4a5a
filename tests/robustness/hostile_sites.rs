//! The hostile-input catalogue of the newer sections (issue 25; harness in
//! tests/hostile_support): competing risks, target-trial emulation, matching, imputation
//! and subgroups given impossible settings, and the multi-site files (`survlens site`,
//! `survlens pool`) from a hospital that got something wrong. Each is a typed error naming
//! what to change, in English and in Chinese.

use crate::hostile_support;
use hostile_support::{case, err, pool_case, run_all, site_case, Case};
use survlens::analysis::sites;

/// 600 rows: time, event (0/1/2), group, a covariate, a treatment time, a 300-level column.
fn cohort() -> String {
    let mut s = String::from("t,d,g,x,u,sg\n");
    for i in 0..600 {
        let u = if i % 3 == 0 {
            format!("{}", (i % 5) as f64 * 0.5)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{},{},{},{},{u},P{}\n",
            1 + i % 13,
            i % 3,
            ["A", "B"][i % 2],
            i % 7,
            i % 300
        ));
    }
    s
}

fn spec(extra: &str) -> String {
    format!(
        r#"{{"time": {{"column": "t"}}, "event": {{"column": "d", "values": ["1"]}}, "group": {{"column": "g", "reference": "A"}}, "covariates": [{{"column": "x"}}], {extra}}}"#
    )
}

fn section_cases() -> Vec<Case> {
    let data = cohort();
    vec![
        case(
            "competing values overlap the event values",
            data.clone(),
            r#"{"time": {"column": "t"}, "event": {"column": "d", "values": ["1"], "competing_values": ["1", "2"]}, "group": {"column": "g"}, "competing_risks": {}}"#,
            err(
                "conflicting_event_values",
                &["\"d\"", "\"1\"", "\"values\"", "\"competing_values\""],
            ),
        ),
        case(
            "emulation: a negative grace period",
            data.clone(),
            spec(
                r#""treatment_time": {"column": "u"}, "emulation": {"grace": -1, "covariates": ["x"], "times": [5]}"#,
            ),
            err("spec_invalid", &["emulation.grace", "-1", "≥ 0"]),
        ),
        case(
            "emulation without a treatment time",
            data.clone(),
            spec(r#""emulation": {"grace": 2, "covariates": ["x"], "times": [5]}"#),
            err("spec_invalid", &["\"emulation\"", "treatment_time"]),
        ),
        case(
            "matching: a caliper below 0",
            data.clone(),
            spec(r#""matching": {"covariates": ["x"], "caliper": -0.1}"#),
            err("spec_invalid", &["matching.caliper", "-0.1", "≥ 0"]),
        ),
        case(
            "matching: ratio 0",
            data.clone(),
            spec(r#""matching": {"covariates": ["x"], "ratio": 0}"#),
            err("spec_invalid", &["matching.ratio", "use 1"]),
        ),
        case(
            "matching: ratio over its limit",
            data.clone(),
            spec(r#""matching": {"covariates": ["x"], "ratio": 101}"#),
            err("spec_invalid", &["matching.ratio", "101", "100"]),
        ),
        case(
            "imputation: m over its limit",
            data.clone(),
            spec(r#""imputation": {"m": 501}"#),
            err("spec_invalid", &["imputation.m", "501", "500"]),
        ),
        case(
            "imputation: m = 1",
            data.clone(),
            spec(r#""imputation": {"m": 1}"#),
            err("spec_invalid", &["imputation.m", "at least 2"]),
        ),
        case(
            "subgroups: a column of 300 levels",
            data.clone(),
            spec(r#""subgroups": {"columns": [{"column": "sg"}]}, "cox": {}"#),
            err("too_many_levels", &["\"sg\"", "300", "50"]),
        ),
        case(
            "subgroups: the group column as a subgroup",
            data,
            spec(r#""subgroups": {"columns": [{"column": "g"}]}, "cox": {}"#),
            err(
                "spec_invalid",
                &["subgroups.columns[0]", "\"g\"", "group column"],
            ),
        ),
    ]
}

/// A setting outside its range, one per rule of the spec's checks whose detail is written
/// in both languages where the rule is checked.
fn spec_rule_cases() -> Vec<Case> {
    let data = cohort();
    let c = |name, extra: &str, field: &'static str, mention: &'static str| {
        case(
            name,
            data.clone(),
            spec(extra),
            err("spec_invalid", &[field, mention]),
        )
    };
    vec![
        c(
            "km: a confidence level of 1.5",
            r#""km": {"conf_level": 1.5}"#,
            "km.conf_level",
            "1.5",
        ),
        c(
            "log-rank: rho below 0",
            r#""logrank": {"rho": -1}"#,
            "logrank.rho",
            "-1",
        ),
        c(
            "adjusted: a bootstrap of 0 replicates",
            r#""propensity": {"covariates": ["x"]}, "adjusted": {"bootstrap": {"replicates": 0}}"#,
            "adjusted.bootstrap.replicates",
            "0",
        ),
        c(
            "RMST: a negative horizon",
            r#""rmst": {"tau": -5}"#,
            "rmst.tau",
            "-5",
        ),
        c(
            "conditional: no given time",
            r#""conditional": {"given": []}"#,
            "conditional.given",
            "[12, 24]",
        ),
        c(
            "conditional: a given time twice",
            r#""conditional": {"given": [12, 12]}"#,
            "conditional.given",
            "12",
        ),
        c(
            "subgroups: no column",
            r#""subgroups": {"columns": []}, "cox": {}"#,
            "subgroups.columns",
            "\"age\"",
        ),
        c(
            "subgroups: a column named twice",
            r#""subgroups": {"columns": [{"column": "x", "cut": [3]}, {"column": "x", "cut": [4]}]}, "cox": {}"#,
            "subgroups.columns[1]",
            "\"x\"",
        ),
        c(
            "Cox periods: cut points that do not increase",
            r#""cox": {"periods": [12, 6]}"#,
            "cox.periods",
            "12",
        ),
        c(
            "emulation: a negative horizon",
            r#""treatment_time": {"column": "u"}, "emulation": {"grace": 2, "covariates": ["x"], "times": [5], "tau": -1}"#,
            "emulation.tau",
            "-1",
        ),
        c(
            "landmark: no landmark time",
            r#""treatment_time": {"column": "u"}, "landmark": {"times": []}"#,
            "landmark.times",
            "[3, 6, 12]",
        ),
        c(
            "imputation: an empty set column",
            r#""imputation": {"imputed": ""}"#,
            "imputation.imputed",
            "\".imp\"",
        ),
    ]
}

fn lung(site: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/reference/sites_lung/site_{site}.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("lung site data")
}

fn lung_protocol() -> serde_json::Value {
    let path = format!(
        "{}/tests/reference/sites_lung/spec.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("spec")).expect("json")
}

/// The summary file of a lung site under `protocol`.
fn summary(site: &str, protocol: &serde_json::Value) -> (String, Vec<u8>) {
    let spec = survlens::Spec::from_json(&protocol.to_string()).expect("protocol");
    let s = sites::site_summary(&lung(site), &spec, site, None).expect("summary");
    (
        format!("{site}.json"),
        serde_json::to_string_pretty(&s).expect("json").into_bytes(),
    )
}

/// The summary file of a lung site, changed by `edit` and sealed again (a forged file
/// matches its checksum: anybody can re-seal one).
fn resealed(
    site: &str,
    protocol: &serde_json::Value,
    edit: impl FnOnce(&mut survlens::contract::sites::SiteSummary),
) -> (String, Vec<u8>) {
    let spec = survlens::Spec::from_json(&protocol.to_string()).expect("protocol");
    let mut s = sites::site_summary(&lung(site), &spec, site, None).expect("summary");
    edit(&mut s);
    let s = sites::seal(s);
    (
        format!("{site}.json"),
        serde_json::to_string_pretty(&s).expect("json").into_bytes(),
    )
}

fn sites_cases() -> Vec<Case> {
    let protocol = lung_protocol();
    let mut other = protocol.clone();
    other["sites"]["km_width"] = serde_json::json!(30);
    let mut no_reference = protocol.clone();
    no_reference["group"]
        .as_object_mut()
        .expect("group")
        .remove("reference");
    let mut categorical = protocol.clone();
    categorical["covariates"][1] = serde_json::json!({"column": "ph.ecog", "type": "categorical"});
    let mut weighted = protocol.clone();
    weighted["weights"] = serde_json::json!({"column": "age"});
    let (a, a_bytes) = summary("A", &protocol);
    let edited = String::from_utf8(a_bytes.clone())
        .expect("utf-8")
        .replacen("\"n\": ", "\"n\": 1", 1)
        .into_bytes();
    vec![
        pool_case(
            "pool: a re-sealed summary with more observed events than the site has",
            vec![
                resealed("A", &protocol, |s| s.logrank.groups[0].observed = 1e127),
                summary("B", &protocol),
            ],
            err(
                "sites_implausible",
                &[
                    "\"A.json\"",
                    "logrank.groups[0].observed",
                    "export it again",
                ],
            ),
        ),
        pool_case(
            "pool: a re-sealed summary with a negative standard error",
            vec![
                summary("B", &protocol),
                resealed("A", &protocol, |s| {
                    s.cox.as_mut().expect("fit").terms[0].se = Some(-0.5)
                }),
            ],
            err(
                "sites_implausible",
                &["\"A.json\"", "cox.terms[0].se", "-0.5", "positive"],
            ),
        ),
        pool_case(
            "pool: a site summary from another protocol",
            vec![summary("A", &protocol), summary("B", &other)],
            err(
                "sites_protocol_mismatch",
                &["different protocols", "A (", "B ("],
            ),
        ),
        pool_case(
            "pool: a site summary edited after export",
            vec![(a.clone(), edited), summary("B", &protocol)],
            err("sites_checksum", &["\"A.json\"", "checksum"]),
        ),
        pool_case(
            "pool: the same site twice",
            vec![
                (a.clone(), a_bytes.clone()),
                ("A copy.json".into(), a_bytes),
            ],
            err("sites_duplicate_site", &["\"A\"", "one file per site"]),
        ),
        site_case(
            "site: a protocol without a fixed reference group",
            lung("A"),
            no_reference.to_string(),
            "A",
            err("sites_protocol", &["group.reference", "\"reference\""]),
        ),
        site_case(
            "site: a categorical covariate without a fixed reference level",
            lung("A"),
            categorical.to_string(),
            "A",
            err(
                "sites_protocol",
                &["covariates.ph.ecog.reference", "\"ph.ecog\""],
            ),
        ),
        site_case(
            "site: a protocol with case weights",
            lung("A"),
            weighted.to_string(),
            "A",
            err("sites_protocol", &["\"weights\""]),
        ),
    ]
}

#[test]
fn newer_sections_and_site_files_end_in_a_typed_error_in_both_languages() {
    let cases: Vec<Case> = [section_cases(), spec_rule_cases(), sites_cases()]
        .into_iter()
        .flatten()
        .collect();
    run_all(&cases, "hostile-sites");
}

/// The catalogue's size across its three files (issue 25 asks for 80 kinds).
#[test]
fn the_catalogue_has_80_kinds() {
    let n = crate::hostile_input::catalogue().len()
        + crate::hostile_more::catalogue().len()
        + section_cases().len()
        + spec_rule_cases().len()
        + sites_cases().len();
    assert!(n >= 80, "{n} cases");
}
