//! Properties of ingest: row order changes nothing (up to row order), and a large
//! generated file streams through (a sanity check, not a timing test).

use proptest::prelude::*;
use survlens::ingest::mapping::default_missing_tokens;
use survlens::ingest::{
    build_cohort, read_table, Cohort, ColumnMap, CovariateMap, CovariateValues, EventMap,
    ExclusionReason, GroupMap, TimeMap,
};

fn map() -> ColumnMap {
    ColumnMap {
        time: TimeMap::Duration {
            column: "time".into(),
        },
        event: EventMap {
            column: "status".into(),
            values: None,
            censored_values: None,
            competing_values: None,
        },
        group: Some(GroupMap {
            column: "arm".into(),
            reference: None,
            recode: Default::default(),
            levels: None,
        }),
        covariates: vec![
            CovariateMap {
                column: "age".into(),
                kind: None,
                reference: None,
            },
            CovariateMap {
                column: "sex".into(),
                kind: None,
                reference: None,
            },
        ],
        strata: vec!["center".into()],
        weights: Some("w".into()),
        cluster: None,
        missing: default_missing_tokens(),
    }
}

/// One row per used patient as comparable text, sorted; exclusion counts per reason.
fn canonical(c: &Cohort) -> (Vec<String>, Vec<(ExclusionReason, usize)>) {
    let mut rows: Vec<String> = (0..c.time.len())
        .map(|i| {
            let mut s = format!(
                "{:?}|{}|{}|{}|{:?}",
                c.time[i],
                c.event[i],
                c.group_labels[c.group[i] as usize],
                c.strata_labels[c.stratum[i] as usize],
                c.weight.as_ref().map(|w| w[i]),
            );
            for cov in &c.covariates {
                match &cov.values {
                    CovariateValues::Numeric(v) => s.push_str(&format!("|{:?}", v[i])),
                    CovariateValues::Categorical { codes, levels } => s.push_str(&format!(
                        "|{}",
                        levels.get(codes[i] as usize).map_or("NA", String::as_str)
                    )),
                }
            }
            s
        })
        .collect();
    rows.sort();
    let mut counts = Vec::new();
    for reason in [
        ExclusionReason::OtherGroup,
        ExclusionReason::Missing,
        ExclusionReason::NegativeTime,
    ] {
        counts.push((
            reason,
            c.excluded.iter().filter(|e| e.reason == reason).count(),
        ));
    }
    (rows, counts)
}

fn row() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("NA".to_string()),
            (-5i32..60).prop_map(|t| format!("{}", t as f64 / 2.0))
        ],
        prop_oneof![Just("0"), Just("1"), Just("")],
        prop_oneof![Just("A"), Just("B"), Just("C")],
        prop_oneof![
            Just("NA".to_string()),
            (20u32..90).prop_map(|a| a.to_string())
        ],
        prop_oneof![Just("F"), Just("M"), Just(".")],
        prop_oneof![Just("x"), Just("y")],
        prop_oneof![Just("1"), Just("2"), Just("0.5")],
    )
        .prop_map(|(t, e, g, a, s, c, w)| format!("{t},{e},{g},{a},{s},{c},{w}"))
}

fn ingest(rows: &[String]) -> Option<Cohort> {
    let text = format!("time,status,arm,age,sex,center,w\n{}\n", rows.join("\n"));
    build_cohort(&read_table(text.as_bytes()).ok()?, &map()).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn shuffling_rows_changes_nothing_but_order(
        (rows, shuffled) in prop::collection::vec(row(), 1..40)
            .prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle()))
    ) {
        let a = ingest(&rows);
        let b = ingest(&shuffled);
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert_eq!(canonical(&a), canonical(&b));
            let mut la = a.group_labels.clone();
            let mut lb = b.group_labels.clone();
            la.sort();
            lb.sort();
            prop_assert_eq!(la, lb);
        }
    }
}

#[test]
fn two_hundred_thousand_rows_stream_through() {
    const N: usize = 200_000;
    let mut text = String::with_capacity(N * 80);
    text.push_str("id,start,end,time,status,arm,age,sex,ecog,size,center,w\n");
    for i in 0..N {
        let arm = ["IM", "IM+HR", "IM+RFA/TACE"][i % 3];
        let age = if i % 97 == 0 {
            "NA".to_string()
        } else {
            (30 + i % 50).to_string()
        };
        text.push_str(&format!(
            "P{i},2010-01-{:02},2015-06-{:02},{}.{},{},{arm},{age},{},{},{}.5,C{},1\n",
            1 + i % 28,
            1 + i % 28,
            i % 200,
            i % 10,
            i % 2,
            ["F", "M"][i % 2],
            i % 3,
            i % 15,
            i % 7
        ));
    }
    let table = read_table(text.as_bytes()).expect("table");
    assert_eq!(table.n_rows(), N);
    assert_eq!(table.line(N - 1), N as u64 + 1);
    let mut map = map();
    map.covariates.push(CovariateMap {
        column: "ecog".into(),
        kind: None,
        reference: None,
    });
    let cohort = build_cohort(&table, &map).expect("cohort");
    // A missing age leaves no row out of the data (only out of the models using age).
    let missing = (0..N).filter(|i| i % 97 == 0).count();
    assert_eq!(cohort.time.len(), N);
    assert!(cohort.excluded.is_empty());
    // Line 2 (IM, age NA) is the first used row.
    assert_eq!(cohort.group_labels, vec!["IM", "IM+HR", "IM+RFA/TACE"]);
    let age = cohort
        .covariates
        .iter()
        .find(|c| c.column == "age")
        .expect("age");
    assert_eq!((0..N).filter(|&i| age.is_missing(i)).count(), missing);
    assert!(age.is_missing(0) && age.is_missing(97) && !age.is_missing(1));
}

/// Peak-memory check for the 1,000,000-row file: run by hand with
/// `/usr/bin/time -v cargo test --test ingest ingest_props -- --ignored million` and compare
/// the maximum resident size with the printed file size.
#[test]
#[ignore]
fn million_rows_memory() {
    const N: usize = 1_000_000;
    let mut text = String::with_capacity(N * 64);
    text.push_str("id,start,end,time,status,arm,age,sex,ecog,size,center,w\n");
    for i in 0..N {
        text.push_str(&format!(
            "P{i},2010-01-{:02},2015-06-{:02},{}.{},{},{},{},{},{},{}.5,C{},1\n",
            1 + i % 28,
            1 + i % 28,
            i % 200,
            i % 10,
            i % 2,
            ["IM", "IM+HR", "IM+RFA/TACE"][i % 3],
            30 + i % 50,
            ["F", "M"][i % 2],
            i % 3,
            i % 15,
            i % 7
        ));
    }
    let table = read_table(text.as_bytes()).expect("table");
    let cohort = build_cohort(&table, &map()).expect("cohort");
    println!(
        "file {} MB, used rows {}",
        text.len() / 1_000_000,
        cohort.time.len()
    );
}
