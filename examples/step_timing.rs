//! In-process timing of the analysis steps on one loaded cohort (issue 7): the file is
//! read and the cohort built once, then each spec's analyses (`Analysis::new(&spec).run(&cohort)`) and the
//! JSON of its results are timed, minimum of K repetitions. Not a test (timings never
//! go in tests); the whole-process numbers are benches/run.sh's.
//!
//! ```sh
//! cargo run --release --example step_timing -- /tmp/bench/c1e6.csv 5 benches/specs/km.json benches/specs/logrank.json
//! ```
//!
//! Prints, per spec: the seconds of `run` (analyses beyond load) and of the pretty JSON,
//! then each stage inside `run` (`km`, `cox/fit/newton`, …), each the minimum over the
//! repetitions (on a busy machine the minimum is the least disturbed run).
//! `--whole` (first argument) times the whole `Analysis::run` of the file bytes instead: file read
//! and cohort included in each repetition (the `read/…` and `cohort/…` stages).
//! `STEP_TIMING_CLOCK=cpu` times the stages in the thread's CPU seconds instead of wall
//! seconds: on a shared machine, time spent descheduled is then not counted.

#[path = "common/clocks.rs"]
mod clocks;

use std::time::Instant;

fn main() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let whole = args.first().is_some_and(|a| a == "--whole");
    if whole {
        args.remove(0);
    }
    let [csv, reps, specs @ ..] = args.as_slice() else {
        return Err("usage: step_timing DATA.csv REPS SPEC.json...".into());
    };
    let reps: usize = reps.parse().map_err(|e| format!("REPS: {e}"))?;
    let bytes = std::fs::read(csv).map_err(|e| e.to_string())?;
    for path in specs {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let spec = survlens::Spec::from_json(&text).map_err(|e| e.to_string())?;
        if whole {
            time_whole(&bytes, &spec, reps)?;
            continue;
        }
        let map = spec.column_map().map_err(|e| e.to_string())?;
        let load = Instant::now();
        let table = survlens::ingest::read_table(&bytes).map_err(|e| e.to_string())?;
        let cohort = survlens::ingest::build_cohort(&table, &map).map_err(|e| e.to_string())?;
        let load = load.elapsed().as_secs_f64();
        drop(table);
        let (mut run_s, mut json_s, mut size) = (f64::INFINITY, f64::INFINITY, 0);
        let mut stage_min: Vec<(String, f64)> = Vec::new();
        for _ in 0..reps.max(1) {
            let t = Instant::now();
            let (report, stages) = survlens::timing::record(clocks::chosen(), || {
                survlens::analysis::Analysis::new(&spec).run(&cohort)
            });
            let report = report.map_err(|e| e.to_string())?;
            run_s = run_s.min(t.elapsed().as_secs_f64());
            for st in stages {
                match stage_min.iter_mut().find(|(n, _)| *n == st.name) {
                    Some((_, s)) => *s = s.min(st.seconds),
                    None => stage_min.push((st.name, st.seconds)),
                }
            }
            let t = Instant::now();
            let json = serde_json::to_vec_pretty(&report).map_err(|e| e.to_string())?;
            json_s = json_s.min(t.elapsed().as_secs_f64());
            size = json.len();
        }
        println!("{path}: load {load:.4} s, run {run_s:.4} s, json {json_s:.4} s ({size} bytes)");
        for (name, seconds) in &stage_min {
            println!("  {name}: {seconds:.4} s");
        }
    }
    Ok(())
}

/// Minimum stage times of `reps` whole analyses (read, cohort, sections) of `bytes`.
fn time_whole(bytes: &[u8], spec: &survlens::Spec, reps: usize) -> Result<(), String> {
    let mut stage_min: Vec<(String, f64)> = Vec::new();
    for _ in 0..reps.max(1) {
        let (report, stages) = survlens::timing::record(clocks::chosen(), || {
            survlens::analysis::Analysis::new(spec).run(bytes)
        });
        report.map_err(|e| e.to_string())?;
        for st in stages {
            match stage_min.iter_mut().find(|(n, _)| *n == st.name) {
                Some((_, s)) => *s = s.min(st.seconds),
                None => stage_min.push((st.name, st.seconds)),
            }
        }
    }
    for (name, seconds) in &stage_min {
        println!("  {name}: {seconds:.4} s");
    }
    Ok(())
}
