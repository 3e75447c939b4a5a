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
        let cox = self.cox.as_ref()?;
        let mut json = cox.ph_test.clone()?;
        if let Some(o) = json.as_object_mut() {
            o.remove("residuals");
        }
        let mut ph: PhTest = serde_json::from_value(json).ok()?;
        let group = self.spec.group.as_ref().map(|g| g.column.as_str());
        ph.reread(cox.converged, group);
        Some(ph)
    }

    /// What the language switch reads; `ph_test` from [`Self::ph_test`].
    pub fn sentences<'a>(&'a self, ph_test: Option<&'a PhTest>) -> Sentences<'a> {
        let notes = [&self.propensity, &self.adjusted, &self.sensitivity]
            .into_iter()
            .flatten()
            .map(|n| &n.notes[..])
            .collect();
        Sentences {
            warnings: &self.warnings,
            notes,
            ph_test,
            labels: self.groups.iter().map(|g| g.label.as_str()).collect(),
            rmst: self.rmst_difference.as_ref().is_some_and(|d| !d.is_empty()),
            immortal_time: self.immortal_time.as_ref(),
        }
    }
}
