//! The memory work's invariants (issue 7, peak memory): the paths that avoid copies give
//! the answers of the paths that make them.
//!
//! * `Analysis::run` of owned bytes (the CLI: the file bytes freed once the table is
//!   read) gives the report of borrowed bytes (the page).
//! * The robust variance without a cluster (its per-row sums streamed, never stored)
//!   equals the one with each row its own cluster (stored per cluster), as in R where
//!   `coxph(..., robust = TRUE)` and `cluster = id` with unique ids are the same model.
//! * The Cox design is allocated at its final size (no doubling slack).

use survlens::analysis::cox_section;
use survlens::ingest::{build_cohort, read_table};
use survlens::stats::cox::{self, CoxData, CoxOptions, Ties};
use survlens::Spec;

const DEMO_CSV: &[u8] = include_bytes!("../../www/demo/gist_liver_mets_demo.csv");
const DEMO_SPEC: &str = include_str!("../../www/demo/demo_spec.json");

#[test]
fn owned_bytes_give_the_report_of_borrowed_bytes() {
    let borrowed = survlens::Analysis::from_json(DEMO_SPEC)
        .run(DEMO_CSV)
        .expect("analysis");
    let owned = survlens::analysis::Analysis::from_json(DEMO_SPEC)
        .run(DEMO_CSV.to_vec())
        .expect("analysis");
    let a = serde_json::to_value(&borrowed).expect("json");
    let b = serde_json::to_value(&owned).expect("json");
    assert!(
        a.get("cox").is_some_and(|c| !c.is_null()),
        "the demo fits a Cox model"
    );
    assert_eq!(a, b);
}

#[test]
fn owned_bytes_report_the_same_errors() {
    let bad = b"os,status\n1,1\n2\n".to_vec();
    let spec = r#"{"time": {"column": "os"}, "event": {"column": "status"}, "km": {}}"#;
    let a = survlens::Analysis::from_json(spec)
        .run(&bad)
        .expect_err("ragged row");
    let b = survlens::analysis::Analysis::from_json(spec)
        .run(bad)
        .expect_err("ragged row");
    assert_eq!(a.to_string(), b.to_string());
}

/// Times, events, covariates (column-major), weights, strata.
type Rows = (Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>, Vec<u32>);

/// Deterministic rows: tied times, 2 covariates, weights, 3 strata.
fn rows(n: usize) -> Rows {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut time, mut event, mut x, mut w, mut s) =
        (vec![], vec![], vec![0.0; 2 * n], vec![], vec![]);
    for i in 0..n {
        let t = 1.0 + (next() * 15.0).floor();
        time.push(t);
        event.push(next() < 0.55);
        x[i] = (next() * 3.0).floor();
        x[n + i] = next() * 2.0 - 1.0 + 0.2 * t / 15.0;
        w.push(if i % 4 == 0 { 1.7 } else { 0.6 });
        s.push((i % 3) as u32);
    }
    (time, event, x, w, s)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn streamed_robust_variance_equals_one_cluster_per_row() {
    let n = 300;
    let (time, event, x, w, s) = rows(n);
    let ids: Vec<u32> = (0..n as u32).rev().collect();
    for (ties, weighted, strata) in [
        (Ties::Efron, true, false),
        (Ties::Efron, false, true),
        (Ties::Breslow, true, true),
    ] {
        let plain_data = CoxData {
            time: &time,
            event: &event,
            x: &x,
            p: 2,
            weight: weighted.then_some(&w[..]),
            stratum: strata.then_some(&s[..]),
            cluster: None,
        };
        let clustered_data = CoxData {
            cluster: Some(&ids),
            ..plain_data
        };
        let opts = CoxOptions {
            ties,
            robust: true,
            ..CoxOptions::default()
        };
        let plain = cox::fit(&plain_data, &opts).expect("fit");
        let clustered = cox::fit(&clustered_data, &opts).expect("fit");
        let (a, b) = (
            plain.robust_var.expect("robust"),
            clustered.robust_var.expect("robust"),
        );
        assert!(
            a.iter().zip(&b).all(|(u, v)| close(*u, *v)),
            "{a:?} vs {b:?}"
        );
        let (ra, rb) = (
            plain.robust_score_test.expect("robust score").chisq,
            clustered.robust_score_test.expect("robust score").chisq,
        );
        assert!(close(ra, rb), "{ra} vs {rb}");
        assert!(a.iter().all(|v| v.is_finite()) && a[0] > 0.0 && a[3] > 0.0);
    }
}

#[test]
fn cox_design_is_allocated_at_its_final_size() {
    let csv = "t,e,g,age,sex,stage\n\
               5,1,A,60,F,I\n7,0,B,52,M,II\n9,1,C,71,F,III\n3,1,A,66,M,I\n\
               8,0,B,49,F,II\n2,1,C,58,M,III\n6,1,A,63,F,II\n4,0,B,70,M,I\n";
    let spec = Spec::from_json(
        r#"{"time": {"column": "t"}, "event": {"column": "e"},
            "group": {"column": "g", "reference": "A"},
            "covariates": [{"column": "age"}, {"column": "sex", "type": "categorical", "reference": "F"},
                           {"column": "stage", "type": "categorical", "reference": "I"}],
            "cox": {}}"#,
    )
    .expect("spec");
    let table = read_table(csv.as_bytes()).expect("table");
    let cohort = build_cohort(&table, &spec.column_map().expect("map")).expect("cohort");
    let rows: Vec<usize> = (0..cohort.time.len()).rev().collect();
    let d = cox_section::design(&cohort, &spec, &rows);
    // g: 2 dummies, age: 1, sex: 1, stage: 2.
    assert_eq!(d.names.len(), 6, "{:?}", d.names);
    assert_eq!(d.x.len(), rows.len() * 6);
    assert_eq!(d.x.capacity(), d.x.len());
}
