//! Fine–Gray against `cmprsk::crr` (cmprsk 2.2-11) solved to the maximum-likelihood
//! solution: every `tests/fine_gray/*.json` written by `tests/r/make_fine_gray.R` holds
//! the data (time-fixed times, outcome 0/1/2, design column-major) and crr's `$coef`,
//! √diag `$var`, `$var`, `$loglik`, `$loglik.null`, z and p = 2Φ(−|z|). Tolerances:
//! `tests/common` (docs/methods.md#agreement). Then the property that ties Fine–Gray to
//! the Cox engine: without competing events, the subdistribution risk sets are the Cox
//! risk sets.

use crate::common::{close, ABS_TOL, P_ABS_TOL, P_REL_TOL, REL_TOL};

use serde_json::Value;
use std::path::{Path, PathBuf};
use survlens::stats::competing::fine_gray::{fine_gray, FineGrayData, FineGrayFit};
use survlens::stats::competing::Outcome;
use survlens::stats::cox::{self, CoxData, CoxOptions, Ties};
use survlens::stats::dist::normal_two_sided_p;

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fine_gray");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fine_gray")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

struct Case {
    name: String,
    time: Vec<f64>,
    outcome: Vec<Outcome>,
    x: Vec<f64>,
    p: usize,
    cause: Outcome,
    expected: Value,
}

fn read(path: &Path) -> Case {
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    let outcome = numbers(&doc["status"])
        .iter()
        .map(|&s| match s as u8 {
            1 => Outcome::Event,
            2 => Outcome::Competing,
            _ => Outcome::Censored,
        })
        .collect();
    Case {
        name: doc["r_case"].as_str().expect("r_case").to_string(),
        time: numbers(&doc["time"]),
        outcome,
        x: numbers(&doc["x"]),
        p: doc["p"].as_u64().expect("p") as usize,
        cause: match doc["cause"].as_str() {
            Some("competing") => Outcome::Competing,
            _ => Outcome::Event,
        },
        expected: doc["expected"].clone(),
    }
}

fn fit(c: &Case) -> FineGrayFit {
    let data = FineGrayData {
        time: &c.time,
        outcome: &c.outcome,
        x: &c.x,
        p: c.p,
    };
    fine_gray(&data, c.cause).unwrap_or_else(|e| panic!("{}: {e}", c.name))
}

fn compare(what: &str, got: &[f64], want: &[f64], rel: f64, abs: f64, bad: &mut Vec<String>) {
    if got.len() != want.len() {
        bad.push(format!(
            "{what}: {} values, {} expected",
            got.len(),
            want.len()
        ));
        return;
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if !close(*g, *w, rel, abs) {
            bad.push(format!("{what}[{i}]: {g:e}, R {w:e}"));
        }
    }
}

#[test]
fn agrees_with_crr_at_the_ml_solution() {
    let files = cases();
    assert!(files.len() >= 7, "fixtures missing: {files:?}");
    let mut bad = Vec::new();
    for path in &files {
        let c = read(path);
        let f = fit(&c);
        let e = &c.expected;
        let mut b = Vec::new();
        let se = f.se();
        let z: Vec<f64> = f.coef.iter().zip(&se).map(|(b, s)| b / s).collect();
        let p: Vec<f64> = z.iter().map(|&z| normal_two_sided_p(z)).collect();
        compare(
            "coef",
            &f.coef,
            &numbers(&e["coef"]),
            REL_TOL,
            ABS_TOL,
            &mut b,
        );
        compare("se", &se, &numbers(&e["se"]), REL_TOL, ABS_TOL, &mut b);
        compare("var", &f.var, &numbers(&e["var"]), REL_TOL, ABS_TOL, &mut b);
        compare("z", &z, &numbers(&e["z"]), REL_TOL, ABS_TOL, &mut b);
        compare("p", &p, &numbers(&e["p"]), P_REL_TOL, P_ABS_TOL, &mut b);
        let scalars = [(f.loglik, "loglik"), (f.loglik_null, "loglik_null")];
        for (got, key) in scalars {
            compare(
                key,
                &[got],
                &[e[key].as_f64().expect(key)],
                REL_TOL,
                ABS_TOL,
                &mut b,
            );
        }
        if f.n as u64 != e["n"].as_u64().expect("n")
            || f.n_events as u64 != e["n_events"].as_u64().expect("n_events")
        {
            b.push(format!("n {} / n_events {}", f.n, f.n_events));
        }
        if f.infinite.iter().any(|&i| i) {
            b.push(format!("flagged infinite: {:?}", f.infinite));
        }
        if !f.converged || f.score.iter().any(|u| u.abs() >= 1e-9) {
            b.push(format!("not at the ML solution: score {:?}", f.score));
        }
        bad.extend(b.into_iter().map(|m| format!("{}: {m}", c.name)));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Row order does not matter: the fit sorts (ties keep no meaning beyond their time).
#[test]
fn row_order_changes_nothing() {
    let path = cases()
        .into_iter()
        .find(|p| p.ends_with("synth_heavy_ties.json"))
        .expect("synth_heavy_ties");
    let c = read(&path);
    let n = c.time.len();
    let perm: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n).collect();
    assert_ne!(n % 7, 0, "7 must be coprime with n for a permutation");
    let shuffled = Case {
        name: "shuffled".into(),
        time: perm.iter().map(|&i| c.time[i]).collect(),
        outcome: perm.iter().map(|&i| c.outcome[i]).collect(),
        x: (0..c.p)
            .flat_map(|j| perm.iter().map(move |&i| j * n + i))
            .map(|k| c.x[k])
            .collect(),
        p: c.p,
        cause: c.cause,
        expected: Value::Null,
    };
    let (a, b) = (fit(&c), fit(&shuffled));
    let mut bad = Vec::new();
    compare("coef", &b.coef, &a.coef, 1e-10, 1e-13, &mut bad);
    compare("var", &b.var, &a.var, 1e-10, 1e-13, &mut bad);
    assert!(bad.is_empty(), "{bad:?}");
}

/// Rows with a competing event, coded as the cause, model the competing cause: the same
/// fit as asking for `Competing` on the original coding.
#[test]
fn swapping_the_codes_swaps_the_cause() {
    let path = cases()
        .into_iter()
        .find(|p| p.ends_with("pbc_death.json"))
        .expect("pbc_death");
    let c = read(&path);
    let swapped: Vec<Outcome> = c.outcome.iter().map(|o| o.other_cause()).collect();
    let a = fit(&Case {
        name: "competing".into(),
        cause: Outcome::Competing,
        outcome: swapped,
        time: c.time.clone(),
        x: c.x.clone(),
        p: c.p,
        expected: Value::Null,
    });
    let b = fit(&c);
    assert_eq!(a.coef, b.coef);
    assert_eq!(a.var, b.var);
}

/// Without competing events nobody stays in a risk set after an event, so the
/// subdistribution partial likelihood is Cox's with Breslow ties (with or without
/// censoring), and crr's sandwich — whose censoring term is then 0 — is Cox's robust
/// variance.
#[test]
fn without_competing_events_fine_gray_is_cox_breslow() {
    let path = cases()
        .into_iter()
        .find(|p| p.ends_with("mgus2_progression.json"))
        .expect("mgus2_progression");
    let c = read(&path);
    for censoring in [false, true] {
        // Competing events become censorings; without censoring, every row an event.
        let outcome: Vec<Outcome> = c
            .outcome
            .iter()
            .map(|&o| match (censoring, o) {
                (true, Outcome::Event) => Outcome::Event,
                (true, _) => Outcome::Censored,
                (false, _) => Outcome::Event,
            })
            .collect();
        let event: Vec<bool> = outcome.iter().map(|&o| o == Outcome::Event).collect();
        let fg = fit(&Case {
            name: "no competing".into(),
            outcome,
            time: c.time.clone(),
            x: c.x.clone(),
            p: c.p,
            cause: Outcome::Event,
            expected: Value::Null,
        });
        let data = CoxData {
            time: &c.time,
            event: &event,
            x: &c.x,
            p: c.p,
            weight: None,
            stratum: None,
            cluster: None,
        };
        let opts = CoxOptions {
            ties: Ties::Breslow,
            robust: true,
            ..CoxOptions::default()
        };
        let cx = cox::fit(&data, &opts).expect("cox");
        let coef: Vec<f64> = cx.coef.iter().map(|b| b.expect("not aliased")).collect();
        let mut bad = Vec::new();
        compare("coef", &fg.coef, &coef, 1e-8, 1e-11, &mut bad);
        compare("loglik", &[fg.loglik], &[cx.loglik], 1e-10, 1e-10, &mut bad);
        compare(
            "loglik_null",
            &[fg.loglik_null],
            &[cx.loglik_init],
            1e-12,
            1e-10,
            &mut bad,
        );
        let robust = cx.robust_var.expect("robust");
        compare("var", &fg.var, &robust, 1e-7, 1e-12, &mut bad);
        assert!(bad.is_empty(), "censoring {censoring}: {bad:?}");
    }
}

/// Rescaling a covariate rescales its coefficient and standard error (β·c, se·c for
/// x/c): also with values in the hundred thousands, where the score cannot reach 1e-9
/// (its rounding floor grows with the values) and the fit stops at that floor.
#[test]
fn rescaling_a_covariate_rescales_its_coefficient() {
    let path = cases()
        .into_iter()
        .find(|p| p.ends_with("mgus2_progression.json"))
        .expect("mgus2_progression");
    let c = read(&path);
    let n = c.time.len();
    let base = fit(&c);
    for factor in [1e-3, 1e5] {
        // Column 1 (age, years) in other units.
        let mut x = c.x.clone();
        for v in &mut x[n..2 * n] {
            *v *= factor;
        }
        let scaled = fit(&Case {
            name: format!("age x {factor}"),
            x,
            time: c.time.clone(),
            outcome: c.outcome.clone(),
            p: c.p,
            cause: c.cause,
            expected: Value::Null,
        });
        assert!(scaled.converged, "x {factor}: score {:?}", scaled.score);
        let mut want = base.coef.clone();
        want[1] /= factor;
        let mut want_se = base.se();
        want_se[1] /= factor;
        let mut bad = Vec::new();
        compare("coef", &scaled.coef, &want, 1e-9, 0.0, &mut bad);
        compare("se", &scaled.se(), &want_se, 1e-9, 0.0, &mut bad);
        compare(
            "loglik",
            &[scaled.loglik],
            &[base.loglik],
            1e-12,
            0.0,
            &mut bad,
        );
        assert!(bad.is_empty(), "x {factor}: {bad:?}");
    }
}
