//! In-process timing of the Cox concordance at bench scale (issue 7): reads the bench
//! cohort CSV, forms the linear predictor of the bench model with fixed coefficients,
//! sorts the rows by time (as the Cox section does) and times `concordance_in_order`,
//! minimum of K repetitions. Not a test (timings never go in tests).
//!
//! ```sh
//! cargo run --release --example concordance_timing -- /tmp/bench/c1e6.csv 5
//! ```
//!
//! Prints the seconds and the result's bits (to compare two versions).

use std::time::Instant;

fn lp_of(f: &[&str]) -> Option<f64> {
    let num = |k: usize| f.get(k).and_then(|s| s.parse::<f64>().ok());
    let is = |k: usize, v: &str| f64::from(u8::from(f.get(k) == Some(&v)));
    let mut lp = -0.897 * is(3, "IM+HR") - 0.1017 * is(3, "IM+RFA/TACE");
    lp += 0.01982 * num(4)? + 0.00165 * is(5, "M");
    lp += 0.2485 * is(6, "1") + 0.4973 * is(6, "2") + 0.0801 * num(7)?;
    lp += 0.5002 * is(8, "Yes") - 0.00057 * num(9)? + 0.010574 * num(10)?;
    lp += 0.29856 * is(11, "9") + 0.29615 * is(11, "other");
    Some(lp)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [csv, reps, ..] = args.as_slice() else {
        return Err("usage: concordance_timing DATA.csv REPS".into());
    };
    let reps: usize = reps.parse().map_err(|e| format!("REPS: {e}"))?;
    let text = std::fs::read_to_string(csv).map_err(|e| e.to_string())?;
    let (mut time, mut event, mut lp) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let t = f.get(1).and_then(|s| s.parse::<f64>().ok());
        if let (Some(t), Some(l)) = (t, lp_of(&f)) {
            time.push(t);
            event.push(f.get(2) == Some(&"1"));
            lp.push(l);
        }
    }
    let order = survlens::stats::order::time_order(&time, None);
    let time: Vec<f64> = order.iter().map(|&i| time[i]).collect();
    let event: Vec<bool> = order.iter().map(|&i| event[i]).collect();
    let lp: Vec<f64> = order.iter().map(|&i| lp[i]).collect();
    let identity: Vec<usize> = (0..time.len()).collect();
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        let c = survlens::stats::cox::concordance_in_order(
            &identity, &time, &event, &lp, None, None, None,
        );
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(c);
    }
    if let Some(c) = last {
        println!(
            "n {} best {best:.4} s  estimate {:e} ({:016x}) se {:e} ({:016x})",
            time.len(),
            c.estimate,
            c.estimate.to_bits(),
            c.std_err,
            c.std_err.to_bits()
        );
    }
    Ok(())
}
