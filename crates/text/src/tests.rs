//! Every warning code and error kind has a text in both languages, with the same
//! placeholders; codes raised anywhere in `src/` are in the catalogue.

use super::*;
use std::collections::BTreeSet;
use survlens_contract::warning_code::WarningCode;
use survlens_ingest::IngestError;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn both_languages_have_every_template_with_the_same_placeholders() {
    for e in WARNINGS {
        assert!(!e.en.trim().is_empty(), "{}: empty English", e.code);
        assert!(has_cjk(e.zh), "{}: the Chinese text has no Chinese", e.code);
        let en: BTreeSet<_> = placeholders(e.en).into_iter().collect();
        let zh: BTreeSet<_> = placeholders(e.zh).into_iter().collect();
        assert_eq!(en, zh, "{}: placeholders differ", e.code);
    }
}

/// The codes named at every `warning(WarningCode::…)` call in the workspace's sources
/// (every crate's `src/` and the root's): the fixed-text calls.
fn fixed_text_calls() -> BTreeSet<WarningCode> {
    let mut names = BTreeSet::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack = vec![root.join("src")];
    for entry in std::fs::read_dir(root.join("crates"))
        .into_iter()
        .flatten()
        .flatten()
    {
        stack.push(entry.path().join("src"));
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for piece in text.split("warning(WarningCode::").skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    names.insert(name);
                }
            }
        }
    }
    WarningCode::ALL
        .iter()
        .copied()
        .filter(|c| names.contains(&format!("{c:?}")))
        .collect()
}

#[test]
fn every_warning_code_is_in_the_catalogue() {
    let known: BTreeSet<WarningCode> = WARNINGS.iter().map(|e| e.code).collect();
    let missing: Vec<_> = WarningCode::ALL
        .iter()
        .filter(|c| !known.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "warning codes without a catalogue text: {missing:?}"
    );
}

#[test]
fn a_catalogued_warning_takes_its_fixed_english_template() {
    let catalogued = fixed_text_calls();
    assert!(catalogued.len() >= 10, "{catalogued:?}");
    for &code in &catalogued {
        let w = warning(code);
        let fixed = WARNINGS
            .iter()
            .find(|e| e.code == code && placeholders(e.en).is_empty());
        assert_eq!(
            Some(w.message.as_str()),
            fixed.map(|e| e.en),
            "{code}: no template without placeholders"
        );
        assert!(w.context.is_empty());
    }
    // A code with a placeholder template first takes its fixed one.
    assert!(warning(WarningCode::CoxInfiniteCoef)
        .message
        .starts_with("One or more"));
}

#[test]
fn a_template_is_chosen_by_the_context_it_can_fill() {
    let ctx = |v: Value| -> Context {
        v.as_object()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect()
    };
    let landmark = ctx(serde_json::json!({"group": "IM+HR", "landmark": 6}));
    let zh = warning_text(WarningCode::EmptyGroup, &landmark, Lang::Zh).unwrap_or_default();
    assert!(
        zh.contains("IM+HR") && zh.contains("6") && zh.contains("里程碑"),
        "{zh}"
    );
    let column = ctx(serde_json::json!({"group": "RFA", "column": "treatment"}));
    let zh = warning_text(WarningCode::EmptyGroup, &column, Lang::Zh).unwrap_or_default();
    assert!(
        zh.contains("treatment") && zh.contains("RFA") && !zh.contains("里程碑"),
        "{zh}"
    );
    let hr =
        ctx(serde_json::json!({"term": "group=IM+HR", "hr": 0.5432, "lower": 0.3, "upper": 0.98}));
    let zh = warning_text(WarningCode::AdjustedHr, &hr, Lang::Zh).unwrap_or_default();
    assert!(zh.contains("0.54") && zh.contains("0.30 至 0.98"), "{zh}");
    // {key:ratio}: the ratio rule (1 decimal from 10, 2 below), not a fixed 2 decimals.
    let ev = ctx(
        serde_json::json!({"term": "g=b", "source": "cox", "hr": 12.44, "evalue": 24.37, "evalue_ci": 3.5}),
    );
    let zh = warning_text(WarningCode::Evalue, &ev, Lang::Zh).unwrap_or_default();
    assert!(
        zh.contains("风险比 12.4") && zh.contains("24.4") && zh.contains("3.50"),
        "{zh}"
    );
    let terms = ctx(serde_json::json!({"terms": ["age", "size_cm"]}));
    let zh = warning_text(WarningCode::StillImbalanced, &terms, Lang::Zh).unwrap_or_default();
    assert!(zh.contains("age、size_cm"), "{zh}");
}

/// One value of every ingest error variant (the match in `error_zh.rs` is exhaustive,
/// so a new variant fails to compile there; this list checks the sentences).
fn every_ingest_error() -> Vec<IngestError> {
    use IngestError::*;
    let (c, v) = ("os_months".to_string(), "abc".to_string());
    vec![
        EmptyFile {
            what: survlens_ingest::Emptiness::NoBytes,
        },
        EmptyFile {
            what: survlens_ingest::Emptiness::BlankLines,
        },
        EmptyFile {
            what: survlens_ingest::Emptiness::EmptySheet,
        },
        NoDataRows,
        EmptyHeader { position: 3 },
        DuplicateHeader { column: c.clone() },
        RaggedRow {
            line: 17,
            expected: 5,
            found: 6,
        },
        MalformedCsv {
            line: 17,
            message: "x".into(),
        },
        TooLarge { column: c.clone() },
        Workbook {
            message: "x".into(),
        },
        WorkbookNotSupported,
        UnknownSheet {
            sheet: "S2".into(),
            sheets: vec!["S1".into()],
        },
        UnknownColumn {
            column: c.clone(),
            available: vec!["a".into()],
            suggestion: Some("b".into()),
        },
        NotNumeric {
            column: c.clone(),
            line: 17,
            value: v.clone(),
        },
        NumberOverflow {
            column: c.clone(),
            line: 17,
            value: v.clone(),
        },
        BadDate {
            column: c.clone(),
            line: 17,
            value: v.clone(),
            format: "%Y-%m-%d".into(),
        },
        ImpossibleDate {
            column: c.clone(),
            line: 17,
            value: v.clone(),
            format: "%Y-%m-%d".into(),
        },
        UnknownEventValue {
            column: c.clone(),
            line: 17,
            value: v.clone(),
            problem: survlens_ingest::EventProblem::NotRecognised,
            found: vec![(v.clone(), 3), ("1".into(), 2)],
        },
        ConflictingEventValues {
            column: c.clone(),
            value: v.clone(),
            first: "values",
            second: "competing_values",
        },
        NegativeWeight {
            column: c.clone(),
            line: 17,
            value: v.clone(),
        },
        UnknownReference {
            column: c.clone(),
            value: v.clone(),
            levels: vec!["A".into()],
        },
        EmptyLevels { column: c.clone() },
        UnsupportedEncoding {
            encoding: "UTF-16".into(),
        },
        NotText {
            line: 17,
            what: "x".into(),
        },
        OneColumn { header: c.clone() },
        TooManyColumns {
            found: 9000,
            limit: 4096,
        },
        TooManyLevels {
            column: c.clone(),
            found: 900,
            limit: 50,
            analysis: "x".into(),
        },
        NoUsableRows {
            n_rows: 10,
            missing: 4,
            other_group: 3,
            negative_time: 3,
        },
    ]
}

#[test]
fn every_error_kind_reads_in_both_languages_with_its_column_and_line() {
    let mut kinds = BTreeSet::new();
    for ie in every_ingest_error() {
        kinds.insert(ie.kind());
        let (en, zh) = (ie.to_string(), ie.message_zh());
        assert!(!en.is_empty() && has_cjk(&zh), "{}: {zh}", ie.kind());
        if let Some(col) = ie.column() {
            assert!(zh.contains(col), "{}: no column in {zh}", ie.kind());
        }
        if let Some(line) = ie.line() {
            assert!(
                zh.contains(&line.to_string()),
                "{}: no line in {zh}",
                ie.kind()
            );
        }
        if let IngestError::NotNumeric { value, .. } = &ie {
            assert!(zh.contains(value.as_str()));
        }
    }
    assert_eq!(kinds.len(), 26, "one example per ingest error kind");
    let spec = [
        SpecError::Json {
            message: "expected value".into(),
            line: 2,
            column: 5,
        },
        SpecError::Invalid {
            field: "km.conf_level".into(),
            message: "x".into(),
        },
    ];
    for s in spec {
        let zh = spec_error_zh(&s);
        assert!(has_cjk(&zh), "{}: {zh}", s.kind());
    }
}

#[test]
fn localize_gives_one_text_per_warning_of_a_report() {
    let warnings = [
        Warning::new(WarningCode::NoEvents, "No patient had the event."),
        Warning::new(WarningCode::RmstWithEntry, "Something."),
    ];
    let doc = Sentences {
        warnings: &warnings,
        ..Sentences::default()
    };
    let zh = localize_sentences(&doc, Lang::Zh);
    assert!(zh.warnings[0].as_deref().is_some_and(has_cjk));
    assert!(zh.warnings[1].as_deref().is_some_and(has_cjk));
    assert_eq!(zh.texts.len(), 2, "{zh:?}");
    let en = localize_sentences(&doc, Lang::En);
    assert_eq!(en.warnings[0].as_deref(), Some("No patient had the event."));
    assert!(en.texts.is_empty());
}

#[test]
fn a_warning_with_values_is_the_sentence_the_call_site_wrote() {
    // Each expected sentence is what the call site's own `format!` gave before its text
    // moved to the catalogue (the results' `message` must not change).
    let cases = [
        (
            warning_with(WarningCode::ConstantCovariate, [("term", "age".into())]),
            "age has the same value for every patient in the Cox model, so its effect cannot be estimated.",
        ),
        (
            warning_with(WarningCode::CoxInfiniteCoef, [("term", "x".into())]),
            "The coefficient of x may be infinite: the likelihood converged before it did, typically because x separates those with and without the event. Its hazard ratio and CI are not reliable.",
        ),
        (
            warning_with(WarningCode::CoxAliased, [("term", "hw".into())]),
            "hw is a linear combination of the other covariates (collinear), so its coefficient is not estimable and is reported as null; the other terms are fitted without it.",
        ),
        (
            warning_with(WarningCode::CoxUnivariableNotConverged, [("column", "sex".into())]),
            "The univariable Cox model of sex did not converge; its hazard ratio may be infinite (a level or value that separates those with and without the event).",
        ),
        (
            warning_with(WarningCode::CoxUnivariableInfiniteCoef,
                [("term", "sex=m".into()), ("column", "sex".into())],
            ),
            "In the univariable Cox model of sex, the coefficient of sex=m may be infinite: its hazard ratio and CI are not reliable.",
        ),
        (
            warning_with(WarningCode::CoxUnivariableAliased,
                [("term", "k=c".into()), ("column", "k".into())],
            ),
            "In the univariable Cox model of k, k=c cannot be estimated (it does not vary within the strata, or duplicates another level) and is reported as null.",
        ),
        (
            warning_with(WarningCode::PropensityNotConverged, [("iterations", 25usize.into())]),
            "The propensity model did not converge in 25 iterations, often because a covariate separates the groups perfectly; drop or merge that covariate.",
        ),
        (
            warning_with(WarningCode::NoCompleteRows,
                [("section", "cox".into()), ("columns", vec!["age", "size"].into())],
            ),
            "No patient has every covariate of the cox model (age, size); the model was not fitted. The survival curves and the log-rank test use every patient.",
        ),
    ];
    for (w, want) in cases {
        assert_eq!(w.message, want, "{}", w.code);
        assert!(!w.context.is_empty(), "{}: context kept", w.code);
    }
}

#[test]
fn the_reason_the_period_model_failed_reads_in_chinese() {
    for (en, zh) in [
        ("there is no group to compare", "没有可比较的组"),
        ("no estimate exists", "模型没有给出估计值"),
    ] {
        let w = warning_with(WarningCode::CoxPeriodsFailed, [("reason", en.into())]);
        assert!(w.message.contains(en), "{}", w.message);
        let text = warning_text(w.code, &w.context, Lang::Zh).expect("a Chinese text");
        assert!(text.contains(zh), "{text}");
        assert!(!text.contains(en), "{text}");
    }
}
