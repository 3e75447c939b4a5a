//! Cumulative incidence (Aalen–Johansen, IJ standard error, limits, summary at times)
//! and Gray's test against R 4.2.2 / survival 3.5-3 / cmprsk 2.2-11. The expected
//! numbers (tests/stats/fixtures/competing_stats.json, with the data) were written by
//! tests/r/make_competing_stats.R; each case carries its R call.

use serde_json::Value;
use survlens::stats::competing::aalen_johansen::{
    cumulative_incidence, cumulative_incidence_by_group, CauseIncidence,
};
use survlens::stats::competing::gray::gray_test;
use survlens::stats::competing::limits::{cif_limits, incidence_at};
use survlens::stats::competing::Outcome;
use survlens::stats::ConfType;

/// Relative tolerance of the brief (estimates, SEs, limits, Gray's statistic).
const REL_TOL: f64 = 1e-6;
/// Absolute tolerance near 0.
const ABS_TOL: f64 = 1e-9;
/// Tolerance of Gray's p-value.
const P_TOL: f64 = 1e-4;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/stats/fixtures/competing_stats.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn opts(v: &Value) -> Vec<Option<f64>> {
    v.as_array()
        .expect("array")
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn check(what: &str, got: f64, want: f64) {
    let ok = got == want || (got - want).abs() <= ABS_TOL.max(REL_TOL * want.abs());
    assert!(ok, "{what}: got {got:e}, R {want:e}");
}

fn check_all(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        check(&format!("{what}[{k}]"), *g, *w);
    }
}

fn check_all_opt(what: &str, got: &[Option<f64>], want: &[Option<f64>]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        match (g, w) {
            (Some(g), Some(w)) => check(&format!("{what}[{k}]"), *g, *w),
            (None, None) => {}
            _ => panic!("{what}[{k}]: got {g:?}, R {w:?}"),
        }
    }
}

struct Data {
    time: Vec<f64>,
    outcome: Vec<Outcome>,
    group: Vec<u32>,
    n_groups: usize,
    stratum: Option<Vec<u32>>,
    weight: Option<Vec<f64>>,
}

fn data(case: &Value) -> Data {
    let outcome = nums(&case["status"])
        .into_iter()
        .map(|s| match s as u8 {
            1 => Outcome::Event,
            2 => Outcome::Competing,
            _ => Outcome::Censored,
        })
        .collect();
    let ints = |v: &Value| nums(v).into_iter().map(|g| g as u32).collect::<Vec<u32>>();
    Data {
        time: nums(&case["time"]),
        outcome,
        group: ints(&case["group"]),
        n_groups: case["n_groups"].as_f64().expect("n_groups") as usize,
        stratum: (!case["stratum"].is_null()).then(|| ints(&case["stratum"])),
        weight: (!case["weight"].is_null()).then(|| nums(&case["weight"])),
    }
}

fn conf_type(name: &str) -> ConfType {
    match name {
        "log" => ConfType::Log,
        "log-log" => ConfType::LogLog,
        "plain" => ConfType::Plain,
        other => panic!("conf type {other}"),
    }
}

/// Limits at every time and summary(fit, times) of one cause, every conf type of R.
fn check_limits(what: &str, time: &[f64], got: &CauseIncidence, want: &Value, at: &[f64]) {
    for lim in want["limits"].as_array().expect("limits") {
        let ct = conf_type(lim["conf_type"].as_str().expect("conf_type"));
        let level = lim["level"].as_f64().expect("level");
        let what = format!("{what} {ct:?} {level}");
        let (lower, upper) = cif_limits(&got.estimate, &got.std_err, ct, level);
        check_all_opt(&format!("{what} lower"), &lower, &opts(&lim["lower"]));
        check_all_opt(&format!("{what} upper"), &upper, &opts(&lim["upper"]));
        let rows = incidence_at(time, got, &lower, &upper, at);
        let inside: Vec<_> = rows.iter().filter(|r| !r.beyond_follow_up).collect();
        let r_time = nums(&lim["at_time"]);
        assert_eq!(inside.len(), r_time.len(), "{what}: summary rows");
        for (k, r) in inside.iter().enumerate() {
            let at = format!("{what} at {}", r.time);
            check(&at, r.time, r_time[k]);
            check(
                &at,
                r.estimate.expect("estimate"),
                nums(&lim["at_estimate"])[k],
            );
            check(&at, r.std_err.expect("se"), nums(&lim["at_std_err"])[k]);
            check_all_opt(
                &at,
                &[r.lower, r.upper],
                &[opts(&lim["at_lower"])[k], opts(&lim["at_upper"])[k]],
            );
        }
        for r in rows.iter().filter(|r| r.beyond_follow_up) {
            assert!(
                r.time > *time.last().expect("time"),
                "{what}: flag at {}",
                r.time
            );
            assert!(r.estimate.is_none() && r.std_err.is_none() && r.lower.is_none());
        }
    }
}

#[test]
fn cumulative_incidence_matches_survfit() {
    let fx = fixture();
    let mut curves_checked = 0;
    for case in fx["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let d = data(case);
        let at = nums(&case["at"]);
        let fits = cumulative_incidence_by_group(
            &d.time,
            &d.outcome,
            &d.group,
            d.n_groups,
            d.weight.as_deref(),
        );
        for want in case["curves"].as_array().expect("curves") {
            let g = want["group"].as_f64().expect("group") as usize;
            let got = &fits[g];
            let what = format!("{name} group {g}");
            check_all(&format!("{what} time"), &got.time, &nums(&want["time"]));
            check_all(
                &format!("{what} n_risk"),
                &got.n_risk,
                &nums(&want["n_risk"]),
            );
            check_all(
                &format!("{what} n_censor"),
                &got.n_censor,
                &nums(&want["n_censor"]),
            );
            for (cause, key) in [(&got.event, "event"), (&got.competing, "competing")] {
                let w = &want[key];
                let what = format!("{what} {key}");
                check_all(
                    &format!("{what} n_event"),
                    &cause.n_event,
                    &nums(&w["n_event"]),
                );
                check_all(
                    &format!("{what} estimate"),
                    &cause.estimate,
                    &nums(&w["estimate"]),
                );
                check_all(
                    &format!("{what} std_err"),
                    &cause.std_err,
                    &nums(&w["std_err"]),
                );
                check_limits(&what, &got.time, cause, w, &at);
            }
            curves_checked += 1;
        }
    }
    assert!(
        curves_checked >= 15,
        "only {curves_checked} curves in the fixture"
    );
}

#[test]
fn gray_test_matches_cuminc() {
    let fx = fixture();
    let mut tests_checked = 0;
    for case in fx["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let d = data(case);
        let want: Vec<&Value> = case["gray"].as_array().expect("gray").iter().collect();
        for (cause, key) in [(Outcome::Event, "event"), (Outcome::Competing, "competing")] {
            let got = gray_test(
                &d.time,
                &d.outcome,
                &d.group,
                d.n_groups,
                d.stratum.as_deref(),
                cause,
            );
            let r = want.iter().find(|w| w["cause"] == key);
            match (got, r) {
                (Some(g), Some(r)) => {
                    let what = format!("{name} Gray {key}");
                    check(&what, g.chisq, r["chisq"].as_f64().expect("chisq"));
                    assert_eq!(g.df as f64, r["df"].as_f64().expect("df"), "{what} df");
                    let p = r["p"].as_f64().expect("p");
                    assert!(
                        (g.p - p).abs() <= P_TOL * p.max(1e-300) || (g.p - p).abs() < 1e-12,
                        "{what} p: got {}, R {p}",
                        g.p
                    );
                    tests_checked += 1;
                }
                (None, None) => {}
                (g, r) => panic!("{name} Gray {key}: got {g:?}, R {r:?}"),
            }
        }
    }
    assert!(
        tests_checked >= 12,
        "only {tests_checked} Gray tests in the fixture"
    );
}

/// The ~ group convenience is the per-group fit on that group's rows, and row order
/// does not matter (the curve sorts).
#[test]
fn by_group_equals_each_group_alone_in_any_order() {
    let fx = fixture();
    let case = fx["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == "ties_three_groups_weighted")
        .expect("case");
    let d = data(case);
    let w = d.weight.as_deref().expect("weights");
    let fits = cumulative_incidence_by_group(&d.time, &d.outcome, &d.group, d.n_groups, Some(w));
    for (g, fit) in fits.iter().enumerate() {
        let rows: Vec<usize> = (0..d.time.len())
            .filter(|&i| d.group[i] as usize == g)
            .rev()
            .collect();
        let t: Vec<f64> = rows.iter().map(|&i| d.time[i]).collect();
        let o: Vec<Outcome> = rows.iter().map(|&i| d.outcome[i]).collect();
        let ww: Vec<f64> = rows.iter().map(|&i| w[i]).collect();
        let alone = cumulative_incidence(&t, &o, Some(&ww));
        check_all("time", &alone.time, &fit.time);
        check_all("event", &alone.event.estimate, &fit.event.estimate);
        check_all("event se", &alone.event.std_err, &fit.event.std_err);
        check_all(
            "competing se",
            &alone.competing.std_err,
            &fit.competing.std_err,
        );
    }
}
