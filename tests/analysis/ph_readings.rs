//! The plain-language readings of `cox.ph_test` interpret the test only when it can be
//! read: a Cox model that did not converge (a separated covariate, more parameters than
//! the events support) gives cox.zph statistics that are not chi-squares (R prints a
//! negative global "chisq" for such fits too), and the readings must say so instead of
//! "no evidence against proportional hazards".

use serde_json::{json, Value};
use survlens::messages::{localize, Lang};

fn analyse(csv: &str, spec: Value) -> Value {
    serde_json::to_value(report(csv, spec)).unwrap()
}

fn report(csv: &str, spec: Value) -> survlens::Report {
    let spec = survlens::Spec::from_json(&spec.to_string()).unwrap();
    survlens::analysis::Analysis::new(&spec)
        .run(csv.as_bytes())
        .unwrap()
}

fn spec() -> Value {
    json!({
        "time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm", "reference": "A"},
        "covariates": [{"column": "x"}],
        "cox": {"ties": "efron", "ph_test": {"transform": "km"}}
    })
}

/// 24 patients, 10 deaths, 8 coefficients in 3 strata (a cohort of
/// tests/analysis/random_vs_r.rs, seed 7): Breslow's Newton–Raphson runs out of iterations with
/// coefficients in the hundreds; R's cox.zph gives a global "chisq" of −493 on it.
const DIVERGED: &[&str] = &[
    "time,status,arm,age,sex,grade,marker,centre,w,patient",
    "20.074,0,Resection,49,F,high,0.4517,North,1,1",
    "2.666,1,Control,66,M,low,1.4669,South,1,1",
    "57.075,1,Ablation,57,M,mid,0.8494,East,1,2",
    "15.175,1,Resection,66,M,high,1.2979,North,1,2",
    "36.76,0,Control,58,M,low,1.0899,South,1,3",
    "151.56,0,Both,54,M,mid,0.6195,East,1,3",
    "118.652,0,Both,64,M,mid,0.4370,North,1,4",
    "17.423,0,Resection,54,M,mid,1.3225,South,1,4",
    "1.96,1,Control,53,F,high,1.5303,East,1,5",
    "8.2,0,Both,63,M,low,0.7533,North,1,5",
    "111.727,0,Resection,NA,F,low,0.8881,South,1,6",
    "125.874,0,Ablation,43,F,mid,0.8365,East,1,6",
    "138.226,1,Ablation,59,M,low,0.4861,North,1,7",
    "79.182,1,Both,51,F,high,1.4831,South,1,7",
    "11.131,0,Resection,34,M,high,0.4909,East,1,8",
    "49.078,1,Control,66,F,high,1.8929,North,1,8",
    "24.139,0,Ablation,45,F,low,0.6393,South,1,9",
    "3.334,1,Resection,56,M,high,0.3504,East,1,9",
    "19.168,0,Ablation,62,M,high,1.3452,North,1,10",
    "19.665,1,Ablation,59,F,low,0.8000,South,1,10",
    "87.347,0,Both,72,F,low,1.9225,East,1,11",
    "142.494,0,Control,60,F,low,0.4857,North,1,11",
    "59.689,0,Ablation,53,M,low,1.3388,South,1,12",
    "32.657,0,Ablation,63,M,mid,1.0570,East,1,12",
    "36.747,1,Resection,65,F,high,1.6842,North,1,13",
];

fn diverged_spec() -> Value {
    json!({
        "time": {"column": "time"}, "event": {"column": "status"},
        "group": {"column": "arm", "reference": "Control",
                  "levels": ["Control", "Resection", "Ablation", "Both"]},
        "covariates": [{"column": "age"}, {"column": "sex", "type": "categorical", "reference": "F"},
                       {"column": "grade", "type": "categorical"}, {"column": "marker"}],
        "strata": ["centre"],
        "cox": {"ties": "breslow", "ph_test": {"transform": "km"}}
    })
}

fn readings(report: &Value) -> Vec<String> {
    let ph = &report["cox"]["ph_test"];
    let mut out: Vec<String> = ph["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["reading"].as_str().unwrap().to_string())
        .collect();
    out.push(ph["reading"].as_str().unwrap().to_string());
    out
}

#[test]
fn a_diverged_model_has_no_ph_verdict() {
    let csv_text = DIVERGED.join("\n") + "\n";
    let report = analyse(&csv_text, diverged_spec());
    assert_eq!(report["cox"]["converged"], json!(false));
    let codes: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"cox_not_converged"), "{codes:?}");
    let en = readings(&report);
    assert_eq!(en.len(), 6); // arm, age, sex, grade, marker, global
    for r in &en {
        assert!(r.contains("cannot be read"), "{r}");
        assert!(
            !r.contains("No evidence") && !r.contains("no evidence against"),
            "{r}"
        );
    }
    // The Chinese page swaps every English reading for its translation.
    let zh = localize(&self::report(&csv_text, diverged_spec()), Lang::Zh);
    for r in &en {
        let t = zh
            .texts
            .get(r.as_str())
            .unwrap_or_else(|| panic!("no zh for {r}"));
        assert!(t.contains("无法解读"), "{t}");
    }
}

#[test]
fn a_converged_model_is_read_as_before() {
    // The same layout with deaths in both arms: the model converges.
    let mut csv = String::from("time,status,arm,x\n");
    for i in 0..30 {
        let arm = if i % 2 == 0 { "A" } else { "B" };
        csv.push_str(&format!(
            "{},{},{arm},{}\n",
            1 + (i * 7) % 23,
            i % 3 != 0,
            (i * 5) % 7
        ));
    }
    let csv = csv.replace(",true,", ",1,").replace(",false,", ",0,");
    let report = analyse(&csv, spec());
    assert_eq!(report["cox"]["converged"], json!(true));
    let global = report["cox"]["ph_test"]["global"]["chisq"]
        .as_f64()
        .unwrap();
    assert!(global >= 0.0);
    for r in readings(&report) {
        assert!(!r.contains("cannot be read"), "{r}");
        assert!(r.contains("proportional") || r.contains("follow-up"), "{r}");
    }
}
