//! In-process timing of the file read (issue 7): `read_table` on one file K times,
//! printing the minimum seconds of each stage inside it (`parse`, `finish`). Not a
//! test (timings never go in tests); the whole-process numbers are benches/run.sh's.
//!
//! ```sh
//! cargo run --release --example read_timing -- /tmp/bench/c1e6.csv 5
//! ```
//!
//! `READ_TIMING_CSV=1` reads with the `csv` reader only (the path before the quote-free
//! fast path: crates/ingest/src/plain.rs), for comparison.
//! `STEP_TIMING_CLOCK=cpu` times in the thread's CPU seconds instead of wall seconds
//! (on a shared machine, time spent descheduled is then not counted).

use std::collections::BTreeMap;
#[path = "common/clocks.rs"]
mod clocks;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [csv, reps] = args.as_slice() else {
        return Err("usage: read_timing DATA.csv REPS".into());
    };
    let reps: usize = reps.parse().map_err(|e| format!("REPS: {e}"))?;
    let bytes = std::fs::read(csv).map_err(|e| e.to_string())?;
    let clock = clocks::chosen();
    let csv_only = std::env::var("READ_TIMING_CSV").is_ok();
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    for rep in 0..reps {
        let (table, stages) = survlens::timing::record(clock, || {
            survlens::timing::stage("read", || {
                if csv_only {
                    survlens::ingest::table::read_table_with_csv(&bytes)
                } else {
                    survlens::ingest::read_table(&bytes)
                }
            })
        });
        let table = table.map_err(|e| e.to_string())?;
        std::hint::black_box(&table);
        for s in stages {
            if rep == 0 {
                println!("first {}\t{:.4}", s.name, s.seconds);
            }
            let b = best.entry(s.name).or_insert(f64::INFINITY);
            *b = b.min(s.seconds);
        }
    }
    for (name, seconds) in best {
        println!("best {name}\t{seconds:.4}");
    }
    Ok(())
}
