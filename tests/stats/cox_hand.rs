//! Closed forms for Therneau & Grambsch's small tie example (appendix of *Modeling
//! Survival Data*; survival's tests/book1.R (Breslow) and book2.R (Efron)), R's
//! out-of-iterations quirk, brute-force concordance, and degenerate inputs.
//!
//! Data: time (1, 1, 6, 6, 8, 9), status (1, 0, 1, 1, 0, 1), x (1, 1, 1, 0, 0, 0); r = e^β.

// Closed forms computed independently of the library: the platform libm is fine here.
#![allow(clippy::disallowed_methods, clippy::excessive_precision)]

use crate::common;

use common::close;
use survlens::stats::cox::{self, CoxData, CoxError, CoxOptions, Ties};

const TIME: [f64; 6] = [9.0, 1.0, 1.0, 6.0, 6.0, 8.0]; // not in time order on purpose
const EVENT: [bool; 6] = [true, true, false, true, true, false];
const X: [f64; 6] = [0.0, 1.0, 1.0, 1.0, 0.0, 0.0];

fn data() -> CoxData<'static> {
    CoxData {
        time: &TIME,
        event: &EVENT,
        x: &X,
        p: 1,
        weight: None,
        stratum: None,
        cluster: None,
    }
}

fn opts(ties: Ties) -> CoxOptions {
    CoxOptions {
        ties,
        ..CoxOptions::default()
    }
}

/// Breslow: ℓ = 2β − log(3r+3) − 2 log(r+3), U = (6+3r−r²)/((r+1)(r+3)),
/// I = r/(r+1)² + 6r/(r+3)².
fn breslow(beta: f64) -> (f64, f64, f64) {
    let r = beta.exp();
    let ll = 2.0 * beta - ((3.0 * r + 3.0).ln() + 2.0 * (r + 3.0).ln());
    let u = (6.0 + 3.0 * r - r * r) / ((r + 1.0) * (r + 3.0));
    let i = r / (r + 1.0).powi(2) + 6.0 * r / (r + 3.0).powi(2);
    (ll, u, i)
}

/// Efron: ℓ = 2β − log(3r+3) − log((r+5)/2) − log(r+3), U = (30+23r−r³)/((r+1)(r+3)(r+5)),
/// I = t(r/(r+1)) + t(r/(r+5)) + t(r/(r+3)), t(x) = x − x².
fn efron(beta: f64) -> (f64, f64, f64) {
    let r = beta.exp();
    let ll = 2.0 * beta - ((3.0 * r + 3.0).ln() + ((r + 5.0) / 2.0).ln() + (r + 3.0).ln());
    let u = (30.0 + 23.0 * r - r.powi(3)) / ((r + 1.0) * (r + 3.0) * (r + 5.0));
    let t = |x: f64| x - x * x;
    let i = t(r / (r + 1.0)) + t(r / (r + 5.0)) + t(r / (r + 3.0));
    (ll, u, i)
}

fn near(a: f64, b: f64) -> bool {
    close(a, b, 1e-9, 1e-12)
}

#[test]
fn breslow_at_zero_and_at_the_solution() {
    let fit = cox::fit(&data(), &opts(Ties::Breslow)).expect("fit");
    let (ll0, u0, i0) = breslow(0.0);
    assert!(near(fit.loglik_init, ll0));
    assert!(near(fit.score_test.chisq, u0 * u0 / i0));
    let beta = (1.5 + 33f64.sqrt() / 2.0).ln(); // the root of 6 + 3r − r² = 0
    let b = fit.coef[0].expect("coef");
    assert!(close(b, beta, 1e-7, 0.0), "{b} vs {beta}");
    let (ll, _, i) = breslow(beta);
    assert!(near(fit.loglik, ll));
    assert!(close(fit.var[0], 1.0 / i, 1e-7, 0.0));
    assert!(near(fit.lr_test.chisq, 2.0 * (ll - ll0)));
}

#[test]
fn efron_at_zero_and_at_the_solution() {
    let fit = cox::fit(&data(), &opts(Ties::Efron)).expect("fit");
    let (ll0, u0, i0) = efron(0.0);
    assert!(near(fit.loglik_init, ll0));
    assert!(near(fit.score_test.chisq, u0 * u0 / i0));
    // root of 30 + 23r − r³ by bisection
    let (mut lo, mut hi) = (1.0_f64, 10.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if 30.0 + 23.0 * mid - mid.powi(3) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let beta = lo.ln();
    let b = fit.coef[0].expect("coef");
    assert!(close(b, beta, 1e-7, 0.0), "{b} vs {beta}");
    let (ll, _, i) = efron(beta);
    assert!(near(fit.loglik, ll));
    assert!(close(fit.var[0], 1.0 / i, 1e-7, 0.0));
    // R: coxph(Surv(time, status) ~ x, test1) (survival 3.5-3)
    assert!(close(b, 1.6768574855882048, 1e-12, 0.0));
    assert!(close(fit.var[0], 1.6323015607482454, 1e-12, 0.0));
    assert_eq!(fit.iterations, 4);
}

#[test]
fn breslow_score_residuals_give_the_robust_variance() {
    // book1.R: score residuals at β̂ in the order of the rows (1,1,6,6,8,9) → here
    // rows 1..5 then row 0.
    let mut o = opts(Ties::Breslow);
    o.robust = true;
    let fit = cox::fit(&data(), &o).expect("fit");
    let b = fit.coef[0].expect("coef");
    let r = b.exp();
    let (a, bb) = (3.0 * (r + 1.0).powi(2), (r + 3.0).powi(2));
    let score = [
        (2.0 * r + 3.0) / a,
        -r / a,
        -r / a + 3.0 * (3.0 - r) / bb,
        r / a - r * (r + 1.0) / bb,
        r / a + 2.0 * r / bb,
        r / a + 2.0 * r / bb,
    ];
    let v = fit.var[0];
    let robust: f64 = score.iter().map(|s| (s * v).powi(2)).sum();
    let got = fit.robust_var.as_ref().expect("robust")[0];
    assert!(close(got, robust, 1e-9, 0.0), "{got} vs {robust}");
}

#[test]
fn out_of_iterations_matches_r_quirks() {
    // R: coxph(Surv(time, status) ~ x, test1, ties = "breslow", iter.max = 2)
    let o = CoxOptions {
        ties: Ties::Breslow,
        iter_max: 2,
        ..CoxOptions::default()
    };
    let fit = cox::fit(&data(), &o).expect("fit");
    assert!(!fit.converged);
    assert_eq!(fit.iterations, 3);
    assert!(close(
        fit.coef[0].unwrap_or(f64::NAN),
        1.4727235322454781,
        1e-12,
        0.0
    ));
    assert!(close(fit.var[0], 1.5756935270628258, 1e-12, 0.0));
    assert!(close(fit.loglik, -3.8247515858078303, 1e-12, 0.0));
}

#[test]
fn out_of_iterations_variance_is_diagonal_like_r() {
    // R: d <- read.csv(".../cox_lung_efron/data.csv"); sex factor (Male ref);
    // coxph(Surv(time, status) ~ sex + age + ph.ecog, d, iter.max = 2)
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/cox_lung_efron/data.csv"
    );
    let mut rdr = csv::Reader::from_path(path).expect("lung csv");
    let (mut time, mut event, mut x) = (vec![], vec![], vec![vec![], vec![], vec![]]);
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let f = |i: usize| rec[i].parse::<f64>().expect("number");
        time.push(f(0));
        event.push(&rec[1] == "1");
        x[0].push(if &rec[2] == "Female" { 1.0 } else { 0.0 });
        x[1].push(f(3));
        x[2].push(f(4));
    }
    let xm: Vec<f64> = x.concat();
    let d = CoxData {
        time: &time,
        event: &event,
        x: &xm,
        p: 3,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let o = CoxOptions {
        iter_max: 2,
        ..CoxOptions::default()
    };
    let fit = cox::fit(&d, &o).expect("fit");
    assert_eq!(fit.iterations, 3);
    assert!(!fit.converged);
    let want_coef = [
        -0.55254481188921523,
        0.011068314297635946,
        0.46362511910512127,
    ];
    let want_var = [
        0.028067802047751261,
        8.3309722119524846e-05,
        0.012483231462819468,
    ];
    for j in 0..3 {
        assert!(close(
            fit.coef[j].unwrap_or(f64::NAN),
            want_coef[j],
            1e-10,
            0.0
        ));
        assert!(close(fit.var[j * 3 + j], want_var[j], 1e-10, 0.0));
        for k in 0..3 {
            if k != j {
                assert_eq!(fit.var[j * 3 + k], 0.0);
            }
        }
    }
    assert!(close(fit.loglik_init, -744.48045576144023, 1e-12, 0.0));
    assert!(close(fit.loglik, -729.23012185339599, 1e-12, 0.0));
}

#[test]
fn concordance_equals_brute_force() {
    let time = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0];
    let event = [
        true, true, false, true, true, true, false, true, false, true,
    ];
    let lp = [0.5, 0.1, 0.1, -0.2, 0.3, 0.3, 0.0, -0.5, 0.2, 0.1];
    let w = [1.0, 2.0, 0.5, 1.0, 1.5, 1.0, 3.0, 1.0, 2.0, 1.0];
    let strata = [0, 1, 0, 1, 0, 0, 1, 0, 1, 0];
    let cl = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
    let c = cox::concordance(&time, &event, &lp, Some(&w), Some(&strata), Some(&cl));
    // brute force
    let n = time.len();
    let (mut cc, mut dd, mut tt) = (0.0, 0.0, 0.0);
    let (mut ic, mut id, mut it) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        for j in 0..n {
            let comparable = event[i]
                && strata[i] == strata[j]
                && (time[j] > time[i] || (time[j] == time[i] && !event[j]));
            if !comparable {
                continue;
            }
            let pw = w[i] * w[j];
            if lp[i] > lp[j] {
                cc += pw;
                ic[i] += w[j];
                ic[j] += w[i];
            } else if lp[i] < lp[j] {
                dd += pw;
                id[i] += w[j];
                id[j] += w[i];
            } else {
                tt += pw;
                it[i] += w[j];
                it[j] += w[i];
            }
        }
    }
    let npair = cc + dd + tt;
    let sigma = (cc - dd) / npair;
    let mut g = [0.0; 5];
    for i in 0..n {
        g[cl[i] as usize] += w[i] * ((ic[i] - id[i]) - sigma * (ic[i] + id[i] + it[i])) / npair;
    }
    let var: f64 = g.iter().map(|v| v * v).sum::<f64>() / 4.0;
    assert!(near(c.estimate, (cc + tt / 2.0) / npair));
    assert!(near(c.std_err, var.sqrt()));
    assert!(near(c.concordant, cc) && near(c.discordant, dd) && near(c.tied_x, tt));
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let empty = CoxData {
        time: &[],
        event: &[],
        x: &[],
        p: 0,
        weight: None,
        stratum: None,
        cluster: None,
    };
    assert_eq!(
        cox::fit(&empty, &CoxOptions::default()),
        Err(CoxError::NoRows)
    );
    // p = 0: null model
    let null = CoxData {
        time: &TIME,
        event: &EVENT,
        x: &[],
        p: 0,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let fit = cox::fit(&null, &CoxOptions::default()).expect("null model");
    assert!(fit.coef.is_empty() && fit.loglik == fit.loglik_init && fit.converged);
    // all censored
    let ev = [false; 6];
    let cens = CoxData {
        time: &TIME,
        event: &ev,
        x: &X,
        p: 1,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let fit = cox::fit(
        &cens,
        &CoxOptions {
            robust: true,
            ..CoxOptions::default()
        },
    )
    .expect("no events");
    assert_eq!(fit.loglik, 0.0);
    let _ = cox::concordance(&TIME, &ev, &X, None, None, None);
    // invalid weights, non-finite values, wrong lengths
    let w = [1.0, 0.0, 1.0, 1.0, 1.0, 1.0];
    let bad = CoxData {
        weight: Some(&w),
        ..data()
    };
    assert!(matches!(
        cox::fit(&bad, &CoxOptions::default()),
        Err(CoxError::InvalidWeight { row: 1, .. })
    ));
    let xn = [0.0, f64::NAN, 1.0, 1.0, 0.0, 0.0];
    let bad = CoxData { x: &xn, ..data() };
    assert!(matches!(
        cox::fit(&bad, &CoxOptions::default()),
        Err(CoxError::NotFinite { .. })
    ));
    let bad = CoxData {
        x: &X[..5],
        ..data()
    };
    assert!(matches!(
        cox::fit(&bad, &CoxOptions::default()),
        Err(CoxError::LengthMismatch { .. })
    ));
    // a single row, a constant covariate
    let one = CoxData {
        time: &[1.0],
        event: &[true],
        x: &[2.0],
        p: 1,
        weight: None,
        stratum: None,
        cluster: None,
    };
    let fit = cox::fit(&one, &CoxOptions::default()).expect("one row");
    // R: "Ran out of iterations and did not converge", coef 0, var 0 (ℓ ≡ 0).
    assert!(!fit.converged && fit.coef[0] == Some(0.0) && fit.var[0] == 0.0);
    let z = cox::zph(&one, &fit, Ties::Efron, cox::ZphTransform::Km, &[vec![0]]);
    assert!(z.global.chisq.is_nan() || z.global.chisq.is_finite());
}

/// The Wald test of chosen columns: of one column it is z² = (b/se)² with the variance
/// the fit reports (model-based, or robust when robust), df 1; of every column it is the
/// fit's own Wald test.
#[test]
fn wald_test_of_chosen_columns() {
    for robust in [false, true] {
        let o = CoxOptions {
            robust,
            ..opts(Ties::Efron)
        };
        let fit = cox::fit(&data(), &o).unwrap();
        let b = fit.coef[0].unwrap();
        let se = if robust {
            fit.robust_se().unwrap()[0].unwrap()
        } else {
            fit.se()[0].unwrap()
        };
        let t = cox::wald_test_of(&fit, &[0]);
        assert_eq!(t.df, 1);
        assert!(
            near(t.chisq, (b / se).powi(2)),
            "{} vs {}",
            t.chisq,
            (b / se).powi(2)
        );
        assert!(near(t.chisq, fit.wald_test.chisq));
        assert!(near(t.p, fit.wald_test.p));
        assert_eq!(cox::wald_test_of(&fit, &[]).df, 0);
    }
}
