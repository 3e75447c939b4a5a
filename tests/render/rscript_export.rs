//! The exported R script reproduces the Report: each case's script is run with R
//! (`Rscript`, survival) on the case's own data file, and its numbers are compared with
//! SurvLens's Report at the contract's tolerances (tests/common).
//!
//! Needs `Rscript` with the survival package, and cmprsk for the competing-risks cases
//! (scripts/setup installs r-base-core, r-cran-survival and r-cran-cmprsk).

use crate::common;
use crate::rscript_support;

use rscript_support::{root, run_case};
use std::process::Command;

/// Runs the exported script of each reference case under R (the data file found by its
/// extension, the delimiter left to the script's own detection) and fails with every
/// mismatch against the Report.
fn assert_reference_cases_reproduce(cases: &[&str]) {
    let mut failures = Vec::new();
    for case in cases {
        let dir = root().join("tests/reference").join(case);
        let data = ["data.csv", "data.tsv", "data.txt"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{case}: no data file"));
        failures.extend(run_case(case, &data, &dir.join("spec.json"), None));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The demo spec as shipped (landmarks at 6 and 12 months, time-dependent groups, the
/// immortal-time comparison) with a Cox PH test, E-values (of the crude and the
/// time-dependent group hazard ratios) and table1.
#[test]
fn demo_cohort_script_reproduces_the_report() {
    let demo = root().join("www/demo");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    // The demo with a Cox model and its PH test too.
    spec["cox"] = serde_json::json!({"ties": "efron", "ph_test": {"transform": "km"}});
    spec["sensitivity"] = serde_json::json!({});
    spec["table1"] = serde_json::json!({});
    let dir = std::env::temp_dir().join(format!("survlens-demo-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let failures = run_case(
        "demo",
        &demo.join("gist_liver_mets_demo.csv"),
        &spec_path,
        Some(','),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The demo with every observational-comparison section: propensity (multinomial),
/// weights, balance, weighted KM / RMST / Cox, E-values of the crude and weighted HRs.
#[test]
fn demo_confounding_sections_are_reproduced() {
    let demo = root().join("www/demo");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    for key in ["treatment_time", "landmark", "time_dependent"] {
        spec.as_object_mut().unwrap().remove(key);
    }
    spec["cox"] = serde_json::json!({"ties": "efron", "ph_test": {"transform": "km"}});
    spec["propensity"] =
        serde_json::json!({"estimand": "ATE", "stabilize": true, "truncate": [0.01, 0.99]});
    spec["adjusted"] = serde_json::json!({});
    spec["sensitivity"] = serde_json::json!({});
    let dir = std::env::temp_dir().join(format!("survlens-demo-ps-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let failures = run_case(
        "demo_confounding",
        &demo.join("gist_liver_mets_demo.csv"),
        &spec_path,
        Some(','),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The propensity reference cases: binomial and multinomial models, ATE (stabilized,
/// truncated), ATT, ATO, typed categorical covariates, missing values.
#[test]
fn propensity_cases_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "ps_demo_gist",
        "ps_lung",
        "ps_colon",
        "ps_pbc",
        "ps_veteran",
        "ps_flchain_5groups",
    ]);
}

/// The immortal-time reference cases: delayed entry (KM, left-truncated log-rank, Cox;
/// strata, weights, a row tied to its entry), (start, stop] rows with a cluster,
/// landmarks, time-dependent groups (efron; breslow with robust variance by patient),
/// treatment times that do not fit (left out of the immortal-time sections only).
#[test]
fn immortal_time_cases_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "immortal_heart_landmark",
        "immortal_heart_misfit_treatment_times",
        "immortal_heart_td",
        "immortal_heart_td_breslow_robust",
        "immortal_mgus2_entry",
        "immortal_mgus2_entry_strata_weights",
        "immortal_mgus2_entry_tied",
        "immortal_veteran_survsplit",
    ]);
}

/// cox.zph on counting-process fits: the script's `cox.zph(fit_cox, transform)` on the
/// left-truncated Cox model reproduces the Report's `cox.ph_test` (km, rank, identity;
/// strata, weights, ties), and on the (start, stop] rows of the time-dependent group
/// its `time_dependent.cox.ph_test`.
#[test]
fn ph_test_on_entry_data_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "zph_mgus2_entry_km",
        "zph_mgus2_entry_strata_weights_breslow_identity",
        "zph_mgus2_entry_ties_efron_rank",
        "zph_mgus2_entry_ties_breslow_km",
        "zph_heart_td_km",
        "zph_heart_td_breslow_robust_identity",
    ]);
}

/// Delayed entry together with landmarks, time-dependent groups, a robust Breslow Cox
/// model, pairwise log-rank tests and table1: the Stanford heart data of
/// immortal_heart_landmark with an entry before the treatment and the exit on every
/// third row.
#[test]
fn entry_with_landmarks_and_time_dependent_groups() {
    let src = root().join("tests/reference/immortal_heart_landmark");
    let text = std::fs::read_to_string(src.join("data.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let entry = if i == 0 {
            "\"entry\"".to_string()
        } else {
            let num = |c: &str| c.trim_matches('"').parse::<f64>().ok();
            let last = match num(cells[4]) {
                Some(u) => u.min(num(cells[1]).unwrap()),
                None => num(cells[1]).unwrap(),
            };
            let e = if i % 3 == 0 { last * 0.4 } else { 0.0 };
            format!("\"{e}\"")
        };
        out.push_str(&format!("{line},{entry}\n"));
    }
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("spec.json")).unwrap()).unwrap();
    spec["time"] = serde_json::json!({"entry": "entry", "column": "futime"});
    spec["time_dependent"] = serde_json::json!({});
    spec["cox"] = serde_json::json!({"ties": "breslow", "robust": true});
    spec["logrank"] = serde_json::json!({"pairwise": "reference"});
    spec["table1"] = serde_json::json!({});
    let dir = std::env::temp_dir().join(format!("survlens-entry-lm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("data.csv"), out).unwrap();
    std::fs::write(dir.join("spec.json"), spec.to_string()).unwrap();
    let failures = run_case(
        "entry_landmark_td",
        &dir.join("data.csv"),
        &dir.join("spec.json"),
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The table1 reference cases: numeric and categorical covariates (typed, with a
/// reference, detected), missing values per covariate, ANOVA / Kruskal–Wallis,
/// chi-square / Fisher, SMDs; a `table1.covariates` list.
#[test]
fn table1_cases_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "table1_colon",
        "table1_demo_gist",
        "table1_lung",
        "table1_pbc",
        "table1_synth_edges",
        "table1_veteran",
    ]);
}

/// Complete cases per model (cox and propensity leaving out different rows, a reference
/// level that differs between the data and the model's rows) and times and τ past one
/// group's follow-up (summary(fit, times) without extend).
#[test]
fn complete_cases_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&["complete_synth", "complete_lung"]);
}

/// The competing-risks reference cases: status coded 0/1/2 from
/// `event.competing_values` (words, 0/1/2 with the competing code first, detected 0/1,
/// two competing tokens), Aalen–Johansen curves with times past follow-up, Gray's test
/// (stratified in cr_strata, null without a group or with case weights), Fine–Gray (crr
/// continued to the maximum of the likelihood), cause-specific Cox models (robust,
/// breslow, weighted), the cause-specific km / logrank / cox, and the weighted curves of
/// `adjusted.cif` (cr_adjusted).
#[test]
fn competing_risks_cases_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "cr_mgus2",
        "cr_strata",
        "cr_pbc",
        "cr_nogroup",
        "cr_ties",
        "cr_weights",
        "cr_no_competing_in_group",
        "cr_adjusted",
    ]);
}

#[test]
fn reference_cases_scripts_reproduce_the_reports() {
    let cases = [
        "aml",
        "lung",
        "colon_death",
        "kidney_dates",
        "retinopathy_semicolon",
        "stanford2_nogroup",
        "flchain_10groups",
        "synth_ingest",
        "cox_lung_efron",
        "cox_veteran_breslow",
        "cox_colon_strata_cluster",
        "cox_heart_strata_breslow",
        "cox_ovarian_fracweights_robust",
        "cox_mgus2_robust",
    ];
    assert_reference_cases_reproduce(&cases);
}

/// An Excel workbook: the script's header says to save the sheet "first_100" as
/// "demo.csv", reads that name by default, stops with the same words when given the
/// .xlsx, and on the saved sheet reproduces the Report SurvLens made from the workbook.
/// The saved CSV is the file the workbook was made from (tests/xlsx/make_xlsx.py: its
/// first 100 patients; date cells as yyyy-mm-dd, which is what the header asks).
#[test]
fn workbook_script_reads_the_sheet_saved_as_csv() {
    let mut spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("www/demo/demo_spec.json")).unwrap(),
    )
    .unwrap();
    spec["sheet"] = serde_json::json!("first_100");
    spec["cox"] = serde_json::json!({});
    let spec = survlens::Spec::from_json(&spec.to_string()).unwrap();
    let xlsx = std::fs::read(root().join("tests/xlsx/demo.xlsx")).unwrap();
    let report =
        serde_json::to_value(survlens::analysis::Analysis::new(&spec).run(&xlsx).unwrap()).unwrap();
    let opts = survlens::rscript::RScriptOptions {
        data_name: "demo.xlsx".into(),
        ..Default::default()
    };
    let script = survlens::rscript::r_script(&spec, &opts);
    assert!(
        script.contains("save the sheet \"first_100\" as CSV"),
        "{script}"
    );
    assert!(script.contains("file name \"demo.csv\""));
    let dir = std::env::temp_dir().join(format!("survlens-rscript-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("analysis.R"), &script).unwrap();
    // The sheet as Excel's Save As writes it: the demo's first 100 patients.
    let csv = std::fs::read_to_string(root().join("www/demo/gist_liver_mets_demo.csv")).unwrap();
    let first_100: Vec<&str> = csv.lines().take(101).collect();
    std::fs::write(dir.join("demo.csv"), first_100.join("\n") + "\n").unwrap();
    let rscript = |args: &[&str]| {
        Command::new("Rscript")
            .current_dir(&dir)
            .arg("analysis.R")
            .args(args)
            .output()
            .expect("Rscript is needed")
    };
    let given_xlsx = rscript(&["demo.xlsx"]);
    assert!(!given_xlsx.status.success());
    let said = String::from_utf8_lossy(&given_xlsx.stderr);
    assert!(
        said.contains("save the sheet \"first_100\" of the workbook as CSV UTF-8 named demo.csv"),
        "{said}"
    );
    // No argument: the script reads demo.csv; the results go to the end of its output.
    let run = rscript(&[]);
    let out = String::from_utf8_lossy(&run.stdout).to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json = out
        .split("## results (JSON)\n")
        .nth(1)
        .expect("the results JSON");
    let r: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(r["data"]["n_rows"], 100);
    let failures = common::compare(&r, &report);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Median follow-up and conditional survival (cases `fu_*`): lung with 3 groups, the demo
/// with non-integer weights, heavy ties with competing events, givens past follow-up,
/// no group, delayed entry.
#[test]
fn follow_up_and_conditional_scripts_reproduce_the_report() {
    assert_reference_cases_reproduce(&[
        "fu_lung",
        "fu_demo_weights",
        "fu_ties_competing",
        "fu_aml_beyond",
        "fu_ovarian_nogroup",
        "fu_entry",
    ]);
}

/// `cox.periods`: survSplit + group:strata(tgroup) in the script equals the Report
/// (LR and robust Wald tests, strata, Breslow, a dropped period, delayed entry).
#[test]
fn periods_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "periods_veteran_celltype",
        "periods_lung_sex",
        "periods_veteran_trt_strata",
        "periods_aml_breslow_empty_period",
        "periods_lung_weights_robust",
        "periods_mgus2_entry_age",
    ]);
}

/// The subgroups section (crude, adjusted, case weights, cluster, a group without events,
/// the weighted population): the level models and interaction tests the script computes
/// equal the Report's.
#[test]
fn subgroups_are_reproduced() {
    assert_reference_cases_reproduce(&[
        "sub_lung",
        "sub_lung_adjust",
        "sub_veteran_weights",
        "sub_colon_cluster",
        "sub_no_events",
        "sub_demo_adjusted",
        "sub_lung_ps_adjust",
    ]);
}

/// Imported imputed sets (mice's long format, `{"imputed": ".imp"}`): the script reads the
/// file's sets back with `as.mids`, refits the Cox model and the RMST differences in each
/// and pools them with mice (`pool`, `pool.scalar`): the pooled numbers equal the Report's
/// (the other sections run on the original rows, set 0, as SurvLens does). Needs R's mice.
#[test]
fn imported_imputed_sets_scripts_reproduce_the_pooled_report() {
    assert_reference_cases_reproduce(&[
        "imp_pbc_two_groups",
        "imp_colon_categorical",
        "imp_colon_three_groups",
        "imp_lung_adjusted",
    ]);
}

/// Matching: every `match_*` reference case (1:1 with a caliper, 1:2, with replacement,
/// smallest first, file order with tied scores, caliper 0 with 1:2, three arms with
/// categorical and missing covariates) and the demo's three arms with a caliper of 0.2
/// SD: the script's MatchIt call, the documented pairs from MatchIt's general routine,
/// the weighted curves, the stratified log-rank, the clustered Cox and the RMST
/// differences reproduce the Report (needs R's MatchIt).
#[test]
fn matching_scripts_reproduce_the_reports() {
    assert_reference_cases_reproduce(&[
        "match_colon_three_arms",
        "match_lung_caliper",
        "match_pbc_smallest",
        "match_rotterdam_ratio2",
        "match_synth_caliper0_ratio2",
        "match_synth_ties_data",
        "match_veteran_replace",
    ]);
    let demo = root().join("www/demo");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    for key in [
        "cox",
        "treatment_time",
        "landmark",
        "time_dependent",
        "subgroups",
        "follow_up",
        "conditional",
    ] {
        spec.as_object_mut().unwrap().remove(key);
    }
    spec["matching"] = serde_json::json!({"caliper": 0.2});
    let dir = std::env::temp_dir().join(format!("survlens-demo-match-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("spec.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let failures = run_case(
        "demo_matching",
        &demo.join("gist_liver_mets_demo.csv"),
        &spec_path,
        Some(','),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The emulated trial (clone–censor–weight) in base R + survival reproduces the point
/// estimates (curves, survival at the times, RMST difference, counts, weights) on the demo
/// (treatment dates, grace 6, the demo's covariates; with product-limit censoring
/// probabilities; without covariates; grace 0) and on the emu_* reference cases (the
/// `*_product_limit` ones included).
#[test]
fn emulation_scripts_reproduce_the_reports() {
    let cases: Vec<String> = std::fs::read_dir(root().join("tests/reference"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("emu_"))
        .collect();
    let names: Vec<&str> = cases.iter().map(String::as_str).collect();
    assert_reference_cases_reproduce(&names);
    let demo = root().join("www/demo");
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo.join("demo_spec.json")).unwrap())
            .unwrap();
    let dir = std::env::temp_dir().join(format!("survlens-demo-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, emulation) in [
        (
            "demo_emulation",
            serde_json::json!({"grace": 6, "times": [12, 36, 60, 120], "tau": 120}),
        ),
        (
            "demo_emulation_no_covariates",
            serde_json::json!({"grace": 6, "covariates": [], "times": [12, 60], "tau": 60}),
        ),
        (
            "demo_emulation_product_limit",
            serde_json::json!({"grace": 6, "times": [12, 36, 60, 120], "tau": 120,
                               "censoring_survival": "product_limit"}),
        ),
        (
            "demo_emulation_grace0",
            serde_json::json!({"grace": 0, "covariates": ["age", "ecog"], "times": [24]}),
        ),
    ] {
        let mut spec = base.clone();
        for key in [
            "cox",
            "landmark",
            "time_dependent",
            "subgroups",
            "follow_up",
            "conditional",
        ] {
            spec.as_object_mut().unwrap().remove(key);
        }
        spec["emulation"] = emulation;
        let spec_path = dir.join(format!("{name}.json"));
        std::fs::write(&spec_path, spec.to_string()).unwrap();
        let failures = run_case(
            name,
            &demo.join("gist_liver_mets_demo.csv"),
            &spec_path,
            Some(','),
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
