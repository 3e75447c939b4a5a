//! The `competing_risks` section's identities, end to end (the R agreement is in
//! `reference`, cases `cr_*`):
//!
//! * without any competing event the cumulative incidence of the event is 1 − KM at every
//!   time (the SEs differ by design: IJ for the CIF, Greenwood for KM; their equality
//!   with the KM's IJ SE is a unit test of the statistics core);
//! * the two causes' incidences plus the event-free probability add to 1 at every time;
//! * Gray's test is close to the log-rank test when nothing competes;
//! * KM, log-rank and Cox read a competing event as censoring (cause-specific), and the
//!   results warn that 1 − KM is not the incidence.

use serde_json::{json, Value};
use survlens::analysis::report::Report;

/// A deterministic cohort: `n` rows, two arms, times with ties, outcomes cycling through
/// event / competing / censored with arm-dependent rates (`competing = false`: the
/// competing rows are censored instead, the token still written as `other`).
fn csv(n: usize, competing: bool) -> Vec<u8> {
    let mut out = String::from("months,status,arm,age\n");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let arm = if i % 2 == 0 { "IM" } else { "IM+HR" };
        let u = (state % 1000) as f64 / 1000.0;
        let time = ((1.0 - u).ln().abs() * if arm == "IM" { 30.0 } else { 45.0 } * 2.0).round() / 2.0
            + 0.5;
        let status = match (state >> 20) % 5 {
            0 | 1 => "died_gist",
            2 if competing => "died_other",
            _ => "alive",
        };
        let age = 40 + (state >> 30) % 40;
        out.push_str(&format!("{time},{status},{arm},{age}\n"));
    }
    out.into_bytes()
}

fn spec(competing: &[&str]) -> String {
    json!({
        "time": {"column": "months"},
        "event": {"column": "status", "values": ["died_gist"], "competing_values": competing,
                  "censored_values": ["alive"]},
        "group": {"column": "arm", "reference": "IM"},
        "covariates": [{"column": "age", "type": "numeric"}],
        "km": {"times": [12, 24]},
        "logrank": {},
        "cox": {},
        "competing_risks": {"times": [12, 24, 1000]}
    })
    .to_string()
}

fn run(data: &[u8], spec: &str) -> Value {
    let report: Report = survlens::Analysis::from_json(spec)
        .run(data)
        .expect("analysis runs");
    serde_json::to_value(&report).expect("serializes")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

#[test]
fn without_competing_events_the_incidence_is_one_minus_km() {
    let r = run(&csv(400, false), &spec(&["died_other"]));
    let km = r["km"]["curves"].as_array().expect("km curves");
    let cif = r["competing_risks"]["cif"].as_array().expect("cif");
    assert_eq!(cif.len(), 4, "two groups × two causes");
    for (g, curve) in km.iter().enumerate() {
        let event = &cif[2 * g];
        assert_eq!(event["cause"], "event");
        assert_eq!(event["group"], curve["group"]);
        assert_eq!(event["time"], curve["time"]);
        for (k, s) in curve["surv"].as_array().expect("surv").iter().enumerate() {
            let est = f(&event["estimate"][k]);
            assert!((est - (1.0 - f(s))).abs() < 1e-12, "t[{k}]: {est} vs 1 - {s}");
        }
        let competing = &cif[2 * g + 1];
        assert!(competing["estimate"]
            .as_array()
            .expect("estimate")
            .iter()
            .all(|v| f(v) == 0.0));
    }
    // Gray's score test and the log-rank test agree closely when nothing competes.
    let gray = f(&r["competing_risks"]["gray"][0]["chisq"]);
    let logrank = f(&r["logrank"]["chisq"]);
    assert!(
        (gray - logrank).abs() < 0.05 * logrank.max(1.0),
        "Gray {gray} vs log-rank {logrank}"
    );
}

#[test]
fn causes_and_event_free_add_to_one_and_km_is_cause_specific() {
    let data = csv(500, true);
    let r = run(&data, &spec(&["died_other"]));
    let cif = r["competing_risks"]["cif"].as_array().expect("cif");
    let groups = r["groups"].as_array().expect("groups");
    for g in 0..2 {
        let (ev, comp) = (&cif[2 * g], &cif[2 * g + 1]);
        let n = f(&groups[g]["n"]);
        let times = ev["time"].as_array().expect("time");
        // The event-free probability by the product of (1 − all-cause hazard).
        let mut event_free = 1.0;
        for k in 0..times.len() {
            let d = f(&ev["n_event"][k]) + f(&comp["n_event"][k]);
            event_free *= 1.0 - d / f(&ev["n_risk"][k]);
            let total = f(&ev["estimate"][k]) + f(&comp["estimate"][k]) + event_free;
            assert!((total - 1.0).abs() < 1e-12, "group {g}, t[{k}]: {total}");
        }
        assert_eq!(f(&ev["n_risk"][0]), n, "everyone at risk at the first time");
        // Beyond follow-up: nulls, n_risk 0.
        let last = &ev["at_times"][2];
        assert_eq!(last["beyond_follow_up"], true);
        assert!(last["estimate"].is_null() && last["n_risk"] == 0.0);
    }
    // Counts: events of interest and competing events, per group and overall.
    let text = String::from_utf8(data).expect("utf8");
    let count = |tok: &str| text.lines().filter(|l| l.contains(tok)).count();
    assert_eq!(r["data"]["n_events"], count(",died_gist,"));
    assert_eq!(r["data"]["n_competing"], count(",died_other,"));
    let per_group: u64 = groups.iter().map(|g| g["competing"].as_u64().unwrap_or(0)).sum();
    assert_eq!(per_group as usize, count(",died_other,"));
    // KM is cause-specific: the competing rows are censored there, so the KM's events are
    // the events of interest only; and the warning says why 1 − KM is not the incidence.
    let km_events: f64 = r["km"]["curves"]
        .as_array()
        .expect("curves")
        .iter()
        .flat_map(|c| c["n_event"].as_array().expect("n_event").clone())
        .map(|v| f(&v))
        .sum();
    assert_eq!(km_events as usize, count(",died_gist,"));
    let warned = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == "km_with_competing_risks")
        .expect("km_with_competing_risks");
    assert_eq!(warned["context"]["n_competing"], count(",died_other,"));
    // 1 − KM overstates the incidence once competing events occur.
    let km0 = &r["km"]["curves"][0];
    let k_last = km0["surv"].as_array().expect("surv").len() - 1;
    assert!(1.0 - f(&km0["surv"][k_last]) > f(&cif[0]["estimate"][k_last]));
    // The models: Fine–Gray and two cause-specific models on the same design.
    let fg = &r["competing_risks"]["fine_gray"];
    assert_eq!(fg["converged"], true);
    let names: Vec<&str> = fg["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["arm=IM+HR", "age"]);
    let cs = r["competing_risks"]["cause_specific"].as_array().expect("cs");
    assert_eq!(cs[0]["terms"], r["cox"]["terms"], "event model = the cox section");
    assert_eq!(cs[1]["n_events"], count(",died_other,"));
}

#[test]
fn a_spec_without_competing_values_is_refused_for_competing_risks() {
    let spec = json!({
        "time": {"column": "months"},
        "event": {"column": "status", "values": ["died_gist"]},
        "competing_risks": {}
    })
    .to_string();
    let err = survlens::Analysis::from_json(&spec)
        .run(&csv(20, true))
        .expect_err("refused");
    assert!(err.to_string().contains("competing_values"), "{err}");
}
