//! The report's median follow-up and conditional survival: the tables carry the Report's
//! numbers through the one formatter, the results sentence gives the overall median
//! follow-up with its CI and IQR, the methods cite the reverse Kaplan–Meier method only
//! when it ran, and the Chinese report has the Chinese words.

use survlens::messages::numbers::{fixed, fixed_ci};
use survlens::report_html::{analyze_to_html, Lang, ReportOptions};

use crate::report_full::{demo_data, demo_spec, table};

/// The demo cohort and spec with both sections (givens out of order).
fn demo() -> (Vec<u8>, serde_json::Value) {
    let mut spec = demo_spec();
    spec["follow_up"] = serde_json::json!({});
    spec["conditional"] = serde_json::json!({"given": [24, 12], "times": [12, 36]});
    (demo_data(), spec)
}

pub(crate) fn html(data: &[u8], spec: &serde_json::Value, lang: Lang) -> String {
    let opts = ReportOptions {
        data_name: "demo.csv".into(),
        lang,
        include_patient_data: false,
    };
    analyze_to_html(data, &spec.to_string(), &opts).unwrap()
}

pub(crate) fn cell(s: &str) -> String {
    format!("<td>{s}</td>")
}

#[test]
fn follow_up_and_conditional_tables_carry_the_reports_numbers() {
    let (data, spec) = demo();
    let report = survlens::Analysis::from_json(&spec.to_string())
        .run(&data)
        .unwrap();
    let en = html(&data, &spec, Lang::En);
    let fu = table(&en, "follow_up");
    let entries = report.follow_up.as_ref().expect("follow_up");
    assert_eq!(entries.len(), 4, "all + 3 groups");
    for e in entries {
        let median = e.median.estimate.expect("reached in the demo");
        assert!(fu.contains(&cell(&fixed(Some(median), 1))), "{}", e.group);
        let q = |i: usize| e.quantiles[i].estimate;
        let iqr = fixed_ci(q(0), q(1), 1, Lang::En);
        assert!(fu.contains(&cell(&iqr)), "{} IQR {iqr}", e.group);
        assert!(fu.contains(&cell(&e.n.to_string())));
    }
    // The overall median follow-up in the results paragraph, as papers report it.
    let all = &entries[0];
    let sentence = format!(
        "The median follow-up (reverse Kaplan–Meier) was {} months (95% CI {}; IQR {}).",
        fixed(all.median.estimate, 1),
        fixed_ci(all.median.lower, all.median.upper, 1, Lang::En),
        fixed_ci(
            all.quantiles[0].estimate,
            all.quantiles[1].estimate,
            1,
            Lang::En
        ),
    );
    assert!(en.contains(&sentence), "missing: {sentence}");
    // Conditional: given ascending, one row per group and time.
    let cond = report.conditional.as_ref().expect("conditional");
    assert_eq!(
        cond.iter().map(|c| c.given).collect::<Vec<_>>(),
        [12.0, 24.0]
    );
    let at = table(&en, "conditional_at_times");
    assert_eq!(at.matches("<tr><td>").count(), 2 * 3 * 2);
    for c in cond.iter().flat_map(|r| &r.curves) {
        for a in &c.at_times {
            assert!(
                at.contains(&cell(&fixed(a.surv, 3))),
                "{} {}",
                c.group,
                a.time
            );
        }
    }
    assert!(table(&en, "conditional").contains(&cell(&fixed(Some(24.0), 1))));
    // Methods: Schemper & Smith cited, the conditional sentence with the sorted givens.
    assert!(en.contains("reverse Kaplan–Meier method [") && en.contains("Schemper M, Smith TL"));
    assert!(en.contains("Conditional survival for patients alive at 12 and 24 months"));
    assert!(en.contains("Conditional survival is reported 12 and 36 months after that time."));
    // STROBE 14c (summarise follow-up time) points to the table.
    assert!(en.contains(
        "<td>14c</td><td>Cohort study: summarise follow-up time (eg, average and total amount)</td><td>Median follow-up table (reverse Kaplan–Meier) and results paragraph</td>"
    ), "STROBE 14c");
}

#[test]
fn without_the_sections_nothing_is_said_or_cited() {
    let (data, mut spec) = demo();
    let obj = spec.as_object_mut().unwrap();
    obj.remove("follow_up");
    obj.remove("conditional");
    let en = html(&data, &spec, Lang::En);
    for absent in [
        "<table id=\"follow_up\">",
        "<table id=\"conditional\">",
        "Schemper",
        "median follow-up",
    ] {
        assert!(!en.contains(absent), "{absent}");
    }
    assert!(en.contains("<td>14c</td>") && en.contains("Not covered by this analysis"));
}

#[test]
fn the_chinese_report_has_the_chinese_words() {
    let (data, spec) = demo();
    let zh = html(&data, &spec, Lang::Zh);
    for must in [
        "中位随访时间（反向 Kaplan–Meier 法）",
        "条件生存：在给定时间点仍存活的患者此后的中位生存期",
        "条件生存：在给定时间点仍存活的患者此后各时间点的生存率",
        "四分位距",
        "存活至",
        "此后中位生存期",
    ] {
        assert!(zh.contains(must), "{must}");
    }
    assert!(!zh.contains("Median follow-up") && !zh.contains("Conditional survival"));
}
