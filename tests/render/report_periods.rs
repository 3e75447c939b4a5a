//! The report's hazard ratios by period (`cox.periods`): the table carries every period
//! term of the Report through the one formatter, the results sentence gives the
//! Report's test, the methods name the cut points and the test that ran, in English and
//! Chinese.

use survlens::messages::numbers::{fixed, p_cell, p_sentence, ratio, ratio_ci};
use survlens::report_html::Lang;

use crate::report_follow_up::{cell, html};
use crate::report_full::{demo_data, demo_spec, table};

#[test]
fn period_table_and_test_carry_the_reports_numbers_in_both_languages() {
    let mut spec = demo_spec();
    spec["cox"]["periods"] = serde_json::json!([12, 36]);
    let data = demo_data();
    let report = survlens::Analysis::from_json(&spec.to_string())
        .run(&data)
        .unwrap();
    let report = serde_json::to_value(&report).unwrap();
    let periods = report["cox"]["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    let test = &report["cox"]["periods_test"];
    for lang in [Lang::En, Lang::Zh] {
        let page = html(&data, &spec, lang);
        let tab = table(&page, "cox_periods");
        let n_terms: usize = periods
            .iter()
            .map(|p| p["terms"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(tab.matches("<tr><td>").count(), n_terms, "{lang:?}");
        for p in periods {
            for x in p["terms"].as_array().expect("terms") {
                let row = format!(
                    "{}{}{}{}",
                    cell(x["name"].as_str().expect("name")),
                    cell(&ratio(x["hr"].as_f64())),
                    cell(&ratio_ci(x["lower"].as_f64(), x["upper"].as_f64(), lang)),
                    cell(&p_cell(x["p"].as_f64())),
                );
                assert!(tab.contains(&row), "{lang:?} {row}");
            }
        }
        let chisq = fixed(test["chisq"].as_f64(), 2);
        let p = p_sentence(test["p"].as_f64());
        let df = test["df"].to_string();
        let sentence = match lang {
            Lang::En => format!("χ² = {chisq} on {df} df ({p}, likelihood-ratio test)"),
            Lang::Zh => format!("χ² = {chisq}，自由度 {df}（{p}，似然比检验）"),
        };
        assert!(page.contains(&sentence), "{lang:?} missing: {sentence}");
    }
    let en = html(&data, &spec, Lang::En);
    assert!(en.contains("<td>(12, 36]</td>") && en.contains("<td>after 36</td>"));
    assert!(en.contains("follow-up was split at 12 and 36 months"));
    assert!(en.contains("by a likelihood-ratio test"));
    assert!(en.contains("figure-periods"), "the period figure");
    let zh = html(&data, &spec, Lang::Zh);
    assert!(zh.contains("按随访时间段的风险比") && zh.contains("<td>36 之后</td>"));
}
