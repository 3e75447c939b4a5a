//! A site summary of the demo cohort (split by its `center` column) carries no patient
//! data: no line number, no date, no exact event or censoring time (a number equal to a
//! row's time is allowed only as a bin edge), and every shown count of the binned
//! Kaplan–Meier table is 0 or at least min_cell.

use serde_json::Value;
use survlens::analysis::sites::site_summary;
use survlens::Spec;

const SPEC: &str = r#"{
  "time": {"start": "lm_diagnosis_date", "end": "last_contact_date", "unit": "months", "date_format": "auto"},
  "event": {"column": "vital_status", "values": ["Dead"]},
  "group": {"column": "treatment", "reference": "IM", "levels": ["IM", "IM+HR", "IM+RFA/TACE"]},
  "covariates": [{"column": "age"}, {"column": "sex", "reference": "M"}, {"column": "ecog"},
                 {"column": "extrahepatic", "reference": "No"}],
  "sites": {"km_width": 3, "min_cell": 5}
}"#;

/// The demo's rows of one center, as a CSV.
fn center(name: &str) -> Vec<u8> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/demo/gist_liver_mets_demo.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let col = header.split(',').position(|c| c == "center").unwrap();
    let mut out = format!("{header}\n");
    for l in lines.filter(|l| l.split(',').nth(col) == Some(name)) {
        out.push_str(l);
        out.push('\n');
    }
    out.into_bytes()
}

/// Keys whose values are counts of patients or events (integers that may equal a whole
/// number of months by chance) or format numbers.
const COUNT_KEYS: &[&str] = &[
    "n",
    "n_events",
    "n_risk",
    "n_event",
    "n_censor",
    "cox_n",
    "cox_n_events",
    "min_cell",
    "survlens_site_summary",
    "observed",
];

/// Every number that is not a count, with its key.
fn numbers(v: &Value, key: &str, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Number(n) if !COUNT_KEYS.contains(&key) => {
            out.push((key.to_string(), n.as_f64().unwrap()))
        }
        Value::Array(a) => a.iter().for_each(|x| numbers(x, key, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| numbers(x, k, out)),
        _ => {}
    }
}

fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            keys(x, out)
        }),
        _ => {}
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn the_demo_site_summary_has_no_patient_data() {
    let spec = Spec::from_json(SPEC).unwrap();
    for site in ["A", "B", "C"] {
        let data = center(site);
        let summary = site_summary(&data, &spec, site, None).unwrap();
        let v = serde_json::to_value(&summary).unwrap();
        // The rows' times as SurvLens reads them.
        let table = survlens::ingest::read_table(&data).unwrap();
        let cohort = survlens::ingest::build_cohort(&table, &spec.column_map().unwrap()).unwrap();
        assert!(cohort.time.len() > 20);
        let mut ks = Vec::new();
        keys(&v, &mut ks);
        assert!(
            !ks.iter()
                .any(|k| k.contains("line") || k.contains("row") || k.contains("date")),
            "{ks:?}"
        );
        let mut ss = Vec::new();
        strings(&v, &mut ss);
        let text = serde_json::to_string(&v).unwrap();
        for s in &ss {
            let b = s.as_bytes();
            let date_like = b.windows(10).any(|w| {
                w[..4].iter().all(u8::is_ascii_digit)
                    && w[4] == b'-'
                    && w[5..7].iter().all(u8::is_ascii_digit)
                    && w[7] == b'-'
                    && w[8..].iter().all(u8::is_ascii_digit)
            });
            assert!(!date_like, "a date in {s}");
        }
        // No raw value of the data's date columns either.
        for d in ["2021-11-17", "2022-10-28", "2020-04-23"] {
            assert!(!text.contains(d));
        }
        let width = summary.km_binned.width;
        let mut ns = Vec::new();
        numbers(&v, "", &mut ns);
        assert!(ns.len() > 50);
        for (key, x) in ns {
            // 0 is the time origin; edges and the width are multiples of the width.
            let is_edge = x == 0.0
                || ((key == "edges" || key == "width") && x >= 0.0 && (x / width).fract() == 0.0);
            if !is_edge {
                assert!(
                    !cohort.time.contains(&x),
                    "site {site}: {key} = {x} is a patient's exact time"
                );
            }
        }
        for g in &summary.km_binned.groups {
            for &n in g.n_event.iter().chain(&g.n_censor).chain(&g.n_risk) {
                assert!(
                    n == 0 || n >= 5,
                    "site {site} group {}: a count of {n} < min_cell",
                    g.label
                );
            }
            if !g.suppressed {
                assert_eq!(
                    g.n_event.iter().sum::<usize>() + g.n_censor.iter().sum::<usize>(),
                    g.n_risk[0]
                );
                assert!(g.edges.iter().all(|e| (e / width).fract() == 0.0));
            }
        }
    }
}

/// Suppression: with min_cell 1 the counts are per bin of the width; a larger min_cell
/// merges bins (fewer of them), and the totals stay.
#[test]
fn min_cell_merges_bins_and_keeps_totals() {
    let data = center("A");
    let with = |m: usize| {
        let spec = Spec::from_json(&SPEC.replace("\"min_cell\": 5", &format!("\"min_cell\": {m}")))
            .unwrap();
        site_summary(&data, &spec, "A", None).unwrap().km_binned
    };
    let (one, ten) = (with(1), with(10));
    for (a, b) in one.groups.iter().zip(&ten.groups) {
        assert!(
            b.suppressed || b.n_risk.len() < a.n_risk.len(),
            "group {}",
            a.label
        );
        if !b.suppressed {
            assert_eq!(
                a.n_event.iter().sum::<usize>(),
                b.n_event.iter().sum::<usize>()
            );
            assert!(b
                .n_event
                .iter()
                .chain(&b.n_censor)
                .all(|&n| n == 0 || n >= 10));
        }
    }
    // The log-rank O, E are never suppressed: the same at any min_cell.
    let spec1 = Spec::from_json(&SPEC.replace("\"min_cell\": 5", "\"min_cell\": 1")).unwrap();
    let spec10 = Spec::from_json(&SPEC.replace("\"min_cell\": 5", "\"min_cell\": 10")).unwrap();
    let a = site_summary(&data, &spec1, "A", None).unwrap();
    let b = site_summary(&data, &spec10, "A", None).unwrap();
    assert_eq!(a.logrank, b.logrank);
}
