//! Well-formed input at the ingest level: encodings, delimiters, quoting, missing
//! tokens, exclusions and their precedence, dates, event codings, levels, strata.
//! Rules: docs/spec.md (every key, the defaults, the input rules).

use survlens::ingest::{
    build_cohort, read_table, Cohort, ColumnMap, CovariateKind, CovariateMap, CovariateValues,
    DateFormat, ExclusionReason, GroupMap, TimeMap, TimeUnit,
};

use crate::support::base;

fn with_group(reference: Option<&str>, levels: Option<&[&str]>) -> ColumnMap {
    ColumnMap {
        group: Some(GroupMap {
            column: "arm".into(),
            reference: reference.map(String::from),
            recode: Default::default(),
            levels: levels.map(|l| l.iter().map(|s| s.to_string()).collect()),
        }),
        ..base()
    }
}

fn cohort(bytes: &[u8], map: &ColumnMap) -> Cohort {
    let table = read_table(bytes).expect("table");
    build_cohort(&table, map).expect("cohort")
}

fn reasons(c: &Cohort) -> Vec<(u64, &str, ExclusionReason)> {
    c.excluded
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.reason))
        .collect()
}

#[test]
fn windows_1252_fallback_decodes_and_warns() {
    let bytes = b"time,status,arm\n1,0,Caf\xe9\n2,1,Th\xe9\n";
    let table = read_table(bytes).unwrap();
    assert_eq!(table.cell(2, 0), "Café");
    assert_eq!(table.warnings.len(), 1);
    assert_eq!(table.warnings[0].code, "encoding_fallback");
    assert!(table.warnings[0].message.contains("line 2"));
    let c = cohort(bytes, &with_group(None, None));
    assert_eq!(c.group_labels, vec!["Café", "Thé"]);
    assert_eq!(c.warnings[0].code, "encoding_fallback");
}

#[test]
fn utf8_with_bom_and_accents() {
    let bytes = "\u{feff}time,status,arm\n1,0,Café\n".as_bytes();
    let table = read_table(bytes).unwrap();
    assert_eq!(table.headers, vec!["time", "status", "arm"]);
    assert!(table.warnings.is_empty());
    assert_eq!(
        cohort(bytes, &with_group(None, None)).group_labels,
        vec!["Café"]
    );
}

#[test]
fn tab_separated() {
    let table = read_table(b"time\tstatus\tnote\n1.5\t1\ta,b\n").unwrap();
    assert_eq!(table.delimiter(), b'\t');
    assert_eq!(table.cell(2, 0), "a,b");
    assert_eq!(cohort(b"time\tstatus\n1.5\t1\n", &base()).time, vec![1.5]);
}

#[test]
fn semicolon_with_decimal_commas() {
    let c = cohort(b"time;status\n1,5;1\n2.25;0\n-0;0\n", &base());
    assert_eq!(c.time, vec![1.5, 2.25, 0.0]);
    assert!(c.time[2].is_sign_positive());
    assert_eq!(c.event, vec![true, false, false]);
}

#[test]
fn quoted_fields_and_line_numbers() {
    let csv = b"time,status,note\n1,0,\"a, \"\"quoted\"\"\nnote\"\n2,1,plain\n,1,x\n3,1,y\n";
    let table = read_table(csv).unwrap();
    assert_eq!(table.cell(2, 0), "a, \"quoted\"\nnote");
    assert_eq!(table.lines(), &[2, 4, 5, 6]);
    let c = cohort(csv, &base());
    assert_eq!(c.line, vec![2, 4, 6]);
    assert_eq!(reasons(&c), vec![(5, "time", ExclusionReason::Missing)]);
}

#[test]
fn missing_tokens_report_first_used_column() {
    let mut map = with_group(None, None);
    map.covariates = vec![CovariateMap {
        column: "age".into(),
        kind: None,
        reference: None,
    }];
    let csv = b"time,status,arm,age\n1,0,A,50\n2, NA ,A,.\n3,1,null,N/A\n4,1,B,\n NaN ,1,B,60\n";
    let c = cohort(csv, &map);
    // A missing covariate (line 5) leaves the row in the data: its models leave it out.
    assert_eq!(c.line, vec![2, 5]);
    assert_eq!(
        reasons(&c),
        vec![
            (3, "status", ExclusionReason::Missing),
            (4, "arm", ExclusionReason::Missing),
            (6, "time", ExclusionReason::Missing),
        ]
    );
    match &c.covariates[0].values {
        CovariateValues::Numeric(v) => {
            assert_eq!(v[0], 50.0);
            assert!(v[1].is_nan());
        }
        other => panic!("numeric expected, got {other:?}"),
    }
    assert!(c.covariates[0].is_missing(1) && !c.covariates[0].is_missing(0));
}

#[test]
fn custom_missing_tokens() {
    let mut map = base();
    map.missing = vec!["unknown".into()];
    let c = cohort(b"time,status\n1,0\nunknown,1\n", &map);
    assert_eq!(reasons(&c), vec![(3, "time", ExclusionReason::Missing)]);
}

#[test]
fn negative_time_left_out() {
    let c = cohort(b"time,status\n1,0\n-2,1\n0,1\n", &base());
    assert_eq!(c.time, vec![1.0, 0.0]);
    assert_eq!(
        reasons(&c),
        vec![(3, "time", ExclusionReason::NegativeTime)]
    );
}

#[test]
fn dates_and_units() {
    let csv = b"start,end,status\n01/01/2020,31/12/2020,1\n15/03/2020,01/03/2020,0\n";
    for (unit, days) in [
        (TimeUnit::Days, 1.0),
        (TimeUnit::Weeks, 7.0),
        (TimeUnit::Months, 30.4375),
        (TimeUnit::Years, 365.25),
    ] {
        let map = ColumnMap {
            time: TimeMap::Dates {
                start: "start".into(),
                end: "end".into(),
                unit,
                date_format: DateFormat::DmySlash,
            },
            ..base()
        };
        let c = cohort(csv, &map);
        assert_eq!(c.time, vec![365.0 / days]);
        assert_eq!(reasons(&c), vec![(3, "end", ExclusionReason::NegativeTime)]);
    }
}

#[test]
fn date_formats_agree() {
    let cases: [(&[u8], DateFormat); 4] = [
        (
            b"start,end,status\n2020-02-28,2020-03-01,1\n",
            DateFormat::Auto,
        ),
        (
            b"start,end,status\n28/02/2020,01/03/2020,1\n",
            DateFormat::DmySlash,
        ),
        (
            b"start,end,status\n02/28/2020,03/01/2020,1\n",
            DateFormat::MdySlash,
        ),
        (
            b"start,end,status\n28.02.2020,1.3.2020,1\n",
            DateFormat::DmyDot,
        ),
    ];
    for (csv, date_format) in cases {
        let map = ColumnMap {
            time: TimeMap::Dates {
                start: "start".into(),
                end: "end".into(),
                unit: TimeUnit::Days,
                date_format,
            },
            ..base()
        };
        assert_eq!(cohort(csv, &map).time, vec![2.0], "{date_format:?}");
    }
}

#[test]
fn exclusion_precedence() {
    let mut map = with_group(None, Some(&["A"]));
    map.covariates = vec![CovariateMap {
        column: "age".into(),
        kind: None,
        reference: None,
    }];
    // line 2: other group + missing covariate + negative → other_group
    // line 3: missing covariate + negative → negative_time (a covariate does not define
    // the data); line 4: negative only; line 5: used; line 6: missing covariate, used
    // (left out of the models that use it only)
    let csv = b"time,status,arm,age\n-1,1,B,NA\n-1,1,A,NA\n-1,0,A,50\n5,1,A,51\n6,0,A,NA\n";
    let c = cohort(csv, &map);
    assert_eq!(
        reasons(&c),
        vec![
            (2, "arm", ExclusionReason::OtherGroup),
            (3, "time", ExclusionReason::NegativeTime),
            (4, "time", ExclusionReason::NegativeTime),
        ]
    );
    // A missing group is still the data's own reason, before a negative time.
    let c2 = cohort(b"time,status,arm,age\n-1,1,,NA\n5,1,A,51\n", &map);
    assert_eq!(reasons(&c2), vec![(2, "arm", ExclusionReason::Missing)]);
    assert_eq!(c.line, vec![5, 6]);
    assert_eq!(c.n_rows, 5);
}

#[test]
fn group_defaults_recode_and_levels() {
    let csv = b"time,status,arm\n1,0,IM+HR\n2,1,IM\n3,1,IM+RFA\n4,0,IM+TACE\n5,1,IM\n";
    let c = cohort(csv, &with_group(None, None));
    assert_eq!(c.group_labels, vec!["IM+HR", "IM", "IM+RFA", "IM+TACE"]);
    assert_eq!(c.group, vec![0, 1, 2, 3, 1]);

    let mut map = with_group(Some("IM"), None);
    if let Some(g) = map.group.as_mut() {
        g.recode.insert("IM+RFA".into(), "IM+RFA/TACE".into());
        g.recode.insert("IM+TACE".into(), "IM+RFA/TACE".into());
    }
    let c = cohort(csv, &map);
    assert_eq!(c.group_labels, vec!["IM", "IM+HR", "IM+RFA/TACE"]);
    assert_eq!(c.group, vec![1, 0, 2, 2, 0]);

    let c = cohort(csv, &with_group(None, Some(&["IM", "IM+HR"])));
    assert_eq!(c.group_labels, vec!["IM", "IM+HR"]);
    assert_eq!(c.group, vec![1, 0, 0]);
    assert_eq!(c.excluded.len(), 2);
}

#[test]
fn listed_level_without_rows_warns() {
    let c = cohort(
        b"time,status,arm\n1,0,A\n",
        &with_group(None, Some(&["A", "Z"])),
    );
    assert_eq!(c.group_labels, vec!["A", "Z"]);
    assert!(c.warnings.iter().any(|w| w.code == "empty_group"));
}

#[test]
fn event_codings() {
    let c = cohort(b"time,status\n1,1\n2,2\n", &base());
    assert_eq!(c.event, vec![false, true]);
    let c = cohort(b"time,status\n1, Deceased \n2,ALIVE\n3,censored\n", &base());
    assert_eq!(c.event, vec![true, false, false]);
    let mut map = base();
    map.event.values = Some(vec!["relapse".into()]);
    let c = cohort(b"time,status\n1,relapse\n2,anything\n", &map);
    assert_eq!(c.event, vec![true, false]);
}

#[test]
fn covariates_types_and_references() {
    let mut map = base();
    map.covariates = vec![
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
        CovariateMap {
            column: "ecog".into(),
            kind: Some(CovariateKind::Categorical),
            reference: None,
        },
        CovariateMap {
            column: "kit".into(),
            kind: None,
            reference: Some("11".into()),
        },
    ];
    let csv = b"time,status,age,sex,ecog,kit\n1,0,50,F,1,9\n2,1,61.5,M,0,11\n3,1,70,M,1,9\n4,0,44,F,0,11\n";
    let c = cohort(csv, &map);
    assert_eq!(
        c.covariates[0].values,
        CovariateValues::Numeric(vec![50.0, 61.5, 70.0, 44.0])
    );
    // F and M tie (2 each): the first to appear is the reference.
    let cat = |codes: &[u32], levels: &[&str]| CovariateValues::Categorical {
        codes: codes.to_vec(),
        levels: levels.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(c.covariates[1].values, cat(&[0, 1, 1, 0], &["F", "M"]));
    assert_eq!(c.covariates[2].values, cat(&[0, 1, 0, 1], &["1", "0"]));
    assert_eq!(c.covariates[3].values, cat(&[1, 0, 1, 0], &["11", "9"]));
}

#[test]
fn most_frequent_level_is_default_reference() {
    let mut map = base();
    map.covariates = vec![CovariateMap {
        column: "site".into(),
        kind: None,
        reference: None,
    }];
    let c = cohort(b"time,status,site\n1,0,a\n2,1,b\n3,1,c\n4,0,b\n", &map);
    let CovariateValues::Categorical { levels, codes } = &c.covariates[0].values else {
        panic!()
    };
    assert_eq!(levels, &["b", "a", "c"]);
    assert_eq!(codes, &[1, 0, 2, 0]);
}

#[test]
fn strata_weights_cluster() {
    let mut map = base();
    map.strata = vec!["center".into(), "sex".into()];
    map.weights = Some("w".into());
    map.cluster = Some("pid".into());
    let csv =
        b"time,status,center,sex,w,pid\n1,0,A,F,1,p1\n2,1,B,F,2.5,p2\n3,1,A,F,0,p1\n4,0,A,M,1,p3\n";
    let c = cohort(csv, &map);
    assert_eq!(
        c.strata_labels,
        vec!["center=A, sex=F", "center=B, sex=F", "center=A, sex=M"]
    );
    assert_eq!(c.stratum, vec![0, 1, 0, 2]);
    assert_eq!(c.weight, Some(vec![1.0, 2.5, 0.0, 1.0]));
    assert_eq!(c.cluster, Some(vec![0, 1, 0, 2]));
    let c = cohort(csv, &base());
    assert_eq!(
        (c.stratum, c.strata_labels, c.weight, c.cluster),
        (vec![0; 4], vec!["all".to_string()], None, None)
    );
}

#[test]
fn timefix_merges_near_ties() {
    let c = cohort(b"time,status\n1,1\n1.000000000001,1\n2,0\n", &base());
    assert_eq!(c.time, vec![1.0, 1.0, 2.0]);
}

#[test]
fn no_group_is_one_group_all() {
    let c = cohort(b"time,status\n1,1\n2,0\n", &base());
    assert_eq!(c.group_labels, vec!["all"]);
    assert_eq!(c.group, vec![0, 0]);
}
