//! The page's copy of a Report read back for the language switch: the parts
//! [`crate::messages::localize_sentences`] reads, typed. The page also passes partial
//! documents (the mapping step's `{warnings}`), so every part is optional.

use crate::analysis::cox_ph::PhTest;
use crate::analysis::immortal::comparison::Comparison;
use crate::messages::Sentences;
use crate::warning::Warning;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageDocument {
    warnings: Vec<Warning>,
    propensity: Option<Notes>,
    adjusted: Option<Notes>,
    sensitivity: Option<Notes>,
    cox: Option<PageCox>,
    time_dependent: Option<PageTimeDependent>,
    groups: Vec<Label>,
    rmst_difference: Option<Vec<serde::de::IgnoredAny>>,
    immortal_time: Option<Comparison>,
    spec: PageSpec,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notes {
    notes: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
struct PageCox {
    #[serde(default = "yes")]
    converged: bool,
    /// Read as JSON first: its residuals (not needed here) may hold `null`s.
    #[serde(default)]
    ph_test: Option<serde_json::Value>,
}

/// `time_dependent`: its Cox model on the (start, stop] rows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageTimeDependent {
    cox: Option<PageCox>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Label {
    label: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageSpec {
    group: Option<GroupColumn>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupColumn {
    column: String,
}

impl PageDocument {
    /// `cox.ph_test` with its verdicts restored ([`PhTest::reread`]), when readable.
    pub fn ph_test(&self) -> Option<PhTest> {
        self.restored(self.cox.as_ref()?)
    }

    /// The proportional-hazards tests the language switch reads: `cox.ph_test`, then
    /// `time_dependent.cox.ph_test`, each with its verdicts restored.
    pub fn ph_tests(&self) -> Vec<PhTest> {
        let td = self.time_dependent.as_ref().and_then(|t| t.cox.as_ref());
        [self.cox.as_ref(), td]
            .into_iter()
            .flatten()
            .filter_map(|cox| self.restored(cox))
            .collect()
    }

    fn restored(&self, cox: &PageCox) -> Option<PhTest> {
        let mut json = cox.ph_test.clone()?;
        if let Some(o) = json.as_object_mut() {
            o.remove("residuals");
        }
        let mut ph: PhTest = serde_json::from_value(json).ok()?;
        let group = self.spec.group.as_ref().map(|g| g.column.as_str());
        crate::messages::ph_reading::reread(&mut ph, cox.converged, group);
        Some(ph)
    }

    /// `ph` as [`Self::ph_test`] reads it back (without the residuals).
    #[cfg(test)]
    fn without_residuals(ph: &PhTest) -> PhTest {
        PhTest {
            residuals: None,
            ..ph.clone()
        }
    }

    /// What the language switch reads; `ph_tests` from [`Self::ph_tests`].
    pub fn sentences<'a>(&'a self, ph_tests: &'a [PhTest]) -> Sentences<'a> {
        let notes = [&self.propensity, &self.adjusted, &self.sensitivity]
            .into_iter()
            .flatten()
            .map(|n| &n.notes[..])
            .collect();
        Sentences {
            warnings: &self.warnings,
            notes,
            ph_tests: ph_tests.iter().collect(),
            labels: self.groups.iter().map(|g| g.label.as_str()).collect(),
            rmst: self.rmst_difference.as_ref().is_some_and(|d| !d.is_empty()),
            immortal_time: self.immortal_time.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PageDocument;
    use crate::analysis::report::Skip;
    use crate::messages::{localize, localize_sentences, Lang};
    use std::path::Path;

    /// The page's copy of a Report (its JSON) reads as the Report itself: the verdicts
    /// [`crate::analysis::cox_ph::PhTest::reread`] restores are those the analysis
    /// decided, and the Chinese texts are the same, for every reference case. Natively:
    /// `cargo test --lib --features wasm wasm::sentences`; scripts/test-web runs its
    /// twin through the wasm export (tests/wasm_api.rs).
    #[test]
    fn the_page_copy_reads_as_the_report() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
        let (mut read, mut with_td_ph) = (0, 0);
        for dir in std::fs::read_dir(root).expect("tests/reference").flatten() {
            let (Ok(data), Ok(spec)) = (
                std::fs::read(dir.path().join("data.csv")),
                std::fs::read_to_string(dir.path().join("spec.json")),
            ) else {
                continue;
            };
            let Ok(report) = crate::Analysis::from_json(&spec).run(&data) else {
                continue;
            };
            let json = serde_json::to_value(&report).expect("serializes");
            let doc: PageDocument = serde_json::from_value(json).expect("the page's copy");
            let ph = doc.ph_test();
            if let Skip::Value(cox) = &report.cox {
                assert_eq!(
                    ph.as_ref(),
                    cox.ph_test
                        .as_ref()
                        .map(PageDocument::without_residuals)
                        .as_ref(),
                    "{:?}",
                    dir.path()
                );
            }
            // The (start, stop] model's test reads back too (time_dependent.cox.ph_test).
            let td = report.time_dependent.as_ref().map(|t| &t.cox);
            if let Some(Skip::Value(cox)) = td {
                let expected = cox.ph_test.as_ref().map(PageDocument::without_residuals);
                assert_eq!(doc.ph_tests().last(), expected.as_ref(), "{:?}", dir.path());
                with_td_ph += usize::from(expected.is_some());
            }
            assert_eq!(
                localize_sentences(&doc.sentences(&doc.ph_tests()), Lang::Zh),
                localize(&report, Lang::Zh),
                "{:?}",
                dir.path()
            );
            read += 1;
        }
        assert!(read > 20, "only {read} reference cases read");
        assert!(
            with_td_ph > 0,
            "no reference case tests PH on (start, stop] rows"
        );
    }
}
