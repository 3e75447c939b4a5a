//! The committed demo cohort (`www/demo/gist_liver_mets_demo.csv`, written by
//! `examples/demo_cohort.rs`) has the shape the app and the README promise.

use chrono::NaiveDate;
use std::collections::HashMap;

const CSV: &str = include_str!("../../www/demo/gist_liver_mets_demo.csv");
const HEADER: [&str; 15] = [
    "patient_id",
    "lm_diagnosis_date",
    "local_treatment_date",
    "last_contact_date",
    "vital_status",
    "treatment",
    "age",
    "sex",
    "ecog",
    "n_liver_lesions",
    "extrahepatic",
    "tumour_size_cm",
    "mitotic_index",
    "kit_exon",
    "center",
];

fn date(s: &str, line: usize) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("line {line}: bad date {s:?}: {e}"))
}

#[test]
fn demo_cohort_shape() {
    let mut lines = CSV.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(header, HEADER);
    let first = NaiveDate::from_ymd_opt(2002, 1, 1).unwrap();
    let last_dx = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
    let cut = NaiveDate::from_ymd_opt(2023, 6, 30).unwrap();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut n = 0;
    let mut missing = 0;
    for (i, row) in lines.enumerate() {
        let line = i + 2;
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f.len(), 15, "line {line}");
        n += 1;
        *counts.entry(f[5].to_string()).or_default() += 1;
        let dx = date(f[1], line);
        let end = date(f[3], line);
        assert!(dx >= first && dx <= last_dx, "line {line}: diagnosis {dx}");
        assert!(end > dx && end <= cut, "line {line}: last contact {end}");
        let months = (end - dx).num_days() as f64 / 30.4375;
        assert!(months <= 200.0, "line {line}: follow-up {months} months");
        assert!(f[4] == "Dead" || f[4] == "Alive", "line {line}");
        match f[5] {
            "IM" => assert_eq!(f[2], "", "line {line}: IM alone has no local treatment"),
            "IM+HR" | "IM+RFA/TACE" => {
                let tx = date(f[2], line);
                assert!(
                    tx > dx && tx < end,
                    "line {line}: local treatment {tx} not in ({dx}, {end})"
                );
            }
            other => panic!("line {line}: treatment {other:?}"),
        }
        assert!(f[7] == "M" || f[7] == "F", "line {line}");
        assert!(f[10] == "Yes" || f[10] == "No", "line {line}");
        assert!(["A", "B", "C"].contains(&f[14]), "line {line}");
        for (k, v) in f.iter().enumerate().skip(6) {
            if v.is_empty() || *v == "NA" {
                missing += 1;
                assert!(
                    k != 7 && k != 10 && k != 14,
                    "line {line}: missing in column {}",
                    HEADER[k]
                );
            } else if [6, 8, 9, 11, 12].contains(&k) {
                assert!(
                    v.parse::<f64>().is_ok(),
                    "line {line}: {} = {v:?}",
                    HEADER[k]
                );
            } else if k == 13 {
                assert!(
                    ["11", "9", "other"].contains(v),
                    "line {line}: kit_exon {v:?}"
                );
            }
        }
    }
    assert_eq!(n, 238);
    assert_eq!(counts["IM"], 126);
    assert_eq!(counts["IM+HR"], 81);
    assert_eq!(counts["IM+RFA/TACE"], 31);
    assert!(
        (1..=20).contains(&missing),
        "a few missing covariate cells, got {missing}"
    );
}
