//! One test per evidence rule, on small hand-written exports.

use super::*;
use crate::{read_table, DateFormat};

fn guess(csv: &str) -> SuggestedMapping {
    suggest_mapping(&read_table(csv.as_bytes()).expect("test table"))
}

fn codes(g: &SuggestedMapping) -> Vec<&str> {
    g.notes.iter().map(|n| n.code.as_str()).collect()
}

/// Rows `id,age,start,end,status,arm` with day > 12 somewhere (day first).
fn hospital(n: usize) -> String {
    let mut s = String::from("MRN,Age,Diagnosis_Date,Last_FU_Date,Status,Treatment\n");
    for i in 0..n {
        let (d, m) = (1 + (i * 7) % 28, 1 + i % 12);
        let status = if i % 3 == 0 { "Dead" } else { "Alive" };
        let arm = if i % 2 == 0 { "Obs" } else { "Lev" };
        s.push_str(&format!(
            "{},{},{d:02}/{m:02}/2015,{:02}/{m:02}/20{},{status},{arm}\n",
            100_234 + i * 3,
            40 + (i * 13) % 50,
            1 + (i * 5) % 28,
            17 + i % 5
        ));
    }
    s
}

#[test]
fn two_dates_beat_an_age_and_an_identifier() {
    let g = guess(&hospital(40));
    assert_eq!(
        g.spec.time,
        TimeMap::Dates {
            start: "Diagnosis_Date".into(),
            end: "Last_FU_Date".into(),
            unit: TimeUnit::Months,
            date_format: DateFormat::DmySlash
        }
    );
    assert_eq!(g.confidence.time, Confidence::High);
    assert_eq!(g.spec.event.column, "Status");
    assert_eq!(g.spec.event.values, Some(vec!["Dead".to_string()]));
    assert_eq!(
        g.spec.event.censored_values,
        Some(vec!["Alive".to_string()])
    );
    assert_eq!(g.confidence.event, Confidence::High);
    let group = g.spec.group.as_ref().expect("group");
    assert_eq!(
        (group.column.as_str(), group.reference.as_deref()),
        ("Treatment", Some("Obs"))
    );
    let cov: Vec<&str> = g
        .spec
        .covariates
        .iter()
        .map(|c| c.column.as_str())
        .collect();
    assert_eq!(cov, ["Age"]);
    // Follow-up 2017–2021 from 2015: at least 12 … 60 months fit in every group.
    assert_eq!(g.spec.km.times.last(), g.spec.rmst.as_ref().map(|r| &r.tau));
    assert!(!g.spec.km.times.is_empty());
}

#[test]
fn an_identifier_or_an_age_is_never_confidently_the_time() {
    let mut csv = String::from("Patient,Age,status\n");
    for i in 0..30 {
        csv.push_str(&format!("{},{},{}\n", i + 1, 30 + i * 2, i % 2));
    }
    let g = guess(&csv);
    assert_eq!(g.confidence.time, Confidence::Low);
    assert!(
        codes(&g).contains(&"time_is_identifier_or_age"),
        "{:?}",
        codes(&g)
    );
}

#[test]
fn chinese_headers_unit_from_name_and_chinese_status() {
    let mut csv = String::from("住院号,年龄,生存时间_天,结局,治疗组\n");
    for i in 0..30 {
        let outcome = if i % 4 == 0 { "死亡" } else { "存活" };
        let arm = if i % 2 == 0 { "手术" } else { "化疗" };
        csv.push_str(&format!(
            "ZY{:06},{},{},{outcome},{arm}\n",
            880_000 + i * 37,
            45 + i,
            30 + (i * 17) % 30 * 41
        ));
    }
    let g = guess(&csv);
    assert_eq!(
        g.spec.time,
        TimeMap::Duration {
            column: "生存时间_天".into()
        }
    );
    assert_eq!(
        (g.time_unit, g.confidence.time),
        (TimeUnit::Days, Confidence::High)
    );
    assert_eq!(g.spec.event.column, "结局");
    assert_eq!(g.spec.event.values, Some(vec!["死亡".to_string()]));
    assert_eq!(g.confidence.event, Confidence::High);
    assert_eq!(
        g.spec.group.as_ref().map(|x| x.column.as_str()),
        Some("治疗组")
    );
    // Days: round times 365, 730 … within the follow-up (max 30 + 29 × 41 = 1219 days).
    assert_eq!(g.spec.km.times.last(), Some(&1095.0));
}

#[test]
fn three_status_values_ask_with_counts() {
    let mut csv = String::from("id,futime_d,status,trt\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            i + 1,
            100 + i * 90,
            i % 3,
            1 + i % 2
        ));
    }
    let g = guess(&csv);
    assert_eq!(g.spec.event.column, "status");
    assert_eq!(
        (
            g.spec.event.values.as_ref(),
            g.spec.event.censored_values.as_ref()
        ),
        (None, None)
    );
    assert_eq!(g.confidence.event, Confidence::Low);
    let note = g
        .notes
        .iter()
        .find(|n| n.code == "event_coding_needs_choice")
        .expect("note");
    assert_eq!(
        note.context["counts"],
        serde_json::json!({"0": 10, "1": 10, "2": 10})
    );
}

#[test]
fn ambiguous_day_month_order_is_low_with_a_note() {
    let mut csv = String::from("entry_date,last_contact,vital_status\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{:02}/{:02}/2016,{:02}/{:02}/2019,{}\n",
            1 + i % 12,
            1 + i % 9,
            1 + i % 11,
            1 + i % 12,
            ["dead", "alive"][i % 2]
        ));
    }
    let g = guess(&csv);
    assert!(matches!(
        g.spec.time,
        TimeMap::Dates {
            date_format: DateFormat::DmySlash,
            ..
        }
    ));
    assert_eq!(g.confidence.time, Confidence::Low);
    assert!(codes(&g).contains(&"date_order_ambiguous"));
}

#[test]
fn month_first_dates_are_told_by_a_value_above_twelve() {
    let csv = "start_date,end_date,event\n01/13/2016,02/01/2019,1\n03/02/2016,12/25/2018,0\n";
    let g = guess(csv);
    assert!(
        matches!(
            g.spec.time,
            TimeMap::Dates {
                date_format: DateFormat::MdySlash,
                ..
            }
        ),
        "{:?}",
        g.spec.time
    );
    assert_eq!(g.confidence.time, Confidence::High);
}

#[test]
fn unit_from_magnitude_is_low_with_a_note() {
    let mut csv = String::from("inst,time,status,sex\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            1 + i % 7,
            5 + i * 33,
            1 + i % 2,
            1 + i % 2
        ));
    }
    let g = guess(&csv);
    assert_eq!(
        g.spec.time,
        TimeMap::Duration {
            column: "time".into()
        }
    );
    assert_eq!(
        (g.time_unit, g.confidence.time),
        (TimeUnit::Days, Confidence::Low)
    );
    assert!(codes(&g).contains(&"time_unit_from_magnitude"));
    // status (named) beats sex (same 1/2 coding).
    assert_eq!(g.spec.event.column, "status");
    assert_eq!(g.spec.event.values, Some(vec!["2".to_string()]));
}

#[test]
fn serialises_as_the_contract_says() {
    let g = guess(&hospital(20));
    let v = serde_json::to_value(&g).expect("json");
    assert_eq!(v["confidence"]["time"], "high");
    assert_eq!(v["spec"]["time"]["date_format"], "%d/%m/%Y");
    assert!(v["notes"].is_array());
    // The spec runs as it is.
    let spec = survlens_contract::Spec::from_json(&v["spec"].to_string()).expect("a valid spec");
    assert!(spec.group.is_some());
}

#[test]
fn a_birth_date_is_neither_start_nor_end_and_unnamed_dates_go_by_their_order() {
    // DOB first, then two dates whose names say nothing: the earlier one is the start.
    let mut csv = String::from("DOB,visit_a,visit_b,died\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "1950-01-{:02},2016-{:02}-10,2019-{:02}-20,{}\n",
            1 + i,
            1 + i % 12,
            1 + i % 12,
            i % 2
        ));
    }
    let g = guess(&csv);
    let TimeMap::Dates {
        start,
        end,
        date_format,
        ..
    } = &g.spec.time
    else {
        panic!("{:?}", g.spec.time)
    };
    assert_eq!(
        (start.as_str(), end.as_str(), *date_format),
        ("visit_a", "visit_b", DateFormat::Ymd)
    );
    assert_eq!(g.confidence.time, Confidence::Low);
    assert!(codes(&g).contains(&"dates_chosen_by_order"));
}

#[test]
fn identifiers_are_told_by_name_or_by_values() {
    let mut csv = String::from("Fallnummer,code,pid_seq,os_days,status,notes\n");
    for i in 0..20 {
        // Fallnummer: unique, not increasing; code: unique text; pid_seq: 1, 2, 3 …
        csv.push_str(&format!(
            "{},K{:04},{},{},{},free text {}\n",
            9000 - i * 7 % 13 * 100 - i,
            i * 3,
            i + 1,
            30 + (i * 53) % 900,
            i % 2,
            i
        ));
    }
    let t = read_table(csv.as_bytes()).expect("table");
    let cols = columns::describe(&t);
    let ids: Vec<bool> = cols.iter().map(|c| roles(c).identifier).collect();
    assert_eq!(ids, [true, true, true, false, false, true]);
    let g = suggest_mapping(&t);
    // No identifier, date or free text among the covariates.
    assert!(g.spec.covariates.is_empty(), "{:?}", g.spec.covariates);
}

#[test]
fn the_reference_is_a_control_level_when_one_is_named_so() {
    let mut csv = String::from("os_months,status,arm\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{},{},{}\n",
            1 + i * 3,
            i % 2,
            ["Drug", "Placebo"][i % 2]
        ));
    }
    let g = guess(&csv);
    assert_eq!(
        g.spec.group.as_ref().and_then(|x| x.reference.as_deref()),
        Some("Placebo")
    );
    let plain = guess(&csv.replace("Placebo", "Other"));
    assert_eq!(
        plain
            .spec
            .group
            .as_ref()
            .and_then(|x| x.reference.as_deref()),
        None
    );
}

#[test]
fn named_dates_in_the_wrong_order_are_low() {
    // Named start and end, but the "start" is the later date on every row.
    let mut csv = String::from("diagnosis_date,last_contact,status\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "2020-{:02}-15,2016-{:02}-01,{}\n",
            1 + i % 12,
            1 + i % 12,
            i % 2
        ));
    }
    let g = guess(&csv);
    assert!(matches!(&g.spec.time, TimeMap::Dates { start, .. } if start == "diagnosis_date"));
    assert_eq!(g.confidence.time, Confidence::Low);
    assert!(codes(&g).contains(&"dates_out_of_order"));
}

/// The date layouts of Chinese systems (`2015/3/9`) and of day-first exports with dashes
/// (`09-03-2015`) are read as dates, so an identifier never stands in for the time.
#[test]
fn slash_year_first_and_dash_day_first_dates() {
    for (format, write) in [
        (DateFormat::YmdSlash, "{y}/{m}/{d}"),
        (DateFormat::DmyDash, "{d:02}-{m:02}-{y}"),
    ] {
        let mut s = String::from("id,dx_date,last_fu,status,arm\n");
        for i in 0..40usize {
            let (d, m) = (1 + (i * 7) % 28, 1 + i % 12);
            let cell = |y: usize, d: usize| {
                write
                    .replace("{y}", &y.to_string())
                    .replace("{m}", &m.to_string())
                    .replace("{d:02}", &format!("{d:02}"))
                    .replace("{m:02}", &format!("{m:02}"))
                    .replace("{d}", &d.to_string())
            };
            s.push_str(&format!(
                "{},{},{},{},{}\n",
                i + 1,
                cell(2015, d),
                cell(2017 + i % 4, 1 + (i * 5) % 28),
                i % 2,
                if i % 3 == 0 { "A" } else { "B" }
            ));
        }
        let g = guess(&s);
        assert_eq!(
            g.spec.time,
            TimeMap::Dates {
                start: "dx_date".into(),
                end: "last_fu".into(),
                unit: TimeUnit::Months,
                date_format: format
            },
            "{write}"
        );
        assert_eq!(g.confidence.time, Confidence::High, "{write}");
    }
}
