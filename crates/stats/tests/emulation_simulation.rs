//! Statistical validation of the target-trial emulation (issue 22): cohorts with a known
//! treatment effect and confounded treatment timing. Each cohort is analysed by clone–
//! censor–weight (`survlens_stats::emulation`, with a 200-replicate percentile bootstrap)
//! and by the naive comparison of ever-treated vs never-treated patients (Kaplan–Meier by
//! the group they eventually belong to, which counts the wait before treatment as treated
//! time). Reported: bias of the survival differences at 12, 24 and 36 months and of the
//! RMST difference to 36 months against the truth of the emulated strategies, with Monte
//! Carlo SEs, and the bootstrap CI coverage.
//!
//! Not part of the normal test run (`#[ignore]`; about a minute optimised): run it with
//! `benches/emulation_simulation.sh` (results: benches/RESULTS_emulation.md). Asserted:
//! every emulation bias within 3 Monte Carlo SEs, every naive bias beyond 5, bootstrap
//! coverage within 90–99%.
//!
//! # Design
//! Binary confounder L ~ Bernoulli(0.4) (frail). Latent treatment time u* ~ Exp(α_L), α_0
//! = 0.1, α_1 = 0.1·e^{−1.2} per month (frail patients are treated later or never);
//! death hazard λ_L = 0.025·e^{0.9 L} per month, times HR = 0.6 after u*; treatment
//! happens at u* if the patient is alive and followed then. Censoring ~ U(24, 60); n =
//! 500; grace G = 6 months. The censoring models are correctly specified: in the control
//! arm the hazard of treatment given L is constant, in the treat arm the only artificial
//! censoring is at G and one binary covariate saturates it.
//!
//! # Truth of the emulated strategies (by L stratum, 4·10⁵ patients each, then averaged
//! over L)
//! * `control` ("no treatment within G"): no treatment before G; after G the natural
//!   hazard of treatment, i.e. u*′ = G + Exp(α_L) (memoryless).
//! * `treat` ("treatment within G"): the natural course up to G; from G on, the survivors
//!   at G standardised to those treated by G: S(t) = Σ_L P(L)·P(T > G | L)·P(T > t | T >
//!   G, u* ≤ G, L) for t ≥ G (what the inverse-probability-of-censoring weights target).

#![allow(clippy::disallowed_methods)]

use survlens_stats::emulation::{self, bootstrap, Patients};
use survlens_stats::km;
use survlens_stats::rng::SplitMix64;

const N: usize = 500;
const GRACE: f64 = 6.0;
const TIMES: [f64; 3] = [12.0, 24.0, 36.0];
const TAU: f64 = 36.0;
const P_FRAIL: f64 = 0.4;
const HR: f64 = 0.6;
const REPLICATES: usize = 200;

fn alpha(l: usize) -> f64 {
    0.1 * if l == 1 { (-1.2f64).exp() } else { 1.0 }
}

fn lambda(l: usize) -> f64 {
    0.025 * if l == 1 { 0.9f64.exp() } else { 1.0 }
}

fn expo(r: &mut SplitMix64, rate: f64) -> f64 {
    -r.uniform().ln() / rate
}

/// Death time of a patient of stratum l treated at u.
fn death(r: &mut SplitMix64, l: usize, u: f64) -> f64 {
    let e = expo(r, lambda(l));
    if e <= u {
        e
    } else {
        u + expo(r, lambda(l) * HR)
    }
}

/// Empirical survival of sorted times at t.
fn surv(sorted: &[f64], t: f64) -> f64 {
    1.0 - sorted.partition_point(|&s| s <= t) as f64 / sorted.len() as f64
}

struct Truth {
    treat: Box<dyn Fn(f64) -> f64>,
    control: Box<dyn Fn(f64) -> f64>,
}

fn truth() -> Truth {
    let m = 400_000;
    let mut r = SplitMix64(2026);
    let mut nat: Vec<Vec<f64>> = Vec::new();
    let mut treated_by_g: Vec<Vec<f64>> = Vec::new();
    let mut p_alive_g = Vec::new();
    let mut ctrl: Vec<Vec<f64>> = Vec::new();
    for l in 0..2 {
        let mut all = Vec::with_capacity(m);
        let mut sub = Vec::new();
        let mut c = Vec::with_capacity(m);
        for _ in 0..m {
            let u = expo(&mut r, alpha(l));
            let t = death(&mut r, l, u);
            all.push(t);
            if t > GRACE && u <= GRACE {
                sub.push(t);
            }
            let u2 = GRACE + expo(&mut r, alpha(l));
            c.push(death(&mut r, l, u2));
        }
        all.sort_by(f64::total_cmp);
        sub.sort_by(f64::total_cmp);
        c.sort_by(f64::total_cmp);
        p_alive_g.push(surv(&all, GRACE));
        nat.push(all);
        treated_by_g.push(sub);
        ctrl.push(c);
    }
    let pl = [1.0 - P_FRAIL, P_FRAIL];
    let treat = move |t: f64| -> f64 {
        (0..2)
            .map(|l| {
                pl[l]
                    * if t < GRACE {
                        surv(&nat[l], t)
                    } else {
                        p_alive_g[l] * surv(&treated_by_g[l], t)
                    }
            })
            .sum()
    };
    let control = move |t: f64| -> f64 { (0..2).map(|l| pl[l] * surv(&ctrl[l], t)).sum() };
    Truth {
        treat: Box::new(treat),
        control: Box::new(control),
    }
}

fn area(f: &dyn Fn(f64) -> f64, tau: f64) -> f64 {
    let h = 0.01;
    let k = (tau / h).round() as usize;
    (0..k).map(|i| f((i as f64 + 0.5) * h) * h).sum()
}

struct Cohort {
    time: Vec<f64>,
    event: Vec<bool>,
    u: Vec<Option<f64>>,
    x: Vec<f64>,
}

fn cohort(seed: u64) -> Cohort {
    let mut r = SplitMix64(seed);
    let mut c = Cohort {
        time: Vec::with_capacity(N),
        event: Vec::with_capacity(N),
        u: Vec::with_capacity(N),
        x: Vec::with_capacity(N),
    };
    for _ in 0..N {
        let l = usize::from(r.uniform() < P_FRAIL);
        let u = expo(&mut r, alpha(l));
        let t = death(&mut r, l, u);
        let cens = 24.0 + 36.0 * r.uniform();
        let time = t.min(cens);
        c.time.push(time);
        c.event.push(t <= cens);
        c.u.push(if u < time { Some(u) } else { None });
        c.x.push(l as f64);
    }
    c
}

/// Mean, Monte Carlo SE of the mean.
fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

#[test]
#[ignore = "statistical simulation (about a minute optimised): benches/emulation_simulation.sh"]
fn emulation_recovers_the_strategies_where_the_naive_comparison_does_not() {
    let cohorts: usize = std::env::var("SURVLENS_EMU_COHORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let truth = truth();
    let true_diff: Vec<f64> = TIMES
        .iter()
        .map(|&t| (truth.treat)(t) - (truth.control)(t))
        .collect();
    let true_rmst = area(&*truth.treat, TAU) - area(&*truth.control, TAU);
    // Per quantity (3 times + RMST): emulation errors, naive errors, coverage hits.
    let k = TIMES.len() + 1;
    let mut emu_err: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut naive_err: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut covered = vec![0usize; k];
    let mut limited = vec![0usize; k];
    let mut treated_share = Vec::new();
    for c in 0..cohorts {
        let d = cohort(1000 + c as u64);
        let pts = Patients {
            time: &d.time,
            event: &d.event,
            treatment: &d.u,
            x: &d.x,
            p: 1,
        };
        let est = emulation::estimate(&pts, GRACE, false);
        let req = bootstrap::Request {
            replicates: REPLICATES,
            seed: c as u64,
            times: &TIMES,
            tau: Some(TAU),
            curve_times: [&[], &[]],
        };
        let lim = bootstrap::bootstrap(&pts, GRACE, &req, &mut |_, _| true).expect("runs");
        // Naive: KM by eventual group.
        let km_of = |treated: bool| {
            let rows: Vec<usize> = (0..N).filter(|&i| d.u[i].is_some() == treated).collect();
            let t: Vec<f64> = rows.iter().map(|&i| d.time[i]).collect();
            let e: Vec<bool> = rows.iter().map(|&i| d.event[i]).collect();
            km::kaplan_meier(&t, &e, None)
        };
        let (kt, kc) = (km_of(true), km_of(false));
        treated_share.push(d.u.iter().filter(|u| u.is_some()).count() as f64 / N as f64);
        let at = |curve: &km::KmCurve, t: f64| {
            let j = curve.time.partition_point(|&s| s <= t);
            if j == 0 {
                1.0
            } else {
                curve.surv[j - 1]
            }
        };
        let rm = |curve: &km::KmCurve| survlens_stats::rmst::restricted_mean(curve, TAU).estimate;
        for (j, &t) in TIMES.iter().enumerate() {
            let e = est.difference_at(t).expect("within follow-up");
            emu_err[j].push(e - true_diff[j]);
            naive_err[j].push(at(&kt, t) - at(&kc, t) - true_diff[j]);
            if let (Some(lo), Some(hi)) = lim.at_times[j] {
                limited[j] += 1;
                covered[j] += usize::from(lo <= true_diff[j] && true_diff[j] <= hi);
            }
        }
        emu_err[3].push(est.rmst_difference(TAU) - true_rmst);
        naive_err[3].push(rm(&kt) - rm(&kc) - true_rmst);
        if let Some((Some(lo), Some(hi))) = lim.rmst_difference {
            limited[3] += 1;
            covered[3] += usize::from(lo <= true_rmst && true_rmst <= hi);
        }
    }
    let names = [
        "S(12) treat − control",
        "S(24) treat − control",
        "S(36) treat − control",
        "RMST(36) treat − control",
    ];
    let truths = [true_diff[0], true_diff[1], true_diff[2], true_rmst];
    println!(
        "\n{cohorts} cohorts of n = {N}, grace {GRACE}, {REPLICATES} bootstrap replicates; treated during follow-up: {:.1}%\n",
        100.0 * mean_se(&treated_share).0
    );
    println!("| quantity | truth | emulation bias (MC SE) | emulation emp. SD | naive bias (MC SE) | bootstrap 95% CI coverage |");
    println!("|---|---|---|---|---|---|");
    let mut ok = true;
    for j in 0..k {
        let (eb, ese) = mean_se(&emu_err[j]);
        let (nb, nse) = mean_se(&naive_err[j]);
        let sd = ese * (cohorts as f64).sqrt();
        let cov = covered[j] as f64 / limited[j].max(1) as f64;
        println!(
            "| {} | {:.4} | {:+.4} ({:.4}) | {:.4} | {:+.4} ({:.4}) | {:.1}% ({}/{}) |",
            names[j],
            truths[j],
            eb,
            ese,
            sd,
            nb,
            nse,
            100.0 * cov,
            covered[j],
            limited[j]
        );
        ok &= eb.abs() <= 3.0 * ese && nb.abs() >= 5.0 * nse && (0.90..=0.99).contains(&cov);
    }
    assert!(
        ok,
        "bias or coverage outside the asserted ranges (table above)"
    );
}
