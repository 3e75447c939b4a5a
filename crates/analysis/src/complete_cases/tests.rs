use super::*;
use survlens_ingest::MISSING_CODE;

/// Six rows: `age` missing in row 1; `stage` (levels "II" (reference), "I") missing
/// in rows 1 and 3.
fn cohort() -> Cohort {
    let m = MISSING_CODE;
    Cohort {
        n_rows: 6,
        line: (2..8).collect(),
        time: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        event: vec![true, false, true, true, false, true],
        competing: None,
        group: vec![0; 6],
        group_labels: vec!["all".into()],
        stratum: vec![0; 6],
        strata_labels: vec!["all".into()],
        covariates: vec![
            Covariate {
                column: "age".into(),
                n_missing: None,
                values: CovariateValues::Numeric(vec![50.0, f64::NAN, 60.0, 61.0, 70.0, 71.0]),
            },
            Covariate {
                column: "stage".into(),
                n_missing: None,
                values: CovariateValues::Categorical {
                    codes: vec![1, m, 0, m, 1, 0],
                    levels: vec!["II".into(), "I".into()],
                },
            },
        ],
        ..Cohort::default()
    }
}

#[test]
fn no_copy_when_the_model_has_no_missing_covariate() {
    let c = cohort();
    let m = complete_cases(&c, &[], &[]);
    assert!(matches!(m.cohort, Cow::Borrowed(_)));
    assert_eq!(m.missing, MissingCovariates::default());
}

#[test]
fn counts_rows_once_and_each_column_separately() {
    let c = cohort();
    let m = complete_cases(&c, &["age", "stage"], &[]);
    // Row 1 misses both (counted once in n), row 3 misses stage.
    assert_eq!(m.missing.n, 2);
    assert_eq!(m.missing.by_column.get("age"), Some(&1));
    assert_eq!(m.missing.by_column.get("stage"), Some(&2));
    assert_eq!(m.cohort.line, vec![2, 4, 6, 7]);
    assert_eq!(m.cohort.time, vec![1.0, 3.0, 5.0, 6.0]);
    // Only age: row 1 only.
    let a = complete_cases(&c, &["age"], &[]);
    assert_eq!(a.missing.n, 1);
    assert_eq!(a.cohort.time.len(), 5);
}

#[test]
fn default_reference_is_the_most_frequent_level_of_the_model_rows() {
    let mut c = cohort();
    // stage over the present rows: II, II, I, I, II → "II" (3) most frequent; rows
    // 0..5 = I, II, II, -, I, II. Age missing in rows 1 and 2 leaves I, I, II: "I".
    c.covariates[1].values = CovariateValues::Categorical {
        codes: vec![1, 0, 0, MISSING_CODE, 1, 0],
        levels: vec!["II".into(), "I".into()],
    };
    if let CovariateValues::Numeric(v) = &mut c.covariates[0].values {
        v[2] = f64::NAN;
    }
    let m = complete_cases(&c, &["age", "stage"], &[]);
    match &m.cohort.covariates[1].values {
        CovariateValues::Categorical { codes, levels } => {
            assert_eq!(levels, &vec!["I".to_string(), "II".to_string()]);
            assert_eq!(codes, &vec![0, 0, 1]);
        }
        other => panic!("categorical expected, got {other:?}"),
    }
    // A given reference is kept.
    let given = [CovariateMap {
        column: "stage".into(),
        kind: None,
        reference: Some("II".into()),
    }];
    let m = complete_cases(&c, &["age", "stage"], &given);
    match &m.cohort.covariates[1].values {
        CovariateValues::Categorical { levels, .. } => assert_eq!(levels[0], "II"),
        other => panic!("categorical expected, got {other:?}"),
    }
}

#[test]
fn a_level_absent_from_the_model_rows_is_dropped() {
    let mut c = cohort();
    c.covariates[1].values = CovariateValues::Categorical {
        codes: vec![0, 2, 0, 1, 0, 1],
        levels: vec!["II".into(), "I".into(), "III".into()],
    };
    // Row 1 (the only "III") misses age.
    let m = complete_cases(&c, &["age", "stage"], &[]);
    match &m.cohort.covariates[1].values {
        CovariateValues::Categorical { levels, codes } => {
            assert_eq!(levels, &vec!["II".to_string(), "I".to_string()]);
            assert_eq!(codes, &vec![0, 0, 1, 0, 1]);
        }
        other => panic!("categorical expected, got {other:?}"),
    }
}

#[test]
fn rows_complete_but_levels_of_other_rows_are_releveled() {
    // Every stage present, but coded against the full data's order: over these rows
    // "I" (3 of 5) is the most frequent, so the model's levels are I, II.
    let mut c = cohort();
    c.covariates[1].values = CovariateValues::Categorical {
        codes: vec![1, 1, 0, 1, 0, 0],
        levels: vec!["II".into(), "I".into()],
    };
    if let CovariateValues::Numeric(v) = &mut c.covariates[0].values {
        v[1] = 55.0;
    }
    // Over all six rows it is a tie (3 and 3): the first to appear, "I", leads.
    let m = complete_cases(&c, &["stage"], &[]);
    assert!(matches!(m.cohort, Cow::Owned(_)));
    assert_eq!(m.missing.n, 0);
    match &m.cohort.covariates[1].values {
        CovariateValues::Categorical { codes, levels } => {
            assert_eq!(levels, &vec!["I".to_string(), "II".to_string()]);
            assert_eq!(codes, &vec![0, 0, 1, 0, 1, 1]);
        }
        other => panic!("categorical expected, got {other:?}"),
    }
    // Already in the model's order: no copy.
    c.covariates[1].values = CovariateValues::Categorical {
        codes: vec![0, 0, 1, 0, 1, 1],
        levels: vec!["I".into(), "II".into()],
    };
    assert!(matches!(
        complete_cases(&c, &["stage"], &[]).cohort,
        Cow::Borrowed(_)
    ));
}
